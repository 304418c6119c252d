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
 * call that simply had not started yet look the same; for either, the
 * native answer to a signal is: a call that would not wait, or would wait
 * only for a disk or for memory, runs; one that would wait for someone
 * else (a pipe, a socket, a child, a lock, a timer) returns what it did,
 * or fails with EINTR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "internal.h"

enum wait_kind {
	W_NONE,	  /* never waits for anyone: runs, signal or not */
	W_ENDS,	  /* a signal ends the wait unless SA_RESTART restarts it */
	W_ALWAYS, /* a signal ends the wait whatever the flags (signal(7)) */
	W_UNSURE, /* depends on what the descriptor is (ioctl, splice...) */
};

/* SL_NB_BLOCKS calls that wait for others; the rest wait for a disk. */
static const struct {
	short nr;
	unsigned char kind;
} blocks[] = {
	{ SYS_poll, W_ALWAYS },		 { SYS_ppoll, W_ALWAYS },
	{ SYS_select, W_ALWAYS },	 { SYS_pselect6, W_ALWAYS },
	{ SYS_epoll_wait, W_ALWAYS },	 { SYS_epoll_pwait, W_ALWAYS },
	{ SYS_epoll_pwait2, W_ALWAYS },	 { SYS_nanosleep, W_ALWAYS },
	{ SYS_clock_nanosleep, W_ALWAYS }, { SYS_io_getevents, W_ALWAYS },
	{ SYS_io_pgetevents, W_ALWAYS }, { SYS_semop, W_ALWAYS },
	{ SYS_semtimedop, W_ALWAYS },	 { SYS_msgsnd, W_ALWAYS },
	{ SYS_msgrcv, W_ALWAYS },	 { SYS_futex_waitv, W_ALWAYS },
	{ 455 /* futex_wait */, W_ALWAYS }, { SYS_wait4, W_ENDS },
	{ SYS_waitid, W_ENDS },		 { SYS_connect, W_ENDS },
	{ SYS_flock, W_ENDS },		 { SYS_mq_timedsend, W_ENDS },
	{ SYS_mq_timedreceive, W_ENDS }, { SYS_ioctl, W_UNSURE },
	{ SYS_splice, W_UNSURE },	 { SYS_tee, W_UNSURE },
	{ SYS_vmsplice, W_UNSURE },	 { SYS_sendfile, W_UNSURE },
	{ SYS_getrandom, W_UNSURE },	 { SYS_syslog, W_UNSURE },
	{ SYS_io_submit, W_UNSURE },
};

static bool fd_is_disk(long fd)
{
	struct stat st;

	if (sl_sys2(SYS_fstat, fd, &st) < 0)
		return false;
	return S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) ||
	       S_ISDIR(st.st_mode);
}

static enum wait_kind kind_of(int nr, const struct sl_sysent *e,
			      const long *a)
{
	unsigned int i;
	int op;

	if (nr == SYS_futex) {
		/* Only the plain waits; a lost wake-up would hang. */
		op = (int)a[1] & FUTEX_CMD_MASK;
		if (op != FUTEX_WAIT && op != FUTEX_WAIT_BITSET)
			return W_NONE;
		return a[3] ? W_ALWAYS : W_ENDS;
	}
	if (e->cls != SYSLET_CLASS_ANY)
		return W_NONE;
	switch (e->nb) {
	case SL_NB_READ:
	case SL_NB_WRITE:
		return fd_is_disk(a[0]) ? W_NONE : W_ENDS;
	case SL_NB_MSG:
	case SL_NB_POLLIN:
		return W_ENDS;
	case SL_NB_FCNTL:
		return a[1] == F_SETLKW || a[1] == F_OFD_SETLKW ? W_ENDS
								 : W_NONE;
	case SL_NB_BLOCKS:
		for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
			if (blocks[i].nr == nr)
				return (enum wait_kind)blocks[i].kind;
		return W_NONE;
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

/* A relative sleep ended at once: all of it remains. */
static long sleep_left(int nr, const long *a)
{
	long req = a[0], rem = a[1];
	struct iovec from, to;

	if (nr == SYS_clock_nanosleep) {
		if (a[1] & TIMER_ABSTIME)
			return -EINTR;
		req = a[2];
		rem = a[3];
	}
	if ((nr != SYS_nanosleep && nr != SYS_clock_nanosleep) || !rem)
		return -EINTR;
	/* Copied by the kernel, which answers a bad pointer with EFAULT. */
	from.iov_base = (void *)req;
	from.iov_len = to.iov_len = sizeof(struct timespec);
	to.iov_base = (void *)rem;
	if (sl_sys6(SYS_process_vm_writev, sl_sys0(SYS_getpid), (long)&from, 1,
		    (long)&to, 1, 0) != sizeof(struct timespec))
		return -EFAULT;
	return -EINTR;
}

int sl_signal_answer(int nr, const long *a, bool sa_restart, long *ret)
{
	const struct sl_sysent *e = sl_sys(nr);
	struct sl_rw rw = { 0 };
	enum wait_kind k;

	if (!e)
		return SL_SIG_RUN;
	k = kind_of(nr, e, a);
	if (k == W_NONE || (sa_restart && k != W_ALWAYS))
		return SL_SIG_RUN;
	if (e->cls != SYSLET_CLASS_ANY) {
		*ret = -EINTR; /* a futex wait: nothing to try */
		return SL_SIG_ANSWERED;
	}
	/* A tty or a FIFO has no non-blocking try: asking would block. */
	if ((e->nb == SL_NB_READ || e->nb == SL_NB_WRITE) &&
	    !ready(a[0], e->nb == SL_NB_READ ? POLLIN : POLLOUT)) {
		*ret = -EINTR;
		return SL_SIG_ANSWERED;
	}
	if (!sl_nowait(nr, e, a, &rw, ret))
		return SL_SIG_ANSWERED; /* done without waiting */
	if (rw.op != SL_RW_NONE && rw.acc > 0) {
		*ret = rw.acc;
		return SL_SIG_ANSWERED;
	}
	if (k == W_UNSURE)
		return SL_SIG_UNSURE;
	*ret = sleep_left(nr, a);
	return SL_SIG_ANSWERED;
}
