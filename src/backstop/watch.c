// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The watcher: signals for threads that wait in a trapped call.
 *
 * The filter is loaded with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: once
 * the listener has received a call, a signal no longer interrupts the
 * caller's wait, so a reply is never lost to a signal (without the flag
 * the kernel may take a reply and still return EINTR, and a helper's read
 * would have eaten the data).  But a signal must still end a call that
 * blocks, as it would natively: alarm() around an fread() from a silent
 * pipe.  Nothing tells us of a signal pending on another thread, so this
 * thread looks, in /proc/self/task/TID/status, at every thread whose call
 * has waited on a helper for a while: first after 2 ms, then ever less
 * often, up to every 100 ms.  A signal the thread does not block stops
 * the helper's call; if it did nothing, the caller makes the call itself
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE), where the signal interrupts it as it
 * would natively; if it finished, the caller gets its result.  It also
 * hands back to its caller a call still queued for a helper that the
 * engine's spawner cannot make (spawner.c).  Started with the listener,
 * never by it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "slot.h"

#define FIRST_NS 2000000L
#define MAX_NS 100000000L

static uint32_t nwatched; /* futex word: slots on helpers */
static bool started;
static pid_t watcher;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long field(const char *buf, const char *name)
{
	const char *p = strstr(buf, name);

	return p ? strtoul(p + strlen(name), 0, 16) : 0;
}

/* Does thread @tid have a signal pending that it does not block? */
static bool signalled(pid_t tid)
{
	char buf[2048];

	if (sl_task_file(0, tid, "status", buf, sizeof(buf)) <= 0)
		return false;
	return ((field(buf, "\nSigPnd:") | field(buf, "\nShdPnd:")) &
		~field(buf, "\nSigBlk:")) != 0;
}

/*
 * Still queued for a helper, nothing of it done, while the spawner waits
 * for a lock in pthread_create() (spawner.c): maybe the caller itself
 * holds it.  Its caller makes it.  Not a matter of time: a busy machine
 * may take long to start a helper, and the call is then still routed.
 */
static bool stuck(struct ss_slot *s)
{
	struct syslet_ctx *ctx = __atomic_load_n(&s->ctx, __ATOMIC_ACQUIRE);

	return ctx && sl_trap_queued(ctx, &s->req, s) && sl_spawner_stuck();
}

static void look(int64_t now)
{
	unsigned int i;

	for (i = 0; i < SS_SLOTS; i++) {
		struct ss_slot *s = &ss_slots[i];
		pid_t tid = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);
		long r;

		if (!tid ||
		    __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != S_RUN ||
		    !__atomic_load_n(&s->req, __ATOMIC_ACQUIRE) ||
		    now < s->next_look_ns)
			continue;
		s->look_every_ns = s->look_every_ns * 2 > MAX_NS
					   ? MAX_NS
					   : s->look_every_ns * 2;
		s->next_look_ns = now + s->look_every_ns;
		if (!stuck(s) && !signalled(tid))
			continue;
		r = ss_slot_claim(s);
		if (r == SS_UNCLAIMED)
			continue; /* answered, or pthread_cancel() has it */
		/*
		 * Not done: the thread makes the call itself, and the
		 * signal interrupts it there (or restarts it), as natively.
		 * Safe even if this was already the thread's next call.
		 */
		ss_reply_claimed(s, r);
	}
}

static void *watch_main(void *arg)
{
	struct timespec tick = { 0, FIRST_NS };

	(void)arg;
	for (;;) {
		uint32_t n = __atomic_load_n(&nwatched, __ATOMIC_ACQUIRE);

		if (!n) {
			sl_futex_wait(&nwatched, 0, 0);
			continue;
		}
		sl_sys2(SYS_nanosleep, &tick, 0);
		look(sl_now_ns());
	}
	return 0;
}

pid_t ss_watch_start(void)
{
	pid_t tid;

	pthread_mutex_lock(&start_lock);
	if (!started) {
		/* No watcher: signals wait for the call's end. */
		started = !sl_thread_start_tid(watch_main, 0, "syslet-watch",
					       64 * 1024, &watcher);
		if (!started)
			sl_warn_once("cannot start the seccomp signal watcher",
				     EAGAIN);
	}
	tid = watcher;
	pthread_mutex_unlock(&start_lock);
	return tid;
}

void ss_watch_add(struct ss_slot *s)
{
	s->look_every_ns = FIRST_NS;
	s->next_look_ns = sl_now_ns() + FIRST_NS;
	if (__atomic_fetch_add(&nwatched, 1, __ATOMIC_ACQ_REL) == 0)
		sl_futex_wake(&nwatched, 1);
}

void ss_watch_done(void)
{
	__atomic_fetch_sub(&nwatched, 1, __ATOMIC_ACQ_REL);
}

/* In a fork() child: no watcher thread, nothing watched. */
void ss_watch_child(void)
{
	pthread_mutex_init(&start_lock, 0);
	started = false;
	watcher = 0;
	nwatched = 0;
}
