// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Starting the seccomp backstop (backstop.h, doc/backstop.md).  The first
 * process of a tree starts the keeper, loads the filter and starts its
 * listener; a fork() child starts a listener of its own on the inherited
 * fd; an exec'ed image borrows the fd from the keeper ($SYSLET_BACKSTOP
 * names it).  Anything that fails leaves the process with the preload
 * layer alone, after one line on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "backstop.h"
#include "board.h"
#include "filter.h"
#include "keeper.h"
#include "listener.h"

#define ENV_NAME "SYSLET_BACKSTOP"

/* backstop.h: set once the filter is in force, read by restart.c and the
 * shim's signals.c. */
bool ss_restart_forced;

/* The calls the filter catches, by number. */
static uint64_t traps[(SL_SYSTAB_MAX + 63) / 64];

bool ss_backstop_traps(int nr)
{
	return nr >= 0 && nr < SL_SYSTAB_MAX &&
	       (traps[nr / 64] >> (nr % 64) & 1);
}

/*
 * A fork() child starts its listener at once, before fork() returns in
 * it: its calls then run on its own helpers, however it makes them (the
 * listener of whichever process receives one passes it on: board.h).
 */
static void child(void)
{
	if (ss_listener_child())
		sl_warn_once("cannot start the seccomp listener after fork",
			     EAGAIN);
}

/*
 * The listener's number: high, out of the program's way, and the same in
 * every process of the tree, because the filter guards it by number.
 */
