// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A blocking pipe read that waits for data another thread writes 200 ms
 * later returns that data, and under the shim waited for a helper: while
 * the reader blocked, a "syslet/" thread was in read() on the pipe and the
 * reader in a futex wait.  The same for a socket, with recv().
 */
#include "ptest.h"

#include <sys/socket.h>

static void one(int rfd, int wfd, long nr, const char *what, bool use_recv)
{
	static const char msg[] = "written 200 ms later";
	struct pt_feeder f = { 0 };
	char buf[64] = { 0 };
	long n;

	f.tid = pt_tid();
	f.fd = rfd;
	f.native_nr = nr;
	f.what = what;
	f.wfd = wfd;
	f.data = msg;
	f.len = sizeof(msg);
	f.delay_ms = 200;
	pt_feeder_start(&f);
	errno = 4321;
	n = use_recv ? recv(rfd, buf, sizeof(buf), 0)
		     : read(rfd, buf, sizeof(buf));
	pt_feeder_join(&f);
	printf("%s: %ld bytes \"%s\" errno %d\n", what, n, buf, errno);
	PT_CHECK(n == (long)sizeof(msg) && !strcmp(buf, msg));
}

int main(void)
{
	int p[2], s[2];

	pt_init();
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
	one(p[0], p[1], SYS_read, "read pipe", false);
	one(p[0], p[1], SYS_read, "read pipe again", false);
	one(s[0], s[1], SYS_recvfrom, "recv socket", true);
	return pt_exit();
}
