// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A file that refuses non-blocking writes (EOPNOTSUPP: buffered writes to
 * ext4, tmpfs) is remembered by descriptor number, so that a program's
 * every write to it is not asked twice (fd.c, rw.c).  The hint is never
 * trusted for a result: the number closed and reused for a pipe still
 * writes and reads as natively.  nomode_hint.sh counts the engine's
 * refused tries with strace.  No write here could wait for long, and none
 * goes to a helper: under the backstop (bs_nomode_hint.sh) a caught write
 * that cannot be tried is made by its caller, as under the shim, not
 * handed over (listener.c).
 */
#include "ptest.h"

#include <sys/uio.h>

#define WRITES 640

int main(void)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	char path[] = "nomode_hint.XXXXXX", buf[16];
	struct iovec v = { .iov_base = "?", .iov_len = 1 };
	int fd, p[2], i;
	long r;

	pt_init();
	PT_CHECK((fd = mkstemp(path)) >= 0);
	PT_CHECK(unlink(path) == 0);
	/* Raw, so that the shim never sees it: does this file refuse? */
	r = syscall(SYS_pwritev2, fd, &v, 1, -1, 0, 0x8 /* RWF_NOWAIT */);
	printf("refuses nowait writes: %s\n",
	       r < 0 && errno == EOPNOTSUPP ? "yes" : "no");
	PT_CHECK(ftruncate(fd, 0) == 0);
	PT_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	for (i = 0; i < WRITES; i++)
		PT_CHECK(write(fd, &letters[i % 26], 1) == 1);
	printf("file size after %d writes: %ld\n", WRITES,
	       (long)lseek(fd, 0, SEEK_END));
	PT_CHECK(pread(fd, buf, 4, 26) == 4);
	printf("bytes 26-29: %.4s\n", buf);

	/* The number reused for a pipe's write end. */
	PT_CHECK(pipe(p) == 0);
	PT_CHECK(dup2(p[1], fd) == fd);
	PT_CHECK(close(p[1]) == 0);
	for (i = 0; i < 3; i++)
		printf("pipe write %d: %ld\n", i, (long)write(fd, "pipe", 4));
	PT_CHECK(close(fd) == 0);
	r = read(p[0], buf, sizeof(buf));
	printf("pipe read: %ld '%.*s'\n", r, r > 0 ? (int)r : 0, buf);
	return pt_exit();
}
