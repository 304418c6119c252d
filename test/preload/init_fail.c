// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shim cannot get helpers; the program must run as natively, and the
 * shim says so once on stderr, however many calls and threads.
 *   init_fail signal: run with SYSLET_CANCEL_SIGNAL=9 (init_fail.sh), a
 *     signal the engine refuses: the helper pool cannot be created.
 *   init_fail nproc: RLIMIT_NPROC 0 once the program's own threads exist,
 *     so that no helper thread can be started (as root, which the limit
 *     does not bind, the program first becomes nobody).
 * Blocking pipe reads, two from the main thread and one from another, each
 * seen waiting in read() itself (pt_route() prints nothing then).
 */
#include "ptest.h"

#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int p[2];
/*
 * The threads wait for these without a system call the backstop catches
 * (the feeder's naps are caught nanosleeps): one made before main sets
 * RLIMIT_NPROC would have a helper started, which the test says cannot be.
 */
static int limited; /* main has set the limit (nproc), or need not */
static int go;	    /* main has read twice: thread B reads */

static void wait_for(int *flag)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		sched_yield();
}
static pid_t main_tid, b_tid;

static void *feeder(void *arg)
{
	wait_for(&limited);
	pt_route(main_tid, p[0], SYS_read, "main read 1");
	PT_CHECK(syscall(SYS_write, p[1], "one", 3) == 3);
	pt_route(main_tid, p[0], SYS_read, "main read 2");
	PT_CHECK(syscall(SYS_write, p[1], "two", 3) == 3);
	while (!__atomic_load_n(&b_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(b_tid, p[0], SYS_read, "thread B read");
	PT_CHECK(syscall(SYS_write, p[1], "three", 5) == 5);
	return 0;
}

static void one_read(const char *who)
{
	char buf[16] = { 0 };
	long n = read(p[0], buf, sizeof(buf) - 1);

	printf("%s: read %ld \"%s\"\n", who, n, buf);
}

static void *thread_b(void *arg)
{
	wait_for(&go);
	__atomic_store_n(&b_tid, pt_tid(), __ATOMIC_RELEASE);
	one_read("thread B");
	return 0;
}

int main(int argc, char **argv)
{
	bool nproc = argc > 1 && !strcmp(argv[1], "nproc");
	struct rlimit zero = { 0, 0 };
	pthread_t tf, tb, tx;

	pt_init();
	main_tid = pt_tid();
	/* Under the backstop the reads are caught and made natively (no
	 * helper can start): do not wait the full deadline to see that. */
	pt_route_wait_s = 2;
	if (nproc && getuid() == 0) {
		PT_CHECK(setgroups(0, 0) == 0 &&
			 setresgid(65534, 65534, 65534) == 0 &&
			 setresuid(65534, 65534, 65534) == 0);
		/* Readable /proc/self/task/N/syscall again, for pt_route(). */
		PT_CHECK(prctl(PR_SET_DUMPABLE, 1) == 0);
	}
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(pthread_create(&tf, 0, feeder, 0) == 0);
	PT_CHECK(pthread_create(&tb, 0, thread_b, 0) == 0);
	if (nproc) {
		PT_CHECK(setrlimit(RLIMIT_NPROC, &zero) == 0);
		/* The limit binds: no thread can be made now. */
		PT_CHECK(pthread_create(&tx, 0, feeder, 0) == EAGAIN);
	}
	__atomic_store_n(&limited, 1, __ATOMIC_RELEASE);
	one_read("main");
	one_read("main");
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	pthread_join(tb, 0);
	pthread_join(tf, 0);
	printf("helpers %d\n", pt_helpers());
	return pt_exit();
}
