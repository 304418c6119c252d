// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fork(): the child's copy of a context.  Chains in flight in the parent
 * complete in the child with -ECANCELED, unreaped completions stay, new
 * chains start helpers of the child's own, and syslet_eventfd() is the same
 * number for a new eventfd; the parent's chains go on undisturbed.
 *
 * The child cannot use Check's assertions: it reports the number of the
 * first check that failed as its exit status (0: all passed), and the
 * parent asserts on that.
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <sys/wait.h>

/* The "eventfd-id:" of descriptor @fd, or -1. */
static long eventfd_id(int fd)
{
	char path[64], buf[512], *s;
	long id = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (tl_read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	s = strstr(buf, "eventfd-id:");
	if (!s || sscanf(s, "eventfd-id: %ld", &id) != 1)
		return -1;
	return id;
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* A thread of this process named "syslet/..."? */
static int have_helper(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	char path[300], comm[32];
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 e->d_name);
		if (tl_read_small(path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, "syslet/", 7))
			found = 1;
	}
	closedir(d);
	return found;
}

/* Wait for one completion in the child, with the hang limit. */
static int child_wait1(struct syslet_ctx *ctx, struct syslet_completion *c)
{
	struct timespec to = { TL_HANG_S, 0 };
	int rc;

	do
		rc = syslet_wait(ctx, c, 1, 1, &to);
	while (rc == -EINTR);
	return rc;
}

/* Everything the child checks; the parent's state, as the child sees it. */
struct forked {
	struct syslet_ctx *ctx;
	int efd;
	long parent_efd_id;
	pid_t parent;
	struct syslet_atom *rd; /* in flight in the parent */
	long *rd_ret;
	struct syslet_atom *g; /* completed, unreaped in the parent */
	int p0;		       /* the parent's chain reads from here */
};

#define CHECK(n, cond)                                                         \
	do {                                                                   \
		if (!(cond))                                                   \
			return (n);                                            \
	} while (0)

static int child_checks(struct forked *f)
{
	struct syslet_completion c[4];
	struct syslet_atom a, rd2;
	long r = TL_UNSET, r2 = TL_UNSET;
	int i, n, q[2], seen_rd = 0, seen_g = 0;
	char b = 0;

	/* 1-3: the same number, a different eventfd, readable (the ring has
	 * the parent's unreaped completion and the cancelled chain). */
	CHECK(1, syslet_eventfd(f->ctx) == f->efd);
	CHECK(2, eventfd_id(f->efd) >= 0 &&
			 eventfd_id(f->efd) != f->parent_efd_id);
	CHECK(3, readable(f->efd));
	/* 4: no helper yet. */
	CHECK(4, !have_helper());

	/* 5-10: the completions. */
	n = syslet_reap(f->ctx, c, 4);
	CHECK(5, n == 2);
	for (i = 0; i < n; i++) {
		if (c[i].head == f->rd) {
			CHECK(6, c[i].last == f->rd);
			CHECK(7, c[i].result == -ECANCELED);
			seen_rd++;
		} else if (c[i].head == f->g) {
			CHECK(8, c[i].result == f->parent);
			seen_g++;
		}
	}
	CHECK(9, seen_rd == 1 && seen_g == 1);
	CHECK(10, *f->rd_ret == -ECANCELED);
	CHECK(11, !readable(f->efd));
	CHECK(12, syslet_cancel(f->ctx, f->rd) == -ENOENT);

	/* 13-17: a new async chain works, on a helper of the child. */
	syslet_atom_init(&a, SYS_getppid, &r, 0, 0, 0, 0, 0, 0, 0);
	CHECK(13,
	      syslet_submit(f->ctx, &a, SYSLET_SUBMIT_ASYNC) == SYSLET_QUEUED);
	CHECK(14, child_wait1(f->ctx, c) == 1);
	CHECK(15,
	      c[0].head == &a && c[0].result == f->parent && r == f->parent);
	CHECK(16, have_helper());
	CHECK(17, !readable(f->efd));

	/* 18-23: a blocking read on a helper, announced on the eventfd. */
	if (pipe2(q, O_CLOEXEC))
		return 18;
	syslet_atom_init(&rd2, SYS_read, &r2, 0, q[0], (long)&b, 1, 0, 0, 0);
	CHECK(19, syslet_submit(f->ctx, &rd2, 0) == SYSLET_QUEUED);
	CHECK(20, write(q[1], "c", 1) == 1);
	{
		struct pollfd p = { .fd = f->efd, .events = POLLIN };

		CHECK(21, poll(&p, 1, TL_HANG_S * 1000) == 1);
	}
	CHECK(22, syslet_reap(f->ctx, c, 4) == 1 && c[0].head == &rd2 &&
			  c[0].result == 1 && b == 'c');
	CHECK(23, !readable(f->efd));

	/* 24-26: cancel works in the child. */
	r2 = TL_UNSET;
	CHECK(24, syslet_submit(f->ctx, &rd2, 0) == SYSLET_QUEUED);
	for (i = 0; !tl_find_blocked(SYS_read, q[0]); i++) {
		CHECK(29, i < TL_HANG_S * 1000);
		tl_sleep_ms(1);
	}
	CHECK(25, syslet_cancel(f->ctx, &rd2) == 0);
	CHECK(26, child_wait1(f->ctx, c) == 1 && c[0].result == -ECANCELED &&
			  r2 == -ECANCELED);
	close(q[0]);
	close(q[1]);

	/* 27: the child never read the parent's pipe. */
	{
		int avail = -1;

		CHECK(27, ioctl(f->p0, FIONREAD, &avail) == 0 && avail == 0);
	}
	CHECK(28, syslet_ctx_destroy(f->ctx) == 0);
	return 0;
}

