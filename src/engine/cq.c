// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Completions: the completion ring, the eventfd, and
 * syslet_reap()/syslet_wait().
 *
 * A request keeps its slot until its completion is reaped, so the ring
 * holds at most queue_depth entries, plus the spare entries of CQE_ALWAYS
 * chains that ran on their submitter while the last slot went to another
 * chain (submit.c); being a list, it never overflows.  The eventfd is
 * readable exactly while the ring is not empty (it is written on the
 * empty -> non-empty edge and read back on the way to empty, both under
 * the lock); until the program has asked for it, nobody can be polling it,
 * and it is not written at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#include "internal.h"

static void efd_write_locked(struct syslet_ctx *ctx)
{
	uint64_t one = 1;

	if (ctx->efd_armed && !ctx->efd_signaled && ctx->efd >= 0) {
		ctx->efd_signaled = true;
		sl_sys3(SYS_write, ctx->efd, &one, sizeof(one));
	}
}

static void efd_read_locked(struct syslet_ctx *ctx)
{
	uint64_t v;

	if (ctx->efd_signaled && !ctx->cq_head) {
		ctx->efd_signaled = false;
		sl_sys3(SYS_read, ctx->efd, &v, sizeof(v));
	}
}

/* A finished request that neither the backstop nor a waiting submitter
 * takes: its entry joins the ring, and the program is told. */
void sl_cq_post_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	req->state = SL_REQ_COMPLETED;
	req->next = 0;
	if (ctx->cq_tail)
		ctx->cq_tail->next = req;
	else
		ctx->cq_head = req;
	ctx->cq_tail = req;
	ctx->cq_count++;
	__atomic_store_n(&ctx->cq_seq, ctx->cq_seq + 1, __ATOMIC_RELEASE);
	efd_write_locked(ctx);
	if (ctx->cq_waiters)
		sl_futex_wake(&ctx->cq_seq, INT32_MAX);
}

static unsigned int reap_locked(struct syslet_ctx *ctx,
				struct syslet_completion *cqes, unsigned int nr)
{
	unsigned int n = 0;

	while (n < nr && ctx->cq_head) {
		struct sl_req *req = ctx->cq_head;

		ctx->cq_head = req->next;
		if (!ctx->cq_head)
			ctx->cq_tail = 0;
		ctx->cq_count--;
		cqes[n].head = req->head;
		cqes[n].last = req->last;
		cqes[n].result = req->result;
		cqes[n].user_data = req->head->user_data;
		n++;
		sl_req_release_locked(ctx, req);
	}
	efd_read_locked(ctx);
	return n;
}

SYSLET_API int syslet_reap(struct syslet_ctx *ctx,
			   struct syslet_completion *cqes, unsigned int nr)
{
	unsigned int n;

	if (!ctx || !cqes || !nr)
		return -EINVAL;
	if (nr > INT32_MAX)
		nr = INT32_MAX;
	sl_ctx_lock(ctx);
	n = reap_locked(ctx, cqes, nr);
	sl_ctx_unlock(ctx);
	return (int)n;
}

SYSLET_API int syslet_wait(struct syslet_ctx *ctx,
			   struct syslet_completion *cqes, unsigned int nr,
			   unsigned int min_complete,
			   const struct timespec *timeout)
{
	int64_t deadline = 0;
	unsigned int got = 0;
	int yields = 0;

	if (!ctx || !cqes || !nr || min_complete > nr)
		return -EINVAL;
	if (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
			timeout->tv_nsec >= 1000000000))
		return -EINVAL;
	if (nr > INT32_MAX)
		nr = INT32_MAX;
	if (timeout)
		deadline = sl_now_ns() + (int64_t)timeout->tv_sec * 1000000000 +
			   timeout->tv_nsec;
	for (;;) {
		struct timespec rel, *relp = 0;
		uint32_t seq;
		int rc;

		sl_ctx_lock(ctx);
		got += reap_locked(ctx, cqes + got, nr - got);
		if (got >= min_complete || got == nr) {
			sl_ctx_unlock(ctx);
			return (int)got;
		}
		if (yields < SL_WAIT_YIELDS &&
		    __atomic_load_n(&ctx->inflight, __ATOMIC_RELAXED) > got) {
			sl_ctx_unlock(ctx);
			yields++;
			if (!sl_yield())
				yields = SL_WAIT_YIELDS;
			continue;
		}
		seq = ctx->cq_seq;
		ctx->cq_waiters++;
		sl_ctx_unlock(ctx);

		if (timeout) {
			int64_t left = deadline - sl_now_ns();

			if (left < 0)
				left = 0;
			rel.tv_sec = left / 1000000000;
			rel.tv_nsec = left % 1000000000;
			relp = &rel;
		}
		rc = (relp && !relp->tv_sec && !relp->tv_nsec)
			     ? -ETIMEDOUT
			     : sl_futex_wait(&ctx->cq_seq, seq, relp);

		sl_ctx_lock(ctx);
		ctx->cq_waiters--;
		if (rc == -ETIMEDOUT || rc == -EINTR) {
			got += reap_locked(ctx, cqes + got, nr - got);
			sl_ctx_unlock(ctx);
			if (got)
				return (int)got;
			return rc == -EINTR ? -EINTR : -ETIME;
		}
		sl_ctx_unlock(ctx);
	}
}
