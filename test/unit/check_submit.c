// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet_submit(): inline execution, argument checking (and that a refused
 * chain ran nothing), SYSLET_SUBMIT_* flags, -EBUSY, running without a
 * free slot, and the continuation of partial reads and writes.
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <sys/uio.h>

#define FILE_SIZE (256 * 1024)

struct fixture {
	struct tl_dir dir;
	char path[PATH_MAX];
	int fd;
};

static struct fixture fx;

static void setup(void)
{
	tl_dir_make(&fx.dir);
	tl_make_file(&fx.dir, "data", FILE_SIZE, 1, fx.path, sizeof(fx.path));
	fx.fd = open(fx.path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fx.fd, 0);
}

static void teardown(void)
{
	close(fx.fd);
	tl_dir_remove(&fx.dir);
}

/* ------------------------------------------------------------------ */

START_TEST(test_inline_read)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static char buf[5000], native[5000];
	struct syslet_atom a;
	long ret = TL_UNSET;
	ssize_t n;

	n = pread(fx.fd, native, sizeof(native), 1234);
	ck_assert_int_eq(n, sizeof(native));

	memset(buf, 0, sizeof(buf));
	syslet_atom_init(&a, SYS_pread64, &ret, 0, fx.fd, (long)buf,
			 sizeof(buf), 1234, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, n);
	ck_assert_mem_eq(buf, native, sizeof(buf));
	ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 1234, 1), -1);

	/* read(2) from the file position, which advances natively. */
	ck_assert_int_eq(lseek(fx.fd, 100, SEEK_SET), 100);
	memset(buf, 0, sizeof(buf));
	ret = TL_UNSET;
	syslet_atom_init(&a, SYS_read, &ret, 0, fx.fd, (long)buf, 3000, 0, 0,
			 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, 3000);
	ck_assert_int_eq(tl_check_pat(buf, 3000, 100, 1), -1);
	ck_assert_int_eq(lseek(fx.fd, 0, SEEK_CUR), 3100);

	/* No completion for an inline chain. */
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_ret_ptr_null)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static char buf[4096];
	struct syslet_atom a;
	struct syslet_completion c;

	syslet_atom_init(&a, SYS_pread64, NULL, 0, fx.fd, (long)buf,
			 sizeof(buf), 8192, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 8192, 1), -1);

	/* On a helper too; the completion still carries the result. */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC),
			 SYSLET_QUEUED);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &a);
	ck_assert_ptr_eq(c.last, &a);
	ck_assert_int_eq(c.result, sizeof(buf));
	ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 8192, 1), -1);
	tl_destroy(ctx);
}
END_TEST

/*
 * A chain whose head writes one byte to a pipe, followed by @bad: -EINVAL
 * and the pipe stays empty (nothing ran).
 */
static void assert_refused(struct syslet_ctx *ctx, struct syslet_atom *bad,
			   unsigned int flags, const char *what)
{
	struct syslet_atom wr;
	long wret = TL_UNSET;
	int p[2], rc;

	tl_pipe(p);
	syslet_atom_init(&wr, SYS_write, &wret, 0, p[1], (long)"w", 1, 0, 0, 0);
	wr.next = bad;
	rc = syslet_submit(ctx, &wr, flags);
	ck_assert_msg(rc == -EINVAL, "%s: submit gave %d", what, rc);
	ck_assert_msg(tl_avail(p[0]) == 0, "%s: the write before it ran", what);
	ck_assert_msg(wret == TL_UNSET, "%s: ret_ptr written", what);
	tl_close_pipe(p);
}

