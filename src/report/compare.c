// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report --compare A B: two runs side by side, one row per system
 * call either made, the largest change in time blocked first: what a
 * change of policy or program did to its calls.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "report.h"

static uint64_t change(const struct rp_pair *p)
{
	uint64_t x = p->a->blocked_ns, y = p->b->blocked_ns;

	return x > y ? x - y : y - x;
}

static int by_change(const void *x, const void *y)
{
	const struct rp_pair *p = x, *q = y;
	uint64_t cp = change(p), cq = change(q);
	char a[32], b[32];

	if (cp != cq)
		return cp > cq ? -1 : 1;
	return strcmp(rp_name(p->nr, a, sizeof(a)),
		      rp_name(q->nr, b, sizeof(b)));
}

static void row(FILE *f, const struct sr_entry *a, const struct sr_entry *b,
		const char *name)
{
	char ratio[32] = "-";

	if (a->blocked_ns)
		snprintf(ratio, sizeof(ratio), "%.2f",
			 (double)b->blocked_ns / (double)a->blocked_ns);
	fprintf(f, "%10llu %10llu %11llu %11llu %11.6f %11.6f %8s %s\n",
		(unsigned long long)a->calls, (unsigned long long)b->calls,
		(unsigned long long)a->would_block,
		(unsigned long long)b->would_block, (double)a->blocked_ns / 1e9,
		(double)b->blocked_ns / 1e9, ratio, name);
}

size_t rp_pairs(const struct sr_entry *sa, const struct sr_entry *sb,
		struct rp_pair *rows, struct sr_entry *ta, struct sr_entry *tb)
{
	size_t n = 0;
	int nr;

	memset(ta, 0, sizeof(*ta));
	memset(tb, 0, sizeof(*tb));
	for (nr = 0; nr < SR_NR_MAX; nr++) {
		if (!sa[nr].calls && !sb[nr].calls)
			continue;
		rows[n++] = (struct rp_pair){ nr, &sa[nr], &sb[nr] };
		rp_entry_add(ta, &sa[nr]);
		rp_entry_add(tb, &sb[nr]);
	}
	qsort(rows, n, sizeof(rows[0]), by_change);
	return n;
}

int rp_compare(const struct rp_report *a, const struct rp_report *b,
	       char **files, size_t top, enum rp_format fmt, FILE *f)
{
	struct sr_entry *sa = calloc(2 * SR_NR_MAX, sizeof(*sa)), *sb;
	struct sr_entry ta, tb;
	struct rp_pair rows[SR_NR_MAX];
	size_t i, n;
	char buf[32];

	if (!sa)
		return 125;
	sb = sa + SR_NR_MAX;
	rp_sum(a, sa);
	rp_sum(b, sb);
	n = rp_pairs(sa, sb, rows, &ta, &tb);
	if (top && n > top)
		n = top;
	if (fmt != RP_FORMAT_TABLE) {
		rp_compare_format(a, b, files, rows, n, &ta, &tb, fmt, f);
		free(sa);
		return 0;
	}
	fprintf(f, "A: %s (%zu process%s)\nB: %s (%zu process%s)\n\n", files[0],
		a->n, a->n == 1 ? "" : "es", files[1], b->n,
		b->n == 1 ? "" : "es");
	fprintf(f, "%10s %10s %11s %11s %11s %11s %8s %s\n", "calls A",
		"calls B", "w-block A", "w-block B", "seconds A", "seconds B",
		"B/A", "syscall");
	for (i = 0; i < n; i++)
		row(f, rows[i].a, rows[i].b,
		    rp_name(rows[i].nr, buf, sizeof(buf)));
	fputs("---------- ---------- ----------- ----------- ----------- "
	      "----------- -------- ----------------\n",
	      f);
	row(f, &ta, &tb, "total");
	free(sa);
	return 0;
}
