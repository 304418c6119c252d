// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading a policy file.  Raw system calls, not open()/read(): inside the
 * preload shim those names are the shim's own wrappers.  The text goes
 * into an anonymous mapping, not the heap, and is unmapped after parsing.
 * Only a regular file is read: a FIFO would wait for a writer (at open, or
 * at read) and a device may never end, in the command and in every program
 * the shim is loaded into.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

/* Not a regular file: why, or 0 if it is one. */
static const char *not_regular(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return 0;
	return S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file";
}

/*
 * @path opened for reading if it is a regular file, or -1 after the error.
 * It is looked at before it is opened (opening a device may act), and
 * opened with O_NONBLOCK (it may have been replaced by a FIFO since), which
 * is then cleared.
 */
static int open_regular(const char *path, sp_error_fn *err, void *arg)
{
	const char *why;
	struct stat st;
	long fl;
	int fd;

	if (syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0)) {
		file_error(err, arg, path, "cannot open", errno);
		return -1;
	}
	why = not_regular(&st);
	if (why) {
		file_error(err, arg, path, why, 0);
		return -1;
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, path,
			  O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		file_error(err, arg, path, "cannot open", errno);
		return -1;
	}
	if (!syscall(SYS_fstat, fd, &st) && !(why = not_regular(&st))) {
		fl = syscall(SYS_fcntl, fd, F_GETFL);
		if (fl >= 0 &&
		    !syscall(SYS_fcntl, fd, F_SETFL, fl & ~(long)O_NONBLOCK))
			return fd;
	}
	if (why)
		file_error(err, arg, path, why, 0);
	else
		file_error(err, arg, path, "cannot read", errno);
	syscall(SYS_close, fd);
	return -1;
}

/* @fd 0 (standard input) or a regular file of ours. */
static unsigned int load_fd(struct sp_policy *p, int fd, const char *path,
			    sp_error_fn *err, void *arg)
{
	unsigned int errors = 1;
	char *buf;
	long n;

	/* One byte more than allowed, to tell a file that is too large. */
	buf = mmap(0, SP_MAX_FILE + 1, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		file_error(err, arg, path, "cannot read", errno);
		return errors;
	}
	n = read_all(fd, buf, SP_MAX_FILE + 1);
	if (n < 0)
		file_error(err, arg, path, "cannot read", (int)-n);
	else if (n > SP_MAX_FILE)
		file_error(err, arg, path, "larger than 256 KiB", 0);
	else
		errors = sp_parse(p, buf, (size_t)n, path, err, arg);
	munmap(buf, SP_MAX_FILE + 1);
	return errors;
}

unsigned int sp_load_file(struct sp_policy *p, const char *path,
			  sp_error_fn *err, void *arg)
{
	int saved = errno, fd = open_regular(path, err, arg);
	unsigned int errors = 1;

	if (fd >= 0) {
		errors = load_fd(p, fd, path, err, arg);
		syscall(SYS_close, fd);
	}
	errno = saved;
	return errors;
}

unsigned int sp_load(struct sp_policy *p, const char *path, sp_error_fn *err,
		     void *arg)
{
	unsigned int errors;
	int saved = errno;

	if (strcmp(path, "-"))
		return sp_load_file(p, path, err, arg);
	errors = load_fd(p, 0, path, err, arg);
	errno = saved;
	return errors;
}
