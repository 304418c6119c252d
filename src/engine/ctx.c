// SPDX-License-Identifier: LGPL-2.1-or-later
/* Contexts: parameters, creation, destruction, and life after fork(). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define SL_DEF_MAX_HELPERS 64
#define SL_MAX_MAX_HELPERS 4096
#define SL_DEF_DEPTH 256
#define SL_MAX_DEPTH 65536
#define SL_DEF_IDLE_MS 2000
#define SL_DEF_SPIN_US 50
#define SL_MAX_SPIN_US 100000

/* Every context, so that fork() can make each one whole in the child. */
static pthread_mutex_t ctx_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct syslet_ctx *ctx_list;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/*
 * A robust mutex: its lock word is the owner's TID from the very atomic
 * step that takes it, so sl_ctx_held_by() has no blind instant (an
 * ordinary one records its owner a few instructions later, and a signal
 * handler's call made in between deadlocked the backstop's listener).
 */
static void lock_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

SYSLET_API int syslet_params_init(struct syslet_params *p)
{
	if (!p)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->max_helpers = SL_DEF_MAX_HELPERS;
	p->queue_depth = SL_DEF_DEPTH;
	p->idle_timeout_ms = SL_DEF_IDLE_MS;
	p->spin_us = SL_DEF_SPIN_US;
	return 0;
}

static int check_params(struct syslet_params *p)
{
	unsigned int i;

	if (!p->max_helpers || p->max_helpers > SL_MAX_MAX_HELPERS ||
	    p->min_helpers > p->max_helpers || !p->queue_depth ||
	    p->queue_depth > SL_MAX_DEPTH || !p->idle_timeout_ms ||
	    p->spin_us > SL_MAX_SPIN_US || (p->flags & ~SYSLET_CTX_FLAGS_ALL))
		return -EINVAL;
	for (i = 0; i < sizeof(p->reserved) / sizeof(p->reserved[0]); i++)
		if (p->reserved[i])
			return -EINVAL;
	if (!p->cancel_signal)
		p->cancel_signal = SIGRTMAX - 2;
	if (p->cancel_signal <= 0 || p->cancel_signal >= _NSIG ||
	    p->cancel_signal == SIGKILL || p->cancel_signal == SIGSTOP ||
	    (p->cancel_signal >= 32 && p->cancel_signal < SIGRTMIN))
		return -EINVAL; /* 32 and 33 are glibc's own */
	return 0;
}

static void free_reqs_rebuild(struct syslet_ctx *ctx)
{
	struct sl_req *r;
	uint32_t i;

	ctx->free_reqs = 0;
	ctx->inflight = 0;
	for (i = ctx->params.queue_depth; i-- > 0;) {
		r = &ctx->reqs[i];
		r->ctx = ctx;
		if (r->state == SL_REQ_FREE) {
			r->next = ctx->free_reqs;
			ctx->free_reqs = r;
		} else {
			ctx->inflight++;
		}
	}
	for (r = ctx->cq_head; r; r = r->next)
		if (r->spare)
			ctx->inflight++;
}

static void ctx_free(struct syslet_ctx *ctx)
{
	struct sl_req *r;

	while ((r = ctx->spares_all)) {
		ctx->spares_all = r->snext;
		free(r);
	}
	free(ctx->reqs);
	free(ctx->hash);
	free(ctx->idle);
	free(ctx);
}

/* The forking thread's signal mask, written under ctx_list_lock. */
static sigset_t fork_mask;

/*
 * fork(): hold every context still, so the child gets them consistent.
 * No handler may run while this thread holds the locks: one whose call
 * needs a context's lock would wait for this very thread (smbd's SIGCHLD
 * handler writes to tevent's eventfd, which under the seccomp backstop
 * the listener serves).  Signals arriving meanwhile are delivered when
 * fork() is done, as if they had come a moment later.
 */
static void atfork_prepare(void)
{
	struct syslet_ctx *c;
	sigset_t old;

	sl_sigs_off(&old);
	pthread_mutex_lock(&ctx_list_lock);
	fork_mask = old;
	for (c = ctx_list; c; c = c->next_ctx)
		sl_ctx_lock(c);
}

