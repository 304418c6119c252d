// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Section 1: one cached 4 KiB pread, issued every way we know, one at a
 * time, plus the floor of a user-space hand-off (ping-pong rows).
 *
 * Every row is timed as a loop of n operations inside its run function; the
 * buffer is poisoned and checked against the file's pattern once per run,
 * before the timed loop, and every result is checked inside it.
 */
#define _GNU_SOURCE
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "syslet.h"
#include "bench.h"

#define PR_FILE_PAGES 256 /* 1 MiB; a power of two */
#define PR_SENTINEL (-999999L)

/* ---- the state of every pread row ---------------------------------------- */
struct pr {
	int fd;
	char *buf;
	struct iovec iov;
	struct syslet_ctx *ctx;
	struct syslet_atom atom;
	long ret;
	long inline_queued; /* inline-hit row: submits that went to a helper */
	long inline_total;
	long nowait_miss; /* RWF_NOWAIT row: EAGAIN, the page was evicted */
	long nowait_total;
	struct io_uring ring;
	struct aiocb cb;
	struct bench_pool *pool;
};

static inline off_t pr_off(long i)
{
	return (off_t)((unsigned long)i % PR_FILE_PAGES) * BENCH_PAGE;
}

static void bad_read(const char *what, long r)
{
	if (r < 0) {
		errno = (int)-r;
		bench_die_errno("%s", what);
	}
	bench_die("%s: returned %ld, expected %d", what, r, BENCH_PAGE);
}

static inline void op_direct(struct pr *p, off_t off)
{
	ssize_t r = pread(p->fd, p->buf, BENCH_PAGE, off);

	if (r != BENCH_PAGE)
		bad_read("pread", r < 0 ? -errno : r);
}

static inline void op_preadv2(struct pr *p, off_t off)
{
	ssize_t r = preadv2(p->fd, &p->iov, 1, off, 0);

	if (r != BENCH_PAGE)
		bad_read("preadv2", r < 0 ? -errno : r);
}

static inline void op_nowait(struct pr *p, off_t off)
{
	ssize_t r = preadv2(p->fd, &p->iov, 1, off, RWF_NOWAIT);

	p->nowait_total++;
	if (r < 0 && errno == EAGAIN) {
		/* Not cached after all (someone dropped the page cache?):
		 * counted and reported; read it the blocking way. */
		p->nowait_miss++;
		r = pread(p->fd, p->buf, BENCH_PAGE, off);
	}
	if (r != BENCH_PAGE)
		bad_read("preadv2(RWF_NOWAIT) of a cached page",
			 r < 0 ? -errno : r);
}

/* Take the one completion of p->atom. */
static void sl_wait_one(struct pr *p)
{
	struct syslet_completion c;
	int rc = syslet_wait(p->ctx, &c, 1, 1, NULL);

	if (rc != 1) {
		bench_check_rc(rc, "syslet_wait");
		bench_die("syslet_wait(min 1) returned %d", rc);
	}
	if (c.head != &p->atom || c.last != &p->atom || c.result != BENCH_PAGE)
		bench_die("syslet_wait: wrong completion (head %p last %p "
			  "result %ld)",
			  (void *)c.head, (void *)c.last, c.result);
}

static inline void sl_check_ret(struct pr *p, const char *what)
{
	if (p->ret != BENCH_PAGE)
		bad_read(what, p->ret);
}

static inline void op_sl_inline(struct pr *p, off_t off)
{
	int rc;

	p->atom.args[3] = off;
	p->ret = PR_SENTINEL;
	rc = syslet_submit(p->ctx, &p->atom, 0);
	p->inline_total++;
	if (rc == SYSLET_QUEUED) { /* legal, but counted and reported */
		p->inline_queued++;
		sl_wait_one(p);
	} else if (rc != SYSLET_DONE) {
		bench_check_rc(rc, "syslet_submit(pread)");
		bench_die("syslet_submit returned %d", rc);
	}
	sl_check_ret(p, "libsyslet pread, inline");
}

