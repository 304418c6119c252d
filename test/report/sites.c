// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Two threads whose blocking call sites are known, for test/report/
 * sites.sh: "evloop" polls (an event loop, idle in its wait) and then
 * reads a pipe from slow_site(); "worker" reads another from
 * worker_site().  The main thread writes each pipe only once the reader
 * waits in its read (asleep in /proc), so that every one of those reads
 * truly blocks.  Prints "loop TID" and "worker TID".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define READS 3

struct reader {
	int fd[2];
	volatile long tid;
	long started; /* reads begun */
	long got;
};

static struct reader loop_r, work_r;
static int tick[2]; /* never written: the loop's poll times out */

int slow_site(struct reader *r);
int worker_site(struct reader *r);

static void die(const char *what)
{
	fprintf(stderr, "sites: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Not inlined, and work after the read: the frame stays on the stack. */
__attribute__((noinline)) int slow_site(struct reader *r)
{
	char buf[8];
	ssize_t n;

	__atomic_add_fetch(&r->started, 1, __ATOMIC_RELEASE);
	n = read(r->fd[0], buf, sizeof(buf));
	if (n != 8)
		die("slow_site read");
	r->got += n;
	return (int)n;
}

__attribute__((noinline)) int worker_site(struct reader *r)
{
	char buf[8];
	ssize_t n;

	__atomic_add_fetch(&r->started, 1, __ATOMIC_RELEASE);
	n = read(r->fd[0], buf, sizeof(buf));
	if (n != 8)
		die("worker_site read");
	r->got += n;
	return (int)n;
}

static void *loop_main(void *arg)
{
	struct pollfd p = { .fd = tick[0], .events = POLLIN };
	int i;

	(void)arg;
	prctl(PR_SET_NAME, "evloop");
	loop_r.tid = syscall(SYS_gettid);
	for (i = 0; i < READS; i++) {
		if (poll(&p, 1, 10) < 0)
			die("poll");
		slow_site(&loop_r);
	}
	return 0;
}

static void *worker_main(void *arg)
{
	int i;

	(void)arg;
	prctl(PR_SET_NAME, "worker");
	work_r.tid = syscall(SYS_gettid);
	for (i = 0; i < READS; i++)
		worker_site(&work_r);
	return 0;
}

static void msleep(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (syscall(SYS_nanosleep, &ts, &ts) && errno == EINTR)
		;
}

/* Asleep: in read() natively, waiting for a helper under the shim. */
static int asleep(long tid)
{
	char path[64], buf[64] = { 0 };
	long fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
	fd = syscall(SYS_openat, -100, path, 0);
	if (fd < 0)
		return 0;
	n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
	syscall(SYS_close, fd);
	return n > 0 && strstr(buf, ") S ");
}

/* Read @i of @r has begun and waits: now feed it. */
static void feed(struct reader *r, long i)
{
	do
		msleep(5);
	while (__atomic_load_n(&r->started, __ATOMIC_ACQUIRE) <= i || !r->tid ||
	       !asleep(r->tid));
	msleep(5); /* well past the shim's non-blocking try */
	if (syscall(SYS_write, r->fd[1], "8 bytes.", 8) != 8)
		die("write");
}

int main(void)
{
	pthread_t a, b;
	long i;

	if (pipe(loop_r.fd) || pipe(work_r.fd) || pipe(tick))
		die("pipe");
	if (pthread_create(&a, 0, loop_main, 0) ||
	    pthread_create(&b, 0, worker_main, 0))
		die("pthread_create");
	for (i = 0; i < READS; i++) {
		feed(&loop_r, i);
		feed(&work_r, i);
	}
	pthread_join(a, 0);
	pthread_join(b, 0);
	printf("loop %ld\nworker %ld\n", loop_r.tid, work_r.tid);
	return loop_r.got == 8 * READS && work_r.got == 8 * READS ? 0 : 1;
}
