// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Call sites that a cache of stacks could get wrong, for test/report/
 * stack_cache.sh (src/preload/sites.c keeps each thread's recent stacks
 * and finds them again by their return addresses' stack slots):
 *  - one call made over and over from the same stack, as an event
 *    loop's are (what the cache is for);
 *  - the same call from recursion of many depths, deeper than the
 *    16 frames a site keeps;
 *  - a call under a frame of variable size (a variable-length array,
 *    so a frame pointer), reached through one call site from two
 *    callers whose own frames differ by as much as the array, so that
 *    the call's stack pointer is the same for both while its callers are
 *    not, and the one's return address is left in the other's array;
 *  - a call from a signal handler, over the frame it interrupted;
 *  - the same from two more threads at once.
 * Every call is a 1-byte pread64 of a file in the page cache; run with
 * --block-us 0 every one is recorded with its stack.  Prints the number of
 * calls it made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd;
static long made;
static volatile int two = 2;

static void die(const char *what)
{
	fprintf(stderr, "stack_cache: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Not inlined, and work after each call: every frame stays a frame. */
__attribute__((noinline)) static void leaf(void)
{
	char c;

	if (pread(fd, &c, 1, 0) != 1)
		die("pread");
	__atomic_add_fetch(&made, 1, __ATOMIC_RELAXED);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void nest(int k)
{
	if (k)
		nest(k - 1);
	else
		leaf();
	__asm__ volatile("" ::: "memory");
}

/* A frame of @n bytes more or less. */
__attribute__((noinline)) static void sized(int n)
{
	volatile char a[n + 1];

	a[0] = 0;
	a[n] = 1;
	leaf();
	__asm__ volatile("" : : "r"(a) : "memory");
}

/* Two callers, one with 512 bytes more of its own. */
__attribute__((noinline)) static void big_caller(int n)
{
	volatile char pad[512];

	pad[0] = 0;
	sized(n);
	__asm__ volatile("" : : "r"(pad) : "memory");
}

__attribute__((noinline)) static void small_caller(int n)
{
	sized(n);
	__asm__ volatile("" ::: "memory");
}

/* Both from one call site: the same return address above either. */
static void (*volatile callers[2])(int) = { big_caller, small_caller };

__attribute__((noinline)) static void either(int which, int n)
{
	callers[which](n);
	__asm__ volatile("" ::: "memory");
}

static void on_signal(int sig)
{
	(void)sig;
	leaf();
	nest(3);
}

static void work(void)
{
	int i, n, w;

	for (i = 0; i < 3; i++) {
		/* An event loop's call: the same stack over and over. */
		for (n = 0; n < 1000; n++)
			leaf();
		for (n = 0; n < 24; n++) {
			nest(n);
			nest(n);
		}
		/* Some n of one and n + 512 of the other meet at one stack
		 * pointer, under the same return address, the one's return
		 * address left in the other's array; both orders. */
		for (n = 0; n <= 1024; n += 8)
			for (w = 0; w < two; w++) /* one call, not unrolled */
				either(w, n + 512 * w);
		for (n = 1024; n >= 0; n -= 8)
			for (w = two - 1; w >= 0; w--)
				either(w, n + 512 * w);
		if (raise(SIGUSR1))
			die("raise");
	}
}

static void *thread_main(void *arg)
{
	(void)arg;
	work();
	return 0;
}

int main(void)
{
	char path[] = "/tmp/stack_cache.XXXXXX";
	struct sigaction sa;
	pthread_t t[2];
	int i;

	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	if (write(fd, "x", 1) != 1)
		die("write");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	if (sigaction(SIGUSR1, &sa, 0))
		die("sigaction");
	work();
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], 0, thread_main, 0))
			die("pthread_create");
	for (i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	printf("%ld\n", made);
	return 0;
}
