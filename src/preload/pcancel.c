// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pthread_cancel() of a thread that waits for a helper.  glibc cancels a
 * blocked thread with a signal whose handler acts only inside glibc's own
 * system call stubs; our wait is a futex of the engine, which the kernel
 * restarts after that handler.  So pthread_cancel() is interposed: after
 * the real one has marked the thread, the thread's wait is woken, the
 * helper's call is cancelled (or its result kept if it finished first),
 * and the thread acts on the cancel at once, as it would have in read().
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "../backstop/backstop.h"
#include "../engine/engine.h"
#include "shim.h"

static __thread struct shim_thread self_rec
	__attribute__((tls_model("initial-exec")));
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_thread *reg_head;
static pthread_key_t reg_key;
static bool reg_ready;
static int (*real_pthread_cancel)(pthread_t);

static void unregister(void *p)
{
	struct shim_thread **pp, *t = p;
	sigset_t mask;

	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	for (pp = &reg_head; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	pthread_mutex_unlock(&reg_lock);
	sl_sigs_on(&mask);
	t->registered = false;
}

struct shim_thread *shim_thread_self(void)
{
	struct shim_thread *t = &self_rec;
	sigset_t mask;

	if (__builtin_expect(t->registered, 1))
		return t;
	if (!reg_ready)
		return 0;
	t->self = (unsigned long)pthread_self();
	/* Until registered, a handler's call would register too. */
	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	t->next = reg_head;
	reg_head = t;
	pthread_mutex_unlock(&reg_lock);
	t->registered = true;
	sl_sigs_on(&mask);
	pthread_setspecific(reg_key, t); /* unregister at thread exit */
	return t;
}

/*
 * The thread's TID, from its CPU-time clock: the kernel's clock id of a
 * thread is ((~tid) << 3) | 6 (posix-cpu-timers), which glibc hands out.
 */
static pid_t tid_of(pthread_t th)
{
	clockid_t c;

	if (pthread_getcpuclockid(th, &c) || (c & 7) != 6)
		return 0;
	return (pid_t) ~(c >> 3);
}

SHIM_EXPORT int pthread_cancel(pthread_t th)
{
	struct shim_thread *t;
	pid_t tid = tid_of(th);
	sigset_t mask;
	int rc;

	/* A call of the thread's that the backstop caught: stopped first. */
	if (tid > 0)
		ss_listener_cancel(tid);
	rc = SHIM_REAL(real_pthread_cancel, "pthread_cancel")(th);

	if (rc)
		return rc;
	sl_sigs_off(&mask);
	pthread_mutex_lock(&reg_lock);
	for (t = reg_head; t; t = t->next)
		if (t->self == (unsigned long)th) {
			struct sl_req *req = t->req;

			t->interrupt = 1;
			if (req)
				sl_call_kick(req);
			break;
		}
	pthread_mutex_unlock(&reg_lock);
	sl_sigs_on(&mask);
	return 0;
}

/* In a child of fork() only the forking thread exists. */
static void child(void)
{
	pthread_mutex_init(&reg_lock, 0);
	reg_head = 0;
	if (self_rec.registered) {
		self_rec.next = 0;
		self_rec.self = (unsigned long)pthread_self();
		self_rec.req = 0;
		reg_head = &self_rec;
	}
}

void shim_pcancel_init(void)
{
	if (pthread_key_create(&reg_key, unregister))
		return; /* no registry: cancels act when the call returns */
	pthread_atfork(0, 0, child);
	reg_ready = true;
}