static inline void op_sl_async_wait(struct pr *p, off_t off)
{
	int rc;

	p->atom.args[3] = off;
	p->ret = PR_SENTINEL;
	rc = syslet_submit(p->ctx, &p->atom,
			   SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT);
	if (rc != SYSLET_DONE) {
		bench_check_rc(rc, "syslet_submit(ASYNC|WAIT)");
		bench_die("syslet_submit(ASYNC|WAIT) returned %d", rc);
	}
	sl_check_ret(p, "libsyslet pread, ASYNC|WAIT");
}

static inline void op_sl_async_reap(struct pr *p, off_t off)
{
	int rc;

	p->atom.args[3] = off;
	p->ret = PR_SENTINEL;
	rc = syslet_submit(p->ctx, &p->atom, SYSLET_SUBMIT_ASYNC);
	if (rc != SYSLET_QUEUED) {
		bench_check_rc(rc, "syslet_submit(ASYNC)");
		bench_die("syslet_submit(ASYNC) returned %d, not SYSLET_QUEUED "
			  "(no helper?)",
			  rc);
	}
	sl_wait_one(p);
	sl_check_ret(p, "libsyslet pread, ASYNC + syslet_wait");
}

static inline void uring_read(struct pr *p, off_t off, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
	struct io_uring_cqe *cqe;
	int rc;

	if (!sqe)
		bench_die("io_uring_get_sqe: ring full");
	io_uring_prep_read(sqe, p->fd, p->buf, BENCH_PAGE, (uint64_t)off);
	sqe->flags |= (uint8_t)flags;
	sqe->user_data = (uint64_t)off + 1;
	rc = io_uring_submit_and_wait(&p->ring, 1);
	if (rc != 1) {
		bench_check_rc(rc, "io_uring_submit_and_wait");
		bench_die("io_uring_submit_and_wait submitted %d, not 1", rc);
	}
	rc = io_uring_peek_cqe(&p->ring, &cqe);
	bench_check_rc(rc, "io_uring_peek_cqe after waiting for one");
	if (cqe->user_data != (uint64_t)off + 1)
		bench_die("io_uring: completion for another request");
	if (cqe->res != BENCH_PAGE)
		bad_read("io_uring read", cqe->res);
	io_uring_cqe_seen(&p->ring, cqe);
}

static inline void op_uring(struct pr *p, off_t off)
{
	uring_read(p, off, 0);
}

static inline void op_uring_async(struct pr *p, off_t off)
{
	uring_read(p, off, IOSQE_ASYNC);
}

static inline void op_aio(struct pr *p, off_t off)
{
	const struct aiocb *list[1] = { &p->cb };
	ssize_t r;
	int e;

	p->cb.aio_offset = off;
	BENCH_CHECK(aio_read(&p->cb) == 0, "aio_read");
	while ((e = aio_error(&p->cb)) == EINPROGRESS)
		BENCH_CHECK(aio_suspend(list, 1, NULL) == 0 || errno == EINTR,
			    "aio_suspend");
	if (e != 0) {
		errno = e < 0 ? errno : e;
		bench_die_errno("aio_read (aio_error)");
	}
	r = aio_return(&p->cb);
	if (r != BENCH_PAGE)
		bad_read("aio_read (aio_return)", r < 0 ? -errno : r);
}

static inline void op_pool(struct pr *p, off_t off)
{
	int err;
	ssize_t r =
		bench_pool_pread(p->pool, p->fd, p->buf, BENCH_PAGE, off, &err);

	if (r != BENCH_PAGE)
		bad_read("pool pread", r < 0 ? -err : r);
}

/* One run: check the data once (untimed), then time n operations. */
#define PR_RUN(op, what)                                                       \
	static int64_t run_##op(void *arg, long n)                             \
	{                                                                      \
		struct pr *p = arg;                                            \
		int64_t t0;                                                    \
		long i;                                                        \
                                                                               \
		memset(p->buf, 0xa5, BENCH_PAGE);                              \
		op_##op(p, pr_off(n + 3));                                     \
		bench_verify(p->buf, BENCH_PAGE, (uint64_t)pr_off(n + 3),      \
			     what);                                            \
		t0 = bench_now_ns();                                           \
		for (i = 0; i < n; i++)                                        \
			op_##op(p, pr_off(i));                                 \
		return bench_now_ns() - t0;                                    \
	}
