/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syslet run --report: the launcher's side of the trial report.  The shim
 * leaves one stats file per process image in a private directory
 * (src/report/layout.h); report_read.c gathers them into processes,
 * report_json.c writes the JSON (doc/report-schema.md), report_table.c
 * the strace -c style table, report_file.c the directory and the safe
 * creation of output files.
 */
#ifndef SYSLET_REPORT_H
#define SYSLET_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "layout.h"

#define RP_SCHEMA "syslet-report/2"
#define RP_SCHEMA_V1 "syslet-report/1" /* read too: no sites, no threads */

/* A frame of a call site: where in which file (the mapping's path and the
 * offset in the file, which name the code whatever the load address),
 * and once symbolised (symbols.c) its function and source line. */
#define RP_STR_MAX 512 /* longest name or path kept */
struct rp_frame {
	char *module;	 /* NULL: no mapping covered it (offset: address) */
	uint64_t offset; /* in the module's file */
	char *func;	 /* NULL if unknown */
	char *file;	 /* source file, NULL if no debug information */
	unsigned int line;
};

/* A call site (layout.h, struct sr_site) of one process, its images'
 * sites of the same call and frames summed. */
struct rp_site {
	int nr;
	uint64_t calls, would_block, blocked_ns, loop_blocked_ns;
	unsigned int ntids;
	int tids[SR_SLOTS]; /* threads that made it; 0: the shared slot's */
	unsigned int nframes;
	struct rp_frame frame[SR_FRAMES]; /* innermost first */
};

/* A thread's slot: its calls of event-loop waits (sr_is_wait()) are its
 * idle time, its other calls' blocked time what conversion could gain. */
struct rp_thread {
	int tid; /* 0: the shared slot of the threads after the first 15 */
	char name[16];
	bool event_loop; /* it made a poll/epoll/select wait */
	uint64_t calls, idle_ns, blocked_ns;
	uint64_t wall_ns; /* from its first counted call to its last */
};

/* One process: its stats files (one per exec'd image) summed. */
struct rp_proc {
	int pid, ppid;
	uint64_t proc_start;	    /* with pid, names the process */
	uint64_t start_real_ns;	    /* its first image's file */
	uint64_t start_ns, last_ns; /* CLOCK_MONOTONIC */
	uint64_t block_ns;
	unsigned int threads; /* threads that made counted calls */
	unsigned int nimages;
	char images[8][SR_NAME_MAX]; /* argv[0] of each image, in order */
	char comm[16];		     /* of the last image */
	int backstop, backstop_err;  /* enum sr_backstop; errno if off */
	struct sr_entry *e;	     /* [SR_NR_MAX] */
	struct rp_site *sites;
	size_t nsites;
	struct rp_thread *thr;
	size_t nthr;
	uint64_t sites_lost; /* stacks the shim had no room for */
};

struct rp_report {
	struct rp_proc *procs;
	size_t n;
	size_t skipped;	      /* files that were not (yet) valid */
	size_t other_version; /* of those, of another layout version */
};

/* report_read.c */
void rp_entry_add(struct sr_entry *dst, const struct sr_entry *src);
int rp_add_file(struct rp_report *r, const struct sr_file *f);
int rp_read_dir(struct rp_report *r, const char *dir);
void rp_free(struct rp_report *r);

/* sites.c: a stats file's sites and threads into its process (read.c),
 * a site added to a process (merged with an equal one), freeing. */
int rp_sites_add_file(struct rp_proc *p, const struct sr_file *f);
int rp_site_add(struct rp_proc *p, const struct rp_site *s);
void rp_site_free(struct rp_site *s);
void rp_proc_free_sites(struct rp_proc *p);

/* sites_json.c: @p's "thread_list", "sites" and "sites_lost" into its
 * JSON object @o; parse_sites.c reads them back (0, or -1 with the
 * reason as rp_parse() gives it, through @fail). */