static int pick_fd(void)
{
	struct rlimit rl;
	long at = 1000;

	if (!sl_sys2(SYS_getrlimit, RLIMIT_NOFILE, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur - 32 < at)
		at = (long)rl.rlim_cur - 32;
	for (; at > 64; at--)
		if (sl_sys2(SYS_fcntl, at, F_GETFD) == -EBADF)
			return (int)at;
	return -1;
}

/* Move @fd to @to (close-on-exec) if @to is free; returns where it is. */
static int park(int fd, int to)
{
	if (to < 0 || fd == to || sl_sys2(SYS_fcntl, to, F_GETFD) != -EBADF ||
	    sl_sys3(SYS_dup3, fd, to, O_CLOEXEC) != to)
		return fd;
	sl_sys1(SYS_close, fd);
	return to;
}

/*
 * The system call stubs at a fixed address, the same in every process of
 * the tree: the filter lets calls through by the address they are made
 * from, and an exec'ed image maps the shim elsewhere.  @at 0: pick one.
 * Returns the address, or 0 (the backstop cannot be used here).
 */
static uintptr_t gates_at(uintptr_t at)
{
	int tries = at ? 1 : 16;
	uint64_t r;
	long p;

	while (tries--) {
		if (!at) {
			if (sl_sys3(SYS_getrandom, &r, sizeof(r), 0) !=
			    sizeof(r))
				return 0;
			/* Page-aligned, in the middle of the user half. */
			at = (uintptr_t)(0x100000000000ull +
					 (r % 0x200000000ull) * 4096);
		}
		p = sl_sys6(SYS_mmap, at, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			    -1, 0);
		if (p == (long)at && !sl_gates_move((void *)at))
			return at;
		if (p == (long)at)
			sl_sys2(SYS_munmap, at, 4096);
		at = 0;
	}
	return 0;
}

/* Is @fd a seccomp listener? */
static bool is_listener(int fd)
{
	char path[40], link[64];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = sl_sys4(SYS_readlinkat, AT_FDCWD, path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = 0;
	return !strcmp(link, "anon_inode:seccomp notify");
}

/*
 * An exec'ed image of a tree under the backstop: borrow the listener and
 * the board from the keeper ($SYSLET_BACKSTOP is "PID:LISTENER:BOARD:AT:
 * GATES", the keeper's numbers for them, the tree's number of the
 * listener and the address of its system call stubs).
 */
static int adopt(struct ss_board **board)
{
	const char *v = getenv(ENV_NAME);
	unsigned long long gates;
	long pid, fd[3];
	char *end;
	int lfd, bfd, rc;

	/* Not under a filter: the variable is from an unrelated tree. */
	if (!v || sl_sys2(SYS_prctl, PR_GET_SECCOMP, 0) != 2)
		return -ENOENT;
	pid = strtol(v, &end, 10);
	if (*end != ':' || pid <= 0)
		return -EINVAL;
	fd[0] = strtol(end + 1, &end, 10);
	if (*end != ':' || fd[0] < 0)
		return -EINVAL;
	fd[1] = strtol(end + 1, &end, 10);
	if (*end != ':' || fd[1] < 0)
		return -EINVAL;
	fd[2] = strtol(end + 1, &end, 10);
	if (*end != ':' || fd[2] < 0 || fd[2] > INT32_MAX)
		return -EINVAL;
	gates = strtoull(end + 1, &end, 16);
	if (*end || !gates)
		return -EINVAL;
	/* Our own calls would be caught: no listener may run here. */
	if (!gates_at((uintptr_t)gates))
		return -EADDRINUSE;
	lfd = ss_keeper_take((pid_t)pid, (int)fd[0]);
	if (lfd < 0)
		return lfd;
	if (!is_listener(lfd)) {
		sl_sys1(SYS_close, lfd);
		return -EINVAL;
	}
	bfd = ss_keeper_take((pid_t)pid, (int)fd[1]);
	rc = bfd < 0 ? bfd : ss_board_map(bfd, board);
	if (bfd >= 0)
		sl_sys1(SYS_close, bfd);
	/* The image before us, or our parent, closed every descriptor,
	 * ours too: so do we, and our children after us. */
	if (!rc && ss_board_closed(*board, (pid_t)sl_sys0(SYS_getpid),
				   (pid_t)sl_sys0(SYS_getppid))) {
		ss_board_closed_set(*board, (pid_t)sl_sys0(SYS_getpid));
		sl_sys2(SYS_munmap, *board, sizeof(**board));
		*board = 0;
		rc = -EBADF;
	}
	if (rc) {
		sl_sys1(SYS_close, lfd);
		return rc;
	}
	return park(lfd, (int)fd[2]);
}

/* The first process of a tree: keeper, board, filter. */
static int load(const struct ss_filter *f, int at_fd, uintptr_t gates,
		struct ss_board **board)
{
	char env[100];
	int sock, lfd, bfd, at[2], rc;
	pid_t keeper;

	bfd = ss_board_create(board);
	if (bfd < 0)
		return bfd;
	sock = ss_keeper_start(&keeper);
	if (sock < 0) {
		sl_sys1(SYS_close, bfd);
		return sock;
	}
	/*
	 * Killable waits once received: a reply is never lost to a signal
	 * (watch.c); kernels before 5.19 lack it, and get no backstop.  With
	 * CAP_SYS_ADMIN no_new_privs is not needed: leave it alone.
	 */
	lfd = ss_filter_load(f, SS_LOAD_WAIT_KILLABLE);
	if (lfd == -EACCES)
		lfd = ss_filter_load(f, SS_LOAD_WAIT_KILLABLE | SS_LOAD_NNP);
	if (lfd >= 0)
		lfd = park(lfd, at_fd);
	rc = ss_keeper_give(sock, lfd, bfd, at);
	sl_sys1(SYS_close, bfd);
	if (lfd < 0)
		return lfd;
	if (rc) {
		/* Loaded, but nobody keeps the fd: the tree after an exec
		 * would get ENOSYS.  Only this process listens. */
		sl_warn_once("cannot hand the seccomp listener to its keeper",
			     -rc);
		return lfd;
	}
	snprintf(env, sizeof(env), "%d:%d:%d:%d:%llx", (int)keeper, at[0],
		 at[1], at_fd, (unsigned long long)gates);
	setenv(ENV_NAME, env, 1);
	return lfd;
}

/* A new tree: the filter, then the keeper, board and listener. */
static int first(const int *trap, size_t n, const struct ss_listener_ops *ops,
		 struct ss_board **board)
{
	uintptr_t gates[2], page;
	struct ss_filter f;
	int lfd, rc, at_fd;

	page = gates_at(0);
	if (!page) {
		sl_warn_once("cannot map the seccomp backstop's gates", ENOMEM);
		return -ENOMEM;
	}
	gates[0] = sl_gates.gate_end;
	gates[1] = sl_gates.cp_end;
	at_fd = pick_fd();
	/* libseccomp's own calls are not the program's: uncounted. */
	if (ops->quiet)
		ops->quiet(true);
	rc = ss_filter_build_backstop(trap, n, at_fd, gates, 2, &f);
	if (ops->quiet)
		ops->quiet(false);
	if (rc) {
		sl_warn_once("cannot build the seccomp filter", -rc);
		return rc;
	}
	/* Made before the filter: the listener's calls are never caught
	 * (listener.h).  If not, it is started after. */
	ss_listener_prestart(ops);
	lfd = load(&f, at_fd, page, board);
	ss_filter_free(&f);
	if (lfd < 0)
		ss_listener_unstart();
	if (lfd == -EBUSY)
		sl_warn_once("another seccomp listener is in force, so the "
			     "backstop is off",
			     EBUSY);
	else if (lfd < 0)
		sl_warn_once("cannot load the seccomp backstop", -lfd);
	return lfd;
}

int ss_backstop_start(const int *trap, size_t n,
		      const struct ss_listener_ops *ops)
{
	struct ss_board *board = 0;
	size_t i;
	int lfd, rc;

	/* The engine's fork handlers before ours (see child()). */
	if (!n || !ops->ctx())
		return -EAGAIN;
	for (i = 0; i < n; i++)
		if (trap[i] >= 0 && trap[i] < SL_SYSTAB_MAX)
			traps[trap[i] / 64] |= 1ull << (trap[i] % 64);
	lfd = adopt(&board);
	if (lfd == -EPERM || lfd == -EACCES || lfd == -EBADF) {
		/*
		 * Under our tree's filter as another identity (it changed
		 * before exec): the kernel refuses us the keeper's fd, and
		 * rightly, since whoever holds it answers every process of
		 * the tree, root's too.  Or (EBADF) the image before us
		 * closed every descriptor, so we list none of ours.  The
		 * others answer our caught calls, which run natively; the
		 * report says so, stderr does not.
		 */
		ss_restart_forced = true;
		return lfd;
	}
	if (lfd == -EADDRINUSE) {
		/* Under the tree's filter, but our calls cannot pass it. */
		ss_restart_forced = true;
		sl_warn_once(
			"the seccomp backstop's gate address is taken here",
			EADDRINUSE);
		return lfd;
	}
	if (lfd < 0)
		lfd = first(trap, n, ops, &board);
	if (lfd < 0)
		return lfd;
	/* Caught calls can now meet signals before anyone receives them. */
	ss_restart_forced = true;
	if (getenv("SYSLET_TRAP_NO_SYNC") == 0) /* scripts/trap-bench */
		ss_listener_sync_wakeup(lfd);	/* 6.6+; slower without */
	rc = ss_listener_start(lfd, board, ops);
	if (rc) {
		/* The keeper answers the calls the filter now catches. */
		sl_warn_once("cannot start the seccomp listener", -rc);
		return rc;
	}
	pthread_atfork(0, 0, child);
	return 0;
}
