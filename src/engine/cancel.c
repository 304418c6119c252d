// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cancelling a chain, and the signal that interrupts a helper.
 *
 * The canceller marks the request and, with the context lock held, sends
 * the cancel signal to the helper running it.  The handler acts only on a
 * helper whose current request is marked: if the helper stands inside the
 * cancellable system call window (syscall_cp.S) it is moved to the path that
 * returns -ECANCELED without making the call; if the call is under way, the
 * signal makes it return -EINTR, or it finishes first and its result
 * stands.  Because the signal is sent under the lock and the helper takes
 * the lock before it starts another request, a late signal can never hit
 * the wrong call.
 *
 * The handler is installed once per signal number for all contexts; on any
 * thread that is not one of our helpers it hands the signal to whatever
 * handler was there before, so the program's own use of the signal goes on.
 *
 * The program may also send the signal to the whole process while its own
 * threads block it; the kernel then picks a helper, the one thread that
 * leaves it unblocked.  An idle helper gives it back to the process and
 * blocks it until it starts its next request, so that the program finds it
 * pending.  A helper on a request must keep the signal unblocked, or a
 * cancel could not interrupt its call, and giving it back would only bring
 * it straight back: it holds the signal instead, and gives it back (with
 * the signal blocked) when the request's calls are over, before posting
 * its completion.  Each signal is given back exactly once; while a helper
 * blocks in a call, the program does not see the signals it holds.  (Past
 * SL_STASH_MAX queued at once the helper gives back and blocks the signal
 * on a request too: a cancel then waits for its call to end.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"

#define SL_TLS __thread __attribute__((tls_model("initial-exec")))

/*
 * glibc's sigaction under its other exported name: the preload layer
 * interposes sigaction() itself, and must not be called back from here.
 */
extern int __sigaction(int, const struct sigaction *, struct sigaction *);

static SL_TLS struct sl_req *tls_req;
static SL_TLS struct sl_helper *tls_self; /* set on helpers only */
static SL_TLS int tls_sig;		  /* tls_self's cancel signal */
static SL_TLS bool tls_holding; /* tls_sig blocked: the program's is pending */

static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct sigaction old;
	int refs;
} sigs[_NSIG];

static void mask_one(int how, int sig)
{
	sigset_t one;

	sigemptyset(&one);
	sigaddset(&one, sig);
	sl_sys4(SYS_rt_sigprocmask, how, &one, 0, _NSIG / 8);
}

/*
 * A helper starts with every signal blocked; only once it is known as a
 * helper may the cancel signal reach it.
 */
void sl_helper_tls_enter(struct sl_helper *h)
{
	tls_sig = h->ctx->params.cancel_signal;
	h->nstash = 0;
	__atomic_store_n(&tls_self, h, __ATOMIC_RELEASE);
	mask_one(SIG_UNBLOCK, tls_sig);
}

/* Send a signal of the program's that reached a helper back to the process. */
static void give_back(int sig, siginfo_t *si)
{
	long pid = sl_sys0(SYS_getpid);

	/*
	 * The kernel lets any thread queue a negative si_code (sigqueue,
	 * timers) to its process with the original siginfo; kill()'s own
	 * codes only a kill() can make again (the sender then reads as this
	 * process).
	 */
	if (si->si_code < 0)
		sl_sys3(SYS_rt_sigqueueinfo, pid, sig, si);
	else
		sl_sys2(SYS_kill, pid, sig);
}

/*
 * Before a helper starts @req: the cancel signal must be unblocked for the
 * request's calls to be interruptible.  tls_req is set first, so that a
 * signal of the program's still pending, which arrives at once, is held
 * (see the handler) rather than given back and blocked again.
 */
void sl_helper_req_begin(struct sl_req *req)
{
	__atomic_store_n(&tls_req, req, __ATOMIC_RELEASE);
	if (tls_holding) {
		tls_holding = false;
		mask_one(SIG_UNBLOCK, tls_sig);
	}
}

/*
 * The request's calls are over: give back what the handler held.  Blocked
 * first, or the kernel would hand it straight back to us; unblocked again
 * when the next request begins.
 */