struct json_object;
void rp_sites_json(const struct rp_proc *p, struct json_object *o);

/* symbols.c (the command only: libdw): every frame's function, and source
 * file and line where debug information is installed. */
void rp_symbolise(struct rp_report *r);

/* gain.c: what making @s asynchronous could gain, from its process's
 * threads (doc/report-schema.md, "The gain"). */
struct rp_gain {
	bool candidate;	   /* made on an event loop, and not its wait */
	uint64_t freed_ns; /* its blocked time on event-loop threads */
	uint64_t wall_ns;  /* of those threads, summed */
	uint64_t busy_ns;  /* their wall time less their idle waits */
	double share;	   /* freed / wall */
	double speedup;	   /* busy / (busy - freed), at most: */
};
#define RP_SPEEDUP_MAX 100.0 /* beyond it, what is left is within noise */
void rp_site_gain(const struct rp_proc *p, const struct rp_site *s,
		  struct rp_gain *g);
const struct rp_thread *rp_thread_of(const struct rp_proc *p, int tid);

/* sites_out.c: syslet report --sites, --threads and --folded FILE. */
void rp_print_sites(const struct rp_report *r, size_t top, FILE *f);
void rp_print_threads(const struct rp_report *r, FILE *f);
int rp_write_folded(const struct rp_report *r, FILE *f);

/* stacks.c: the stacks of blocked time that --folded writes and
 * --flamegraph draws.  A stack's levels, root first: the command, the
 * site's frames from the outermost in, the system call. */
#define RP_STACK_MAX (SR_FRAMES + 2)
#define RP_NAME_LEN (RP_STR_MAX + 32) /* a level's name: "module+0xOFF" */
struct rp_stack {
	const struct rp_proc *p;
	const struct rp_site *s;
	uint64_t us;	    /* microseconds blocked, rounded; never 0 */
	unsigned int depth; /* levels, at most RP_STACK_MAX */
};
/* Every site with a microsecond blocked or more, in the report's order,
 * to @fn; stops at, and returns, the first nonzero return of @fn. */
int rp_each_stack(const struct rp_report *r,
		  int (*fn)(const struct rp_stack *st, void *arg), void *arg);
/* Level @i's name, cleaned, in @buf (RP_NAME_LEN bytes) or a constant;
 * its frame (NULL for the command and the call). */
const char *rp_stack_name(const struct rp_stack *st, unsigned int i, char *buf);
const struct rp_frame *rp_stack_frame(const struct rp_stack *st,
				      unsigned int i);
/* "func", else "module+0xOFF", else "0xADDR", cleaned, in @buf
 * (RP_NAME_LEN bytes).  rp_clean(): at most @max bytes of @s into @buf,
 * control bytes as '?' and ';' as ':'.  rp_base(): a path's last part. */
const char *rp_frame_name(const struct rp_frame *fr, char *buf);
const char *rp_clean(const char *s, size_t max, char *buf, size_t len);
const char *rp_base(const char *path);

/* flame.c: syslet report --flamegraph FILE, an SVG of those stacks;
 * xml.c: text into XML, escaped, valid UTF-8. */
int rp_write_flamegraph(const struct rp_report *r, FILE *f);
bool rp_xml_put(const char *s, size_t max, FILE *f);
size_t rp_xml_chars(const char *s);

/* report_json.c: @argv the program's; @status waitpid()'s.
 * rp_json_top() is the common part (schema ... processes), to which a
 * caller adds its own fields before rp_json_put() writes and frees it. */
int rp_write_json(const struct rp_report *r, int fd, char **argv, int status,
		  const uint64_t *observed);
struct json_object *rp_json_top(const struct rp_report *r);
int rp_json_put(struct json_object *top, int fd);