START_TEST(test_fork_child)
{
	struct syslet_params params;
	struct syslet_ctx *ctx = NULL;
	struct syslet_atom rd, g;
	struct syslet_completion c;
	struct forked f;
	long ret = TL_UNSET, gret = TL_UNSET;
	char b = 0;
	int p[2], status, efd;
	pid_t pid;

	/*
	 * The child's helper must still be there at check 16 however long
	 * the machine stalls the child: with the default idle timeout (2 s)
	 * it could already have exited.
	 */
	ck_assert_int_eq(syslet_params_init(&params), 0);
	params.idle_timeout_ms = 600000;
	ck_assert_int_eq(syslet_ctx_create(&params, &ctx), 0);
	tl_pipe(p);
	efd = syslet_eventfd(ctx);
	ck_assert_int_ge(efd, 0);
	/* A completion left in the ring ... */
	syslet_atom_init(&g, SYS_getpid, &gret, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &g, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	/* ... and a chain blocked on a helper. */
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);

	f.ctx = ctx;
	f.efd = efd;
	f.parent_efd_id = eventfd_id(efd);
	ck_assert_int_ge(f.parent_efd_id, 0);
	f.parent = getpid();
	f.rd = &rd;
	f.rd_ret = &ret;
	f.g = &g;
	f.p0 = p[0];

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(child_checks(&f));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died (status %#x)", status);
	ck_assert_msg(WEXITSTATUS(status) == 0, "child failed check %d",
		      WEXITSTATUS(status));

	/* The parent: its chain still in flight, its eventfd its own. */
	ck_assert_int_eq(ret, TL_UNSET);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), -EBUSY);
	ck_assert(readable(efd)); /* g is still here */
	ck_assert_int_eq(eventfd_id(efd), f.parent_efd_id);
	ck_assert_int_eq(syslet_reap(ctx, &c, 1), 1);
	ck_assert_ptr_eq(c.head, &g);
	ck_assert_int_eq(c.result, getpid());
	ck_assert(!readable(efd));
	tl_write1(p[1], 'P');
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &rd);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(ret, 1);
	ck_assert_int_eq(b, 'P');
	tl_assert_ring_empty(ctx);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A SUBMIT_WAIT in flight in another thread: its slot is free in the    */
