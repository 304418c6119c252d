// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * How the shim runs one interposed call: the route the policy gives it,
 * the helper pool it may go to, and the thread's record through which
 * pthread_cancel() reaches a call waiting on a helper.  Then sl_call()
 * (src/engine/call.c) tries it, hands it off, waits like the native call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backstop/backstop.h"
#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

/* ------------------------------------------------------------------ */
/*
 * The routes this process uses, looked up on every call: a flat table made
 * from the policy at load time (policy.c), and changed once the backstop
 * is up.
 */
static unsigned char routes[SL_SYSTAB_MAX];

void shim_routes_init(void)
{
	int nr;

	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		routes[nr] = shim_policy_route(nr);
}

/* The backstop is up: its calls go to the C library, to be caught. */
void shim_routes_trap_native(void)
{
	int nr;

	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (shim_policy_traps(nr))
			routes[nr] = SL_ROUTE_NATIVE;
}

static inline unsigned char route_of(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return SL_ROUTE_NATIVE;
	return routes[nr];
}

/* ------------------------------------------------------------------ */
/*
 * The engine's context is made when the first call needs a helper, not at
 * load time: most processes (a shell running `true`) never need one, and
 * a context made before a fork would be thrown away in the child anyway.
 */
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

/* ------------------------------------------------------------------ */
/*
 * pthread_cancel() of a thread that waits for a helper.  glibc cancels a
 * blocked thread with a signal whose handler acts only inside glibc's own
 * system call stubs; our wait is a futex of the engine, which the kernel
 * restarts after that handler.  So pthread_cancel() is interposed: after
 * the real one has marked the thread, the thread's wait is woken, the
 * helper's call is cancelled (or its result kept if it finished first),
 * and the thread acts on the cancel at once, as it would have in read().
 */
struct shim_thread {
	volatile int interrupt;	     /* pthread_cancel() asked */
	struct sl_req *volatile req; /* the call it is waiting for */
	struct shim_thread *next;
	unsigned long self; /* pthread_self() */
	bool registered;
};

static __thread struct shim_thread self_rec
	__attribute__((tls_model("initial-exec")));
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_thread *reg_head;
static pthread_key_t reg_key;
static bool reg_ready;
static int (*real_pthread_cancel)(pthread_t);

static void unregister(void *p)
{
	struct shim_thread **pp, *t = p;
	sigset_t mask;

	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	for (pp = &reg_head; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&reg_lock);
	sl_sigs_on(&mask);
	t->registered = false;
}

static struct shim_thread *thread_self(void)
{
	struct shim_thread *t = &self_rec;
	sigset_t mask;

	if (__builtin_expect(t->registered, 1))
		return t;
	if (!reg_ready)
		return 0;
	t->self = (unsigned long)pthread_self();
	/* Until registered, a handler's call would register too. */
	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	t->next = reg_head;
	reg_head = t;
	pthread_mutex_unlock(&reg_lock);
	t->registered = true;
	sl_sigs_on(&mask);
	pthread_setspecific(reg_key, t); /* unregister at thread exit */
	return t;
}

/*
 * The thread's TID, from its CPU-time clock: the kernel's clock id of a
 * thread is ((~tid) << 3) | 6 (posix-cpu-timers), which glibc hands out.
 */
static pid_t tid_of(pthread_t th)
{
	clockid_t c;

	if (pthread_getcpuclockid(th, &c) || (c & 7) != 6)
		return 0;
	return (pid_t) ~(c >> 3);
}

SHIM_EXPORT int pthread_cancel(pthread_t th)
{
	struct shim_thread *t;
	pid_t tid = tid_of(th);
	sigset_t mask;
	int rc;

	/* A call of the thread's that the backstop caught: stopped first. */
	if (tid > 0)
		ss_listener_cancel(tid);
	rc = SHIM_REAL(real_pthread_cancel, "pthread_cancel")(th);

	if (rc)
		return rc;
	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	for (t = reg_head; t; t = t->next)
		if (t->self == (unsigned long)th) {
			struct sl_req *req = t->req;

			t->interrupt = 1;
			if (req)
				sl_call_kick(req);
			break;
		}
	pthread_mutex_unlock(&reg_lock);
	sl_sigs_on(&mask);
	return 0;
}

/* In a child of fork() only the forking thread exists. */
static void child(void)
{
	pthread_mutex_init(&reg_lock, 0);
	reg_head = 0;
	if (self_rec.registered) {
		self_rec.next = 0;
		self_rec.self = (unsigned long)pthread_self();
		self_rec.req = 0;
		reg_head = &self_rec;
	}
}

void shim_pcancel_init(void)
{
	if (pthread_key_create(&reg_key, unregister))
		return; /* no registry: cancels act when the call returns */
	pthread_atfork(0, 0, child);
	reg_ready = true;
}

/* ------------------------------------------------------------------ */
/* One call. */

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
	c.route = route_of(nr);
	if (c.route == SL_ROUTE_NATIVE)
		return SHIM_NATIVE;
	/* A pure wait is tried first only to count it as blocked (policy.c):
	 * with no report, it is made natively at once. */
	if (c.route == SL_ROUTE_HERE && !shim_stats_on)
		return SHIM_NATIVE;
	ctx = shim_get_ctx();
	if (!ctx)
		return SHIM_NATIVE;
	t = thread_self();
	c.nr = nr;
	memcpy(c.args, args, sizeof(c.args));
	c.restart = restart;
	c.interrupt = t ? &t->interrupt : 0;
	c.reqp = t ? &t->req : 0;
	r = sl_call(ctx, &c);
	*outcome = c.outcome;
	switch (c.outcome) {
	case SL_CALL_NATIVE:
	case SL_CALL_NATIVE_WAIT:
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

/* stats.c calls this back when reports are on: a circle on purpose, so
 * that with them off shim_run() costs one branch more. */
long shim_route(int nr, long *args, bool restart, uint8_t *outcome)
{
	return route(nr, args, restart, outcome);
}

long shim_run(int nr, long *args, bool restart)
{
	uint8_t outcome;

	if (__builtin_expect(shim_stats_on, 0))
		return shim_stats_run(nr, args, restart);
	return route(nr, args, restart, &outcome);
}
