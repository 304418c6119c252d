// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A workload whose counted calls are known exactly, for the report tests
 * (the scripts beside it).  Only read() (and waitpid()) go through the
 * shim's wrappers: the rest is raw syscall(2), so nothing else shows.
 *
 *   workload pipe N M    N reads of a pipe that block (a thread writes
 *                        once the reader waits in read), then M reads
 *                        that find their data there; 8 bytes each (and
 *                        with $WORKLOAD_HELPERS, "helpers K": the shim's
 *                        helper threads then alive)
 *   workload tree N M    fork; the child execs "workload pipe N M"; the
 *                        parent waits; prints "child PID" on stdout
 *   workload kill SIG M  M reads that do not block, then SIG to itself
 *   workload daemon M    fork; the child makes M reads that do not block,
 *                        then lives on for 120 s; the parent prints
 *                        "daemon PID" once the reads are done, and exits
 *   workload raw N M     N reads of a pipe by raw syscall(SYS_read), then
 *                        M fread()s of it through an unbuffered FILE (one
 *                        read each, inside the C library), 8 bytes each,
 *                        none blocking: only the seccomp backstop sees them
 *   workload forks C N M C children, each making N raw pread64()s of a
 *                        file and M raw read()s of a pipe that a thread of
 *                        the child feeds a byte every millisecond (so most
 *                        of them wait); the parent prints "child PID" for
 *                        each and waits for them all
 *   workload spawn ARGS  posix_spawn() of "workload ARGS", and wait for it
 *   workload deep L ARGS fork, and exec "workload deep L-1 ARGS" in the
 *                        child (at 0: "workload ARGS"); wait for it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pfd[2];
static long blocking;
static volatile long reader_tid;
static long started; /* blocking reads the reader has begun */

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (syscall(SYS_nanosleep, &ts, &ts) && errno == EINTR)
		;
}

/* The reader's wait: in read() natively, in a futex under the shim. */
static int reader_waits(void)
{
	char path[64], buf[64] = { 0 };
	long fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", reader_tid);
	fd = syscall(SYS_openat, -100, path, 0);
	if (fd < 0)
		return 0;
	n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
	syscall(SYS_close, fd);
	return n > 0 && strstr(buf, ") S ");
}

static void *writer(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < blocking; i++) {
		/* Waiting in read i, not still waking from read i - 1. */
		do
			msleep(5);
		while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) <= i ||
		       !reader_waits());
		/* Well past the non-blocking try, and far longer than a
		 * busy machine stalls a read that finds its data (counts.sh
		 * tells the two apart by time). */
		msleep(50);
		if (syscall(SYS_write, pfd[1], "8 bytes.", 8) != 8)
			die("write");
	}
	return 0;
}

/* With $WORKLOAD_HELPERS set, "helpers N" on stdout after the reads: how
 * many threads are the shim's helpers (named "syslet/..."), which tells a
 * read that was interposed (it blocked on a helper) from one that was not.
 * Raw calls, as the rest: an open through the shim could itself start a
 * helper (an uncached /proc lookup), whatever -e said of read. */
static void show_helpers(void)
{
	char dents[4096], path[64], comm[32];
	long fd, n, off, cfd, len;
	int helpers = 0;

	fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/task",
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		die("/proc/self/task");
	while ((n = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0) {
		for (off = 0; off < n;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			const char *name = dents + off + 19;

			memcpy(&reclen, dents + off + 16, sizeof(reclen));
			off += reclen;
			if (name[0] == '.' || strlen(name) > 20)
				continue;
			snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
				 name);
			cfd = syscall(SYS_openat, AT_FDCWD, path,
				      O_RDONLY | O_CLOEXEC);
			if (cfd < 0)
				continue; /* a thread that has just ended */
			len = syscall(SYS_read, cfd, comm, sizeof(comm) - 1);
			syscall(SYS_close, cfd);
			if (len >= 7 && !strncmp(comm, "syslet/", 7))
				helpers++;
		}
	}
	syscall(SYS_close, fd);
	printf("helpers %d\n", helpers);
}

static int do_pipe(long n, long m)
{
	pthread_t t;
	char buf[8];
	long i;

	if (syscall(SYS_pipe2, pfd, 0))
		die("pipe");
	reader_tid = syscall(SYS_gettid);
	blocking = n;
	if (pthread_create(&t, 0, writer, 0))
		die("pthread_create");
	for (i = 0; i < n; i++) {
		__atomic_store_n(&started, i + 1, __ATOMIC_RELEASE);
		if (read(pfd[0], buf, 8) != 8)
			die("blocking read");
	}
	pthread_join(t, 0);
	for (i = 0; i < m; i++) {
		if (syscall(SYS_write, pfd[1], "8 bytes.", 8) != 8)
			die("write");
		if (read(pfd[0], buf, 8) != 8)
			die("read");
	}
	if (getenv("WORKLOAD_HELPERS"))
		show_helpers();
	return 0;
}

