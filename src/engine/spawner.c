// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers made aside, for callers that must never wait in pthread_create().
 *
 * The backstop's listener answers every caught call of its process.  Were
 * it to start a helper itself, pthread_create() could wait for a lock of
 * the dynamic loader (the TLS lock taken while a new thread's TLS is set
 * up) that a program thread holds while its own caught openat() (dlopen())
 * waits for the listener: every caught call of the process would then wait
 * with it.  So a trapped request that finds no idle helper is queued, and
 * this thread starts one, which takes it from the queue.  If this thread
 * is stuck so, the backstop's watcher hands queued requests back to their
 * callers, who make them natively; the loader's lock is then released and
 * helpers come again.
 *
 * One per process, serving the context given to sl_spawner_start() (the
 * preload layer's one).  A fork() child has none until it is started again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "internal.h"

static struct syslet_ctx *served; /* set once the thread runs */
static uint32_t asked;		  /* futex word: bumped by each ask */
static pid_t spawner_tid;
static bool creating; /* in sl_helper_add() */

static void *spawner_main(void *arg)
{
	struct syslet_ctx *ctx = arg;
	uint32_t seen;

	__atomic_store_n(&spawner_tid, (pid_t)sl_sys0(SYS_gettid),
			 __ATOMIC_RELEASE);
	for (;;) {
		seen = __atomic_load_n(&asked, __ATOMIC_ACQUIRE);
		sl_ctx_lock(ctx);
		while (ctx->spawn_want) {
			ctx->spawn_want--;
			sl_ctx_unlock(ctx);
			__atomic_store_n(&creating, true, __ATOMIC_RELEASE);
			sl_helper_add(ctx);
			__atomic_store_n(&creating, false, __ATOMIC_RELEASE);
			sl_ctx_lock(ctx);
		}
		sl_ctx_unlock(ctx);
		sl_futex_wait(&asked, seen, 0);
	}
	return 0;
}

/* engine.h */
int sl_spawner_start(struct syslet_ctx *ctx)
{
	pid_t tid;
	int rc;

	if (__atomic_load_n(&served, __ATOMIC_ACQUIRE))
		return 0;
	rc = sl_thread_start_tid(spawner_main, ctx, "syslet-spawn", 64 * 1024,
				 &tid);
	if (!rc) {
		__atomic_store_n(&spawner_tid, tid, __ATOMIC_RELEASE);
		__atomic_store_n(&served, ctx, __ATOMIC_RELEASE);
	}
	return rc;
}

/* engine.h */
pid_t sl_spawner_tid(void)
{
	return __atomic_load_n(&spawner_tid, __ATOMIC_ACQUIRE);
}

/* internal.h: does this process's spawner make @ctx's helpers? */
bool sl_spawner_serves(struct syslet_ctx *ctx)
{
	return __atomic_load_n(&served, __ATOMIC_ACQUIRE) == ctx;
}

/* internal.h: one more helper for @ctx, for a request being queued.
 * Under the lock. */
void sl_spawner_ask_locked(struct syslet_ctx *ctx)
{
	ctx->spawn_want++;
	__atomic_fetch_add(&asked, 1, __ATOMIC_RELEASE);
	sl_futex_wake(&asked, 1);
}

/*
 * engine.h.  The one futex a thread waits on inside pthread_create() is
 * a lock: the dynamic loader's, or its stack cache's.  Held by a thread
 * that runs, it is soon free; held by one whose caught call is queued
 * behind us, never.
 */
bool sl_spawner_stuck(void)
{
	pid_t tid = __atomic_load_n(&spawner_tid, __ATOMIC_ACQUIRE);
	char buf[32];

	if (!tid || !__atomic_load_n(&creating, __ATOMIC_ACQUIRE))
		return false;
	if (sl_task_file(0, tid, "syscall", buf, sizeof(buf)) <= 0)
		return false;
	return atoi(buf) == SYS_futex &&
	       __atomic_load_n(&creating, __ATOMIC_ACQUIRE);
}

/* internal.h: in a fork() child, which has no such thread. */
void sl_spawner_child(void)
{
	served = 0;
	asked = 0;
	spawner_tid = 0;
	creating = false;
}
