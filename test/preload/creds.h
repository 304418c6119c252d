/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the tests of issue 12 (creds_thread.c, creds_glibc.c,
 * helper_reuse.c; fs_unshare.c uses only its directory and ct_err()): a
 * helper must make a call with the credentials of the thread it makes it
 * for.  The kernel keeps credentials per thread: glibc's setuid() family
 * changes every thread, a raw syscall(SYS_setresuid, ...) only the
 * calling one.
 *
 * ct_setup() makes, as root, a fresh directory under /tmp whose files
 * only some identities may use, a listening Unix socket in a mode 0700
 * directory and a process of uid CT_OTHER.  ct_probes() prints what the
 * calling thread may do with them, one line a call, as "ok" or the errno
 * name; ct_restore() (as root again) puts back what a probe changed.
 * Fixtures are made with raw system calls, so that setting up starts no
 * helper: the tests choose who starts the first one.
 */
#ifndef CREDS_H
#define CREDS_H

#include "ptest.h"

#include <ftw.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#define CT_USER 1000  /* the identity a thread takes */
#define CT_OTHER 2000 /* owns files and a process nobody else may touch */
#define CT_GROUP 3000 /* a supplementary group */

static char ct_dir[64];
static int ct_chfd = -1;    /* root's file, for fchown and fsetxattr */
static int ct_lfd = -1;	    /* listening in priv/, mode 0700 */
static pid_t ct_child = -1; /* a process of CT_OTHER's */

/* "ok" or the errno name: call right after the call that gave r. */
static inline const char *ct_err(long r)
{
	const char *name;

	if (r >= 0)
		return "ok";
	name = strerrorname_np(errno);
	return name ? name : "unknown-errno";
}

/* DIR/name, in one of a few buffers used in turn. */
static inline const char *ct_p(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", ct_dir, name);
	return buf[i];
}

/*
 * Raw calls: only the calling thread changes.  With ct_asm (a program's
 * --asm) they are syscall instructions of the program's own, which only
 * the backstop's filter sees, not the C library's syscall().
 */
static bool ct_asm;

