// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A child closes every descriptor it inherited (close_range(3, ~0U),
 * then closefrom(3)) and execs a shell that lists /proc/self/fd: the
 * list is the same as natively.  Under the backstop the filter keeps the
 * listener's descriptor open when the program closes it, so that the
 * process's other threads keep their listener; the image exec'ed next
 * then does without it (its caught calls run natively).
 */
#include "ptest.h"

#include <sys/wait.h>

static void child(int how)
{
	if (how == 0)
		PT_CHECK(syscall(SYS_close_range, 3, ~0U, 0) == 0);
	else
		closefrom(3);
	execlp("sh", "sh", "-c",
	       "ls /proc/self/fd | sort -n | tr '\\n' ' '; echo", (char *)0);
	_exit(127);
}

int main(void)
{
	static const char *const hows[] = { "close_range", "closefrom" };
	int how, status, p[2];
	pid_t pid;

	pt_init();
	/* Something to close: a pipe and a copy of stdout up high. */
	PT_CHECK(pipe(p) == 0 && dup2(1, 500) == 500);
	for (how = 0; how < 2; how++) {
		printf("%s: ", hows[how]);
		fflush(stdout);
		pid = fork();
		PT_CHECK(pid >= 0);
		if (pid == 0)
			child(how);
		PT_CHECK(waitpid(pid, &status, 0) == pid);
		PT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	return pt_exit();
}
