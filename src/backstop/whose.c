// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Whose call is it: a thread of this process, one of our own service
 * threads, or another process's, whose listener makes it (forwarded
 * through the board's inbox, doc/backstop.md "Process trees").  Split
 * from listener.c, whose ss_handle() asks.
 */
#define _GNU_SOURCE
#include <linux/seccomp.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "board.h"
#include "slot.h"

/*
 * Threads of ours seen lately, so that the common case costs no tgkill():
 * a TID is reused only after the kernel has handed out every other number
 * up to pid_max, which takes far longer than OURS_NS.  Other processes'
 * threads likewise, with the board's entry of their process.  Each
 * thread that runs ss_handle() (the listener, the forwarder) has its own
 * (struct ss_seen, slot.h).
 */
#define OURS_NS 100000000

static int64_t coarse_now(void)
{
	struct timespec ts;

	/* The coarse clock (vDSO, ticks of a few ms) is plenty here. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool ss_ours_is(struct ss_seen *c, pid_t tid)
{
	unsigned int i = (unsigned int)tid % SS_SEEN;
	int64_t now = coarse_now();

	if (c->ours[i].tid == tid && now < c->ours[i].until)
		return true;
	if (sl_sys3(SYS_tgkill, ss_self.pid, tid, 0))
		return false;
	c->ours[i].tid = tid;
	c->ours[i].until = now + OURS_NS;
	return true;
}

/* Is @tid a thread of ours other than the listener? */
bool ss_svc_is(pid_t tid)
{
	int i;

	for (i = 0; i < SS_SVC_N; i++)
		if (ss_self.svc[i] == tid)
			return true;
	return false;
}

/* The board's entry for thread @tid of another process (board.h). */
static int owner_of(struct ss_seen *c, pid_t tid)
{
	struct ss_board *b = ss_self.board;
	unsigned int i = (unsigned int)tid % SS_SEEN;
	int64_t now = coarse_now();
	pid_t fwd = 0;
	int to;

	/* An entry seen lately, whose forwarder still lives (after an
	 * exec the same TID is another image's, with another entry). */
	if (c->owners[i].tid == tid && now < c->owners[i].until &&
	    (c->owners[i].entry == SS_OWNER_SVC ||
	     ss_board_fwd_alive(b, c->owners[i].entry, c->owners[i].fwd)))
		return c->owners[i].entry;
	to = ss_board_owner(b, ss_self.entry, tid, &fwd);
	if (to == -1)
		return to; /* it may start its listener any moment */
	c->owners[i].tid = tid;
	c->owners[i].entry = to;
	c->owners[i].fwd = fwd;
	c->owners[i].until = now + OURS_NS;
	return to;
}

/*
 * A call of another process: that process's listener makes it, on its own
 * helpers, counted there; without one (a vfork() child, an image before
 * its shim is up), or with its inbox full, it is made natively there.  A
 * service thread's call is answered at once: it may be the very thread
 * that would take it (glibc's setuid() broadcast).
 */
void ss_foreign(struct ss_seen *c, const struct seccomp_notif *n)
{
	pid_t tid = (pid_t)n->pid;
	int nr = (int)n->data.nr;
	int to = ss_self.board ? owner_of(c, tid) : -1;

	if (to >= 0 && ss_board_forward(ss_self.board, to, n))
		return;
	/* Made natively: its process must read identities afresh. */
	if (to >= 0 &&
	    sl_ident_effect(nr, (const long *)n->data.args) != SL_IDENT_NONE)
		__atomic_add_fetch(&ss_self.board->e[to].ident, 1,
				   __ATOMIC_SEQ_CST);
	if (to == SS_OWNER_SVC)
		ss_reply(n->id, 0, true);
	else
		ss_cont(n->id, tid, nr);
}

/* Another listener let an identity change of ours run natively. */
void ss_ident_news(void)
{
	uint32_t g;

	if (!ss_self.board || ss_self.entry < 0)
		return;
	g = __atomic_load_n(&ss_self.board->e[ss_self.entry].ident,
			    __ATOMIC_SEQ_CST);
	if (g != __atomic_exchange_n(&ss_self.ident_seen, g, __ATOMIC_SEQ_CST))
		sl_ident_changed();
}
