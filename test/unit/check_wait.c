// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet_wait() and syslet_reap(): counts, timeouts, signals, arguments.
 */
#define _GNU_SOURCE
#include "testlib.h"

#define NCHAINS 16

static struct tl_dir dir;
static char path[PATH_MAX];
static int file_fd = -1;

static void setup(void)
{
	tl_dir_make(&dir);
	tl_make_file(&dir, "data", NCHAINS * 4096, 21, path, sizeof(path));
	file_fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(file_fd, 0);
}

static void teardown(void)
{
	close(file_fd);
	tl_dir_remove(&dir);
}

struct job {
	struct syslet_atom a;
	long ret;
	char buf[4096];
};

static struct job jobs[NCHAINS];

static void submit_reads(struct syslet_ctx *ctx, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(jobs[i].buf, 0, sizeof(jobs[i].buf));
		jobs[i].ret = TL_UNSET;
		syslet_atom_init(&jobs[i].a, SYS_pread64, &jobs[i].ret, 0,
				 file_fd, (long)jobs[i].buf, 4096, 4096L * i, 0,
				 0);
		jobs[i].a.user_data = &jobs[i];
		ck_assert_int_eq(
			syslet_submit(ctx, &jobs[i].a, SYSLET_SUBMIT_ASYNC),
			SYSLET_QUEUED);
	}
}

/* Each of the first @n jobs exactly once among @c, with its data. */
static void check_jobs(const struct syslet_completion *c, int n)
{
	int seen[NCHAINS] = { 0 };
	int i;

	for (i = 0; i < n; i++) {
		struct job *j = c[i].user_data;
		int k = (int)(j - jobs);

		ck_assert_int_ge(k, 0);
		ck_assert_int_lt(k, n);
		ck_assert_ptr_eq(c[i].head, &j->a);
		ck_assert_ptr_eq(c[i].last, &j->a);
		ck_assert_int_eq(c[i].result, 4096);
		ck_assert_int_eq(j->ret, 4096);
		ck_assert_int_eq(tl_check_pat(j->buf, 4096, 4096L * k, 21), -1);
		ck_assert_int_eq(seen[k], 0);
		seen[k] = 1;
	}
}

START_TEST(test_wait_all)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[NCHAINS + 4];
	int rc;

	submit_reads(ctx, NCHAINS);
	do
		rc = syslet_wait(ctx, c, NCHAINS, NCHAINS, NULL);
	while (rc == -EINTR);
	ck_assert_int_eq(rc, NCHAINS);
	check_jobs(c, NCHAINS);
	tl_assert_ring_empty(ctx);

	/* nr above what there is: returns what min asks for, up to nr. */
	submit_reads(ctx, NCHAINS);
	{
		int got = 0;

		while (got < NCHAINS) {
			rc = syslet_wait(ctx, c + got, NCHAINS + 4 - got, 1,
					 NULL);
			if (rc == -EINTR)
				continue;
			ck_assert_int_ge(rc, 1);
			got += rc;
		}
		ck_assert_int_eq(got, NCHAINS);
		check_jobs(c, NCHAINS);
	}
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

/* nr smaller than what there is: at most nr, oldest first, rest stays. */
START_TEST(test_wait_at_most_nr)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[4];
	struct syslet_atom a[6];
	long r[6];
	int i;

	for (i = 0; i < 6; i++) {
		syslet_atom_init(&a[i], SYS_getpid, &r[i], 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a[i], SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
	}
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 1, NULL), 4);
	for (i = 0; i < 4; i++)
		ck_assert_ptr_eq(c[i].head, &a[i]);
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 2, NULL), 2);
	ck_assert_ptr_eq(c[0].head, &a[4]);
	ck_assert_ptr_eq(c[1].head, &a[5]);
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_timeout_nothing_in_flight)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c;
	struct timespec to = { 0, 50 * 1000000L }, zero = { 0, 0 };
	int64_t t0, dt;
	int rc;

	t0 = tl_now_ns();
	do
		rc = syslet_wait(ctx, &c, 1, 1, &to);
	while (rc == -EINTR);
	dt = tl_now_ns() - t0;
	ck_assert_int_eq(rc, -ETIME);
	ck_assert_msg(dt >= 50 * 1000000L, "returned after %lld ns",
		      (long long)dt);

	/* A zero timeout polls. */
	ck_assert_int_eq(syslet_wait(ctx, &c, 1, 1, &zero), -ETIME);

	/* Something in flight that does not complete: the same. */
	{
		struct syslet_atom rd;
		long ret = TL_UNSET;
		char b;
		int p[2];

		tl_pipe(p);
		syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
		t0 = tl_now_ns();
		do
			rc = syslet_wait(ctx, &c, 1, 1, &to);
		while (rc == -EINTR);
		dt = tl_now_ns() - t0;
		ck_assert_int_eq(rc, -ETIME);
		ck_assert(dt >= 50 * 1000000L);
		ck_assert_int_eq(ret, TL_UNSET);
		tl_write1(p[1], 'k');
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, 1);
		tl_close_pipe(p);
	}
	tl_destroy(ctx);
}
END_TEST

