// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Read/write progress (struct sl_rw, engine.h): a read, write or socket
 * message that a non-blocking try did part of, and the rest of it made
 * on a helper, stopping early if cancelled.  The parts are added up, as
 * the native call would have done all of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

void sl_rw_init_one(struct sl_rw *rw, int op, long fd, long buf, long len,
		    long off, int flags)
{
	rw->op = op;
	rw->fd = (int)fd;
	rw->iov = 0;
	rw->one.iov_base = (void *)buf;
	rw->one.iov_len = (size_t)len;
	rw->cnt = 1;
	rw->skip = 0;
	rw->off = off;
	rw->flags = flags;
	rw->acc = 0;
}

void sl_rw_init_vec(struct sl_rw *rw, int op, long fd, long iov, long cnt,
		    long off, int flags)
{
	sl_rw_init_one(rw, op, fd, 0, 0, off, flags);
	rw->iov = (const struct iovec *)iov;
	rw->cnt = (int)cnt;
}

/*
 * Calls the vector try cannot stand in for, made as they are: a negative
 * offset, which preadv2() and pwritev2() read as "the file position" where
 * pread64() and preadv() fail with EINVAL; a zero-length read() or write(),
 * which a vector call answers with 0 before the file sees it, where write()
 * sends an empty datagram and read() gets an eventfd's EINVAL; and a length
 * over SSIZE_MAX, EFAULT from read() but EINVAL from a vector call.
 */
static bool rw_exact_only(int nr, const long *a)
{
	switch (nr) {
	case SYS_read:
	case SYS_write:
		return a[2] <= 0;
	case SYS_pread64:
	case SYS_pwrite64:
		return a[2] <= 0 || a[3] < 0;
	case SYS_preadv:
	case SYS_pwritev:
		return a[3] < 0;
	default:
		return false;
	}
}

void sl_rw_from_call(int nr, const long *a, struct sl_rw *rw)
{
	if (rw_exact_only(nr, a)) {
		rw->op = SL_RW_NONE;
		return;
	}
	switch (nr) {
	case SYS_read:
		sl_rw_init_one(rw, SL_RW_READ, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_write:
		sl_rw_init_one(rw, SL_RW_WRITE, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_pread64:
		sl_rw_init_one(rw, SL_RW_READ, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_pwrite64:
		sl_rw_init_one(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_readv:
		sl_rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_writev:
		sl_rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_preadv:
		sl_rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_pwritev:
		sl_rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_preadv2:
		sl_rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], a[3],
			       (int)a[5]);
		break;
	case SYS_pwritev2:
		sl_rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3],
			       (int)a[5]);
		break;
	default:
		rw->op = SL_RW_NONE;
	}
}

static size_t seg_len(const struct sl_rw *rw)
{
	return rw->iov ? rw->iov[0].iov_len : rw->one.iov_len;
}

void sl_rw_advance(struct sl_rw *rw, long n)
{
	rw->acc += n;
	if (rw->off >= 0)
		rw->off += n;
	while (n > 0 && rw->cnt > 0) {
		size_t left = seg_len(rw) - rw->skip;

		if ((size_t)n < left) {
			rw->skip += (size_t)n;
			return;
		}
		n -= (long)left;
		rw->skip = 0;
		rw->cnt--;
		if (rw->iov)
			rw->iov++;
	}
}

static bool rw_left(const struct sl_rw *rw)
{
	int i;

	if (rw->cnt <= 0)
		return false;
	if (seg_len(rw) > rw->skip)
		return true;
	for (i = 1; rw->iov && i < rw->cnt; i++)
		if (rw->iov[i].iov_len)
			return true;
	return false;
}

