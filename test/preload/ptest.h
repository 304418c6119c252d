/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the preload semantics tests (test/preload/).  Each program is
 * run natively and under the shim by run-one.sh, which compares exit status
 * and stdout.  Lines starting "routed" are printed only where the program
 * saw the call on a helper ("syslet/..." thread blocked on the fd, the
 * caller in a futex wait): run-one.sh counts them in the shim run, and
 * requires none natively or under SYSLET_ROUTE=off.
 *
 * The probes below use syscall(2) and opendir(3) only: nothing here goes
 * through the shim's wrappers, so probing cannot create a helper.
 */
#ifndef PTEST_H
#define PTEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pt_failed;

#define PT_FAIL(...)                                                           \
	do {                                                                   \
		printf("FAIL %s:%d: ", __FILE__, __LINE__);                    \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
		exit(1);                                                       \
	} while (0)
#define PT_CHECK(c)                                                            \
	do {                                                                   \
		if (!(c))                                                      \
			PT_FAIL("%s (errno %s)", #c,                           \
				strerrorname_np(errno)                         \
					? strerrorname_np(errno)               \
					: "0");                                \
	} while (0)

static inline void pt_init(void)
{
	setvbuf(stdout, 0, _IONBF, 0); /* fork()s and exit()s in threads */
}

static inline pid_t pt_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static inline void pt_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	/* The raw call: nanosleep() itself is interposed. */
	while (syscall(SYS_nanosleep, &ts, &ts) && errno == EINTR)
		;
}

static inline double pt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A /proc/self/task/TID file into buf; length, or -1. */
static inline int pt_task_file(pid_t tid, const char *what, char *buf,
			       size_t size)
{
	char path[64];
	long fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, what);
	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = syscall(SYS_read, fd, buf, size - 1);
	syscall(SYS_close, fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

/* The call TID is blocked in (its first argument in *a0): -1 running. */
static inline long pt_syscall_of(pid_t tid, long *a0)
{
	char buf[256], *e;
	long nr;

	if (pt_task_file(tid, "syscall", buf, sizeof(buf)) < 0)
		return -2;
	if (!strncmp(buf, "running", 7))
		return -1;
	nr = strtol(buf, &e, 10);
	if (a0)
		*a0 = strtol(e, 0, 0);
	return nr;
}

static inline bool pt_is_helper(pid_t tid)
{
	char comm[32];

	return pt_task_file(tid, "comm", comm, sizeof(comm)) > 0 &&
	       !strncmp(comm, "syslet/", 7);
}

/* The seccomp backstop's listener and watcher threads: ours, not
 * helpers. */
static inline bool pt_is_listener(pid_t tid)
{
	char comm[32];

	return pt_task_file(tid, "comm", comm, sizeof(comm)) > 0 &&
	       !strncmp(comm, "syslet-", 7);
}

/* Threads of this process, helpers or the program's (not the listener). */
static inline int pt_count_threads(bool helpers)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' &&
		    pt_is_helper(atoi(de->d_name)) == helpers &&
		    (helpers || !pt_is_listener(atoi(de->d_name))))
			n++;
	closedir(d);
	return n;
}

static inline int pt_helpers(void)
{
	return pt_count_threads(true);
}

/*
 * A helper blocked in a call on fd (its first argument): the caller waits
 * in a futex, so it has handed the call over, and the helper is waited
 * for up to PT_HELPER_WAIT_S.  Polled until a deadline, not a count: on a
 * loaded machine the helper may not run for a long while, and nobody
 * writes the data before this returns, so it is seen sooner or later.
 */
#define PT_HELPER_WAIT_S 30
/*
 * Under the seccomp backstop a caught call and one left native look the
 * same from outside (the caller sits in the call), so only a helper busy
 * on fd tells them apart: pt_helper_busy_on() waits pt_route_wait_s for
 * one.  A call that is expected to stay native, or may (a child's, which
 * its parent's listener leaves native: doc/backstop.md), would wait all of
 * it: such a test sets a short wait first.
 */
static volatile double pt_route_wait_s = PT_HELPER_WAIT_S;

static inline bool pt_helper_on_fd(int fd)
{
	double end = pt_now() + PT_HELPER_WAIT_S;

	while (pt_now() < end) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *de;
		bool found = false;

		if (!d)
			return false;
		while ((de = readdir(d)) && !found) {
			pid_t t = atoi(de->d_name);
			long a0 = -1, nr;

			if (de->d_name[0] == '.' || !pt_is_helper(t))
				continue;
			nr = pt_syscall_of(t, &a0);
			found = nr >= 0 && nr != SYS_futex && a0 == fd;
		}
		closedir(d);
		if (found)
			return true;
		pt_msleep(1);
	}
	return false;
}

