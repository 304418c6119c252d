// SPDX-License-Identifier: LGPL-2.1-or-later
/* The board of listeners; see board.h.  Raw calls through the gate only:
 * the keeper uses it too. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "../engine/internal.h"
#include "board.h"

#define BOARD_SIZE ((sizeof(struct ss_board) + 4095) & ~(size_t)4095)
/* Ids below the newest that a scan looks at, and scans an orphan must
 * survive (about 1.5 s: a listener is never that long between receiving a
 * call and listing it). */
#define SCAN_IDS 4096
#define SCANS 3

int ss_board_map(int fd, struct ss_board **b)
{
	long p = sl_sys6(SYS_mmap, 0, BOARD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
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

int ss_board_join(struct ss_board *b, pid_t pid, pid_t tid)
{
	int i;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		int32_t p = __atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE);

		if ((p == 0 || !alive(b, i)) &&
		    __atomic_compare_exchange_n(&b->e[i].pid, &p, pid, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			__atomic_store_n(&b->e[i].tid, tid, __ATOMIC_RELEASE);
			memset(b->e[i].held, 0, sizeof(b->e[i].held));
			return i;
		}
	}
	return -ENOSPC;
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

bool ss_board_hold(struct ss_board *b, int entry, uint64_t id)
{
	uint64_t *h = b->e[entry].held, last;
	int i;

	last = __atomic_load_n(&b->last_id, __ATOMIC_RELAXED);
	if ((int64_t)(id - last) > 0)
		__atomic_store_n(&b->last_id, id, __ATOMIC_RELAXED);
	for (i = 0; i < SS_BOARD_CELLS; i++)
		if (!__atomic_load_n(&h[i], __ATOMIC_RELAXED)) {
			__atomic_store_n(&h[i], id, __ATOMIC_RELEASE);
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
 * Held by a listener that lives?  Its thread, not its process: an exec
 * kills the listener, and a zombie still answers kill(pid, 0).
 */
static bool held(const struct ss_board *b, uint64_t id)
{
	int i, j;

	for (i = 0; i < SS_BOARD_SLOTS; i++) {
		if (!__atomic_load_n(&b->e[i].pid, __ATOMIC_ACQUIRE))
			continue;
		for (j = 0; j < SS_BOARD_CELLS; j++)
			if (__atomic_load_n(&b->e[i].held[j], __ATOMIC_ACQUIRE) ==
			    id)
				return alive(b, i);
	}
	return false;
}

/* Count @id as an orphan once more; answer it after SCANS times. */
static void orphan(int fd, uint64_t id, const struct ss_orphans *was,
		   struct ss_orphans *now)
{
	int i, t = 1;

	for (i = 0; i < now->n; i++)
		if (now->seen[i] == id)
			return;
	for (i = 0; i < was->n; i++)
		if (was->seen[i] == id)
			t = was->times[i] + 1;
	if (t >= SCANS) {
		struct seccomp_notif_resp r = {
			.id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE
		};

		sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_SEND, &r);
		return;
	}
	if (now->n < 16) {
		now->seen[now->n] = id;
		now->times[now->n++] = (uint8_t)t;
	}
}

static bool unanswered(int fd, uint64_t id)
{
	/* 0: received (SENT), not answered. */
	return !sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id);
}

/*
 * The earlier candidates again, then the ids since the last scan (all of
 * the last SCAN_IDS every tenth scan: a call may wait long before it is
 * received).
 */
void ss_board_orphans(struct ss_board *b, int fd, struct ss_orphans *o)
{
	uint64_t last = __atomic_load_n(&b->last_id, __ATOMIC_RELAXED), id;
	uint64_t from = last - SCAN_IDS;
	struct ss_orphans now = { .n = 0 };
	int i;

	if (!last)
		return;
	for (i = 0; i < o->n; i++)
		if (unanswered(fd, o->seen[i]) && !held(b, o->seen[i]))
			orphan(fd, o->seen[i], o, &now);
	if (o->scans++ % 10 && o->scanned && last - o->scanned < SCAN_IDS)
		from = o->scanned - 64;
	for (id = last; id != from; id--)
		if (unanswered(fd, id) && !held(b, id))
			orphan(fd, id, o, &now);
	now.scanned = last;
	now.scans = o->scans;
	*o = now;
}