START_TEST(test_invalid)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a, ok;
	long ret = TL_UNSET, refval = 0;
	long slots[2] = { 0, 0 };
	int max = syslet_syscall_max();
	static const int bad_nrs[] = { -1,  INT32_MIN, 400,	 337,
				       423, 512,       INT32_MAX };
	size_t i;

	syslet_atom_init(&ok, SYS_getpid, &ret, 0, 0, 0, 0, 0, 0, 0);

	/* NULL context or head. */
	{
		struct syslet_atom wr;
		long wret = TL_UNSET;
		int p[2];

		tl_pipe(p);
		syslet_atom_init(&wr, SYS_write, &wret, 0, p[1], (long)"w", 1,
				 0, 0, 0);
		ck_assert_int_eq(syslet_submit(NULL, &wr, 0), -EINVAL);
		ck_assert_int_eq(syslet_submit(NULL, &wr, SYSLET_SUBMIT_ASYNC),
				 -EINVAL);
		ck_assert_int_eq(tl_avail(p[0]), 0);
		ck_assert_int_eq(wret, TL_UNSET);
		tl_close_pipe(p);
	}
	ck_assert_int_eq(syslet_submit(NULL, &ok, 0), -EINVAL);
	ck_assert_int_eq(syslet_submit(ctx, NULL, 0), -EINVAL);
	ck_assert_int_eq(ret, TL_UNSET);

	/* Unknown submit flags, and WAIT with CQE_ALWAYS. */
	ck_assert_int_eq(syslet_submit(ctx, &ok, 0x8), -EINVAL);
	ck_assert_int_eq(syslet_submit(ctx, &ok, 0x80000000u), -EINVAL);
	ck_assert_int_eq(syslet_submit(ctx, &ok, ~SYSLET_SUBMIT_FLAGS_ALL),
			 -EINVAL);
	ck_assert_int_eq(
		syslet_submit(ctx, &ok,
			      SYSLET_SUBMIT_WAIT | SYSLET_SUBMIT_CQE_ALWAYS),
		-EINVAL);
	ck_assert_int_eq(ret, TL_UNSET);
	{
		struct syslet_atom wr;
		long wret = TL_UNSET;
		int p[2];

		tl_pipe(p);
		syslet_atom_init(&wr, SYS_write, &wret, 0, p[1], (long)"w", 1,
				 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &wr,
				      SYSLET_SUBMIT_WAIT |
					      SYSLET_SUBMIT_CQE_ALWAYS),
			-EINVAL);
		ck_assert_int_eq(syslet_submit(ctx, &wr, 0x10), -EINVAL);
		ck_assert_int_eq(tl_avail(p[0]), 0);
		ck_assert_int_eq(wret, TL_UNSET);
		tl_close_pipe(p);
	}

	/* Bad system call numbers. */
	for (i = 0; i < sizeof(bad_nrs) / sizeof(bad_nrs[0]); i++) {
		a = ok;
		a.nr = bad_nrs[i];
		assert_refused(ctx, &a, 0, "bad nr");
	}
	a = ok;
	a.nr = max;
	assert_refused(ctx, &a, 0, "nr = syslet_syscall_max()");
	a.nr = max + 1;
	assert_refused(ctx, &a, 0, "nr = syslet_syscall_max() + 1");

	/* Unknown atom flags, one bit at a time. */
	for (i = 0; i < 32; i++) {
		uint32_t bit = 1u << i;

		if (bit & SYSLET_ATOM_FLAGS_ALL)
			continue;
		a = ok;
		a.flags = bit;
		assert_refused(ctx, &a, 0, "unknown atom flag");
	}

	/* ASYNC and SYNC together. */
	a = ok;
	a.flags = SYSLET_ASYNC | SYSLET_SYNC;
	assert_refused(ctx, &a, 0, "ASYNC|SYNC");

	/* Misaligned ret_ptr. */
	a = ok;
	a.ret_ptr = (long *)((char *)slots + 4);
	assert_refused(ctx, &a, 0, "ret_ptr + 4");
	a.ret_ptr = (long *)((char *)slots + 1);
	assert_refused(ctx, &a, 0, "ret_ptr + 1");

	/* SYSLET_ARG_REF on NULL and on a misaligned address, each arg. */
	for (i = 0; i < 6; i++) {
		a = ok;
		a.flags = SYSLET_ARG_REF(i);
		a.args[i] = 0;
		assert_refused(ctx, &a, 0, "ARG_REF NULL");
		a.args[i] = (long)((char *)&refval + 4);
		assert_refused(ctx, &a, 0, "ARG_REF misaligned");
		a.args[i] = (long)((char *)&refval + 2);
		assert_refused(ctx, &a, 0, "ARG_REF misaligned");
	}

	/* SYNC atom with SUBMIT_ASYNC, SYNC atom with an ASYNC one. */
	a = ok;
	a.flags = SYSLET_SYNC;
	assert_refused(ctx, &a, SYSLET_SUBMIT_ASYNC, "SYNC + SUBMIT_ASYNC");
	{
		struct syslet_atom two[2];

		two[0] = ok;
		two[0].flags = SYSLET_ASYNC;
		two[0].next = &two[1];
		two[1] = ok;
		two[1].flags = SYSLET_SYNC;
		assert_refused(ctx, &two[0], 0, "ASYNC then SYNC");
	}

	/* A bad atom reachable only through the stopped branch (atom + 1). */
	{
		struct syslet_atom br[2];

		br[0] = ok;
		br[0].flags = SYSLET_STOP_ON_ZERO | SYSLET_SKIP_TO_NEXT_ON_STOP;
		br[1] = ok;
		br[1].nr = 400;
		assert_refused(ctx, &br[0], 0, "bad atom on stopped branch");
	}

	ck_assert_int_eq(ret, TL_UNSET);
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_misaligned_atom)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom ok;
	long ret = TL_UNSET;
	/* Room for an atom at +4 (or +1) inside aligned storage. */
	union {
		char bytes[sizeof(struct syslet_atom) + 16];
		long align;
	} store;
	struct syslet_atom *mis;

	syslet_atom_init(&ok, SYS_getpid, &ret, 0, 0, 0, 0, 0, 0, 0);

	/* Misaligned, not at the head. */
	memcpy(store.bytes + 4, &ok, sizeof(ok));
	mis = (struct syslet_atom *)(void *)(store.bytes + 4);
	assert_refused(ctx, mis, 0, "atom + 4");
	memcpy(store.bytes + 1, &ok, sizeof(ok));
	mis = (struct syslet_atom *)(void *)(store.bytes + 1);
	assert_refused(ctx, mis, 0, "atom + 1");
	ck_assert_int_eq(ret, TL_UNSET);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_misaligned_head)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom ok;
	long ret = TL_UNSET;
	union {
		char bytes[sizeof(struct syslet_atom) + 16];
		long align;
	} store;
	struct syslet_atom *mis;

	syslet_atom_init(&ok, SYS_getpid, &ret, 0, 0, 0, 0, 0, 0, 0);
	memcpy(store.bytes + 4, &ok, sizeof(ok));
	mis = (struct syslet_atom *)(void *)(store.bytes + 4);
	ck_assert_int_eq(syslet_submit(ctx, mis, 0), -EINVAL);
	ck_assert_int_eq(syslet_submit(ctx, mis, SYSLET_SUBMIT_ASYNC), -EINVAL);
	ck_assert_int_eq(ret, TL_UNSET);
	tl_destroy(ctx);
}
END_TEST

