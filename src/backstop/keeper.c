// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The keeper process; see keeper.h.  It is made with raw clone(2) from the
 * shim's load-time constructor, outside the filter, and uses nothing of
 * the C library's that keeps state (sigaction and setitimer are bare
 * system calls).  sigaction() itself would bind to the shim's own
 * interposer, which wraps handlers for the program: the C library's other
 * name for it, __sigaction(), does not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "../engine/engine.h"
#include "board.h"
#include "keeper.h"

#ifndef PR_SET_PTRACER_ANY
#define PR_SET_PTRACER_ANY ((unsigned long)-1)
#endif

/* While some listener waits, look again this often (ns)... */
#define LOOK_NS 10000000L
/* ...and take a notification still there this many looks in a row. */
#define LOOKS 2

static int readable(int fd, long ns)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec t = { ns / 1000000000L, ns % 1000000000L };

	if (sl_sys5(SYS_ppoll, &p, 1, &t, 0, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1;
	return 1;
}

static void wake(int sig)
{
	(void)sig;
}

/*
 * RECV waits for a notification even if a listener took the one we saw,
 * and would make us a listener that takes every other call: a timer cuts
 * the wait short.
 */
static void take(int fd, struct ss_board *b)
{
	struct itimerval t = { .it_value = { 0, 1000 } }, off = { 0 };
	struct seccomp_notif n;
	struct seccomp_notif_resp r;
	pid_t fwd;
	long rc;
	int to;

	memset(&n, 0, sizeof(n));
	setitimer(ITIMER_REAL, &t, 0);
	rc = sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_RECV, &n);
	setitimer(ITIMER_REAL, &off, 0);
	if (rc)
		return;
	ss_board_seen(b, n.id); /* keeps the orphan scan's window current */
	/* Its process's listener makes it, as another listener would have
	 * it do (listener.c, foreign()); a service thread's, natively. */
	to = n.pid ? ss_board_owner(b, -1, (pid_t)n.pid, &fwd) : -1;
	if (to >= 0 && ss_board_forward(b, to, &n))
		return;
	if (to >= 0 &&
	    sl_ident_effect((long)n.data.nr, (const long *)n.data.args) !=
		    SL_IDENT_NONE)
		__atomic_add_fetch(&b->e[to].ident, 1, __ATOMIC_SEQ_CST);
	/* Made natively: marked for its thread's handlers (listener.h). */
	if (n.pid && to != SS_OWNER_SVC)
		ss_marks_set(&b->marks, (pid_t)n.pid, (int)n.data.nr);
	memset(&r, 0, sizeof(r));
	r.id = n.id;
	r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* A late alarm must not fail the send (EINTR): it would be lost. */
	while (sl_sys3(SYS_ioctl, fd, SECCOMP_IOCTL_NOTIF_SEND, &r) == -EINTR)
		;
}

/*
 * Until no process uses the filter (POLLHUP).  While a listener lives, a
 * notification is its (it takes it at once, or after the one in hand);
 * one that stays is taken after LOOKS looks, so that nothing waits for
 * ever.  With no listener, each is taken at once.
 */
static void serve(int fd, struct ss_board *b)
{
	struct timespec look = { 0, LOOK_NS };
	struct ss_orphans orphans = { 0 };
	struct ss_stale inbox = { .n = 0 };
	int rd, stale = 0, looks = 0;

	for (;;) {
		if (++looks % 5 == 0) /* about every 50 ms */
			ss_board_orphans(b, fd, &orphans);
		if (ss_board_listening(b)) {
			sl_sys2(SYS_nanosleep, &look, 0);
			ss_board_inbox_stale(b, fd, &inbox);
			rd = readable(fd, 0);
			if (rd < 0)
				return;
			stale = rd ? stale + 1 : 0;
			if (stale >= LOOKS) {
				take(fd, b);
				stale = 0;
			}
			continue;
		}
		stale = 0;
		rd = readable(fd, LOOK_NS);
		if (rd < 0)
			return;
		if (rd && !ss_board_listening(b))
			take(fd, b);
	}
}

