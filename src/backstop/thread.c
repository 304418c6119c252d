// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The listener's thread (listener.h): made, named and started, before the
 * filter when it can (so that its own calls are never caught), and again
 * in a fork() child.  What it does with each notification is listener.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "board.h"
#include "listener.h"
#include "slot.h"

/*
 * The thread never asks which CPU it is on, and the kernel would update
 * its rseq area on each of the two switches a trapped call costs: off
 * (about 2% of the round trip).  The C library then asks the kernel.
 */
static void no_rseq(void)
{
	struct rseq *r;

	if (!__rseq_size)
		return;
	r = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
	/* glibc 2.35-2.39 register 32 bytes but publish 20 as the size. */
	if (sl_sys4(SYS_rseq, r, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) &&
	    sl_sys4(SYS_rseq, r, sizeof(*r), RSEQ_FLAG_UNREGISTER, RSEQ_SIG))
		return;
	__atomic_store_n(&r->cpu_id, (uint32_t)RSEQ_CPU_ID_REGISTRATION_FAILED,
			 __ATOMIC_RELAXED);
}

/* go: whether a thread started early may listen (ss_listener_prestart()). */
#define GO_WAIT 0u
#define GO_RUN 1u
#define GO_QUIT 2u
static uint32_t go = GO_RUN;
static bool prestarted;
/* futex: the listener has its entry on the board under its own TID. */
static uint32_t listed;

/* futex: the forwarder may serve ss_self.entry (ss_listener_start()). */
static uint32_t fwd_go;
/* Their caches of threads seen (ss_handle()). */
static struct ss_seen listener_seen, fwd_seen;

/*
 * The forwarder (syslet-fwd): this process's calls that another process's
 * listener received and left in our inbox on the board (board.h).  Each
 * stays listed there until it is answered or held.  Made with the
 * listener, never by it.  It runs ss_handle() beside the listener, not
 * after it: were the listener to wait in a call it tries (a FIFO's open
 * waits for the other end, which may be in our inbox), the forwarder
 * must not wait for it.
 */
static void *fwd_main(void *arg)
{
	struct ss_board *b;
	struct seccomp_notif n;
	int entry, i;

	(void)arg;
	no_rseq();
	while (!__atomic_load_n(&fwd_go, __ATOMIC_ACQUIRE))
		sl_futex_wait(&fwd_go, 0, 0);
	b = ss_self.board;
	entry = ss_self.entry;
	for (;;) {
		while ((i = ss_board_inbox_take(b, entry, &n)) >= 0) {
			ss_handle(&fwd_seen, &n);
			ss_board_inbox_done(b, entry, i);
		}
		ss_board_inbox_wait(b, entry);
	}
	return 0;
}

static void *listener_main(void *arg)
{
	struct seccomp_notif n;
	uint32_t g;
	long rc;

	(void)arg;
	no_rseq();
	while ((g = __atomic_load_n(&go, __ATOMIC_ACQUIRE)) == GO_WAIT)
		sl_futex_wait(&go, GO_WAIT, 0);
	if (g == GO_QUIT) {
		sl_thread_unhide();
		return 0;
	}
	if (ss_self.board)
		ss_board_retid(ss_self.board, ss_self.entry,
			       (pid_t)sl_sys0(SYS_gettid));
	__atomic_store_n(&listed, 1, __ATOMIC_RELEASE);
	sl_futex_wake(&listed, 1);
	for (;;) {
		memset(&n, 0, sizeof(n));
		rc = ss_ioc(SECCOMP_IOCTL_NOTIF_RECV, &n);
		if (rc == -EINTR || rc == -ENOENT)
			continue;
		if (rc) {
			/* Our fd is gone: the keeper answers now. */
			sl_warn_once("the seccomp listener stopped", (int)-rc);
			sl_thread_unhide();
			return 0;
		}
		if (ss_self.board)
			ss_board_seen(ss_self.board, n.id);
		ss_handle(&listener_seen, &n);
	}
}

static int join(void)
{
	ss_self.pid = (pid_t)sl_sys0(SYS_getpid);
	/* Signed in now, under our TID until the thread runs: the keeper
	 * must not take our first calls. */
	if (ss_self.board) {
		ss_self.entry = ss_board_join(ss_self.board, ss_self.pid,
					      (pid_t)sl_sys0(SYS_gettid));
		/* No room to list what we hold: better no listener. */
		if (ss_self.entry < 0)
			return -ENOSPC;
	}
	return 0;
}

