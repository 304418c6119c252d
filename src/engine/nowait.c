// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Trying a call without blocking, and finishing what such a try began.
 *
 * The submitter tries each call in a form that cannot block (RWF_NOWAIT,
 * MSG_DONTWAIT, RESOLVE_CACHED, a readiness probe).  Where the try did part
 * of the work (a regular file read that found only some pages cached, a
 * stream send that filled the socket buffer), the native call would have
 * done all of it: the rest is finished in blocking form, on a helper, and
 * the parts are added up.  Where the try did nothing, the helper makes the
 * original call unchanged, so its result is exactly the native one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/fs.h>
#include <linux/openat2.h>

#include "internal.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

/* The kernel's VALID_OPEN_FLAGS and O_PATH_FLAGS (fs/fcntl.c, fs/open.c). */
#define SL_VALID_OPEN_FLAGS                                                \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |    \
	 O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE |         \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC |       \
	 O_PATH | O_TMPFILE)
#define SL_O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

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
static bool fd_never_waits(int fd)
{
	struct statfs sf;

	if (sl_sys2(SYS_fstatfs, fd, &sf) < 0)
		return false;
	return sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC;
}

/* ------------------------------------------------------------------ */
/* Read/write progress (struct sl_rw).                                  */

static void rw_init_one(struct sl_rw *rw, int op, long fd, long buf,
			long len, long off, int flags)
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

