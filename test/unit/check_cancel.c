// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet_cancel(): a helper blocked in a call, a chain still queued, the
 * race with completion, the errors, SYSLET_SUBMIT_WAIT, and the program's
 * own use of the cancel signal.
 */
#define _GNU_SOURCE
#include "testlib.h"

START_TEST(test_cancel_blocked_read)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom rd;
	struct syslet_completion c;
	long ret = TL_UNSET;
	char b = 0, got = 0;
	int p[2];

	tl_pipe(p);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0, 0, 0);
	rd.user_data = &b;
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	/* The helper is really inside read(2) on our pipe. */
	tl_wait_blocked(SYS_read, p[0]);
	ck_assert_int_eq(syslet_cancel(ctx, &rd), 0);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &rd);
	ck_assert_ptr_eq(c.last, &rd);
	ck_assert_int_eq(c.result, -ECANCELED);
	ck_assert_ptr_eq(c.user_data, &b);
	ck_assert_int_eq(ret, -ECANCELED);
	ck_assert_int_eq(b, 0);
	/* Nothing was consumed: the next byte is there for us. */
	tl_write1(p[1], 'n');
	ck_assert_int_eq(tl_avail(p[0]), 1);
	ck_assert_int_eq(read(p[0], &got, 1), 1);
	ck_assert_int_eq(got, 'n');
	ck_assert_int_eq(b, 0);
	/* Already completed: -ENOENT. */
	ck_assert_int_eq(syslet_cancel(ctx, &rd), -ENOENT);

	/* The helper is fine afterwards: the next call is not disturbed. */
	ret = TL_UNSET;
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);
	tl_write1(p[1], 'o');
	tl_wait1(ctx, &c);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(b, 'o');
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* Blocked in something other than a pipe read: a sleep. */
START_TEST(test_cancel_blocked_sleep)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct timespec ts = { 3600, 0 };
	struct syslet_atom a;
	struct syslet_completion c;
	long ret = TL_UNSET;

	syslet_atom_init(&a, SYS_nanosleep, &ret, 0, (long)&ts, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_nanosleep, (long)&ts);
	ck_assert_int_eq(syslet_cancel(ctx, &a), 0);
	tl_wait1(ctx, &c);
	ck_assert_int_eq(c.result, -ECANCELED);
	ck_assert_int_eq(ret, -ECANCELED);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_cancel_queued)
{
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct syslet_atom first, second;
	struct syslet_completion c;
	long r1 = TL_UNSET, r2 = TL_UNSET;
	char b = 0;
	int p[2], q[2];

	tl_pipe(p);
	tl_pipe(q);
	/* The only helper blocks on p ... */
	syslet_atom_init(&first, SYS_read, &r1, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &first, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);
	/* ... so this write to q waits in the queue. */
	syslet_atom_init(&second, SYS_write, &r2, SYSLET_ASYNC, q[1], (long)"w",
			 1, 0, 0, 0);
	second.user_data = &r2;
	ck_assert_int_eq(syslet_submit(ctx, &second, 0), SYSLET_QUEUED);
	ck_assert_int_eq(syslet_cancel(ctx, &second), 0);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &second);
	ck_assert_ptr_eq(c.last, &second);
	ck_assert_int_eq(c.result, -ECANCELED);
	ck_assert_ptr_eq(c.user_data, &r2);
	ck_assert_int_eq(r2, -ECANCELED);
	ck_assert_int_eq(tl_avail(q[0]), 0);
	ck_assert_int_eq(syslet_cancel(ctx, &second), -ENOENT);

	/* The first completes normally; the helper does not run the second. */
	tl_write1(p[1], 'f');
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &first);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(b, 'f');
	/* One more round trip on the helper, then look again. */
	{
		struct syslet_atom g;
		long rg = TL_UNSET;

		syslet_atom_init(&g, SYS_getppid, &rg, 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &g,
				      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
			SYSLET_DONE);
		ck_assert_int_eq(rg, getppid());
	}
	ck_assert_int_eq(tl_avail(q[0]), 0);
	ck_assert_int_eq(r2, -ECANCELED);
	tl_assert_ring_empty(ctx);
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_destroy(ctx);
}
END_TEST

/* Queued behind a busy helper: variants. */
struct bg_submit {
	struct syslet_ctx *ctx;
	struct syslet_atom *head;
	unsigned int flags;
	int rc;
};