/* child, whose copy of that thread does not exist.                      */

struct waiter {
	struct syslet_ctx *ctx;
	struct syslet_atom a;
	long ret;
	char b;
	int rc;
};

static void *submit_wait(void *arg)
{
	struct waiter *w = arg;

	w->rc = syslet_submit(w->ctx, &w->a, SYSLET_SUBMIT_WAIT);
	return NULL;
}

static int child_slots(struct syslet_ctx *ctx, struct syslet_atom *blocked)
{
	struct syslet_completion c[4];
	struct syslet_atom x, y;
	long rx = TL_UNSET, ry = TL_UNSET;
	int q[2];
	char b;

	/* 1: only the main thread's chain completes here. */
	CHECK(1, syslet_reap(ctx, c, 4) == 1 && c[0].head == blocked &&
			 c[0].result == -ECANCELED);
	/* 2-3: both slots are free: two chains go to helpers. */
	if (pipe2(q, O_CLOEXEC))
		return 2;
	syslet_atom_init(&x, SYS_read, &rx, 0, q[0], (long)&b, 1, 0, 0, 0);
	syslet_atom_init(&y, SYS_getppid, &ry, 0, 0, 0, 0, 0, 0, 0);
	CHECK(3, syslet_submit(ctx, &x, 0) == SYSLET_QUEUED);
	CHECK(4, syslet_submit(ctx, &y, SYSLET_SUBMIT_ASYNC) == SYSLET_QUEUED);
	CHECK(5, child_wait1(ctx, c) == 1 && c[0].head == &y);
	CHECK(6, write(q[1], "x", 1) == 1);
	CHECK(7,
	      child_wait1(ctx, c) == 1 && c[0].head == &x && c[0].result == 1);
	CHECK(8, syslet_ctx_destroy(ctx) == 0);
	return 0;
}

START_TEST(test_fork_submit_wait_slot)
{
	struct syslet_ctx *ctx = tl_ctx(0, 2);
	struct syslet_atom rd;
	struct syslet_completion c;
	static struct waiter w;
	long ret = TL_UNSET;
	char b;
	int p[2], q[2], status;
	pthread_t t;
	pid_t pid;

	tl_pipe(p);
	tl_pipe(q);
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.ret = TL_UNSET;
	syslet_atom_init(&w.a, SYS_read, &w.ret, 0, q[0], (long)&w.b, 1, 0, 0,
			 0);
	ck_assert_int_eq(pthread_create(&t, NULL, submit_wait, &w), 0);
	tl_wait_blocked(SYS_read, q[0]);
	syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
	tl_wait_blocked(SYS_read, p[0]);

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(child_slots(ctx, &rd));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died (status %#x)", status);
	ck_assert_msg(WEXITSTATUS(status) == 0, "child failed check %d",
		      WEXITSTATUS(status));

	/* The parent's two chains complete normally. */
	tl_write1(q[1], 'w');
	pthread_join(t, NULL);
	ck_assert_int_eq(w.rc, SYSLET_DONE);
	ck_assert_int_eq(w.ret, 1);
	ck_assert_int_eq(w.b, 'w');
	tl_write1(p[1], 'r');
	tl_wait1(ctx, &c);
	ck_assert_ptr_eq(c.head, &rd);
	ck_assert_int_eq(c.result, 1);
	ck_assert_int_eq(b, 'r');
	tl_close_pipe(p);
	tl_close_pipe(q);
	tl_destroy(ctx);
}
END_TEST

static Suite *fork_suite(void)
{
	Suite *s = suite_create("fork");
	TCase *tc = tcase_create("fork");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fork_child);
	tcase_add_test(tc, test_fork_submit_wait_slot);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(fork_suite());
}
