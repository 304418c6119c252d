// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * loopserver: an event-loop server with one blocking call site, and its
 * twin converted to libsyslet; the example behind the gain estimate of
 * 'syslet report --sites' (doc/report-schema.md, "The gain").
 *
 *   loopserver [--async] [--work-us N] [--block-us N] SOCKET
 *   loopserver --client SOCKET CONNECTIONS MILLISECONDS
 *
 * The server answers one byte with one byte on a Unix stream socket.  For
 * each request its single thread works for --work-us (spinning on the
 * clock: the same wall time however busy the machine) and then calls
 * slow_site(), a read that blocks for --block-us (a timerfd, standing for
 * a slow device).  With --async the read is submitted to libsyslet and the
 * answer sent when its completion comes, so the loop works on other
 * requests meanwhile.  A request byte 'q' ends the server (exit 0).
 *
 * The client keeps CONNECTIONS requests in flight for MILLISECONDS, prints
 * "requests N per_second R", then sends 'q'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <syslet.h>

#define MAX_CONNS 64

struct conn {
	int fd, tfd;
	uint64_t ticks; /* what the asynchronous read reads */
	long res;
	struct syslet_atom at;
	struct conn *next, **pprev; /* the live ones, freed at 'q' */
};

static struct conn *live;

static long work_us = 3000, block_us = 3000;
static struct syslet_ctx *ctx; /* --async */

static void die(const char *what)
{
	fprintf(stderr, "loopserver: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void work(void)
{
	int64_t until = now_ns() + work_us * 1000;

	while (now_ns() < until)
		;
}

static void arm(struct conn *c)
{
	struct itimerspec it = { .it_value = { block_us / 1000000,
					       block_us % 1000000 * 1000 } };

	if (timerfd_settime(c->tfd, 0, &it, 0))
		die("timerfd_settime");
}

/* A client gone meanwhile is no error of ours. */
static void answer(struct conn *c)
{
	if (send(c->fd, "a", 1, MSG_NOSIGNAL) != 1 && errno != EPIPE &&
	    errno != ECONNRESET)
		die("send");
}

void slow_site(struct conn *c);

/* The blocking call site: the read waits for the timer. */
__attribute__((noinline)) void slow_site(struct conn *c)
{
	uint64_t ticks;

	arm(c);
	if (read(c->tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
		die("slow_site read");
}

/* The same, asynchronous: the answer goes when the read completes. */
static void slow_site_async(struct conn *c)
{
	int rc;

	arm(c);
	syslet_atom_init(&c->at, SYS_read, &c->res, 0, c->tfd, (long)&c->ticks,
			 sizeof(c->ticks), 0, 0, 0);
	c->at.user_data = c;
	rc = syslet_submit(ctx, &c->at, SYSLET_SUBMIT_CQE_ALWAYS);
	if (rc < 0) {
		errno = -rc;
		die("syslet_submit");
	}
}

static void completions(void)
{
	struct syslet_completion cqe[MAX_CONNS];
	uint64_t n;
	int i, got;

	if (read(syslet_eventfd(ctx), &n, sizeof(n)) < 0 && errno != EAGAIN)
		die("eventfd");
	while ((got = syslet_reap(ctx, cqe, MAX_CONNS)) > 0)
		for (i = 0; i < got; i++) {
			if (cqe[i].result != 8)
				die("slow_site_async read");
			answer(cqe[i].user_data);
		}
}

static void drop(struct conn *c)
{
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	close(c->fd);
	close(c->tfd);
	free(c);
}

/* 'q': everything given back, so that a leak checker finds nothing. */
static int quit(int lfd, int ep)
{
	if (ctx)
		syslet_ctx_destroy(ctx); /* the reads in flight first */
	while (live)
		drop(live);
	close(ep);
	close(lfd);
	return 0;
}

static int serve(const char *path, int async)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev, evs[MAX_CONNS];
	struct conn *c;
	int lfd, ep, i, n;
	char b;

	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (lfd < 0 || bind(lfd, (void *)&sa, sizeof(sa)) ||
	    listen(lfd, MAX_CONNS))
		die("listen");
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = 0 };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		die("epoll");
	if (async) {
		n = syslet_ctx_create(NULL, &ctx);
		if (n < 0) {
			errno = -n;
			die("syslet_ctx_create");
		}
		ev.data.ptr = &ctx;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, syslet_eventfd(ctx), &ev))
			die("epoll eventfd");
	}
	for (;;) {
		n = epoll_wait(ep, evs, MAX_CONNS, -1);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (c == (void *)&ctx) {
				completions();
				continue;
			}
			if (!c) {
				c = calloc(1, sizeof(*c));
				if (!c)
					die("calloc");
				c->fd = accept4(lfd, 0, 0, SOCK_CLOEXEC);
				c->tfd = timerfd_create(CLOCK_MONOTONIC,
							TFD_CLOEXEC);
				ev.data.ptr = c;
				if (c->fd < 0 || c->tfd < 0 ||
				    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev))
					die("accept");
				c->next = live;
				c->pprev = &live;
				if (live)
					live->pprev = &c->next;
				live = c;
				continue;
			}
			if (read(c->fd, &b, 1) != 1) {
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, 0);
				drop(c); /* the client is gone */
				continue;
			}
			if (b == 'q')
				return quit(lfd, ep);
			work();
			if (async)
				slow_site_async(c);
			else {
				slow_site(c);
				answer(c);
			}
		}
	}
}

