// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The report as a table in the manner of 'strace -c': one row per system
 * call, most time blocked first (or by calls, would-block, name), with
 * how many calls took each route (inline, helper, native, trapped by the
 * seccomp backstop).  Used by
 * 'syslet run --report' (every process merged) and by 'syslet report'.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <syslet.h>

#include "report.h"

static int cmp_u64(uint64_t x, uint64_t y)
{
	return x == y ? 0 : x > y ? -1 : 1; /* larger first */
}

static int by_name(const struct rp_row *a, const struct rp_row *b)
{
	char x[32], y[32];

	return strcmp(rp_name(a->nr, x, sizeof(x)),
		      rp_name(b->nr, y, sizeof(y)));
}

static int by_blocked(const struct rp_row *a, const struct rp_row *b)
{
	return cmp_u64(a->e->blocked_ns, b->e->blocked_ns);
}

static int by_calls(const struct rp_row *a, const struct rp_row *b)
{
	return cmp_u64(a->e->calls, b->e->calls);
}

static int by_would_block(const struct rp_row *a, const struct rp_row *b)
{
	return cmp_u64(a->e->would_block, b->e->would_block);
}

/* Each order's keys, first to last; ties end on the number. */
static int (*const order[][3])(const struct rp_row *, const struct rp_row *) = {
	[RP_BY_BLOCKED] = { by_blocked, by_calls, by_name },
	[RP_BY_CALLS] = { by_calls, by_blocked, by_name },
	[RP_BY_WOULD_BLOCK] = { by_would_block, by_blocked, by_name },
	[RP_BY_NAME] = { by_name, 0, 0 },
};

static enum rp_sort sort_key; /* qsort has no argument */

static int cmp_rows(const void *a, const void *b)
{
	const struct rp_row *x = a, *y = b;
	int i, c;

	for (i = 0; i < 3 && order[sort_key][i]; i++) {
		c = order[sort_key][i](x, y);
		if (c)
			return c;
	}
	return x->nr - y->nr;
}

const char *rp_name(int nr, char *buf, size_t len)
{
	const char *name = syslet_syscall_name(nr);

	if (name)
		return name;
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

void rp_sum(const struct rp_report *r, struct sr_entry *sum)
{
	size_t i;
	int nr;

	memset(sum, 0, SR_NR_MAX * sizeof(*sum));
	for (i = 0; i < r->n; i++)
		for (nr = 0; nr < SR_NR_MAX; nr++)
			rp_entry_add(&sum[nr], &r->procs[i].e[nr]);
}

/* The calls made at all, in order; returns how many. */
const char *rp_backstop(const struct rp_proc *p)
{
	static __thread char buf[48];
	const char *e;

	if (p->backstop != SR_BS_OFF)
		return "on";
	e = p->backstop_err > 0 ? strerrorname_np(p->backstop_err) : 0;
	if (!e)
		return "off";
	snprintf(buf, sizeof(buf), "off (%s)", e);
	return buf;
}

void rp_print_backstop_off(const struct rp_report *r, FILE *f)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct rp_proc *p = &r->procs[i];

		if (p->backstop == SR_BS_OFF)
			fprintf(f,
				"pid %d (%s): backstop %s here, so its caught "
				"calls ran natively, uncounted\n",
				p->pid,
				p->nimages ? p->images[p->nimages - 1] : "",
				rp_backstop(p));
	}
}

size_t rp_rows(const struct sr_entry *e, struct rp_row *rows, enum rp_sort by)
{
	size_t n = 0;
	int nr;

	for (nr = 0; nr < SR_NR_MAX; nr++) {
		if (!e[nr].calls)
			continue;
		rows[n].nr = nr;
		rows[n++].e = &e[nr];
	}
	sort_key = by;
	qsort(rows, n, sizeof(rows[0]), cmp_rows);
	return n;
}

static void line(FILE *f, double pct, const struct sr_entry *e,
		 const char *name)
{
	fprintf(f,
		"%7.2f %11.6f %10llu %11llu %10llu %10llu %10llu %10llu %s\n",
		pct, (double)e->blocked_ns / 1e9, (unsigned long long)e->calls,
		(unsigned long long)e->would_block,
		(unsigned long long)e->routes[SR_INLINE],
		(unsigned long long)e->routes[SR_HELPER],
		(unsigned long long)e->routes[SR_NATIVE],
		(unsigned long long)e->routes[SR_TRAPPED], name);
}

static void rule(FILE *f)
{
	fputs("------- ----------- ---------- ----------- ---------- "
	      "---------- ---------- ---------- ----------------\n",
	      f);
}

/* @e: [SR_NR_MAX].  The total is of every call, shown or not. */
void rp_print_table(const struct sr_entry *e, enum rp_sort by, size_t top,
		    FILE *f)
{
	struct rp_row rows[SR_NR_MAX];
	struct sr_entry total;
	size_t i, n;
	char buf[32];

	memset(&total, 0, sizeof(total));
	n = rp_rows(e, rows, by);
	for (i = 0; i < n; i++)
		rp_entry_add(&total, rows[i].e);
	fprintf(f, "%7s %11s %10s %11s %10s %10s %10s %10s %s\n", "% block",
		"seconds", "calls", "would-block", "inline", "helper", "native",
		"trapped", "syscall");
	rule(f);
	for (i = 0; i < n && (!top || i < top); i++) {
		double pct = total.blocked_ns
				     ? 100.0 * (double)rows[i].e->blocked_ns /
					       (double)total.blocked_ns
				     : 0;

		line(f, pct, rows[i].e, rp_name(rows[i].nr, buf, sizeof(buf)));
	}
	rule(f);
	line(f, total.blocked_ns ? 100.0 : 0, &total, "total");
	if (top && n > top)
		fprintf(f, "(%zu more system call%s in the total)\n", n - top,
			n - top == 1 ? "" : "s");
}

/* Every process merged. */
void rp_write_table(const struct rp_report *r, FILE *f)
{
	struct sr_entry *sum = calloc(SR_NR_MAX, sizeof(*sum));

	if (!sum) {
		fputs("syslet: out of memory for the table\n", f);
		return;
	}
	rp_sum(r, sum);
	rp_print_table(sum, RP_BY_BLOCKED, 0, f);
	fprintf(f, "(%zu process%s)\n", r->n, r->n == 1 ? "" : "es");
	rp_print_backstop_off(r, f);
	free(sum);
}
