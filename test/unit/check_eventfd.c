// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet_eventfd(): the descriptor is readable exactly while completions
 * wait in the ring, for epoll (level- and edge-triggered), poll and select.
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <sys/epoll.h>
#include <sys/select.h>

/* Readiness, without waiting. */
static int readable_poll(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, 0);

	ck_assert_int_ge(n, 0);
	return n == 1 && (p.revents & POLLIN);
}

/* Wait (up to the hang limit) for @fd to become readable with poll(). */
static void wait_readable_poll(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, TL_HANG_S * 1000);
	while (n == -1 && errno == EINTR);
	ck_assert_msg(n == 1, "eventfd never became readable (poll %d)", n);
	ck_assert(p.revents & POLLIN);
}

/* A chain on a helper that completes once @p gets a byte. */
struct pending {
	struct syslet_atom rd;
	long ret;
	char c;
};

static void submit_pipe_read(struct syslet_ctx *ctx, struct pending *pd, int fd)
{
	pd->ret = TL_UNSET;
	pd->c = 0;
	syslet_atom_init(&pd->rd, SYS_read, &pd->ret, 0, fd, (long)&pd->c, 1, 0,
			 0, 0);
	pd->rd.user_data = pd;
	ck_assert_int_eq(syslet_submit(ctx, &pd->rd, 0), SYSLET_QUEUED);
}

