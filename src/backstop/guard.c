// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The listener's guard of its own descriptor: a caught close(),
 * close_range(), dup2() or dup3() that would close or replace it.  Split
 * from listener.c, which asks ss_guard() of every call of its process.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "board.h"
#include "slot.h"

/*
 * A close() or close_range() of our descriptor (at the same number in
 * every process of the tree): the caller meant to close every one it
 * had, so the image it execs next does without ours (board.h).
 */
void ss_guard_closed(const struct seccomp_notif *n)
{
	unsigned long a0 = n->data.args[0], a1 = n->data.args[1];
	unsigned int fd = (unsigned int)ss_listener_fd();

	if (!ss_self.board)
		return;
	if ((n->data.nr == SYS_close && a0 == fd) ||
	    (n->data.nr == SYS_close_range && (unsigned int)a0 <= fd &&
	     (unsigned int)a1 >= fd &&
	     !(n->data.args[2] & CLOSE_RANGE_UNSHARE)))
		ss_board_closed_set(ss_self.board, (pid_t)n->pid);
}

/*
 * Calls that would close or replace our descriptor (the filter's guard):
 * answered as if they had, leaving it open.  Returns true if @n was one.
 */
bool ss_guard(const struct seccomp_notif *n)
{
	unsigned long a0 = n->data.args[0], a1 = n->data.args[1];
	int fd = ss_listener_fd();
	long r = 0, nfd;

	switch (n->data.nr) {
	case SYS_close:
		if (a0 != (unsigned long)fd)
			return false;
		break;
	case SYS_close_range:
		if ((unsigned int)a0 > (unsigned int)fd ||
		    (unsigned int)a1 < (unsigned int)fd)
			return false;
		/* Unsharing leaves our table (the old one) alone. */
		if (n->data.args[2] & CLOSE_RANGE_UNSHARE) {
			ss_reply(n->id, 0, true);
			return true;
		}
		if ((unsigned int)a0 < (unsigned int)fd)
			r = sl_sys3(SYS_close_range, a0, fd - 1,
				    n->data.args[2]);
		if (!r && (unsigned int)a1 > (unsigned int)fd)
			r = sl_sys3(SYS_close_range, fd + 1, a1,
				    n->data.args[2]);
		break;
	case SYS_dup2:
	case SYS_dup3:
		if (a1 != (unsigned long)fd || a0 == a1)
			return false;
		/* Out of the way, then let the program have the number. */
		nfd = sl_sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);
		if (nfd >= 0)
			__atomic_store_n(&ss_self.fd, (int)nfd,
					 __ATOMIC_RELEASE);
		ss_reply(n->id, 0, true);
		return true;
	default:
		return false;
	}
	ss_reply(n->id, r, false);
	return true;
}