/* A chain of n distinct atoms: a write to a pipe, then n - 1 getppids. */
static int long_chain(struct syslet_ctx *ctx, int n, int p[2], long *rets)
{
	struct syslet_atom *v = calloc((size_t)n, sizeof(*v));
	int i, rc;

	ck_assert_ptr_nonnull(v);
	syslet_atom_init(&v[0], SYS_write, &rets[0], 0, p[1], (long)"w", 1, 0,
			 0, 0);
	for (i = 1; i < n; i++)
		syslet_atom_init(&v[i], SYS_getppid, &rets[i], 0, 0, 0, 0, 0, 0,
				 0);
	for (i = 0; i + 1 < n; i++)
		v[i].next = &v[i + 1];
	rc = syslet_submit(ctx, &v[0], 0);
	free(v);
	return rc;
}

START_TEST(test_chain_max)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	long rets[SYSLET_CHAIN_MAX + 1];
	int p[2], i;

	tl_pipe(p);
	for (i = 0; i <= SYSLET_CHAIN_MAX; i++)
		rets[i] = TL_UNSET;
	ck_assert_int_eq(long_chain(ctx, SYSLET_CHAIN_MAX + 1, p, rets),
			 -EINVAL);
	ck_assert_int_eq(tl_avail(p[0]), 0);
	for (i = 0; i <= SYSLET_CHAIN_MAX; i++)
		ck_assert_int_eq(rets[i], TL_UNSET);

	ck_assert_int_eq(long_chain(ctx, SYSLET_CHAIN_MAX, p, rets),
			 SYSLET_DONE);
	ck_assert_int_eq(tl_avail(p[0]), 1);
	ck_assert_int_eq(rets[0], 1);
	for (i = 1; i < SYSLET_CHAIN_MAX; i++)
		ck_assert_int_eq(rets[i], getppid());
	ck_assert_int_eq(rets[SYSLET_CHAIN_MAX], TL_UNSET);

	/* A loop counts its atoms once: 256 distinct atoms, ring-linked. */
	{
		struct syslet_atom *v = calloc(SYSLET_CHAIN_MAX, sizeof(*v));
		long r = TL_UNSET, last = TL_UNSET;

		ck_assert_ptr_nonnull(v);
		for (i = 0; i < SYSLET_CHAIN_MAX; i++) {
			syslet_atom_init(&v[i], SYS_getppid, &r, 0, 0, 0, 0, 0,
					 0, 0);
			v[i].next = &v[(i + 1) % SYSLET_CHAIN_MAX];
		}
		/* The last one reads EOF of an empty closed pipe: stop. */
		{
			int q[2];
			static char c;

			tl_pipe(q);
			close(q[1]);
			syslet_atom_init(&v[SYSLET_CHAIN_MAX - 1], SYS_read,
					 &last, SYSLET_STOP_ON_ZERO, q[0],
					 (long)&c, 1, 0, 0, 0);
			v[SYSLET_CHAIN_MAX - 1].next = &v[0];
			ck_assert_int_eq(syslet_submit(ctx, &v[0], 0),
					 SYSLET_DONE);
			ck_assert_int_eq(r, getppid());
			ck_assert_int_eq(last, 0);
			close(q[0]);
		}
		free(v);
	}
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_submit_async)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static char buf[4096];
	struct syslet_atom a;
	struct syslet_completion c;
	long ret = TL_UNSET;
	int rc;

	syslet_atom_init(&a, SYS_pread64, &ret, 0, fx.fd, (long)buf,
			 sizeof(buf), 4096 * 3, 0, 0);
	a.user_data = &fx;
	rc = syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC);
	ck_assert_int_eq(rc, SYSLET_QUEUED);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &a);
	ck_assert_ptr_eq(c.last, &a);
	ck_assert_ptr_eq(c.user_data, &fx);
	ck_assert_int_eq(c.result, sizeof(buf));
	ck_assert_int_eq(ret, sizeof(buf));
	ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 4096 * 3, 1), -1);
	tl_assert_ring_empty(ctx);

	/* ASYNC on the head atom does the same. */
	memset(buf, 0, sizeof(buf));
	ret = TL_UNSET;
	a.flags = SYSLET_ASYNC;
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_QUEUED);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &a);
	ck_assert_int_eq(c.result, sizeof(buf));
	ck_assert_int_eq(ret, sizeof(buf));
	ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 4096 * 3, 1), -1);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_submit_async_wait)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static char buf[4096];
	struct syslet_atom a;
	long ret = TL_UNSET;
	int i;

	for (i = 0; i < 50; i++) {
		memset(buf, 0, sizeof(buf));
		ret = TL_UNSET;
		syslet_atom_init(&a, SYS_pread64, &ret, 0, fx.fd, (long)buf,
				 sizeof(buf), 4096 * i, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a,
				      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
			SYSLET_DONE);
		ck_assert_int_eq(ret, sizeof(buf));
		ck_assert_int_eq(tl_check_pat(buf, sizeof(buf), 4096 * i, 1),
				 -1);
	}
	/* No completion is posted for SUBMIT_WAIT. */
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_cqe_always)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[2];
	struct syslet_completion c[2];
	long r0 = TL_UNSET, r1 = TL_UNSET;
	int dummy;

	syslet_atom_init(&a[0], SYS_getpid, &r0, 0, 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&a[1], SYS_getppid, &r1, 0, 0, 0, 0, 0, 0, 0);
	a[0].next = &a[1];
	a[0].user_data = &dummy;
	a[1].user_data = &r1; /* not the head's: must not show up */
	ck_assert_int_eq(syslet_submit(ctx, &a[0], SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	ck_assert_int_eq(r0, getpid());
	ck_assert_int_eq(r1, getppid());
	/* Posted before submit returned: reap, no waiting. */
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert_ptr_eq(c[0].head, &a[0]);
	ck_assert_ptr_eq(c[0].last, &a[1]);
	ck_assert_int_eq(c[0].result, getppid());
	ck_assert_ptr_eq(c[0].user_data, &dummy);
	tl_assert_ring_empty(ctx);

	/* Without the flag: nothing. */
	ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
	tl_assert_ring_empty(ctx);

	/* A forced-async chain with CQE_ALWAYS posts exactly one. */
	ck_assert_int_eq(
		syslet_submit(ctx, &a[0],
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_CQE_ALWAYS),
		SYSLET_QUEUED);
	tl_wait1(ctx, c);
	ck_assert_ptr_eq(c[0].head, &a[0]);
	ck_assert_ptr_eq(c[0].last, &a[1]);
	ck_assert_int_eq(c[0].result, getppid());
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_ebusy)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom rd;
	struct syslet_completion c;
	long ret = TL_UNSET;
	char buf[4] = { 0 };
	int p[2];

	tl_pipe(p);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)buf, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), -EBUSY);
	ck_assert_int_eq(syslet_submit(ctx, &rd, SYSLET_SUBMIT_ASYNC), -EBUSY);
	ck_assert_int_eq(syslet_submit(ctx, &rd, SYSLET_SUBMIT_WAIT), -EBUSY);
	ck_assert_int_eq(syslet_submit(ctx, &rd, SYSLET_SUBMIT_CQE_ALWAYS),
			 -EBUSY);
	/* Two bytes: the one chain takes one; the refused ones took none. */
	ck_assert_int_eq(write(p[1], "ab", 2), 2);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &rd);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(ret, 1);
	ck_assert_int_eq(buf[0], 'a');
	ck_assert_int_eq(tl_avail(p[0]), 1);
	tl_assert_ring_empty(ctx);

	/* Completed (reaped): the same head can go again. */
	ret = TL_UNSET;
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, 1);
	ck_assert_int_eq(buf[0], 'b');
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

