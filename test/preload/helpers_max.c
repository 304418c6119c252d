// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * With the helper pool at its bound (the policy's helpers.max 1, the one
 * helper blocked in thread A's read), a second blocking read must not
 * queue behind it, waiting for a call that may never end: the caller
 * makes it itself, natively, and gets its data when it comes.
 */
#include "ptest.h"

static int p1[2], p2[2];
static pid_t a_tid;

static void *thread_a(void *arg)
{
	char c = 0;
	long n;

	(void)arg;
	__atomic_store_n(&a_tid, pt_tid(), __ATOMIC_RELEASE);
	n = read(p1[0], &c, 1);
	printf("A: read %ld '%c'\n", n, c);
	return 0;
}

/* Feeds main's pipe first, then, later, A's. */
static void *feeder(void *arg)
{
	pid_t main_tid = *(pid_t *)arg;

	pt_route(main_tid, p2[0], SYS_read, "main read");
	pt_msleep(100);
	PT_CHECK(syscall(SYS_write, p2[1], "m", 1) == 1);
	pt_msleep(300);
	PT_CHECK(syscall(SYS_write, p1[1], "a", 1) == 1);
	return 0;
}

int main(void)
{
	pthread_t a, f;
	pid_t me;
	char c = 0;
	long n;

	pt_init();
	me = pt_tid();
	PT_CHECK(pipe(p1) == 0 && pipe(p2) == 0);
	PT_CHECK(pthread_create(&a, 0, thread_a, 0) == 0);
	while (!__atomic_load_n(&a_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(a_tid, p1[0], SYS_read, "A read");
	PT_CHECK(pthread_create(&f, 0, feeder, &me) == 0);
	n = read(p2[0], &c, 1);
	printf("main: read %ld '%c'\n", n, c);
	pthread_join(f, 0);
	pthread_join(a, 0);
	printf("helpers at most 1: %s\n", pt_helpers() <= 1 ? "yes" : "no");
	return pt_exit();
}
