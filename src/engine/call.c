// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One system call: its non-blocking try, and, on behalf of a program
 * thread that waits for it, the helper it goes to when it would block:
 * what the preload layer runs for every interposed call.
 *
 * The submitter tries each call in a form that cannot block (RWF_NOWAIT,
 * MSG_DONTWAIT, RESOLVE_CACHED, a readiness probe), chosen by the table's
 * nb kind (systab.h): read/write progress is rw.c, waits by nature
 * probe.c, socket messages and opens nowait.c, descriptors fd.c.  Where
 * the try did part of the work (a regular file read that found only some
 * pages cached, a stream send that filled the socket buffer), the native
 * call would have done all of it: the rest is finished in blocking form,
 * on a helper, and the parts are added up.  Where the try did nothing, the
 * helper makes the original call unchanged, so its result is exactly the
 * native one.
 *
 * The wait must look like the native call to signal handlers.  So the
 * kernel decides, not us: a futex wait without a timeout fails with
 * ERESTARTSYS when a handler runs, exactly like read(2): after an
 * SA_RESTART handler the kernel restarts it without our seeing anything,
 * after any other handler it returns EINTR.  A futex wait with a timeout
 * fails with EINTR after every handler, like poll(2), nanosleep(2) and the
 * other calls signal(7) lists as never restarted.  On EINTR the helper's
 * call is cancelled, and the caller gets EINTR, or the real result if the
 * call finished first: never a lost or duplicated byte.
 *
 * Natively such a handler runs after the call has given up; here it would
 * run while the helper's call goes on, and could feed it (the self-pipe
 * trick: the handler writes to the pipe being read).  So the preload layer
 * runs the program's handlers behind a trampoline that first has the call
 * stopped (sl_call_signal()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

/* ------------------------------------------------------------------ */
/* The non-blocking try, by the table's nb kind.                        */

static int nowait(int nr, const struct sl_sysent *e, const long *a,
		  struct sl_rw *rw, long *ret, bool strict)
{
	int how = SL_TRY_NATIVE;

	rw->op = SL_RW_NONE;
	switch (e->nb) {
	case SL_NB_BLOCKS:
		how = sl_probe(nr, a, ret);
		if (how == SL_TRY_UNKNOWN)
			how = SL_TRY_BLOCK;
		break;
	case SL_NB_READ:
	case SL_NB_WRITE:
		sl_rw_from_call(nr, a, rw);
		if (rw->op != SL_RW_NONE && !(rw->flags & RWF_NOWAIT))
			how = sl_rw_attempt(rw, ret);
		break;
	case SL_NB_MSG:
		how = sl_msg_attempt(nr, e, a, rw, ret);
		break;
	case SL_NB_POLLIN: {
		struct pollfd p = { .fd = (int)a[0], .events = POLLIN };

		if (sl_sys3(SYS_poll, &p, 1, 0) == 0 &&
		    !sl_fd_nonblocking((int)a[0]))
			how = SL_TRY_BLOCK;
		break;
	}
	case SL_NB_OPEN:
		how = sl_open_attempt(nr, a, ret);
		break;
	case SL_NB_FCNTL:
		if (a[1] == F_SETLKW || a[1] == F_OFD_SETLKW) {
			/* Try the lock without waiting; a conflict means wait. */
			long r = sl_sys3(
				SYS_fcntl, a[0],
				a[1] == F_SETLKW ? F_SETLK : F_OFD_SETLK, a[2]);

			how = (r == -EAGAIN || r == -EACCES) ? SL_TRY_BLOCK
							     : SL_TRY_DONE;
			*ret = r;
		}
		break;
	default:
		break;
	}
	if (how == SL_TRY_NOMODE) {
		if (strict && !sl_fd_never_waits(rw->fd)) {
			rw->op = SL_RW_NONE;
			return SL_NOMODE;
		}
		how = SL_TRY_NATIVE;
	}
	if (how == SL_TRY_NATIVE) {
		rw->op = SL_RW_NONE;
		*ret = sl_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		return 0;
	}
	if (how == SL_TRY_BLOCK) {
		if (rw->acc == 0 && rw->skip == 0)
			rw->op = SL_RW_NONE; /* nothing done: native call */
		return SL_WOULDBLOCK;
	}
	rw->op = SL_RW_NONE;
	return 0;
}

int sl_nowait(int nr, const struct sl_sysent *e, const long *a,
	      struct sl_rw *rw, long *ret)
{
	return nowait(nr, e, a, rw, ret, false);
}

/* The backstop's listener must never block: a file without a non-blocking
 * mode would block, as far as it knows. */
int sl_nowait_strict(int nr, const struct sl_sysent *e, const long *a,
		     struct sl_rw *rw, long *ret)
{
	return nowait(nr, e, a, rw, ret, true);
}

/* ------------------------------------------------------------------ */
/* A program thread's call, on a helper if it would block.              */

/*
 * The helper call this thread waits for, for its signal handlers
 * (sl_call_signal()).  Set only while the thread holds no lock of ours, so
 * that a handler may take the context lock to cancel the call.
 */
struct call_wait {
	struct sl_req *req;
	bool restart;
	bool armed; /* in sl_call(), possibly before @req exists */
	bool early; /* a handler that interrupts the call ran before @req */
};

static __thread struct call_wait call_wait
	__attribute__((tls_model("initial-exec")));

static void wait_publish(struct sl_req *req, bool restart)
{
	call_wait.restart = restart;
	__atomic_store_n(&call_wait.req, req, __ATOMIC_SEQ_CST);
}

/* Wait with the native call's restart behaviour; see above. */
static int wait_native(struct sl_req *req, bool restart)
{
	static const struct timespec hour = { .tv_sec = 3600 };

	for (;;) {
		int rc;

		if (sl_req_done_or_sleep(req))
			return 0;
		if (req->interrupt && *req->interrupt) {
			int state;

			/* pthread_cancel(): acts only where it would natively. */
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
			pthread_setcancelstate(state, 0);
			if (state == PTHREAD_CANCEL_ENABLE)
				return -ECANCELED;
			*req->interrupt = 0;
			continue;
		}
		rc = sl_futex_wait(&req->done, SL_DONE_SLEEPING,
				   restart ? 0 : &hour);
		if (rc == -EINTR)
			return -EINTR;
	}
}

bool sl_call_waiting(void)
{
	return __atomic_load_n(&call_wait.armed, __ATOMIC_SEQ_CST);
}

void sl_call_signal(bool sa_restart)
{
	struct sl_req *req;
	sigset_t all, old;

	if (!__atomic_load_n(&call_wait.armed, __ATOMIC_SEQ_CST))
		return;
	/* The kernel restarts our wait: the call goes on, as it would. */
	if (sa_restart && call_wait.restart)
		return;
	/*
	 * Natively the signal lands in the call, which would block: it must
	 * fail with EINTR, though our wait has not begun (rsync's generator
	 * waits in poll() for the SIGUSR2 that tells it to exit).
	 */
	__atomic_store_n(&call_wait.early, true, __ATOMIC_SEQ_CST);
	/*
	 * Nor may a handler nested in this one run before the call stops.
	 * glibc's sigfillset() leaves out its own signals (setxid, cancel).
	 */
	sigfillset(&all);
	sl_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &all, &old, _NSIG / 8);
	req = __atomic_exchange_n(&call_wait.req, 0, __ATOMIC_SEQ_CST);
	if (req) {
		sl_ctx_lock(req->ctx);
		if (req->state == SL_REQ_QUEUED || req->state == SL_REQ_RUNNING)
			sl_cancel_req_locked(req->ctx, req);
		sl_ctx_unlock(req->ctx);
		sl_req_wait(req, 0); /* whatever signals come */
	}
	sl_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, _NSIG / 8);
}

