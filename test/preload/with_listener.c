// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * with_listener PROG [ARGS...]: run PROG under someone else's seccomp
 * listener filter, as a container runtime would leave it.  The filter
 * (libseccomp, notify on getpgid only, which the tests never call) is
 * loaded here; a child execs PROG under it while this process holds the
 * listener and waits.  The shim in PROG then cannot load its own listener
 * (EBUSY) and must say so in one line and run preload-only.  Exits with
 * PROG's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int fd, st;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: with_listener PROG [ARGS...]\n");
		return 99;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx ||
	    seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getpgid), 0) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || seccomp_load(ctx)) {
		fprintf(stderr, "with_listener: cannot load a filter\n");
		return 99;
	}
	fd = seccomp_notify_fd(ctx);
	if (fd < 0) {
		fprintf(stderr, "with_listener: no listener\n");
		return 99;
	}
	pid = fork();
	if (pid < 0)
		return 99;
	if (pid == 0) {
		close(fd);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "with_listener: %s: %s\n", argv[1],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 99;
	seccomp_release(ctx);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
