// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Calls that natively never fail with EINTR must not start to under the
 * shim.  A handler installed without SA_RESTART interrupts the main thread
 * some 20,000 times a second while it opens, writes, reads back and closes
 * a regular file and reads an empty pipe that is O_NONBLOCK (EAGAIN):
 * natively none of these waits, so none may fail with EINTR, nothing may
 * be lost and nothing written twice.  (poll() with a zero timeout may:
 * it looks for signals first.)  Under
 * the backstop each of them is caught by the filter; a signal that lands
 * before the listener has received the call used to end it with EINTR
 * (stdio then drops the line it was writing).
 */
#include "ptest.h"

#include <signal.h>

#define SECONDS 1.0
#define LINE 64

static volatile sig_atomic_t handled, stop;
static pthread_t victim;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *interrupter(void *arg)
{
	double end;

	(void)arg;
	while (!stop) {
		pthread_kill(victim, SIGUSR1);
		end = pt_now() + 50e-6;
		while (pt_now() < end)
			;
	}
	return 0;
}

static void line_of(long i, char *buf)
{
	memset(buf, 'a' + (int)(i % 26), LINE);
	snprintf(buf, LINE, "%ld ", i);
	buf[strlen(buf)] = ' ';
	buf[LINE - 1] = '\n';
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */
	char path[] = "/tmp/syslet-nointr.XXXXXX", buf[LINE], got[LINE];
	long lines = 0, i, eintr[5] = { 0 }, bad = 0;
	int p[2];
	pthread_t th;
	double end;
	int fd, rfd;
	ssize_t n;

	pt_init();
	victim = pthread_self();
	PT_CHECK((fd = mkstemp(path)) >= 0);
	PT_CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pthread_create(&th, 0, interrupter, 0) == 0);
	end = pt_now() + SECONDS;
	/* On a loaded machine the interrupter may hardly run in a second:
	 * go on (at most 20 s more) until it has interrupted often. */
	while (pt_now() < end || (handled < 200 && pt_now() < end + 20)) {
		line_of(lines, buf);
		n = write(fd, buf, LINE);
		if (n < 0 && errno == EINTR) {
			eintr[0]++;
			continue; /* nothing written: write the line again */
		}
		PT_CHECK(n == LINE);
		lines++;
		n = pread(fd, got, LINE, (lines / 2) * LINE);
		if (n < 0 && errno == EINTR)
			eintr[1]++;
		else
			PT_CHECK(n == LINE);
		n = read(p[0], got, 1);
		if (n < 0 && errno == EINTR)
			eintr[4]++;
		else
			PT_CHECK(n < 0 && errno == EAGAIN);
		if (lines % 16)
			continue;
		rfd = open(path, O_RDONLY | O_CLOEXEC);
		if (rfd < 0 && errno == EINTR) {
			eintr[2]++;
			continue;
		}
		PT_CHECK(rfd >= 0);
		if (close(rfd) && errno == EINTR)
			eintr[3]++;
	}
	stop = 1;
	pthread_join(th, 0);
	for (i = 0; i < lines; i++) {
		line_of(i, buf);
		n = pread(fd, got, LINE, i * LINE);
		bad += n != LINE || memcmp(got, buf, LINE);
	}
	PT_CHECK(pread(fd, got, 1, lines * LINE) == 0);
	printf("write, pread, open, close failed with EINTR: %ld %ld %ld %ld\n",
	       eintr[0], eintr[1], eintr[2], eintr[3]);
	printf("O_NONBLOCK read of an empty pipe failed with EINTR: %ld\n",
	       eintr[4]);
	printf("every line once, in order: %s\n", bad ? "no" : "yes");
	printf("handlers ran: %s\n", handled > 100 ? "many" : "few");
	fprintf(stderr, "info: %d handlers, %ld lines\n", (int)handled, lines);
	close(fd);
	unlink(path);
	for (i = 0; i < 5; i++)
		bad += eintr[i];
	return bad ? 1 : 0;
}
