// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The self-pipe trick: the signal handler writes a byte to the very pipe
 * the interrupted thread is reading.  Natively the handler runs only once
 * read() has given up, so without SA_RESTART read() fails with EINTR every
 * time and the byte waits for the next read; with SA_RESTART the restarted
 * read returns the byte.  A routed read must do the same: the handler runs
 * while the caller waits for its helper, and the helper's read must not
 * take the handler's byte and return it in place of EINTR.
 */
#include "ptest.h"

#include <signal.h>

#define ROUNDS 20

static int p[2];
static pthread_t reader;
static pid_t reader_tid;
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	int saved = errno;

	syscall(SYS_write, p[1], "s", 1);
	handled++;
	errno = saved;
}

static void *kicker(void *arg)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (i == 0)
			pt_route(reader_tid, p[0], SYS_read, "read pipe");
		else
			pt_wait_blocked(reader_tid);
		pthread_kill(reader, SIGUSR1);
		while (handled <= i)
			pt_msleep(1);
	}
	return 0;
}

static void rounds(bool restart)
{
	struct sigaction sa = { .sa_handler = on_usr1,
				.sa_flags = restart ? SA_RESTART : 0 };
	int i, intr = 0, data = 0, other = 0;
	pthread_t th;
	char c;
	long n;

	handled = 0;
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pthread_create(&th, 0, kicker, 0) == 0);
	for (i = 0; i < ROUNDS; i++) {
		n = read(p[0], &c, 1);
		if (n < 0 && errno == EINTR) {
			intr++;
			n = read(p[0], &c, 1); /* the handler's byte */
		} else if (n == 1) {
			data++;
		}
		if (n != 1)
			other++;
	}
	pthread_join(th, 0);
	printf("%s: %d rounds, read failed with EINTR %d, returned the byte "
	       "%d, other %d\n",
	       restart ? "SA_RESTART" : "no SA_RESTART", ROUNDS, intr, data,
	       other);
}

int main(void)
{
	pt_init();
	reader = pthread_self();
	reader_tid = pt_tid();
	PT_CHECK(pipe(p) == 0);
	rounds(false);
	rounds(true);
	return pt_exit();
}
