// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Context parameters and life cycle: syslet_params_init(),
 * syslet_ctx_create(), syslet_ctx_destroy(), and the promise that no API
 * call changes errno.
 */
#define _GNU_SOURCE
#include "testlib.h"

START_TEST(test_params_defaults)
{
	struct syslet_params p;
	unsigned int i;

	/* Garbage first: init must set every field. */
	memset(&p, 0xa5, sizeof(p));
	ck_assert_int_eq(syslet_params_init(&p), 0);
	ck_assert_uint_eq(p.min_helpers, 0);
	ck_assert_uint_eq(p.max_helpers, 64);
	ck_assert_uint_eq(p.queue_depth, 256);
	ck_assert_uint_eq(p.idle_timeout_ms, 2000);
	ck_assert_uint_eq(p.flags, 0);
	ck_assert_int_eq(p.cancel_signal, 0);
	ck_assert_uint_eq(p.spin_us, 50);
	for (i = 0; i < sizeof(p.reserved) / sizeof(p.reserved[0]); i++)
		ck_assert_uint_eq(p.reserved[i], 0);

	ck_assert_int_eq(syslet_params_init(NULL), -EINVAL);
}
END_TEST

START_TEST(test_create_null_params)
{
	struct syslet_ctx *ctx = NULL;
	long ret = TL_UNSET;
	struct syslet_atom a;

	ck_assert_int_eq(syslet_ctx_create(NULL, &ctx), 0);
	ck_assert_ptr_nonnull(ctx);
	/* It works: an inline call and a forced-async one. */
	syslet_atom_init(&a, SYS_getppid, &ret, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, getppid());
	ret = TL_UNSET;
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(ret, getppid());
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_create_valid_edges)
{
	static const struct {
		uint32_t min, max, depth, idle, flags, spin;
		int32_t sig;
	} ok[] = {
		{ 0, 1, 1, 1, 0, 0, 0 },
		{ 1, 1, 1, 1, 0, 0, 0 },
		{ 0, 4096, 65536, 1, 0, 50, 0 },
		{ 4096, 4096, 16, 100000, SYSLET_CTX_NO_PIN, 0, 0 },
		{ 0, 8, 8, 1, SYSLET_CTX_FLAGS_ALL, 100, SIGUSR2 },
		{ 0, 8, 8, 1, 0, 50, 1 },
		{ 0, 8, 8, 1, 0, 50, 31 },
	};
	struct syslet_params p;
	struct syslet_ctx *ctx;
	size_t i;
	int sigs[3], k;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		syslet_params_init(&p);
		p.min_helpers = ok[i].min;
		p.max_helpers = ok[i].max;
		p.queue_depth = ok[i].depth;
		p.idle_timeout_ms = ok[i].idle;
		p.flags = ok[i].flags;
		p.spin_us = ok[i].spin;
		p.cancel_signal = ok[i].sig;
		ctx = NULL;
		ck_assert_msg(syslet_ctx_create(&p, &ctx) == 0, "case %zu", i);
		ck_assert_ptr_nonnull(ctx);
		tl_destroy(ctx);
	}
	/* The real-time range, read at run time as the header says. */
	sigs[0] = SIGRTMIN;
	sigs[1] = SIGRTMAX;
	sigs[2] = SIGRTMAX - 2;
	for (k = 0; k < 3; k++) {
		if (!tl_signal_usable(sigs[k]))
			continue; /* e.g. valgrind's own */
		syslet_params_init(&p);
		p.cancel_signal = sigs[k];
		ctx = NULL;
		ck_assert_msg(syslet_ctx_create(&p, &ctx) == 0, "signal %d",
			      sigs[k]);
		tl_destroy(ctx);
	}
}
END_TEST

enum bad_field { B_MIN, B_MAX, B_DEPTH, B_IDLE, B_FLAGS, B_SIG, B_RESERVED };

