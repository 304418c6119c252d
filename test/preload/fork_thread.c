// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fork() from a thread that is not the main one, and the child's thread
 * then returns: glibc ends the child with exit(0), since that was its last
 * thread.  Our helpers, listener and watcher must not keep it alive (it
 * stayed a zombie leader under the backstop's listener for ever).  The
 * child makes a blocking call first, at once or after a pause, so that
 * under the shim it has helpers and under the backstop a listener.  Then
 * the main thread of a child calls pthread_exit() while another thread
 * still reads: the child ends when that thread returns.  Each wait for a
 * child has a generous deadline: natively a child ends in milliseconds.
 */
#include "ptest.h"

#include <sys/wait.h>

#define ROUNDS 500
#define DEADLINE_S 60

/* Reap @pid before the deadline, else kill it and fail. */
static void reap(pid_t pid, int round)
{
	struct timespec start, now;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		PT_CHECK(r == 0);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > DEADLINE_S) {
			printf("round %d: child still alive after %d s\n",
			       round, DEADLINE_S);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			exit(1);
		}
		pt_msleep(1);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("round %d: child status %#x\n", round, status);
		exit(1);
	}
}

struct round {
	int n;
	int fds[2];
};

static void *forker(void *arg)
{
	struct round *r = arg;
	char c;
	pid_t pid = fork();

	PT_CHECK(pid >= 0);
	if (pid == 0) {
		/* Every tenth child waits past the backstop's 10 ms. */
		if (r->n % 10 == 0)
			pt_msleep(15);
		PT_CHECK(read(r->fds[0], &c, 1) == 1);
		return 0; /* the child's last thread: exit(0) */
	}
	PT_CHECK(write(r->fds[1], "x", 1) == 1);
	reap(pid, r->n);
	return 0;
}

static void *late_reader(void *arg)
{
	int *fds = arg;
	char c;

	PT_CHECK(read(fds[0], &c, 1) == 1);
	return 0;
}

/* A child whose main thread leaves first; the other thread ends it. */
static void main_exits_first(void)
{
	/* Static: the main thread's frame is gone when the reader reads. */
	static int fds[2];
	pthread_t th;
	pid_t pid;

	PT_CHECK(pipe(fds) == 0);
	pid = fork();
	PT_CHECK(pid >= 0);
	if (pid == 0) {
		PT_CHECK(pthread_create(&th, 0, late_reader, fds) == 0);
		pthread_exit(0);
	}
	pt_msleep(20);
	PT_CHECK(write(fds[1], "x", 1) == 1);
	reap(pid, -1);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	struct round r;
	pthread_t th;

	pt_init();
	for (r.n = 0; r.n < ROUNDS; r.n++) {
		PT_CHECK(pipe(r.fds) == 0);
		PT_CHECK(pthread_create(&th, 0, forker, &r) == 0);
		PT_CHECK(pthread_join(th, 0) == 0);
		close(r.fds[0]);
		close(r.fds[1]);
	}
	printf("%d children forked from a thread: all reaped\n", ROUNDS);
	main_exits_first();
	printf("a child whose main thread left first: reaped\n");
	return pt_exit();
}
