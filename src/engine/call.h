/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine's entry for the preload layer: one call, waited for by the
 * thread that made it, with the native call's signal behaviour.
 */
#ifndef SL_CALL_H
#define SL_CALL_H

#include <stdbool.h>
#include <stdint.h>

struct syslet_ctx;
struct sl_req;

enum sl_route {
	SL_ROUTE_NATIVE = 0, /* the caller makes the call itself */
	SL_ROUTE_NOWAIT,     /* try without blocking, else a helper */
	SL_ROUTE_HELPER,     /* always a helper */
};

enum sl_outcome {
	SL_CALL_INLINE,	    /* done on the caller by the non-blocking try */
	SL_CALL_WOULDBLOCK, /* (transient) the try would have blocked */
	SL_CALL_HELPER,	    /* done on a helper */
	SL_CALL_NATIVE,	    /* not done: the caller must make the call */
	SL_CALL_CANCELLED,  /* *interrupt was set: the call did not happen */
};

struct sl_call {
	int nr;
	long args[6];
	uint8_t route;		   /* enum sl_route */
	bool restart;		   /* native call restarts after SA_RESTART */
	volatile int *interrupt;   /* pthread_cancel() sets it, then calls
				      sl_call_kick() on *reqp */
	uint8_t outcome;	   /* out: enum sl_outcome */
	struct sl_req *volatile *reqp; /* out, while waiting: the request */
};

/*
 * Returns the call's result (-errno on failure), or 0 with outcome
 * SL_CALL_NATIVE.  Never changes errno.
 */
long sl_call(struct syslet_ctx *ctx, struct sl_call *c);

/* Wake the thread waiting in sl_call() on @req, to look at *interrupt. */
void sl_call_kick(struct sl_req *req);

/*
 * For the program's signal handlers, on the thread they interrupt; both
 * async-signal-safe.  sl_call_waiting(): the thread is inside sl_call(),
 * before or while it waits for a helper.  sl_call_signal(): a handler is
 * about to run.  Unless the kernel
 * will restart the wait (@sa_restart, and a call that restarts), the
 * helper's call is stopped and waited for first, so that the handler runs,
 * as natively, once the call can no longer take what the handler does (a
 * byte written to the pipe being read: the self-pipe trick).  sl_call()
 * then returns EINTR, or the call's result if it finished first.
 */
bool sl_call_waiting(void);
void sl_call_signal(bool sa_restart);

#endif
