// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Hand-offs between threads, for section 1: a plain thread pool (what a
 * program would write without libsyslet) and the reference ping-pongs (the
 * floor of any user-space hand-off on this machine).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

/* ---- a plain thread pool: one worker, a mutex and two condvars ----------- */
struct pool_job {
	int fd;
	void *buf;
	size_t len;
	off_t off;
	ssize_t ret;
	int err;
	bool done;
};

struct bench_pool {
	pthread_mutex_t mu;
	pthread_cond_t job_cv;	/* the worker waits here for a job */
	pthread_cond_t done_cv; /* the submitter waits here for its result */
	struct pool_job *job;	/* submitted, not yet taken */
	bool stop;
	pthread_t thread;
};

static void lock(struct bench_pool *pl)
{
	bench_check_rc(pthread_mutex_lock(&pl->mu), "pool: mutex_lock");
}

static void unlock(struct bench_pool *pl)
{
	bench_check_rc(pthread_mutex_unlock(&pl->mu), "pool: mutex_unlock");
}

static void *pool_worker(void *arg)
{
	struct bench_pool *pl = arg;
	struct pool_job *j;
	ssize_t r;
	int err;

	lock(pl);
	for (;;) {
		while (!pl->job && !pl->stop)
			bench_check_rc(pthread_cond_wait(&pl->job_cv, &pl->mu),
				       "pool: cond_wait");
		if (!pl->job)
			break;
		j = pl->job;
		pl->job = NULL;
		unlock(pl);
		r = pread(j->fd, j->buf, j->len, j->off);
		err = errno;
		lock(pl);
		j->ret = r;
		j->err = err;
		j->done = true;
		bench_check_rc(pthread_cond_signal(&pl->done_cv),
			       "pool: cond_signal");
	}
	unlock(pl);
	return NULL;
}

struct bench_pool *bench_pool_start(void)
{
	struct bench_pool *pl = calloc(1, sizeof(*pl));

	if (!pl)
		bench_die("out of memory");
	bench_check_rc(pthread_mutex_init(&pl->mu, NULL), "pool: mutex_init");
	bench_check_rc(pthread_cond_init(&pl->job_cv, NULL), "pool: cond_init");
	bench_check_rc(pthread_cond_init(&pl->done_cv, NULL),
		       "pool: cond_init");
	bench_check_rc(pthread_create(&pl->thread, NULL, pool_worker, pl),
		       "pool: pthread_create");
	return pl;
}

ssize_t bench_pool_pread(struct bench_pool *pl, int fd, void *buf, size_t len,
			 off_t off, int *err)
{
	struct pool_job j = {
		.fd = fd, .buf = buf, .len = len, .off = off, .done = false
	};

	lock(pl);
	pl->job = &j; /* one submitter, which waits: the slot is free */
	bench_check_rc(pthread_cond_signal(&pl->job_cv), "pool: cond_signal");
	while (!j.done)
		bench_check_rc(pthread_cond_wait(&pl->done_cv, &pl->mu),
			       "pool: cond_wait");
	unlock(pl);
	*err = j.err;
	return j.ret;
}

void bench_pool_stop(struct bench_pool *pl)
{
	lock(pl);
	pl->stop = true;
	bench_check_rc(pthread_cond_signal(&pl->job_cv), "pool: cond_signal");
	unlock(pl);
	bench_check_rc(pthread_join(pl->thread, NULL), "pool: pthread_join");
	pthread_cond_destroy(&pl->job_cv);
	pthread_cond_destroy(&pl->done_cv);
	pthread_mutex_destroy(&pl->mu);
	free(pl);
}

/* ---- ping-pong between two pinned threads -------------------------------- */
struct pp {
	int word;  /* 1: the ball is with B; 0: with A */
	int ready; /* B is running */
	long n;
	int cpu_a, cpu_b;
	bool futex; /* else sched_yield */
	int64_t ns;
};

static void futex_wait(int *w, int val)
{
	if (syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0) &&
	    errno != EAGAIN && errno != EINTR)
		bench_die_errno("futex(FUTEX_WAIT)");
}

static void futex_wake(int *w)
{
	BENCH_CHECK(syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL,
			    0) >= 0,
		    "futex(FUTEX_WAKE)");
}

static void yield(void)
{
	BENCH_CHECK(sched_yield() == 0, "sched_yield");
}

static int ld(int *w)
{
	return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

static void st(int *w, int v)
{
	__atomic_store_n(w, v, __ATOMIC_RELEASE);
}

static void *pp_b(void *arg)
{
	struct pp *pp = arg;
	long i;

	bench_pin_self(pp->cpu_b);
	st(&pp->ready, 1);
	for (i = 0; i < pp->n; i++) {
		while (ld(&pp->word) == 0) {
			if (pp->futex)
				futex_wait(&pp->word, 0);
			else
				yield();
		}
		st(&pp->word, 0);
		if (pp->futex)
			futex_wake(&pp->word);
	}
	return NULL;
}

static void *pp_a(void *arg)
{
	struct pp *pp = arg;
	int64_t t0;
	long i;

	bench_pin_self(pp->cpu_a);
	while (!ld(&pp->ready))
		yield();
	t0 = bench_now_ns();
	for (i = 0; i < pp->n; i++) {
		st(&pp->word, 1);
		if (pp->futex)
			futex_wake(&pp->word);
		while (ld(&pp->word) == 1) {
			if (pp->futex)
				futex_wait(&pp->word, 1);
			else
				yield();
		}
	}
	pp->ns = bench_now_ns() - t0;
	return NULL;
}

int64_t bench_pingpong(int cpu_a, int cpu_b, bool use_futex, long n)
{
	struct pp pp = {
		.n = n, .cpu_a = cpu_a, .cpu_b = cpu_b, .futex = use_futex
	};
	pthread_t a, b;

	bench_check_rc(pthread_create(&b, NULL, pp_b, &pp), "pthread_create");
	bench_check_rc(pthread_create(&a, NULL, pp_a, &pp), "pthread_create");
	bench_check_rc(pthread_join(a, NULL), "pthread_join");
	bench_check_rc(pthread_join(b, NULL), "pthread_join");
	return pp.ns;
}
