// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Our threads are not the program's.  glibc ends a process with exit(0)
 * when the last thread it counts ends (pthread_exit() of the last one, or
 * its start routine returning); a helper, listener or watcher of ours
 * must not keep a process alive whose own threads are all gone (a child
 * forked from a non-main thread whose thread then returns stayed a zombie
 * leader for ever, under its listener).  io_uring's io-wq workers are
 * not counted either.
 *
 * The count is glibc's __nptl_nthreads, which its libthread_db interface
 * (and so gdb) reads by name: an unsigned int, raised by pthread_create()
 * before the thread runs and lowered as it ends.  Each thread of ours
 * takes itself out of it first thing, and puts itself back just before it
 * returns, so glibc's own lowering balances and, if the program's threads
 * are all gone by then, glibc calls exit(0) as it would have for theirs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "internal.h"

static unsigned int *nthreads;

/*
 * Looked up at load time, before the shim's own constructor starts any
 * thread of ours: dlvsym() takes the dynamic loader's lock, which a
 * program thread in dlopen() may hold while its caught openat() waits
 * for the very thread that would be looking.
 */
__attribute__((constructor(101))) static void look_up(void)
{
	nthreads = dlvsym(RTLD_DEFAULT, "__nptl_nthreads", "GLIBC_PRIVATE");
}

static unsigned int *count(void)
{
	if (!nthreads)
		sl_warn_once("cannot find the C library's thread count; "
			     "our threads may keep a process alive",
			     0);
	return nthreads;
}

void sl_thread_hide(void)
{
	unsigned int *n = count();

	/*
	 * Our creator may have been a thread of ours, and the program's last
	 * thread may have ended since pthread_create() raised the count: it
	 * then saw ours and did not end the process.  Do it for it.
	 */
	if (n && __atomic_sub_fetch(n, 1, __ATOMIC_ACQ_REL) == 0)
		exit(0);
}

void sl_thread_unhide(void)
{
	unsigned int *n = count();

	if (n)
		__atomic_add_fetch(n, 1, __ATOMIC_ACQ_REL);
}

struct start {
	void *(*fn)(void *);
	void *arg;
	const char *name;
	pid_t tid;
	uint32_t named; /* futex: the thread has its name */
};

static void *trampoline(void *p)
{
	struct start *st = p;
	void *(*fn)(void *) = st->fn;
	void *arg = st->arg;

	sl_thread_hide();
	st->tid = (pid_t)sl_sys0(SYS_gettid);
	sl_sys2(SYS_prctl, PR_SET_NAME, st->name);
	/* @st lives on our creator's stack until it sees this. */
	__atomic_store_n(&st->named, 1, __ATOMIC_RELEASE);
	sl_futex_wake(&st->named, 1);
	return fn(arg);
}

/* engine.h */
int sl_thread_start_tid(void *(*fn)(void *), void *arg, const char *name,
			size_t stack, pid_t *tid)
{
	struct start st = { .fn = fn, .arg = arg, .name = name };
	pthread_attr_t attr;
	pthread_t th;
	sigset_t all;
	int rc;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	sigfillset(&all);
	pthread_attr_setsigmask_np(&attr, &all);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, stack);
	rc = pthread_create(&th, &attr, trampoline, &st);
	pthread_attr_destroy(&attr);
	while (!rc && !__atomic_load_n(&st.named, __ATOMIC_ACQUIRE))
		sl_futex_wait(&st.named, 0, 0);
	if (tid)
		*tid = rc ? 0 : st.tid;
	return -rc;
}

int sl_thread_start(void *(*fn)(void *), void *arg, const char *name,
		    size_t stack)
{
	return sl_thread_start_tid(fn, arg, name, stack, 0);
}
