// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The backstop's listener; see listener.h and doc/backstop.md.
 *
 * The filter is loaded with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so a
 * call received here is ours until we reply: a signal cannot withdraw it
 * and leave a helper's result with nowhere to go.  The watcher (watch.c)
 * ends a blocked call when a signal comes.  Every system call made here
 * goes through the engine's gate, which the filter lets through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "board.h"
#include "listener.h"
#include "slot.h"

struct ss_slot ss_slots[SS_SLOTS];
struct ss_self ss_self = { .fd = -1, .entry = -1 };

static struct ss_marks *marks(void)
{
	return ss_self.board ? &ss_self.board->marks : &ss_self.own_marks;
}

bool ss_listener_continued(int nr)
{
	struct ss_marks *m = marks();

	/* No mark anywhere (the usual case): no gettid() either. */
	if (!__atomic_load_n(&m->n, __ATOMIC_ACQUIRE))
		return false;
	return ss_marks_take(m, (pid_t)sl_sys0(SYS_gettid)) == nr;
}

/* Let thread @tid make its call @id (number @nr) itself. */
void ss_cont(uint64_t id, pid_t tid, int nr)
{
	/* Marked first: a signal may end that call at once. */
	if (tid)
		ss_marks_set(marks(), tid, nr);
	ss_reply(id, 0, true);
}

int ss_listener_fd(void)
{
	return __atomic_load_n(&ss_self.fd, __ATOMIC_ACQUIRE);
}

long ss_ioc(unsigned long cmd, void *arg)
{
	return sl_sys3(SYS_ioctl, ss_listener_fd(), cmd, arg);
}

long ss_reply(uint64_t id, long val, bool cont)
{
	struct seccomp_notif_resp r = { .id = id };
	long rc;

	if (cont)
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (val < 0 && val > -4096)
		r.error = (int)val;
	else
		r.val = val;
	/* The lock it takes is interruptible: a helper's cancel signal
	 * must not lose the reply. */
	do
		rc = ss_ioc(SECCOMP_IOCTL_NOTIF_SEND, &r);
	while (rc == -EINTR);
	return rc;
}

static struct ss_slot *find(pid_t tid)
{
	unsigned int i;

	for (i = 0; i < SS_SLOTS; i++)
		if (__atomic_load_n(&ss_slots[i].tid, __ATOMIC_ACQUIRE) == tid)
			return &ss_slots[i];
	return 0;
}

static struct ss_slot *take(pid_t tid)
{
	unsigned int i, h = (unsigned int)tid % SS_SLOTS;

