// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A child becomes another user before it execs (as su, setpriv or
 * Python's subprocess.run(user=...) do): its output and status are as
 * native, and nothing of ours reaches its stderr.  Under the backstop
 * the exec'ed image may not borrow the tree's listener (whoever holds it
 * answers root's calls too): its caught calls run natively, quietly.
 * Needs root: "--probe" exits 1 otherwise (the script then skips).
 */
#include "ptest.h"

#include <grp.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "--probe"))
		return geteuid() == 0 ? 0 : 1;
	pt_init();
	pid = fork();
	PT_CHECK(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, 0) || setgid(65534) || setuid(65534))
			_exit(126);
		/* cat reads and writes through the trapped calls. */
		execlp("sh", "sh", "-c",
		       "id -u; id -g; cat /etc/passwd | head -1", (char *)0);
		_exit(127);
	}
	PT_CHECK(waitpid(pid, &status, 0) == pid);
	printf("child status %d\n", status);
	return pt_exit();
}
