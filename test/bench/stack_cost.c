// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a report's call sites cost per call (not a test: scripts/stack-bench
 * or 'make stack-bench' runs it under 'syslet run --report' with stacks,
 * without, and with the shim's cache of stacks off, and makes the table).
 *
 * A 1-byte pread64 of a file in the page cache, made from --depth nested
 * functions under main(), from --sites call sites in turn (each its own
 * depth of nesting, so its own stack).  Run with --block-us 0 every call
 * counts as blocked, and so has its stack recorded, as every call that
 * blocks or goes to a helper has.  Every repetition times --ops calls;
 * one line gives the median of the repetitions' ns per call, with the
 * fastest and slowest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_PROG "stack_cost"
#include "num_arg.h"

#define MAX_REPS 99
#define MAX_SITES 64

static int fd;
static char buf[8];

static void die(const char *what)
{
	fprintf(stderr, "stack_cost: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Not inlined, and work after each call: every frame stays a frame. */
__attribute__((noinline)) static long leaf(void)
{
	long r = pread(fd, buf, 1, 0);

	__asm__ volatile("" ::: "memory");
	return r;
}

__attribute__((noinline)) static long nest(int k)
{
	long r = k ? nest(k - 1) : leaf();

	__asm__ volatile("" ::: "memory");
	return r;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ops", required_argument, 0, 'o' },
		{ "reps", required_argument, 0, 'r' },
		{ "depth", required_argument, 0, 'd' },
		{ "sites", required_argument, 0, 's' },
		{ 0, 0, 0, 0 },
	};
	long ops = 100000, reps = 5, depth = 8, sites = 1, i, r;
	char path[] = "/tmp/stack_cost.XXXXXX";
	double ns[MAX_REPS];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, 0)) != -1) {
		switch (c) {
		case 'o':
			ops = num_arg("--ops", optarg, 1, 100000000);
			break;
		case 'r':
			reps = num_arg("--reps", optarg, 1, MAX_REPS);
			break;
		case 'd':
			depth = num_arg("--depth", optarg, 0, 64);
			break;
		case 's':
			sites = num_arg("--sites", optarg, 1, MAX_SITES);
			break;
		default:
			fprintf(stderr, "usage: stack_cost [--ops N] [--reps N]"
					" [--depth N] [--sites N]\n");
			return 1;
		}
	}
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	if (write(fd, "x", 1) != 1)
		die("write");
	for (i = 0; i < 1000; i++)
		if (nest((int)(depth + i % sites)) != 1)
			die("pread");
	for (r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < ops; i++)
			nest((int)(depth + i % sites));
		ns[r] = (double)(now_ns() - t0) / (double)ops;
	}
	qsort(ns, (size_t)reps, sizeof(ns[0]), cmp);
	printf("ns/call %.0f [%.0f-%.0f] depth %ld sites %ld\n", ns[reps / 2],
	       ns[0], ns[reps - 1], depth, sites);
	return 0;
}
