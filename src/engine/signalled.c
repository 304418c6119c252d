// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a call that a signal found about to start would natively return.
 *
 * Under the seccomp backstop a signal can end a caught call before the
 * listener has received it, with ERESTARTSYS: after an SA_RESTART handler
 * the kernel makes the call again and nothing shows, after any other the
 * call fails with EINTR, even one that natively never could (a write to a
 * file).  So the preload layer installs every handler with SA_RESTART and
 * decides itself, in the handler, what the interrupted call returns
 * (src/preload/restart.c).  There the kernel's restart of a call and a
 * call that simply had not started yet look the same.
 *
 * A call the filter does not catch was restarted by the kernel after it
 * waited: without SA_RESTART it fails with EINTR, as it would have.  So
 * was a caught one that a listener let its thread make natively (marked),
 * which matters where it cannot be judged.  For a caught one the native
 * answer is judged: a call that would not wait, or
 * would wait only for a disk or for memory, runs (it is made again); one
 * that would wait for someone else (an empty pipe, a socket, a child, a
 * lock, a timer) fails with EINTR.  Nothing is done here but asking: the
 * answer of a wait probed with a zero timeout is the call's, and a call
 * whose readiness cannot be told without making it is made again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

enum wait_kind {
	W_NONE,	  /* never waits for anyone: runs, signal or not */
	W_ENDS,	  /* a signal ends the wait unless SA_RESTART restarts it */
	W_ALWAYS, /* a signal ends the wait whatever the flags (signal(7)) */
	W_UNSURE, /* depends on what the descriptor is (ioctl, splice...) */
};

/*
 * SL_NB_BLOCKS calls that wait for others, and which argument (targ) is
 * their timeout, of what type (tkind: milliseconds, a timespec, a timeval,
 * clock_nanosleep's): a zero timeout never waits.  Other such calls wait
 * for a disk or for memory.
 */
enum { T_NONE, T_MS, T_TS, T_TV, T_CLOCK /* clock_nanosleep's */ };
static const struct {
	short nr;
	unsigned char kind, tkind, targ;
} blocks[] = {
	{ SYS_poll, W_ALWAYS, T_MS, 2 },
	{ SYS_ppoll, W_ALWAYS, T_TS, 2 },
	{ SYS_select, W_ALWAYS, T_TV, 4 },
	{ SYS_pselect6, W_ALWAYS, T_TS, 4 },
	{ SYS_epoll_wait, W_ALWAYS, T_MS, 3 },
	{ SYS_epoll_pwait, W_ALWAYS, T_MS, 3 },
	{ SYS_epoll_pwait2, W_ALWAYS, T_TS, 3 },
	{ SYS_nanosleep, W_ALWAYS, T_TS, 0 },
	{ SYS_clock_nanosleep, W_ALWAYS, T_CLOCK, 2 },
	{ SYS_io_getevents, W_ALWAYS, T_TS, 4 },
	{ SYS_io_pgetevents, W_ALWAYS, T_TS, 4 },
	{ SYS_semop, W_ALWAYS, T_NONE, 0 },
	{ SYS_semtimedop, W_ALWAYS, T_TS, 3 },
	{ SYS_msgsnd, W_ALWAYS, T_NONE, 0 },
	{ SYS_msgrcv, W_ALWAYS, T_NONE, 0 },
	/* The futex2 waits restart after SA_RESTART, timeout or not. */
	{ SYS_futex_waitv, W_ENDS, T_NONE, 0 },
	{ 455 /* futex_wait */, W_ENDS, T_NONE, 0 },
	{ SYS_wait4, W_ENDS, T_NONE, 0 },
	{ SYS_waitid, W_ENDS, T_NONE, 0 },
	{ SYS_connect, W_ENDS, T_NONE, 0 },
	{ SYS_flock, W_ENDS, T_NONE, 0 },
	{ SYS_mq_timedsend, W_ENDS, T_NONE, 0 },
	{ SYS_mq_timedreceive, W_ENDS, T_NONE, 0 },
	{ SYS_ioctl, W_UNSURE, T_NONE, 0 },
	{ SYS_splice, W_UNSURE, T_NONE, 0 },
	{ SYS_tee, W_UNSURE, T_NONE, 0 },
	{ SYS_vmsplice, W_UNSURE, T_NONE, 0 },
	{ SYS_sendfile, W_UNSURE, T_NONE, 0 },
	{ SYS_getrandom, W_UNSURE, T_NONE, 0 },
	{ SYS_syslog, W_UNSURE, T_NONE, 0 },
	{ SYS_io_submit, W_UNSURE, T_NONE, 0 },
};

