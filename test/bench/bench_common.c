// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The syslet benchmark: errors, clock, statistics, calibration, file
 * content and CPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

void bench_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench: FATAL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void bench_die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fputs("bench: FATAL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(2);
}

void bench_check_rc(int rc, const char *what)
{
	if (rc < 0)
		rc = -rc;
	if (rc) {
		errno = rc;
		bench_die_errno("%s", what);
	}
}

int64_t bench_now_ns(void)
{
	struct timespec ts;

	BENCH_CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0,
		    "clock_gettime(CLOCK_MONOTONIC)");
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_stat_add(struct bench_stat *s, double v)
{
	if (s->n >= BENCH_MAX_RUNS)
		bench_die("internal: more than %d runs", BENCH_MAX_RUNS);
	s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_stat_median(const struct bench_stat *s)
{
	double t[BENCH_MAX_RUNS];

	if (!s->n)
		return 0;
	memcpy(t, s->v, sizeof(double) * (size_t)s->n);
	qsort(t, (size_t)s->n, sizeof(double), cmp_double);
	return s->n % 2 ? t[s->n / 2] : (t[s->n / 2 - 1] + t[s->n / 2]) / 2;
}

double bench_stat_min(const struct bench_stat *s)
{
	double m = s->n ? s->v[0] : 0;
	int i;

	for (i = 1; i < s->n; i++)
		if (s->v[i] < m)
			m = s->v[i];
	return m;
}

double bench_stat_max(const struct bench_stat *s)
{
	double m = s->n ? s->v[0] : 0;
	int i;

	for (i = 1; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}

long bench_calibrate(bench_run_fn run, void *arg, int64_t target_ns, long min_n,
		     long max_n)
{
	int64_t probe = target_ns / 8, t;
	long n = min_n > 16 ? min_n / 4 : 4;

	if (probe < 2000000)
		probe = 2000000;
	for (;;) {
		t = run(arg, n);
		if (t >= probe || n >= max_n)
			break;
		n *= 2;
	}
	if (t < 1)
		t = 1;
	n = (long)((double)n * (double)target_ns / (double)t);
	if (n < min_n)
		n = min_n;
	if (n > max_n)
		n = max_n;
	return n;
}

uint64_t bench_pattern(uint64_t off)
{
	return (off / 8 + 1) * 0x9e3779b97f4a7c15ull ^ 0x53594c4554424e43ull;
}

void bench_fill(void *buf, size_t len, uint64_t off)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = bench_pattern(off + i * 8);
}

void bench_verify(const void *buf, size_t len, uint64_t off, const char *mode)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != bench_pattern(off + i * 8))
			bench_die("%s: wrong data at file offset %" PRIu64
				  " (word %zu: %#" PRIx64 ", expected %#" PRIx64
				  ")",
				  mode, off, i, w[i],
				  bench_pattern(off + i * 8));
}

void bench_make_file(const char *path, uint64_t size)
{
	const size_t chunk = 1 << 20;
	uint64_t off = 0;
	char *buf = malloc(chunk);
	int fd;

	if (!buf)
		bench_die("out of memory");
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	BENCH_CHECK(fd >= 0, "create %s", path);
	while (off < size) {
		size_t len = size - off < chunk ? (size_t)(size - off) : chunk;
		ssize_t w;

		bench_fill(buf, len, off);
		w = pwrite(fd, buf, len, (off_t)off);
		BENCH_CHECK(w >= 0, "write %s", path);
		if ((size_t)w != len)
			bench_die("write %s: short write (%zd of %zu)", path, w,
				  len);
		off += len;
	}
	BENCH_CHECK(fsync(fd) == 0, "fsync %s", path);
	BENCH_CHECK(close(fd) == 0, "close %s", path);
	free(buf);
}

int bench_allowed_cpu(int i)
{
	cpu_set_t set;
	int c;

	BENCH_CHECK(sched_getaffinity(0, sizeof(set), &set) == 0,
		    "sched_getaffinity");
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set) && i-- == 0)
			return c;
	return -1;
}

