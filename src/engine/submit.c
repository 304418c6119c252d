// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet_submit(): run a chain on the caller while its calls do not block,
 * and hand the rest to a helper at the first one that would.
 *
 * This is the hot path of a cached read: it takes no lock and makes no
 * system call of its own unless something is in flight, a call blocks, or
 * SYSLET_SUBMIT_CQE_ALWAYS asks for a completion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "internal.h"

struct sl_exec {
	struct syslet_atom *head;
	struct syslet_atom *cur;
	long args[6];
	bool have_args;
	struct sl_rw rw;
	unsigned int sflags;
};

/*
 * Hand @x to a helper.  Returns SYSLET_QUEUED, SYSLET_DONE (the chain was
 * waited for), or -EAGAIN if the caller must run it itself.
 */
static int handoff(struct syslet_ctx *ctx, struct sl_exec *x, bool want_tid)
{
	const struct sl_ident *ident;
	struct sl_req *req;
	int rc, saved = errno;
	bool refused;

	/* A vfork() or raw clone() child must not use its parent's helpers. */
	if (sl_sys0(SYS_getpid) != ctx->owner_pid)
		return -EAGAIN;
	/* Nor may a helper act as whom it cannot (ident.h). */
	ident = sl_ident_self(sl_ident_tracked ||
			      (ctx->params.flags & SYSLET_CTX_IDENT_NOTIFY));
	if (!ident)
		return -EAGAIN;
	sl_ctx_lock(ctx);
	req = ctx->closing ? 0 : sl_req_take_locked(ctx, 0);
	if (!req) {
		sl_ctx_unlock(ctx);
		return -EAGAIN;
	}
	req->head = x->head;
	req->cur = x->cur;
	memcpy(req->args, x->args, sizeof(req->args));
	req->have_args = x->have_args;
	req->rw = x->rw;
	req->sflags = x->sflags;
	req->tid = want_tid ? (pid_t)sl_sys0(SYS_gettid) : 0;
	req->ident = ident;
	sl_req_queue_locked(ctx, req);
	rc = sl_helper_dispatch(ctx, req); /* unlocks */
	errno = saved;
	if (rc)
		return rc;
	if (!(x->sflags & SYSLET_SUBMIT_WAIT))
		return SYSLET_QUEUED;
	sl_req_wait(req, SL_WAIT_YIELDS);
	/* The helper could not act as us and ran nothing: we run it. */
	refused = req->refused;
	sl_req_finish(ctx, req);
	return refused ? -EAGAIN : SYSLET_DONE;
}

/*
 * SYSLET_SUBMIT_CQE_ALWAYS: a chain that runs here must be able to post its
 * completion when it ends, even if every slot has gone to other chains
 * meanwhile: reported as -EBUSY after it ran, it would be submitted again
 * and run twice.  So before anything runs it takes a spare entry, used
 * only if no slot is free at the end.  (It does not hold a slot instead:
 * it may block here for long, and other chains need the slot meanwhile.)
 * Returns 0, or -EBUSY, with nothing run, if @head is in flight, every
 * slot is taken, or no spare can be had.
 */
static int spare_get(struct syslet_ctx *ctx, const struct syslet_atom *head,
		     struct sl_req **sparep)
{
	struct sl_req *req = 0;
	int saved = errno;

	sl_ctx_lock(ctx);
	if (sl_hash_find_locked(ctx, head) || !ctx->free_reqs) {
		sl_ctx_unlock(ctx);
		return -EBUSY;
	}
	req = ctx->spares;
	if (req)
		ctx->spares = req->next;
	sl_ctx_unlock(ctx);
	if (!req) {
		req = calloc(1, sizeof(*req));
		errno = saved;
		if (!req)
			return -EBUSY;
		req->ctx = ctx;
		req->spare = true;
		sl_ctx_lock(ctx);
		req->snext = ctx->spares_all;
		ctx->spares_all = req;
		sl_ctx_unlock(ctx);
	}
	*sparep = req;
	return 0;
}

static void spare_put_locked(struct syslet_ctx *ctx, struct sl_req *spare)
{
	spare->next = ctx->spares;
	ctx->spares = spare;
}

