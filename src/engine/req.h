/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A request's life, written once: taken from the context's free slots (or
 * a spare entry), indexed by its chain's head while in flight, run by a
 * helper (helper.c), ended (sl_complete_locked()), waited for by a
 * SYSLET_SUBMIT_WAIT submitter, released.  Small, and on every hand-off:
 * inline, rather than in a file that each hand-off would call into, and
 * that would call back into the files that hand off.
 *
 * sl_req_take_locked(): a free slot (else @spare, else NULL), counted in
 * flight, its bookkeeping reset; the caller fills in the chain, then
 * sl_req_queue_locked() indexes it as QUEUED.  A SUBMIT_WAIT submitter
 * waits with sl_req_wait() (after @yields yields) and gives it back with
 * sl_req_finish().  sl_req_done_or_sleep(): true if the request is done;
 * else the word says a waiter sleeps (futex on req->done,
 * SL_DONE_SLEEPING).
 *
 * Included at the end of internal.h, whose types it uses; never alone.
 */
#ifndef SL_REQ_H
#define SL_REQ_H

#ifndef SL_INTERNAL_H
#error "req.h is included by internal.h"
#endif

#include <string.h>

static inline uint32_t sl_hash_of(const struct syslet_ctx *ctx,
				  const struct syslet_atom *head)
{
	uintptr_t p = (uintptr_t)head >> 3;

	return (uint32_t)((p * 0x9E3779B97F4A7C15ull) >> 32) & ctx->hash_mask;
}

static inline void sl_hash_add_locked(struct syslet_ctx *ctx,
				      struct sl_req *req)
{
	struct sl_req **b = &ctx->hash[sl_hash_of(ctx, req->head)];

	req->hnext = *b;
	*b = req;
}

static inline void sl_hash_del_locked(struct syslet_ctx *ctx,
				      struct sl_req *req)
{
	struct sl_req **p = &ctx->hash[sl_hash_of(ctx, req->head)];

	for (; *p; p = &(*p)->hnext)
		if (*p == req) {
			*p = req->hnext;
			req->hnext = 0;
			return;
		}
}

static inline struct sl_req *sl_hash_find_locked(struct syslet_ctx *ctx,
						 const struct syslet_atom *head)
{
	struct sl_req *r = ctx->hash[sl_hash_of(ctx, head)];

	while (r && r->head != head)
		r = r->hnext;
	return r;
}

static inline void sl_req_release_locked(struct syslet_ctx *ctx,
					 struct sl_req *req)
{
	struct sl_req **list = req->spare ? &ctx->spares : &ctx->free_reqs;

	req->state = SL_REQ_FREE;
	req->on_done = 0;
	req->owner = 0;
	req->next = *list;
	*list = req;
	__atomic_store_n(&ctx->inflight, ctx->inflight - 1, __ATOMIC_RELAXED);
}

static inline struct sl_req *sl_req_take_locked(struct syslet_ctx *ctx,
						struct sl_req *spare)
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

static inline void sl_req_queue_locked(struct syslet_ctx *ctx,
				       struct sl_req *req)
{
	req->state = SL_REQ_QUEUED;
	sl_hash_add_locked(ctx, req);
}

/*
 * A request for one call @nr(@args), partly done as @rw says, waited for
 * by one thread (SUBMIT_WAIT: no completion entry; a fork() child frees
 * it, ctx.c), queued and in the in-flight index: the preload layer's
 * (call.c) and the backstop's (trap.c).  NULL if none is free.
 */
static inline struct sl_req *sl_req_one_locked(struct syslet_ctx *ctx, int nr,
					       const long *args,
					       const struct sl_rw *rw)
{
	struct sl_req *req = ctx->closing ? 0 : sl_req_take_locked(ctx, 0);

	if (!req)
		return 0;
	req->head = &req->call_atom;
	memset(&req->call_atom, 0, sizeof(req->call_atom));
	req->call_atom.nr = nr;
	req->cur = &req->call_atom;
	memcpy(req->args, args, sizeof(req->args));
	req->have_args = true;
	req->rw = *rw;
	req->sflags = SYSLET_SUBMIT_WAIT;
	sl_req_queue_locked(ctx, req);
	return req;
}

/* A trapped call (trap.c) ended or was cancelled.  The request goes
 * first, so that @on_done may take another (it runs under the lock). */
static inline void sl_trap_end_locked(struct syslet_ctx *ctx,
				      struct sl_req *req)
{
	void (*on_done)(void *, const struct sl_trap_end *) = req->on_done;
	void *owner = req->owner;
	struct sl_trap_end end = {
		.result = req->result,
		.cancelled = req->cancel && req->result == -ECANCELED,
		.refused = req->refused,
		.done = req->rw.op != SL_RW_NONE ? req->rw.acc : 0,
	};

	req->state = SL_REQ_DONE;
	sl_req_release_locked(ctx, req);
	on_done(owner, &end);
}

/*
 * The chain of @req has finished (req->last and req->result are set): out
 * of the index, and told to whoever waits for it: the backstop's callback
 * (trap.c), the one SUBMIT_WAIT thread, or the completion ring (cq.c).
 */
static inline void sl_complete_locked(struct syslet_ctx *ctx,
				      struct sl_req *req)
{
	sl_hash_del_locked(ctx, req);
	req->helper = 0;
	if (req->on_done) {
		sl_trap_end_locked(ctx, req);
	} else if (req->sflags & SYSLET_SUBMIT_WAIT) {
		req->state = SL_REQ_DONE;
		if (__atomic_exchange_n(&req->done, SL_DONE_YES,
					__ATOMIC_ACQ_REL) == SL_DONE_SLEEPING)
			sl_futex_wake(&req->done, 1);
	} else {
		sl_cq_post_locked(ctx, req);
	}
	if (ctx->closing) {
		__atomic_store_n(&ctx->exit_seq, ctx->exit_seq + 1,
				 __ATOMIC_RELEASE);
		sl_futex_wake(&ctx->exit_seq, INT32_MAX);
	}
}

static inline bool sl_req_done_or_sleep(struct sl_req *req)
{
	uint32_t v = SL_DONE_NO;

	return !__atomic_compare_exchange_n(&req->done, &v, SL_DONE_SLEEPING,
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST) &&
	       v == SL_DONE_YES;
}

static inline void sl_req_wait(struct sl_req *req, int yields)
{
	int i;

	for (i = 0; i < yields; i++) {
		if (__atomic_load_n(&req->done, __ATOMIC_ACQUIRE) ==
		    SL_DONE_YES)
			return;
		if (!sl_yield())
			break;
	}
	while (!sl_req_done_or_sleep(req))
		sl_futex_wait(&req->done, SL_DONE_SLEEPING, 0);
}

static inline void sl_req_finish(struct syslet_ctx *ctx, struct sl_req *req)
{
	sl_ctx_lock(ctx);
	sl_req_release_locked(ctx, req);
	sl_ctx_unlock(ctx);
}

#endif
