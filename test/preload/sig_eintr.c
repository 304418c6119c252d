// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Without SA_RESTART: read() on an empty pipe fails with EINTR after the
 * handler, and the cancelled call took nothing: every byte written after
 * is still in the pipe.  Then the race: 500 times a byte is written at
 * about the moment the signal lands; each read returns EINTR (the byte is
 * still there, and read after) or the byte; all 500 arrive, none twice.
 */
#include "ptest.h"

#include <signal.h>
#include <sys/ioctl.h>

#define ROUNDS 500

static volatile sig_atomic_t handled;
static pthread_t reader;
static pid_t reader_tid;
static int p[2], go[2];

static void on_usr1(int sig)
{
	handled++;
}

static void *interrupter(void *arg)
{
	pt_route(reader_tid, p[0], SYS_read, "read pipe");
	pthread_kill(reader, SIGUSR1);
	return 0;
}

static void spin_us(int us)
{
	double end = pt_now() + us / 1e6;

	while (pt_now() < end)
		;
}

static void *racer(void *arg)
{
	char c;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (syscall(SYS_read, go[0], &c, 1) != 1)
			PT_FAIL("go");
		/* Vary the moment, and which of the two comes first. */
		if (i % 8 == 7)
			pt_msleep(1); /* the reader settled in its wait */
		else
			spin_us((i % 10) * 25);
		if (i & 1)
			pthread_kill(reader, SIGUSR1);
		else
			syscall(SYS_write, p[1], "b", 1);
		if (i % 8 == 7)
			pt_msleep(1); /* the CPU free for the cancel */
		else
			spin_us((i % 7) * 40);
		if (i & 1)
			syscall(SYS_write, p[1], "b", 1);
		else
			pthread_kill(reader, SIGUSR1);
	}
	return 0;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */
	pthread_t th;
	char buf[16];
	long n, got = 0;
	int i, avail = -1, intr = 0;

	pt_init();
	reader = pthread_self();
	reader_tid = pt_tid();
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pipe(p) == 0 && pipe(go) == 0);

	PT_CHECK(pthread_create(&th, 0, interrupter, 0) == 0);
	errno = 0;
	n = read(p[0], buf, sizeof(buf));
	printf("read interrupted: %ld %s, handler ran %d\n", n,
	       strerrorname_np(errno), (int)handled);
	pthread_join(th, 0);
	PT_CHECK(write(p[1], "after", 5) == 5);
	pt_msleep(50); /* a cancelled call still reading would take it now */
	PT_CHECK(ioctl(p[0], FIONREAD, &avail) == 0);
	printf("in the pipe after: %d bytes\n", avail);
	n = read(p[0], buf, sizeof(buf));
	printf("read: %ld \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);

	handled = 0;
	PT_CHECK(pthread_create(&th, 0, racer, 0) == 0);
	for (i = 0; i < ROUNDS; i++) {
		PT_CHECK(write(go[1], "g", 1) == 1);
		n = read(p[0], buf, 1);
		if (n < 0 && errno == EINTR) {
			intr++;
			n = read(p[0], buf, 1); /* the byte is still there */
		}
		if (n != 1)
			PT_FAIL("round %d: read %ld (%s)", i, n,
				strerrorname_np(errno));
		got++;
		while (handled <= i) /* this round's signal, before the next */
			sched_yield();
	}
	pthread_join(th, 0);
	PT_CHECK(ioctl(p[0], FIONREAD, &avail) == 0);
	printf("race: %ld of %d bytes received, %d left in the pipe\n", got,
	       ROUNDS, avail);
	fprintf(stderr, "info: race: %d reads interrupted\n", intr);
	return pt_exit();
}
