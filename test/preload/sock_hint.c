// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * read() of a socket is tried as recvfrom(MSG_DONTWAIT) once the engine
 * has seen the descriptor to be a socket (rw.c, fd.c): short counts,
 * datagrams one at a time, EAGAIN from a non-blocking one, and, after the
 * socket is closed and its number reused for a regular file, the file's
 * full read.  Each result is printed, to be compared with native runs.
 */
#include "ptest.h"

#include <sys/socket.h>

static void show(const char *label, long r, const char *buf)
{
	printf("%-28s %ld %s", label, r, r < 0 ? strerrorname_np(errno) : "");
	if (r > 0 && buf)
		printf("'%.*s'", (int)(r < 16 ? r : 16), buf);
	printf("\n");
}

int main(void)
{
	static const char letters[] = "abcdefg";
	char path[] = "sock_hint.XXXXXX", buf[8192], data[10000];
	int s[2], d[2], fd, i;

	pt_init();
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
	for (i = 0; i < 3; i++) {
		PT_CHECK(write(s[1], &letters[i], 3 + (size_t)i) ==
			 3 + (ssize_t)i);
		show("stream, short", read(s[0], buf, sizeof(buf)), buf);
	}
	PT_CHECK(fcntl(s[0], F_SETFL, O_NONBLOCK) == 0);
	show("stream, empty, O_NONBLOCK", read(s[0], buf, sizeof(buf)), buf);

	PT_CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, d) == 0);
	PT_CHECK(send(d[1], "one", 3, 0) == 3);
	PT_CHECK(send(d[1], "two!", 4, 0) == 4);
	show("datagram", read(d[0], buf, sizeof(buf)), buf);
	show("datagram", read(d[0], buf, sizeof(buf)), buf);
	PT_CHECK(send(d[1], "three", 5, 0) == 5);
	show("datagram, shorter buffer", read(d[0], buf, 2), buf);

	/* The number reused for a regular file: read as a file. */
	PT_CHECK(close(s[0]) == 0);
	PT_CHECK((fd = mkstemp(path)) >= 0);
	PT_CHECK(unlink(path) == 0);
	printf("file got the socket's number: %s\n", fd == s[0] ? "yes" : "no");
	PT_CHECK(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	show("file", read(fd, buf, sizeof(buf)), buf);
	show("file, the rest", read(fd, buf, sizeof(buf)), buf);
	show("file, at the end", read(fd, buf, sizeof(buf)), buf);
	return pt_exit();
}