static void atfork_parent(void)
{
	struct syslet_ctx *c;
	sigset_t old = fork_mask;

	for (c = ctx_list; c; c = c->next_ctx)
		sl_ctx_unlock(c);
	pthread_mutex_unlock(&ctx_list_lock);
	sl_sigs_on(&old);
}

/*
 * In the child no helper exists.  A chain in flight in the parent did not
 * run here: it completes in the child with -ECANCELED (or the part done
 * before the fork), so that nothing runs twice and nobody waits forever.
 * The child gets an eventfd of its own under the same number.
 */
static void child_reset(struct syslet_ctx *c)
{
	struct sl_helper *h, *hn;
	uint32_t i;
	int efd;

	lock_init(&c->lock);
	for (h = c->helpers; h; h = hn) {
		hn = h->next_all;
		free(h);
	}
	c->helpers = 0;
	c->nhelpers = 0;
	c->spawn_want = 0;
	c->spawn_retry_ns = 0;
	memset(c->idle, 0, sizeof(*c->idle) * (size_t)(c->ncpu + 1));
	c->pend_head = c->pend_tail = 0;
	c->cq_waiters = 0;

	c->owner_pid = (pid_t)sl_sys0(SYS_getpid);
	efd = c->efd < 0 ? -1
			 : (int)sl_sys2(SYS_eventfd2, 0,
					EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd >= 0) {
		sl_sys3(SYS_dup3, efd, c->efd, O_CLOEXEC);
		sl_sys1(SYS_close, efd);
	}
	c->efd_signaled = false;

	for (i = 0; i < c->params.queue_depth; i++) {
		struct sl_req *r = &c->reqs[i];

		if (r->state == SL_REQ_DONE) {
			/* Its waiter was another thread: gone. */
			sl_hash_del_locked(c, r);
			r->state = SL_REQ_FREE;
		} else if (r->state == SL_REQ_QUEUED ||
			   r->state == SL_REQ_RUNNING) {
			r->result = r->rw.acc ? r->rw.acc : -ECANCELED;
			r->last = r->cur;
			if (r->cur)
				sl_store(r->cur, r->result);
			if (r->sflags & SYSLET_SUBMIT_WAIT) {
				/* Its waiter (or trapped caller) is gone too. */
				sl_hash_del_locked(c, r);
				r->state = SL_REQ_FREE;
				r->on_done = 0;
			} else {
				sl_complete_locked(c, r);
			}
		}
	}
	free_reqs_rebuild(c);
	if (c->cq_head && c->efd_armed) {
		uint64_t one = 1;

		c->efd_signaled = true;
		sl_sys3(SYS_write, c->efd, &one, sizeof(one));
	}
}

static void atfork_child(void)
{
	sl_ident_atfork_child();
	struct syslet_ctx *c;

	pthread_mutex_init(&ctx_list_lock, 0);
	sl_spawner_child();
	for (c = ctx_list; c; c = c->next_ctx)
		child_reset(c);
	sl_sigs_on(&fork_mask);
}

/*
 * Does thread @tid hold @ctx's lock?  For a call that a signal handler
 * made while its thread held it: whoever serves that call must not wait
 * for the lock.  A robust mutex's word is its owner's TID (the kernel's
 * robust futex ABI) until the releasing store.
 */
