// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sendfile() gives what it gives natively, whichever way the shim takes
 * it (src/engine/sendfile.c): to a non-blocking socket from a cached file
 * (made on the caller: by an offset, by the file position, past the end,
 * more than the file holds, a range of several pages), into a full
 * non-blocking socket (EAGAIN), with a bad offset address (EFAULT), from
 * a pipe (not a file), and to a blocking pipe that a thread drains (a
 * helper).  Each result, the offset or file position after it and a
 * checksum of the bytes that arrived are printed.
 */
#include "ptest.h"

#include <sys/sendfile.h>
#include <sys/socket.h>

#define SIZE 12345 /* three pages and some */

static int fd, s[2];
static char data[SIZE];

static unsigned long sum(const char *b, long n)
{
	unsigned long h = 5381;
	long i;

	for (i = 0; i < n; i++)
		h = h * 33 + (unsigned char)b[i];
	return h;
}

/* What sendfile() returned, and what the other end of @in received. */
static void show(const char *label, long r, int in)
{
	static char got[SIZE * 2];
	long n = 0, k;

	printf("%-30s %ld %s", label, r, r < 0 ? strerrorname_np(errno) : "ok");
	while ((k = read(in, got + n, sizeof(got) - (size_t)n)) > 0)
		n += k;
	printf(" received %ld sum %lx pos %ld\n", n, sum(got, n),
	       (long)lseek(fd, 0, SEEK_CUR));
}

static void *drain(void *arg)
{
	static char b[SIZE * 2];
	long n = 0, k;

	while ((k = read((int)(long)arg, b + n, sizeof(b) - (size_t)n)) > 0)
		n += k;
	printf("pipe drained %ld sum %lx\n", n, sum(b, n));
	return 0;
}

int main(void)
{
	char path[] = "sendfile.XXXXXX", buf[4096];
	int p[2];
	off_t off;
	pthread_t th;
	long i;

	pt_init();
	for (i = 0; i < SIZE; i++)
		data[i] = (char)(i * 7 + i / 4096);
	PT_CHECK((fd = mkstemp(path)) >= 0);
	PT_CHECK(unlink(path) == 0);
	PT_CHECK(write(fd, data, SIZE) == SIZE);
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	PT_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s) == 0);

	off = 0;
	show("offset 0, 4096", sendfile(s[0], fd, &off, 4096), s[1]);
	printf("offset now %ld\n", (long)off);
	off = 100;
	show("offset 100, 9000", sendfile(s[0], fd, &off, 9000), s[1]);
	printf("offset now %ld\n", (long)off);
	off = 5000;
	show("offset 5000, 1 MiB", sendfile(s[0], fd, &off, 1 << 20), s[1]);
	printf("offset now %ld\n", (long)off);
	off = SIZE;
	show("offset at the end", sendfile(s[0], fd, &off, 10), s[1]);
	off = SIZE + 4096;
	show("offset past the end", sendfile(s[0], fd, &off, 10), s[1]);
	show("count 0", sendfile(s[0], fd, 0, 0), s[1]);
	PT_CHECK(lseek(fd, 300, SEEK_SET) == 300);
	show("file position 300, 5000", sendfile(s[0], fd, 0, 5000), s[1]);
	show("file position, the rest", sendfile(s[0], fd, 0, SIZE), s[1]);
	show("bad offset address", sendfile(s[0], fd, (off_t *)8, 10), s[1]);

	/* A full socket: EAGAIN at once, as natively. */
	memset(buf, 'x', sizeof(buf));
	while (send(s[0], buf, sizeof(buf), 0) > 0)
		;
	off = 0;
	printf("%-30s %ld %s\n", "full socket",
	       (long)sendfile(s[0], fd, &off, 100), strerrorname_np(errno));
	show("(drained)", 0, s[1]);

	/* Not from a file. */
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(write(p[1], "pipe", 4) == 4);
	PT_CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	show("from a pipe", sendfile(s[0], p[0], 0, 4), s[1]);
	close(p[0]);
	close(p[1]);

	/* A blocking output: it may wait, so a helper may make it. */
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(pthread_create(&th, 0, drain, (void *)(long)p[0]) == 0);
	off = 0;
	i = sendfile(p[1], fd, &off, SIZE);
	printf("%-30s %ld offset %ld\n", "blocking pipe", i, (long)off);
	close(p[1]);
	PT_CHECK(pthread_join(th, 0) == 0);
	return pt_exit();
}