PR_RUN(direct, "pread")
PR_RUN(preadv2, "preadv2")
PR_RUN(nowait, "preadv2(RWF_NOWAIT)")
PR_RUN(sl_inline, "libsyslet inline")
PR_RUN(sl_async_wait, "libsyslet ASYNC|WAIT")
PR_RUN(sl_async_reap, "libsyslet ASYNC + syslet_wait")
PR_RUN(uring, "io_uring")
PR_RUN(uring_async, "io_uring IOSQE_ASYNC")
PR_RUN(aio, "glibc aio_read")
PR_RUN(pool, "thread pool")

/* The ping-pong rows: CPUs chosen by bench_pread_section(). */
static int pp_cpu0, pp_cpu1;

static int64_t run_pp_futex_same(void *arg, long n)
{
	(void)arg;
	return bench_pingpong(pp_cpu0, pp_cpu0, true, n);
}

static int64_t run_pp_yield_same(void *arg, long n)
{
	(void)arg;
	return bench_pingpong(pp_cpu0, pp_cpu0, false, n);
}

static int64_t run_pp_futex_cross(void *arg, long n)
{
	(void)arg;
	return bench_pingpong(pp_cpu0, pp_cpu1, true, n);
}

/* ---- the section --------------------------------------------------------- */
struct row {
	const char *name;
	bench_run_fn run;
	double *result; /* where the median goes, for "targets" */
	long n;
	struct bench_stat us;
};

