// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * O_NONBLOCK means nothing to a regular file: a read of pages that are not
 * in the page cache waits for the disk and returns the data, never EAGAIN
 * (GNU grep opens every file so).  The shim's non-blocking try gets EAGAIN
 * from RWF_NOWAIT for such pages: that must send the read to a helper, not
 * to the program.  The file's pages are dropped first (fsync, then
 * POSIX_FADV_DONTNEED); should the kernel keep some, the reads just find
 * them, and the result is the same.
 */
#include "ptest.h"

#define SIZE (8 << 20)
#define CHUNK (64 << 10)

static char buf[CHUNK], got[CHUNK];

static void fill(long off)
{
	long i;

	for (i = 0; i < CHUNK; i++)
		buf[i] = (char)((off + i) * 2654435761u >> 24);
}

int main(void)
{
	char path[] = "syslet-nbfile.XXXXXX"; /* on disk: not /dev/shm */
	long off, bad = 0, eagain = 0;
	ssize_t n;
	int fd;

	pt_init();
	PT_CHECK((fd = mkstemp(path)) >= 0);
	for (off = 0; off < SIZE; off += CHUNK) {
		fill(off);
		PT_CHECK(write(fd, buf, CHUNK) == CHUNK);
	}
	PT_CHECK(fsync(fd) == 0);
	PT_CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
	close(fd);
	PT_CHECK((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) >= 0);
	unlink(path);
	for (off = 0; off < SIZE; off += n) {
		n = read(fd, got, CHUNK);
		if (n < 0 && errno == EAGAIN) {
			eagain++;
			n = 0;
			break;
		}
		PT_CHECK(n > 0);
		fill(off);
		bad += memcmp(got, buf, (size_t)n) != 0;
	}
	printf("read %ld of %d bytes, EAGAIN %ld times, %s\n", off, SIZE,
	       eagain, bad ? "data differs" : "data right");
	close(fd);
	return eagain || bad;
}
