// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A double-fork daemon, forked after the original process has helpers.
 * The grandchild (setsid) blocks in a routed read; while it waits, the
 * intermediate parent exits, and only once the grandchild has been
 * reparented is its read fed.  It then makes a second routed read and
 * reports through a pipe; the original waits for the report in a routed
 * read and prints it.
 */
#include "ptest.h"

#include <sys/wait.h>

static int rep[2], g[2], go[2], probed[2];
static pid_t mid_pid, orig_tid;

/* In the grandchild: report the read, release the parent, await adoption. */
static void *gc_feeder(void *arg)
{
	pt_route(*(pid_t *)arg, g[0], SYS_read,
		 "grandchild read, parent alive");
	PT_CHECK(syscall(SYS_write, go[1], "x", 1) == 1);
	while (getppid() == mid_pid)
		pt_msleep(1);
	PT_CHECK(syscall(SYS_write, g[1], "adopted", 7) == 7);
	return 0;
}

/* Its second read is fed by the original, once that waits for the report. */
static void *gc_probe(void *arg)
{
	pt_route(*(pid_t *)arg, g[0], SYS_read, "grandchild read after");
	PT_CHECK(syscall(SYS_write, probed[1], "p", 1) == 1);
	return 0;
}

static void grandchild(void)
{
	char buf[32] = { 0 }, msg[256];
	pid_t tid = pt_tid();
	pthread_t th;
	long n, n2;
	int len;

	/* Under the backstop a child's calls may stay native: do not wait
	 * the full deadline to see that (ptest.h). */
	pt_route_wait_s = 2;
	PT_CHECK(setsid() == getpid());
	PT_CHECK(pthread_create(&th, 0, gc_feeder, &tid) == 0);
	n = read(g[0], buf, sizeof(buf) - 1);
	pthread_join(th, 0);
	len = snprintf(msg, sizeof(msg),
		       "grandchild: read %ld \"%s\", reparented %s\n", n, buf,
		       getppid() != mid_pid ? "yes" : "no");

	PT_CHECK(pthread_create(&th, 0, gc_probe, &tid) == 0);
	memset(buf, 0, sizeof(buf));
	n2 = read(g[0], buf, sizeof(buf) - 1);
	pthread_join(th, 0);
	len += snprintf(msg + len, sizeof(msg) - (size_t)len,
			"grandchild: read %ld \"%s\", pid == tid %s\n", n2, buf,
			getpid() == pt_tid() ? "yes" : "no");
	PT_CHECK(write(rep[1], msg, (size_t)len) == len);
	_exit(pt_exit());
}

/* The original waits for the report: then the grandchild may finish. */
static void *orig_feeder(void *arg)
{
	char c;

	pt_route(orig_tid, rep[0], SYS_read, "original waits for the report");
	PT_CHECK(syscall(SYS_read, probed[0], &c, 1) == 1);
	PT_CHECK(syscall(SYS_write, g[1], "later", 5) == 5);
	return 0;
}

int main(void)
{
	char buf[512] = { 0 }, c;
	struct pt_feeder f = { 0 };
	pthread_t th;
	int st;
	pid_t pid;
	long n, got = 0;

	pt_init();
	PT_CHECK(pipe(rep) == 0 && pipe(g) == 0 && pipe(go) == 0 &&
		 pipe(probed) == 0);
	f.tid = pt_tid(); /* helpers in the original before the forks */
	f.fd = go[0];
	f.native_nr = SYS_read;
	f.what = "original read";
	f.wfd = go[1];
	f.data = "y";
	f.len = 1;
	pt_feeder_start(&f);
	PT_CHECK(read(go[0], &c, 1) == 1);
	pt_feeder_join(&f);

	pid = fork();
	PT_CHECK(pid >= 0);
	if (pid == 0) {
		mid_pid = getpid();
		if (fork() == 0)
			grandchild();
		/* Exit once the grandchild is in its routed read. */
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	close(rep[1]);
	PT_CHECK(waitpid(pid, &st, 0) == pid);
	printf("intermediate: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	orig_tid = pt_tid();
	PT_CHECK(pthread_create(&th, 0, orig_feeder, 0) == 0);
	while ((n = read(rep[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	pthread_join(th, 0);
	printf("report (%ld bytes):\n%s", got, buf);
	PT_CHECK(n == 0 && got > 0);
	return pt_exit();
}