void bench_pread_section(void)
{
	static struct pr p;
	struct syslet_params params;
	char path[4200];
	int cpu0 = bench_allowed_cpu(0), cpu1 = bench_allowed_cpu(1);
	struct bench_results *res = &bench_results;
#define ROW(n, f, r)                                                           \
	{                                                                      \
		.name = (n), .run = (f), .result = (r)                         \
	}
	struct row rows[] = {
		ROW("direct pread(2) syscall", run_direct, &res->direct_us),
		ROW("preadv2(flags 0) syscall, one iovec", run_preadv2, NULL),
		ROW("preadv2(RWF_NOWAIT) syscall, one iovec", run_nowait, NULL),
		ROW("libsyslet inline hit (flags 0)", run_sl_inline,
		    &res->inline_us),
		ROW("libsyslet SUBMIT_ASYNC|SUBMIT_WAIT", run_sl_async_wait,
		    &res->async_wait_us),
		ROW("libsyslet SUBMIT_ASYNC + syslet_wait(1)",
		    run_sl_async_reap, &res->async_reap_us),
		ROW("io_uring QD1 inline (submit_and_wait)", run_uring, NULL),
		ROW("io_uring QD1 IOSQE_ASYNC", run_uring_async,
		    &res->uring_async_us),
		ROW("glibc aio_read + aio_suspend", run_aio, &res->aio_us),
		ROW("mutex/condvar pool, 1 worker", run_pool, NULL),
		ROW("ref: futex ping-pong, same CPU", run_pp_futex_same,
		    &res->pp_futex_same_us),
		ROW("ref: sched_yield ping-pong, same CPU", run_pp_yield_same,
		    &res->pp_yield_same_us),
		ROW("ref: futex ping-pong, two CPUs", run_pp_futex_cross, NULL),
	};
#undef ROW
	int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	int64_t target = bench_opts.run_ms * 1000000;
	struct bench_busy busy;
	double direct;
	off_t off;
	int i, r;

	if (cpu1 < 0)
		nrows--; /* one CPU: no cross-CPU row */
	pp_cpu0 = cpu0;
	pp_cpu1 = cpu1;

	/* The file, made here, then read once so that it is cached. */
	snprintf(path, sizeof(path), "%s/pread.dat", bench_dir);
	bench_make_file(path, (uint64_t)PR_FILE_PAGES * BENCH_PAGE);
	p.fd = open(path, O_RDONLY | O_CLOEXEC);
	BENCH_CHECK(p.fd >= 0, "open %s", path);
	p.buf = aligned_alloc(BENCH_PAGE, BENCH_PAGE);
	if (!p.buf)
		bench_die("out of memory");
	for (off = 0; off < (off_t)PR_FILE_PAGES * BENCH_PAGE;
	     off += BENCH_PAGE) {
		op_direct(&p, off);
		bench_verify(p.buf, BENCH_PAGE, (uint64_t)off, "warm-up pread");
	}
	p.iov = (struct iovec){ p.buf, BENCH_PAGE };

	bench_check_rc(syslet_params_init(&params), "syslet_params_init");
	if (bench_opts.ident_notify)
		params.flags |= SYSLET_CTX_IDENT_NOTIFY;
	bench_check_rc(syslet_ctx_create(&params, &p.ctx), "syslet_ctx_create");
	syslet_atom_init(&p.atom, SYS_pread64, &p.ret, 0, p.fd, (long)p.buf,
			 BENCH_PAGE, 0, 0, 0);
	bench_check_rc(io_uring_queue_init(8, &p.ring, 0),
		       "io_uring_queue_init");
	memset(&p.cb, 0, sizeof(p.cb));
	p.cb.aio_fildes = p.fd;
	p.cb.aio_buf = p.buf;
	p.cb.aio_nbytes = BENCH_PAGE;
	p.cb.aio_sigevent.sigev_notify = SIGEV_NONE;
	p.pool = bench_pool_start();

	printf("\n1. Cached 4 KiB pread, one at a time (file %s, %d KiB, "
	       "cached)\n",
	       path, PR_FILE_PAGES * BENCH_PAGE / 1024);
	printf("   us per operation: median of %d per-run means, and the "
	       "fastest and slowest run;\n   ping-pong rows: us per round "
	       "trip, threads pinned to CPU %d",
	       bench_opts.runs, cpu0);
	if (cpu1 >= 0)
		printf(" (two CPUs: %d and %d)", cpu0, cpu1);
	printf("\n");

	for (i = 0; i < nrows; i++)
		rows[i].n =
			bench_calibrate(rows[i].run, &p, target, 200, 20000000);
	/* Interleaved: run r of every row, then run r + 1, against drift. */
	p.inline_queued = p.inline_total = 0;
	p.nowait_miss = p.nowait_total = 0;
	bench_busy_read(&busy);
	for (r = 0; r < bench_opts.runs; r++)
		for (i = 0; i < nrows; i++) {
			int64_t ns = rows[i].run(&p, rows[i].n);

			bench_stat_add(&rows[i].us,
				       (double)ns / 1000.0 / (double)rows[i].n);
		}

	printf("   %-42s %9s %9s %9s %9s %10s\n", "mode", "ops/run",
	       "median us", "min us", "max us", "vs direct");
	printf("   ");
	bench_rule(92);
	direct = bench_stat_median(&rows[0].us);
	for (i = 0; i < nrows; i++) {
		double m = bench_stat_median(&rows[i].us);

		printf("   %-42s %9ld %9.3f %9.3f %9.3f %9.2fx\n", rows[i].name,
		       rows[i].n, m, bench_stat_min(&rows[i].us),
		       bench_stat_max(&rows[i].us), m / direct);
		if (rows[i].result)
			*rows[i].result = m;
	}
	printf("   RWF_NOWAIT reads that found the page not cached: %ld of %ld\n",
	       p.nowait_miss, p.nowait_total);
	printf("   inline-hit submits that went to a helper anyway: %ld of %ld\n",
	       p.inline_queued, p.inline_total);
	bench_busy_report(&busy);
	res->have_pread = true;

	bench_pool_stop(p.pool);
	io_uring_queue_exit(&p.ring);
	bench_check_rc(syslet_ctx_destroy(p.ctx), "syslet_ctx_destroy");
	BENCH_CHECK(close(p.fd) == 0, "close");
	free(p.buf);
}
