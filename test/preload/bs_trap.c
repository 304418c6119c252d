// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What only the seccomp backstop catches (run under backstop.policy): a
 * raw syscall(SYS_read) and glibc's fread() (its internal read, not the
 * shim's) wait on a helper while the caller waits in the call itself;
 * trapped gettid/getpid/getppid answer as the caller; a ppoll() with a
 * signal mask must stay on its thread (it is let through); 64 threads
 * block in trapped reads at once and each gets its own data.
 */
#include "ptest.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>

#define NTHREADS 64

static int tp[NTHREADS][2];
static pid_t ttid[NTHREADS];
static char tgot[NTHREADS][16];

static struct pt_feeder feeders[3];
static int nfeeders;

static void feed(int rfd, int wfd, long nr, const char *what, const char *data)
{
	struct pt_feeder *f = &feeders[nfeeders++];

	f->tid = pt_tid();
	f->fd = rfd;
	f->native_nr = nr;
	f->what = what;
	f->wfd = wfd;
	f->data = data;
	f->len = strlen(data);
	pt_feeder_start(f);
}

static void *reader(void *arg)
{
	long i = (long)arg, n;

	__atomic_store_n(&ttid[i], pt_tid(), __ATOMIC_RELEASE);
	n = syscall(SYS_read, tp[i][0], tgot[i], sizeof(tgot[i]) - 1);
	if (n < 0)
		snprintf(tgot[i], sizeof(tgot[i]), "error %d", errno);
	return 0;
}

static void many(void)
{
	pthread_t th[NTHREADS];
	char want[16];
	long i;
	int bad = 0;

	for (i = 0; i < NTHREADS; i++) {
		PT_CHECK(pipe(tp[i]) == 0);
		PT_CHECK(pthread_create(&th[i], 0, reader, (void *)i) == 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		while (!__atomic_load_n(&ttid[i], __ATOMIC_ACQUIRE))
			pt_msleep(1);
		PT_CHECK(pt_wait_blocked(ttid[i]) == SYS_read);
	}
	for (i = 0; i < NTHREADS; i++) {
		snprintf(want, sizeof(want), "thread %ld", i);
		PT_CHECK(syscall(SYS_write, tp[i][1], want, strlen(want)) ==
			 (long)strlen(want));
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], 0);
		snprintf(want, sizeof(want), "thread %ld", i);
		bad += strcmp(tgot[i], want) != 0;
		close(tp[i][0]);
		close(tp[i][1]);
	}
	printf("%d threads at once: %d got their own data\n", NTHREADS,
	       NTHREADS - bad);
}

int main(void)
{
	char buf[32] = { 0 };
	struct pollfd pf;
	sigset_t mask;
	FILE *fp;
	int p[2];
	long n;

	pt_init();

	PT_CHECK(pipe(p) == 0);
	feed(p[0], p[1], SYS_read, "raw syscall read", "raw data");
	n = syscall(SYS_read, p[0], buf, sizeof(buf) - 1);
	printf("raw read: %ld \"%s\"\n", n, buf);

	fp = fdopen(p[0], "r");
	PT_CHECK(fp != 0);
	setvbuf(fp, 0, _IONBF, 0);
	memset(buf, 0, sizeof(buf));
	feed(p[0], p[1], SYS_read, "fread", "stdio data");
	n = (long)fread(buf, 1, 10, fp);
	printf("fread: %ld \"%s\"\n", n, buf);

	printf("gettid as the caller: %s\n",
	       syscall(SYS_gettid) == gettid() ? "yes" : "no");
	printf("getpid as the caller: %s\n",
	       syscall(SYS_getpid) == getpid() ? "yes" : "no");
	printf("getppid as the caller: %s\n",
	       syscall(SYS_getppid) == getppid() && getppid() != getpid()
		       ? "yes"
		       : "no");

	/* A ppoll() with a mask acts on its thread's mask: not routed. */
	sigemptyset(&mask);
	pf.fd = p[0];
	pf.events = POLLIN;
	pt_route_wait_s = 2; /* expected native: no need to wait long */
	feed(p[0], p[1], SYS_ppoll, "ppoll with a mask", "x");
	n = ppoll(&pf, 1, 0, &mask);
	PT_CHECK(read(p[0], buf, 1) == 1);
	printf("ppoll: %ld revents %#x\n", n, pf.revents);

	many();
	fclose(fp);
	while (nfeeders)
		pt_feeder_join(&feeders[--nfeeders]);
	return pt_exit();
}