/* One call for what is left; @cancel NULL means "on the submitter". */
static long rw_step(const struct sl_rw *rw, bool nowait,
		    const volatile int *cancel)
{
	struct iovec tmp;
	const struct iovec *vec;
	struct msghdr m = { 0 };
	long a[6] = { rw->fd, 0, 0, 0, 0, 0 };
	long nr;
	int n;

	if (!rw->iov || rw->skip) {
		const struct iovec *s = rw->iov ? rw->iov : &rw->one;

		tmp.iov_base = (char *)s->iov_base + rw->skip;
		tmp.iov_len = s->iov_len - rw->skip;
		vec = &tmp;
		n = 1;
	} else {
		vec = rw->iov;
		n = rw->cnt;
	}
	switch (rw->op) {
	case SL_RW_READ:
	case SL_RW_WRITE:
		nr = rw->op == SL_RW_READ ? SYS_preadv2 : SYS_pwritev2;
		a[1] = (long)vec;
		a[2] = n;
		a[3] = rw->off;
		a[5] = rw->flags | (nowait ? RWF_NOWAIT : 0);
		break;
	default:
		nr = rw->op == SL_RW_RECV ? SYS_recvmsg : SYS_sendmsg;
		m.msg_iov = (struct iovec *)vec;
		m.msg_iovlen = (size_t)n;
		a[1] = (long)&m;
		a[2] = rw->flags | (nowait ? MSG_DONTWAIT : 0);
		break;
	}
	if (cancel)
		return sl_syscall_cp(cancel, nr, a);
	return sl_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * read() of a descriptor last seen to be a socket: recvfrom() with
 * MSG_DONTWAIT is the same call (a socket's read is its recvmsg), and its
 * short count is final without the fstat() that a file's would need.  A
 * server's every request is one such read, or two with the EAGAIN.
 * SL_TRY_UNKNOWN: not a socket (any more); try it as a file.
 */
static int sock_read(struct sl_rw *rw, long *ret)
{
	long r = sl_sys6(SYS_recvfrom, rw->fd, (long)rw->one.iov_base,
			 (long)rw->one.iov_len, MSG_DONTWAIT, 0, 0);

	if (r == -ENOTSOCK) {
		sl_fd_not_sock(rw->fd);
		return SL_TRY_UNKNOWN;
	}
	if (r == -EAGAIN && !sl_fd_nonblocking(rw->fd))
		return SL_TRY_BLOCK;
	*ret = r;
	return SL_TRY_DONE;
}

int sl_rw_attempt(struct sl_rw *rw, long *ret)
{
	bool isreg = false, checked = false;

	if (rw->op == SL_RW_READ && !rw->iov && rw->off == -1 && !rw->flags &&
	    !rw->acc && sl_fd_sock_hint(rw->fd)) {
		int how = sock_read(rw, ret);

		if (how != SL_TRY_UNKNOWN)
			return how;
	}

	/* A write with nothing done yet, to a file known to refuse the try. */
	if (rw->op == SL_RW_WRITE && !rw->acc && sl_fd_nomode_hint(rw->fd))
		return SL_TRY_NOMODE;
	for (;;) {
		long r = rw_step(rw, true, 0);

		if (rw->op == SL_RW_WRITE && !rw->acc)
			sl_fd_nomode(rw->fd, r == -EOPNOTSUPP);

		/*
		 * O_NONBLOCK makes EAGAIN the answer, except on a regular
		 * file or block device, where it means nothing: there the
		 * native read waits for the disk (grep opens files so).
		 */
		if (r == -EAGAIN) {
			if (sl_fd_nonblocking(rw->fd) &&
			    !sl_fd_is_file(rw->fd)) {
				*ret = rw->acc ? rw->acc : r;
				return SL_TRY_DONE;
			}
			return SL_TRY_BLOCK;
		}
		if (r == -EOPNOTSUPP && !rw->acc)
			return SL_TRY_NOMODE; /* this file has no NOWAIT mode */
		if (r <= 0) {
			*ret = rw->acc ? rw->acc : r;
			return SL_TRY_DONE;
		}
		sl_rw_advance(rw, r);
		if (!rw_left(rw)) {
			*ret = rw->acc;
			return SL_TRY_DONE;
		}
		/* A short read is final, except from a file. */
		if (rw->op == SL_RW_READ) {
			if (!checked) {
				isreg = sl_fd_is_file(rw->fd);
				checked = true;
			}
			if (!isreg) {
				*ret = rw->acc;
				return SL_TRY_DONE;
			}
		}
	}
}

/* On a helper: finish the call, blocking, stopping early if cancelled. */
long sl_finish_blocking(int nr, const long *a, struct sl_rw *rw,
			const volatile int *cancel)
{
	long r;

	if (rw->op == SL_RW_NONE)
		return sl_syscall_cp(cancel, nr, a);
	/* Only a file read, a stream send or a MSG_WAITALL receive gets here. */
	for (;;) {
		r = rw_step(rw, false, cancel);
		if (r <= 0)
			return rw->acc ? rw->acc : r;
		sl_rw_advance(rw, r);
		if (!rw_left(rw) || *cancel)
			return rw->acc;
	}
}