START_TEST(test_create_invalid)
{
	static const struct {
		const char *what;
		enum bad_field f;
		int64_t v;
	} bad[] = {
		{ "max_helpers 0", B_MAX, 0 },
		{ "max_helpers 4097", B_MAX, 4097 },
		{ "max_helpers UINT32_MAX", B_MAX, UINT32_MAX },
		{ "min_helpers 65 > max 64", B_MIN, 65 },
		{ "min_helpers 4097", B_MIN, 4097 },
		{ "queue_depth 0", B_DEPTH, 0 },
		{ "queue_depth 65537", B_DEPTH, 65537 },
		{ "queue_depth UINT32_MAX", B_DEPTH, UINT32_MAX },
		{ "idle_timeout_ms 0", B_IDLE, 0 },
		{ "flags 0x4", B_FLAGS, 0x4 },
		{ "flags 0x80000000", B_FLAGS, 0x80000000u },
		{ "flags ~ALL", B_FLAGS, ~SYSLET_CTX_FLAGS_ALL },
		{ "cancel_signal SIGKILL", B_SIG, SIGKILL },
		{ "cancel_signal SIGSTOP", B_SIG, SIGSTOP },
		{ "cancel_signal 32", B_SIG, 32 },
		{ "cancel_signal 33", B_SIG, 33 },
		{ "cancel_signal -1", B_SIG, -1 },
		{ "cancel_signal INT32_MIN", B_SIG, INT32_MIN },
		{ "cancel_signal 65", B_SIG, 65 },
		{ "cancel_signal 66", B_SIG, 66 },
		{ "cancel_signal 1000", B_SIG, 1000 },
		{ "cancel_signal INT32_MAX", B_SIG, INT32_MAX },
	};
	struct syslet_params p;
	struct syslet_ctx *ctx;
	size_t i, r;
	int fds = tl_count_fds();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		syslet_params_init(&p);
		switch (bad[i].f) {
		case B_MIN:
			p.min_helpers = (uint32_t)bad[i].v;
			break;
		case B_MAX:
			p.max_helpers = (uint32_t)bad[i].v;
			break;
		case B_DEPTH:
			p.queue_depth = (uint32_t)bad[i].v;
			break;
		case B_IDLE:
			p.idle_timeout_ms = (uint32_t)bad[i].v;
			break;
		case B_FLAGS:
			p.flags = (uint32_t)bad[i].v;
			break;
		case B_SIG:
			p.cancel_signal = (int32_t)bad[i].v;
			break;
		default:
			break;
		}
		ctx = (struct syslet_ctx *)&p; /* must stay untouched */
		ck_assert_msg(syslet_ctx_create(&p, &ctx) == -EINVAL, "%s",
			      bad[i].what);
		ck_assert_msg(ctx == (struct syslet_ctx *)&p,
			      "%s: *ctxp written on failure", bad[i].what);
	}
	/* Each reserved word on its own. */
	for (r = 0; r < sizeof(p.reserved) / sizeof(p.reserved[0]); r++) {
		syslet_params_init(&p);
		p.reserved[r] = 1;
		ck_assert_msg(syslet_ctx_create(&p, &ctx) == -EINVAL,
			      "reserved[%zu] = 1", r);
		syslet_params_init(&p);
		p.reserved[r] = 0x80000000u;
		ck_assert_msg(syslet_ctx_create(&p, &ctx) == -EINVAL,
			      "reserved[%zu] = 0x80000000", r);
	}
	/* min > max with a small max. */
	syslet_params_init(&p);
	p.max_helpers = 2;
	p.min_helpers = 3;
	ck_assert_int_eq(syslet_ctx_create(&p, &ctx), -EINVAL);

	/* NULL ctxp, with and without params. */
	syslet_params_init(&p);
	ck_assert_int_eq(syslet_ctx_create(&p, NULL), -EINVAL);
	ck_assert_int_eq(syslet_ctx_create(NULL, NULL), -EINVAL);

	/* Nothing leaked: no eventfd left behind by the failures. */
	ck_assert_int_eq(tl_count_fds(), fds);
}
END_TEST

