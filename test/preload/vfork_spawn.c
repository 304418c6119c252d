// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vfork() + exec and posix_spawn() (glibc: CLONE_VM|CLONE_VFORK) while
 * another thread waits in a routed read.  The vfork child makes a blocking
 * read before its exec: it shares the parent's memory but is another
 * process, so it must make the call itself (natively: in read, not in a
 * futex wait for one of the parent's helpers, which would run it in the
 * parent).  Both children exec this program again ("child"), where a fresh
 * shim routes their reads; their output and exit status reach the parent,
 * whose read in flight and later routed reads work.
 */
#include "ptest.h"

#include <spawn.h>
#include <sys/wait.h>

static int a[2], v[2];
static pid_t a_tid;
static volatile pid_t vfork_pid;

/* Exec'd: wait for the parent's go on stdin, then a routed read. */
static int child_main(void)
{
	struct pt_feeder f = { 0 };
	char go[8], buf[32] = { 0 };
	int p[2];
	long n;

	/* Under the backstop a new image's calls may stay native: do not
	 * wait the full deadline to see that (ptest.h). */
	pt_route_wait_s = 2;
	PT_CHECK(read(0, go, sizeof(go)) > 0);
	PT_CHECK(pipe(p) == 0);
	f.tid = pt_tid();
	f.fd = p[0];
	f.native_nr = SYS_read;
	f.what = "exec'd child read";
	f.wfd = p[1];
	f.data = "child data";
	f.len = 10;
	pt_feeder_start(&f);
	n = read(p[0], buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	printf("child: read %ld \"%s\"\n", n, buf);
	return pt_failed ? 1 : 3;
}

static void *thread_a(void *arg)
{
	char buf[32] = { 0 };
	long n;

	__atomic_store_n(&a_tid, pt_tid(), __ATOMIC_RELEASE);
	n = read(a[0], buf, sizeof(buf) - 1);
	printf("thread A: read %ld \"%s\"\n", n, buf);
	return 0;
}

/*
 * The call process @path ("/proc/PID/syscall") is blocked in: -1 while it
 * runs (the file says "running", which strtol() would take for 0, that is
 * SYS_read on x86-64), -2 if the file cannot be read.
 */
static long proc_syscall(const char *path)
{
	char buf[64] = { 0 };
	long fd, n;

	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
	syscall(SYS_close, fd);
	if (n <= 0)
		return -2;
	if (!strncmp(buf, "running", 7))
		return -1;
	return strtol(buf, 0, 10);
}

/*
 * While the parent is suspended in vfork(): where does the child wait?
 * Only a read seen several times in a row counts (as pt_wait_blocked()
 * does), and it is waited for until a deadline, not a count: on a loaded
 * machine the child may not run for a long while.  A child that waits
 * elsewhere (a futex, for a helper of the parent) never gets there.
 */
static void *vfork_probe(void *arg)
{
	char path[64];
	long nr, last = -2;
	int same = 0;
	bool in_read = false;
	double end;

	while (!vfork_pid)
		pt_msleep(1);
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)vfork_pid);
	end = pt_now() + PT_HELPER_WAIT_S;
	while (!in_read && pt_now() < end) {
		pt_msleep(1);
		nr = proc_syscall(path);
		if (nr >= 0 && nr == last)
			same++;
		else
			same = 0;
		last = nr;
		in_read = nr == SYS_read && same >= 4;
	}
	printf("vfork child: blocked in %s\n",
	       in_read ? "read" : "something else");
	PT_CHECK(syscall(SYS_write, v[1], "pre-exec", 8) == 8);
	return 0;
}

/* Spawn's parent side: report the routed pipe read, then let the child go. */
static void *spawn_probe(void *arg)
{
	int *fds = arg;

	pt_route((pid_t)fds[2], fds[0], SYS_read, "parent read of spawn pipe");
	PT_CHECK(syscall(SYS_write, fds[1], "go", 2) == 2);
	return 0;
}

static void report(const char *who, pid_t pid)
{
	int st;

	PT_CHECK(waitpid(pid, &st, 0) == pid);
	printf("%s: exit %d\n", who, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
	char *cargv[] = { argv[0], "child", 0 }, buf[256], pre[16] = { 0 };
	posix_spawn_file_actions_t fa;
	int sp[2], go[2], fds[3];
	struct pt_feeder f = { 0 };
	pthread_t ta, tp;
	pid_t pid;
	long n;

	pt_init();
	if (argc > 1)
		return child_main();
	PT_CHECK(pipe2(a, O_CLOEXEC) == 0 && pipe2(v, O_CLOEXEC) == 0);
	PT_CHECK(pthread_create(&ta, 0, thread_a, 0) == 0);
	while (!__atomic_load_n(&a_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(a_tid, a[0], SYS_read, "parent read in flight");

	PT_CHECK(pthread_create(&tp, 0, vfork_probe, 0) == 0);
	pid = vfork();
	if (pid == 0) {
		vfork_pid = (pid_t)syscall(SYS_getpid);
		if (read(v[0], pre, sizeof(pre) - 1) != 8 ||
		    strcmp(pre, "pre-exec"))
			_exit(10);
		dup2(v[0], 0);
		execv("/proc/self/exe", cargv);
		_exit(11);
	}
	PT_CHECK(pid > 0);
	pthread_join(tp, 0);
	PT_CHECK(write(v[1], "go", 2) == 2);
	report("vfork child", pid);

	PT_CHECK(pipe2(sp, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
	PT_CHECK(posix_spawn_file_actions_init(&fa) == 0);
	PT_CHECK(posix_spawn_file_actions_adddup2(&fa, go[0], 0) == 0);
	PT_CHECK(posix_spawn_file_actions_adddup2(&fa, sp[1], 1) == 0);
	PT_CHECK(posix_spawn(&pid, "/proc/self/exe", &fa, 0, cargv, environ) ==
		 0);
	posix_spawn_file_actions_destroy(&fa);
	close(sp[1]);
	fds[0] = sp[0];
	fds[1] = go[1];
	fds[2] = pt_tid();
	PT_CHECK(pthread_create(&tp, 0, spawn_probe, fds) == 0);
	while ((n = read(sp[0], buf, sizeof(buf))) > 0)
		PT_CHECK(fwrite(buf, 1, (size_t)n, stdout) == (size_t)n);
	PT_CHECK(n == 0);
	pthread_join(tp, 0);
	report("spawned child", pid);

	PT_CHECK(write(a[1], "for thread A", 12) == 12);
	pthread_join(ta, 0);

	f.tid = pt_tid();
	f.fd = v[0];
	f.native_nr = SYS_read;
	f.what = "parent read after";
	f.wfd = v[1];
	f.data = "later";
	f.len = 5;
	pt_feeder_start(&f);
	memset(buf, 0, sizeof(buf));
	n = read(v[0], buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	printf("parent: read %ld \"%s\"\n", n, buf);
	return pt_exit();
}
