// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files of the report: the private directory the shim writes into, the
 * output files, which are never written through a symbolic link nor into
 * a file that is not a regular file of ours, and reading a report back.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

/*
 * The names that mean a stream rather than a file, as strace's and
 * valgrind's users write them: "-" and /dev/stdout are our standard
 * output, /dev/stderr our standard error, /dev/null nothing.  They are
 * taken by name, never by following the link /dev/stdout is, so that the
 * rule "never through a symbolic link" stays whole for every other path.
 * Returns the descriptor to duplicate, RP_OUT_NULL, or -1 for a file.
 */
int rp_output_stream(const char *path)
{
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(path, "/dev/stderr"))
		return STDERR_FILENO;
	if (!strcmp(path, "/dev/null"))
		return RP_OUT_NULL;
	return -1;
}

/*
 * A file to be made at @path: its directory must be there and writable
 * before the run, not found missing after the program ran for an hour.
 * 0 or -errno.
 */
static int dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc = 0;

	if (!slash)
		return access(".", W_OK | X_OK) ? -errno : 0;
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	if (access(dir, W_OK | X_OK))
		rc = -errno;
	free(dir);
	return rc;
}

/* Before the run: 0, or -errno with a reason the caller prints. */
int rp_check_output(const char *path)
{
	struct stat st;
	int s = rp_output_stream(path);

	if (s == RP_OUT_NULL)
		return 0;
	if (s >= 0) /* a closed stream cannot take the report */
		return fcntl(s, F_GETFL) < 0 ? -errno : 0;
	if (lstat(path, &st))
		return errno == ENOENT ? dir_writable(path) : -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_uid != geteuid())
		return -EPERM;
	return 0;
}

/* A new file (0644), or an existing regular file of ours truncated;
 * never through a symbolic link; or a stream, rp_output_stream().  fd
 * or -errno. */
int rp_open_output(const char *path)
{
	struct stat st;
	int fd = -1, err = 0, s = rp_output_stream(path);

	if (s == RP_OUT_NULL)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	else if (s >= 0)
		fd = fcntl(s, F_DUPFD_CLOEXEC, 3); /* closed like a file's */
	if (s != -1)
		return fd >= 0 ? fd : -errno;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd >= 0 || errno != EEXIST)
		return fd >= 0 ? fd : -errno;
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;
	else if (st.st_uid != geteuid())
		err = EPERM;
	else if (ftruncate(fd, 0))
		err = errno;
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

char *rp_make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (asprintf(&dir, "%s/syslet-report.XXXXXX", tmp) < 0)
		return 0;
	if (!mkdtemp(dir)) { /* mode 0700 */
		free(dir);
		return 0;
	}
	return dir;
}

void rp_remove_dir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/*
 * @path opened for reading if it is a regular file: looked at first (to
 * open no device), opened with O_NONBLOCK (a FIFO put there since must not
 * wait for a writer), checked again, O_NONBLOCK cleared.  fd and its size
 * in *@size, or -1 with the reason in @why.
 */
static int open_regular(const char *path, off_t *size, char *why, size_t whylen)
{
	struct stat st;
	int fd = -1, fl;

	if (stat(path, &st))
		goto fail;
	if (S_ISREG(st.st_mode)) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st))
			goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s",
			 S_ISDIR(st.st_mode) ? "is a directory"
					     : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*size = st.st_size;
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && !fcntl(fd, F_SETFL, fl & ~O_NONBLOCK))
		return fd;
fail:
	snprintf(why, whylen, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* A NUL byte in the @n bytes read at @buf + @len: said as rp_parse()
 * says it, with its line.  0 if there is none. */
static int nul_byte(const char *buf, size_t len, size_t n, char *why,
		    size_t whylen)
{
	const char *nul = memchr(buf + len, 0, n), *p;
	size_t line = 1;

	if (!nul)
		return 0;
	for (p = buf; p < nul; p++)
		line += *p == '\n';
	snprintf(why, whylen, "not JSON: line %zu: a NUL byte", line);
	return -1;
}

/* @buf grown to the next size, at most @most; 0 or -1 with the reason. */
static int grow(char **buf, size_t *cap, size_t most, char *why, size_t whylen)
{
	size_t want = !*cap ? 65536 : *cap < most / 2 ? 2 * *cap : most;
	char *nb;

	if (*cap == most) {
		snprintf(why, whylen, RP_MAX_FILE_TEXT);
		return -1;
	}
	nb = realloc(*buf, want);
	if (!nb) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	*buf = nb;
	*cap = want;
	return 0;
}

int rp_read_file(const char *path, char **text, size_t *size, char *why,
		 size_t whylen)
{
	/* Room for one byte more than allowed (a file that grew too large
	 * while we read it) and for the NUL after the text. */
	const size_t most = (size_t)RP_MAX_FILE + 2;
	size_t len = 0, cap = 0;
	char *buf = 0;
	off_t st_size;
	ssize_t n;
	int fd, rc = -1;

	*text = 0;
	*size = 0;
	fd = open_regular(path, &st_size, why, whylen);
	if (fd < 0)
		return -1;
	if (st_size > (off_t)RP_MAX_FILE) {
		snprintf(why, whylen, RP_MAX_FILE_TEXT);
		close(fd);
		return -1;
	}
	/* Grown as the text comes, so that a NUL byte near the start of a
	 * large file is found having read little of it. */
	for (;;) {
		if (len + 1 >= cap && grow(&buf, &cap, most, why, whylen))
			break;
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			snprintf(why, whylen, "%s", strerror(errno));
		if (n < 0 || nul_byte(buf, len, (size_t)n, why, whylen))
			break;
		if (n == 0) {
			rc = 0;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (rc) {
		free(buf);
		return -1;
	}
	buf[len] = 0;
	*text = buf;
	*size = len;
	return 0;
}

/* A JSON report file, read whole and parsed (rp_parse()). */
int rp_load(struct rp_report *r, const char *path, struct json_object **src,
	    char *why, size_t whylen)
{
	size_t len;
	char *buf;
	int rc;

	if (rp_read_file(path, &buf, &len, why, whylen))
		return -1;
	rc = rp_parse(r, buf, len, src, why, whylen);
	free(buf);
	return rc;
}