START_TEST(test_destroy_null)
{
	ck_assert_int_eq(syslet_ctx_destroy(NULL), -EINVAL);
}
END_TEST

static void handler_noop(int sig)
{
	(void)sig;
}

START_TEST(test_create_destroy_many)
{
	struct sigaction before, after;
	int fds = tl_count_fds();
	int i, sig = SIGRTMAX - 2;

	ck_assert_int_eq(sigaction(sig, NULL, &before), 0);
	for (i = 0; i < 200; i++) {
		struct syslet_ctx *ctx = NULL;
		struct syslet_atom a;
		long ret = TL_UNSET;

		ck_assert_int_eq(syslet_ctx_create(NULL, &ctx), 0);
		ck_assert_int_ge(syslet_eventfd(ctx), 0);
		if (i % 10 == 0) {
			/* Some with a helper started (and joined by destroy).
			 */
			syslet_atom_init(&a, SYS_getpid, &ret, 0, 0, 0, 0, 0, 0,
					 0);
			ck_assert_int_eq(
				syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC),
				SYSLET_QUEUED);
			if (i % 20 == 0) {
				struct syslet_completion c;

				tl_wait1(ctx, &c);
				ck_assert_ptr_eq(c.head, &a);
				ck_assert_int_eq(c.result, getpid());
			}
			/* Otherwise destroy waits for it or cancels it. */
		}
		tl_destroy(ctx);
		if (i % 10 == 0)
			ck_assert(ret == getpid() || ret == -ECANCELED);
	}
	/* No descriptor or thread left behind, the signal handler restored. */
	ck_assert_int_eq(tl_count_fds(), fds);
	ck_assert_int_eq(sigaction(sig, NULL, &after), 0);
	ck_assert_ptr_eq((void *)after.sa_handler, (void *)before.sa_handler);

	/* Several at once, destroyed in another order. */
	{
		struct syslet_ctx *c[16];
		int efd[16], j;

		for (j = 0; j < 16; j++) {
			ck_assert_int_eq(syslet_ctx_create(NULL, &c[j]), 0);
			efd[j] = syslet_eventfd(c[j]);
			ck_assert_int_ge(efd[j], 0);
		}
		for (j = 0; j < 16; j++)
			for (i = j + 1; i < 16; i++)
				ck_assert_int_ne(efd[i], efd[j]);
		for (j = 0; j < 16; j += 2)
			tl_destroy(c[j]);
		for (j = 15; j > 0; j -= 2)
			tl_destroy(c[j]);
	}
	ck_assert_int_eq(tl_count_fds(), fds);

	/* A program handler of the signal is put back as it was. */
	{
		struct sigaction sa, old, cur;
		struct syslet_ctx *ctx;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = handler_noop;
		ck_assert_int_eq(sigaction(sig, &sa, &old), 0);
		ck_assert_int_eq(syslet_ctx_create(NULL, &ctx), 0);
		ck_assert_int_eq(sigaction(sig, NULL, &cur), 0);
		ck_assert_ptr_ne((void *)cur.sa_handler, (void *)handler_noop);
		tl_destroy(ctx);
		ck_assert_int_eq(sigaction(sig, NULL, &cur), 0);
		ck_assert_ptr_eq((void *)cur.sa_handler, (void *)handler_noop);
		ck_assert_int_eq(sigaction(sig, &old, NULL), 0);
	}
}
END_TEST

/*
 * Every API call, successful or not, leaves errno alone (the header: "They
 * never change errno").  Each call runs with errno set to a sentinel.
 */