static int blocks_at(int nr)
{
	int i;

	for (i = 0; i < (int)(sizeof(blocks) / sizeof(blocks[0])); i++)
		if (blocks[i].nr == nr)
			return i;
	return -1;
}

static bool zero_timeout(int i, const long *a)
{
	long p = a[blocks[i].targ];
	struct timespec ts, now;
	struct timeval tv;

	switch (blocks[i].tkind) {
	case T_MS:
		return (int)p == 0;
	case T_TS:
		return p && sl_peek((void *)p, &ts, sizeof(ts)) && !ts.tv_sec &&
		       !ts.tv_nsec;
	case T_TV:
		return p && sl_peek((void *)p, &tv, sizeof(tv)) && !tv.tv_sec &&
		       !tv.tv_usec;
	case T_CLOCK:
		if (!sl_peek((void *)p, &ts, sizeof(ts)))
			return false;
		if (!(a[1] & TIMER_ABSTIME))
			return !ts.tv_sec && !ts.tv_nsec;
		/* A deadline already past does not wait either. */
		return !sl_sys2(SYS_clock_gettime, a[0], &now) &&
		       (now.tv_sec > ts.tv_sec ||
			(now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec));
	default:
		return false;
	}
}

/* Flags, or a descriptor, that say the call cannot wait at all. */
static bool cannot_wait(int nr, const struct sl_sysent *e, const long *a)
{
	switch (nr) {
	case SYS_preadv2:
	case SYS_pwritev2:
		if (a[5] & RWF_NOWAIT)
			return true;
		break;
	case SYS_flock:
		return (a[1] & LOCK_NB) != 0;
	case SYS_wait4:
		return (a[2] & WNOHANG) != 0;
	case SYS_waitid:
		return (a[3] & WNOHANG) != 0;
	default:
		break;
	}
	if (e->nb == SL_NB_MSG &&
	    (a[e->flagarg] & (MSG_DONTWAIT | MSG_ERRQUEUE)))
		return true;
	switch (e->nb) {
	case SL_NB_READ:
	case SL_NB_WRITE:
	case SL_NB_MSG:
	case SL_NB_POLLIN:
		return sl_fd_nonblocking((int)a[0]);
	default:
		return (nr == SYS_connect || nr == SYS_mq_timedsend ||
			nr == SYS_mq_timedreceive) &&
		       sl_fd_nonblocking((int)a[0]);
	}
}

static enum wait_kind kind_of(int nr, const struct sl_sysent *e, const long *a)
{
	int i, op;

	if (nr == SYS_futex) {
		/* Only the plain waits; a lost wake-up would hang. */
		op = (int)a[1] & FUTEX_CMD_MASK;
		if (op != FUTEX_WAIT && op != FUTEX_WAIT_BITSET)
			return W_NONE;
		return a[3] ? W_ALWAYS : W_ENDS;
	}
	if (e->cls != SYSLET_CLASS_ANY || cannot_wait(nr, e, a))
		return W_NONE;
	switch (e->nb) {
	case SL_NB_READ:
	case SL_NB_WRITE:
		return sl_fd_is_file((int)a[0]) ? W_NONE : W_ENDS;
	case SL_NB_MSG:
	case SL_NB_POLLIN:
		return W_ENDS;
	case SL_NB_FCNTL:
		return a[1] == F_SETLKW || a[1] == F_OFD_SETLKW ? W_ENDS
								: W_NONE;
	case SL_NB_BLOCKS:
		i = blocks_at(nr);
		if (i < 0 || zero_timeout(i, a))
			return W_NONE;
		return (enum wait_kind)blocks[i].kind;
	default:
		return W_NONE; /* INLINE, and opens: a path waits for a disk */
	}
}

static bool ready(long fd, short events)
{
	struct pollfd p = { .fd = (int)fd, .events = events };

	/* An error or a hang-up is an answer too: the call gives it. */
	return sl_sys3(SYS_poll, &p, 1, 0) != 0;
}

static bool sends(int nr)
{
	return nr == SYS_sendto || nr == SYS_sendmsg || nr == SYS_sendmmsg;
}

