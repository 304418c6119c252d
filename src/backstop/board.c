// SPDX-License-Identifier: LGPL-2.1-or-later
/* The board of listeners; see board.h.  Raw calls through the gate only:
 * the keeper uses it too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "board.h"

#define BOARD_SIZE ((sizeof(struct ss_board) + 4095) & ~(size_t)4095)
/*
 * Ids below the newest listed that a scan looks at, and above it (a
 * listener that died between receiving a call and listing it never said
 * so).
 */
#define SCAN_IDS 4096
#define SCAN_AHEAD 256

int ss_board_map(int fd, struct ss_board **b)
{
	struct stat st;
	long p;

	/* Another version's smaller board would fault past its end. */
	if (sl_sys2(SYS_fstat, fd, &st) || (size_t)st.st_size < BOARD_SIZE)
		return -EINVAL;
	p = sl_sys6(SYS_mmap, 0, BOARD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);

	if (p < 0 && p > -4096)
		return (int)p;
	*b = (struct ss_board *)p;
	return 0;
}

int ss_board_create(struct ss_board **b)
{
	long fd = sl_sys2(SYS_memfd_create, "syslet-board", MFD_CLOEXEC);
	int rc;

	if (fd < 0)
		return (int)fd;
	rc = (int)sl_sys2(SYS_ftruncate, fd, BOARD_SIZE);
	if (!rc)
		rc = ss_board_map((int)fd, b);
	if (rc) {
		sl_sys1(SYS_close, fd);
		return rc;
	}
	return (int)fd;
}

/* The listener thread lives (not after its process's exec()). */
static bool alive(const struct ss_board *b, int i)
{
	pid_t pid = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);
	pid_t tid = __atomic_load_n(&b->e[i].tid, __ATOMIC_ACQUIRE);

	return pid > 0 && tid > 0 && sl_sys3(SYS_tgkill, pid, tid, 0) != -ESRCH;
}

/*
 * An entry is claimed under -pid and published under pid once its thread
 * and list are set: a joiner that saw the pid with the old, dead thread
 * would take the entry for a dead listener's and take it over.  A claim
 * whose process died before it finished may be taken over.
 */
int ss_board_join(struct ss_board *b, pid_t pid, pid_t tid)
{
	int i;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		int32_t p = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);

		if (p > 0 ? alive(b, i)
			  : p < 0 && sl_sys2(SYS_kill, -p, 0) != -ESRCH)
			continue;
		if (!__atomic_compare_exchange_n(&b->e[i].pid, &p, -pid, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&b->e[i].tid, tid, __ATOMIC_RELEASE);
		memset(b->e[i].held, 0, sizeof(b->e[i].held));
		memset(b->e[i].svc, 0, sizeof(b->e[i].svc));
		memset(b->e[i].in, 0, sizeof(b->e[i].in));
		__atomic_store_n(&b->e[i].pid, pid, __ATOMIC_RELEASE);
		return i;
	}
	return -ENOSPC;
}

void ss_board_closed_set(struct ss_board *b, pid_t tid)
{
	uint32_t i = __atomic_fetch_add(&b->nclosed, 1, __ATOMIC_RELAXED);

	__atomic_store_n(&b->closed[i % SS_BOARD_CLOSED], tid,
			 __ATOMIC_RELEASE);
}

bool ss_board_closed(const struct ss_board *b, pid_t pid, pid_t ppid)
{
	int32_t t;
	int i;

	for (i = 0; i < SS_BOARD_CLOSED; i++) {
		t = __atomic_load_n(&b->closed[i], __ATOMIC_ACQUIRE);
		if (t && (t == pid || t == ppid))
			return true;
	}
	return false;
}

bool ss_board_listening(const struct ss_board *b)
{
	int i;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		if (__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE) &&
		    alive(b, i))
			return true;
	}
	return false;
}

void ss_board_retid(struct ss_board *b, int entry, pid_t tid)
{
	if (entry >= 0 && entry < SS_BOARD_SLOTS)
		__atomic_store_n(&b->e[entry].tid, tid, __ATOMIC_RELEASE);
}

void ss_board_seen(struct ss_board *b, uint64_t id)
{
	__atomic_store_n(&b->last_id, id, __ATOMIC_RELAXED);
}

bool ss_board_hold(struct ss_board *b, int entry, uint64_t id)
{
	uint64_t *h = b->e[entry].held;
	int i;

	uint64_t z;

	/* The listener and the forwarder hold calls at once. */
	for (i = 0; i < SS_BOARD_CELLS; i++) {
		z = 0;
		if (!__atomic_load_n(&h[i], __ATOMIC_RELAXED) &&
		    __atomic_compare_exchange_n(&h[i], &z, id, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return true;
	}
	return false;
}

void ss_board_release(struct ss_board *b, int entry, uint64_t id)
{
	uint64_t *h = b->e[entry].held;
	int i;

	for (i = 0; i < SS_BOARD_CELLS; i++)
		if (__atomic_load_n(&h[i], __ATOMIC_RELAXED) == id) {
			__atomic_store_n(&h[i], 0, __ATOMIC_RELEASE);
			return;
		}
}

/*
 * Listed by a listener that lives?  Its thread, not its process: an exec
 * kills the listener, and a zombie still answers kill(pid, 0).
 */
static bool held(const struct ss_board *b, uint64_t id)
{
	const struct ss_fwd *f;
	uint32_t st;
	int i, j;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		if (!__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE))
			continue;
		for (j = 0; j < SS_BOARD_CELLS; j++)
			if (__atomic_load_n(&b->e[i].held[j],
					    __ATOMIC_ACQUIRE) == id &&
			    alive(b, i))
				return true;
		/* In its inbox, while its forwarder lives. */
		for (j = 0; j < SS_INBOX; j++) {
			f = &b->e[i].in[j];
			st = __atomic_load_n(&f->state, __ATOMIC_ACQUIRE);
			if ((st == SS_FWD_READY || st == SS_FWD_TAKEN) &&
			    f->n.id == id &&
			    ss_board_fwd_alive(
				    b, i,
				    __atomic_load_n(&b->e[i].svc[SS_SVC_FWD],
						    __ATOMIC_ACQUIRE)))
				return true;
		}
	}
	return false;
}