static void *bg_submit(void *arg)
{
	struct bg_submit *b = arg;

	b->rc = syslet_submit(b->ctx, b->head, b->flags);
	return NULL;
}

START_TEST(test_cancel_queued_variants)
{
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct syslet_atom blk;
	struct syslet_completion c;
	long rb = TL_UNSET;
	char b = 0;
	int p[2], q[2];

	tl_pipe(p);
	tl_pipe(q);
	syslet_atom_init(&blk, SYS_read, &rb, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &blk, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);

	/* A chain whose first atom ran here: the next one gets -ECANCELED. */
	{
		struct syslet_atom m[2];
		long r[2] = { TL_UNSET, TL_UNSET };

		syslet_atom_init(&m[0], SYS_getpid, &r[0], 0, 0, 0, 0, 0, 0, 0);
		syslet_atom_init(&m[1], SYS_write, &r[1], SYSLET_ASYNC, q[1],
				 (long)"m", 1, 0, 0, 0);
		m[0].next = &m[1];
		ck_assert_int_eq(syslet_submit(ctx, &m[0], 0), SYSLET_QUEUED);
		ck_assert_int_eq(r[0], getpid());
		ck_assert_int_eq(syslet_cancel(ctx, &m[0]), 0);
		tl_wait1(ctx, &c);
		ck_assert_ptr_eq(c.head, &m[0]);
		ck_assert_ptr_eq(c.last, &m[1]);
		ck_assert_int_eq(c.result, -ECANCELED);
		ck_assert_int_eq(r[1], -ECANCELED);
		ck_assert_int_eq(tl_avail(q[0]), 0);
	}

	/* A write that did part of its work before it was queued: the part. */
	{
		size_t len = 512 * 1024;
		char *src = malloc(len), *buf;
		struct syslet_atom wr;
		long r = TL_UNSET;

		ck_assert_ptr_nonnull(src);
		tl_fill(src, len, 0, 8);
		syslet_atom_init(&wr, SYS_write, &r, 0, q[1], (long)src,
				 (long)len, 0, 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &wr, 0), SYSLET_QUEUED);
		ck_assert_int_eq(syslet_cancel(ctx, &wr), 0);
		tl_wait1(ctx, &c);
		ck_assert_ptr_eq(c.last, &wr);
		ck_assert_int_eq(c.result, r);
		ck_assert_int_gt(r, 0);
		ck_assert_int_lt(r, (long)len);
		ck_assert_int_eq(tl_avail(q[0]), r);
		buf = malloc((size_t)r);
		ck_assert_ptr_nonnull(buf);
		ck_assert_int_eq(read(q[0], buf, (size_t)r), r);
		ck_assert_int_eq(tl_check_pat(buf, (size_t)r, 0, 8), -1);
		free(buf);
		free(src);
	}

	/* Queued with SUBMIT_WAIT in another thread: the waiter returns. */
	{
		struct syslet_atom w;
		struct bg_submit bs;
		long r = TL_UNSET;
		pthread_t t;
		int rc;
		int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;

		syslet_atom_init(&w, SYS_write, &r, 0, q[1], (long)"w", 1, 0, 0,
				 0);
		bs.ctx = ctx;
		bs.head = &w;
		bs.flags = SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT;
		bs.rc = 12345;
		ck_assert_int_eq(pthread_create(&t, NULL, bg_submit, &bs), 0);
		while ((rc = syslet_cancel(ctx, &w)) == -ENOENT) {
			ck_assert(tl_now_ns() < end);
			tl_sleep_ms(1);
		}
		ck_assert_int_eq(rc, 0);
		pthread_join(t, NULL);
		ck_assert_int_eq(bs.rc, SYSLET_DONE);
		ck_assert_int_eq(r, -ECANCELED);
		ck_assert_int_eq(tl_avail(q[0]), 0);
	}

	tl_assert_ring_empty(ctx);
	tl_write1(p[1], 'p');
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &blk);
	ck_assert_int_eq(rb, 1);
	ck_assert_int_eq(tl_avail(q[0]), 0);
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_destroy(ctx);
}
END_TEST

