// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program that closes every descriptor it did not open, three ways
 * (close_range(3, ~0U, 0), closefrom(3), a loop over /proc/self/fd), each
 * after helpers exist, then does routed I/O on new pipes: these get the
 * lowest numbers, as natively, and /proc/self/fd lists exactly what the
 * program holds.  Then pipes are dup2()'d over 0, 1 and 2 and routed reads
 * are made on each of those.
 */
#include "ptest.h"

#include <dirent.h>

static FILE *out; /* the output, wherever fd 1 goes */

#define say(...) fprintf(out, __VA_ARGS__)

static void routed_read(int rfd, int wfd, const char *what)
{
	struct pt_feeder f = { 0 };
	char buf[32] = { 0 };
	long n;

	f.tid = pt_tid();
	f.fd = rfd;
	f.native_nr = SYS_read;
	f.what = what;
	f.wfd = wfd;
	f.data = what;
	f.len = strlen(what);
	pt_feeder_start(&f);
	n = read(rfd, buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	say("%s: fd %d read %ld \"%s\"\n", what, rfd, n, buf);
	PT_CHECK(n == (long)strlen(what));
}

/* The open descriptors, but the directory's own. */
static void list_fds(const char *when)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[64], n = 0, i, j;

	PT_CHECK(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d) &&
		    n < 64)
			fds[n++] = atoi(de->d_name);
	closedir(d);
	for (i = 1; i < n; i++) /* sorted, so that the output compares */
		for (j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	say("%s: open fds", when);
	for (i = 0; i < n; i++)
		say(" %d", fds[i]);
	say("\n");
}

static void pipe_round(const char *what)
{
	int p[2];

	PT_CHECK(pipe(p) == 0);
	routed_read(p[0], p[1], what);
	list_fds(what);
}

static void close_by_proc(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[1024], n = 0, fd;

	PT_CHECK(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && (fd = atoi(de->d_name)) >= 3 &&
		    fd != dirfd(d) && n < 1024)
			fds[n++] = fd;
	closedir(d);
	while (n--)
		close(fds[n]);
}

int main(void)
{
	int p[2], saved;

	pt_init();
	out = stdout;
	pipe_round("first");
	PT_CHECK(close_range(3, ~0U, 0) == 0);
	pipe_round("after close_range");
	closefrom(3);
	pipe_round("after closefrom");
	close_by_proc();
	pipe_round("after /proc/self/fd loop");

	/* dup2() over 0, 1, 2: the output goes on through a copy of fd 1. */
	closefrom(3);
	PT_CHECK((saved = dup(1)) == 3);
	PT_CHECK((out = fdopen(saved, "w")));
	setvbuf(out, 0, _IONBF, 0);
	stdout = out; /* the "routed" lines too */
	PT_CHECK(pipe(p) == 0 && dup2(p[0], 0) == 0);
	routed_read(0, p[1], "stdin");
	PT_CHECK(dup2(p[0], 1) == 1);
	routed_read(1, p[1], "stdout");
	PT_CHECK(dup2(p[0], 2) == 2);
	routed_read(2, p[1], "stderr");
	list_fds("dup2 over 0-2");
	return pt_exit();
}
