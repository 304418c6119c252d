/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syslet benchmark: shared declarations.
 *
 * (Named bench.h, not bench_common.h: .gitignore ignores test/bench/bench_*
 * except *.c, because that is where built benchmark programs land.)
 */
#ifndef SYSLET_BENCH_H
#define SYSLET_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAX_RUNS 31
#define BENCH_PAGE 4096

/* Command-line settings. */
struct bench_opts {
	int runs;	     /* repetitions of every row */
	long run_ms;	     /* target length of one run, section 1 */
	long meta_files;     /* files of the metadata storm */
	long direct_mib;     /* size of the O_DIRECT file */
	long direct_ms;	     /* target length of one run, section 3 */
	int depth;	     /* queue depth of sections 2 and 3 */
	const char *tmpdir;  /* parent of the benchmark's temporary directory */
	const char *summary; /* --summary FILE, or NULL */
	bool sections[4];    /* [1..3]: which sections to run */
	bool quick;
	bool ident_notify; /* contexts with SYSLET_CTX_IDENT_NOTIFY */
	bool contend;	   /* one CPU hog per CPU for the whole run */
};
extern struct bench_opts bench_opts;

/* The temporary directory (made by main, removed at exit). */
extern char bench_dir[4096];
/* A file made outside it (the O_DIRECT file's fallback), removed at exit. */
extern char bench_extra_file[4400];

/* ---- errors: every unexpected result ends the program -------------------- */
__attribute__((noreturn, format(printf, 1, 2))) void bench_die(const char *fmt,
							       ...);
/* Die with "what: strerror(errno)" when @ok is false. */
#define BENCH_CHECK(ok, ...)                                                   \
	do {                                                                   \
		if (!(ok))                                                     \
			bench_die_errno(__VA_ARGS__);                          \
	} while (0)
__attribute__((noreturn, format(printf, 1, 2))) void
bench_die_errno(const char *fmt, ...);
/* For calls that return an error number (pthread_*) or -errno (syslet_*). */
void bench_check_rc(int rc, const char *what);

/* ---- time ---------------------------------------------------------------- */
int64_t bench_now_ns(void);

/* ---- statistics over the runs of one row --------------------------------- */
struct bench_stat {
	double v[BENCH_MAX_RUNS]; /* one value per run */
	int n;
};
void bench_stat_add(struct bench_stat *s, double v);
double bench_stat_median(const struct bench_stat *s);
double bench_stat_min(const struct bench_stat *s);
double bench_stat_max(const struct bench_stat *s);

/*
 * A measured row: run(arg, n) performs @n operations and returns the
 * nanoseconds they took (timed inside, so that set-up is not counted).
 */
typedef int64_t (*bench_run_fn)(void *arg, long n);

/* Pick an operation count so that one run lasts about @target_ns. */
long bench_calibrate(bench_run_fn run, void *arg, int64_t target_ns, long min_n,
		     long max_n);

/* ---- file content: every 8-byte word says where it is -------------------- */
uint64_t bench_pattern(uint64_t off);
void bench_fill(void *buf, size_t len, uint64_t off);
/* Die unless @buf holds what the file holds at @off. */
void bench_verify(const void *buf, size_t len, uint64_t off, const char *mode);

/* Write @size bytes of the pattern to @path (created, truncated). */
void bench_make_file(const char *path, uint64_t size);

/* ---- CPUs ---------------------------------------------------------------- */
/* The @i-th CPU this process may run on, or -1. */
int bench_allowed_cpu(int i);
/* Pin the calling thread to @cpu. */
void bench_pin_self(int cpu);

/* ---- how busy the machine was with other work ---------------------------- */
/*
 * The user + system clock ticks of /proc/PID/stat at @path, in @ticks;
 * returns the process's state letter ('Z': exited, not yet reaped).
 */
char bench_proc_ticks(const char *path, unsigned long long *ticks);

struct bench_busy {
	unsigned long long busy, steal, total; /* /proc/stat, all CPUs */
	unsigned long long self;	       /* this process, all threads */
	unsigned long long hogs;	       /* our CPU hogs (--contend) */
	unsigned long long drops;	       /* drop_caches writes so far */
};
void bench_busy_read(struct bench_busy *b);
/* Print what other processes and kernel threads used since @start. */
void bench_busy_report(const struct bench_busy *start);
/* Set when a section reported itself disturbed. */
extern bool bench_disturbed;

/* ---- --contend: one CPU-bound process per CPU (bench_contend.c) ---------- */
/* Start them (and the handlers that stop them on SIGINT, SIGTERM, ...). */
void bench_contend_start(void);
/* Kill and reap them; async-signal-safe; does nothing when none runs. */
void bench_contend_stop(void);
/* The CPU time they used so far (ticks); dies if one has exited. */
unsigned long long bench_contend_ticks(void);
/* How many were started. */
extern int bench_hogs;

/* ---- hand-offs (bench_handoff.c) ----------------------------------------- */
/* A plain thread pool: one worker, a mutex, two condvars. */
struct bench_pool;
struct bench_pool *bench_pool_start(void);
/* Have the worker pread(); wait for it.  Returns its result, errno in @err. */
ssize_t bench_pool_pread(struct bench_pool *pl, int fd, void *buf, size_t len,
			 off_t off, int *err);
void bench_pool_stop(struct bench_pool *pl);
/*
 * @n round trips between two threads pinned to @cpu_a and @cpu_b, waiting
 * with futexes or with sched_yield(); returns the nanoseconds they took.
 */
int64_t bench_pingpong(int cpu_a, int cpu_b, bool use_futex, long n);

/* ---- output -------------------------------------------------------------- */
void bench_rule(int width);

/* ---- results handed to the "targets" section ----------------------------- */
struct bench_results {
	bool have_pread, have_meta, have_direct;
	double direct_us, inline_us, async_wait_us, async_reap_us;
	double uring_async_us, aio_us;
	double pp_futex_same_us, pp_yield_same_us; /* the references */
	double meta_syslet_ops, meta_syslet_async_ops, meta_uring_ops;
	double direct_syslet_iops, direct_syslet_async_iops, direct_uring_iops;
};
extern struct bench_results bench_results;

/*
 * Print the targets from bench_results (bench_targets.c), and write them
 * to the file of --summary, opened at start-up so that a bad path fails
 * before the run.
 */
void bench_summary_open(const char *path);
void bench_print_targets(void);

/* ---- the sections -------------------------------------------------------- */
void bench_pread_section(void);
void bench_meta_section(void);
void bench_direct_section(void);

#endif
