// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet run --observe: every system call of the program tree, counted,
 * for 'syslet policy export'.  The shim's report sees only the calls it
 * interposes; a seccomp profile must allow all of them.
 *
 * The child loads a filter that notifies for every call (with
 * no_new_privs) just before it execs.  We take its listener with
 * pidfd_getfd(), count each notification and answer CONTINUE: the kernel
 * then makes the call as if nothing had happened.  The listener must live
 * as long as any process of the tree does (without it their calls fail
 * with ENOSYS), so after the program exits we keep answering until the
 * kernel says no process uses the filter any more (POLLHUP).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* In the child, just before exec.  0, or -errno (nothing loaded). */
int observe_child_load(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0)
		return -errno;
	return 0;
}

/* The child's listener, once it is there (its next call waits for us). */
static int find_listener(pid_t pid)
{
	char path[64], link[64];
	struct dirent *d;
	int fd = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while (fd < 0 && (d = readdir(dir))) {
		ssize_t n = readlinkat(dirfd(dir), d->d_name, link,
				       sizeof(link) - 1);

		if (n > 0) {
			link[n] = 0;
			if (!strcmp(link, "anon_inode:seccomp notify"))
				fd = atoi(d->d_name);
		}
	}
	closedir(dir);
	return fd;
}

static void *serve(void *arg)
{
	struct observe *o = arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd p = { .fd = o->fd, .events = POLLIN };

	for (;;) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(o->fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
				continue; /* EINTR, or the caller went away */
			if (req.data.nr < OBSERVE_NR_MAX)
				__atomic_add_fetch(&o->counts[req.data.nr], 1,
						   __ATOMIC_RELAXED);
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(o->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			continue;
		}
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			break; /* no process uses the filter any more */
	}
	return 0;
}

/*
 * In the parent: wait for the child's listener (or for @failed, a pipe the
 * child writes to when it could not load), take it and serve it.
 */
int observe_start(struct observe *o, pid_t pid, int failed)
{
	struct timespec ms = { 0, 1000000 };
	int pidfd, fd = -1, i;
	char c;

	o->fd = -1;
	for (i = 0; i < 10000 && fd < 0; i++) {
		if (read(failed, &c, 1) == 1)
			return -1; /* the child said why, and runs unobserved */
		fd = find_listener(pid);
		if (fd < 0)
			nanosleep(&ms, 0);
	}
	pidfd = fd < 0 ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		o->fd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		close(pidfd);
	}
	if (o->fd < 0) {
		fprintf(stderr,
			"syslet run: --observe: cannot take the "
			"program's seccomp listener: %s\n",
			strerror(errno));
		return -1; /* its calls now fail with ENOSYS: it will end */
	}
	ioctl(o->fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	if (pthread_create(&o->thread, 0, serve, o)) {
		/* Nobody can serve it: the program's calls fail, and it ends. */
		fprintf(stderr, "syslet run: --observe: no thread to serve the "
				"listener\n");
		close(o->fd);
		o->fd = -1;
		return -1;
	}
	o->serving = true;
	return 0;
}

/* After the program: until every process that had the filter is gone. */
void observe_finish(struct observe *o)
{
	if (o->serving)
		pthread_join(o->thread, 0);
	o->serving = false;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}
