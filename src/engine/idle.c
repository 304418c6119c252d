// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Idle helpers: the per-CPU idle lists, the mailbox a helper waits on
 * (polling first, then a futex), its end after idle_timeout_ms above
 * min_helpers, and joining helpers that have ended.  helper.c hands calls
 * to them.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "internal.h"

void sl_idle_push_locked(struct syslet_ctx *ctx, struct sl_helper *h)
{
	int i = h->cpu >= 0 ? h->cpu : ctx->ncpu;

	h->next_idle = ctx->idle[i];
	ctx->idle[i] = h;
	h->idle = true;
}

void sl_idle_remove_locked(struct syslet_ctx *ctx, struct sl_helper *h)
{
	int i = h->cpu >= 0 ? h->cpu : ctx->ncpu;
	struct sl_helper **p;

	for (p = &ctx->idle[i]; *p; p = &(*p)->next_idle)
		if (*p == h) {
			*p = h->next_idle;
			break;
		}
	h->idle = false;
}

/* An idle helper of @cpu, else of no CPU, else of any CPU. */
struct sl_helper *sl_idle_pop_locked(struct syslet_ctx *ctx, int cpu)
{
	struct sl_helper *h = 0;
	int i;

	if (cpu >= 0 && cpu < ctx->ncpu && ctx->idle[cpu])
		h = ctx->idle[cpu];
	else if (ctx->idle[ctx->ncpu])
		h = ctx->idle[ctx->ncpu];
	else if (cpu >= 0 && cpu < ctx->ncpu &&
		 ctx->nhelpers < ctx->params.max_helpers)
		return 0; /* cheaper to start one here than to cross CPUs */
	for (i = 0; !h && i <= ctx->ncpu; i++)
		h = ctx->idle[i];
	if (h)
		sl_idle_remove_locked(ctx, h);
	return h;
}

void sl_helper_wake(struct sl_helper *h, uint32_t what)
{
	if (__atomic_exchange_n(&h->mbox, what, __ATOMIC_ACQ_REL) ==
	    SL_MBOX_SLEEP)
		sl_futex_wake(&h->mbox, 1);
}

/* Join helpers that have exited; called without the lock. */
void sl_helpers_reap(struct syslet_ctx *ctx)
{
	struct sl_helper *dead = 0, **p, *h;

	sl_ctx_lock(ctx);
	for (p = &ctx->helpers; *p;) {
		h = *p;
		if (h->exited) {
			*p = h->next_all;
			h->next_all = dead;
			dead = h;
		} else {
			p = &h->next_all;
		}
	}
	sl_ctx_unlock(ctx);
	while (dead) {
		h = dead;
		dead = h->next_all;
		pthread_join(h->thread, 0);
		free(h);
	}
}

/*
 * Idle: first poll the mailbox between yields, which on this kind of
 * machine makes a same-CPU hand-off cost two yields instead of a futex
 * wake and wait (measured 2.7 us against 4.3 us a round trip), and costs
 * no timer; then sleep, until work comes or idle_timeout_ms passes.
 *
 * The polling adapts.  A helper whose polls find nothing halves its
 * budget each time, down to none; it gets the whole spin_us back only
 * when work comes within spin_us of its going idle, where polling would
 * have caught it.  A server whose calls block now and then (PostgreSQL's
 * fdatasync, milliseconds apart) would otherwise pay spin_us of yields
 * after each of them, taking its own processes' CPU on a busy machine;
 * a stream of hand-offs (reading cold files) keeps the cheap path.
 */
static void spin_next(struct sl_helper *h, bool caught)
{
	uint32_t max = h->ctx->params.spin_us * 1000u;

	if (caught)
		h->spin_ns = max;
	else
		h->spin_ns = h->spin_ns / 2 < 1000 ? 0 : h->spin_ns / 2;
}

bool sl_idle_wait(struct sl_helper *h)
{
	struct syslet_ctx *ctx = h->ctx;
	int64_t start = sl_now_ns(), until = start + h->spin_ns;
	int64_t window = (int64_t)ctx->params.spin_us * 1000;
	struct timespec idle = {
		.tv_sec = ctx->params.idle_timeout_ms / 1000,
		.tv_nsec = (ctx->params.idle_timeout_ms % 1000) * 1000000L,
	};
	uint32_t m = SL_MBOX_SPIN;

	while (h->spin_ns) {
		m = __atomic_load_n(&h->mbox, __ATOMIC_ACQUIRE);
		if (m != SL_MBOX_SPIN) {
			spin_next(h, true);
			return m == SL_MBOX_WORK;
		}
		if (sl_now_ns() >= until || !sl_yield())
			break;
	}
	if (!__atomic_compare_exchange_n(&h->mbox, &m, SL_MBOX_SLEEP, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		spin_next(h, true);
		return m == SL_MBOX_WORK;
	}
	spin_next(h, false);
	for (;;) {
		m = __atomic_load_n(&h->mbox, __ATOMIC_ACQUIRE);
		if (m != SL_MBOX_SLEEP) {
			/* Soon enough that polling would have caught it. */
			if (sl_now_ns() - start < window)
				spin_next(h, true);
			return m == SL_MBOX_WORK;
		}
		if (sl_futex_wait(&h->mbox, SL_MBOX_SLEEP, &idle) != -ETIMEDOUT)
			continue;
		sl_ctx_lock(ctx);
		if (h->idle && ctx->nhelpers > ctx->params.min_helpers) {
			sl_idle_remove_locked(ctx, h);
			sl_ctx_unlock(ctx);
			return false;
		}
		sl_ctx_unlock(ctx);
	}
}

/* syslet_ctx_destroy(): every request is finished; stop and join all. */
void sl_helper_stop_all(struct syslet_ctx *ctx)
{
	struct sl_helper *h;
	int i;

	sl_ctx_lock(ctx);
	for (i = 0; i <= ctx->ncpu; i++)
		while ((h = ctx->idle[i])) {
			sl_idle_remove_locked(ctx, h);
			sl_helper_wake(h, SL_MBOX_EXIT);
		}
	while (ctx->nhelpers) {
		uint32_t seq = ctx->exit_seq;

		sl_ctx_unlock(ctx);
		sl_futex_wait(&ctx->exit_seq, seq, 0);
		sl_ctx_lock(ctx);
		/* A helper that went idle after the sweep above. */
		for (i = 0; i <= ctx->ncpu; i++)
			while ((h = ctx->idle[i])) {
				sl_idle_remove_locked(ctx, h);
				sl_helper_wake(h, SL_MBOX_EXIT);
			}
	}
	sl_ctx_unlock(ctx);
	sl_helpers_reap(ctx);
}