void sl_call_kick(struct sl_req *req)
{
	uint32_t v = SL_DONE_SLEEPING;

	if (__atomic_compare_exchange_n(&req->done, &v, SL_DONE_NO, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		sl_futex_wake(&req->done, 1);
}

bool sl_raises_sigpipe(int nr, const long *args, long ret)
{
	long flags = 0;

	if (ret != -EPIPE)
		return false;
	switch (nr) {
	case SYS_sendto:
		flags = args[3];
		break;
	case SYS_sendmsg:
	case SYS_sendmmsg:
		flags = args[nr == SYS_sendmsg ? 2 : 3];
		break;
	case SYS_write:
	case SYS_pwrite64:
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
	case SYS_sendfile:
	case SYS_splice:
	case SYS_vmsplice:
	case SYS_tee:
		break;
	default:
		return false;
	}
	return !(flags & MSG_NOSIGNAL);
}

/* A helper's write to a broken pipe raised SIGPIPE on the helper, where it
 * is blocked: raise it where the native call would have, on the caller. */
static void pipe_signal(const struct sl_call *c, long ret)
{
	if (sl_raises_sigpipe(c->nr, c->args, ret))
		sl_sys3(SYS_tgkill, sl_sys0(SYS_getpid), sl_sys0(SYS_gettid),
			SIGPIPE);
}

/*
 * No helper to be had.  If the non-blocking try did part of the work, the
 * rest is finished here; otherwise the caller makes the call itself, so
 * that it is the C library's own (a cancellation point, for one).
 */
static long run_home(struct sl_call *c, struct sl_rw *rw)
{
	static const int zero;

	if (rw->op != SL_RW_NONE) {
		c->outcome = SL_CALL_INLINE;
		return sl_finish_blocking(c->nr, c->args, rw, &zero);
	}
	c->outcome = SL_CALL_NATIVE;
	return 0;
}

/*
 * SL_ROUTE_HERE: the try says it would block, and the caller makes it all
 * the same, as natively; only the outcome tells that it waited.
 */
static long run_here(struct sl_call *c, struct sl_rw *rw)
{
	long ret = run_home(c, rw);

	c->outcome = c->outcome == SL_CALL_NATIVE ? SL_CALL_NATIVE_WAIT
						  : SL_CALL_HERE;
	return ret;
}

static bool early_signal(void)
{
	return __atomic_load_n(&call_wait.early, __ATOMIC_SEQ_CST);
}

/* A signal came before the call reached a helper: what a native call
 * that was about to block returns, EINTR or the part already done. */
static long interrupted(struct sl_call *c, const struct sl_rw *rw)
{
	c->outcome = SL_CALL_INLINE;
	return rw->op != SL_RW_NONE && rw->acc > 0 ? rw->acc : -EINTR;
}

static long call_route(struct syslet_ctx *ctx, struct sl_call *c,
		       const struct sl_sysent *e)
{
	const struct sl_ident *ident;
	struct sl_req *req;
	struct sl_rw rw = { 0 };
	uint64_t t0 = 0; /* a sleep's start, for its rem */
	long ret = 0;
	int i, rc, saved = errno;

	c->outcome = SL_CALL_INLINE;
	if (c->route == SL_ROUTE_NOWAIT || c->route == SL_ROUTE_HERE) {
		if (!sl_nowait(c->nr, e, c->args, &rw, &ret))
			return ret;
		c->outcome = SL_CALL_WOULDBLOCK;
	}
	if (early_signal())
		return interrupted(c, &rw);
	if (c->route == SL_ROUTE_HERE)
		return run_here(c, &rw);
	/* Only the process whose helpers these are may hand calls to them. */
	if (sl_sys0(SYS_getpid) != ctx->owner_pid)
		return run_home(c, &rw);
	/* Nobody but this thread can make it as this thread would. */
	ident = sl_ident_self(sl_ident_tracked);
	if (!ident)
		return run_home(c, &rw);

	sl_ctx_lock(ctx);
	req = sl_req_one_locked(ctx, c->nr, c->args, &rw);
	if (!req) {
		sl_ctx_unlock(ctx);
		return run_home(c, &rw);
	}
	req->ident = ident;
	req->interrupt = c->interrupt;
	if (c->nr == SYS_nanosleep || c->nr == SYS_clock_nanosleep)
		t0 = (uint64_t)sl_now_ns();
	rc = sl_helper_dispatch(ctx, req); /* unlocks */
	errno = saved;
	if (rc)
		return run_home(c, &rw);
	c->outcome = SL_CALL_HELPER;
	if (c->reqp) /* never nested: sl_call() runs a handler's call natively */
		*c->reqp = req;

	wait_publish(req, c->restart);
	rc = -EINTR; /* a signal between the try and the publishing */
	if (!early_signal()) {
		for (i = 0; i < SL_WAIT_YIELDS &&
			    __atomic_load_n(&req->done, __ATOMIC_ACQUIRE) ==
				    SL_DONE_NO &&
			    sl_yield();
		     i++)
			;
		rc = wait_native(req, c->restart);
	}
	wait_publish(0, false);
	if (rc) {
		sl_ctx_lock(ctx);
		if (req->state == SL_REQ_QUEUED || req->state == SL_REQ_RUNNING)
			sl_cancel_req_locked(ctx, req);
		sl_ctx_unlock(ctx);
		sl_req_wait(req, 0); /* whatever signals come */
	}
	if (req->refused) {
		/* The helper could not act as this thread and did nothing:
		 * the thread makes the call, unless it was interrupted. */
		rw = req->rw;
		if (c->reqp)
			*c->reqp = 0;
		sl_req_finish(ctx, req);
		errno = saved;
		if (rc == -ECANCELED && !(rw.op != SL_RW_NONE && rw.acc > 0)) {
			c->outcome = SL_CALL_CANCELLED;
			return -ECANCELED;
		}
		return rc ? interrupted(c, &rw) : run_home(c, &rw);
	}
	ret = req->result;
	if (ret == -ECANCELED && req->cancel) {
		ret = rc == -ECANCELED ? -ECANCELED : -EINTR;
		c->outcome =
			rc == -ECANCELED ? SL_CALL_CANCELLED : SL_CALL_HELPER;
		/*
		 * A sleep taken back from its helper, perhaps before it
		 * began: rem as the kernel would have written it here.
		 */
		if (ret == -EINTR && t0)
			ret = sl_sleep_left(c->nr, c->args,
					    (uint64_t)sl_now_ns() - t0);
	} else {
		pipe_signal(c, ret);
	}
	if (c->reqp)
		*c->reqp = 0;
	sl_req_finish(ctx, req);
	errno = saved;
	return ret;
}

long sl_call(struct syslet_ctx *ctx, struct sl_call *c)
{
	const struct sl_sysent *e = sl_sys(c->nr);
	long ret;

	c->outcome = SL_CALL_NATIVE;
	if (!e || e->cls != SYSLET_CLASS_ANY || c->route == SL_ROUTE_NATIVE ||
	    sl_thread_bound(c->nr, c->args, 0))
		return 0;
	/*
	 * A signal handler's call, made while this thread is in sl_call()
	 * (perhaps holding the context's lock): it is made natively.
	 */
	if (__atomic_load_n(&call_wait.armed, __ATOMIC_SEQ_CST))
		return 0;
	call_wait.restart = c->restart;
	__atomic_store_n(&call_wait.early, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&call_wait.armed, true, __ATOMIC_SEQ_CST);
	ret = call_route(ctx, c, e);
	__atomic_store_n(&call_wait.armed, false, __ATOMIC_SEQ_CST);
	return ret;
}
