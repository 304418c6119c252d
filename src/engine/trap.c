// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A call caught by the seccomp backstop (src/seccomp/listener.c), handed
 * to a helper.  Unlike sl_call(), nobody of ours waits for it: the program
 * thread that made it waits in the kernel for the listener's reply, so the
 * helper runs @on_done when the call ends, and that sends the reply.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"

/*
 * Returns 0 with *@reqp set (under the lock, so that a canceller that
 * takes the lock sees it), or -EAGAIN when no helper can take the call
 * now: nothing of it was done then, unless @rw says so.
 */
int sl_trap_dispatch(struct syslet_ctx *ctx, int nr, const long *args,
		     const struct sl_rw *rw,
		     void (*on_done)(struct syslet_ctx *, struct sl_req *),
		     void *owner, struct sl_req **reqp)
{
	struct sl_req *req;

	sl_ctx_lock(ctx);
	req = ctx->free_reqs;
	if (!req || ctx->closing) {
		sl_ctx_unlock(ctx);
		return -EAGAIN;
	}
	ctx->free_reqs = req->next;
	__atomic_store_n(&ctx->inflight, ctx->inflight + 1, __ATOMIC_RELAXED);
	req->head = &req->call_atom;
	memset(&req->call_atom, 0, sizeof(req->call_atom));
	req->call_atom.nr = nr;
	req->cur = &req->call_atom;
	memcpy(req->args, args, sizeof(req->args));
	req->have_args = true;
	req->rw = *rw;
	/* No completion entry: a fork() child frees it (ctx.c). */
	req->sflags = SYSLET_SUBMIT_WAIT;
	req->cancel = 0;
	req->tid = 0;
	req->done = SL_DONE_NO;
	req->interrupt = 0;
	req->last = 0;
	req->result = 0;
	req->on_done = on_done;
	req->owner = owner;
	req->state = SL_REQ_QUEUED;
	sl_hash_add_locked(ctx, req);
	*reqp = req;
	if (sl_helper_dispatch(ctx, req)) { /* unlocks */
		*reqp = 0; /* released; never seen by a canceller: see below */
		return -EAGAIN;
	}
	return 0;
}