void bench_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	bench_check_rc(
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set),
		"pthread_setaffinity_np");
}

char bench_proc_ticks(const char *path, unsigned long long *ticks)
{
	unsigned long long ut = 0, st = 0;
	char line[1024], state = 0, *p;
	FILE *f = fopen(path, "re");

	BENCH_CHECK(f != NULL, "open %s", path);
	if (!fgets(line, sizeof(line), f))
		bench_die("%s: empty", path);
	fclose(f);
	/* After the command name: state (3) ... utime (14), stime (15). */
	p = strrchr(line, ')');
	if (!p || sscanf(p + 1,
			 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%llu %llu",
			 &state, &ut, &st) != 3)
		bench_die("%s: unexpected format", path);
	*ticks = ut + st;
	return state;
}

void bench_busy_read(struct bench_busy *b)
{
	unsigned long long v[8] = { 0 };
	char line[1024];
	FILE *f = fopen("/proc/stat", "re");

	BENCH_CHECK(f != NULL, "open /proc/stat");
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		bench_die("/proc/stat: unexpected first line");
	fclose(f);
	/*
	 * user nice system idle iowait irq softirq steal.  Interrupt time is
	 * left out of "busy": our own O_DIRECT completions would count.
	 */
	b->busy = v[0] + v[1] + v[2];
	b->steal = v[7];
	b->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];

	bench_proc_ticks("/proc/self/stat", &b->self);
	b->hogs = bench_contend_ticks();

	/* Writes to /proc/sys/vm/drop_caches (by anyone) since boot. */
	b->drops = 0;
	f = fopen("/proc/vmstat", "re");
	BENCH_CHECK(f != NULL, "open /proc/vmstat");
	while (fgets(line, sizeof(line), f)) {
		unsigned long long n;

		if (sscanf(line, "drop_pagecache %llu", &n) == 1 ||
		    sscanf(line, "drop_slab %llu", &n) == 1)
			b->drops += n;
	}
	fclose(f);
}

bool bench_disturbed;

void bench_busy_report(const struct bench_busy *start)
{
	struct bench_busy now;
	double total, others, steal, hogs;

	bench_busy_read(&now);
	total = (double)(now.total - start->total);
	if (total <= 0) {
		/* Shorter than a clock tick: /proc/stat has not moved. */
		printf("   CPU time used meanwhile: too short to measure (under "
		       "one clock tick)\n");
		if (bench_hogs)
			printf("   (our %d CPU hogs, not counted above)\n",
			       bench_hogs);
		return;
	}
	hogs = 100.0 * (double)(now.hogs - start->hogs) / total;
	others = (double)(now.busy - start->busy) -
		 (double)(now.self - start->self) -
		 (double)(now.hogs - start->hogs);
	if (others < 0)
		others = 0;
	others = 100.0 * others / total;
	steal = 100.0 * (double)(now.steal - start->steal) / total;
	if (others + steal > 10.0 || now.drops != start->drops)
		bench_disturbed = true;
	printf("   CPU time used meanwhile by other processes and kernel "
	       "threads: %.1f%% of all CPUs;\n   stolen by the hypervisor: "
	       "%.1f%%%s\n",
	       others, steal,
	       others + steal > 10.0 ? "  <-- DISTURBED: numbers less "
				       "trustworthy"
				     : "");
	if (bench_hogs)
		printf("   (our %d CPU hogs, not counted above, used %.1f%%)\n",
		       bench_hogs, hogs);
	if (now.drops != start->drops)
		printf("   caches dropped meanwhile (/proc/sys/vm/drop_caches "
		       "written %llu times)  <-- DISTURBED:\n   \"cached\" "
		       "rows may have read from the device\n",
		       now.drops - start->drops);
}

void bench_rule(int width)
{
	while (width-- > 0)
		putchar('-');
	putchar('\n');
}