/* A chain running on its submitter (it must stay home) cannot be cancelled. */
START_TEST(test_cancel_home_chain_enoent)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a;
	struct bg_submit bs;
	long r = TL_UNSET;
	char b = 0;
	pthread_t t;
	int p[2];

	tl_pipe(p);
	syslet_atom_init(&a, SYS_read, &r, SYSLET_SYNC, p[0], (long)&b, 1, 0, 0,
			 0);
	bs.ctx = ctx;
	bs.head = &a;
	bs.flags = 0;
	bs.rc = 12345;
	ck_assert_int_eq(pthread_create(&t, NULL, bg_submit, &bs), 0);
	tl_wait_blocked(SYS_read, p[0]);
	ck_assert_int_eq(syslet_cancel(ctx, &a), -ENOENT);
	tl_write1(p[1], 'h');
	pthread_join(t, NULL);
	ck_assert_int_eq(bs.rc, SYSLET_DONE);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(b, 'h');
	tl_assert_ring_empty(ctx);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Cancel racing completion.                                            */

#define RACE_ROUNDS 2000

/* Counts cancel signals that reach the program instead of a helper. */
static volatile sig_atomic_t stray_hits;

static void stray_handler(int sig)
{
	(void)sig;
	stray_hits++;
}

struct race {
	pthread_barrier_t go;
	struct syslet_ctx *ctx;
	struct syslet_atom rd;
	int wfd;
	int round;
	int stop;
	int cancel_rc; /* this round's syslet_cancel() result */
	int write_rc;
};

static void *race_writer(void *arg)
{
	struct race *r = arg;

	for (;;) {
		pthread_barrier_wait(&r->go);
		if (r->stop)
			return NULL;
		if (r->round & 1)
			sched_yield();
		r->write_rc = (int)write(r->wfd, "r", 1);
		pthread_barrier_wait(&r->go);
	}
}

static void *race_canceller(void *arg)
{
	struct race *r = arg;

	for (;;) {
		pthread_barrier_wait(&r->go);
		if (r->stop)
			return NULL;
		if (r->round & 2)
			sched_yield();
		r->cancel_rc = syslet_cancel(r->ctx, &r->rd);
		pthread_barrier_wait(&r->go);
	}
}

START_TEST(test_cancel_races_completion)
{
	static struct race r;
	struct syslet_completion c;
	long ret;
	char b, sink[64];
	pthread_t tw, tc;
	int p[2], i, n_cancelled = 0, n_done = 0, n_enoent = 0;
	long bytes_read = 0, bytes_left = 0;
	struct sigaction sa, old;

	/*
	 * A handler of the program's for the cancel signal, installed before
	 * the context: every cancel signal is meant for a helper, so it must
	 * never run.  (Without it, a stray one kills the test with SIG_DFL.)
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stray_handler;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGRTMAX - 2, &sa, &old), 0);
	stray_hits = 0;
	tl_pipe(p);
	memset(&r, 0, sizeof(r));
	r.ctx = tl_ctx(0, 0);
	r.wfd = p[1];
	ck_assert_int_eq(pthread_barrier_init(&r.go, NULL, 3), 0);
	ck_assert_int_eq(pthread_create(&tw, NULL, race_writer, &r), 0);
	ck_assert_int_eq(pthread_create(&tc, NULL, race_canceller, &r), 0);

	for (i = 0; i < RACE_ROUNDS; i++) {
		int avail;

		ret = TL_UNSET;
		b = 0;
		syslet_atom_init(&r.rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0,
				 0, 0);
		/* On a helper even if a byte were there. */
		ck_assert_int_eq(
			syslet_submit(r.ctx, &r.rd, SYSLET_SUBMIT_ASYNC),
			SYSLET_QUEUED);
		r.round = i;
		pthread_barrier_wait(&r.go); /* writer and canceller start */
		pthread_barrier_wait(&r.go); /* both are done */
		ck_assert_int_eq(r.write_rc, 1);
		ck_assert_msg(r.cancel_rc == 0 || r.cancel_rc == -ENOENT,
			      "round %d: cancel %d", i, r.cancel_rc);
		tl_wait1(r.ctx, &c);
		ck_assert_ptr_eq(c.head, &r.rd);
		ck_assert_ptr_eq(c.last, &r.rd);
		ck_assert_int_eq(c.result, ret);
		avail = tl_avail(p[0]);
		if (ret == -ECANCELED) {
			/* Cancelled: the byte is still in the pipe. */
			ck_assert_msg(avail == 1,
				      "round %d: cancelled, %d "
				      "bytes left",
				      i, avail);
			ck_assert_int_eq(b, 0);
			ck_assert_int_eq(r.cancel_rc, 0);
			n_cancelled++;
		} else {
			/* Completed: it took the byte, and only it. */
			ck_assert_msg(ret == 1, "round %d: result %ld", i, ret);
			ck_assert_int_eq(b, 'r');
			ck_assert_msg(avail == 0,
				      "round %d: read, %d bytes "
				      "left",
				      i, avail);
			n_done++;
			bytes_read++;
		}
		if (r.cancel_rc == -ENOENT)
			n_enoent++;
		if (avail > 0) {
			ck_assert_int_eq(read(p[0], sink, sizeof(sink)), avail);
			bytes_left += avail;
		}
	}
	r.stop = 1;
	pthread_barrier_wait(&r.go);
	pthread_join(tw, NULL);
	pthread_join(tc, NULL);
	pthread_barrier_destroy(&r.go);
	/* Every byte accounted for, exactly once. */
	ck_assert_int_eq(bytes_read + bytes_left, RACE_ROUNDS);
	ck_assert_int_eq(n_cancelled + n_done, RACE_ROUNDS);
	ck_assert_int_eq(n_cancelled, bytes_left);
	(void)n_enoent;
	tl_assert_ring_empty(r.ctx);
	tl_destroy(r.ctx);
	tl_close_pipe(p);
	ck_assert_int_eq(sigaction(SIGRTMAX - 2, &old, NULL), 0);
	ck_assert_msg(stray_hits == 0,
		      "the cancel signal reached the program's handler %d "
		      "times: it hit a helper not yet marked as one",
		      (int)stray_hits);
}
END_TEST

