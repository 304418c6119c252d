// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Calls that cannot wait: EAGAIN at once from non-blocking pipes and
 * sockets (O_NONBLOCK, MSG_DONTWAIT, RWF_NOWAIT), and reads that find data
 * ready.  None of them needs a helper, so none may appear: the program
 * counts "syslet/" threads at the end.
 */
#include "ptest.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define SHOW(label, expr)                                                      \
	do {                                                                   \
		long r_;                                                       \
		double t_ = pt_now();                                          \
		errno = 0;                                                     \
		r_ = (long)(expr);                                             \
		printf("%-32s %ld %s%s\n", label, r_,                          \
		       r_<0 ? strerrorname_np(errno) : "ok", pt_now() - t_> 5  \
			       ? " (slow)"                                     \
			       : "");                                          \
	} while (0)

int main(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int p[2], q[2], s[2], ls;
	char buf[4096];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	long n = 0;

	pt_init();
	memset(buf, 'x', sizeof(buf));
	PT_CHECK(pipe2(p, O_NONBLOCK) == 0);
	PT_CHECK(pipe(q) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);

	SHOW("read O_NONBLOCK pipe", read(p[0], buf, 10));
	SHOW("readv O_NONBLOCK pipe", readv(p[0], &iov, 1));
	SHOW("preadv2 RWF_NOWAIT pipe", preadv2(q[0], &iov, 1, -1, RWF_NOWAIT));
	SHOW("recv MSG_DONTWAIT socket", recv(s[0], buf, 10, MSG_DONTWAIT));
	SHOW("recvfrom MSG_DONTWAIT",
	     recvfrom(s[0], buf, 10, MSG_DONTWAIT, 0, 0));
	SHOW("recvmsg MSG_DONTWAIT", recvmsg(s[0], &m, MSG_DONTWAIT));
	PT_CHECK(fcntl(s[0], F_SETFL, O_NONBLOCK) == 0);
	SHOW("read O_NONBLOCK socket", read(s[0], buf, 10));
	SHOW("recv O_NONBLOCK socket", recv(s[0], buf, 10, 0));

	/* A full pipe and socket refuse more without waiting. */
	while (write(p[1], buf, sizeof(buf)) > 0)
		n++;
	printf("pipe filled: %s\n", n > 0 && errno == EAGAIN ? "yes" : "no");
	SHOW("write full O_NONBLOCK pipe", write(p[1], buf, 10));
	SHOW("writev full O_NONBLOCK pipe", writev(p[1], &iov, 1));
	PT_CHECK(fcntl(s[1], F_SETFL, O_NONBLOCK) == 0);
	while (send(s[1], buf, sizeof(buf), 0) > 0)
		;
	printf("socket filled: %s\n", errno == EAGAIN ? "yes" : "no");
	SHOW("send full O_NONBLOCK socket", send(s[1], buf, 10, 0));
	PT_CHECK(fcntl(s[1], F_SETFL, 0) == 0);
	SHOW("send MSG_DONTWAIT full socket",
	     send(s[1], buf, 10, MSG_DONTWAIT));
	SHOW("sendmsg MSG_DONTWAIT full", sendmsg(s[1], &m, MSG_DONTWAIT));

	/* Data already there: a blocking read returns it at once. */
	SHOW("write pipe", write(q[1], "ready", 5));
	SHOW("read blocking pipe with data", read(q[0], buf, 100));
	SHOW("read O_NONBLOCK pipe full", read(p[0], buf, 100));
	SHOW("recv socket with data", recv(s[0], buf, 100, 0));

	/* accept on a non-blocking listener with nobody connecting. */
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	PT_CHECK(ls >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	PT_CHECK(bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	PT_CHECK(listen(ls, 1) == 0);
	SHOW("accept O_NONBLOCK listener",
	     accept(ls, (struct sockaddr *)&sin, &len));
	SHOW("accept4 O_NONBLOCK listener", accept4(ls, 0, 0, SOCK_CLOEXEC));

	printf("helper threads: %d\n", pt_helpers());
	return pt_exit();
}
