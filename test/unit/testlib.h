/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by the Check suites in test/unit/.  Header only:
 * every function is static, and a suite uses what it needs.
 *
 * Rules the suites follow:
 *  - no wall-clock threshold in any assertion; the only timeouts are
 *    "must not hang" limits, far above anything a healthy run needs;
 *  - no ck_assert on any thread but the test's own (Check cannot report
 *    from another thread when CK_FORK=no): threads record what they saw
 *    and the test asserts afterwards;
 *  - every descriptor, thread, context and temporary file a test makes is
 *    released by the test, so that the suites also run with CK_FORK=no
 *    (as under valgrind).
 */
#ifndef SYSLET_TESTLIB_H
#define SYSLET_TESTLIB_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <syslet.h>

/* "Must not hang" limit for anything a test waits for, in seconds. */
#define TL_HANG_S 30

/* A value no call returns: ret_ptr slots start with it. */
#define TL_UNSET ((long)0x5a5a5a5a5a5a5a5aL)

/* errno must survive every API call: set it to this first. */
#define TL_ERRNO_SENTINEL 0x5e1e7

static inline pid_t tl_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline int64_t tl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void tl_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The byte at offset @off of every pattern file and buffer. */
static inline unsigned char tl_pat(uint64_t off, unsigned int seed)
{
	uint64_t x = off * 0x9E3779B97F4A7C15ull + seed * 0x632BE59BD9B4E019ull;

	return (unsigned char)((x >> 29) ^ (x >> 47) ^ off);
}

static inline void tl_fill(void *buf, size_t len, uint64_t off,
			   unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = tl_pat(off + i, seed);
}

/* Offset of the first byte of @buf that is not the pattern, or -1. */
static inline long tl_check_pat(const void *buf, size_t len, uint64_t off,
				unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != tl_pat(off + i, seed))
			return (long)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Temporary files: one mkdtemp() directory per test that needs one.    */

struct tl_dir {
	char path[64];
};

static inline void tl_dir_make(struct tl_dir *d)
{
	strcpy(d->path, "/tmp/syslet-unit-XXXXXX");
	ck_assert_msg(mkdtemp(d->path) != NULL, "mkdtemp: %s", strerror(errno));
}