static void rw_init_vec(struct sl_rw *rw, int op, long fd, long iov,
			long cnt, long off, int flags)
{
	rw_init_one(rw, op, fd, 0, 0, off, flags);
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

static void rw_from_call(int nr, const long *a, struct sl_rw *rw)
{
	if (rw_exact_only(nr, a)) {
		rw->op = SL_RW_NONE;
		return;
	}
	switch (nr) {
	case SYS_read:
		rw_init_one(rw, SL_RW_READ, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_write:
		rw_init_one(rw, SL_RW_WRITE, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_pread64:
		rw_init_one(rw, SL_RW_READ, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_pwrite64:
		rw_init_one(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_readv:
		rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_writev:
		rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], -1, 0);
		break;
	case SYS_preadv:
		rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_pwritev:
		rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3], 0);
		break;
	case SYS_preadv2:
		rw_init_vec(rw, SL_RW_READ, a[0], a[1], a[2], a[3], (int)a[5]);
		break;
	case SYS_pwritev2:
		rw_init_vec(rw, SL_RW_WRITE, a[0], a[1], a[2], a[3], (int)a[5]);
		break;
	default:
		rw->op = SL_RW_NONE;
	}
}

static size_t seg_len(const struct sl_rw *rw)
{
	return rw->iov ? rw->iov[0].iov_len : rw->one.iov_len;
}

static void rw_advance(struct sl_rw *rw, long n)
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

/* RW_NOMODE: the file has no non-blocking mode (a FIFO opened by path):
 * only the call itself can tell, blocking perhaps.  RW_UNKNOWN: a probe
 * cannot ask (a bad address: the call itself says EFAULT). */
enum { RW_DONE, RW_BLOCK, RW_NATIVE, RW_NOMODE, RW_UNKNOWN };

static int rw_attempt(struct sl_rw *rw, long *ret)
{
	bool isreg = false, checked = false;

	for (;;) {
		long r = rw_step(rw, true, 0);

		if (r == -EAGAIN) {
			if (sl_fd_nonblocking(rw->fd)) {
				*ret = rw->acc ? rw->acc : r;
				return RW_DONE;
			}
			return RW_BLOCK;
		}
		if (r == -EOPNOTSUPP && !rw->acc)
			return RW_NOMODE; /* this file has no NOWAIT mode */
		if (r <= 0) {
			*ret = rw->acc ? rw->acc : r;
			return RW_DONE;
		}
		rw_advance(rw, r);
		if (!rw_left(rw)) {
			*ret = rw->acc;
			return RW_DONE;
		}
		/* A short read is final, except from a file. */
		if (rw->op == SL_RW_READ) {
			if (!checked) {
				isreg = sl_fd_is_file(rw->fd);
				checked = true;
			}
			if (!isreg) {
				*ret = rw->acc;
				return RW_DONE;
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Socket messages.                                                      */

static size_t msg_total(int nr, const long *a, struct sl_rw *rw)
{
	const struct msghdr *m;
	size_t t = 0;
	size_t i;

	if (nr == SYS_sendto || nr == SYS_recvfrom) {
		rw_init_one(rw, 0, a[0], a[1], a[2], -1, (int)a[3]);
		return (size_t)a[2];
	}
	m = (const struct msghdr *)a[1];
	rw_init_vec(rw, 0, a[0], (long)m->msg_iov, (long)m->msg_iovlen, -1,
		    (int)a[2]);
	for (i = 0; i < m->msg_iovlen; i++)
		t += m->msg_iov[i].iov_len;
	return t;
}

static int msg_attempt(int nr, const struct sl_sysent *e, const long *args,
		       struct sl_rw *rw, long *ret)
{
	long a[6];
	long r;
	int i, flags = (int)args[e->flagarg];
	bool send = nr == SYS_sendto || nr == SYS_sendmsg;

	if (flags & MSG_DONTWAIT) {
		*ret = sl_sys6(nr, args[0], args[1], args[2], args[3], args[4],
			       args[5]);
		return RW_DONE;
	}
	if (nr != SYS_sendto && nr != SYS_sendmsg && nr != SYS_recvfrom &&
	    nr != SYS_recvmsg)
		return RW_BLOCK; /* *mmsg: counts of messages, not bytes */
	for (i = 0; i < 6; i++)
		a[i] = args[i];
	a[e->flagarg] = flags | MSG_DONTWAIT;
	r = sl_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == -EAGAIN) {
		if (sl_fd_nonblocking((int)args[0])) {
			*ret = r;
			return RW_DONE;
		}
		return RW_BLOCK;
	}
	*ret = r;
	if (r <= 0 || (!send && !(flags & MSG_WAITALL)))
		return RW_DONE;
	/* Stream send (or MSG_WAITALL receive) that did only part. */
	if ((size_t)r >= msg_total(nr, args, rw))
		return RW_DONE;
	rw->op = send ? SL_RW_SEND : SL_RW_RECV;
	rw->flags = flags & ~MSG_DONTWAIT;
	rw_advance(rw, r);
	return rw_attempt(rw, ret);
}

/* ------------------------------------------------------------------ */
/* Opens: the path lookup, from the dentry cache only.                  */

static int open_attempt(int nr, const long *a, long *ret)
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
			return RW_BLOCK;
		how = *h;
		if (how.resolve & RESOLVE_CACHED)
			return RW_NATIVE;
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
			return RW_NATIVE;
		return RW_BLOCK; /* the helper makes the original call */
	}
	*ret = r;
	return RW_DONE;
}

/* ------------------------------------------------------------------ */
/* Calls that wait by nature: first ask with a zero timeout or WNOHANG.  */
/* If the answer is there, it is the native answer; if not, the helper   */
/* makes the original call.                                              */

static int probe(int nr, const long *a, long *ret)
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
			return RW_NATIVE;
		r = sl_sys3(SYS_poll, a[0], a[1], 0);
		break;
	case SYS_ppoll:
		if (a[2] && !sl_peek((const void *)a[2], &ts, sizeof(ts)))
			return RW_UNKNOWN; /* the call says EFAULT */
		if (a[2] && !ts.tv_sec && !ts.tv_nsec)
			return RW_NATIVE;
		r = sl_sys4(SYS_ppoll, a[0], a[1], &zero_ts, 0);
		break;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		if (a[3] == 0)
			return RW_NATIVE;
		r = sl_sys4(SYS_epoll_wait, a[0], a[1], a[2], 0);
		break;
	case SYS_select:
	case SYS_pselect6: {
		/* select() rewrites the sets: keep them for the real call. */
		size_t bytes = a[0] > 0 ? ((size_t)a[0] + 7) / 8 : 0;

		if (bytes > sizeof(fd_set))
			return RW_UNKNOWN;
		for (i = 0; i < 3; i++)
			if (a[1 + i] && !sl_peek((void *)a[1 + i], &sets[i], bytes))
				return RW_UNKNOWN;
		r = sl_sys6(SYS_select, a[0], a[1], a[2], a[3], (long)&zero_tv, 0);
		if (r == 0)
			for (i = 0; i < 3; i++)
				if (a[1 + i])
					memcpy((void *)a[1 + i], &sets[i], bytes);
		break;
	}
	case SYS_wait4:
		if (a[2] & WNOHANG)
			return RW_NATIVE;
		r = sl_sys4(SYS_wait4, a[0], a[1], a[2] | WNOHANG, a[3]);
		break;
	case SYS_waitid: {
		siginfo_t *si = (siginfo_t *)a[2];

		if ((a[3] & WNOHANG) || !si)
			return (a[3] & WNOHANG) ? RW_NATIVE : RW_UNKNOWN;
		/* The kernel writes si_pid, 0 when no child was ready. */
		r = sl_sys6(SYS_waitid, a[0], a[1], a[2], a[3] | WNOHANG, a[4], 0);
		if (r == 0 && si->si_pid == 0)
			r = 0; /* nothing yet: fall through to block */
		else if (r == 0)
			r = 1; /* a child was reaped: the answer is 0 */
		if (r > 0) {
			*ret = 0;
			return RW_DONE;
		}
		break;
	}
	case SYS_flock:
		if (a[1] & LOCK_NB)
			return RW_NATIVE;
		r = sl_sys2(SYS_flock, a[0], a[1] | LOCK_NB);
		if (r == -EWOULDBLOCK)
			return RW_BLOCK;
		*ret = r;
		return RW_DONE;
	default:
		return RW_BLOCK;
	}
	if (r == 0)
		return RW_BLOCK;
	*ret = r;
	return RW_DONE;
}