/* report_table.c: rows ordered by enum rp_sort, at most @top (0: all). */
enum rp_sort { RP_BY_BLOCKED, RP_BY_CALLS, RP_BY_WOULD_BLOCK, RP_BY_NAME };
struct rp_row {
	int nr;
	const struct sr_entry *e;
};
void rp_sum(const struct rp_report *r, struct sr_entry *sum /* [SR_NR_MAX] */);
const char *rp_name(int nr, char *buf, size_t len);
/* "on", "off (EPERM)": a process's backstop (rp_proc.backstop != 0). */
const char *rp_backstop(const struct rp_proc *p);
/* One line per process whose caught calls ran natively, to @f. */
void rp_print_backstop_off(const struct rp_report *r, FILE *f);
size_t rp_rows(const struct sr_entry *e, struct rp_row *rows, enum rp_sort by);
void rp_print_table(const struct sr_entry *e, enum rp_sort by, size_t top,
		    FILE *f);
void rp_write_table(const struct rp_report *r, FILE *f);

/* report_parse.c: a JSON report from memory, every field checked, its
 * processes appended to @r.  0, or -1 with a reason in @why.  @src, if
 * not NULL, gets the report's argv and exit ({"argv":..., "exit":...}). */
struct json_object;
/* Most bytes a report may have (json-c takes an int length; a report of
 * this size is about 250,000 call entries and takes some GiB to parse). */
#define RP_MAX_FILE (256u << 20)
#define RP_MAX_FILE_TEXT "larger than 256 MiB"
int rp_parse(struct rp_report *r, const char *buf, size_t len,
	     struct json_object **src, char *why, size_t whylen);
/* report_file.c: the same from a file. */
int rp_load(struct rp_report *r, const char *path, struct json_object **src,
	    char *why, size_t whylen);
/* The text of the regular file @path, NUL-terminated, in *@text (to
 * free()), its length in *@size; never waits for a FIFO or reads a device,
 * reads at most RP_MAX_FILE + 1 bytes and stops at the first NUL byte
 * (neither can be JSON).  0, or -1 with a reason in @why. */
int rp_read_file(const char *path, char **text, size_t *size, char *why,
		 size_t whylen);

/* How 'syslet report' prints its tables (--format). */
enum rp_format { RP_FORMAT_TABLE, RP_FORMAT_CSV, RP_FORMAT_JSON };

/* report_compare.c: @files the two names, for the heading.  rp_pairs()
 * makes the rows, one per call either made, largest change first, and
 * sums each side into *@ta and *@tb; returns how many. */
struct rp_pair {
	int nr;
	const struct sr_entry *a, *b;
};
size_t rp_pairs(const struct sr_entry *sa, const struct sr_entry *sb,
		struct rp_pair *rows, struct sr_entry *ta, struct sr_entry *tb);
int rp_compare(const struct rp_report *a, const struct rp_report *b,
	       char **files, size_t top, enum rp_format fmt, FILE *f);

/* format.c: the tables of 'syslet report' as CSV or JSON
 * (doc/report-schema.md, "Tables"): every process merged, or one table per
 * process; @nfiles read.  The comparison's rows from rp_compare(). */
int rp_format_tables(const struct rp_report *r, bool per_process,
		     enum rp_sort by, size_t top, int nfiles,
		     enum rp_format fmt, FILE *f);
void rp_compare_format(const struct rp_report *a, const struct rp_report *b,
		       char **files, const struct rp_pair *rows, size_t n,
		       const struct sr_entry *ta, const struct sr_entry *tb,
		       enum rp_format fmt, FILE *f);

/* report_png.c: the histograms of the @top calls most blocked, to @fd. */
int rp_write_png(const struct rp_report *r, int fd, size_t top, bool log_scale);

/* report_file.c: output files.  "-", /dev/stdout, /dev/stderr and
 * /dev/null are streams (rp_output_stream()); any other path a regular
 * file of ours, never a symbolic link. */
#define RP_OUT_NULL (-2)
int rp_output_stream(const char *path);
int rp_check_output(const char *path);
int rp_open_output(const char *path);
char *rp_make_dir(void);
void rp_remove_dir(const char *dir);

#endif
