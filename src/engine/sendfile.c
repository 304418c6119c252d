// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sendfile(2)'s non-blocking try.  sendfile has no non-blocking form for
 * its input, so it went to a helper every time, and nginx handed every
 * response over (the hand-off cost more CPU than a small file's whole
 * request).  Yet it cannot wait when its output cannot (O_NONBLOCK: a
 * full socket buffer makes EAGAIN its answer) and its input is in the page
 * cache.  cachestat(2) would tell that exactly, but refuses files the
 * caller may not write (EPERM: a web server's files), so the first and
 * the last byte of the range are read with RWF_NOWAIT instead.  The range
 * is the call's from the file position; with an offset pointer it is
 * taken from the start of the file, because reading the program's offset
 * safely (process_vm_readv) costs more than the rest of the try together,
 * more than 1 us here: right for a server sending whole files, a guess
 * for one sending parts of a large one.  When both bytes are cached the
 * call is made on the caller; a page between them that is not (rare:
 * readahead fills ranges) then waits there, which changes no result, only
 * where the wait happens and that the report counts it only if it is
 * slow (report.block_us).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "internal.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

/*
 * Is the byte at @off of @fd in the page cache, or past the end of the
 * file (read returns 0 at once)?  SL_TRY_NATIVE if so.  An input that is
 * not a regular file fails here (ESPIPE): it may wait.
 */
static int cached(long fd, long off)
{
	char b;
	struct iovec v = { .iov_base = &b, .iov_len = 1 };
	long r = sl_sys6(SYS_preadv2, fd, (long)&v, 1, off, 0, RWF_NOWAIT);

	return r == 1 || r == 0 ? SL_TRY_NATIVE : SL_TRY_BLOCK;
}

int sl_sendfile_try(const long *a)
{
	size_t n = (size_t)a[3];
	long off = 0, last;
	int how;

	if (n == 0)
		return SL_TRY_NATIVE;
	if (!sl_fd_nonblocking((int)a[0]))
		return SL_TRY_BLOCK;
	if (!a[2])
		off = sl_sys3(SYS_lseek, a[1], 0, SEEK_CUR);
	if (off < 0 || n - 1 > (size_t)(LONG_MAX - off))
		return SL_TRY_BLOCK; /* the call has its own error to give */
	last = off + (long)(n - 1);
	how = cached(a[1], off);
	/* The last page of the range, unless it is the first (4 KiB: one). */
	if (how == SL_TRY_NATIVE && last / 4096 != off / 4096)
		how = cached(a[1], last);
	return how;
}