struct writer_arg {
	int fd;
	long delay_ms;
	char byte;
};

static void *late_writer(void *arg)
{
	struct writer_arg *w = arg;

	tl_sleep_ms(w->delay_ms);
	if (write(w->fd, &w->byte, 1) != 1)
		w->byte = 0;
	return NULL;
}

/*
 * No free slot (queue_depth 1, taken by a blocked chain): chains run on the
 * submitter, blocking, and never fail; CQE_ALWAYS gives -EBUSY.
 */
START_TEST(test_no_slot_runs_inline)
{
	struct syslet_ctx *ctx = tl_ctx(4, 1);
	struct syslet_atom blk, a, rd2, wr;
	struct syslet_completion c;
	long bret = TL_UNSET, ret = TL_UNSET, r2 = TL_UNSET, wret = TL_UNSET;
	char b1 = 0, b2 = 0;
	int p[2], q[2], w[2];
	pthread_t t;
	struct writer_arg wa;

	tl_pipe(p);
	tl_pipe(q);
	tl_pipe(w);
	syslet_atom_init(&blk, SYS_read, &bret, 0, p[0], (long)&b1, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &blk, 0), SYSLET_QUEUED);

	/* Forced async, no slot: runs here. */
	syslet_atom_init(&a, SYS_getppid, &ret, SYSLET_ASYNC, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, getppid());
	ret = TL_UNSET;
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(ret, getppid());

	/* CQE_ALWAYS needs a slot: -EBUSY, and nothing ran. */
	syslet_atom_init(&wr, SYS_write, &wret, 0, w[1], (long)"w", 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &wr, SYSLET_SUBMIT_CQE_ALWAYS),
			 -EBUSY);
	ck_assert_int_eq(tl_avail(w[0]), 0);
	ck_assert_int_eq(wret, TL_UNSET);

	/* A read that blocks: the submitter blocks until data comes. */
	wa.fd = q[1];
	wa.delay_ms = 20;
	wa.byte = 'q';
	ck_assert_int_eq(pthread_create(&t, NULL, late_writer, &wa), 0);
	syslet_atom_init(&rd2, SYS_read, &r2, 0, q[0], (long)&b2, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd2, 0), SYSLET_DONE);
	pthread_join(t, NULL);
	ck_assert_int_eq(wa.byte, 'q');
	ck_assert_int_eq(r2, 1);
	ck_assert_int_eq(b2, 'q');

	/* The blocked one is unaffected. */
	tl_assert_ring_empty(ctx);
	tl_write1(p[1], 'p');
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &blk);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(b1, 'p');

	/* The slot is free again: CQE_ALWAYS works. */
	ck_assert_int_eq(syslet_submit(ctx, &wr, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	ck_assert_int_eq(wret, 1);
	ck_assert_int_eq(syslet_reap(ctx, &c, 1), 1);
	ck_assert_ptr_eq(c.head, &wr);
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_close_pipe(w);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Partial writes and reads.                                             */

#define BIG (1024 * 1024)

struct reader {
	int fd;
	size_t want;
	size_t got;
	long bad_at; /* first byte out of order, or -1 */
	unsigned int seed;
};

/* Drains the pipe slowly: 4 KiB reads, a pause every 64 KiB. */
static void *slow_reader(void *arg)
{
	struct reader *r = arg;
	char buf[4096];

	r->bad_at = -1;
	while (r->got < r->want) {
		ssize_t n = read(r->fd, buf, sizeof(buf));
		long bad;

		if (n <= 0)
			break;
		bad = tl_check_pat(buf, (size_t)n, r->got, r->seed);
		if (bad >= 0 && r->bad_at < 0)
			r->bad_at = (long)r->got + bad;
		r->got += (size_t)n;
		if ((r->got & 0xffff) == 0)
			tl_sleep_ms(1);
	}
	return NULL;
}

START_TEST(test_big_pipe_write)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	char *src = malloc(BIG);
	struct syslet_atom wr;
	struct syslet_completion c;
	struct reader r = { 0 };
	long ret = TL_UNSET;
	pthread_t t;
	int p[2];

	ck_assert_ptr_nonnull(src);
	tl_fill(src, BIG, 0, 7);
	tl_pipe(p);
	syslet_atom_init(&wr, SYS_write, &ret, 0, p[1], (long)src, BIG, 0, 0,
			 0);
	/* Nobody reads yet: the pipe fills, the rest goes to a helper. */
	ck_assert_int_eq(syslet_submit(ctx, &wr, 0), SYSLET_QUEUED);
	r.fd = p[0];
	r.want = BIG;
	r.seed = 7;
	ck_assert_int_eq(pthread_create(&t, NULL, slow_reader, &r), 0);
	tl_wait1(ctx, &c);
	pthread_join(t, NULL);
	ck_assert_ptr_eq(c.head, &wr);
	ck_assert_int_eq(c.result, BIG);
	ck_assert_int_eq(ret, BIG);
	ck_assert_uint_eq(r.got, BIG);
	ck_assert_int_eq(r.bad_at, -1);
	ck_assert_int_eq(tl_avail(p[0]), 0);

	/* Again with SUBMIT_WAIT, the reader already running. */
	memset(&r, 0, sizeof(r));
	r.fd = p[0];
	r.want = BIG;
	r.seed = 7;
	ret = TL_UNSET;
	ck_assert_int_eq(pthread_create(&t, NULL, slow_reader, &r), 0);
	ck_assert_int_eq(syslet_submit(ctx, &wr, SYSLET_SUBMIT_WAIT),
			 SYSLET_DONE);
	pthread_join(t, NULL);
	ck_assert_int_eq(ret, BIG);
	ck_assert_uint_eq(r.got, BIG);
	ck_assert_int_eq(r.bad_at, -1);
	tl_assert_ring_empty(ctx);

	tl_close_pipe(p);
	free(src);
	tl_destroy(ctx);
}
END_TEST

/* writev of uneven segments, larger than the pipe: the vector continues. */
START_TEST(test_big_pipe_writev)
{
	static const size_t seg[] = { 1, 70000, 3, 65536, 0, 99999, 4097, 1 };
	enum { NSEG = sizeof(seg) / sizeof(seg[0]) };
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct iovec iov[NSEG];
	struct syslet_atom wr;
	struct syslet_completion c;
	struct reader r = { 0 };
	size_t total = 0, i;
	char *src;
	long ret = TL_UNSET;
	pthread_t t;
	int p[2];

	for (i = 0; i < NSEG; i++)
		total += seg[i];
	src = malloc(total);
	ck_assert_ptr_nonnull(src);
	tl_fill(src, total, 0, 9);
	for (i = 0, total = 0; i < NSEG; i++) {
		iov[i].iov_base = src + total;
		iov[i].iov_len = seg[i];
		total += seg[i];
	}
	tl_pipe(p);
	syslet_atom_init(&wr, SYS_writev, &ret, 0, p[1], (long)iov, NSEG, 0, 0,
			 0);
	ck_assert_int_eq(syslet_submit(ctx, &wr, 0), SYSLET_QUEUED);
	r.fd = p[0];
	r.want = total;
	r.seed = 9;
	ck_assert_int_eq(pthread_create(&t, NULL, slow_reader, &r), 0);
	tl_wait1(ctx, &c);
	pthread_join(t, NULL);
	ck_assert_int_eq(c.result, (long)total);
	ck_assert_int_eq(ret, (long)total);
	ck_assert_uint_eq(r.got, total);
	ck_assert_int_eq(r.bad_at, -1);
	/* The library never writes to the caller's vector. */
	for (i = 0, total = 0; i < NSEG; i++) {
		ck_assert_ptr_eq(iov[i].iov_base, src + total);
		ck_assert_uint_eq(iov[i].iov_len, seg[i]);
		total += seg[i];
	}
	tl_close_pipe(p);
	free(src);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_file_read_full_count)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	size_t want = FILE_SIZE / 2 + 777;
	char *buf = malloc(FILE_SIZE);
	struct syslet_atom a;
	struct syslet_completion c;
	long ret = TL_UNSET;
	int rc;

	ck_assert_ptr_nonnull(buf);
	/* read(2) of less than the file: the full request. */
	ck_assert_int_eq(lseek(fx.fd, 0, SEEK_SET), 0);
	syslet_atom_init(&a, SYS_read, &ret, 0, fx.fd, (long)buf, (long)want, 0,
			 0, 0);
	rc = syslet_submit(ctx, &a, 0);
	if (rc == SYSLET_QUEUED)
		tl_wait1(ctx, &c);
	else
		ck_assert_int_eq(rc, SYSLET_DONE);
	ck_assert_int_eq(ret, (long)want);
	ck_assert_int_eq(tl_check_pat(buf, want, 0, 1), -1);
	ck_assert_int_eq(lseek(fx.fd, 0, SEEK_CUR), (off_t)want);

	/* The same on a helper. */
	memset(buf, 0, FILE_SIZE);
	ret = TL_UNSET;
	syslet_atom_init(&a, SYS_pread64, &ret, 0, fx.fd, (long)buf, (long)want,
			 1000, 0, 0);
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(ret, (long)want);
	ck_assert_int_eq(tl_check_pat(buf, want, 1000, 1), -1);

	/* Reading past the end: the rest of the file, then 0. */
	ret = TL_UNSET;
	syslet_atom_init(&a, SYS_pread64, &ret, 0, fx.fd, (long)buf, FILE_SIZE,
			 FILE_SIZE - 100, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_WAIT),
			 SYSLET_DONE);
	ck_assert_int_eq(ret, 100);
	ck_assert_int_eq(tl_check_pat(buf, 100, FILE_SIZE - 100, 1), -1);
	ret = TL_UNSET;
	a.args[3] = FILE_SIZE;
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_WAIT),
			 SYSLET_DONE);
	ck_assert_int_eq(ret, 0);
	free(buf);
	tl_destroy(ctx);
}
END_TEST

