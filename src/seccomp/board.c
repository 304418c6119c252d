// SPDX-License-Identifier: LGPL-2.1-or-later
/* The board of listeners; see board.h.  Raw calls through the gate only:
 * the keeper uses it too. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "../engine/internal.h"
#include "board.h"

_Static_assert(sizeof(struct ss_board) <= 4096, "one page");

int ss_board_map(int fd, struct ss_board **b)
{
	long p = sl_sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
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
	rc = (int)sl_sys2(SYS_ftruncate, fd, 4096);
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
