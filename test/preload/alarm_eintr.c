// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * alarm(1) with a SIGALRM handler (no SA_RESTART) around a blocking read
 * on a pipe, then on a socket: each fails with EINTR after about a second.
 * Then fread() from a pipe: glibc's fread calls its internal read, never
 * the shim's, but must end the same way (0 items, ferror, EINTR).
 */
#include "ptest.h"

#include <signal.h>
#include <sys/socket.h>

static volatile sig_atomic_t alarms;

static void on_alrm(int sig)
{
	alarms++;
}

/*
 * The probe thread must not take the process-directed SIGALRM.  It arms
 * the alarm once it has seen where the read went: armed before, a busy
 * machine could let it ring before the probe looked, and the probe would
 * find the reader gone.
 */
static void *probe(void *arg)
{
	struct pt_feeder *f = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, 0);
	pt_feeder_main(f);
	alarm(1);
	return 0;
}

static void timed(int fd, const char *what, FILE *fp)
{
	struct pt_feeder f = {
		.tid = pt_tid(), .fd = fd, .native_nr = SYS_read, .what = what
	};
	pthread_t th;
	char buf[16];
	double t0;
	long n;
	int before = alarms;

	if (!fp)
		PT_CHECK(pthread_create(&th, 0, probe, &f) == 0);
	t0 = pt_now();
	if (fp)
		alarm(1);
	errno = 0;
	n = fp ? (long)fread(buf, 1, sizeof(buf), fp)
	       : read(fd, buf, sizeof(buf));
	printf("%s: %ld %s, alarm handled %d, ferror %d, ", what, n,
	       strerrorname_np(errno), alarms - before, fp ? ferror(fp) : -1);
	t0 = pt_now() - t0;
	printf("after %s\n",
	       t0 >= 0.9 && t0 < 30 ? "about a second" : "WRONG TIME");
	fprintf(stderr, "info: %s: %.3f s\n", what, t0);
	if (!fp)
		pthread_join(th, 0);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alrm }; /* no SA_RESTART */
	int p[2], s[2];
	char c = 0;
	size_t n;
	FILE *fp;

	pt_init();
	PT_CHECK(sigaction(SIGALRM, &sa, 0) == 0);
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
	timed(p[0], "read pipe", 0);
	timed(s[0], "read socket", 0);
	fp = fdopen(p[0], "r");
	PT_CHECK(fp != 0);
	timed(p[0], "fread pipe", fp);
	PT_CHECK(write(p[1], "x", 1) == 1); /* nothing lost by the pipe */
	clearerr(fp);
	n = fread(&c, 1, 1, fp);
	printf("fread after: %zu '%c'\n", n, c);
	return pt_exit();
}