/*
 * A file of which only the first part is cached: the non-blocking try
 * reads what is cached, a helper the rest; the result is the full count.
 * (Whether the kernel really dropped the pages is not ours to know, so
 * only the data and the count are checked.)
 */
START_TEST(test_file_read_partly_cached)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	char path[PATH_MAX];
	char *buf = malloc(4 * FILE_SIZE);
	struct syslet_atom a;
	struct syslet_completion c;
	long ret = TL_UNSET;
	int fd, rc, round;

	ck_assert_ptr_nonnull(buf);
	tl_make_file(&fx.dir, "cold", 4 * FILE_SIZE, 3, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	for (round = 0; round < 3; round++) {
		fdatasync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		/* Cache the first 100 KiB again. */
		ck_assert_int_eq(pread(fd, buf, 100 * 1024, 0), 100 * 1024);
		memset(buf, 0, 4 * FILE_SIZE);
		ret = TL_UNSET;
		syslet_atom_init(&a, SYS_pread64, &ret, 0, fd, (long)buf,
				 4 * FILE_SIZE, 0, 0, 0);
		rc = syslet_submit(ctx, &a,
				   round == 2 ? SYSLET_SUBMIT_WAIT : 0);
		if (rc == SYSLET_QUEUED) {
			tl_wait1(ctx, &c);
			ck_assert_int_eq(c.result, 4 * FILE_SIZE);
		} else {
			ck_assert_int_eq(rc, SYSLET_DONE);
		}
		ck_assert_int_eq(ret, 4 * FILE_SIZE);
		ck_assert_int_eq(tl_check_pat(buf, 4 * FILE_SIZE, 0, 3), -1);
	}
	close(fd);
	free(buf);
	tl_destroy(ctx);
}
END_TEST

