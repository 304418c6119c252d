// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Return values and errno of the read/write family on files, pipes and
 * sockets: short reads at EOF, zero-length calls, EBADF, EFAULT, EISDIR,
 * ESPIPE, EINVAL; errno untouched by successful calls, routed or not.
 */
#include "ptest.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* One line per call: its value, errno if it failed, and errno after. */
#define SHOW(label, expr)                                                      \
	do {                                                                   \
		long r_;                                                       \
		errno = 777;                                                   \
		r_ = (long)(expr);                                             \
		printf("%-34s %ld %s\n", label, r_,                            \
		       r_ < 0	      ? strerrorname_np(errno)                 \
		       : errno == 777 ? "errno-kept"                           \
				      : "errno-changed");                      \
	} while (0)

/* Hidden from the compiler, which would warn about the calls using them. */
static char *volatile bad_ptr = (char *)8; /* never mapped */
static volatile int minus_one = -1, too_many = 2000;
#define bad ((void *)bad_ptr)

int main(void)
{
	char path[] = "/tmp/syslet-rw.XXXXXX", buf[256];
	struct iovec iov[2], bad_iov = { 0, 4 };
	int fd, ro, dir, p[2], s[2], d[2];
	struct pt_feeder f = { 0 };

	pt_init();
	bad_iov.iov_base = bad;
	fd = mkstemp(path);
	PT_CHECK(fd >= 0);
	unlink(path);
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, d) == 0);
	dir = open("/", O_RDONLY | O_DIRECTORY);
	PT_CHECK(dir >= 0);
	ro = open("/dev/null", O_RDONLY);
	PT_CHECK(ro >= 0);

	/* Files. */
	SHOW("write file 10", write(fd, "0123456789", 10));
	SHOW("pwrite file 5 at 100", pwrite(fd, "abcde", 5, 100));
	SHOW("pwrite file 3 at 4G+7", pwrite(fd, "xyz", 3, (1LL << 32) + 7));
	SHOW("lseek after pwrite", lseek(fd, 0, SEEK_CUR));
	SHOW("pread file 8 at 4G+5", pread(fd, buf, 8, (1LL << 32) + 5));
	printf("  data %.3s\n", buf + 2);
	SHOW("ftruncate 105", ftruncate(fd, 105));
	SHOW("lseek 98", lseek(fd, 98, SEEK_SET));
	SHOW("read file 64 short at EOF", read(fd, buf, 64));
	printf("  data %.5s\n", buf + 2); /* 7 bytes read: buf[2..6] */
	SHOW("read file at EOF", read(fd, buf, 64));
	SHOW("read file 0 bytes", read(fd, buf, 0));
	SHOW("pread file 4 at 2", pread(fd, buf, 4, 2));
	printf("  data %.4s\n", buf);
	SHOW("pread file at 1000 (EOF)", pread(fd, buf, 4, 1000));
	iov[0] = (struct iovec){ buf, 3 };
	iov[1] = (struct iovec){ buf + 3, 100 };
	SHOW("preadv file 2 segs at 0", preadv(fd, iov, 2, 0));
	SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
	SHOW("pread file offset -1", pread(fd, buf, 4, -1));
	SHOW("lseek after pread -1", lseek(fd, 0, SEEK_CUR));
	SHOW("pwrite file offset -1", pwrite(fd, "!!", 2, -1));
	SHOW("lseek after pwrite -1", lseek(fd, 0, SEEK_CUR));
	SHOW("preadv file offset -1", preadv(fd, iov, 2, -1));
	SHOW("pread file offset -5", pread(fd, buf, 4, -5));
	SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
	SHOW("readv file 2 segs", readv(fd, iov, 2));
	SHOW("readv file iovcnt -1", readv(fd, iov, minus_one));
	SHOW("readv file iovcnt 2000", readv(fd, iov, too_many));
	SHOW("read file bad buffer", read(fd, bad, 4));
	SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
	SHOW("readv file bad iovec", readv(fd, (struct iovec *)bad, 1));
	SHOW("readv file bad iov_base", readv(fd, &bad_iov, 1));
	SHOW("pread file bad buffer", pread(fd, bad, 4, 0));
	SHOW("write file bad buffer", write(fd, bad, 4));
	SHOW("writev file bad iovec", writev(fd, (struct iovec *)bad, 1));
	SHOW("write read-only fd", write(ro, "x", 1));
	SHOW("read fd -1", read(-1, buf, 4));
	SHOW("read closed fd", read(999, buf, 4));
	SHOW("write closed fd", write(999, buf, 4));
	SHOW("pread closed fd", pread(999, buf, 4, 0));
	SHOW("readv closed fd", readv(999, iov, 2));
	SHOW("read directory", read(dir, buf, 4));
	SHOW("pread directory", pread(dir, buf, 4, 0));

	/* Pipes. */
	SHOW("read empty pipe 0 bytes", read(p[0], buf, 0));
	SHOW("write pipe 6", write(p[1], "pipe!!", 6));
	SHOW("pread pipe", pread(p[0], buf, 4, 0));
	SHOW("pwrite pipe", pwrite(p[1], "x", 1, 0));
	SHOW("preadv pipe", preadv(p[0], iov, 2, 0));
	SHOW("pread pipe offset -1", pread(p[0], buf, 2, -1));
	SHOW("pwrite pipe offset -1", pwrite(p[1], "??", 2, -1));
	SHOW("pwrite socket offset -1", pwrite(s[0], "??", 2, -1));
	SHOW("read socket", recv(s[1], buf, 64, MSG_DONTWAIT));
	SHOW("read pipe bad buffer", read(p[0], bad, 4));
	SHOW("readv pipe 2 segs", readv(p[0], iov, 2));
	printf("  data %.6s\n", buf);
	iov[0] = (struct iovec){ "ab", 2 };
	iov[1] = (struct iovec){ "cdef", 4 };
	SHOW("writev pipe 2 segs", writev(p[1], iov, 2));
	SHOW("read pipe 100", read(p[0], buf, 100));
	printf("  data %.6s\n", buf);
	SHOW("write pipe bad buffer", write(p[1], bad, 4));
	SHOW("write pipe read end", write(p[0], "x", 1));
	SHOW("read pipe write end", read(p[1], buf, 1));

	/* A routed read: errno must survive it. */
	f.tid = pt_tid();
	f.fd = p[0];
	f.native_nr = SYS_read;
	f.what = "read pipe";
	f.wfd = p[1];
	f.data = "later";
	f.len = 5;
	pt_feeder_start(&f);
	SHOW("blocking read pipe", read(p[0], buf, sizeof(buf)));
	printf("  data %.5s\n", buf);
	pt_feeder_join(&f);

	/* Sockets. */
	SHOW("write stream socket 7", write(s[0], "socket!", 7));
	SHOW("read stream socket 3", read(s[1], buf, 3));
	SHOW("read stream socket rest", read(s[1], buf, 64));
	printf("  data %.4s\n", buf);
	SHOW("writev stream socket", writev(s[0], iov, 2));
	iov[0] = (struct iovec){ buf, 1 };
	iov[1] = (struct iovec){ buf + 1, 63 };
	SHOW("readv stream socket", readv(s[1], iov, 2));
	SHOW("pread socket", pread(s[1], buf, 4, 0));
	SHOW("write socket bad buffer", write(s[0], bad, 4));
	SHOW("write dgram 10", write(d[0], "datagram10", 10));
	SHOW("read dgram 4 (truncates)", read(d[1], buf, 4));
	SHOW("write dgram 0 (empty datagram)", write(d[0], buf, 0));
	SHOW("poll dgram 2 s",
	     poll(&(struct pollfd){ d[1], POLLIN, 0 }, 1, 2000));
	SHOW("read dgram empty datagram", recv(d[1], buf, 4, MSG_DONTWAIT));
	SHOW("write dgram 3", write(d[0], "abc", 3));
	SHOW("read dgram bad buffer", read(d[1], bad, 4));
	SHOW("shutdown peer", shutdown(s[0], SHUT_WR));
	SHOW("read socket after shutdown", read(s[1], buf, 4));
	SHOW("close peer", close(s[0]));
	SHOW("write socket peer closed", send(s[1], "x", 1, MSG_NOSIGNAL));
	return pt_exit();
}
