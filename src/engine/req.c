// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A request's life, written once: taken from the context's free slots (or
 * a spare entry), indexed by its chain's head while in flight, waited for
 * by a SYSLET_SUBMIT_WAIT submitter, released.  What runs it is helper.c;
 * what posts its completion is cq.c.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static uint32_t hash_of(const struct syslet_ctx *ctx,
			const struct syslet_atom *head)
{
	uintptr_t p = (uintptr_t)head >> 3;

	return (uint32_t)((p * 0x9E3779B97F4A7C15ull) >> 32) & ctx->hash_mask;
}

void sl_hash_add_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	struct sl_req **b = &ctx->hash[hash_of(ctx, req->head)];

	req->hnext = *b;
	*b = req;
}

void sl_hash_del_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	struct sl_req **p = &ctx->hash[hash_of(ctx, req->head)];

	for (; *p; p = &(*p)->hnext)
		if (*p == req) {
			*p = req->hnext;
			req->hnext = 0;
			return;
		}
}

struct sl_req *sl_hash_find_locked(struct syslet_ctx *ctx,
				   const struct syslet_atom *head)
{
	struct sl_req *r = ctx->hash[hash_of(ctx, head)];

	while (r && r->head != head)
		r = r->hnext;
	return r;
}

void sl_req_release_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	struct sl_req **list = req->spare ? &ctx->spares : &ctx->free_reqs;

	req->state = SL_REQ_FREE;
	req->on_done = 0;
	req->owner = 0;
	req->next = *list;
	*list = req;
	__atomic_store_n(&ctx->inflight, ctx->inflight - 1, __ATOMIC_RELAXED);
}

struct sl_req *sl_req_take_locked(struct syslet_ctx *ctx, struct sl_req *spare)
{
	struct sl_req *req = ctx->free_reqs;

	if (req) {
		ctx->free_reqs = req->next;
	} else if (spare) {
		req = spare;
	} else {
		return 0;
	}
	__atomic_store_n(&ctx->inflight, ctx->inflight + 1, __ATOMIC_RELAXED);
	req->cancel = 0;
	req->tid = 0;
	req->ident = 0;
	req->refused = false;
	req->done = SL_DONE_NO;
	req->interrupt = 0;
	req->on_done = 0;
	req->owner = 0;
	req->last = 0;
	req->result = 0;
	req->helper = 0;
	return req;
}

void sl_req_queue_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	req->state = SL_REQ_QUEUED;
	sl_hash_add_locked(ctx, req);
}

bool sl_req_done_or_sleep(struct sl_req *req)
{
	uint32_t v = SL_DONE_NO;

	return !__atomic_compare_exchange_n(&req->done, &v, SL_DONE_SLEEPING,
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST) &&
	       v == SL_DONE_YES;
}

void sl_req_wait(struct sl_req *req, int yields)
{
	int i;

	for (i = 0; i < yields; i++) {
		if (__atomic_load_n(&req->done, __ATOMIC_ACQUIRE) ==
		    SL_DONE_YES)
			return;
		sched_yield();
	}
	while (!sl_req_done_or_sleep(req))
		sl_futex_wait(&req->done, SL_DONE_SLEEPING, 0);
}

void sl_req_finish(struct syslet_ctx *ctx, struct sl_req *req)
{
	sl_ctx_lock(ctx);
	sl_req_release_locked(ctx, req);
	sl_ctx_unlock(ctx);
}