void sl_helper_req_end(void)
{
	struct sl_helper *h = tls_self;
	int i, n;

	__atomic_store_n(&tls_req, NULL, __ATOMIC_RELEASE);
	/* From here on the handler does not touch the stash. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	n = h->nstash;
	if (!n)
		return;
	mask_one(SIG_BLOCK, tls_sig);
	tls_holding = true;
	for (i = 0; i < n; i++)
		give_back(tls_sig, &h->stash[i]);
	h->nstash = 0;
}

/*
 * In the handler, on a request: hold the program's signal.  A standard
 * signal is pending at most once, so a second one merges with the one
 * held, as it would natively.  Returns false when there is no room.
 */
static bool hold(struct sl_helper *h, int sig, const siginfo_t *si)
{
	int n = h->nstash;

	if (n && sig < SIGRTMIN)
		return true;
	if (n == SL_STASH_MAX)
		return false;
	h->stash[n] = *si;
	h->nstash = n + 1;
	return true;
}

static void forward(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = &sigs[sig].old;

	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, uc);
	} else if (old->sa_handler == SIG_DFL) {
		/* Do what would have happened without us: the default action. */
		struct sigaction dfl;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		__sigaction(sig, &dfl, 0);
		sl_sys3(SYS_tgkill, sl_sys0(SYS_getpid), sl_sys0(SYS_gettid),
			sig);
	} else if (old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
	}
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
	struct sl_helper *self = __atomic_load_n(&tls_self, __ATOMIC_ACQUIRE);
	ucontext_t *uc = ucv;
	struct sl_req *req;
	greg_t ip;

	if (!self) {
		int saved = errno;

		forward(sig, si, ucv);
		errno = saved;
		return;
	}
	req = __atomic_load_n(&tls_req, __ATOMIC_ACQUIRE);
	if (si->si_code != SI_TKILL) {
		/*
		 * Not our tgkill: sent to the process (kill, sigqueue, a
		 * timer), and the kernel chose a helper because no thread of
		 * the program takes it now (a program that sigwait()s for it
		 * blocks it everywhere).  On a request, hold it (see the top
		 * of this file); otherwise, or with no room left, give it
		 * back and keep it blocked here until the next request.
		 */
		int saved = errno;

		if (!req || !hold(self, sig, si)) {
			give_back(sig, si);
			sigaddset(&uc->uc_sigmask, sig);
			tls_holding = true;
		}
		errno = saved;
		return;
	}
	if (!req || !req->cancel)
		return;
	ip = uc->uc_mcontext.gregs[REG_RIP];
	if (ip >= (greg_t)sl_gates.cp_begin && ip < (greg_t)sl_gates.cp_end)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)sl_gates.cp_cancel;
}

int sl_cancel_signal_get(int sig)
{
	struct sigaction sa;
	int rc = 0;

	pthread_mutex_lock(&sig_lock);
	if (sigs[sig].refs == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = handler;
		/* No SA_RESTART: the point is to interrupt the call. */
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigfillset(&sa.sa_mask);
		if (__sigaction(sig, &sa, &sigs[sig].old))
			rc = -EINVAL;
	}
	if (!rc)
		sigs[sig].refs++;
	pthread_mutex_unlock(&sig_lock);
	return rc;
}

void sl_cancel_signal_put(int sig)
{
	struct sigaction cur;

	pthread_mutex_lock(&sig_lock);
	if (--sigs[sig].refs == 0) {
		/* Put the old one back, unless the program replaced ours. */
		if (!__sigaction(sig, 0, &cur) && (cur.sa_flags & SA_SIGINFO) &&
		    cur.sa_sigaction == handler)
			__sigaction(sig, &sigs[sig].old, 0);
	}
	pthread_mutex_unlock(&sig_lock);
}

/*
 * The preload layer's sigaction() for a signal that is ours: the program
 * reads and sets the handler we pass its signals to.  Returns 1 if @sig is
 * ours (and the call is done), 0 if the C library should do it.
 */
int sl_cancel_signal_sigaction(int sig, const struct sigaction *act,
			       struct sigaction *old)
{
	int ours;

	if (sig <= 0 || sig >= _NSIG)
		return 0;
	pthread_mutex_lock(&sig_lock);
	ours = sigs[sig].refs > 0;
	if (ours) {
		if (old)
			*old = sigs[sig].old;
		if (act)
			sigs[sig].old = *act;
	}
	pthread_mutex_unlock(&sig_lock);
	return ours;
}

/* Returns 0; the chain completes through the usual path. */
int sl_cancel_req_locked(struct syslet_ctx *ctx, struct sl_req *req)
{
	struct sl_req **p;

	if (req->state == SL_REQ_QUEUED) {
		for (p = &ctx->pend_head; *p; p = &(*p)->next)
			if (*p == req) {
				*p = req->next;
				break;
			}
		ctx->pend_tail = 0;
		for (p = &ctx->pend_head; *p; p = &(*p)->next)
			ctx->pend_tail = *p;
		req->cancel = 1;
		req->result = req->rw.acc ? req->rw.acc : -ECANCELED;
		req->last = req->cur;
		sl_store(req->cur, req->result);
		sl_complete_locked(ctx, req);
		return 0;
	}
	if (req->state == SL_REQ_RUNNING && !req->cancel) {
		__atomic_store_n(&req->cancel, 1, __ATOMIC_SEQ_CST);
		sl_sys3(SYS_tgkill, sl_sys0(SYS_getpid), req->helper->tid,
			ctx->params.cancel_signal);
	}
	return 0;
}

SYSLET_API int syslet_cancel(struct syslet_ctx *ctx, struct syslet_atom *head)
{
	struct sl_req *req;
	int rc = -ENOENT;

	if (!ctx || !head)
		return -EINVAL;
	sl_ctx_lock(ctx);
	req = sl_hash_find_locked(ctx, head);
	if (req)
		rc = sl_cancel_req_locked(ctx, req);
	sl_ctx_unlock(ctx);
	return rc;
}