/* Fewer than min_complete, but at least one, when the timeout expires. */
START_TEST(test_timeout_fewer_than_min)
{
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct syslet_completion c[4];
	struct timespec to = { 0, 30 * 1000000L };
	struct syslet_atom inl, blk, fin;
	long r1 = TL_UNSET, r2 = TL_UNSET, r3 = TL_UNSET;
	char b;
	int p[2], rc;

	tl_pipe(p);
	/* One completion that is surely there (posted before submit returns).
	 */
	syslet_atom_init(&inl, SYS_getpid, &r1, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &inl, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	/* And one that never comes. */
	syslet_atom_init(&blk, SYS_read, &r2, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &blk, 0), SYSLET_QUEUED);
	do
		rc = syslet_wait(ctx, c, 4, 2, &to);
	while (rc == -EINTR);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_eq(c[0].head, &inl);
	ck_assert_int_eq(c[0].result, getpid());

	/* min 3 of which 2 can come; the helper posts one async first. */
	syslet_atom_init(&fin, SYS_getppid, &r3, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &inl, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	tl_write1(p[1], 'q');
	/*
	 * max_helpers 1: the helper finishes blk (posting it) before it takes
	 * fin, so once this SUBMIT_WAIT returns both are in the ring.
	 */
	ck_assert_int_eq(
		syslet_submit(ctx, &fin,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(r3, getppid());
	do
		rc = syslet_wait(ctx, c, 4, 3, &to);
	while (rc == -EINTR);
	ck_assert_int_eq(rc, 2);
	ck_assert_ptr_eq(c[0].head, &inl);
	ck_assert_ptr_eq(c[1].head, &blk);
	ck_assert_int_eq(c[1].result, 1);
	ck_assert_int_eq(b, 'q');
	tl_assert_ring_empty(ctx);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

struct kicker {
	pthread_t target;
	pid_t target_tid;
	int sig;
	int fd;	     /* write a byte here after the signal ran, or -1 */
	int handled; /* the handler had run when the byte was written */
	int done;    /* set by the target once its call returned */
};

/* Is thread @tid of this process inside system call @nr? */
static int in_syscall(pid_t tid, long nr)
{
	char p[64], buf[256];
	long n;

	snprintf(p, sizeof(p), "/proc/self/task/%d/syscall", (int)tid);
	if (tl_read_small(p, buf, sizeof(buf)) <= 0)
		return 0;
	return sscanf(buf, "%ld", &n) == 1 && n == nr;
}

/*
 * Signal the target once it sleeps in futex(2) (where the library waits),
 * or after 50 ms if that is never seen.  Without a byte to write, resend
 * every 50 ms until the target says it is done: a signal that came before
 * the wait started cannot end it, the next one will.
 */
static void *kick(void *arg)
{
	struct kicker *k = arg;
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;
	int i;

	for (;;) {
		for (i = 0; i < 50 && !in_syscall(k->target_tid, SYS_futex);
		     i++)
			tl_sleep_ms(1);
		pthread_kill(k->target, k->sig);
		if (k->fd >= 0)
			break;
		for (i = 0;
		     i < 50 && !__atomic_load_n(&k->done, __ATOMIC_ACQUIRE);
		     i++)
			tl_sleep_ms(1);
		if (__atomic_load_n(&k->done, __ATOMIC_ACQUIRE) ||
		    tl_now_ns() > end)
			return NULL;
	}
	while (!got_usr1 && tl_now_ns() < end)
		tl_sleep_ms(1);
	k->handled = got_usr1 != 0;
	if (write(k->fd, "s", 1) != 1)
		k->handled = -1;
	return NULL;
}

static void kicker_init(struct kicker *k, int fd)
{
	memset(k, 0, sizeof(*k));
	k->target = pthread_self();
	k->target_tid = tl_gettid();
	k->sig = SIGUSR1;
	k->fd = fd;
}

static void kicker_done(struct kicker *k, pthread_t t)
{
	__atomic_store_n(&k->done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
}

static void install_usr1(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, old), 0);
	got_usr1 = 0;
}

START_TEST(test_eintr)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c;
	struct timespec to = { TL_HANG_S, 0 };
	struct sigaction old;
	struct kicker k;
	pthread_t t;
	int rc;

	install_usr1(&old);
	kicker_init(&k, -1);
	/* Nothing in flight, nothing to reap: the handler ends the wait. */
	ck_assert_int_eq(pthread_create(&t, NULL, kick, &k), 0);
	rc = syslet_wait(ctx, &c, 1, 1, &to);
	kicker_done(&k, t);
	ck_assert_int_ge(got_usr1, 1);
	ck_assert_int_eq(rc, -EINTR);

	/* Same with no timeout at all. */
	got_usr1 = 0;
	kicker_init(&k, -1);
	ck_assert_int_eq(pthread_create(&t, NULL, kick, &k), 0);
	rc = syslet_wait(ctx, &c, 1, 1, NULL);
	kicker_done(&k, t);
	ck_assert_int_ge(got_usr1, 1);
	ck_assert_int_eq(rc, -EINTR);

	/* Something to take but fewer than min: the signal returns it. */
	{
		struct syslet_atom a;
		struct syslet_completion cc[4];
		long r;

		syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
		got_usr1 = 0;
		kicker_init(&k, -1);
		ck_assert_int_eq(pthread_create(&t, NULL, kick, &k), 0);
		rc = syslet_wait(ctx, cc, 4, 2, &to);
		kicker_done(&k, t);
		ck_assert_int_ge(got_usr1, 1);
		ck_assert_int_eq(rc, 1);
		ck_assert_ptr_eq(cc[0].head, &a);
	}
	ck_assert_int_eq(sigaction(SIGUSR1, &old, NULL), 0);
	tl_destroy(ctx);
}
END_TEST

/*
 * SYSLET_SUBMIT_WAIT lets the handler run and goes on waiting: the chain's
 * byte is only written after the handler ran, so an early return shows.
 */
START_TEST(test_submit_wait_survives_signal)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct sigaction old;
	struct kicker k;
	struct syslet_atom rd;
	long ret = TL_UNSET;
	char b = 0;
	pthread_t t;
	int p[2];

	tl_pipe(p);
	install_usr1(&old);
	kicker_init(&k, p[1]);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(pthread_create(&t, NULL, kick, &k), 0);
	ck_assert_int_eq(
		syslet_submit(ctx, &rd,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	pthread_join(t, NULL);
	ck_assert_int_eq(k.handled, 1);
	ck_assert_int_eq(got_usr1, 1);
	ck_assert_int_eq(ret, 1);
	ck_assert_int_eq(b, 's');
	tl_assert_ring_empty(ctx);
	ck_assert_int_eq(sigaction(SIGUSR1, &old, NULL), 0);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_invalid)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[2];
	struct syslet_atom a;
	long r = TL_UNSET;
	struct timespec bad[] = {
		{ -1, 0 },	    { 0, -1 },	{ 0, 1000000000L },
		{ 0, 2000000000L }, { -5, -5 }, { 1, 1000000000L },
	};
	size_t i;

	/* Keep a completion in the ring: invalid calls must not take it. */
	syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);

	ck_assert_int_eq(syslet_wait(NULL, c, 2, 1, NULL), -EINVAL);
	ck_assert_int_eq(syslet_wait(ctx, NULL, 2, 1, NULL), -EINVAL);
	ck_assert_int_eq(syslet_wait(ctx, c, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(syslet_wait(ctx, c, 2, 3, NULL), -EINVAL);
	ck_assert_int_eq(syslet_wait(ctx, c, 1, UINT32_MAX, NULL), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(syslet_wait(ctx, c, 2, 1, &bad[i]) == -EINVAL,
			      "timespec %zu accepted", i);
	/* Also with min_complete 0. */
	ck_assert_int_eq(syslet_wait(ctx, c, 2, 0, &bad[1]), -EINVAL);

	ck_assert_int_eq(syslet_reap(NULL, c, 2), -EINVAL);
	ck_assert_int_eq(syslet_reap(ctx, NULL, 2), -EINVAL);
	ck_assert_int_eq(syslet_reap(ctx, c, 0), -EINVAL);

	/* The completion is still there. */
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert_ptr_eq(c[0].head, &a);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_min_zero_is_reap)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[4];
	struct syslet_atom a[3], rd;
	long r[3], rr = TL_UNSET;
	struct timespec to = { TL_HANG_S, 0 };
	char b;
	int p[2], i;

	tl_pipe(p);
	/* Nothing there: 0 at once, even without a timeout. */
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 0, NULL), 0);
	/* Something in flight, still nothing there: 0 at once. */
	syslet_atom_init(&rd, SYS_read, &rr, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 0, NULL), 0);
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 0, &to), 0);

	for (i = 0; i < 3; i++) {
		syslet_atom_init(&a[i], SYS_getpid, &r[i], 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a[i], SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
	}
	ck_assert_int_eq(syslet_wait(ctx, c, 2, 0, NULL), 2);
	ck_assert_ptr_eq(c[0].head, &a[0]);
	ck_assert_ptr_eq(c[1].head, &a[1]);
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 0, NULL), 1);
	ck_assert_ptr_eq(c[0].head, &a[2]);
	ck_assert_int_eq(syslet_wait(ctx, c, 4, 0, NULL), 0);

	tl_write1(p[1], 'm');
	tl_wait1(ctx, c);
	ck_assert_ptr_eq(c[0].head, &rd);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* Several threads waiting on one context: each completion goes once. */