/* For signalled.c: 1 answered (*ret), 0 it would wait, -1 it would not
 * (or cannot be asked). */
int sl_nowait_probe(int nr, const long *a, long *ret)
{
	switch (probe(nr, a, ret)) {
	case RW_DONE:
		return 1;
	case RW_BLOCK:
		return 0;
	default:
		return -1; /* RW_NATIVE, RW_UNKNOWN */
	}
}

/* ------------------------------------------------------------------ */

static int nowait(int nr, const struct sl_sysent *e, const long *a,
		  struct sl_rw *rw, long *ret, bool strict)
{
	int how = RW_NATIVE;

	rw->op = SL_RW_NONE;
	switch (e->nb) {
	case SL_NB_BLOCKS:
		how = probe(nr, a, ret);
		if (how == RW_UNKNOWN)
			how = RW_BLOCK;
		break;
	case SL_NB_READ:
	case SL_NB_WRITE:
		rw_from_call(nr, a, rw);
		if (rw->op != SL_RW_NONE && !(rw->flags & RWF_NOWAIT))
			how = rw_attempt(rw, ret);
		break;
	case SL_NB_MSG:
		how = msg_attempt(nr, e, a, rw, ret);
		break;
	case SL_NB_POLLIN: {
		struct pollfd p = { .fd = (int)a[0], .events = POLLIN };

		if (sl_sys3(SYS_poll, &p, 1, 0) == 0 &&
		    !sl_fd_nonblocking((int)a[0]))
			how = RW_BLOCK;
		break;
	}
	case SL_NB_OPEN:
		how = open_attempt(nr, a, ret);
		break;
	case SL_NB_FCNTL:
		if (a[1] == F_SETLKW || a[1] == F_OFD_SETLKW) {
			/* Try the lock without waiting; a conflict means wait. */
			long r = sl_sys3(SYS_fcntl, a[0],
					 a[1] == F_SETLKW ? F_SETLK : F_OFD_SETLK,
					 a[2]);

			how = (r == -EAGAIN || r == -EACCES) ? RW_BLOCK : RW_DONE;
			*ret = r;
		}
		break;
	default:
		break;
	}
	if (how == RW_NOMODE)
		how = strict && !fd_never_waits(rw->fd) ? RW_BLOCK : RW_NATIVE;
	if (how == RW_NATIVE) {
		rw->op = SL_RW_NONE;
		*ret = sl_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		return 0;
	}
	if (how == RW_BLOCK) {
		if (rw->acc == 0 && rw->skip == 0)
			rw->op = SL_RW_NONE; /* nothing done: native call */
		return SL_WOULDBLOCK;
	}
	rw->op = SL_RW_NONE;
	return 0;
}

int sl_nowait(int nr, const struct sl_sysent *e, const long *a,
	      struct sl_rw *rw, long *ret)
{
	return nowait(nr, e, a, rw, ret, false);
}

/* The backstop's listener must never block: a file without a non-blocking
 * mode would block, as far as it knows. */
int sl_nowait_strict(int nr, const struct sl_sysent *e, const long *a,
		     struct sl_rw *rw, long *ret)
{
	return nowait(nr, e, a, rw, ret, true);
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
		rw_advance(rw, r);
		if (!rw_left(rw) || *cancel)
			return rw->acc;
	}
}