START_TEST(test_cancel_errors)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a, never;
	struct syslet_completion c;
	long r = TL_UNSET;

	syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&never, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_cancel(NULL, &a), -EINVAL);
	ck_assert_int_eq(syslet_cancel(ctx, NULL), -EINVAL);
	ck_assert_int_eq(syslet_cancel(NULL, NULL), -EINVAL);
	/* Never submitted. */
	ck_assert_int_eq(syslet_cancel(ctx, &never), -ENOENT);
	/* Completed on the submitter. */
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(syslet_cancel(ctx, &a), -ENOENT);
	/* Completed on the submitter, completion still in the ring. */
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	ck_assert_int_eq(syslet_cancel(ctx, &a), -ENOENT);
	ck_assert_int_eq(syslet_reap(ctx, &c, 1), 1);
	ck_assert_int_eq(c.result, getpid());
	/* Completed on a helper, not yet reaped, then reaped. */
	r = TL_UNSET;
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(syslet_cancel(ctx, &a), -ENOENT);
	ck_assert_int_eq(r, getpid());
	{
		/* One helper: b runs after a has been posted. */
		struct syslet_ctx *one = tl_ctx(1, 0);
		struct syslet_atom b;
		long rb = TL_UNSET;

		r = TL_UNSET;
		syslet_atom_init(&b, SYS_getppid, &rb, 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(syslet_submit(one, &a, SYSLET_SUBMIT_ASYNC),
				 SYSLET_QUEUED);
		ck_assert_int_eq(
			syslet_submit(one, &b,
				      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
			SYSLET_DONE);
		ck_assert_int_eq(syslet_cancel(one, &a), -ENOENT);
		ck_assert_int_eq(syslet_reap(one, &c, 1), 1);
		ck_assert_ptr_eq(c.head, &a);
		ck_assert_int_eq(c.result, getpid());
		ck_assert_int_eq(syslet_cancel(one, &a), -ENOENT);
		/* In flight on another context: not ours. */
		{
			struct syslet_atom rd;
			long rr = TL_UNSET;
			char x;
			int p[2];

			tl_pipe(p);
			syslet_atom_init(&rd, SYS_read, &rr, 0, p[0], (long)&x,
					 1, 0, 0, 0);
			ck_assert_int_eq(syslet_submit(one, &rd, 0),
					 SYSLET_QUEUED);
			ck_assert_int_eq(syslet_cancel(ctx, &rd), -ENOENT);
			tl_write1(p[1], 'x');
			tl_wait1(one, &c);
			ck_assert_int_eq(c.result, 1);
			ck_assert_int_eq(rr, 1);
			tl_close_pipe(p);
		}
		tl_destroy(one);
	}
	tl_destroy(ctx);
}
END_TEST

struct waitsub {
	struct syslet_ctx *ctx;
	struct syslet_atom *head;
	int rc;
};

static void *submit_and_wait(void *arg)
{
	struct waitsub *w = arg;

	w->rc = syslet_submit(w->ctx, w->head,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT);
	return NULL;
}

START_TEST(test_cancel_submit_wait)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom rd;
	struct waitsub w;
	long ret = TL_UNSET;
	char b = 0;
	pthread_t t;
	int p[2], rc;
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;

	tl_pipe(p);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0, 0, 0);
	w.ctx = ctx;
	w.head = &rd;
	w.rc = 12345;
	ck_assert_int_eq(pthread_create(&t, NULL, submit_and_wait, &w), 0);
	/* Cancel as soon as it is in flight, from this thread. */
	while ((rc = syslet_cancel(ctx, &rd)) == -ENOENT) {
		ck_assert(tl_now_ns() < end);
		tl_sleep_ms(1);
	}
	ck_assert_int_eq(rc, 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(w.rc, SYSLET_DONE);
	ck_assert_int_eq(ret, -ECANCELED);
	tl_assert_ring_empty(ctx);
	tl_write1(p[1], 'q');
	ck_assert_int_eq(tl_avail(p[0]), 1);

	/* Again, cancelling only once the helper sits in read(2). */
	ck_assert_int_eq(read(p[0], &b, 1), 1);
	b = 0;
	ret = TL_UNSET;
	w.rc = 12345;
	ck_assert_int_eq(pthread_create(&t, NULL, submit_and_wait, &w), 0);
	tl_wait_blocked(SYS_read, p[0]);
	ck_assert_int_eq(syslet_cancel(ctx, &rd), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(w.rc, SYSLET_DONE);
	ck_assert_int_eq(ret, -ECANCELED);
	ck_assert_int_eq(b, 0);
	tl_assert_ring_empty(ctx);
	tl_write1(p[1], 'q');
	ck_assert_int_eq(tl_avail(p[0]), 1);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* No atom after the cancelled one runs, not even the stopped branch. */
START_TEST(test_cancel_stops_chain)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[3];
	struct syslet_completion c;
	long r[3] = { TL_UNSET, TL_UNSET, TL_UNSET };
	char b = 0;
	int p[2], q[2];

	tl_pipe(p);
	tl_pipe(q);
	/* read(p) STOP_ON_NEGATIVE|SKIP -> write(q, "n"); stopped: write(q,
	 * "s") */
	syslet_atom_init(&a[0], SYS_read, &r[0],
			 SYSLET_STOP_ON_NEGATIVE | SYSLET_SKIP_TO_NEXT_ON_STOP,
			 p[0], (long)&b, 1, 0, 0, 0);
	syslet_atom_init(&a[1], SYS_write, &r[1], 0, q[1], (long)"s", 1, 0, 0,
			 0);
	syslet_atom_init(&a[2], SYS_write, &r[2], 0, q[1], (long)"n", 1, 0, 0,
			 0);
	a[0].next = &a[2];
	ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);
	ck_assert_int_eq(syslet_cancel(ctx, &a[0]), 0);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.last, &a[0]);
	ck_assert_int_eq(c.result, -ECANCELED);
	ck_assert_int_eq(r[0], -ECANCELED);
	ck_assert_int_eq(r[1], TL_UNSET);
	ck_assert_int_eq(r[2], TL_UNSET);
	ck_assert_int_eq(tl_avail(q[0]), 0);

	/* Cancelled in the middle of a longer chain: the rest never runs. */
	{
		struct syslet_atom m[4];
		long mr[4] = { TL_UNSET, TL_UNSET, TL_UNSET, TL_UNSET };
		int i;

		syslet_atom_init(&m[0], SYS_getpid, &mr[0], 0, 0, 0, 0, 0, 0,
				 0);
		syslet_atom_init(&m[1], SYS_read, &mr[1], 0, p[0], (long)&b, 1,
				 0, 0, 0);
		syslet_atom_init(&m[2], SYS_write, &mr[2], 0, q[1], (long)"x",
				 1, 0, 0, 0);
		syslet_atom_init(&m[3], SYS_write, &mr[3], 0, q[1], (long)"y",
				 1, 0, 0, 0);
		for (i = 0; i < 3; i++)
			m[i].next = &m[i + 1];
		ck_assert_int_eq(syslet_submit(ctx, &m[0], 0), SYSLET_QUEUED);
		ck_assert_int_eq(mr[0], getpid());
		tl_wait_blocked(SYS_read, p[0]);
		ck_assert_int_eq(syslet_cancel(ctx, &m[0]), 0);
		tl_wait1(ctx, &c);
		ck_assert_ptr_eq(c.head, &m[0]);
		ck_assert_ptr_eq(c.last, &m[1]);
		ck_assert_int_eq(c.result, -ECANCELED);
		ck_assert_int_eq(mr[1], -ECANCELED);
		ck_assert_int_eq(mr[2], TL_UNSET);
		ck_assert_int_eq(mr[3], TL_UNSET);
		ck_assert_int_eq(tl_avail(q[0]), 0);
	}
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_destroy(ctx);
}
END_TEST