START_TEST(test_descriptor)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	char link[64], lpath[64];
	ssize_t n;
	int fd, fl;

	fd = syslet_eventfd(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(syslet_eventfd(ctx), fd); /* stable */
	fl = fcntl(fd, F_GETFD);
	ck_assert_int_ne(fl, -1);
	ck_assert(fl & FD_CLOEXEC);
	fl = fcntl(fd, F_GETFL);
	ck_assert_int_ne(fl, -1);
	ck_assert(fl & O_NONBLOCK);
	snprintf(lpath, sizeof(lpath), "/proc/self/fd/%d", fd);
	n = readlink(lpath, link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	link[n] = '\0';
	ck_assert_str_eq(link, "anon_inode:[eventfd]");
	/* Nothing completed: not readable. */
	ck_assert(!readable_poll(fd));
	ck_assert_int_eq(syslet_eventfd(NULL), -EINVAL);
	tl_destroy(ctx);
	/* Closed by destroy. */
	errno = 0;
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_epoll_level)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	struct syslet_completion c[4];
	static struct pending pd[3];
	int fd = syslet_eventfd(ctx), ep, p[2], i, n;

	tl_pipe(p);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ck_assert_int_ge(ep, 0);
	ev.data.u64 = 77;
	ck_assert_int_eq(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	ck_assert_int_eq(epoll_wait(ep, out, 4, 0), 0);

	for (i = 0; i < 3; i++)
		submit_pipe_read(ctx, &pd[i], p[0]);
	ck_assert_int_eq(epoll_wait(ep, out, 4, 0), 0);
	/* One byte: one chain completes. */
	tl_write1(p[1], 'a');
	do
		n = epoll_wait(ep, out, 4, TL_HANG_S * 1000);
	while (n == -1 && errno == EINTR);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(out[0].data.u64, 77);
	ck_assert(out[0].events & EPOLLIN);
	/* Level-triggered: still readable until reaped. */
	ck_assert_int_eq(epoll_wait(ep, out, 4, 0), 1);
	ck_assert_int_eq(syslet_reap(ctx, c, 4), 1);
	ck_assert_int_eq(c[0].result, 1);
	ck_assert_int_eq(((struct pending *)c[0].user_data)->c, 'a');
	ck_assert_int_eq(epoll_wait(ep, out, 4, 0), 0);

	/* Two more: readable until both are taken, one at a time. */
	ck_assert_int_eq(write(p[1], "bc", 2), 2);
	tl_wait_n(ctx, c, 1);
	/* The other may still be on its way: wait for its result ... */
	for (i = 0; i < 3; i++)
		tl_wait_change(&pd[i].ret, TL_UNSET);
	/* ... and for its completion, through the descriptor. */
	do
		n = epoll_wait(ep, out, 4, TL_HANG_S * 1000);
	while (n == -1 && errno == EINTR);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(syslet_reap(ctx, c, 1), 1);
	ck_assert_int_eq(epoll_wait(ep, out, 4, 0), 0);
	ck_assert_int_eq(syslet_reap(ctx, c, 4), 0);
	ck_assert(!readable_poll(fd));

	close(ep);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/*
 * After every chain's result is at its ret_ptr, its completion is posted
 * very soon after; wait for it through the descriptor itself.
 */
START_TEST(test_poll_and_select)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[2];
	static struct pending pd;
	int fd = syslet_eventfd(ctx), p[2], n;
	fd_set rs;
	struct timeval tv;

	tl_pipe(p);
	ck_assert_int_lt(fd, FD_SETSIZE);

	/* poll */
	submit_pipe_read(ctx, &pd, p[0]);
	ck_assert(!readable_poll(fd));
	tl_write1(p[1], 'x');
	wait_readable_poll(fd);
	ck_assert(readable_poll(fd)); /* stays readable */
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert_ptr_eq(c[0].head, &pd.rd);
	ck_assert(!readable_poll(fd));

	/* select */
	submit_pipe_read(ctx, &pd, p[0]);
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	ck_assert_int_eq(select(fd + 1, &rs, NULL, NULL, &tv), 0);
	tl_write1(p[1], 'y');
	do {
		FD_ZERO(&rs);
		FD_SET(fd, &rs);
		tv.tv_sec = TL_HANG_S;
		tv.tv_usec = 0;
		n = select(fd + 1, &rs, NULL, NULL, &tv);
	} while (n == -1 && errno == EINTR);
	ck_assert_int_eq(n, 1);
	ck_assert(FD_ISSET(fd, &rs));
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert_int_eq(pd.c, 'y');
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	ck_assert_int_eq(select(fd + 1, &rs, NULL, NULL, &tv), 0);

	/* syslet_wait() resets it too. */
	submit_pipe_read(ctx, &pd, p[0]);
	tl_write1(p[1], 'z');
	wait_readable_poll(fd);
	tl_wait1(ctx, c);
	ck_assert(!readable_poll(fd));

	/* CQE_ALWAYS on an inline chain makes it readable at once. */
	{
		struct syslet_atom a;
		long r = TL_UNSET;

		syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
		ck_assert(readable_poll(fd));
		ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
		ck_assert(!readable_poll(fd));
		/* SUBMIT_WAIT posts nothing: stays unreadable. */
		ck_assert_int_eq(
			syslet_submit(ctx, &a,
				      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
			SYSLET_DONE);
		ck_assert_int_eq(r, getpid());
		ck_assert(!readable_poll(fd));
	}
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_epoll_edge)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out[2];
	struct syslet_completion c[8];
	static struct pending pd[4];
	int fd = syslet_eventfd(ctx), ep, p[2], i, n, round;

	tl_pipe(p);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ck_assert_int_ge(ep, 0);
	ck_assert_int_eq(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 0);

	for (round = 0; round < 3; round++) {
		int got = 0;

		for (i = 0; i < 4; i++)
			submit_pipe_read(ctx, &pd[i], p[0]);
		ck_assert_int_eq(write(p[1], "abcd", 4), 4);
		/* One edge, then reap until nothing is left. */
		while (got < 4) {
			do
				n = epoll_wait(ep, out, 2, TL_HANG_S * 1000);
			while (n == -1 && errno == EINTR);
			ck_assert_msg(n == 1,
				      "round %d: no edge with %d of 4 "
				      "taken",
				      round, got);
			while ((n = syslet_reap(ctx, c, 1)) > 0)
				got += n;
			ck_assert_int_eq(n, 0);
		}
		ck_assert_int_eq(got, 4);
		/* Everything taken: no further edge. */
		ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 0);
		for (i = 0; i < 4; i++)
			ck_assert_int_eq(pd[i].ret, 1);
	}

	/* Edge with a CQE_ALWAYS inline completion: deterministic. */
	{
		struct syslet_atom a;
		long r;

		syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
		ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 1);
		/* Reported once: no new edge while it sits there. */
		ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 0);
		ck_assert_int_eq(syslet_reap(ctx, c, 8), 1);
		ck_assert_int_eq(syslet_reap(ctx, c, 8), 0);
		/* A new completion after the ring emptied: a new edge. */
		ck_assert_int_eq(
			syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
		ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 1);
		ck_assert_int_eq(syslet_reap(ctx, c, 8), 1);
		ck_assert_int_eq(epoll_wait(ep, out, 2, 0), 0);
	}
	close(ep);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* Completions that came before the first syslet_eventfd() call count. */