static int recv_fds(int sock, int fds[2])
{
	char c, buf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = buf,
			    .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;

	if (sl_sys3(SYS_recvmsg, sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	return 0;
}

/* glibc's public alias of sigaction() (GLIBC_2.2.5), not interposed. */
extern int __sigaction(int sig, const struct sigaction *act,
		       struct sigaction *old);

static __attribute__((noreturn)) void keeper_main(int sock)
{
	struct sigaction sa;
	struct ss_board *b;
	sigset_t one;
	int fds[2];

	sl_sys1(SYS_setsid, 0);
	sl_sys2(SYS_prctl, PR_SET_NAME, "syslet-keeper");
	sl_sys2(SYS_prctl, PR_SET_PDEATHSIG, 0);
	/* pidfd_getfd(2) by the tree's processes, under Yama too. */
	sl_sys2(SYS_prctl, PR_SET_DUMPABLE, 1);
	sl_sys2(SYS_prctl, PR_SET_PTRACER, PR_SET_PTRACER_ANY);
	/* Keep nothing of the program's open: no pipe waits on us. */
	if (sock != 0)
		sl_sys3(SYS_dup3, sock, 0, O_CLOEXEC);
	sl_sys3(SYS_close_range, 1, ~0U, 0);
	/* No SA_RESTART: the alarm interrupts RECV (take()).  Made with
	 * every signal blocked: SIGALRM alone is let in. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake;
	__sigaction(SIGALRM, &sa, 0);
	sigemptyset(&one);
	sigaddset(&one, SIGALRM);
	sl_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &one, 0, _NSIG / 8);
	if (!recv_fds(0, fds) && !ss_board_map(fds[1], &b)) {
		/* Tell the shim the numbers they are under. */
		sl_sys4(SYS_sendto, 0, fds, sizeof(fds), 0);
		sl_sys1(SYS_close, 0);
		serve(fds[0], b);
	}
	sl_sys1(SYS_exit_group, 0);
	__builtin_unreachable();
}

int ss_keeper_start(pid_t *pid)
{
	int sv[2], st;
	long c, k;
	sigset_t all, old;

	if (sl_sys4(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sv))
		return -EMFILE;
	/* The keeper's pid comes back through the socket. */
	sigfillset(&all);
	sl_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &all, &old, _NSIG / 8);
	/* No SIGCHLD for the program: a clone that signals nothing. */
	c = sl_sys5(SYS_clone, 0, 0, 0, 0, 0);
	if (c == 0) {
		k = sl_sys5(SYS_clone, 0, 0, 0, 0, 0);
		if (k == 0) {
			sl_sys1(SYS_close, sv[0]);
			keeper_main(sv[1]);
		}
		k = k > 0 ? k : 0;
		sl_sys4(SYS_sendto, sv[1], &k, sizeof(k), 0);
		sl_sys1(SYS_exit, 0);
	}
	sl_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, _NSIG / 8);
	sl_sys1(SYS_close, sv[1]);
	if (c < 0) {
		sl_sys1(SYS_close, sv[0]);
		return (int)c;
	}
	while (sl_sys4(SYS_wait4, c, &st, __WCLONE, 0) == -EINTR)
		;
	k = 0;
	if (sl_sys4(SYS_recvfrom, sv[0], &k, sizeof(k), 0) != sizeof(k) ||
	    k <= 0) {
		sl_sys1(SYS_close, sv[0]);
		return -EAGAIN;
	}
	*pid = (pid_t)k;
	return sv[0];
}

int ss_keeper_give(int sock, int lfd, int bfd, int at[2])
{
	char c = 0, buf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = buf,
			    .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;
	int fds[2] = { lfd, bfd };
	long rc = -EBADF;

	if (lfd >= 0 && bfd >= 0) {
		memset(buf, 0, sizeof(buf));
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, sizeof(fds));
		rc = sl_sys3(SYS_sendmsg, sock, &m, MSG_NOSIGNAL);
		if (rc == 1)
			rc = sl_sys4(SYS_recvfrom, sock, at, 2 * sizeof(int),
				     0) == 2 * sizeof(int)
				     ? 0
				     : -EPIPE;
		else if (rc >= 0)
			rc = -EPIPE;
	}
	sl_sys1(SYS_close, sock);
	return (int)rc;
}

int ss_keeper_take(pid_t pid, int fd)
{
	long pfd = sl_sys2(SYS_pidfd_open, pid, 0), r;

	if (pfd < 0)
		return (int)pfd;
	r = sl_sys3(SYS_pidfd_getfd, pfd, fd, 0);
	sl_sys1(SYS_close, pfd);
	return (int)r;
}