static bool unanswered(int fd, uint64_t id)
{
	/* 0: received (SENT), not answered. */
	return !sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id);
}

/* /proc/PID/task/TID/@what of entry @i (sl_task_file()). */
static long task_file(const struct ss_board *b, int i, const char *what,
		      char *buf, size_t n)
{
	return sl_task_file(__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE),
			    __atomic_load_n(&b->e[i].tid, __ATOMIC_ACQUIRE),
			    what, buf, n);
}

/* Is listener @i waiting in RECV, holding nothing it has not listed? */
static bool waiting(const struct ss_board *b, int i)
{
	char buf[128], *e;
	long n;

	/*
	 * Not the listener thread (syslet-trap): the entry is still under
	 * the thread that signed it in, whose listener has received nothing
	 * yet, or never will (it was killed by an exec before it took the
	 * entry over): it holds nothing.
	 */
	if (task_file(b, i, "comm", buf, sizeof(buf)) > 0 &&
	    strncmp(buf, "syslet-trap", 11))
		return true;
	n = task_file(b, i, "syscall", buf, sizeof(buf));
	if (n <= 0)
		return !alive(b, i);
	/*
	 * "-1 0x0 0x0": a thread with no user context left, the leader of
	 * a process that has exited, which its parent has not reaped (and
	 * may never, if its caught call is the orphan).  tgkill() still
	 * finds it, but it will never receive: as good as waiting.
	 */
	if (!strncmp(buf, "-1 0x0 0x0", 10))
		return true;
	/* "16 0xFD 0xc0502100 ...": ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV) */
	if (strtol(buf, &e, 10) != SYS_ioctl)
		return false;
	strtoul(e, &e, 16);
	return strtoul(e, 0, 16) == (unsigned long)SECCOMP_IOCTL_NOTIF_RECV;
}

/* Every live listener waits in RECV: none is between receiving a call
 * and listing it. */
static bool all_waiting(const struct ss_board *b)
{
	int i;

	for (i = 0; i < SS_BOARD_SLOTS; i++)
		if (__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE) &&
		    alive(b, i) && !waiting(b, i))
			return false;
	return true;
}

/*
 * A call received but not answered, that no live listener lists, while
 * every live listener waits for more: the listener that received it has
 * died, and nobody will answer it.  Checked in that order, it cannot be a
 * call a listener has received and is about to list.
 */
void ss_board_orphans(struct ss_board *b, int fd, struct ss_orphans *o)
{
	uint64_t last = __atomic_load_n(&b->last_id, __ATOMIC_RELAXED), id;
	uint64_t from = last - SCAN_IDS, to = last + SCAN_AHEAD;
	uint64_t cand[SS_ORPHANS_MAX];
	int i, n = 0;

	if (!last)
		return;
	for (i = 0; i < o->n; i++)
		if (unanswered(fd, o->cand[i]) && !held(b, o->cand[i]))
			cand[n++] = o->cand[i];
	if (o->scans++ % 20 && o->scanned && last - o->scanned < SCAN_IDS)
		from = o->scanned - 64;
	for (id = to; id != from && n < SS_ORPHANS_MAX; id--) {
		for (i = 0; i < n && cand[i] != id; i++)
			;
		if (i == n && unanswered(fd, id) && !held(b, id))
			cand[n++] = id;
	}
	o->scanned = last;
	memcpy(o->cand, cand, sizeof(cand[0]) * (size_t)n);
	o->n = n;
	if (!n || !all_waiting(b))
		return;
	for (i = 0; i < n; i++) {
		struct seccomp_notif_resp r = {
			.id = cand[i], .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE
		};

		if (!unanswered(fd, cand[i]) || held(b, cand[i]))
			continue;
		while (sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_SEND, &r) ==
		       -EINTR)
			;
	}
	o->n = 0;
}

void ss_marks_set(struct ss_marks *m, pid_t tid, int nr)
{
	unsigned int i = (unsigned int)tid % SS_BOARD_MARKS;
	uint64_t v = (uint64_t)(uint32_t)tid << 32 | (uint32_t)nr;

	if (!__atomic_exchange_n(&m->m[i], v, __ATOMIC_ACQ_REL))
		__atomic_fetch_add(&m->n, 1, __ATOMIC_RELEASE);
}

int ss_marks_take(struct ss_marks *m, pid_t tid)
{
	unsigned int i = (unsigned int)tid % SS_BOARD_MARKS;
	uint64_t v;

	if (!__atomic_load_n(&m->n, __ATOMIC_ACQUIRE))
		return -1;
	v = __atomic_load_n(&m->m[i], __ATOMIC_ACQUIRE);
	if (!v || (pid_t)(v >> 32) != tid ||
	    !__atomic_compare_exchange_n(&m->m[i], &v, 0, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return -1;
	__atomic_fetch_sub(&m->n, 1, __ATOMIC_RELEASE);
	return (int)(uint32_t)v;
}
