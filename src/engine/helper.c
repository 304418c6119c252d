// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helper threads: a call handed to one, and a helper's life.
 *
 * A helper has a home CPU and sleeps on its own futex word while idle, on
 * its CPU's idle list (idle.c).  A submitter hands its call to an idle
 * helper of the CPU it is running on, or starts one there: on a VM a
 * cross-CPU wake-up costs an IPI exit (12-23 us measured here) where a
 * same-CPU one costs a context switch (~2 us).  Helpers block every signal
 * but the cancel signal (which cancel.c may block for a while when idle,
 * see there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "internal.h"

#define SL_HELPER_STACK (256 * 1024)
#define SL_SPAWN_RETRY_NS 1000000000LL

static void give_locked(struct sl_helper *h, struct sl_req *req)
{
	req->state = SL_REQ_RUNNING;
	req->helper = h;
	h->req = req;
}

static void *helper_main(void *arg);

static int spawn(struct syslet_ctx *ctx, struct sl_helper *h)
{
	pthread_attr_t attr;
	sigset_t all;
	cpu_set_t set;
	int rc;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setstacksize(&attr, SL_HELPER_STACK);
	sigfillset(&all);
	pthread_attr_setsigmask_np(&attr, &all);
	if (h->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(h->cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	rc = pthread_create(&h->thread, &attr, helper_main, h);
	if (rc == EINVAL && h->cpu >= 0) {
		/* The CPU is outside our cpuset: do without a home. */
		pthread_attr_destroy(&attr);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, SL_HELPER_STACK);
		pthread_attr_setsigmask_np(&attr, &all);
		h->cpu = -1;
		rc = pthread_create(&h->thread, &attr, helper_main, h);
	}
	pthread_attr_destroy(&attr);
	return -rc;
}

static void pend_push_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	req->state = SL_REQ_QUEUED;
	req->helper = 0;
	req->next = 0;
	if (ctx->pend_tail)
		ctx->pend_tail->next = req;
	else
		ctx->pend_head = req;
	ctx->pend_tail = req;
}

static void unlink_helper_locked(struct syslet_ctx *ctx, struct sl_helper *h)
{
	struct sl_helper **p;

	for (p = &ctx->helpers; *p; p = &(*p)->next_all)
		if (*p == h) {
			*p = h->next_all;
			return;
		}
}

/*
 * Start a helper with home @cpu (or none: -1) that runs @req first, or,
 * with none, takes the queue's first request or goes idle.  Called with
 * the lock held; returns with it released: 0, or -errno with nothing of
 * the helper left and @req untouched.
 */
static int start_unlock(struct syslet_ctx *ctx, int cpu, struct sl_req *req)
{
	struct sl_helper *h = calloc(1, sizeof(*h));
	int rc;

	if (!h) {
		sl_ctx_unlock(ctx);
		return -ENOMEM;
	}
	h->ctx = ctx;
	h->cpu = cpu >= 0 && cpu < ctx->ncpu ? cpu : -1;
	h->spin_ns = ctx->params.spin_us * 1000u;
	if (req)
		give_locked(h, req);
	h->next_all = ctx->helpers;
	ctx->helpers = h;
	ctx->nhelpers++;
	sl_ctx_unlock(ctx);

	rc = spawn(ctx, h);
	if (rc == 0) {
		sl_helpers_reap(ctx);
		return 0;
	}
	sl_ctx_lock(ctx);
	ctx->nhelpers--;
	unlink_helper_locked(ctx, h);
	sl_ctx_unlock(ctx);
	free(h);
	return rc;
}

/*
 * Give @req (in the in-flight index) to a helper: an idle one, a new one,
 * or the queue that busy ones drain.  Called with the lock held; returns
 * with it released.  Returns 0, or -EAGAIN when there is no helper and none
 * can be started: @req has then been released and the caller runs the
 * chain itself.
 */
/*
 * A thread waiting in sl_call() for its one call (the preload layer) must
 * not queue behind helpers that may each block for ever: the 65th reader
 * of a thread-per-connection server would never see its data.  It makes
 * the call itself instead.  Chains submitted through the API do queue.
 */
static bool may_queue(const struct sl_req *req)
{
	/* A trapped write with part of it done cannot go back to the
	 * caller: it waits for a helper (trap.c). */
	if (req->on_done)
		return req->rw.op != SL_RW_NONE;
	return req->head != &req->call_atom;
}

int sl_helper_dispatch(struct syslet_ctx *ctx, struct sl_req *req)
{
	struct sl_helper *h;
	int cpu = ctx->params.flags & SYSLET_CTX_NO_PIN ? -1 : sched_getcpu();
	int rc;

	h = sl_idle_pop_locked(ctx, cpu);
	if (h) {
		give_locked(h, req);
		sl_ctx_unlock(ctx);
		sl_helper_wake(h, SL_MBOX_WORK);
		return 0;
	}
	/*
	 * Nobody of ours waits for it, and the dispatcher must not wait in
	 * pthread_create(): a helper is made aside (spawner.c), and takes it
	 * from the queue.  While helpers cannot be made, its caller makes it.
	 */
	if (req->on_done && sl_spawner_serves(ctx)) {
		if (sl_now_ns() < ctx->spawn_retry_ns ||
		    (ctx->nhelpers >= ctx->params.max_helpers &&
		     !may_queue(req))) {
			rc = 0;
			goto fail;
		}
		if (ctx->nhelpers + ctx->spawn_want < ctx->params.max_helpers)
			sl_spawner_ask_locked(ctx);
		pend_push_locked(ctx, req);
		sl_ctx_unlock(ctx);
		return 0;
	}
	if (ctx->nhelpers >= ctx->params.max_helpers) {
		if (!may_queue(req)) {
			rc = 0; /* no warning: the bound is the policy's */
			goto fail;
		}
		pend_push_locked(ctx, req);
		sl_ctx_unlock(ctx);
		return 0;
	}
	rc = start_unlock(ctx, cpu, req);
	if (rc == 0)
		return 0;
	sl_ctx_lock(ctx);
	req->state = SL_REQ_QUEUED; /* it never reached the helper */
	req->helper = 0;
	if (ctx->nhelpers && may_queue(req)) {
		pend_push_locked(ctx, req); /* a running helper gets to it */
		sl_ctx_unlock(ctx);
		return 0;
	}
fail:
	sl_hash_del_locked(ctx, req);
	sl_req_release_locked(ctx, req);
	sl_ctx_unlock(ctx);
	if (rc)
		sl_warn_once("cannot start a helper thread", -rc);
	return -EAGAIN;
}

/*
 * The helper a trapped call was queued for will not come: back to their
 * callers, who make them, every such call that nothing was done of; the
 * helpers there are may block for ever, on a call that waits for one of
 * these (a reader waiting for a writer).  One with part done waits for a
 * helper, if there is one, or ends short, as a native call may.
 */
static void unpark_locked(struct syslet_ctx *ctx)
{
	struct sl_req *req;

again:
	for (req = ctx->pend_head; req; req = req->next) {
		if (!req->on_done ||
		    (ctx->nhelpers && req->rw.op != SL_RW_NONE && req->rw.acc))
			continue;
		sl_cancel_req_locked(ctx, req);
		goto again; /* the queue changed under us */
	}
}

/*
 * internal.h: start one more helper for @ctx, with nothing to run: it
 * takes the queue's first request, or goes idle.  For the spawner.
 */
void sl_helper_add(struct syslet_ctx *ctx)
{
	int rc;

	sl_ctx_lock(ctx);
	if (ctx->nhelpers >= ctx->params.max_helpers) {
		sl_ctx_unlock(ctx);
		return;
	}
	rc = start_unlock(ctx, -1, 0);
	if (rc == 0)
		return;
	sl_warn_once("cannot start a helper thread", -rc);
	sl_ctx_lock(ctx);
	/* No new try for a while: each would cost a caller the failure. */
	ctx->spawn_retry_ns = sl_now_ns() + SL_SPAWN_RETRY_NS;
	unpark_locked(ctx);
	sl_ctx_unlock(ctx);
}

/* Run what is left of @req's chain, on this helper. */
void sl_run_on_helper(struct sl_req *req)
{
	struct syslet_atom *a = req->cur;
	const struct sl_sysent *e;
	long ret;

	if (sl_ident_enter(req->ident)) {
		/*
		 * Nothing was run.  A caller that waits makes the call
		 * itself (call.c, submit.c, the backstop).  One that has gone
		 * on: the atom fails, rather than run with rights that are
		 * not its submitter's.
		 */
		req->refused = true;
		if (!(req->sflags & SYSLET_SUBMIT_WAIT)) {
			sl_warn_once(
				"a helper cannot take its caller's credentials",
				EPERM);
			sl_store(a, -EPERM);
			req->last = a;
			req->result = -EPERM;
		}
		return;
	}
	sl_helper_req_begin(req);
	while (a) {
		if (!req->have_args) {
			sl_resolve_args(a, req->args);
			req->rw.op = SL_RW_NONE;
		}
		req->have_args = false;
		e = sl_sys(a->nr);
		if (req->cancel) {
			ret = req->rw.acc ? req->rw.acc : -ECANCELED;
		} else if (e->cls == SYSLET_CLASS_EMULATED) {
			ret = req->tid; /* gettid, as the submitter */
		} else {
			/*
			 * EINTR without a cancel: a signal given back to the
			 * process interrupted us; the call did nothing, so it
			 * is made again.
			 */
			do
				ret = sl_finish_blocking(a->nr, req->args,
							 &req->rw,
							 &req->cancel);
			while (ret == -EINTR && !req->cancel);
			if (ret == -EINTR)
				ret = -ECANCELED;
		}
		sl_store(a, ret);
		req->last = a;
		req->result = ret;
		if (req->cancel)
			break;
		a = sl_chain_next(a, ret);
		req->cur = a;
	}
	/* Before the completion: the program may look for its signal then. */
	sl_helper_req_end();
}

static void *helper_main(void *arg)
{
	struct sl_helper *h = arg;
	struct syslet_ctx *ctx = h->ctx;
	struct sl_req *req;
	char name[16];
	bool cancelled;

	sl_thread_hide();
	h->tid = (pid_t)sl_sys0(SYS_gettid);
	snprintf(name, sizeof(name), "syslet/%d", h->cpu);
	sl_sys2(SYS_prctl, PR_SET_NAME, name);
	sl_helper_tls_enter(h);
	sl_ident_helper_start();

	sl_ctx_lock(ctx);
	req = h->req;
	h->req = 0;
	sl_ctx_unlock(ctx);
	for (;;) {
		if (req) {
			sl_run_on_helper(req);
			sl_ctx_lock(ctx);
			cancelled = req->cancel;
			sl_complete_locked(ctx, req);
		} else {
			sl_ctx_lock(ctx);
			cancelled = false;
		}
		req = ctx->pend_head;
		if (req) {
			ctx->pend_head = req->next;
			if (!ctx->pend_head)
				ctx->pend_tail = 0;
			give_locked(h, req);
			h->req = 0;
		} else if (!ctx->closing) {
			__atomic_store_n(&h->mbox, SL_MBOX_SPIN,
					 __ATOMIC_RELAXED);
			sl_idle_push_locked(ctx, h);
		}
		sl_ctx_unlock(ctx);
		/*
		 * A canceller sends its signal with the lock held, so by now it
		 * is pending here; take it before the next call can see it.
		 */
		if (cancelled)
			sl_sys0(SYS_getppid);
		if (req)
			continue;
		/*
		 * Idle as itself, never as its last caller (ident.h).  One
		 * that cannot be itself again ends, once it has run what it
		 * was given meanwhile (it refuses what it cannot run as).
		 */
		if (!sl_ident_leave()) {
			sl_ctx_lock(ctx);
			if (h->idle)
				sl_idle_remove_locked(ctx, h);
			req = h->req;
			h->req = 0;
			sl_ctx_unlock(ctx);
			if (req)
				continue;
			break;
		}
		if (ctx->closing || !sl_idle_wait(h))
			break;
		sl_ctx_lock(ctx);
		req = h->req;
		h->req = 0;
		sl_ctx_unlock(ctx);
		if (!req)
			break; /* SL_MBOX_EXIT */
	}
	sl_ctx_lock(ctx);
	ctx->nhelpers--;
	h->exited = true;
	__atomic_store_n(&ctx->exit_seq, ctx->exit_seq + 1, __ATOMIC_RELEASE);
	sl_futex_wake(&ctx->exit_seq, INT32_MAX);
	sl_ctx_unlock(ctx);
	sl_thread_unhide();
	return 0;
}
