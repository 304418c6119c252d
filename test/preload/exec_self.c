// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program that re-execs itself (execv /proc/self/exe) with routed I/O
 * before and after.  The exec is made by a second thread while the main
 * thread waits in a routed read: exec ends every other thread, helpers
 * included, and the exec'ing thread takes over the PID.  The new image
 * starts with no helper, and its shim, freshly initialised, routes again;
 * a second exec, from the main thread this time, does the same.
 */
#include "ptest.h"

static int p[2];
static pid_t main_tid;
static char **args;

static void routed_read(const char *what)
{
	struct pt_feeder f = { 0 };
	char buf[32] = { 0 };
	long n;

	f.tid = pt_tid();
	f.fd = p[0];
	f.native_nr = SYS_read;
	f.what = what;
	f.wfd = p[1];
	f.data = what;
	f.len = strlen(what);
	pt_feeder_start(&f);
	n = read(p[0], buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	printf("%s: read %ld \"%s\"\n", what, n, buf);
	PT_CHECK(n == (long)strlen(what));
}

static void reexec(int stage)
{
	char s[16], pid[16];
	char *av[] = { args[0], s, pid, 0 };

	snprintf(s, sizeof(s), "%d", stage);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	execv("/proc/self/exe", av);
	PT_FAIL("execv: %s", strerrorname_np(errno));
}

/* Exec while the main thread waits in a routed read that never ends. */
static void *execer(void *arg)
{
	pt_route(main_tid, p[0], SYS_read, "read in flight at exec");
	reexec(2);
	return 0;
}

int main(int argc, char **argv)
{
	int stage = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t th;
	char c;

	pt_init();
	args = argv;
	main_tid = pt_tid();
	printf("stage %d: helpers at start %d, threads %d\n", stage,
	       pt_helpers(), pt_count_threads(false));
	if (argc > 2)
		printf("stage %d: same pid %s, pid == tid %s\n", stage,
		       atoi(argv[2]) == getpid() ? "yes" : "no",
		       getpid() == pt_tid() ? "yes" : "no");
	PT_CHECK(pipe2(p, O_CLOEXEC) == 0);
	routed_read(stage == 1 ? "before exec" : "after exec");
	switch (stage) {
	case 1:
		PT_CHECK(pthread_create(&th, 0, execer, 0) == 0);
		PT_CHECK(read(p[0], &c, 1) < 0); /* never returns */
		PT_FAIL("read returned");
		break;
	case 2:
		reexec(3);
		break;
	}
	return pt_exit();
}