/* Would the lock that F_SETLKW asks for wait?  (F_GETLK only looks.) */
static bool lock_waits(const long *a)
{
	struct flock fl;

	if (!sl_peek((void *)a[2], &fl, sizeof(fl)))
		return false; /* the call itself says EFAULT */
	return sl_sys3(SYS_fcntl, a[0],
		       a[1] == F_SETLKW ? F_GETLK : F_OFD_GETLK, &fl) == 0 &&
	       fl.l_type != F_UNLCK;
}

/*
 * A relative sleep interrupted after @slept_ns: what remains goes to its
 * rem, as the kernel would write it.  -EINTR, or -EFAULT for a bad
 * address (the kernel's answer too).
 */
long sl_sleep_left(int nr, const long *a, uint64_t slept_ns)
{
	long req = a[0], rem = a[1];
	struct timespec ts;
	uint64_t left;
	struct iovec from = { &ts, sizeof(ts) }, to;

	if (nr == SYS_clock_nanosleep) {
		if (a[1] & TIMER_ABSTIME)
			return -EINTR;
		req = a[2];
		rem = a[3];
	}
	if ((nr != SYS_nanosleep && nr != SYS_clock_nanosleep) || !rem)
		return -EINTR;
	if (!sl_peek((void *)req, &ts, sizeof(ts)))
		return -EFAULT;
	if (slept_ns && ts.tv_sec >= 0 && ts.tv_nsec >= 0) {
		left = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		left = left > slept_ns ? left - slept_ns : 0;
		ts.tv_sec = (time_t)(left / 1000000000u);
		ts.tv_nsec = (long)(left % 1000000000u);
	}
	/* Written by the kernel, which answers a bad address with EFAULT. */
	to.iov_base = (void *)rem;
	to.iov_len = sizeof(ts);
	if (sl_sys6(SYS_process_vm_writev, sl_sys0(SYS_getpid), (long)&from, 1,
		    (long)&to, 1, 0) != sizeof(ts))
		return -EFAULT;
	return -EINTR;
}

/*
 * Would caught call @nr wait for someone else now?  1: yes; 0: no, or
 * not known (it is made again); 2: a probe answered it (*ret).
 */
static int caught_waits(int nr, const struct sl_sysent *e, const long *a,
			long *ret)
{
	switch (e->nb) {
	case SL_NB_READ:
	case SL_NB_POLLIN:
		return !ready(a[0], POLLIN);
	case SL_NB_MSG:
		return !sends(nr) && !ready(a[0], POLLIN);
	case SL_NB_WRITE:
		/* POLLOUT waits for a share of the buffer to be free, yet a
		 * small write may fit: it is made again. */
		return 0;
	case SL_NB_FCNTL:
		return lock_waits(a);
	default:
		break;
	}
	switch (nr) {
	case SYS_poll:
	case SYS_ppoll:
	case SYS_select:
	case SYS_pselect6:
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
	case SYS_wait4:
	case SYS_waitid:
	case SYS_flock:
		/* Asked with a zero timeout, WNOHANG or LOCK_NB. */
		switch (sl_nowait_probe(nr, a, ret)) {
		case 1:
			return 2;
		case 0:
			return 1;
		default:
			return 0;
		}
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		return 1;
	default:
		return 0; /* connect, IPC, ioctl...: made again */
	}
}

int sl_signal_answer(int nr, const long *a, bool caught, bool marked,
		     bool sa_restart, long *ret)
{
	const struct sl_sysent *e = sl_sys(nr);
	enum wait_kind k;

	if (!e)
		return SL_SIG_RUN;
	k = kind_of(nr, e, a);
	if (k == W_NONE || (sa_restart && k != W_ALWAYS))
		return SL_SIG_RUN;
	if (!caught) {
		/* The kernel restarted a call that waited (a W_ALWAYS one
		 * never is: this one had not started). */
		if (k == W_ALWAYS)
			return SL_SIG_RUN;
		*ret = -EINTR;
		return SL_SIG_ANSWERED;
	}
	switch (e->cls == SYSLET_CLASS_ANY ? caught_waits(nr, e, a, ret) : 1) {
	case 0:
		/* Made again, unless a listener let it wait natively. */
		if (!marked)
			return SL_SIG_RUN;
		*ret = -EINTR;
		return SL_SIG_ANSWERED;
	case 2:
		return SL_SIG_ANSWERED;
	default:
		*ret = sl_sleep_left(nr, a, 0); /* ended at once: all left */
		return SL_SIG_ANSWERED;
	}
}
