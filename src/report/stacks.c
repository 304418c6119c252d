// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The stacks of blocked time, one per call site that blocked: the walk
 * --folded writes (sites_out.c) and --flamegraph draws (flame.c), so that
 * both show the same stacks, the same names and the same microseconds.
 *
 * Names come from the files read: any byte may be in them, so control
 * bytes become '?', and ';' (the folded format's separator) ':'.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "report.h"

const char *rp_clean(const char *s, size_t max, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i < max && i + 1 < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		buf[i] = ch < 0x20 || ch == 0x7f ? '?' : ch == ';' ? ':' : ch;
	}
	buf[i] = 0;
	return buf;
}

const char *rp_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *rp_frame_name(const struct rp_frame *fr, char *buf)
{
	size_t n;

	if (fr->func)
		return rp_clean(fr->func, RP_STR_MAX, buf, RP_NAME_LEN);
	if (!fr->module) {
		snprintf(buf, RP_NAME_LEN, "0x%llx",
			 (unsigned long long)fr->offset);
		return buf;
	}
	rp_clean(rp_base(fr->module), RP_STR_MAX, buf, RP_NAME_LEN);
	n = strlen(buf);
	snprintf(buf + n, RP_NAME_LEN - n, "+0x%llx",
		 (unsigned long long)fr->offset);
	return buf;
}

const struct rp_frame *rp_stack_frame(const struct rp_stack *st, unsigned int i)
{
	if (!i || i + 1 >= st->depth)
		return 0;
	return &st->s->frame[st->depth - 2 - i];
}

const char *rp_stack_name(const struct rp_stack *st, unsigned int i, char *buf)
{
	const struct rp_frame *fr = rp_stack_frame(st, i);

	if (fr)
		return rp_frame_name(fr, buf);
	if (!i)
		return rp_clean(*st->p->comm ? st->p->comm : "?",
				sizeof(st->p->comm), buf, RP_NAME_LEN);
	return rp_name(st->s->nr, buf, RP_NAME_LEN);
}

int rp_each_stack(const struct rp_report *r,
		  int (*fn)(const struct rp_stack *st, void *arg), void *arg)
{
	struct rp_stack st;
	size_t i, k;
	int rc;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->procs[i].nsites; k++) {
			st.p = &r->procs[i];
			st.s = &st.p->sites[k];
			/* Rounded, without the overflow of adding 500. */
			st.us = st.s->blocked_ns / 1000 +
				(st.s->blocked_ns % 1000 >= 500);
			/* The reader keeps at most SR_FRAMES; a bound here
			 * all the same, for the arrays of RP_STACK_MAX. */
			st.depth = (st.s->nframes < SR_FRAMES ? st.s->nframes
							      : SR_FRAMES) +
				   2;
			if (!st.us)
				continue;
			rc = fn(&st, arg);
			if (rc)
				return rc;
		}
	return 0;
}