struct waiter {
	struct syslet_ctx *ctx;
	int want;
	int got;
	int err;
	struct syslet_completion c[NCHAINS];
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	struct timespec to = { TL_HANG_S, 0 };

	while (w->got < w->want) {
		int rc = syslet_wait(w->ctx, w->c + w->got, 1, 1, &to);

		if (rc == -EINTR)
			continue;
		if (rc != 1) {
			w->err = rc;
			break;
		}
		w->got++;
	}
	return NULL;
}

START_TEST(test_concurrent_waiters)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct waiter w[4];
	struct syslet_completion all[NCHAINS];
	pthread_t t[4];
	int i, j, n = 0;

	for (i = 0; i < 4; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].ctx = ctx;
		w[i].want = NCHAINS / 4;
		ck_assert_int_eq(
			pthread_create(&t[i], NULL, wait_thread, &w[i]), 0);
	}
	submit_reads(ctx, NCHAINS);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].err, 0);
		ck_assert_int_eq(w[i].got, NCHAINS / 4);
		for (j = 0; j < w[i].got; j++)
			all[n++] = w[i].c[j];
	}
	check_jobs(all, NCHAINS);
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

static Suite *wait_suite(void)
{
	Suite *s = suite_create("wait");
	TCase *tc = tcase_create("wait");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_wait_all);
	tcase_add_test(tc, test_wait_at_most_nr);
	tcase_add_test(tc, test_timeout_nothing_in_flight);
	tcase_add_test(tc, test_timeout_fewer_than_min);
	tcase_add_test(tc, test_eintr);
	tcase_add_test(tc, test_submit_wait_survives_signal);
	tcase_add_test(tc, test_invalid);
	tcase_add_test(tc, test_min_zero_is_reap);
	tcase_add_test(tc, test_concurrent_waiters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(wait_suite());
}
