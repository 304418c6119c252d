// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Routing one interposed call.  The engine's context is made when the
 * first call needs a helper, not at load time: most processes (a shell
 * running `true`) never need one, and a context made before a fork would
 * be thrown away in the child anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../backstop/backstop.h"
#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

static struct syslet_ctx *shim_ctx;
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static bool ctx_failed;

struct syslet_ctx *shim_get_ctx(void)
{
	struct syslet_ctx *ctx = __atomic_load_n(&shim_ctx, __ATOMIC_ACQUIRE);
	struct syslet_params p;
	const char *sig;
	int saved = errno;
	sigset_t mask;

	if (ctx || ctx_failed)
		return ctx;
	sl_sigs_off(&mask);
	pthread_mutex_lock(&ctx_lock);
	if (!shim_ctx && !ctx_failed) {
		syslet_params_init(&p);
		shim_policy_params(&p); /* helper bounds */
		sig = getenv("SYSLET_CANCEL_SIGNAL");
		if (sig && *sig) {
			char *end;
			long v = strtol(sig, &end, 10);

			/* Not a number: say so, rather than use signal 0. */
			p.cancel_signal =
				*end || v <= 0 || v > 64 ? -1 : (int)v;
		}
		if (p.cancel_signal < 0) {
			ctx_failed = true;
			shim_warn(
				"SYSLET_CANCEL_SIGNAL is not a signal number");
		} else if (sl_ctx_create(&p, false, &ctx)) {
			ctx_failed = true;
			shim_warn("cannot create the helper pool");
		} else {
			__atomic_store_n(&shim_ctx, ctx, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&ctx_lock);
	sl_sigs_on(&mask);
	errno = saved; /* strtol() may have set it */
	return shim_ctx;
}

void shim_testcancel(void)
{
	/* glibc acts on a pending cancel at every cancellation point. */
	pthread_testcancel();
}

/* Inlined into both callers: reports off cost shim_run() one branch. */
static inline __attribute__((always_inline)) long
route(int nr, long *args, bool restart, uint8_t *outcome)
{
	struct sl_call c;
	struct shim_thread *t;
	struct syslet_ctx *ctx;
	long r;

	if (!shim_on)
		return SHIM_NATIVE;
	c.route = shim_route_of(nr);
	if (c.route == SL_ROUTE_NATIVE)
		return SHIM_NATIVE;
	ctx = shim_get_ctx();
	if (!ctx)
		return SHIM_NATIVE;
	t = shim_thread_self();
	c.nr = nr;
	memcpy(c.args, args, sizeof(c.args));
	c.restart = restart;
	c.interrupt = t ? &t->interrupt : 0;
	c.reqp = t ? &t->req : 0;
	r = sl_call(ctx, &c);
	*outcome = c.outcome;
	switch (c.outcome) {
	case SL_CALL_NATIVE:
		return SHIM_NATIVE;
	case SL_CALL_CANCELLED:
		/* pthread_cancel(): unwind as the native call would have. */
		t->interrupt = 0;
		pthread_testcancel();
		return -EINTR; /* cancel got disabled in between: as a signal */
	default:
		return r;
	}
}

long shim_route(int nr, long *args, bool restart, uint8_t *outcome)
{
	return route(nr, args, restart, outcome);
}

long shim_run(int nr, long *args, bool restart)
{
	uint8_t outcome;

	if (__builtin_expect(ss_listener_due != 0, 0))
		ss_backstop_due();
	if (__builtin_expect(shim_stats_on, 0))
		return shim_stats_run(nr, args, restart);
	return route(nr, args, restart, &outcome);
}