static inline long ct_sys(long nr, long a, long b, long c)
{
	long r;

	if (!ct_asm)
		return syscall(nr, a, b, c);
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static inline void ct_raw3(long nr, long a, long b, long c)
{
	int e;

	if (ct_sys(nr, a, b, c)) {
		e = errno;
		PT_FAIL("syscall %ld: %s", nr, strerrorname_np(e));
	}
}

static inline void ct_fs_ids(long uid, long gid)
{
	ct_sys(SYS_setfsgid, gid, 0, 0);
	ct_sys(SYS_setfsuid, uid, 0, 0);
	/* setfs*id() answers the old value; -1 changes nothing. */
	PT_CHECK(syscall(SYS_setfsuid, -1L) == uid);
	PT_CHECK(syscall(SYS_setfsgid, -1L) == gid);
}

static inline void ct_groups(int n, gid_t g)
{
	ct_raw3(SYS_setgroups, n, (long)&g, 0);
}

/* Take cap out of the calling thread's effective set; cap < 0: give the
 * effective set all of the permitted one back. */
static inline void ct_cap_drop(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	PT_CHECK(syscall(SYS_capget, &h, d) == 0);
	if (cap >= 0) {
		d[cap / 32].effective &= ~(1U << (cap % 32));
	} else {
		d[0].effective = d[0].permitted;
		d[1].effective = d[1].permitted;
	}
	PT_CHECK(ct_sys(SYS_capset, (long)&h, (long)d, 0) == 0);
}

/* As root: a file name of uid:gid with mode. */
static inline void ct_file(const char *name, int uid, int gid, int mode)
{
	long fd = syscall(SYS_openat, AT_FDCWD, ct_p(name),
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	PT_CHECK(fd >= 0);
	PT_CHECK(syscall(SYS_write, fd, name, strlen(name)) ==
		 (long)strlen(name));
	PT_CHECK(syscall(SYS_fchown, fd, uid, gid) == 0);
	PT_CHECK(syscall(SYS_fchmod, fd, mode) == 0);
	syscall(SYS_close, fd);
}

static inline void ct_mkdir(const char *name, int mode)
{
	PT_CHECK(syscall(SYS_mkdirat, AT_FDCWD, ct_p(name), 0700) == 0);
	PT_CHECK(syscall(SYS_fchmodat, AT_FDCWD, ct_p(name), mode) == 0);
}

static inline struct sockaddr_un ct_sock_addr(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", ct_p("priv/sock"));
	return a;
}

/* The process the thread may not signal: uid CT_OTHER, waiting. */
static inline void ct_fork_other(void)
{
	int p[2];
	char c;

	PT_CHECK(pipe2(p, O_CLOEXEC) == 0);
	ct_child = fork();
	PT_CHECK(ct_child >= 0);
	if (!ct_child) {
		if (syscall(SYS_setresuid, CT_OTHER, CT_OTHER, CT_OTHER))
			_exit(1);
		syscall(SYS_write, p[1], "u", 1);
		for (;;)
			syscall(SYS_pause);
	}
	/* Only once the child is CT_OTHER's may it be probed. */
	syscall(SYS_close, p[1]);
	PT_CHECK(syscall(SYS_read, p[0], &c, 1) == 1);
	syscall(SYS_close, p[0]);
}

static inline void ct_setup(void)
{
	struct sockaddr_un a;

	/* Root's own supplementary groups vary: none, for stable answers. */
	PT_CHECK(setgroups(0, 0) == 0);
	snprintf(ct_dir, sizeof(ct_dir), "/tmp/syslet-creds.XXXXXX");
	PT_CHECK(mkdtemp(ct_dir));
	PT_CHECK(syscall(SYS_fchmodat, AT_FDCWD, ct_dir, 0755) == 0);
	ct_file("root600", 0, 0, 0600);
	ct_file("other600", CT_OTHER, CT_OTHER, 0600);
	ct_file("grp3000", 0, CT_GROUP, 0040);
	ct_file("grp0", 0, 0, 0040);
	ct_file("chown", 0, 0, 0644);
	ct_mkdir("pub", 0777);
	ct_mkdir("sticky", 01777);
	ct_mkdir("priv", 0700);
	ct_file("sticky/victim", CT_OTHER, CT_OTHER, 0644);
	ct_chfd = (int)syscall(SYS_openat, AT_FDCWD, ct_p("chown"),
			       O_RDONLY | O_CLOEXEC);
	PT_CHECK(ct_chfd >= 0);
	ct_lfd = (int)syscall(SYS_socket, AF_UNIX,
			      SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	PT_CHECK(ct_lfd >= 0);
	a = ct_sock_addr();
	PT_CHECK(syscall(SYS_bind, ct_lfd, &a, sizeof(a)) == 0);
	PT_CHECK(syscall(SYS_listen, ct_lfd, 64) == 0);
	ct_fork_other();
}

static int ct_rm(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	return (int)syscall(SYS_unlinkat, AT_FDCWD, path,
			    type == FTW_DP ? AT_REMOVEDIR : 0);
}

static inline void ct_cleanup(void)
{
	int st;

	if (ct_child > 0) {
		syscall(SYS_kill, ct_child, SIGKILL);
		syscall(SYS_wait4, ct_child, &st, 0, 0);
	}
	syscall(SYS_close, ct_chfd);
	syscall(SYS_close, ct_lfd);
	nftw(ct_dir, ct_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* The probes: the calls under test go through the C library. */
static inline void ct_open(const char *name, int flags, const char *how)
{
	int fd = open(ct_p(name), flags | O_CLOEXEC);

	printf("open %s %s: %s\n", name, how, ct_err(fd));
	if (fd >= 0)
		close(fd);
}

/* A new file in pub/ (mode 0777): its owner. */
static inline void ct_create(bool use_creat)
{
	const char *path = ct_p("pub/new");
	struct stat st;
	int fd;

	if (use_creat)
		fd = creat(path, 0644);
	else
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	printf("%s pub/new: %s", use_creat ? "creat" : "open O_CREAT",
	       ct_err(fd));
	if (fd >= 0) {
		PT_CHECK(syscall(SYS_fstat, fd, &st) == 0);
		printf(", owner %u:%u", (unsigned int)st.st_uid,
		       (unsigned int)st.st_gid);
		close(fd);
	}
	printf("\n");
	/* Wherever a helper may have made it: pub/ lets anyone remove. */
	syscall(SYS_unlinkat, AT_FDCWD, path, 0);
}

static inline void ct_connect(void)
{
	struct sockaddr_un a = ct_sock_addr();
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	PT_CHECK(s >= 0);
	r = connect(s, (struct sockaddr *)&a, sizeof(a));
	printf("connect priv/sock (dir 0700 root): %s\n", ct_err(r));
	close(s);
}

/* Only opens and new files' owners: what helper_reuse.c looks at. */
static inline void ct_probes_open(void)
{
	ct_open("root600", O_RDWR, "(0600 root)");
	ct_create(false);
}

static inline void ct_probes(void)
{
	long r;

	ct_open("root600", O_RDWR, "(0600 root)");
	ct_open("other600", O_RDWR, "(0600 other)");
	ct_open("grp3000", O_RDONLY, "(0040 group 3000)");
	ct_open("grp0", O_RDONLY, "(0040 group 0)");
	ct_create(false);
	ct_create(true);
	r = fchown(ct_chfd, CT_OTHER, -1);
	printf("fchown root's file: %s\n", ct_err(r));
	r = fsetxattr(ct_chfd, "trusted.syslet", "1", 1, 0);
	printf("fsetxattr trusted.syslet: %s\n", ct_err(r));
	r = unlinkat(AT_FDCWD, ct_p("sticky/victim"), 0);
	printf("unlink other's file in sticky dir: %s\n", ct_err(r));
	r = kill(ct_child, 0);
	printf("kill(other's process, 0): %s\n", ct_err(r));
	ct_connect();
}

/* As root again: undo what the probes did. */
static inline void ct_restore(void)
{
	struct stat st;
	long s;

	syscall(SYS_fchown, ct_chfd, 0, 0);
	syscall(SYS_fremovexattr, ct_chfd, "trusted.syslet");
	if (syscall(SYS_newfstatat, AT_FDCWD, ct_p("sticky/victim"), &st, 0))
		ct_file("sticky/victim", CT_OTHER, CT_OTHER, 0644);
	while ((s = syscall(SYS_accept4, ct_lfd, 0, 0, SOCK_CLOEXEC)) >= 0)
		syscall(SYS_close, s);
}

/* Can this process take another identity at all? */
static inline void ct_need_root(int argc, char **argv)
{
	bool probe = argc > 1 && !strcmp(argv[1], "--probe");

	if (geteuid() != 0 || syscall(SYS_setresuid, -1L, (long)CT_USER, -1L) ||
	    syscall(SYS_setresuid, -1L, 0L, -1L)) {
		fprintf(stderr, "SKIP: %s needs root (to take uid %d)\n",
			argv[0], CT_USER);
		exit(77);
	}
	if (probe)
		exit(0);
}

#endif
