// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A call caught by the seccomp backstop (src/backstop/listener.c), handed
 * to a helper.  Unlike sl_call(), nobody of ours waits for it: the program
 * thread that made it waits in the kernel for the listener's reply, so the
 * helper runs @on_done when the call ends, and that sends the reply.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "internal.h"

/* engine.h.  Under the lock, so that a canceller that takes it sees it. */
int sl_trap_dispatch(struct syslet_ctx *ctx, int nr, const long *args,
		     const struct sl_rw *rw, const struct sl_ident *ident,
		     void (*on_done)(void *owner, const struct sl_trap_end *),
		     void *owner, struct sl_req **reqp)
{
	struct sl_req *req;

	sl_ctx_lock(ctx);
	req = sl_req_one_locked(ctx, nr, args, rw);
	if (!req) {
		sl_ctx_unlock(ctx);
		return -EAGAIN;
	}
	req->ident = ident;
	req->on_done = on_done;
	req->owner = owner;
	*reqp = req;
	if (sl_helper_dispatch(ctx, req)) { /* unlocks */
		*reqp = 0; /* released: a canceller checks req->owner first */
		return -EAGAIN;
	}
	return 0;
}

void sl_trap_cancel(struct syslet_ctx *ctx, struct sl_req *const *reqp,
		    void *owner)
{
	struct sl_req *req;

	sl_ctx_lock(ctx);
	req = *reqp;
	if (req && req->owner == owner &&
	    (req->state == SL_REQ_QUEUED || req->state == SL_REQ_RUNNING))
		sl_cancel_req_locked(ctx, req);
	sl_ctx_unlock(ctx);
}

bool sl_trap_queued(struct syslet_ctx *ctx, struct sl_req *const *reqp,
		    void *owner)
{
	struct sl_req *req;
	bool queued;

	sl_ctx_lock(ctx);
	req = *reqp;
	queued = req && req->owner == owner && req->state == SL_REQ_QUEUED &&
		 !(req->rw.op != SL_RW_NONE && req->rw.acc);
	sl_ctx_unlock(ctx);
	return queued;
}
