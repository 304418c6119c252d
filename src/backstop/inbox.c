// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The board's inboxes (board.h): another process's caught call passed to
 * the listener of the process that made it, whose forwarder makes it; the
 * owner of a thread found by its TID; and the keeper's look at inboxes
 * whose forwarder is stuck.  Split from board.c.  Raw calls through the
 * gate only: the keeper uses it too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "board.h"

void ss_board_svc(struct ss_board *b, int entry, int which, pid_t tid)
{
	__atomic_store_n(&b->e[entry].svc[which], tid, __ATOMIC_RELEASE);
}

/* Thread @tid of process @pid lives. */
static bool lives(pid_t pid, pid_t tid)
{
	return pid > 0 && tid > 0 && sl_sys3(SYS_tgkill, pid, tid, 0) != -ESRCH;
}

bool ss_board_fwd_alive(const struct ss_board *b, int to, pid_t fwd)
{
	return __atomic_load_n(&b->e[to].svc[SS_SVC_FWD], __ATOMIC_ACQUIRE) ==
		       fwd &&
	       lives(__atomic_load_n(&b->e[to].pid, __ATOMIC_ACQUIRE), fwd);
}

int ss_board_owner(const struct ss_board *b, int self, pid_t tid, pid_t *fwd)
{
	int i, j;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		pid_t pid = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);

		if (pid <= 0)
			continue;
		/* A TID is not reused while its thread lives: no tgkill(). */
		if (__atomic_load_n(&b->e[i].tid, __ATOMIC_ACQUIRE) == tid)
			return SS_OWNER_SVC;
		for (j = 0; j < SS_SVC_N; j++)
			if (__atomic_load_n(&b->e[i].svc[j],
					    __ATOMIC_ACQUIRE) == tid)
				return SS_OWNER_SVC;
	}
	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		pid_t pid = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);
		pid_t f = __atomic_load_n(&b->e[i].svc[SS_SVC_FWD],
					  __ATOMIC_ACQUIRE);

		/* An entry of the same process before its exec has no
		 * forwarder left. */
		if (i == self || pid <= 0 || !f ||
		    sl_sys3(SYS_tgkill, pid, tid, 0) || !lives(pid, f))
			continue;
		*fwd = f;
		return i;
	}
	return -1;
}