/* A descriptor the program made non-blocking: its EAGAIN is the result. */
START_TEST(test_nonblocking_fd)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a;
	long ret = TL_UNSET;
	size_t big = 256 * 1024;
	char *src = malloc(big), c;
	int p[2];

	ck_assert_ptr_nonnull(src);
	tl_fill(src, big, 0, 6);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	/* Empty: read gives -EAGAIN, at once. */
	syslet_atom_init(&a, SYS_read, &ret, 0, p[0], (long)&c, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(ret, -EAGAIN);
	/* A write larger than the pipe: the part that fit, at once. */
	ret = TL_UNSET;
	syslet_atom_init(&a, SYS_write, &ret, 0, p[1], (long)src, (long)big, 0,
			 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_gt(ret, 0);
	ck_assert_int_lt(ret, (long)big);
	ck_assert_int_eq(tl_avail(p[0]), ret);
	/* Full: -EAGAIN. */
	{
		long r2 = TL_UNSET;

		syslet_atom_init(&a, SYS_write, &r2, 0, p[1], (long)src, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
		ck_assert_int_eq(r2, -EAGAIN);
	}
	{
		char *buf = malloc((size_t)ret);

		ck_assert_ptr_nonnull(buf);
		ck_assert_int_eq(read(p[0], buf, (size_t)ret), ret);
		ck_assert_int_eq(tl_check_pat(buf, (size_t)ret, 0, 6), -1);
		free(buf);
	}
	tl_assert_ring_empty(ctx);
	free(src);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/*
 * SYSLET_SUBMIT_CQE_ALWAYS on a chain that blocks on the submitter while
 * another chain takes the last slot.  Either the submission fails and
 * nothing ran, or the chain ran and its completion is posted; a chain that
 * ran (consuming data) reported as -EBUSY would be submitted again by any
 * caller and run twice.
 */
struct cqe_sub {
	struct syslet_ctx *ctx;
	struct syslet_atom a;
	long ret;
	char b;
	int rc;
	pid_t tid;
};

static void *cqe_submitter(void *arg)
{
	struct cqe_sub *x = arg;

	__atomic_store_n(&x->tid, tl_gettid(), __ATOMIC_RELEASE);
	x->rc = syslet_submit(x->ctx, &x->a, SYSLET_SUBMIT_CQE_ALWAYS);
	return NULL;
}

START_TEST(test_cqe_always_slot_taken_while_running)
{
	struct syslet_ctx *ctx = tl_ctx(0, 1);
	static struct cqe_sub x;
	struct syslet_atom other;
	struct syslet_completion c[2];
	long oret = TL_UNSET;
	char ob = 0;
	pthread_t t;
	int p[2], q[2], n;

	tl_pipe(p);
	tl_pipe(q);
	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.ret = TL_UNSET;
	/* SYSLET_SYNC: stays on the submitting thread, blocking there. */
	syslet_atom_init(&x.a, SYS_read, &x.ret, SYSLET_SYNC, p[0], (long)&x.b,
			 1, 0, 0, 0);
	ck_assert_int_eq(pthread_create(&t, NULL, cqe_submitter, &x), 0);
	tl_wait_blocked(SYS_read, p[0]);
	/* The only slot goes to a chain on a helper. */
	syslet_atom_init(&other, SYS_read, &oret, 0, q[0], (long)&ob, 1, 0, 0,
			 0);
	ck_assert_int_eq(syslet_submit(ctx, &other, 0), SYSLET_QUEUED);
	tl_write1(p[1], 'c');
	pthread_join(t, NULL);
	if (x.rc == -EBUSY) {
		ck_assert_msg(x.ret == TL_UNSET && tl_avail(p[0]) == 1,
			      "-EBUSY, but the chain ran (result %ld, consumed "
			      "the byte)",
			      x.ret);
	} else {
		ck_assert_int_eq(x.rc, SYSLET_DONE);
		ck_assert_int_eq(x.ret, 1);
		ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
		ck_assert_ptr_eq(c[0].head, &x.a);
	}
	tl_write1(q[1], 'o');
	tl_wait1(ctx, c);
	ck_assert_ptr_eq(c[0].head, &other);
	n = syslet_reap(ctx, c, 2);
	ck_assert_int_eq(n, 0);
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_destroy(ctx);
}
END_TEST

static Suite *submit_suite(void)
{
	Suite *s = suite_create("submit");
	TCase *tc = tcase_create("submit");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_inline_read);
	tcase_add_test(tc, test_ret_ptr_null);
	tcase_add_test(tc, test_invalid);
	tcase_add_test(tc, test_misaligned_atom);
	tcase_add_test(tc, test_misaligned_head);
	tcase_add_test(tc, test_chain_max);
	tcase_add_test(tc, test_submit_async);
	tcase_add_test(tc, test_submit_async_wait);
	tcase_add_test(tc, test_cqe_always);
	tcase_add_test(tc, test_ebusy);
	tcase_add_test(tc, test_no_slot_runs_inline);
	tcase_add_test(tc, test_big_pipe_write);
	tcase_add_test(tc, test_big_pipe_writev);
	tcase_add_test(tc, test_file_read_full_count);
	tcase_add_test(tc, test_file_read_partly_cached);
	tcase_add_test(tc, test_nonblocking_fd);
	tcase_add_test(tc, test_cqe_always_slot_taken_while_running);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(submit_suite());
}