	for (i = 0; i < SS_SLOTS; i++) {
		struct ss_slot *s = &ss_slots[(h + i) % SS_SLOTS];
		int32_t z = 0;

		if (__atomic_compare_exchange_n(&s->tid, &z, tid, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return s;
	}
	return 0;
}

void ss_slot_drop(struct ss_slot *s)
{
	__atomic_store_n(&s->state, S_FREE, __ATOMIC_RELEASE);
	__atomic_store_n(&s->tid, 0, __ATOMIC_RELEASE);
}

static bool cas(struct ss_slot *s, uint32_t *from, uint32_t to)
{
	return __atomic_compare_exchange_n(&s->state, from, to, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* The call of @s ended with @r: reply, or hand @r to its claimer. */
static void settle(struct ss_slot *s, long r)
{
	uint32_t st = S_RUN;

	s->result = r;
	if (!cas(s, &st, S_SENDING)) {
		/* CLAIMED: pthread_cancel() or the watcher waits for it. */
		__atomic_store_n(&s->fin, 1, __ATOMIC_RELEASE);
		sl_futex_wake(&s->fin, 1);
		return;
	}
	if (ss_self.ops.count && r != SS_NOTDONE)
		ss_self.ops.count(s->nr, s->t0, r);
	ss_reply_drop(s, r);
}

/*
 * Free @s, then answer its call with @r (SS_NOTDONE: the caller makes the
 * call itself): freed first, so that the thread's next call finds no slot
 * of its own still in use.
 */
void ss_reply_drop(struct ss_slot *s, long r)
{
	uint64_t id = s->id;
	bool pipe = sl_raises_sigpipe(s->nr, s->args, r), held = s->held;
	pid_t tid = s->tid;
	int nr;

	/*
	 * A write that failed with EPIPE raises SIGPIPE where it was made,
	 * pending before the call returns, as natively: the default action
	 * ends the process before it can print its "write error".
	 */
	if (pipe)
		sl_sys3(SYS_tgkill, ss_self.pid, tid, SIGPIPE);
	nr = s->nr;
	ss_slot_drop(s);
	if (r == SS_NOTDONE)
		ss_cont(id, tid, nr);
	else
		ss_reply(id, r, false);
	if (held)
		ss_board_release(ss_self.board, ss_self.entry, id);
}

/*
 * Answer the call of @s, which pthread_cancel() or the watcher took over
 * (ss_slot_claim()): counted as caught like any other, whether its caller
 * now makes it (SS_NOTDONE) or gets the helper's result.
 */
void ss_reply_claimed(struct ss_slot *s, long r)
{
	if (ss_self.ops.count)
		ss_self.ops.count(s->nr, s->t0, r == SS_NOTDONE ? 0 : r);
	ss_reply_drop(s, r);
}

/* A helper finished (or a canceller stopped) a trapped call; under the
 * context lock. */
static void helper_done(void *owner, const struct sl_trap_end *end)
{
	struct ss_slot *s = owner;
	long r = end->cancelled ? SS_NOTDONE : end->result;

	/* The helper could not act as the caller: the caller makes it, or
	 * (part was done here) it ends short, as a native call may. */
	if (end->refused)
		r = end->done > 0 ? end->done : SS_NOTDONE;
	__atomic_store_n(&s->req, 0, __ATOMIC_RELEASE);
	ss_watch_done();
	settle(s, r);
}

/* Stop @s's helper, if it has one: the lock orders this with dispatch. */
static void cancel_helper(struct ss_slot *s)
{
	struct syslet_ctx *ctx = __atomic_load_n(&s->ctx, __ATOMIC_ACQUIRE);

	if (ctx)
		sl_trap_cancel(ctx, &s->req, s);
}

/* Make the call of @s: try without blocking, else give it to a helper. */
static void run(struct ss_slot *s)
{
	const struct sl_sysent *e = sl_sys(s->nr);
	const struct sl_ident *want = sl_ident_of(s->tid);
	struct syslet_ctx *ctx;
	struct sl_rw rw = { 0 };
	uint32_t st = S_RUN;
	bool listed;
	long r;

	/*
	 * Made as the thread that made it, or not here: tried without
	 * blocking only where this thread's identity is the caller's, and
	 * handed to a helper that takes the caller's (ident.h).
	 */
	if (!want)
		goto home;
	/*
	 * A wait for a child is made by its caller, not tried here first:
	 * a try that reaps a child, or a tracee's stop, and whose answer is
	 * then not taken (a call answered twice: the orphan scan takes a
	 * listener that a tracer stops at RECV's exit for one that waits)
	 * would lose that event for good, and strace -f would wait for it
	 * for ever (bs_nomode_hint).  Made natively, nothing is lost.
	 */
	if (s->nr == SYS_wait4 || s->nr == SYS_waitid)
		goto home;
	if (want == sl_ident_self(sl_ident_tracked)) {
		switch (sl_nowait_strict(s->nr, e, s->args, &rw, &r)) {
		case 0:
			settle(s, r);
			return;
		case SL_NOMODE:
			/* No way to try it: made natively by its caller, as
			 * the shim makes it (a log's write, not a hand-off). */
			goto home;
		}
	}
	/*
	 * A wait that would block waits natively: a helper cannot shorten
	 * it, and there stops act on it (a tracer that waits for its tracee
	 * to stop, as LeakSanitizer's does, would otherwise wait for ever).
	 */
	ctx = ss_self.ops.ctx && !sl_pure_wait(s->nr) ? ss_self.ops.ctx() : 0;
	/* A signal handler's call, its thread holding the lock: CONTINUE. */
	if (ctx && sl_ctx_held_by(ctx, s->tid))
		ctx = 0;
	__atomic_store_n(&s->ctx, ctx, __ATOMIC_RELEASE);
	/* Unanswered once we wait again: listed, or the keeper would take
	 * it for an orphan (board.h).  No room: not given to a helper. */
	listed = !ss_self.board ||
		 (ctx && ss_board_hold(ss_self.board, ss_self.entry, s->id));
	s->held = ss_self.board && listed;
	if (ctx && listed &&
	    !sl_trap_dispatch(ctx, s->nr, s->args, &rw, want, helper_done, s,
			      &s->req)) {
		/* Counted before the helper can end it (helper_done()). */
		ss_watch_add(s);
		/* A claim that came before the request could be seen. */
		if (__atomic_load_n(&s->state, __ATOMIC_SEQ_CST) == S_CLAIMED)
			cancel_helper(s);
		return;
	}
	if (s->held) {
		ss_board_release(ss_self.board, ss_self.entry, s->id);
		s->held = false;
	}
	if (rw.op == SL_RW_NONE) {
home:
		/* No helper: the caller makes the call itself. */
		if (cas(s, &st, S_SENDING)) {
			if (ss_self.ops.count)
				ss_self.ops.count(s->nr, s->t0, 0);
			ss_reply_drop(s, SS_NOTDONE);
		} else {
			settle(s, SS_NOTDONE);
		}
		return;
	}
	/* Part done and no helper: finish it here (doc/backstop.md). */
	settle(s, sl_finish_blocking(s->nr, s->args, &rw,
				     (const volatile int *)&s->fin));
}

void ss_handle(struct ss_seen *c, const struct seccomp_notif *n)
{
	const struct sl_sysent *e = sl_sys((int)n->data.nr);
	pid_t tid = (pid_t)n->pid;
	struct ss_slot *s;
	int nr = (int)n->data.nr, i;

	ss_guard_closed(n);
	if (!tid || n->data.arch != AUDIT_ARCH_X86_64) {
		ss_cont(n->id, tid, nr);
		return;
	}
	if (!ss_ours_is(c, tid)) {
		ss_foreign(c, n);
		return;
	}
	ss_ident_news();
	/* Our own threads' calls (glibc's setuid() broadcast) are made
	 * natively: one of them may be the thread that would make it. */
	if (ss_svc_is(tid)) {
		if (sl_ident_effect(nr, (const long *)n->data.args) ==
		    SL_IDENT_CHANGES)
			sl_ident_changed();
		ss_reply(n->id, 0, true);
		return;
	}
	/* Back with a caught call: the one it made itself is over. */
	ss_marks_take(marks(), tid);
	if (ss_guard(n))
		return;
	/* Identity is the caller's, never the listener's. */
	if (nr == SYS_gettid || nr == SYS_getpid || nr == SYS_getppid) {
		long r = nr == SYS_gettid   ? tid
			 : nr == SYS_getpid ? ss_self.pid
					    : sl_sys0(SYS_getppid);

		ss_reply(n->id, r, false);
		if (ss_self.ops.count)
			ss_self.ops.count(
				nr, ss_self.ops.now ? ss_self.ops.now() : 0, r);
		return;
	}
	/*
	 * A change of the thread's identity (caught whatever the policy
	 * says): re-read identities from now on, or keep the thread's calls
	 * on it.  It cannot make another call before this one is made.
	 */
	switch (sl_ident_effect(nr, (const long *)n->data.args)) {
	case SL_IDENT_CHANGES:
		sl_ident_changed();
		break;
	case SL_IDENT_PINS:
		sl_ident_pin_tid(tid);
		break;
	default:
		break;
	}
	/* Calls that act on their own thread are made there (counted as
	 * caught: their result is not ours to see). */
	if (!e || e->cls != SYSLET_CLASS_ANY ||
	    sl_thread_bound(nr, (const long *)n->data.args, 0) ||
	    !(s = take(tid))) {
		ss_cont(n->id, tid, nr);
		if (ss_self.ops.count)
			ss_self.ops.count(
				nr, ss_self.ops.now ? ss_self.ops.now() : 0, 0);
		return;
	}
	s->id = n->id;
	s->nr = nr;
	for (i = 0; i < 6; i++)
		s->args[i] = (long)n->data.args[i];
	s->fin = 0;
	s->req = 0;
	s->ctx = 0;
	s->held = false;
	s->t0 = ss_self.ops.now ? ss_self.ops.now() : 0;
	/*
	 * No SECCOMP_IOCTL_NOTIF_ID_VALID: a thread of ours cannot die in
	 * its call but with the whole process, this thread included.
	 */
	__atomic_store_n(&s->state, S_RUN, __ATOMIC_SEQ_CST);
	run(s);
}

/*
 * Take @s over from whoever makes its call (pthread_cancel(), the
 * watcher): returns the call's result, or SS_NOTDONE if it was stopped
 * before doing anything; the caller then replies and drops @s.
 * SS_UNCLAIMED: @s is free, or claimed by someone else: not ours.
 */
long ss_slot_claim(struct ss_slot *s)
{
	uint32_t st = S_RUN;

	while (!cas(s, &st, S_CLAIMED)) {
		if (st != S_SENDING)
			return SS_UNCLAIMED;
		sl_sys0(SYS_sched_yield);
		st = S_RUN;
	}
	cancel_helper(s);
	while (!__atomic_load_n(&s->fin, __ATOMIC_ACQUIRE))
		sl_futex_wait(&s->fin, 0, 0);
	return s->result;
}

void ss_listener_cancel(pid_t tid)
{
	struct ss_slot *s;
	long r;

	if (ss_listener_fd() < 0 || !(s = find(tid)))
		return;
	r = ss_slot_claim(s);
	if (r == SS_UNCLAIMED)
		return;
	/*
	 * The thread still waits in the kernel.  Not done: it makes the call
	 * itself, where the cancel acts as it would natively (or not at all,
	 * with cancellation disabled).  Done first: it gets the result.
	 */
	ss_reply_claimed(s, r);
}