bool ss_board_forward(struct ss_board *b, int to, const struct seccomp_notif *n)
{
	struct ss_fwd *f;
	uint32_t st;
	int i;

	for (i = 0; i < SS_INBOX; i++) {
		f = &b->e[to].in[i];
		st = SS_FWD_FREE;
		if (!__atomic_compare_exchange_n(&f->state, &st, SS_FWD_WRITING,
						 false, __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		f->n = *n;
		__atomic_store_n(&f->state, SS_FWD_READY, __ATOMIC_RELEASE);
		/* The forwarder stores inbox_sleep before it reads the
		 * sequence and looks: it sees the call, or we see it wait. */
		__atomic_add_fetch(&b->e[to].inbox_seq, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&b->e[to].inbox_sleep, __ATOMIC_SEQ_CST))
			/* Shared, not private: the word is in another
			 * process. */
			sl_sys3(SYS_futex, &b->e[to].inbox_seq, FUTEX_WAKE, 1);
		return true;
	}
	return false;
}

int ss_board_inbox_take(struct ss_board *b, int entry, struct seccomp_notif *n)
{
	struct ss_fwd *f;
	uint32_t st;
	int i;

	for (i = 0; i < SS_INBOX; i++) {
		f = &b->e[entry].in[i];
		st = SS_FWD_READY;
		if (__atomic_load_n(&f->state, __ATOMIC_ACQUIRE) != st ||
		    !__atomic_compare_exchange_n(&f->state, &st, SS_FWD_TAKEN,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		*n = f->n;
		return i;
	}
	return -1;
}

void ss_board_inbox_done(struct ss_board *b, int entry, int i)
{
	__atomic_store_n(&b->e[entry].in[i].state, SS_FWD_FREE,
			 __ATOMIC_RELEASE);
}

void ss_board_inbox_wait(struct ss_board *b, int entry)
{
	uint32_t *w = &b->e[entry].inbox_seq, seq;
	int i;

	__atomic_store_n(&b->e[entry].inbox_sleep, 1, __ATOMIC_SEQ_CST);
	seq = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	for (i = 0; i < SS_INBOX; i++)
		if (__atomic_load_n(&b->e[entry].in[i].state,
				    __ATOMIC_ACQUIRE) == SS_FWD_READY)
			break;
	if (i == SS_INBOX)
		sl_sys4(SYS_futex, w, FUTEX_WAIT, seq, 0);
	__atomic_store_n(&b->e[entry].inbox_sleep, 0, __ATOMIC_RELAXED);
}

/*
 * What entry @i's forwarder does, by /proc: FWD_RUNS (runnable: it gets
 * to its inbox, however busy the machine), FWD_IDLE (waiting on its inbox
 * word, though a call is there: woken again) or FWD_STUCK (waiting in
 * something else, maybe in a call it tries, which may wait for a call
 * behind it in its inbox).
 */
enum { FWD_RUNS, FWD_IDLE, FWD_STUCK };

static int fwd_state(const struct ss_board *b, int i)
{
	pid_t pid = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);
	pid_t fwd = __atomic_load_n(&b->e[i].svc[SS_SVC_FWD], __ATOMIC_ACQUIRE);
	char buf[512], *p;

	if (sl_task_file(pid, fwd, "stat", buf, sizeof(buf)) <= 0)
		return FWD_STUCK; /* gone: the calls went with it */
	p = strrchr(buf, ')');
	if (p && p[1] == ' ' && p[2] == 'R')
		return FWD_RUNS;
	/* "202 0xADDR 0x0 ...": futex(FUTEX_WAIT), shared: the inbox's. */
	if (sl_task_file(pid, fwd, "syscall", buf, sizeof(buf)) > 0 &&
	    strtol(buf, &p, 10) == SYS_futex) {
		strtoul(p, &p, 16);
		if (strtoul(p, 0, 16) == FUTEX_WAIT)
			return FWD_IDLE;
	}
	return FWD_STUCK;
}

/* Wake entry @i's forwarder. */
static void wake_fwd(struct ss_board *b, int i)
{
	__atomic_add_fetch(&b->e[i].inbox_seq, 1, __ATOMIC_SEQ_CST);
	sl_sys3(SYS_futex, &b->e[i].inbox_seq, FUTEX_WAKE, 1);
}

/* Answer the call in @f CONTINUE (TAKEN by us), of entry @i's process. */
static void rescue(struct ss_board *b, int i, int fd, struct ss_fwd *f)
{
	struct seccomp_notif_resp r;

	/* Natively: its process reads identities afresh, its thread's
	 * handlers know. */
	if (sl_ident_effect((long)f->n.data.nr, (const long *)f->n.data.args) !=
	    SL_IDENT_NONE)
		__atomic_add_fetch(&b->e[i].ident, 1, __ATOMIC_SEQ_CST);
	if (f->n.pid)
		ss_marks_set(&b->marks, (pid_t)f->n.pid, (int)f->n.data.nr);
	memset(&r, 0, sizeof(r));
	r.id = f->n.id;
	r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	while (sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_SEND, &r) == -EINTR)
		;
	__atomic_store_n(&f->state, SS_FWD_FREE, __ATOMIC_RELEASE);
}

void ss_board_inbox_stale(struct ss_board *b, int fd, struct ss_stale *st)
{
	struct ss_stale now = { .n = 0 };
	struct ss_fwd *f;
	uint32_t ready;
	uint64_t id;
	int i, j, k, how;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		if (__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE) <= 0)
			continue;
		how = -1;
		for (j = 0; j < SS_INBOX; j++) {
			f = &b->e[i].in[j];
			if (__atomic_load_n(&f->state, __ATOMIC_ACQUIRE) !=
			    SS_FWD_READY)
				continue;
			id = f->n.id;
			for (k = 0; k < st->n && st->id[k] != id; k++)
				;
			/* Seen at the last look too, and its forwarder
			 * neither runs nor waits for calls: it is stuck. */
			if (k < st->n && how < 0)
				how = fwd_state(b, i);
			if (k < st->n && how == FWD_IDLE)
				wake_fwd(b, i);
			if (k == st->n || how != FWD_STUCK) {
				if (now.n < SS_STALE_MAX)
					now.id[now.n++] = id;
				continue;
			}
			ready = SS_FWD_READY;
			if (!__atomic_compare_exchange_n(
				    &f->state, &ready, SS_FWD_TAKEN, false,
				    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				continue;
			if (f->n.id == id) {
				rescue(b, i, fd, f);
				continue;
			}
			/* Another call since: its forwarder lives, and may
			 * have passed it by meanwhile. */
			__atomic_store_n(&f->state, SS_FWD_READY,
					 __ATOMIC_RELEASE);
			wake_fwd(b, i);
		}
	}
	*st = now;
}