/* Removes the files the tests put there (flat), then the directory. */
static inline void tl_dir_remove(struct tl_dir *d)
{
	DIR *dir = opendir(d->path);
	struct dirent *e;
	char p[PATH_MAX];

	if (dir) {
		while ((e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(p, sizeof(p), "%s/%s", d->path, e->d_name);
			unlink(p);
		}
		closedir(dir);
	}
	rmdir(d->path);
}

/*
 * Create @name in @d holding @size pattern bytes (seed @seed), read it once
 * so that it is in the page cache, and return its path in @out.
 */
static inline void tl_make_file(struct tl_dir *d, const char *name, size_t size,
				unsigned int seed, char *out, size_t outlen)
{
	char buf[65536];
	size_t done = 0;
	int fd;

	snprintf(out, outlen, "%s/%s", d->path, name);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "open %s: %s", out, strerror(errno));
	while (done < size) {
		size_t n =
			size - done < sizeof(buf) ? size - done : sizeof(buf);
		ssize_t w;

		tl_fill(buf, n, done, seed);
		w = write(fd, buf, n);
		ck_assert_msg(w == (ssize_t)n, "write %s: %zd", out, w);
		done += n;
	}
	close(fd);
	fd = open(out, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Pipes.                                                               */

static inline void tl_pipe(int p[2])
{
	ck_assert_msg(pipe2(p, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
}

static inline void tl_close_pipe(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* Bytes waiting in the pipe whose read end is @fd. */
static inline int tl_avail(int fd)
{
	int n = -1;

	ck_assert_msg(ioctl(fd, FIONREAD, &n) == 0, "FIONREAD: %s",
		      strerror(errno));
	return n;
}

static inline void tl_write1(int fd, char c)
{
	ck_assert_int_eq(write(fd, &c, 1), 1);
}

/* ------------------------------------------------------------------ */
/* Contexts and completions.                                            */

static inline struct syslet_ctx *tl_ctx(uint32_t max_helpers,
					uint32_t queue_depth)
{
	struct syslet_params p;
	struct syslet_ctx *ctx = NULL;
	int rc;

	ck_assert_int_eq(syslet_params_init(&p), 0);
	if (max_helpers)
		p.max_helpers = max_helpers;
	if (queue_depth)
		p.queue_depth = queue_depth;
	rc = syslet_ctx_create(&p, &ctx);
	ck_assert_msg(rc == 0, "syslet_ctx_create: %d", rc);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

static inline void tl_destroy(struct syslet_ctx *ctx)
{
	ck_assert_int_eq(syslet_ctx_destroy(ctx), 0);
}

/*
 * Take exactly @n completions, waiting as long as it takes (up to the hang
 * limit); a signal interrupting the wait is not an error here.
 */
static inline void tl_wait_n(struct syslet_ctx *ctx,
			     struct syslet_completion *cqes, unsigned int n)
{
	struct timespec to = { TL_HANG_S, 0 };
	unsigned int got = 0;

	while (got < n) {
		int rc = syslet_wait(ctx, cqes + got, n - got, n - got, &to);

		if (rc == -EINTR)
			continue;
		ck_assert_msg(rc > 0, "syslet_wait: %d after %u of %u", rc, got,
			      n);
		ck_assert_uint_le((unsigned int)rc, n - got);
		got += (unsigned int)rc;
	}
}

static inline void tl_wait1(struct syslet_ctx *ctx,
			    struct syslet_completion *cqe)
{
	tl_wait_n(ctx, cqe, 1);
}

/* Nothing more in the ring. */
static inline void tl_assert_ring_empty(struct syslet_ctx *ctx)
{
	struct syslet_completion c;

	ck_assert_int_eq(syslet_reap(ctx, &c, 1), 0);
}

/* Wait (up to the hang limit) until *@p is no longer @old. */
static inline long tl_wait_change(const long *p, long old)
{
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;
	long v;

	while ((v = __atomic_load_n(p, __ATOMIC_ACQUIRE)) == old) {
		ck_assert_msg(tl_now_ns() < end, "value never changed");
		tl_sleep_ms(1);
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Threads of this process, from /proc.                                 */

/* Read a small /proc file into @buf; returns its length or -1. */
static inline int tl_read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/*
 * Is system call @n the call @nr, or one the library may make in its place
 * (the vector and positional forms of a read or a write)?
 */
static inline int tl_same_call(long n, long nr)
{
	static const long rd[] = { SYS_read, SYS_readv, SYS_preadv,
				   SYS_preadv2 };
	static const long wr[] = { SYS_write, SYS_writev, SYS_pwritev,
				   SYS_pwritev2 };
	const long *fam = NULL;
	size_t i;

	if (n == nr)
		return 1;
	if (nr == SYS_read)
		fam = rd;
	else if (nr == SYS_write)
		fam = wr;
	for (i = 0; fam && i < 4; i++)
		if (n == fam[i])
			return 1;
	return 0;
}

/*
 * The TID of a thread of this process, other than the caller, that is
 * blocked in system call @nr (or the same call in another form, see
 * tl_same_call()) with first argument @arg0, or 0.
 */
static inline pid_t tl_find_blocked(long nr, long arg0)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	pid_t self = tl_gettid(), found = 0;
	char path[96], buf[256];

	if (!dir)
		return 0;
	while (!found && (e = readdir(dir))) {
		long n;
		unsigned long a0;
		pid_t tid = (pid_t)atoi(e->d_name);

		if (tid <= 0 || tid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
		if (tl_read_small(path, buf, sizeof(buf)) <= 0)
			continue;
		if (sscanf(buf, "%ld 0x%lx", &n, &a0) == 2 &&
		    tl_same_call(n, nr) && (long)a0 == arg0)
			found = tid;
	}
	closedir(dir);
	return found;
}

/*
 * Wait until some other thread of this process is blocked in @nr on
 * @arg0 (a helper that took our call), and return its TID.
 */
static inline pid_t tl_wait_blocked(long nr, long arg0)
{
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;
	pid_t tid;

	while (!(tid = tl_find_blocked(nr, arg0))) {
		ck_assert_msg(tl_now_ns() < end,
			      "no thread ever blocked in syscall %ld(%ld)", nr,
			      arg0);
		tl_sleep_ms(1);
	}
	return tid;
}

/* Threads of this process named "syslet/..." (helpers); TIDs to @tids. */
static inline int tl_helpers(pid_t *tids, int max)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[32];
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 e->d_name);
		if (tl_read_small(path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, "syslet/", 7)) {
			if (tids && n < max)
				tids[n] = (pid_t)atoi(e->d_name);
			n++;
		}
	}
	closedir(dir);
	return n;
}

/* Number of open descriptors of this process. */
static inline int tl_count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			n++;
	closedir(dir);
	return n - 1; /* the directory's own descriptor */
}

/*
 * Can this process install a handler for @sig?  Not for the signal that
 * valgrind keeps for itself, for one: tests skip such signals.
 */
static inline void tl_noop_handler(int sig)
{
	(void)sig;
}

static inline int tl_signal_usable(int sig)
{
	struct sigaction cur, sa;
	int ok;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tl_noop_handler;
	if (sigaction(sig, NULL, &cur) != 0)
		return 0;
	ok = sigaction(sig, &sa, NULL) == 0;
	sigaction(sig, &cur, NULL);
	return ok;
}

/* Run @sr with a one-suite runner and turn the result into an exit code. */
static inline int tl_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