static int do_tree(char *self, char *n, char *m)
{
	char *args[] = { self, "pipe", n, m, 0 };
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execv(self, args);
		_exit(127);
	}
	printf("child %d\n", (int)pid);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int do_kill(int sig, long m)
{
	do_pipe(0, m);
	syscall(SYS_kill, syscall(SYS_getpid), sig);
	msleep(1000);
	return 3; /* not reached */
}

static int do_daemon(long m)
{
	int ready[2];
	pid_t pid;
	char c;

	if (syscall(SYS_pipe2, ready, 0))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		do_pipe(0, m);
		syscall(SYS_write, ready[1], "r", 1);
		/* Past any delay of a busy machine: daemon.sh kills it. */
		msleep(120000);
		_exit(0);
	}
	if (syscall(SYS_read, ready[0], &c, 1) != 1)
		die("read");
	printf("daemon %d\n", (int)pid);
	return 0;
}

static int do_raw(long n, long m)
{
	char buf[8];
	FILE *f;
	long i;

	if (syscall(SYS_pipe2, pfd, 0))
		die("pipe");
	for (i = 0; i < n; i++) {
		if (syscall(SYS_write, pfd[1], "8 bytes.", 8) != 8)
			die("write");
		if (syscall(SYS_read, pfd[0], buf, 8) != 8)
			die("raw read");
	}
	f = fdopen(pfd[0], "r");
	if (!f || setvbuf(f, 0, _IONBF, 0))
		die("fdopen");
	for (i = 0; i < m; i++) {
		if (syscall(SYS_write, pfd[1], "8 bytes.", 8) != 8)
			die("write");
		if (fread(buf, 1, 8, f) != 8)
			die("fread");
	}
	return 0;
}

static void *feeder(void *arg)
{
	long i, m = (long)arg;

	for (i = 0; i < m; i++) {
		msleep(1);
		if (syscall(SYS_write, pfd[1], "x", 1) != 1)
			die("write");
	}
	return 0;
}

static void forked(const char *self, long n, long m)
{
	char buf[64];
	pthread_t th;
	long fd, i;

	fd = syscall(SYS_openat, AT_FDCWD, self, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open");
	for (i = 0; i < n; i++)
		if (syscall(SYS_pread64, fd, buf, sizeof(buf),
			    (i * 64) % 4096) != sizeof(buf))
			die("pread64");
	if (syscall(SYS_pipe2, pfd, 0) ||
	    pthread_create(&th, 0, feeder, (void *)m))
		die("pipe");
	for (i = 0; i < m; i++)
		if (syscall(SYS_read, pfd[0], buf, 1) != 1)
			die("read");
	pthread_join(th, 0);
	exit(0);
}

static int do_forks(const char *self, long c, long n, long m)
{
	int status, rc = 0;
	pid_t pid;
	long i;

	for (i = 0; i < c; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			forked(self, n, m);
		printf("child %d\n", (int)pid);
	}
	for (i = 0; i < c; i++) {
		if (wait(&status) < 0)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	}
	return rc;
}

extern char **environ;

static int wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int do_spawn(char **argv)
{
	pid_t pid;

	argv[1] = argv[0];
	errno = posix_spawn(&pid, argv[0], 0, 0, argv + 1, environ);
	if (errno)
		die("posix_spawn");
	return wait_for(pid);
}

static int do_deep(char **argv)
{
	char level[24];
	long l = atol(argv[2]);
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (l > 0) {
			snprintf(level, sizeof(level), "%ld", l - 1);
			argv[2] = level;
			execv(argv[0], argv);
		} else {
			argv[2] = argv[0];
			execv(argv[0], argv + 2);
		}
		_exit(127);
	}
	return wait_for(pid);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IONBF, 0);
	if (argc == 4 && !strcmp(argv[1], "pipe"))
		return do_pipe(atol(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "tree"))
		return do_tree(argv[0], argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "kill"))
		return do_kill(atoi(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "daemon"))
		return do_daemon(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "raw"))
		return do_raw(atol(argv[2]), atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "forks"))
		return do_forks(argv[0], atol(argv[2]), atol(argv[3]),
				atol(argv[4]));
	if (argc > 2 && !strcmp(argv[1], "spawn"))
		return do_spawn(argv);
	if (argc > 3 && !strcmp(argv[1], "deep"))
		return do_deep(argv);
	fprintf(stderr, "usage: workload pipe|tree|raw N M | kill SIG M | "
			"daemon M | forks C N M | spawn ARGS | deep L ARGS\n");
	return 2;
}
