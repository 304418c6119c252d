// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The syslet benchmark's targets.  Every target is a ratio of two medians
 * measured in the same run, never an absolute time: this machine's system
 * call cost itself varies several-fold between runs and machines, and
 * what is compared (io_uring, glibc AIO, the same-CPU ping-pongs) moves
 * with it.  A target is printed met or MISSED; nothing asserts it.
 *
 * --summary FILE: the same rows, for scripts/bench to put the quiet and
 * the contended run side by side, as lines of tab-separated fields:
 *     pass       quiet | contended
 *     hogs       N (CPU hogs, --contend)
 *     target     KEY  VALUE  met | MISSED  GOAL  WHAT
 *     info       KEY  VALUE  WHAT
 *     met        N
 *     missed     N
 *     disturbed  0 | 1 (some section saw other work: see DISTURBED)
 * KEY names the row, WHAT describes it, VALUE is as printed ("1.23x",
 * "4.56 us").  The file is written only once every section has run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "bench.h"

static FILE *summary;
static int met_count, missed_count;

void bench_summary_open(const char *path)
{
	summary = fopen(path, "we");
	BENCH_CHECK(summary != NULL, "--summary: cannot write %s", path);
}

/* @v as printed: two decimals, or two significant digits under 0.01. */
static void format_value(char *buf, size_t size, double v, const char *unit)
{
	snprintf(buf, size, v < 0.01 ? "%.2g%s" : "%.2f%s", v, unit);
}

/* @value against @limit: at most (@at_most) or at least; @goal says which. */
static void target(const char *key, const char *what, double value,
		   bool at_most, double limit, const char *goal)
{
	bool met = at_most ? value <= limit : value >= limit;
	char v[32];

	format_value(v, sizeof(v), value, "x");
	printf("  %-52s %-9s %10s  %s\n", what, goal, v,
	       met ? "met" : "MISSED");
	if (summary)
		fprintf(summary, "target\t%s\t%s\t%s\t%s\t%s\n", key, v,
			met ? "met" : "MISSED", goal, what);
	if (met)
		met_count++;
	else
		missed_count++;
}

/* A number printed for context, not a target: @unit is "x" or " us". */
static void info(const char *key, const char *what, double value,
		 const char *unit)
{
	char v[32];

	format_value(v, sizeof(v), value, unit);
	printf("  %-52s %-9s %10s\n", what, "(info)", v);
	if (summary)
		fprintf(summary, "info\t%s\t%s\t%s\n", key, v, what);
}

void bench_print_targets(void)
{
	const struct bench_results *r = &bench_results;

	printf("\nTargets, %s: ratios of medians measured in this run\n"
	       "(\"forced offload\": a pread with SUBMIT_ASYNC|SUBMIT_WAIT)\n",
	       bench_opts.contend ? "under contention" : "quiet");
	printf("  %-52s %-9s %10s\n", "target", "goal",
	       bench_opts.contend ? "contended" : "quiet");
	if (summary)
		fprintf(summary, "pass\t%s\nhogs\t%d\n",
			bench_opts.contend ? "contended" : "quiet", bench_hogs);
	if (r->have_pread) {
		double f = r->async_wait_us, reap = r->async_reap_us;

		target("inline_vs_pread", "inline hit / direct pread",
		       r->inline_us / r->direct_us, true, 1.15, "<= 1.15x");
		target("offload_vs_uring_async",
		       "forced offload faster than io_uring IOSQE_ASYNC by",
		       r->uring_async_us / f, false, 3.0, ">= 3x");
		target("offload_vs_aio",
		       "forced offload faster than glibc AIO by", r->aio_us / f,
		       false, 3.0, ">= 3x");
		target("offload_vs_yield",
		       "forced offload / sched_yield ping-pong, same CPU",
		       f / r->pp_yield_same_us, true, 1.3, "<= 1.3x");
		info("offload_vs_futex",
		     "forced offload / futex ping-pong, same CPU",
		     f / r->pp_futex_same_us, "x");
		info("reap_vs_uring_async",
		     "SUBMIT_ASYNC + syslet_wait: faster than IOSQE_ASYNC",
		     r->uring_async_us / reap, "x");
		info("reap_vs_aio",
		     "SUBMIT_ASYNC + syslet_wait: faster than glibc AIO",
		     r->aio_us / reap, "x");
		info("offload_us", "forced offload", f, " us");
		info("yield_us", "sched_yield ping-pong, same CPU",
		     r->pp_yield_same_us, " us");
		info("futex_us", "futex ping-pong, same CPU",
		     r->pp_futex_same_us, " us");
	}
	if (r->have_meta) {
		target("meta_vs_uring",
		       "metadata storm, libsyslet / io_uring (files/s)",
		       r->meta_syslet_ops / r->meta_uring_ops, false, 1.0,
		       ">= 1.0x");
		info("meta_async_vs_uring",
		     "metadata storm, SUBMIT_ASYNC / io_uring",
		     r->meta_syslet_async_ops / r->meta_uring_ops, "x");
	}
	if (r->have_direct) {
		char what[64];

		snprintf(what, sizeof(what),
			 "O_DIRECT QD%d, SUBMIT_ASYNC / io_uring (IOPS)",
			 bench_opts.depth);
		target("direct_vs_uring", what,
		       r->direct_syslet_async_iops / r->direct_uring_iops,
		       false, 0.9, ">= 0.9x");
		info("direct_inline_vs_uring",
		     "O_DIRECT, flags 0 (inline-first) / io_uring",
		     r->direct_syslet_iops / r->direct_uring_iops, "x");
	}
	printf("  %d met, %d missed\n", met_count, missed_count);
	if (summary) {
		fprintf(summary, "met\t%d\nmissed\t%d\ndisturbed\t%d\n",
			met_count, missed_count, bench_disturbed ? 1 : 0);
		BENCH_CHECK(fclose(summary) == 0, "--summary: write");
		summary = NULL;
	}
	if (bench_disturbed)
		printf("  NOTE: other work ran on this machine during at least "
		       "one section (see\n  \"DISTURBED\" above): compare "
		       "with a run on a quiet machine.\n");
}
