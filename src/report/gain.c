// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What making one call site asynchronous could gain (doc/report-schema.md,
 * "The gain").
 *
 * Only a site on an event-loop thread is a candidate: there a call that
 * blocks stops every connection the loop serves, where on a thread of its
 * own it stops only that thread, which other threads already overlap.  A
 * loop's own wait is its idle time, never a candidate.
 *
 * A loop thread's busy time (its wall time less its idle waits) is what
 * bounds what it serves once it is saturated.  Made asynchronous, the
 * site's calls run on helpers while the loop goes on, so their blocked
 * time on loop threads is freed: at saturation the loop then serves
 * busy / (busy - freed) times as much.  Below saturation the same time
 * comes off the latency of the requests that made the call, and the
 * speedup is a bound.  Assumed: the calls can overlap (the device or the
 * peer serves several at once) and a completion costs the loop little.
 */
#define _GNU_SOURCE
#include <string.h>

#include "report.h"

const struct rp_thread *rp_thread_of(const struct rp_proc *p, int tid)
{
	size_t i;

	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].tid == tid)
			return &p->thr[i];
	return 0;
}

void rp_site_gain(const struct rp_proc *p, const struct rp_site *s,
		  struct rp_gain *g)
{
	uint64_t idle = 0;
	unsigned int i;

	memset(g, 0, sizeof(*g));
	if (sr_is_wait((unsigned int)s->nr) || !s->loop_blocked_ns)
		return;
	for (i = 0; i < s->ntids; i++) {
		const struct rp_thread *t = rp_thread_of(p, s->tids[i]);

		if (!t || !t->event_loop)
			continue;
		g->wall_ns += t->wall_ns;
		idle += t->idle_ns < t->wall_ns ? t->idle_ns : t->wall_ns;
	}
	if (!g->wall_ns)
		return; /* the loop threads' slots were not kept */
	g->candidate = true;
	g->freed_ns = s->loop_blocked_ns;
	g->busy_ns = g->wall_ns - idle;
	g->share = (double)g->freed_ns / (double)g->wall_ns;
	if (g->share > 1.0)
		g->share = 1.0;
	if (g->busy_ns > g->freed_ns &&
	    (double)g->busy_ns / (double)(g->busy_ns - g->freed_ns) <
		    RP_SPEEDUP_MAX)
		g->speedup =
			(double)g->busy_ns / (double)(g->busy_ns - g->freed_ns);
	else
		g->speedup = RP_SPEEDUP_MAX;
}
