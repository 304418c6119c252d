// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report --sites (call sites by what making them asynchronous
 * could gain, gain.c, then by time blocked), --threads (idle in
 * an event loop's wait versus blocked in other calls) and --folded FILE
 * (the folded stacks flamegraph.pl, speedscope and inferno read: one
 * line a stack, "root;...;leaf VALUE", VALUE microseconds blocked; the
 * stacks and their names are stacks.c's, which --flamegraph draws too).
 *
 * Names come from the files read: any byte may be in them, so they are
 * printed cleaned (rp_clean(): control bytes as '?', ';' as ':').
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct ref {
	const struct rp_proc *p;
	const struct rp_site *s;
	struct rp_gain g;
};

/* Candidates by time freed, then the rest by time blocked. */
/*
 * Candidates that free at least RANK_SHARE of their loops' time first, by
 * time freed; the rest by time blocked.  A candidate that frees less
 * (nginx's access-log write, 0.3% x1.00) would otherwise rank above a
 * worker's seconds of blocking, though converting it gains nothing.
 */
#define RANK_SHARE 0.001

static bool ranks_first(const struct rp_gain *g)
{
	return g->candidate && g->share >= RANK_SHARE;
}

static int by_gain(const void *a, const void *b)
{
	const struct ref *rx = a, *ry = b;
	const struct rp_site *x = rx->s, *y = ry->s;

	if (ranks_first(&rx->g) != ranks_first(&ry->g))
		return ranks_first(&rx->g) ? -1 : 1;
	if (!ranks_first(&rx->g))
		goto blocked; /* among the rest, by what they blocked */
	if (rx->g.freed_ns != ry->g.freed_ns)
		return rx->g.freed_ns < ry->g.freed_ns ? 1 : -1;
blocked:
	if (x->blocked_ns != y->blocked_ns)
		return x->blocked_ns < y->blocked_ns ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->nr - y->nr;
}

static void put_clean(const char *s, size_t max, FILE *f)
{
	char buf[RP_NAME_LEN];

	fputs(rp_clean(s, max, buf, sizeof(buf)), f);
}

static void put_threads(const struct rp_proc *p, const struct rp_site *s,
			FILE *f)
{
	unsigned int i;

	for (i = 0; i < s->ntids; i++) {
		const struct rp_thread *t = rp_thread_of(p, s->tids[i]);

		fputs(i ? "," : "", f);
		put_clean(t && *t->name ? t->name : "?", 16, f);
		fprintf(f, "[%d]%s", s->tids[i], t && t->event_loop ? "*" : "");
	}
	if (!s->ntids)
		fputc('-', f);
}

/* "12.5% x1.14": share of the loops' wall time freed, and speedup. */
static void put_gain(const struct rp_gain *g, FILE *f)
{
	char buf[32];

	if (g->candidate && g->speedup >= RP_SPEEDUP_MAX)
		snprintf(buf, sizeof(buf), "%.1f%% x%.0f+", g->share * 100.0,
			 RP_SPEEDUP_MAX);
	else if (g->candidate)
		snprintf(buf, sizeof(buf), "%.1f%% x%.2f", g->share * 100.0,
			 g->speedup);
	else
		snprintf(buf, sizeof(buf), "-");
	fprintf(f, "%-13s ", buf);
}

/* The first frames of the program: "func (file:line) < caller ...". */
static void put_where(const struct rp_site *s, FILE *f)
{
	char buf[RP_NAME_LEN];
	unsigned int i;

	for (i = 0; i < s->nframes && i < 3; i++) {
		const struct rp_frame *fr = &s->frame[i];

		fputs(i ? " < " : "", f);
		fputs(rp_frame_name(fr, buf), f);
		if (fr->file) {
			fputs(" (", f);
			put_clean(rp_base(fr->file), RP_STR_MAX, f);
			fprintf(f, ":%u)", fr->line);
		}
	}
}

static struct ref *refs(const struct rp_report *r, size_t *n)
{
	struct ref *v;
	size_t i, k, total = 0;

	for (i = 0; i < r->n; i++)
		total += r->procs[i].nsites;
	v = calloc(total ? total : 1, sizeof(*v));
	*n = 0;
	if (!v)
		return 0;
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->procs[i].nsites; k++) {
			v[*n].p = &r->procs[i];
			v[*n].s = &r->procs[i].sites[k];
			rp_site_gain(v[*n].p, v[*n].s, &v[*n].g);
			++*n;
		}
	qsort(v, *n, sizeof(*v), by_gain);
	return v;
}

void rp_print_sites(const struct rp_report *r, size_t top, FILE *f)
{
	size_t i, n;
	struct ref *v = refs(r, &n);
	char buf[32];

	if (!v) {
		fputs("out of memory\n", f);
		return;
	}
	fprintf(f, "%8s %12s %8s %8s %-16s %-13s %-24s %s\n", "pid", "seconds",
		"calls", "blocked", "syscall", "gain", "threads", "where");
	for (i = 0; i < n && (!top || i < top); i++) {
		fprintf(f, "%8d %12.6f %8llu %8llu %-16s ", v[i].p->pid,
			(double)v[i].s->blocked_ns / 1e9,
			(unsigned long long)v[i].s->calls,
			(unsigned long long)v[i].s->would_block,
			rp_name(v[i].s->nr, buf, sizeof(buf)));
		put_gain(&v[i].g, f);
		put_threads(v[i].p, v[i].s, f);
		fputs("  ", f);
		put_where(v[i].s, f);
		fputc('\n', f);
	}
	if (!n)
		fputs("(no call sites: a report of schema 1, or no counted "
		      "call blocked or was sampled)\n",
		      f);
	else
		fputs("(calls: those recorded, every one that blocked and one "
		      "in 64 of the others; *: an event-loop thread;\n"
		      " gain, for a call made on event loops: its blocked time "
		      "there, as a share of\n the loops' wall time, and how "
		      "many times as much the loops could serve\n when "
		      "saturated, were it asynchronous; -: not a candidate)\n",
		      f);
	free(v);
}

void rp_print_threads(const struct rp_report *r, FILE *f)
{
	size_t i, k, n = 0;

	fprintf(f, "%8s %8s %-16s %-10s %12s %12s %12s %10s\n", "pid", "tid",
		"name", "event-loop", "wall s", "idle-wait s", "blocked s",
		"calls");
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->procs[i].nthr; k++, n++) {
			const struct rp_thread *t = &r->procs[i].thr[k];

			fprintf(f, "%8d %8d ", r->procs[i].pid, t->tid);
			put_clean(t->name, 16, f);
			fprintf(f, "%*s %-10s %12.6f %12.6f %12.6f %10llu\n",
				(int)(17 - strnlen(t->name, 16)), "",
				t->event_loop ? "yes" : "no",
				(double)t->wall_ns / 1e9,
				(double)t->idle_ns / 1e9,
				(double)t->blocked_ns / 1e9,
				(unsigned long long)t->calls);
		}
	if (!n)
		fputs("(no threads: a report of schema 1?)\n", f);
}

/* "command;outermost;...;innermost;call MICROSECONDS" */
static int fold(const struct rp_stack *st, void *arg)
{
	FILE *f = arg;
	char buf[RP_NAME_LEN];
	unsigned int i;

	for (i = 0; i < st->depth; i++) {
		fputs(i ? ";" : "", f);
		fputs(rp_stack_name(st, i, buf), f);
	}
	fprintf(f, " %llu\n", (unsigned long long)st->us);
	return 0;
}

int rp_write_folded(const struct rp_report *r, FILE *f)
{
	rp_each_stack(r, fold, f);
	return ferror(f) ? -1 : 0;
}
