// SPDX-License-Identifier: LGPL-2.1-or-later
/* What a descriptor is: whether a call on it may wait, and how. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "internal.h"

bool sl_fd_nonblocking(int fd)
{
	long fl = sl_sys2(SYS_fcntl, fd, F_GETFL);

	return fl >= 0 && (fl & O_NONBLOCK);
}

/*
 * Descriptors last seen to be sockets, for rw.c's read() of a socket.  A
 * hint, never trusted for a result: a descriptor closed and reused for a
 * file costs one ENOTSOCK, after which the hint is gone.
 */
#define SL_FD_HINTS 65536
static unsigned long sock_hint[SL_FD_HINTS / (8 * sizeof(long))];

static void hint_set(int fd, bool sock)
{
	unsigned long bit = 1ul << (fd % (8 * sizeof(long)));
	unsigned long *w = &sock_hint[fd / (8 * sizeof(long))];

	if (fd < 0 || fd >= SL_FD_HINTS)
		return;
	if (sock)
		__atomic_fetch_or(w, bit, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(w, ~bit, __ATOMIC_RELAXED);
}

bool sl_fd_sock_hint(int fd)
{
	if (fd < 0 || fd >= SL_FD_HINTS)
		return false;
	return __atomic_load_n(&sock_hint[fd / (8 * sizeof(long))],
			       __ATOMIC_RELAXED) &
	       (1ul << (fd % (8 * sizeof(long))));
}

void sl_fd_not_sock(int fd)
{
	hint_set(fd, false);
}

bool sl_fd_is_file(int fd)
{
	struct stat st;

	if (sl_sys2(SYS_fstat, fd, &st) < 0)
		return false;
	hint_set(fd, S_ISSOCK(st.st_mode));
	return S_ISREG(st.st_mode) || S_ISBLK(st.st_mode);
}

/* Kernel files (procfs, sysfs) have no non-blocking mode but never wait. */
bool sl_fd_never_waits(int fd)
{
	struct statfs sf;

	if (sl_sys2(SYS_fstatfs, fd, &sf) < 0)
		return false;
	return sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC;
}