/* A partial write that is cancelled reports the part done. */
struct drain {
	int fd;
	size_t want;
	size_t got;
};

static void *drain_some(void *arg)
{
	struct drain *d = arg;
	char buf[4096];

	while (d->got < d->want) {
		size_t k = d->want - d->got < sizeof(buf) ? d->want - d->got
							  : sizeof(buf);
		ssize_t n = read(d->fd, buf, k);

		if (n <= 0)
			break;
		d->got += (size_t)n;
	}
	return NULL;
}

START_TEST(test_cancel_partial_write)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	size_t len = 1024 * 1024;
	char *src = malloc(len);
	struct syslet_atom wr;
	struct syslet_completion c;
	long ret = TL_UNSET;
	int p[2];

	ck_assert_ptr_nonnull(src);
	tl_fill(src, len, 0, 4);
	tl_pipe(p);
	syslet_atom_init(&wr, SYS_write, &ret, 0, p[1], (long)src, (long)len, 0,
			 0, 0);
	/* Fills the pipe, then a helper blocks writing the rest. */
	ck_assert_int_eq(syslet_submit(ctx, &wr, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_write, p[1]);
	ck_assert_int_eq(syslet_cancel(ctx, &wr), 0);
	tl_wait1(ctx, &c);
	/* Some was written (the pipe's worth), not all. */
	ck_assert_int_eq(c.result, ret);
	ck_assert_int_gt(ret, 0);
	ck_assert_int_lt(ret, (long)len);
	ck_assert_int_eq(tl_avail(p[0]), ret);
	{
		char *buf = malloc((size_t)ret);

		ck_assert_ptr_nonnull(buf);
		ck_assert_int_eq(read(p[0], buf, (size_t)ret), ret);
		ck_assert_int_eq(tl_check_pat(buf, (size_t)ret, 0, 4), -1);
		free(buf);
	}
	(void)drain_some;
	free(src);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The program's own handler for the cancel signal.                      */

static volatile sig_atomic_t prog_hits;
static volatile pid_t prog_hit_tid;

static void prog_handler(int sig)
{
	(void)sig;
	prog_hits++;
	prog_hit_tid = (pid_t)syscall(SYS_gettid);
}

struct raiser {
	int sig;
	pid_t tid;
};

static void *raise_it(void *arg)
{
	struct raiser *r = arg;

	r->tid = tl_gettid();
	raise(r->sig); /* to this (non-helper) thread */
	return NULL;
}

START_TEST(test_program_handler_forwarded)
{
	int sig = SIGRTMAX - 2;
	struct sigaction sa, old, cur;
	struct syslet_ctx *ctx;
	struct raiser rs = { sig, 0 };
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prog_handler;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(sig, &sa, &old), 0);
	prog_hits = 0;

	ctx = tl_ctx(0, 0); /* default cancel signal: SIGRTMAX - 2 */
	/* Start a helper and cancel something, so the signal is in use. */
	{
		struct syslet_atom rd;
		struct syslet_completion c;
		long ret = TL_UNSET;
		char b;
		int p[2];

		tl_pipe(p);
		syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
		tl_wait_blocked(SYS_read, p[0]);
		ck_assert_int_eq(syslet_cancel(ctx, &rd), 0);
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, -ECANCELED);
		tl_close_pipe(p);
	}
	/* The cancel did not reach the program's handler. */
	ck_assert_int_eq(prog_hits, 0);

	/* From another thread of the program. */
	ck_assert_int_eq(pthread_create(&t, NULL, raise_it, &rs), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(prog_hits, 1);
	ck_assert_int_eq(prog_hit_tid, rs.tid);
	/* From this thread. */
	ck_assert_int_eq(raise(sig), 0);
	ck_assert_int_eq(prog_hits, 2);
	ck_assert_int_eq(prog_hit_tid, tl_gettid());
	/* (Process-directed: see test_process_directed_signal_not_swallowed.)
	 */

	tl_destroy(ctx);
	/* Our handler is back in place. */
	ck_assert_int_eq(sigaction(sig, NULL, &cur), 0);
	ck_assert_ptr_eq((void *)cur.sa_handler, (void *)prog_handler);
	ck_assert_int_eq(sigaction(sig, &old, NULL), 0);
}
END_TEST