bool sl_ctx_held_by(struct syslet_ctx *ctx, pid_t tid)
{
#ifdef __GLIBC__
	int w = __atomic_load_n(&ctx->lock.__data.__lock, __ATOMIC_SEQ_CST);

	return (pid_t)((unsigned int)w & FUTEX_TID_MASK) == tid;
#else
	(void)ctx;
	(void)tid;
	return false;
#endif
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

SYSLET_API int syslet_ctx_create(const struct syslet_params *params,
				 struct syslet_ctx **ctxp)
{
	return sl_ctx_create(params, true, ctxp);
}

/* The preload layer's context has no eventfd: it keeps no descriptor. */
int sl_ctx_create(const struct syslet_params *params, bool with_eventfd,
		  struct syslet_ctx **ctxp)
{
	struct syslet_ctx *ctx;
	uint32_t hsize = 2;
	long ncpu;
	int rc, saved = errno;

	if (!ctxp)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	if (params)
		ctx->params = *params;
	else
		syslet_params_init(&ctx->params);
	rc = check_params(&ctx->params);
	if (rc)
		goto out_free;

	ncpu = sysconf(_SC_NPROCESSORS_CONF);
	ctx->ncpu = ncpu > 0 && ncpu <= CPU_SETSIZE ? (int)ncpu : 1;
	while (hsize < 2 * ctx->params.queue_depth)
		hsize <<= 1;
	ctx->hash_mask = hsize - 1;
	ctx->reqs = calloc(ctx->params.queue_depth, sizeof(*ctx->reqs));
	ctx->hash = calloc(hsize, sizeof(*ctx->hash));
	ctx->idle = calloc((size_t)ctx->ncpu + 1, sizeof(*ctx->idle));
	rc = -ENOMEM;
	if (!ctx->reqs || !ctx->hash || !ctx->idle)
		goto out_free;
	free_reqs_rebuild(ctx);
	lock_init(&ctx->lock);

	ctx->owner_pid = (pid_t)sl_sys0(SYS_getpid);
	ctx->efd = with_eventfd ? (int)sl_sys2(SYS_eventfd2, 0,
					       EFD_CLOEXEC | EFD_NONBLOCK)
				: -1;
	if (with_eventfd && ctx->efd < 0) {
		rc = ctx->efd == -ENFILE   ? -ENFILE
		     : ctx->efd == -EMFILE ? -EMFILE
					   : -ENOMEM;
		goto out_free;
	}
	rc = sl_cancel_signal_get(ctx->params.cancel_signal);
	if (rc) {
		if (ctx->efd >= 0)
			sl_sys1(SYS_close, ctx->efd);
		goto out_free;
	}
	pthread_once(&atfork_once, atfork_register);
	pthread_mutex_lock(&ctx_list_lock);
	ctx->next_ctx = ctx_list;
	ctx_list = ctx;
	pthread_mutex_unlock(&ctx_list_lock);

	*ctxp = ctx;
	errno = saved;
	return 0;

out_free:
	ctx_free(ctx);
	errno = saved;
	return rc;
}

SYSLET_API int syslet_eventfd(const struct syslet_ctx *cctx)
{
	struct syslet_ctx *ctx = (struct syslet_ctx *)cctx;

	if (!ctx)
		return -EINVAL;
	if (!__atomic_load_n(&ctx->efd_armed, __ATOMIC_ACQUIRE)) {
		uint64_t one = 1;

		sl_ctx_lock(ctx);
		ctx->efd_armed = true;
		if (ctx->cq_head && !ctx->efd_signaled) {
			ctx->efd_signaled = true;
			sl_sys3(SYS_write, ctx->efd, &one, sizeof(one));
		}
		sl_ctx_unlock(ctx);
	}
	return ctx->efd;
}

static bool busy_locked(struct syslet_ctx *ctx)
{
	uint32_t i;

	for (i = 0; i < ctx->params.queue_depth; i++)
		if (ctx->reqs[i].state == SL_REQ_QUEUED ||
		    ctx->reqs[i].state == SL_REQ_RUNNING)
			return true;
	return false;
}

SYSLET_API int syslet_ctx_destroy(struct syslet_ctx *ctx)
{
	struct syslet_ctx **p;
	uint32_t i;
	int saved = errno;

	if (!ctx)
		return -EINVAL;
	sl_ctx_lock(ctx);
	ctx->closing = true;
	for (i = 0; i < ctx->params.queue_depth; i++)
		sl_cancel_req_locked(ctx, &ctx->reqs[i]);
	while (busy_locked(ctx)) {
		uint32_t seq = ctx->exit_seq;

		sl_ctx_unlock(ctx);
		sl_futex_wait(&ctx->exit_seq, seq, 0);
		sl_ctx_lock(ctx);
	}
	sl_ctx_unlock(ctx);
	sl_helper_stop_all(ctx);

	pthread_mutex_lock(&ctx_list_lock);
	for (p = &ctx_list; *p; p = &(*p)->next_ctx)
		if (*p == ctx) {
			*p = ctx->next_ctx;
			break;
		}
	pthread_mutex_unlock(&ctx_list_lock);

	sl_cancel_signal_put(ctx->params.cancel_signal);
	if (ctx->efd >= 0)
		sl_sys1(SYS_close, ctx->efd);
	pthread_mutex_destroy(&ctx->lock);
	ctx_free(ctx);
	errno = saved;
	return 0;
}
