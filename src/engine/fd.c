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
 * Hints by descriptor number, one bit each: never trusted for a result,
 * since a descriptor may be closed and reused without our seeing it (the
 * shim does not interpose close()).
 *
 * sock: last seen to be a socket, for rw.c's read() of a socket; reused
 * for a file, it costs one ENOTSOCK, after which the hint is gone.
 *
 * nomode: a non-blocking write was refused with EOPNOTSUPP (a buffered
 * write to ext4 or tmpfs: nginx's access log, PostgreSQL's pwrite()s), so
 * the next write goes native at once instead of asking again each time.
 * Reused for a descriptor that has a non-blocking mode, a write could then
 * wait on its caller rather than on a helper: the same result, the wait
 * elsewhere; every 64th hinted write of a thread asks again, which
 * refreshes or clears the hint.
 */
#define SL_FD_HINTS 65536
#define WORD(fd) ((fd) / (8 * sizeof(long)))
#define BIT(fd) (1ul << ((fd) % (8 * sizeof(long))))
static unsigned long sock_hint[SL_FD_HINTS / (8 * sizeof(long))];
static unsigned long nomode_hint[SL_FD_HINTS / (8 * sizeof(long))];
static __thread unsigned int nomode_trusted;

static void hint_set(unsigned long *map, int fd, bool on)
{
	if (fd < 0 || fd >= SL_FD_HINTS)
		return;
	if (on)
		__atomic_fetch_or(&map[WORD(fd)], BIT(fd), __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&map[WORD(fd)], ~BIT(fd), __ATOMIC_RELAXED);
}

static bool hint_get(const unsigned long *map, int fd)
{
	if (fd < 0 || fd >= SL_FD_HINTS)
		return false;
	return __atomic_load_n(&map[WORD(fd)], __ATOMIC_RELAXED) & BIT(fd);
}

bool sl_fd_sock_hint(int fd)
{
	return hint_get(sock_hint, fd);
}

void sl_fd_not_sock(int fd)
{
	hint_set(sock_hint, fd, false);
}

bool sl_fd_nomode_hint(int fd)
{
	if (!hint_get(nomode_hint, fd))
		return false;
	return ++nomode_trusted % 64 != 0;
}

void sl_fd_nomode(int fd, bool nomode)
{
	if (hint_get(nomode_hint, fd) != nomode)
		hint_set(nomode_hint, fd, nomode);
}

bool sl_fd_is_file(int fd)
{
	struct stat st;

	if (sl_sys2(SYS_fstat, fd, &st) < 0)
		return false;
	hint_set(sock_hint, fd, S_ISSOCK(st.st_mode));
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
