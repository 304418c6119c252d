// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Round trip of one 1-byte read that never blocks (not a test:
 * scripts/trap-bench or 'make trap-bench' runs it natively, under the
 * preload shim and under the seccomp backstop, and makes the table).
 *
 * Two forms in the same process, on a pipe that always holds data:
 *   plt  read() through the PLT: the shim's wrapper, when preloaded;
 *   raw  syscall(SYS_read): no wrapper sees it, only a seccomp filter.
 * The pipe is filled before each batch of reads and the fill is not
 * timed, so no timed read waits.  Every repetition times --ops reads of
 * each form (the forms take turns); one line per form gives the median
 * of the repetitions' ns per call, with the fastest and slowest.  A line
 * before them says what the process runs under (preload shim, seccomp
 * mode, backstop listener thread), so that a run that silently fell back
 * to another route can be told from a real one.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BENCH_PROG "trap_rt"
#include "num_arg.h"

#define MAX_REPS 99
#define WARMUP_OPS 2000

enum form { F_PLT, F_RAW, F_N };

static const char *const form_name[F_N] = { "plt", "raw" };

static int pfd[2];
static long pipe_cap; /* bytes the pipe holds: the reads of one batch */
static char *fill;

static void die(const char *what)
{
	fprintf(stderr, "trap_rt: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* The vDSO: no system call, nothing to trap. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Top the pipe up to @n bytes (it is empty: the last batch read it all). */
static void top_up(long n)
{
	long done = 0, r;

	while (done < n) {
		r = syscall(SYS_write, pfd[1], fill + done, n - done);
		if (r <= 0)
			die("write to the pipe");
		done += r;
	}
}

/* @n reads of one byte in form @f; returns the ns spent in them. */
static uint64_t reads(enum form f, long n)
{
	uint64_t spent = 0, t0;
	long left = n, batch, i, r;
	char c;

	while (left > 0) {
		batch = left < pipe_cap ? left : pipe_cap;
		top_up(batch);
		t0 = now_ns();
		if (f == F_PLT) {
			for (i = 0; i < batch; i++) {
				r = read(pfd[0], &c, 1);
				if (r != 1)
					goto bad;
			}
		} else {
			for (i = 0; i < batch; i++) {
				r = syscall(SYS_read, pfd[0], &c, 1);
				if (r != 1)
					goto bad;
			}
		}
		spent += now_ns() - t0;
		left -= batch;
	}
	return spent;
bad:
	if (r < 0)
		die(f == F_PLT ? "read()" : "syscall(SYS_read)");
	fprintf(stderr, "trap_rt: %s read returned %ld, not 1\n", form_name[f],
		r);
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts @v; the middle value (of the two middle ones, their mean). */
static double median(double *v, long n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Is the preload shim mapped into this process? */
static int preloaded(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "libsyslet-preload") != NULL;
	fclose(f);
	return found;
}

/* The Seccomp: line of /proc/self/status (0 none, 2 filter). */
static int seccomp_mode(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int mode = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/* Is there a thread named syslet-trap (the backstop's listener)? */
static int listener(void)
{
	char path[300], comm[32];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	int found = 0;
	FILE *f;

	if (!dir)
		return -1;
	while (!found && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f))
			found = !strcmp(comm, "syslet-trap\n");
		fclose(f);
	}
	closedir(dir);
	return found;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: trap_rt [options]\n"
		"Times 1-byte reads of a pipe that always holds data: read()\n"
		"through the PLT and syscall(SYS_read); prints, per form,\n"
		"  trap_rt form=F ops=N reps=R ns_op=MEDIAN min=MIN max=MAX\n"
		"after a line saying what the process runs under.\n"
		"\n"
		"  -n, --ops N     reads per repetition and form (200000)\n"
		"  -r, --reps N    repetitions (5; 1..%d)\n"
		"  -f, --form F    plt, raw or both (both)\n"
		"  -h, --help      this text\n",
		MAX_REPS);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, 0, 'n' },
		{ "reps", required_argument, 0, 'r' },
		{ "form", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	double ns[F_N][MAX_REPS];
	long ops = 200000, reps = 5, rep;
	double med;
	int want[F_N] = { 1, 1 };
	int opt, i, k;

	while ((opt = getopt_long(argc, argv, "n:r:f:h", longopts, 0)) != -1) {
		switch (opt) {
		case 'n':
			ops = num_arg("--ops", optarg, 1, 1000000000L);
			break;
		case 'r':
			reps = num_arg("--reps", optarg, 1, MAX_REPS);
			break;
		case 'f':
			want[F_PLT] = !strcmp(optarg, "plt") ||
				      !strcmp(optarg, "both");
			want[F_RAW] = !strcmp(optarg, "raw") ||
				      !strcmp(optarg, "both");
			if (!want[F_PLT] && !want[F_RAW]) {
				fprintf(stderr,
					"trap_rt: --form: plt, raw or both\n");
				return 1;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}

	if (pipe2(pfd, O_CLOEXEC))
		die("pipe2");
	/* A bigger pipe: fewer (untimed) fills; the default 64 KiB will do. */
	fcntl(pfd[1], F_SETPIPE_SZ, 1 << 20);
	pipe_cap = fcntl(pfd[1], F_GETPIPE_SZ);
	if (pipe_cap <= 0)
		die("F_GETPIPE_SZ");
	fill = calloc(1, (size_t)pipe_cap);
	if (!fill)
		die("calloc");

	printf("trap_rt env preload=%d seccomp=%d listener=%d pipe=%ld\n",
	       preloaded(), seccomp_mode(), listener(), pipe_cap);
	fflush(stdout);

	for (k = 0; k < F_N; k++)
		if (want[k])
			reads((enum form)k, WARMUP_OPS);
	for (rep = 0; rep < reps; rep++) {
		/* Take turns, each form first in every other repetition. */
		for (i = 0; i < F_N; i++) {
			k = (int)((i + rep) % F_N);
			if (want[k])
				ns[k][rep] = (double)reads((enum form)k, ops) /
					     (double)ops;
		}
	}
	for (k = 0; k < F_N; k++) {
		if (!want[k])
			continue;
		med = median(ns[k], reps);
		printf("trap_rt form=%s ops=%ld reps=%ld ns_op=%.1f min=%.1f max=%.1f\n",
		       form_name[k], ops, reps, med, ns[k][0], ns[k][reps - 1]);
	}
	return 0;
}