START_TEST(test_armed_late_inline)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[2];
	struct syslet_atom a;
	long r = TL_UNSET;
	int fd;

	syslet_atom_init(&a, SYS_getpid, &r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_CQE_ALWAYS),
			 SYSLET_DONE);
	fd = syslet_eventfd(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert(readable_poll(fd));
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert(!readable_poll(fd));
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_armed_late_async)
{
	/* One helper: the second chain runs after the first was posted. */
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct syslet_completion c[2];
	struct syslet_atom a, b;
	long ra = TL_UNSET, rb = TL_UNSET;
	int fd;

	syslet_atom_init(&a, SYS_getpid, &ra, 0, 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&b, SYS_getppid, &rb, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC),
			 SYSLET_QUEUED);
	ck_assert_int_eq(
		syslet_submit(ctx, &b,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	ck_assert_int_eq(ra, getpid());
	ck_assert_int_eq(rb, getppid());
	fd = syslet_eventfd(ctx);
	ck_assert_int_ge(fd, 0);
	ck_assert(readable_poll(fd));
	ck_assert_int_eq(syslet_reap(ctx, c, 2), 1);
	ck_assert_ptr_eq(c[0].head, &a);
	ck_assert(!readable_poll(fd));
	tl_destroy(ctx);
}
END_TEST

/* A reap that leaves some behind leaves the descriptor readable. */
START_TEST(test_partial_reap_stays_readable)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_completion c[4];
	struct syslet_atom a[3];
	long r[3];
	int fd = syslet_eventfd(ctx), i;

	for (i = 0; i < 3; i++) {
		syslet_atom_init(&a[i], SYS_getpid, &r[i], 0, 0, 0, 0, 0, 0, 0);
		ck_assert_int_eq(
			syslet_submit(ctx, &a[i], SYSLET_SUBMIT_CQE_ALWAYS),
			SYSLET_DONE);
	}
	ck_assert(readable_poll(fd));
	ck_assert_int_eq(syslet_reap(ctx, c, 1), 1);
	ck_assert_ptr_eq(c[0].head, &a[0]);
	ck_assert(readable_poll(fd));
	ck_assert_int_eq(syslet_reap(ctx, c, 1), 1);
	ck_assert_ptr_eq(c[0].head, &a[1]);
	ck_assert(readable_poll(fd));
	ck_assert_int_eq(syslet_reap(ctx, c, 4), 1);
	ck_assert_ptr_eq(c[0].head, &a[2]);
	ck_assert(!readable_poll(fd));
	tl_destroy(ctx);
}
END_TEST

static Suite *eventfd_suite(void)
{
	Suite *s = suite_create("eventfd");
	TCase *tc = tcase_create("eventfd");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_descriptor);
	tcase_add_test(tc, test_epoll_level);
	tcase_add_test(tc, test_poll_and_select);
	tcase_add_test(tc, test_epoll_edge);
	tcase_add_test(tc, test_armed_late_inline);
	tcase_add_test(tc, test_armed_late_async);
	tcase_add_test(tc, test_partial_reap_stays_readable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(eventfd_suite());
}
