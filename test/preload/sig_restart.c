// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SA_RESTART: while the main thread blocks in read() on a pipe, SIGUSR1
 * (blocked everywhere else, sent to the process) runs its handler on the
 * main thread, again and again; the read keeps waiting and returns the data
 * written later.  The whole stream arrives once, in order: nothing read
 * twice, nothing lost.
 */
#include "ptest.h"

#include <signal.h>

#define CHUNKS 8
#define SIGS 3 /* per chunk */
#define TOTAL (CHUNKS * 101)

static pid_t main_tid;
static volatile sig_atomic_t handled, wrong_thread;
static int p[2];
static long received; /* by the reader, atomically */

static void on_usr1(int sig)
{
	if ((pid_t)syscall(SYS_gettid) != main_tid)
		wrong_thread = 1;
	handled++;
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + 3);
}

static void *writer(void *arg)
{
	unsigned char chunk[TOTAL];
	long off = 0;
	sigset_t usr1;
	int i, j;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, 0);
	for (i = 0; i < CHUNKS; i++) {
		long len = 50 + i * 3; /* 8 chunks, 101 bytes on average */

		if (i == CHUNKS - 1)
			len = TOTAL - off;
		while (__atomic_load_n(&received, __ATOMIC_ACQUIRE) != off)
			pt_msleep(1);
		if (i == 0)
			pt_route(main_tid, p[0], SYS_read, "read pipe");
		for (j = 0; j < SIGS; j++) {
			int before = handled;

			pt_wait_blocked(main_tid);
			kill(getpid(), SIGUSR1);
			while (handled == before)
				pt_msleep(1);
		}
		pt_wait_blocked(main_tid);
		for (j = 0; j < len; j++)
			chunk[j] = pattern(off + j);
		if (syscall(SYS_write, p[1], chunk, len) != len)
			PT_FAIL("write");
		off += len;
	}
	return 0;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	unsigned char buf[TOTAL];
	pthread_t th;
	long i, n, reads = 0;

	pt_init();
	main_tid = pt_tid();
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(pthread_create(&th, 0, writer, 0) == 0);
	while (received < TOTAL) {
		n = read(p[0], buf + received, sizeof(buf) - (size_t)received);
		if (n <= 0)
			PT_FAIL("read returned %ld (%s)", n,
				strerrorname_np(errno));
		reads++;
		__atomic_store_n(&received, received + n, __ATOMIC_RELEASE);
	}
	pthread_join(th, 0);
	for (i = 0; i < TOTAL; i++)
		if (buf[i] != pattern(i))
			PT_FAIL("byte %ld is %d, expected %d", i, buf[i],
				pattern(i));
	printf("stream: %ld bytes in order, %s reads\n", received,
	       reads == CHUNKS ? "one per chunk" : "not one per chunk");
	printf("handlers run: %d, all on the reading thread: %s\n",
	       (int)handled, wrong_thread ? "no" : "yes");
	PT_CHECK(!wrong_thread && handled == CHUNKS * SIGS);
	return pt_exit();
}