/*
 * The program blocks the cancel signal in its own threads (as programs that
 * take signals with sigwaitinfo() or signalfd() do) and sends it to the
 * process.  Natively it stays pending until a thread takes it or unblocks
 * it.  A helper, which leaves the signal unblocked, must not take it away.
 * (The pause lets a helper that would take it do so; a correct library
 * passes whatever the pause.)
 */
START_TEST(test_process_directed_signal_not_swallowed)
{
	int sig = SIGRTMAX - 2;
	struct syslet_params p;
	struct sigaction sa, old;
	struct syslet_ctx *ctx;
	struct syslet_atom a;
	sigset_t set, oldmask, pend;
	long r = TL_UNSET;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prog_handler;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(sig, &sa, &old), 0);
	prog_hits = 0;
	sigemptyset(&set);
	sigaddset(&set, sig);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &oldmask), 0);

	syslet_params_init(&p);
	p.idle_timeout_ms = 600000; /* the helper stays */
	ck_assert_int_eq(syslet_ctx_create(&p, &ctx), 0);
	syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(r, getpid());

	ck_assert_int_eq(kill(getpid(), sig), 0);
	tl_sleep_ms(100);
	ck_assert_int_eq(sigpending(&pend), 0);
	ck_assert_msg(sigismember(&pend, sig),
		      "a process-directed signal %d was taken by a helper",
		      sig);
	ck_assert_int_eq(prog_hits, 0);
	/* Unblocking delivers it to the program's handler. */
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &oldmask, NULL), 0);
	ck_assert_int_eq(prog_hits, 1);
	tl_destroy(ctx);
	ck_assert_int_eq(sigaction(sig, &old, NULL), 0);
}
END_TEST