/*
 * Until the listener has taken over the entry its creator signed in under
 * its own TID: a process that execs at once (a shell's child) would leave
 * the entry under a thread that lives on as the new image's, listening to
 * nothing, and the keeper would wait for it for ever before it answers an
 * orphan (board.h).
 */
static void wait_listed(void)
{
	while (!__atomic_load_n(&listed, __ATOMIC_ACQUIRE))
		sl_futex_wait(&listed, 0, 0);
}

static int spawn_thread(void)
{
	return sl_thread_start(listener_main, 0, "syslet-trap", 64 * 1024);
}

/*
 * The threads the answering path must never make itself: pthread_create()
 * may wait for a lock of the dynamic loader that a program thread holds
 * while its caught call waits for the listener (spawner.c).  Made here, on
 * a thread that may wait.  Without them the listener makes helpers itself,
 * and signals wait for the end of a call on a helper.
 */
static void aside(const struct ss_listener_ops *o)
{
	struct syslet_ctx *ctx = o && o->ctx ? o->ctx() : 0;

	if (ctx && sl_spawner_start(ctx))
		sl_warn_once("cannot start the helper spawner", EAGAIN);
	ss_self.svc[SS_SVC_SPAWN] = sl_spawner_tid();
	ss_self.svc[SS_SVC_WATCH] = ss_watch_start();
	/* None: other listeners let our calls run natively. */
	if (!ss_self.svc[SS_SVC_FWD] &&
	    sl_thread_start_tid(fwd_main, 0, "syslet-fwd", 64 * 1024,
				&ss_self.svc[SS_SVC_FWD]))
		sl_warn_once("cannot start the seccomp forwarder", EAGAIN);
}

/*
 * Our threads on the board, then the forwarder on its inbox: other
 * listeners answer our threads' calls and pass us the rest.
 */
static void publish(void)
{
	int i;

	if (!ss_self.board)
		return;
	for (i = 0; i < SS_SVC_N; i++)
		ss_board_svc(ss_self.board, ss_self.entry, i, ss_self.svc[i]);
	ss_self.ident_seen = __atomic_load_n(
		&ss_self.board->e[ss_self.entry].ident, __ATOMIC_ACQUIRE);
	__atomic_store_n(&fwd_go, 1, __ATOMIC_RELEASE);
	sl_futex_wake(&fwd_go, 1);
}

static int spawn(void)
{
	int rc = join();

	if (rc)
		return rc;
	aside(&ss_self.ops);
	listed = 0;
	rc = spawn_thread();
	if (!rc) {
		wait_listed();
		publish();
	}
	return rc;
}

static void set_go(uint32_t g)
{
	__atomic_store_n(&go, g, __ATOMIC_RELEASE);
	sl_futex_wake(&go, 1);
}

int ss_listener_prestart(const struct ss_listener_ops *ops)
{
	int rc;

	aside(ops);
	go = GO_WAIT;
	listed = 0;
	rc = spawn_thread();
	prestarted = !rc;
	if (rc)
		go = GO_RUN;
	return rc;
}

void ss_listener_unstart(void)
{
	if (prestarted)
		set_go(GO_QUIT);
	prestarted = false;
}

int ss_listener_start(int fd, struct ss_board *b,
		      const struct ss_listener_ops *o)
{
	int rc;

	ss_self.fd = fd;
	ss_self.board = b;
	ss_self.ops = *o;
	if (!prestarted)
		return spawn();
	prestarted = false;
	rc = join();
	if (!rc)
		aside(o);
	set_go(rc ? GO_QUIT : GO_RUN);
	if (!rc) {
		wait_listed();
		publish();
	}
	return rc;
}

int ss_listener_child(void)
{
	if (ss_self.fd < 0)
		return 0;
	/* The parent's calls in flight and threads are not ours. */
	memset(&listener_seen, 0, sizeof(listener_seen));
	memset(&fwd_seen, 0, sizeof(fwd_seen));
	memset(ss_self.svc, 0, sizeof(ss_self.svc));
	fwd_go = 0;
	memset(ss_slots, 0, sizeof(ss_slots));
	memset(&ss_self.own_marks, 0, sizeof(ss_self.own_marks));
	ss_watch_child();
	go = GO_RUN;
	prestarted = false;
	return spawn();
}