#define KEEPS_ERRNO(call)                                                      \
	({                                                                     \
		__typeof__(call) r_;                                           \
		errno = TL_ERRNO_SENTINEL;                                     \
		r_ = (call);                                                   \
		ck_assert_msg(errno == TL_ERRNO_SENTINEL,                      \
			      "%s changed errno to %d", #call, errno);         \
		r_;                                                            \
	})

START_TEST(test_errno_unchanged)
{
	struct syslet_params p;
	struct syslet_ctx *ctx, *bad_ctx = NULL;
	struct syslet_atom a, rd, badfd;
	struct syslet_completion c[4];
	struct timespec zero = { 0, 0 }, bad_ts = { 0, -1 };
	long ret = TL_UNSET, rret = TL_UNSET, bret = TL_UNSET;
	char buf[8];
	int p0[2];

	tl_pipe(p0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_params_init(&p)), 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_params_init(NULL)), -EINVAL);
	p.max_helpers = 0;
	ck_assert_int_eq(KEEPS_ERRNO(syslet_ctx_create(&p, &bad_ctx)), -EINVAL);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_ctx_create(NULL, NULL)), -EINVAL);
	p.max_helpers = 2;
	ck_assert_int_eq(KEEPS_ERRNO(syslet_ctx_create(&p, &ctx)), 0);
	ck_assert_int_ge(KEEPS_ERRNO(syslet_eventfd(ctx)), 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_eventfd(NULL)), -EINVAL);

	/* A call that fails inside the chain: its error is the result. */
	syslet_atom_init(&badfd, SYS_read, &bret, 0, -1, (long)buf, 1, 0, 0, 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &badfd, 0)),
			 SYSLET_DONE);
	ck_assert_int_eq(bret, -EBADF);
	bret = TL_UNSET;
	ck_assert_int_eq(
		KEEPS_ERRNO(syslet_submit(
			ctx, &badfd, SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT)),
		SYSLET_DONE);
	ck_assert_int_eq(bret, -EBADF);

	/* Inline, forced async (a helper is started), CQE_ALWAYS. */
	syslet_atom_init(&a, SYS_getpid, &ret, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &a, 0)), SYSLET_DONE);
	ck_assert_int_eq(
		KEEPS_ERRNO(syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC)),
		SYSLET_QUEUED);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_wait(ctx, c, 4, 1, NULL)), 1);
	ck_assert_int_eq(
		KEEPS_ERRNO(syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS)),
		SYSLET_DONE);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_reap(ctx, c, 4)), 1);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_reap(ctx, c, 4)), 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_reap(NULL, c, 4)), -EINVAL);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_reap(ctx, c, 0)), -EINVAL);

	/* Invalid submissions. */
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(NULL, &a, 0)), -EINVAL);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &a, 0x100)), -EINVAL);
	a.nr = 400;
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &a, 0)), -EINVAL);
	a.nr = SYS_getpid;

	/* Waits that time out, or are bad. */
	ck_assert_int_eq(KEEPS_ERRNO(syslet_wait(ctx, c, 4, 1, &zero)), -ETIME);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_wait(ctx, c, 4, 1, &bad_ts)),
			 -EINVAL);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_wait(ctx, c, 4, 0, NULL)), 0);

	/* In flight: EBUSY, cancel, and the cancelled completion. */
	syslet_atom_init(&rd, SYS_read, &rret, 0, p0[0], (long)buf, 1, 0, 0, 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &rd, 0)),
			 SYSLET_QUEUED);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_submit(ctx, &rd, 0)), -EBUSY);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_cancel(ctx, &rd)), 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_wait(ctx, c, 4, 1, NULL)), 1);
	ck_assert_int_eq(c[0].result, -ECANCELED);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_cancel(ctx, &rd)), -ENOENT);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_cancel(NULL, &rd)), -EINVAL);

	/* The table. */
	ck_assert_int_eq(KEEPS_ERRNO(syslet_syscall_class(SYS_read)),
			 SYSLET_CLASS_ANY);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_syscall_class(-1)), -EINVAL);
	ck_assert_ptr_nonnull(KEEPS_ERRNO(syslet_syscall_name(SYS_read)));
	ck_assert_ptr_null(KEEPS_ERRNO(syslet_syscall_name(-1)));
	ck_assert_int_eq(KEEPS_ERRNO(syslet_syscall_lookup("read")), SYS_read);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_syscall_lookup("nope")), -ENOENT);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_syscall_lookup(NULL)), -EINVAL);
	ck_assert_int_gt(KEEPS_ERRNO(syslet_syscall_max()), 0);

	ck_assert_int_eq(KEEPS_ERRNO(syslet_ctx_destroy(ctx)), 0);
	ck_assert_int_eq(KEEPS_ERRNO(syslet_ctx_destroy(NULL)), -EINVAL);
	tl_close_pipe(p0);
}
END_TEST

