// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Chains: arguments by reference, stop conditions, branches, loops, and
 * the completion of a chain that moved to a helper part way through.
 */
#define _GNU_SOURCE
#include <sys/wait.h>

#include "testlib.h"

#define FILE_SIZE 20000

static struct tl_dir dir;
static char path[PATH_MAX];

static void setup(void)
{
	tl_dir_make(&dir);
	tl_make_file(&dir, "data", FILE_SIZE, 5, path, sizeof(path));
}

static void teardown(void)
{
	tl_dir_remove(&dir);
}

/* ------------------------------------------------------------------ */
/* openat -> fstat -> read -> close, the descriptor fed by reference.   */

struct ofrc {
	struct syslet_atom a[4];
	long fd, st_ret, rd_ret, cl_ret;
	struct stat st;
	char buf[FILE_SIZE + 100];
};

static void ofrc_build(struct ofrc *c, unsigned int head_flags)
{
	memset(c, 0, sizeof(*c));
	c->fd = c->st_ret = c->rd_ret = c->cl_ret = TL_UNSET;
	syslet_atom_init(&c->a[0], SYS_openat, &c->fd,
			 head_flags | SYSLET_STOP_ON_NEGATIVE, AT_FDCWD,
			 (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
	syslet_atom_init(&c->a[1], SYS_fstat, &c->st_ret, SYSLET_ARG_REF(0),
			 (long)&c->fd, (long)&c->st, 0, 0, 0, 0);
	syslet_atom_init(&c->a[2], SYS_read, &c->rd_ret, SYSLET_ARG_REF(0),
			 (long)&c->fd, (long)c->buf, sizeof(c->buf), 0, 0, 0);
	syslet_atom_init(&c->a[3], SYS_close, &c->cl_ret, SYSLET_ARG_REF(0),
			 (long)&c->fd, 0, 0, 0, 0, 0);
	c->a[0].next = &c->a[1];
	c->a[1].next = &c->a[2];
	c->a[2].next = &c->a[3];
	c->a[0].user_data = c;
}

static void ofrc_check(struct ofrc *c)
{
	ck_assert_int_ge(c->fd, 0);
	ck_assert_int_eq(c->st_ret, 0);
	ck_assert_int_eq(c->st.st_size, FILE_SIZE);
	ck_assert(S_ISREG(c->st.st_mode));
	ck_assert_int_eq(c->rd_ret, FILE_SIZE);
	ck_assert_int_eq(tl_check_pat(c->buf, FILE_SIZE, 0, 5), -1);
	ck_assert_int_eq(c->cl_ret, 0);
	/* The descriptor really was closed. */
	errno = 0;
	ck_assert_int_eq(fcntl((int)c->fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}

START_TEST(test_arg_ref_chain)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static struct ofrc c;
	struct syslet_completion cqe;
	int rc;

	ofrc_build(&c, 0);
	rc = syslet_submit(ctx, &c.a[0], 0);
	if (rc == SYSLET_QUEUED)
		tl_wait1(ctx, &cqe);
	else
		ck_assert_int_eq(rc, SYSLET_DONE);
	ofrc_check(&c);

	/* All of it on a helper. */
	ofrc_build(&c, 0);
	ck_assert_int_eq(syslet_submit(ctx, &c.a[0], SYSLET_SUBMIT_ASYNC),
			 SYSLET_QUEUED);
	tl_wait1(ctx, &cqe);
	ck_assert_ptr_eq(cqe.head, &c.a[0]);
	ck_assert_ptr_eq(cqe.last, &c.a[3]);
	ck_assert_int_eq(cqe.result, 0);
	ck_assert_ptr_eq(cqe.user_data, &c);
	ofrc_check(&c);

	/* Moving to a helper in the middle (ASYNC on the read). */
	ofrc_build(&c, 0);
	c.a[2].flags |= SYSLET_ASYNC;
	ck_assert_int_eq(syslet_submit(ctx, &c.a[0], 0), SYSLET_QUEUED);
	tl_wait1(ctx, &cqe);
	ck_assert_ptr_eq(cqe.last, &c.a[3]);
	ofrc_check(&c);

	/* A file that does not exist: openat fails, the chain stops there. */
	ofrc_build(&c, 0);
	c.a[0].args[1] = (long)"/nonexistent/syslet-unit";
	/* (Inline if the cached lookup answers, else on a helper.) */
	rc = syslet_submit(ctx, &c.a[0], SYSLET_SUBMIT_CQE_ALWAYS);
	ck_assert(rc == SYSLET_DONE || rc == SYSLET_QUEUED);
	tl_wait1(ctx, &cqe);
	ck_assert_int_eq(c.fd, -ENOENT);
	ck_assert_int_eq(c.st_ret, TL_UNSET);
	ck_assert_int_eq(c.rd_ret, TL_UNSET);
	ck_assert_int_eq(c.cl_ret, TL_UNSET);
	tl_assert_ring_empty(ctx);
	ck_assert_ptr_eq(cqe.last, &c.a[0]);
	ck_assert_int_eq(cqe.result, -ENOENT);
	tl_destroy(ctx);
}
END_TEST

/* ARG_REF on several arguments; read when the atom runs, not at submit. */
START_TEST(test_arg_ref_read_late)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[2];
	long off = TL_UNSET, len = 10, ret0 = TL_UNSET, ret1 = TL_UNSET;
	static char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	/* lseek(fd, 300, SEEK_SET) stores 300 into off ... */
	syslet_atom_init(&a[0], SYS_lseek, &off, 0, fd, 300, SEEK_SET, 0, 0, 0);
	/* ... which pread64(fd, buf, *len, *off) reads when it runs. */
	syslet_atom_init(&a[1], SYS_pread64, &ret1,
			 SYSLET_ARG_REF(2) | SYSLET_ARG_REF(3), fd, (long)buf,
			 (long)&len, (long)&off, 0, 0);
	a[0].next = &a[1];
	ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
	ck_assert_int_eq(off, 300);
	ck_assert_int_eq(ret1, 10);
	ck_assert_int_eq(tl_check_pat(buf, 10, 300, 5), -1);

	/* On a helper as well, with SUBMIT_WAIT. */
	memset(buf, 0, sizeof(buf));
	len = 33;
	a[0].args[1] = 4000;
	ret1 = TL_UNSET;
	ck_assert_int_eq(
		syslet_submit(ctx, &a[0],
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(off, 4000);
	ck_assert_int_eq(ret1, 33);
	ck_assert_int_eq(tl_check_pat(buf, 33, 4000, 5), -1);
	(void)ret0;
	close(fd);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Stop conditions.                                                      */

enum probe { P_POSITIVE, P_ZERO, P_NEGATIVE, P_LSEEK5, P_LSEEK0 };

struct stop_case {
	uint32_t flag;
	enum probe probe;
	int stops;
};

static const struct stop_case stop_cases[] = {
	{ SYSLET_STOP_ON_NONZERO, P_POSITIVE, 1 },
	{ SYSLET_STOP_ON_NONZERO, P_NEGATIVE, 1 },
	{ SYSLET_STOP_ON_NONZERO, P_LSEEK5, 1 },
	{ SYSLET_STOP_ON_NONZERO, P_ZERO, 0 },
	{ SYSLET_STOP_ON_NONZERO, P_LSEEK0, 0 },
	{ SYSLET_STOP_ON_ZERO, P_ZERO, 1 },
	{ SYSLET_STOP_ON_ZERO, P_LSEEK0, 1 },
	{ SYSLET_STOP_ON_ZERO, P_POSITIVE, 0 },
	{ SYSLET_STOP_ON_ZERO, P_NEGATIVE, 0 },
	{ SYSLET_STOP_ON_ZERO, P_LSEEK5, 0 },
	{ SYSLET_STOP_ON_NEGATIVE, P_NEGATIVE, 1 },
	{ SYSLET_STOP_ON_NEGATIVE, P_ZERO, 0 },
	{ SYSLET_STOP_ON_NEGATIVE, P_POSITIVE, 0 },
	{ SYSLET_STOP_ON_NEGATIVE, P_LSEEK0, 0 },
	{ SYSLET_STOP_ON_NON_POSITIVE, P_ZERO, 1 },
	{ SYSLET_STOP_ON_NON_POSITIVE, P_NEGATIVE, 1 },
	{ SYSLET_STOP_ON_NON_POSITIVE, P_LSEEK0, 1 },
	{ SYSLET_STOP_ON_NON_POSITIVE, P_POSITIVE, 0 },
	{ SYSLET_STOP_ON_NON_POSITIVE, P_LSEEK5, 0 },
	/* No condition: never stops. */
	{ 0, P_NEGATIVE, 0 },
	{ 0, P_ZERO, 0 },
	/* Two conditions: either one stops. */
	{ SYSLET_STOP_ON_ZERO | SYSLET_STOP_ON_NEGATIVE, P_ZERO, 1 },
	{ SYSLET_STOP_ON_ZERO | SYSLET_STOP_ON_NEGATIVE, P_NEGATIVE, 1 },
	{ SYSLET_STOP_ON_ZERO | SYSLET_STOP_ON_NEGATIVE, P_POSITIVE, 0 },
};

/* Fill @a with the probe call; returns the result it must give. */
static long probe_atom(struct syslet_atom *a, enum probe p, long *ret,
		       uint32_t flags, int eof_fd, int file_fd, char *buf)
{
	switch (p) {
	case P_POSITIVE:
		syslet_atom_init(a, SYS_getpid, ret, flags, 0, 0, 0, 0, 0, 0);
		return getpid();
	case P_ZERO: /* read at EOF */
		syslet_atom_init(a, SYS_read, ret, flags, eof_fd, (long)buf, 1,
				 0, 0, 0);
		return 0;
	case P_NEGATIVE:
		syslet_atom_init(a, SYS_read, ret, flags, -1, (long)buf, 1, 0,
				 0, 0);
		return -EBADF;
	case P_LSEEK5:
		syslet_atom_init(a, SYS_lseek, ret, flags, file_fd, 5, SEEK_SET,
				 0, 0, 0);
		return 5;
	case P_LSEEK0:
	default:
		syslet_atom_init(a, SYS_lseek, ret, flags, file_fd, 0, SEEK_SET,
				 0, 0, 0);
		return 0;
	}
}

static void run_stop_cases(unsigned int sflags, uint32_t extra)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	int eof[2], fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t i;
	char buf[4];

	ck_assert_int_ge(fd, 0);
	tl_pipe(eof);
	close(eof[1]);
	for (i = 0; i < sizeof(stop_cases) / sizeof(stop_cases[0]); i++) {
		const struct stop_case *sc = &stop_cases[i];
		struct syslet_atom a[2];
		struct syslet_completion c;
		long r0 = TL_UNSET, r1 = TL_UNSET, want;
		int rc;

		want = probe_atom(&a[0], sc->probe, &r0, sc->flag | extra,
				  eof[0], fd, buf);
		syslet_atom_init(&a[1], SYS_getppid, &r1, 0, 0, 0, 0, 0, 0, 0);
		a[0].next = &a[1];
		rc = syslet_submit(ctx, &a[0], sflags);
		if (sflags & SYSLET_SUBMIT_ASYNC) {
			ck_assert_int_eq(rc, SYSLET_QUEUED);
			tl_wait1(ctx, &c);
		} else {
			ck_assert_int_eq(rc, SYSLET_DONE);
			ck_assert_int_eq(syslet_reap(ctx, &c, 1), 1);
		}
		ck_assert_msg(r0 == want, "case %zu: probe gave %ld, not %ld",
			      i, r0, want);
		ck_assert_ptr_eq(c.head, &a[0]);
		if (sc->stops) {
			ck_assert_msg(r1 == TL_UNSET,
				      "case %zu: did not stop (flags %#x)", i,
				      sc->flag);
			ck_assert_ptr_eq(c.last, &a[0]);
			ck_assert_int_eq(c.result, want);
		} else {
			ck_assert_msg(r1 == getppid(),
				      "case %zu: stopped (flags %#x)", i,
				      sc->flag);
			ck_assert_ptr_eq(c.last, &a[1]);
			ck_assert_int_eq(c.result, getppid());
		}
	}
	tl_assert_ring_empty(ctx);
	close(eof[0]);
	close(fd);
	tl_destroy(ctx);
}

START_TEST(test_stop_inline)
{
	run_stop_cases(SYSLET_SUBMIT_CQE_ALWAYS, 0);
}
END_TEST

START_TEST(test_stop_on_helper)
{
	run_stop_cases(SYSLET_SUBMIT_ASYNC, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Branches: ->next when not stopped, atom + 1 when stopped.             */

START_TEST(test_skip_to_next_on_stop)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	int eof[2], k;
	char buf[4];

	tl_pipe(eof);
	close(eof[1]);
	for (k = 0; k < 4; k++) {
		/* k & 1: the probe fails (stops); k & 2: on a helper. */
		struct syslet_atom a[4];
		struct syslet_completion c;
		long r[4] = { TL_UNSET, TL_UNSET, TL_UNSET, TL_UNSET };
		unsigned int sflags = (k & 2) ? SYSLET_SUBMIT_ASYNC
					      : SYSLET_SUBMIT_CQE_ALWAYS;
		int fd = (k & 1) ? -1 : eof[0];

		/* a[0]: read(fd) STOP_ON_NEGATIVE | SKIP; next = a[2]. */
		syslet_atom_init(&a[0], SYS_read, &r[0],
				 SYSLET_STOP_ON_NEGATIVE |
					 SYSLET_SKIP_TO_NEXT_ON_STOP,
				 fd, (long)buf, 1, 0, 0, 0);
		/* a[1]: the stopped path, then ends. */
		syslet_atom_init(&a[1], SYS_getpid, &r[1], 0, 0, 0, 0, 0, 0, 0);
		/* a[2] -> a[3]: the continue path. */
		syslet_atom_init(&a[2], SYS_getppid, &r[2], 0, 0, 0, 0, 0, 0,
				 0);
		syslet_atom_init(&a[3], SYS_getpid, &r[3], 0, 0, 0, 0, 0, 0, 0);
		a[0].next = &a[2];
		a[2].next = &a[3];
		ck_assert_int_eq(syslet_submit(ctx, &a[0], sflags),
				 (k & 2) ? SYSLET_QUEUED : SYSLET_DONE);
		tl_wait1(ctx, &c);
		if (k & 1) {
			ck_assert_int_eq(r[0], -EBADF);
			ck_assert_int_eq(r[1], getpid());
			ck_assert_int_eq(r[2], TL_UNSET);
			ck_assert_int_eq(r[3], TL_UNSET);
			ck_assert_ptr_eq(c.last, &a[1]);
			ck_assert_int_eq(c.result, getpid());
		} else {
			ck_assert_int_eq(r[0], 0);
			ck_assert_int_eq(r[1], TL_UNSET);
			ck_assert_int_eq(r[2], getppid());
			ck_assert_int_eq(r[3], getpid());
			ck_assert_ptr_eq(c.last, &a[3]);
		}
	}

	/* SKIP without a stop condition: no effect, the chain just ends. */
	{
		struct syslet_atom a[2];
		long r[2] = { TL_UNSET, TL_UNSET };

		syslet_atom_init(&a[0], SYS_read, &r[0],
				 SYSLET_SKIP_TO_NEXT_ON_STOP, -1, (long)buf, 1,
				 0, 0, 0);
		syslet_atom_init(&a[1], SYS_getpid, &r[1], 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
		ck_assert_int_eq(r[0], -EBADF);
		ck_assert_int_eq(r[1], TL_UNSET);
	}

	/* Stopped, SKIP, and atom + 1 is where the chain goes on. */
	{
		struct syslet_atom a[3];
		long r[3] = { TL_UNSET, TL_UNSET, TL_UNSET };

		/* getpid > 0: STOP_ON_NONZERO stops; a[1] then a[1].next. */
		syslet_atom_init(&a[0], SYS_getpid, &r[0],
				 SYSLET_STOP_ON_NONZERO |
					 SYSLET_SKIP_TO_NEXT_ON_STOP,
				 0, 0, 0, 0, 0, 0);
		syslet_atom_init(&a[1], SYS_getppid, &r[1], 0, 0, 0, 0, 0, 0,
				 0);
		syslet_atom_init(&a[2], SYS_getpid, &r[2], 0, 0, 0, 0, 0, 0, 0);
		a[0].next = NULL; /* the continue path would end */
		a[1].next = &a[2];
		ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
		ck_assert_int_eq(r[0], getpid());
		ck_assert_int_eq(r[1], getppid());
		ck_assert_int_eq(r[2], getpid());
	}
	tl_assert_ring_empty(ctx);
	close(eof[0]);
	tl_destroy(ctx);
}
END_TEST

/*
 * SKIP_TO_NEXT_ON_STOP without a stop condition "has no effect": atom + 1
 * is not part of the chain, so whatever lies there (here an invalid atom)
 * must neither be run nor make the submission fail.
 */
START_TEST(test_skip_without_stop_ignores_next_in_memory)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[2];
	long r0 = TL_UNSET, r1 = TL_UNSET;
	int rc;

	syslet_atom_init(&a[0], SYS_getpid, &r0, SYSLET_SKIP_TO_NEXT_ON_STOP, 0,
			 0, 0, 0, 0, 0);
	/* Not an atom of the chain: garbage as far as the chain goes. */
	syslet_atom_init(&a[1], 400, &r1, 0x80000000u, 0, 0, 0, 0, 0, 0);
	rc = syslet_submit(ctx, &a[0], 0);
	ck_assert_msg(rc == SYSLET_DONE,
		      "a chain of one atom (SKIP, no stop condition) refused "
		      "(%d) because of the memory after it",
		      rc);
	ck_assert_int_eq(r0, getpid());
	ck_assert_int_eq(r1, TL_UNSET);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Loops.                                                                */

#define LOOP_BYTES 3000

/*
 * read(src, &c, 1) STOP_ON_NON_POSITIVE -> write(dst, &c, 1) -> back to the
 * read: copies one byte at a time until EOF.
 */
struct loop {
	struct syslet_atom a[2];
	long rret, wret;
	char c;
};

static void loop_build(struct loop *l, int src, int dst)
{
	l->rret = l->wret = TL_UNSET;
	syslet_atom_init(&l->a[0], SYS_read, &l->rret,
			 SYSLET_STOP_ON_NON_POSITIVE, src, (long)&l->c, 1, 0, 0,
			 0);
	syslet_atom_init(&l->a[1], SYS_write, &l->wret, SYSLET_STOP_ON_NEGATIVE,
			 dst, (long)&l->c, 1, 0, 0, 0);
	l->a[0].next = &l->a[1];
	l->a[1].next = &l->a[0];
}

/* Read the copy back from @fd (a file) and check it. */
static void check_copy(int fd, size_t n, unsigned int seed)
{
	char *buf = malloc(n + 1);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(pread(fd, buf, n + 1, 0), (ssize_t)n);
	ck_assert_int_eq(tl_check_pat(buf, n, 0, seed), -1);
	free(buf);
}

START_TEST(test_loop_inline)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static struct loop l;
	char src[LOOP_BYTES], out[PATH_MAX];
	int p[2], dst;

	snprintf(out, sizeof(out), "%s/loop-out", dir.path);
	dst = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(dst, 0);
	tl_fill(src, sizeof(src), 0, 11);
	tl_pipe(p);
	ck_assert_int_eq(write(p[1], src, sizeof(src)), sizeof(src));
	close(p[1]);
	loop_build(&l, p[0], dst);
	/* Every byte was there: the loop never blocks. */
	ck_assert_int_eq(syslet_submit(ctx, &l.a[0], 0), SYSLET_DONE);
	ck_assert_int_eq(l.rret, 0);
	ck_assert_int_eq(l.wret, 1);
	check_copy(dst, sizeof(src), 11);
	close(p[0]);
	close(dst);
	tl_destroy(ctx);
}
END_TEST

struct feeder {
	int fd;
	size_t n;
	unsigned int seed;
	int ok;
};

/* Writes the pattern in small pieces with pauses, then closes: EOF. */
static void *feed(void *arg)
{
	struct feeder *f = arg;
	char buf[100];
	size_t done = 0;

	f->ok = 1;
	while (done < f->n) {
		size_t k =
			f->n - done < sizeof(buf) ? f->n - done : sizeof(buf);

		tl_fill(buf, k, done, f->seed);
		if (write(f->fd, buf, k) != (ssize_t)k)
			f->ok = 0;
		done += k;
		if ((done / 100) % 5 == 0)
			tl_sleep_ms(1);
	}
	close(f->fd);
	return NULL;
}

START_TEST(test_loop_on_helper)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static struct loop l;
	struct syslet_completion c;
	struct feeder f;
	char out[PATH_MAX];
	pthread_t t;
	int p[2], dst, rc;

	snprintf(out, sizeof(out), "%s/loop-out2", dir.path);
	dst = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(dst, 0);
	tl_pipe(p);
	loop_build(&l, p[0], dst);
	l.a[0].user_data = &l;
	/* The pipe is empty: the first read blocks, the loop goes away. */
	rc = syslet_submit(ctx, &l.a[0], 0);
	ck_assert_int_eq(rc, SYSLET_QUEUED);
	f.fd = p[1];
	f.n = LOOP_BYTES;
	f.seed = 12;
	ck_assert_int_eq(pthread_create(&t, NULL, feed, &f), 0);
	tl_wait1(ctx, &c);
	pthread_join(t, NULL);
	ck_assert(f.ok);
	ck_assert_ptr_eq(c.head, &l.a[0]);
	ck_assert_ptr_eq(c.last, &l.a[0]);
	ck_assert_int_eq(c.result, 0);
	ck_assert_ptr_eq(c.user_data, &l);
	check_copy(dst, LOOP_BYTES, 12);
	close(p[0]);
	close(dst);
	tl_destroy(ctx);
}
END_TEST

/*
 * Loops with no way out.  Before -ELOOP, submit ran them on the caller for
 * ever: each is submitted in a child with an alarm, so that the old
 * behaviour fails the test (killed by SIGALRM) instead of hanging it.
 * The child's exit status is 0 when submit said -ELOOP and no atom ran.
 */
enum { NOEXIT_SELF, NOEXIT_PAIR, NOEXIT_SKIP_BACK, NOEXIT_BRANCH, NOEXIT_N };

static int submit_noexit(int shape)
{
	struct syslet_atom a[3];
	long r[3] = { TL_UNSET, TL_UNSET, TL_UNSET };
	struct syslet_ctx *ctx;
	int rc, i;

	if (syslet_ctx_create(NULL, &ctx))
		return 3;
	for (i = 0; i < 3; i++)
		syslet_atom_init(&a[i], SYS_getpid, &r[i], 0, 0, 0, 0, 0, 0, 0);
	switch (shape) {
	case NOEXIT_SELF: /* a -> a */
		a[0].next = &a[0];
		break;
	case NOEXIT_PAIR: /* a -> b -> a */
		a[0].next = &a[1];
		a[1].next = &a[0];
		break;
	case NOEXIT_SKIP_BACK:
		/* The stopped path (a + 1) leads back as well: no end. */
		a[0].flags = SYSLET_STOP_ON_ZERO | SYSLET_SKIP_TO_NEXT_ON_STOP;
		a[0].next = &a[0];
		a[1].next = &a[0];
		break;
	case NOEXIT_BRANCH:
		/* a can end, but its ->next path is a loop that cannot. */
		a[0].flags = SYSLET_STOP_ON_ZERO;
		a[0].next = &a[1];
		a[1].next = &a[2];
		a[2].next = &a[1];
		break;
	}
	rc = syslet_submit(ctx, &a[0], 0);
	syslet_ctx_destroy(ctx);
	if (rc != -ELOOP)
		return 1;
	return r[0] != TL_UNSET || r[1] != TL_UNSET || r[2] != TL_UNSET ? 2 : 0;
}

START_TEST(test_loop_without_exit)
{
	int shape;

	for (shape = 0; shape < NOEXIT_N; shape++) {
		int status;
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			alarm(TL_HANG_S);
			_exit(submit_noexit(shape));
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(!WIFSIGNALED(status),
			      "shape %d: submit ran for ever (signal %d)",
			      shape, WTERMSIG(status));
		ck_assert_msg(WEXITSTATUS(status) == 0, "shape %d: %s", shape,
			      WEXITSTATUS(status) == 1
				      ? "not refused with -ELOOP"
				      : "an atom ran");
	}
}
END_TEST

/* A loop whose stop condition ends it is still a loop: accepted. */
START_TEST(test_loop_with_exit_accepted)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[2];
	long r[2] = { TL_UNSET, TL_UNSET };

	/* getpid -> getppid (STOP_ON_NONZERO: ends) -> back to getpid */
	syslet_atom_init(&a[0], SYS_getpid, &r[0], 0, 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&a[1], SYS_getppid, &r[1], SYSLET_STOP_ON_NONZERO, 0,
			 0, 0, 0, 0, 0);
	a[0].next = &a[1];
	a[1].next = &a[0];
	ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
	ck_assert_int_eq(r[0], getpid());
	ck_assert_int_eq(r[1], getppid());
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Where the atoms ran: readlink("/proc/thread-self") names the thread.  */

struct where {
	struct syslet_atom a[2];
	long len, pp;
	char link[64];
};

/* readlinkat(AT_FDCWD, "/proc/thread-self", link) -> getppid() */
static void where_build(struct where *w, struct syslet_atom *next)
{
	memset(w->link, 0, sizeof(w->link));
	w->len = w->pp = TL_UNSET;
	syslet_atom_init(&w->a[0], SYS_readlinkat, &w->len, 0, AT_FDCWD,
			 (long)"/proc/thread-self", (long)w->link,
			 sizeof(w->link) - 1, 0, 0);
	syslet_atom_init(&w->a[1], SYS_getppid, &w->pp, 0, 0, 0, 0, 0, 0, 0);
	w->a[0].next = &w->a[1];
	w->a[1].next = next;
}

/* The TID in "PID/task/TID", checking the PID. */
static pid_t where_tid(const struct where *w)
{
	int pid = 0, tid = 0;

	ck_assert_int_gt(w->len, 0);
	ck_assert_msg(sscanf(w->link, "%d/task/%d", &pid, &tid) == 2,
		      "readlink gave \"%s\"", w->link);
	ck_assert_int_eq(pid, getpid());
	ck_assert_int_eq(w->pp, getppid());
	return (pid_t)tid;
}

START_TEST(test_async_in_the_middle)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static struct where first, second;
	struct syslet_completion c;
	char tpath[64], comm[32];
	pid_t t1, t2;
	int marker;

	where_build(&second, NULL);
	where_build(&first, &second.a[0]);
	/* The second half is forced onto a helper. */
	second.a[0].flags |= SYSLET_ASYNC;
	first.a[0].user_data = &marker;
	second.a[0].user_data = &first; /* not the head: must not show up */
	second.a[1].user_data = &second;

	ck_assert_int_eq(syslet_submit(ctx, &first.a[0], 0), SYSLET_QUEUED);
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &first.a[0]);
	ck_assert_ptr_eq(c.last, &second.a[1]);
	ck_assert_int_eq(c.result, getppid());
	ck_assert_ptr_eq(c.user_data, &marker);

	/* The atoms before the ASYNC one ran here, the rest on a helper. */
	t1 = where_tid(&first);
	t2 = where_tid(&second);
	ck_assert_int_eq(t1, tl_gettid());
	ck_assert_int_ne(t2, tl_gettid());
	snprintf(tpath, sizeof(tpath), "/proc/self/task/%d/comm", (int)t2);
	ck_assert_int_gt(tl_read_small(tpath, comm, sizeof(comm)), 0);
	ck_assert_msg(!strncmp(comm, "syslet/", 7), "helper named \"%s\"",
		      comm);
	tl_assert_ring_empty(ctx);

	/* Stopped on the helper: last is the atom that stopped. */
	{
		struct syslet_atom a[3];
		long r[3] = { TL_UNSET, TL_UNSET, TL_UNSET };
		char buf[4];

		syslet_atom_init(&a[0], SYS_getpid, &r[0], 0, 0, 0, 0, 0, 0, 0);
		syslet_atom_init(&a[1], SYS_read, &r[1],
				 SYSLET_ASYNC | SYSLET_STOP_ON_NEGATIVE, -1,
				 (long)buf, 1, 0, 0, 0);
		syslet_atom_init(&a[2], SYS_getppid, &r[2], 0, 0, 0, 0, 0, 0,
				 0);
		a[0].next = &a[1];
		a[1].next = &a[2];
		a[0].user_data = &r;
		ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_QUEUED);
		tl_wait1(ctx, &c);
		ck_assert_ptr_eq(c.head, &a[0]);
		ck_assert_ptr_eq(c.last, &a[1]);
		ck_assert_int_eq(c.result, -EBADF);
		ck_assert_ptr_eq(c.user_data, &r);
		ck_assert_int_eq(r[0], getpid());
		ck_assert_int_eq(r[1], -EBADF);
		ck_assert_int_eq(r[2], TL_UNSET);
	}

	/* A chain that moved because a call blocked, not forced. */
	{
		static struct where w1, w2;
		struct syslet_atom rd;
		long r = TL_UNSET;
		char b = 0;
		int p[2];

		tl_pipe(p);
		where_build(&w2, NULL);
		syslet_atom_init(&rd, SYS_read, &r, 0, p[0], (long)&b, 1, 0, 0,
				 0);
		rd.next = &w2.a[0];
		where_build(&w1, &rd);
		w1.a[0].user_data = &b;
		ck_assert_int_eq(syslet_submit(ctx, &w1.a[0], 0),
				 SYSLET_QUEUED);
		/* The part before the read ran before submit returned. */
		ck_assert_int_eq(where_tid(&w1), tl_gettid());
		tl_write1(p[1], 'z');
		tl_wait1(ctx, &c);
		ck_assert_ptr_eq(c.head, &w1.a[0]);
		ck_assert_ptr_eq(c.last, &w2.a[1]);
		ck_assert_int_eq(c.result, getppid());
		ck_assert_ptr_eq(c.user_data, &b);
		ck_assert_int_eq(r, 1);
		ck_assert_int_eq(b, 'z');
		ck_assert_int_ne(where_tid(&w2), tl_gettid());
		tl_close_pipe(p);
	}
	tl_destroy(ctx);
}
END_TEST

static Suite *chain_suite(void)
{
	Suite *s = suite_create("chain");
	TCase *tc = tcase_create("chain");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_arg_ref_chain);
	tcase_add_test(tc, test_arg_ref_read_late);
	tcase_add_test(tc, test_stop_inline);
	tcase_add_test(tc, test_stop_on_helper);
	tcase_add_test(tc, test_skip_to_next_on_stop);
	tcase_add_test(tc, test_skip_without_stop_ignores_next_in_memory);
	tcase_add_test(tc, test_loop_inline);
	tcase_add_test(tc, test_loop_on_helper);
	tcase_add_test(tc, test_loop_without_exit);
	tcase_add_test(tc, test_loop_with_exit_accepted);
	tcase_add_test(tc, test_async_in_the_middle);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(chain_suite());
}
