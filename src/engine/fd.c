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

bool sl_fd_is_file(int fd)
{
	struct stat st;

	if (sl_sys2(SYS_fstat, fd, &st) < 0)
		return false;
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
