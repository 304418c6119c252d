// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * How late a signal ends a blocked read: a thread reads an empty pipe
 * (through the PLT, which the shim routes, or as syscall(SYS_read),
 * which only the backstop's filter sees); after --wait-ms the main
 * thread, which blocks the signal, sends SIGUSR1 to the process (as
 * kill(1), timeout(1) or Ctrl-C do); the handler has no SA_RESTART, so
 * the read ends with EINTR.  Prints the median and 99th percentile of the
 * time from kill() to read()'s return over --tries tries, and what the
 * process runs under (scripts/sig-bench checks it).  Not a test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pfd[2], raw;
static uint64_t ended; /* CLOCK_MONOTONIC ns at the read's return */
static uint32_t turn;  /* futex-free handshake: 1 reader may go */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void *reader(void *arg)
{
	char c;
	long r;

	(void)arg;
	for (;;) {
		while (!__atomic_load_n(&turn, __ATOMIC_ACQUIRE))
			usleep(100);
		__atomic_store_n(&turn, 0, __ATOMIC_RELAXED);
		r = raw ? syscall(SYS_read, pfd[0], &c, 1)
			: read(pfd[0], &c, 1);
		if (r != -1 || errno != EINTR) {
			fprintf(stderr,
				"sig_lat: read gave %ld (%s), not EINTR\n", r,
				r < 0 ? strerror(errno) : "data");
			exit(1);
		}
		__atomic_store_n(&ended, now_ns(), __ATOMIC_RELEASE);
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int seccomp_mode(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int mode = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	if (f)
		fclose(f);
	return mode;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	long tries = 200, wait_ms = 20, i;
	struct timespec w;
	sigset_t usr1;
	pthread_t th;
	double *lat;
	int a;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--tries"))
			tries = strtol(argv[a + 1], 0, 10);
		else if (!strcmp(argv[a], "--wait-ms"))
			wait_ms = strtol(argv[a + 1], 0, 10);
		else if (!strcmp(argv[a], "--form"))
			raw = !strcmp(argv[a + 1], "raw");
		else
			break;
	}
	if (a != argc || tries < 1 || tries > 100000 || wait_ms < 1 ||
	    wait_ms > 10000) {
		fprintf(stderr, "usage: sig_lat [--form plt|raw] [--tries N] "
				"[--wait-ms MS]\n");
		return 2;
	}
	lat = calloc((size_t)tries, sizeof(*lat));
	if (!lat || pipe(pfd) || sigaction(SIGUSR1, &sa, 0))
		return 1;
	/* Only the reader may take the signal. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (pthread_create(&th, 0, reader, 0) ||
	    pthread_sigmask(SIG_BLOCK, &usr1, 0))
		return 1;
	w.tv_sec = wait_ms / 1000;
	w.tv_nsec = (wait_ms % 1000) * 1000000;
	for (i = 0; i < tries; i++) {
		uint64_t t0, t1;

		__atomic_store_n(&ended, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
		nanosleep(&w, 0);
		t0 = now_ns();
		kill(getpid(), SIGUSR1);
		while (!(t1 = __atomic_load_n(&ended, __ATOMIC_ACQUIRE)))
			usleep(50);
		lat[i] = (double)(t1 - t0) / 1000.0;
	}
	qsort(lat, (size_t)tries, sizeof(*lat), cmp);
	printf("sig_lat form=%s wait_ms=%ld tries=%ld median_us=%.1f "
	       "p99_us=%.1f seccomp=%d\n",
	       raw ? "raw" : "plt", wait_ms, tries, lat[tries / 2],
	       lat[(tries * 99) / 100 < tries ? (tries * 99) / 100 : tries - 1],
	       seccomp_mode());
	return 0;
}
