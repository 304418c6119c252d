// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Issue 12, the other per-thread state a helper must act with: a thread
 * that unshare()s CLONE_FS and then chdir()s and sets umask 077 opens
 * relative paths in its own directory and creates files with its own
 * mask; another thread (main) keeps the process's.  A thread that
 * unshare()s CLONE_FILES and closes a descriptor gets EBADF reading it,
 * and its new descriptors are in its own table; the main thread still
 * reads the descriptor.  Under creds.policy the opens and reads go to a
 * helper, which main starts first.  Needs no privilege.
 */
#include "creds.h"

#include <sched.h>

static int topfd;
static pthread_barrier_t bar;

/* Open a relative path, and say which file it found (its contents). */
static void show_open(const char *who, const char *path)
{
	char buf[32] = { 0 };
	long n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	printf("%s: open %s: %s", who, path, ct_err(fd));
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		printf(", reads \"%s\"", n > 0 ? buf : "");
		close(fd);
	}
	printf("\n");
}

/* Create a file by a relative name: its mode and where it went. */
static void show_create(const char *who, const char *name)
{
	char sub[64];
	struct stat st;
	int fd;

	fd = creat(name, 0666);
	printf("%s: creat %s: %s", who, name, ct_err(fd));
	if (fd >= 0) {
		PT_CHECK(syscall(SYS_fstat, fd, &st) == 0);
		printf(", mode %04o", (unsigned int)st.st_mode & 07777);
		close(fd);
	}
	snprintf(sub, sizeof(sub), "sub/%s", name);
	printf(", in sub/ %s, in the top directory %s\n",
	       syscall(SYS_newfstatat, AT_FDCWD, ct_p(sub), &st, 0) ? "no"
								    : "yes",
	       syscall(SYS_newfstatat, AT_FDCWD, ct_p(name), &st, 0) ? "no"
								     : "yes");
}

static void *fs_thread(void *arg)
{
	PT_CHECK(unshare(CLONE_FS) == 0);
	PT_CHECK(chdir(ct_p("sub")) == 0);
	umask(077);
	printf("== unshare(CLONE_FS), chdir(sub), umask(077) in a thread\n");
	show_open("that thread", "rel");
	show_create("that thread", "new-thread");
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return 0;
}

static void *files_thread(void *arg)
{
	struct stat a, b;
	char buf[32] = { 0 };
	long n;
	int fd, r;

	printf("== unshare(CLONE_FILES), close(fd) in a thread\n");
	PT_CHECK(unshare(CLONE_FILES) == 0);
	r = close(topfd);
	printf("that thread: close(fd): %s\n", ct_err(r));
	n = read(topfd, buf, sizeof(buf) - 1);
	printf("that thread: read(fd): %s\n", ct_err(n));
	/* Its table's lowest free number is the one it closed. */
	fd = open(ct_p("sub/rel"), O_RDONLY | O_CLOEXEC);
	printf("that thread: open sub/rel: %s, the number closed: %s",
	       ct_err(fd), fd == topfd ? "yes" : "no");
	if (fd >= 0) {
		PT_CHECK(stat(ct_p("sub/rel"), &a) == 0);
		printf(", in its table: %s",
		       !syscall(SYS_fstat, fd, &b) && a.st_ino == b.st_ino
			       ? "yes"
			       : "no");
		n = read(fd, buf, sizeof(buf) - 1);
		printf(", reads \"%s\"", n > 0 ? buf : "");
		close(fd);
	}
	printf("\n");
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return 0;
}

static void file(const char *name, const char *text)
{
	long fd = syscall(SYS_openat, AT_FDCWD, ct_p(name),
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	PT_CHECK(fd >= 0);
	PT_CHECK(syscall(SYS_write, fd, text, strlen(text)) ==
		 (long)strlen(text));
	syscall(SYS_close, fd);
}

int main(void)
{
	char buf[32] = { 0 };
	pthread_t th;
	long n;

	pt_init();
	umask(022);
	snprintf(ct_dir, sizeof(ct_dir), "/tmp/syslet-fs.XXXXXX");
	PT_CHECK(mkdtemp(ct_dir));
	PT_CHECK(syscall(SYS_mkdirat, AT_FDCWD, ct_p("sub"), 0755) == 0);
	file("rel", "top-rel");
	file("sub/rel", "sub-rel");
	file("top", "top");
	PT_CHECK(chdir(ct_dir) == 0);
	/* The helper is started by main: the process's cwd, mask, table. */
	topfd = open(ct_p("top"), O_RDONLY | O_CLOEXEC);
	PT_CHECK(topfd >= 0);
	PT_CHECK(pthread_barrier_init(&bar, 0, 2) == 0);

	PT_CHECK(pthread_create(&th, 0, fs_thread, 0) == 0);
	pthread_barrier_wait(&bar);
	show_open("main", "rel");
	show_create("main", "new-main");
	pthread_barrier_wait(&bar);
	pthread_join(th, 0);

	PT_CHECK(pthread_create(&th, 0, files_thread, 0) == 0);
	pthread_barrier_wait(&bar);
	n = read(topfd, buf, sizeof(buf) - 1);
	printf("main: read(fd): %s, \"%s\"\n", ct_err(n), n > 0 ? buf : "");
	pthread_barrier_wait(&bar);
	pthread_join(th, 0);

	close(topfd);
	ct_cleanup();
	return pt_exit();
}