/* Destroy with a helper blocked: the chain is cancelled and waited for. */
START_TEST(test_destroy_cancels)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom rd;
	long ret = TL_UNSET;
	char c;
	int p[2];

	tl_pipe(p);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&c, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);
	tl_destroy(ctx);
	/* "their results are written to their ret_ptrs" */
	ck_assert_int_eq(ret, -ECANCELED);
	/* The read did not consume what comes later. */
	tl_write1(p[1], 'x');
	ck_assert_int_eq(tl_avail(p[0]), 1);
	tl_close_pipe(p);
}
END_TEST

/*
 * No helper before a chain needs one (whatever min_helpers says); idle ones
 * above min_helpers go after idle_timeout_ms, min_helpers of them stay.
 */
static void wait_helpers(int want)
{
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;
	int n;

	while ((n = tl_helpers(NULL, 0)) != want) {
		ck_assert_msg(tl_now_ns() < end, "%d helpers, waited for %d", n,
			      want);
		tl_sleep_ms(2);
	}
}

START_TEST(test_helper_lifetime)
{
	struct syslet_params p;
	struct syslet_ctx *ctx;
	struct syslet_atom rd[3];
	struct syslet_completion c[3];
	long ret[3];
	char b[3];
	int pp[2], i, min;

	tl_pipe(pp);
	ck_assert_int_eq(tl_helpers(NULL, 0), 0);
	for (min = 0; min <= 2; min += 2) {
		syslet_params_init(&p);
		p.min_helpers = (uint32_t)min;
		p.idle_timeout_ms = 1;
		p.spin_us = 0;
		ck_assert_int_eq(syslet_ctx_create(&p, &ctx), 0);
		/* Created, nothing submitted: no thread. */
		tl_sleep_ms(20);
		ck_assert_int_eq(tl_helpers(NULL, 0), 0);
		/* Three blocked chains: three helpers. */
		for (i = 0; i < 3; i++) {
			ret[i] = TL_UNSET;
			syslet_atom_init(&rd[i], SYS_read, &ret[i], 0, pp[0],
					 (long)&b[i], 1, 0, 0, 0);
			ck_assert_int_eq(syslet_submit(ctx, &rd[i], 0),
					 SYSLET_QUEUED);
		}
		wait_helpers(3);
		ck_assert_int_eq(write(pp[1], "abc", 3), 3);
		tl_wait_n(ctx, c, 3);
		for (i = 0; i < 3; i++)
			ck_assert_int_eq(ret[i], 1);
		/* Idle for longer than 1 ms: down to min_helpers. */
		wait_helpers(min);
		/* (and they stay: a correct library passes whatever the pause)
		 */
		tl_sleep_ms(50);
		ck_assert_int_eq(tl_helpers(NULL, 0), min);
		tl_destroy(ctx);
		/*
		 * Destroy joined them all, but a joined thread can stay in
		 * /proc/self/task for a moment (the kernel clears the TID
		 * before it removes the task): wait, up to the hang limit,
		 * so that only a helper that really outlives its context
		 * fails.
		 */
		wait_helpers(0);
	}
	tl_close_pipe(pp);
}
END_TEST

static Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("params");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_params_defaults);
	tcase_add_test(tc, test_create_null_params);
	tcase_add_test(tc, test_create_valid_edges);
	tcase_add_test(tc, test_create_invalid);
	tcase_add_test(tc, test_destroy_null);
	tcase_add_test(tc, test_create_destroy_many);
	tcase_add_test(tc, test_errno_unchanged);
	tcase_add_test(tc, test_destroy_cancels);
	tcase_add_test(tc, test_helper_lifetime);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(params_suite());
}