/*
 * The program blocks the cancel signal, sends it to itself and has not
 * taken it yet when it cancels a chain blocked on a helper: the cancel
 * must still interrupt the call ("A helper blocked in a call is
 * interrupted").  A library that keeps the signal blocked on its helpers
 * until the program takes it leaves the call blocked; the wait below is
 * bounded so that this shows as a failure, not a hang.
 */
START_TEST(test_cancel_while_program_holds_signal)
{
	int sig = SIGRTMAX - 2;
	struct syslet_params p;
	struct syslet_ctx *ctx;
	struct syslet_atom a, rd;
	struct syslet_completion c;
	struct timespec bound = { 5, 0 }, zero = { 0, 0 };
	sigset_t set, oldmask;
	long r = TL_UNSET, rr = TL_UNSET;
	char b = 0;
	int q[2], n;

	tl_pipe(q);
	sigemptyset(&set);
	sigaddset(&set, sig);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, &oldmask), 0);
	syslet_params_init(&p);
	p.max_helpers = 1;
	p.idle_timeout_ms = 600000;
	ck_assert_int_eq(syslet_ctx_create(&p, &ctx), 0);
	syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	/* Pending for the process; only the helper leaves it unblocked. */
	ck_assert_int_eq(kill(getpid(), sig), 0);

	syslet_atom_init(&rd, SYS_read, &rr, 0, q[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, q[0]);
	ck_assert_int_eq(syslet_cancel(ctx, &rd), 0);
	do
		n = syslet_wait(ctx, &c, 1, 1, &bound);
	while (n == -EINTR);
	if (n == -ETIME) {
		/* Unblock it, so that the test can end. */
		tl_write1(q[1], 'u');
		tl_wait1(ctx, &c);
	}
	/* The program takes its signal; it must still be there. */
	ck_assert_int_eq(sigtimedwait(&set, NULL, &zero), sig);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &oldmask, NULL), 0);
	tl_destroy(ctx);
	tl_close_pipe(q);
	ck_assert_msg(n == 1,
		      "cancel did not interrupt a blocked helper while "
		      "the program held its cancel signal pending "
		      "(wait gave %d, result %ld)",
		      n, c.result);
	ck_assert_int_eq(c.result, -ECANCELED);
	ck_assert_int_eq(rr, -ECANCELED);
}
END_TEST