/* Post a completion for a chain that ended on the caller. */
static int post_inline(struct syslet_ctx *ctx, struct sl_exec *x,
		       struct sl_req *spare, struct syslet_atom *last,
		       long result)
{
	struct sl_req *req;

	sl_ctx_lock(ctx);
	req = sl_req_take_locked(ctx, spare);
	if (req != spare)
		spare_put_locked(ctx, spare);
	req->head = x->head;
	req->sflags = x->sflags & ~SYSLET_SUBMIT_WAIT;
	req->last = last;
	req->result = result;
	sl_hash_add_locked(ctx, req);
	sl_complete_locked(ctx, req);
	sl_ctx_unlock(ctx);
	return SYSLET_DONE;
}

/* The chain went to a helper, which posts its completion in a slot. */
static int spare_done(struct syslet_ctx *ctx, struct sl_req *spare, int rc)
{
	if (spare) {
		sl_ctx_lock(ctx);
		spare_put_locked(ctx, spare);
		sl_ctx_unlock(ctx);
	}
	return rc;
}

static bool in_flight(struct syslet_ctx *ctx, const struct syslet_atom *head)
{
	bool found;

	if (!__atomic_load_n(&ctx->inflight, __ATOMIC_RELAXED))
		return false;
	sl_ctx_lock(ctx);
	found = sl_hash_find_locked(ctx, head) != 0;
	sl_ctx_unlock(ctx);
	return found;
}

SYSLET_API int syslet_submit(struct syslet_ctx *ctx, struct syslet_atom *head,
			     unsigned int flags)
{
	struct sl_exec x;
	struct sl_walk w;
	struct syslet_atom *a, *last = 0;
	struct sl_req *spare = 0;
	long ret = 0;
	bool home;
	int rc;

	if (!ctx || !head || (flags & ~SYSLET_SUBMIT_FLAGS_ALL))
		return -EINVAL;
	if ((flags & SYSLET_SUBMIT_WAIT) && (flags & SYSLET_SUBMIT_CQE_ALWAYS))
		return -EINVAL;
	rc = sl_chain_check(head, &w);
	if (rc)
		return rc;
	if (w.home && (w.async || (flags & SYSLET_SUBMIT_ASYNC)))
		return -EINVAL;
	if (flags & SYSLET_SUBMIT_CQE_ALWAYS) {
		rc = spare_get(ctx, head, &spare);
		if (rc)
			return rc;
	} else if (in_flight(ctx, head)) {
		return -EBUSY;
	}

	home = w.home;
	x.head = head;
	x.sflags = flags;
	for (a = head; a; a = sl_chain_next(a, ret)) {
		const struct sl_sysent *e = sl_sys(a->nr);
		bool forced = (a->flags & SYSLET_ASYNC) ||
			      (a == head && (flags & SYSLET_SUBMIT_ASYNC));

		x.cur = a;
		x.have_args = false;
		x.rw.op = SL_RW_NONE;
		x.rw.acc = 0;
		x.rw.skip = 0;
		if (!home && forced) {
			rc = handoff(ctx, &x, w.emulated);
			if (rc >= 0)
				return spare_done(ctx, spare, rc);
			home = true; /* no helper to be had: we run it */
		}
		sl_resolve_args(a, x.args);
		if (home || e->cls != SYSLET_CLASS_ANY) {
			ret = sl_sys6(a->nr, x.args[0], x.args[1], x.args[2],
				      x.args[3], x.args[4], x.args[5]);
		} else if (sl_nowait(a->nr, e, x.args, &x.rw, &ret)) {
			x.have_args = true;
			rc = handoff(ctx, &x, w.emulated);
			if (rc >= 0)
				return spare_done(ctx, spare, rc);
			home = true;
			ret = sl_finish_blocking(a->nr, x.args, &x.rw,
						 &(int){ 0 });
		}
		sl_store(a, ret);
		last = a;
	}
	if (spare)
		return post_inline(ctx, &x, spare, last, ret);
	return SYSLET_DONE;
}
