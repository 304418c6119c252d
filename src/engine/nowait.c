// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The non-blocking tries of socket messages (MSG_DONTWAIT) and opens
 * (RESOLVE_CACHED), for the dispatch by the table's nb kind in call.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "internal.h"

/* The kernel's VALID_OPEN_FLAGS and O_PATH_FLAGS (fs/fcntl.c, fs/open.c). */
#define SL_VALID_OPEN_FLAGS                                                    \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |        \
	 O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE |             \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH |  \
	 O_TMPFILE)
#define SL_O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* ------------------------------------------------------------------ */
/* Socket messages.                                                      */

static size_t msg_total(int nr, const long *a, struct sl_rw *rw)
{
	const struct msghdr *m;
	size_t t = 0;
	size_t i;

	if (nr == SYS_sendto || nr == SYS_recvfrom) {
		sl_rw_init_one(rw, 0, a[0], a[1], a[2], -1, (int)a[3]);
		return (size_t)a[2];
	}
	m = (const struct msghdr *)a[1];
	sl_rw_init_vec(rw, 0, a[0], (long)m->msg_iov, (long)m->msg_iovlen, -1,
		       (int)a[2]);
	for (i = 0; i < m->msg_iovlen; i++)
		t += m->msg_iov[i].iov_len;
	return t;
}

int sl_msg_attempt(int nr, const struct sl_sysent *e, const long *args,
		   struct sl_rw *rw, long *ret)
{
	long a[6];
	long r;
	int i, flags = (int)args[e->flagarg];
	bool send = nr == SYS_sendto || nr == SYS_sendmsg;

	if (flags & MSG_DONTWAIT) {
		*ret = sl_sys6(nr, args[0], args[1], args[2], args[3], args[4],
			       args[5]);
		return SL_TRY_DONE;
	}
	if (nr != SYS_sendto && nr != SYS_sendmsg && nr != SYS_recvfrom &&
	    nr != SYS_recvmsg)
		return SL_TRY_BLOCK; /* *mmsg: counts of messages, not bytes */
	for (i = 0; i < 6; i++)
		a[i] = args[i];
	a[e->flagarg] = flags | MSG_DONTWAIT;
	r = sl_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == -EAGAIN) {
		if (sl_fd_nonblocking((int)args[0])) {
			*ret = r;
			return SL_TRY_DONE;
		}
		return SL_TRY_BLOCK;
	}
	*ret = r;
	if (r <= 0 || (!send && !(flags & MSG_WAITALL)))
		return SL_TRY_DONE;
	/* Stream send (or MSG_WAITALL receive) that did only part. */
	if ((size_t)r >= msg_total(nr, args, rw))
		return SL_TRY_DONE;
	rw->op = send ? SL_RW_SEND : SL_RW_RECV;
	rw->flags = flags & ~MSG_DONTWAIT;
	sl_rw_advance(rw, r);
	return sl_rw_attempt(rw, ret);
}

/* ------------------------------------------------------------------ */
/* Opens: the path lookup, from the dentry cache only.                  */

int sl_open_attempt(int nr, const long *a, long *ret)
{
	struct open_how how = { 0 };
	long dfd, path, r;

	if (nr == SYS_open) {
		dfd = AT_FDCWD;
		path = a[0];
		how.flags = (uint64_t)(unsigned int)a[1];
		how.mode = (uint64_t)a[2];
	} else if (nr == SYS_openat) {
		dfd = a[0];
		path = a[1];
		how.flags = (uint64_t)(unsigned int)a[2];
		how.mode = (uint64_t)a[3];
	} else {
		const struct open_how *h = (const struct open_how *)a[2];

		if (!h || (size_t)a[3] != sizeof(how))
			return SL_TRY_BLOCK;
		how = *h;
		if (how.resolve & RESOLVE_CACHED)
			return SL_TRY_NATIVE;
		dfd = a[0];
		path = a[1];
	}
	if (nr != SYS_openat2) {
		/* What open(2) and openat(2) do before they share openat2's path. */
		how.flags &= SL_VALID_OPEN_FLAGS;
		how.mode &= 07777;
		if (how.flags & O_PATH)
			how.flags &= SL_O_PATH_FLAGS;
		if (!(how.flags & (O_CREAT | O_TMPFILE)))
			how.mode = 0;
	}
	how.resolve |= RESOLVE_CACHED;
	r = sl_sys4(SYS_openat2, dfd, path, &how, sizeof(how));
	if (r == -EAGAIN || r == -EINVAL || r == -ENOSYS || r == -E2BIG) {
		/*
		 * /proc/thread-self (and /proc/self/task/...) answer for the
		 * thread that opens them, and procfs never waits for a disk:
		 * open those here.  The kernel has just read the path without
		 * EFAULT, so reading its first bytes is safe.
		 */
		if (!strncmp((const char *)path, "/proc/", 6))
			return SL_TRY_NATIVE;
		return SL_TRY_BLOCK; /* the helper makes the original call */
	}
	*ret = r;
	return SL_TRY_DONE;
}
