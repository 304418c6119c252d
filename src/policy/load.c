// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading a policy file.  Raw system calls, not open()/read(): inside the
 * preload shim those names are the shim's own wrappers.  The text goes
 * into an anonymous mapping, not the heap, and is unmapped after parsing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"

static void file_error(sp_error_fn *err, void *arg, const char *path,
		       const char *what, int e)
{
	char reason[128];
	const char *desc = e ? strerrordesc_np(e) : 0;

	if (!err)
		return;
	/* No stdio here: the text is short and fixed. */
	reason[0] = 0;
	strncat(reason, what, sizeof(reason) - 1);
	if (e) {
		strncat(reason, ": ", sizeof(reason) - strlen(reason) - 1);
		strncat(reason, desc ? desc : "unknown error",
			sizeof(reason) - strlen(reason) - 1);
	}
	err(arg, path, 0, 0, reason);
}

/* Up to @size bytes of @fd into @buf; -errno on failure. */
static long read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	long n;

	while (got < size) {
		n = syscall(SYS_read, fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (long)got;
}

unsigned int sp_load(struct sp_policy *p, const char *path, sp_error_fn *err,
		     void *arg)
{
	int fd = 0, own = 0, saved = errno;
	unsigned int errors = 1;
	char *buf;
	long n;

	if (strcmp(path, "-")) {
		fd = (int)syscall(SYS_openat, AT_FDCWD, path,
				  O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			file_error(err, arg, path, "cannot open", errno);
			errno = saved;
			return 1;
		}
		own = 1;
	}
	/* One byte more than allowed, to tell a file that is too large. */
	buf = mmap(0, SP_MAX_FILE + 1, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		file_error(err, arg, path, "cannot read", errno);
		goto out;
	}
	n = read_all(fd, buf, SP_MAX_FILE + 1);
	if (n < 0)
		file_error(err, arg, path, "cannot read", (int)-n);
	else if (n > SP_MAX_FILE)
		file_error(err, arg, path, "larger than 256 KiB", 0);
	else
		errors = sp_parse(p, buf, (size_t)n, path, err, arg);
	munmap(buf, SP_MAX_FILE + 1);
out:
	if (own)
		syscall(SYS_close, fd);
	errno = saved;
	return errors;
}