/* SA_SIGINFO handlers get their siginfo through the forwarding. */
static volatile sig_atomic_t info_hits;
static volatile int info_value;

static void prog_info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	info_hits++;
	info_value = si->si_value.sival_int;
}

START_TEST(test_program_siginfo_handler_forwarded)
{
	int sig = SIGRTMAX - 5;
	struct syslet_params p;
	struct sigaction sa, old;
	struct syslet_ctx *ctx;
	union sigval v;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = prog_info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(sig, &sa, &old), 0);
	info_hits = 0;

	syslet_params_init(&p);
	p.cancel_signal = sig;
	ck_assert_int_eq(syslet_ctx_create(&p, &ctx), 0);
	v.sival_int = 4242;
	ck_assert_int_eq(pthread_sigqueue(pthread_self(), sig, v), 0);
	ck_assert_int_eq(info_hits, 1);
	ck_assert_int_eq(info_value, 4242);

	/* And cancellation works with this signal. */
	{
		struct syslet_atom rd;
		struct syslet_completion c;
		long ret = TL_UNSET;
		char b;
		int q[2];

		tl_pipe(q);
		syslet_atom_init(&rd, SYS_read, &ret, 0, q[0], (long)&b, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
		tl_wait_blocked(SYS_read, q[0]);
		ck_assert_int_eq(syslet_cancel(ctx, &rd), 0);
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, -ECANCELED);
		tl_write1(q[1], 'z');
		ck_assert_int_eq(tl_avail(q[0]), 1);
		tl_close_pipe(q);
	}
	ck_assert_int_eq(info_hits, 1);
	tl_destroy(ctx);
	ck_assert_int_eq(sigaction(sig, &old, NULL), 0);
}
END_TEST

/* SIG_IGN before the context: the signal stays ignored for the program. */
START_TEST(test_program_ignored_signal)
{
	int sig = SIGRTMAX - 2;
	struct sigaction sa, old, cur;
	struct syslet_ctx *ctx;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	ck_assert_int_eq(sigaction(sig, &sa, &old), 0);
	ctx = tl_ctx(0, 0);
	ck_assert_int_eq(raise(sig), 0); /* dropped, the process lives */
	tl_destroy(ctx);
	ck_assert_int_eq(sigaction(sig, NULL, &cur), 0);
	ck_assert_ptr_eq((void *)cur.sa_handler, (void *)SIG_IGN);
	ck_assert_int_eq(sigaction(sig, &old, NULL), 0);
}
END_TEST

static Suite *cancel_suite(void)
{
	Suite *s = suite_create("cancel");
	TCase *tc = tcase_create("cancel");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cancel_blocked_read);
	tcase_add_test(tc, test_cancel_blocked_sleep);
	tcase_add_test(tc, test_cancel_queued);
	tcase_add_test(tc, test_cancel_queued_variants);
	tcase_add_test(tc, test_cancel_home_chain_enoent);
	tcase_add_test(tc, test_cancel_races_completion);
	tcase_add_test(tc, test_cancel_errors);
	tcase_add_test(tc, test_cancel_submit_wait);
	tcase_add_test(tc, test_cancel_stops_chain);
	tcase_add_test(tc, test_cancel_partial_write);
	tcase_add_test(tc, test_program_handler_forwarded);
	tcase_add_test(tc, test_program_siginfo_handler_forwarded);
	tcase_add_test(tc, test_program_ignored_signal);
	suite_add_tcase(s, tc);
	/*
	 * Which thread takes a process-directed signal is the kernel's
	 * choice; valgrind makes it itself, so 'make check-valgrind'
	 * excludes this tag (and says so).  Native and ASan runs keep it.
	 */
	tc = tcase_create("kernel-signal-delivery");
	tcase_set_tags(tc, "kernel-signals");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_process_directed_signal_not_swallowed);
	tcase_add_test(tc, test_cancel_while_program_holds_signal);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(cancel_suite());
}