static int client(const char *path, int conns, long ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd[MAX_CONNS], ep, i, n;
	struct epoll_event ev, evs[MAX_CONNS];
	int64_t end;
	long done = 0;
	char b;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ep = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; i < conns; i++) {
		fd[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = i };
		if (fd[i] < 0 || connect(fd[i], (void *)&sa, sizeof(sa)) ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev) ||
		    write(fd[i], "r", 1) != 1)
			die("connect");
	}
	end = now_ns() + ms * 1000000;
	while (now_ns() < end) {
		n = epoll_wait(ep, evs, MAX_CONNS, 100);
		for (i = 0; i < n; i++) {
			int k = (int)evs[i].data.u32;

			if (read(fd[k], &b, 1) != 1 ||
			    write(fd[k], "r", 1) != 1)
				die("client");
			done++;
		}
	}
	printf("requests %ld per_second %.1f\n", done, done * 1000.0 / ms);
	fflush(stdout);
	/* Every connection has one answer to come: take them, then end. */
	for (i = 0; i < conns; i++)
		if (read(fd[i], &b, 1) != 1)
			die("client");
	return write(fd[0], "q", 1) == 1 ? 0 : 2;
}

int main(int argc, char **argv)
{
	int async = 0, i = 1, conns;

	if (argc == 5 && !strcmp(argv[1], "--client")) {
		conns = atoi(argv[3]);
		if (conns < 1 || conns > MAX_CONNS || atol(argv[4]) <= 0) {
			fprintf(stderr,
				"loopserver: 1 to %d connections, "
				"and a time\n",
				MAX_CONNS);
			return 2;
		}
		return client(argv[2], conns, atol(argv[4]));
	}
	for (; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--async"))
			async = 1;
		else if (!strcmp(argv[i], "--work-us") && i + 2 < argc)
			work_us = atol(argv[++i]);
		else if (!strcmp(argv[i], "--block-us") && i + 2 < argc)
			block_us = atol(argv[++i]);
		else
			break;
	}
	if (i != argc - 1 || work_us < 0 || block_us <= 0) {
		fprintf(stderr, "usage: loopserver [--async] [--work-us N] "
				"[--block-us N] SOCKET\n"
				"       loopserver --client SOCKET CONNECTIONS "
				"MILLISECONDS\n");
		return 2;
	}
	return serve(argv[i], async);
}