/* Wait (10 s at most) until tid sits in one system call: its number. */
static inline long pt_wait_blocked(pid_t tid)
{
	long nr, last = -1;
	int same = 0, i;

	for (i = 0; i < 10000; i++) {
		nr = pt_syscall_of(tid, 0);
		if (nr >= 0 && nr == last) {
			if (++same >= 5)
				return nr;
		} else {
			same = 0;
		}
		last = nr;
		pt_msleep(1);
	}
	return -1;
}

/* Is the seccomp backstop's listener among our threads? */
static inline bool pt_backstop(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	bool found = false;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && pt_is_listener(atoi(de->d_name)))
			found = true;
	if (d)
		closedir(d);
	return found;
}

/* A helper (not waiting for work) in a call on fd, within
 * pt_route_wait_s; at once false without the seccomp backstop. */
static inline bool pt_helper_busy_on(int fd)
{
	bool backstop = pt_backstop();
	double end = pt_now() + pt_route_wait_s;

	while (backstop && pt_now() < end) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *de;
		bool busy = false;
		long a0;

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' &&
			    pt_is_helper(atoi(de->d_name)) &&
			    pt_syscall_of(atoi(de->d_name), &a0) >= 0 &&
			    pt_syscall_of(atoi(de->d_name), &a0) != SYS_futex &&
			    a0 == fd)
				busy = true;
		if (d)
			closedir(d);
		if (busy)
			return true;
		pt_msleep(1);
	}
	return false;
}

/*
 * tid is about to block on fd (natively in system call native_nr): wait
 * for it and say where the call went.  Prints "routed WHAT" if a helper
 * has it, nothing if tid is in the native call with no helper on fd, and
 * "odd ..." (and the program will fail) otherwise.
 */
static inline void pt_route(pid_t tid, int fd, long native_nr, const char *what)
{
	long nr = pt_wait_blocked(tid);

	if (nr == SYS_futex && pt_helper_on_fd(fd)) {
		printf("routed %s\n", what);
		return;
	}
	/* Caught by the seccomp backstop: the caller waits in the call
	 * itself while a helper makes it. */
	if (nr == native_nr && pt_helper_busy_on(fd)) {
		printf("routed %s\n", what);
		return;
	}
	if (nr == native_nr && pt_helpers() == 0)
		return;
	if (nr == native_nr) {
		long a0;
		DIR *d = opendir("/proc/self/task");
		struct dirent *de;
		bool busy = false;

		/* Idle helpers from earlier calls are fine: none on fd. */
		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' &&
			    pt_is_helper(atoi(de->d_name)) &&
			    pt_syscall_of(atoi(de->d_name), &a0) != SYS_futex &&
			    a0 == fd)
				busy = true;
		if (d)
			closedir(d);
		if (!busy)
			return;
	}
	printf("odd %s: tid %d in syscall %ld, %d helpers\n", what, (int)tid,
	       nr, pt_helpers());
	pt_failed = 1;
}

/* A thread that waits for tid to block on fd, reports, then writes. */
struct pt_feeder {
	pthread_t th;
	pid_t tid;	/* the thread that will block */
	int fd;		/* on this fd */
	long native_nr; /* natively in this call */
	const char *what;
	int wfd; /* then writes len bytes of data here */
	const void *data;
	size_t len;
	long delay_ms; /* after a further delay */
};

static inline void *pt_feeder_main(void *arg)
{
	struct pt_feeder *f = arg;

	pt_route(f->tid, f->fd, f->native_nr, f->what);
	if (f->delay_ms)
		pt_msleep(f->delay_ms);
	if (f->len &&
	    syscall(SYS_write, f->wfd, f->data, f->len) != (long)f->len)
		PT_FAIL("feeder write: %s", strerrorname_np(errno));
	return 0;
}

static inline void pt_feeder_start(struct pt_feeder *f)
{
	int rc = pthread_create(&f->th, 0, pt_feeder_main, f);

	if (rc)
		PT_FAIL("pthread_create: %s", strerrorname_np(rc));
}

static inline void pt_feeder_join(struct pt_feeder *f)
{
	pthread_join(f->th, 0);
}

static inline int pt_exit(void)
{
	return pt_failed ? 1 : 0;
}

#endif
