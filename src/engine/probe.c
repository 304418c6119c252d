// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Calls that wait by nature (the poll family, waits for children, flock):
 * first asked with a zero timeout or WNOHANG.  If the answer is there, it
 * is the native answer; if not, the helper makes the original call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"

int sl_probe(int nr, const long *a, long *ret)
{
	static const struct timespec zero_ts;
	struct timeval zero_tv = { 0, 0 };
	struct timespec ts;
	fd_set sets[3];
	long r;
	int i;

	switch (nr) {
	case SYS_poll:
		if (a[2] == 0)
			return SL_TRY_NATIVE;
		r = sl_sys3(SYS_poll, a[0], a[1], 0);
		break;
	case SYS_ppoll:
		if (a[2] && !sl_peek((const void *)a[2], &ts, sizeof(ts)))
			return SL_TRY_UNKNOWN; /* the call says EFAULT */
		if (a[2] && !ts.tv_sec && !ts.tv_nsec)
			return SL_TRY_NATIVE;
		r = sl_sys4(SYS_ppoll, a[0], a[1], &zero_ts, 0);
		break;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		if (a[3] == 0)
			return SL_TRY_NATIVE;
		r = sl_sys4(SYS_epoll_wait, a[0], a[1], a[2], 0);
		break;
	case SYS_select:
	case SYS_pselect6: {
		/* select() rewrites the sets: keep them for the real call. */
		size_t bytes = a[0] > 0 ? ((size_t)a[0] + 7) / 8 : 0;

		if (bytes > sizeof(fd_set))
			return SL_TRY_UNKNOWN;
		for (i = 0; i < 3; i++)
			if (a[1 + i] &&
			    !sl_peek((void *)a[1 + i], &sets[i], bytes))
				return SL_TRY_UNKNOWN;
		r = sl_sys6(SYS_select, a[0], a[1], a[2], a[3], (long)&zero_tv,
			    0);
		if (r == 0)
			for (i = 0; i < 3; i++)
				if (a[1 + i])
					memcpy((void *)a[1 + i], &sets[i],
					       bytes);
		break;
	}
	case SYS_wait4:
		if (a[2] & WNOHANG)
			return SL_TRY_NATIVE;
		r = sl_sys4(SYS_wait4, a[0], a[1], a[2] | WNOHANG, a[3]);
		break;
	case SYS_waitid: {
		siginfo_t *si = (siginfo_t *)a[2];

		if ((a[3] & WNOHANG) || !si)
			return (a[3] & WNOHANG) ? SL_TRY_NATIVE
						: SL_TRY_UNKNOWN;
		/* The kernel writes si_pid, 0 when no child was ready. */
		r = sl_sys6(SYS_waitid, a[0], a[1], a[2], a[3] | WNOHANG, a[4],
			    0);
		if (r == 0 && si->si_pid == 0)
			r = 0; /* nothing yet: fall through to block */
		else if (r == 0)
			r = 1; /* a child was reaped: the answer is 0 */
		if (r > 0) {
			*ret = 0;
			return SL_TRY_DONE;
		}
		break;
	}
	case SYS_sendfile:
		return sl_sendfile_try(a);
	case SYS_flock:
		if (a[1] & LOCK_NB)
			return SL_TRY_NATIVE;
		r = sl_sys2(SYS_flock, a[0], a[1] | LOCK_NB);
		if (r == -EWOULDBLOCK)
			return SL_TRY_BLOCK;
		*ret = r;
		return SL_TRY_DONE;
	default:
		return SL_TRY_BLOCK;
	}
	if (r == 0)
		return SL_TRY_BLOCK;
	*ret = r;
	return SL_TRY_DONE;
}

/* For signalled.c: 1 answered (*ret), 0 it would wait, -1 it would not
 * (or cannot be asked). */
int sl_nowait_probe(int nr, const long *a, long *ret)
{
	switch (sl_probe(nr, a, ret)) {
	case SL_TRY_DONE:
		return 1;
	case SL_TRY_BLOCK:
		return 0;
	default:
		return -1; /* SL_TRY_NATIVE, SL_TRY_UNKNOWN */
	}
}
