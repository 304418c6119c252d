// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fork() while another thread waits in read() (under the shim: on a
 * helper).  The child does blocking I/O of its own, a pipe read that waits
 * for the parent, and under the shim gets a helper of its own for it; the
 * parent's read in flight completes normally, with its data, afterwards.
 */
#include "ptest.h"

#include <sys/wait.h>

static int a[2], b[2], ready[2];
static pid_t a_tid;

static void *thread_a(void *arg)
{
	char buf[32] = { 0 };
	long n;

	__atomic_store_n(&a_tid, pt_tid(), __ATOMIC_RELEASE);
	n = read(a[0], buf, sizeof(buf) - 1);
	printf("parent thread A: read %ld \"%s\"\n", n, buf);
	return 0;
}

/* In the child: report the main thread's read, then let the parent go. */
static void *child_probe(void *arg)
{
	pt_route(*(pid_t *)arg, b[0], SYS_read, "child read");
	PT_CHECK(write(ready[1], "r", 1) == 1);
	return 0;
}

static void child(void)
{
	pid_t tid = pt_tid();
	char buf[32] = { 0 };
	pthread_t th;
	long n;

	printf("child: threads %d\n", pt_count_threads(false));
	PT_CHECK(pthread_create(&th, 0, child_probe, &tid) == 0);
	n = read(b[0], buf, sizeof(buf) - 1);
	pthread_join(th, 0);
	printf("child: read %ld \"%s\"\n", n, buf);
	exit(pt_exit());
}

int main(void)
{
	pthread_t th;
	int status;
	pid_t pid;
	char c;

	pt_init();
	PT_CHECK(pipe(a) == 0 && pipe(b) == 0 && pipe(ready) == 0);
	PT_CHECK(pthread_create(&th, 0, thread_a, 0) == 0);
	while (!__atomic_load_n(&a_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(a_tid, a[0], SYS_read, "parent read");
	pid = fork();
	PT_CHECK(pid >= 0);
	if (pid == 0)
		child();
	PT_CHECK(read(ready[0], &c, 1) == 1); /* the child is waiting */
	PT_CHECK(write(b[1], "from parent", 11) == 11);
	PT_CHECK(waitpid(pid, &status, 0) == pid);
	printf("parent: child exited %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	PT_CHECK(write(a[1], "for thread A", 12) == 12);
	pthread_join(th, 0);
	return pt_exit();
}
