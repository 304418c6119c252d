// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The engine's small services over raw system calls: futex(2) on
 * process-private words, the one-line warnings, the clock, and reading
 * memory that may not be there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "internal.h"

int sl_futex_wait(uint32_t *word, uint32_t val, const struct timespec *rel)
{
	long r = sl_sys4(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, rel);

	return r == -EAGAIN ? 0 : (int)r;
}

void sl_futex_wake(uint32_t *word, int n)
{
	sl_sys3(SYS_futex, word, FUTEX_WAKE_PRIVATE, n);
}

/* Who speaks in sl_warn_once(): the preload shim says "syslet". */
const char *sl_warn_prefix = "libsyslet";
const char *sl_warn_fallback = "running calls on the calling thread";

/*
 * One line on stderr, once per process: we live inside other people's
 * programs and degrade quietly to running calls natively.  @err 0: no
 * error name.  No stdio, no errno.
 */
void sl_warn_once(const char *what, int err)
{
	static int warned;
	const char *name = err ? strerrorname_np(err) : 0;
	char buf[200];
	int n;

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	n = snprintf(buf, sizeof(buf), "%s: %s%s%s%s; %s\n", sl_warn_prefix,
		     what, err ? " (" : "", err ? (name ? name : "?") : "",
		     err ? ")" : "", sl_warn_fallback);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	sl_sys3(SYS_write, 2, buf, n);
}

long sl_task_file(pid_t pid, pid_t tid, const char *what, char *buf, size_t n)
{
	char path[80];
	long fd, r;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", (int)pid,
			 (int)tid, what);
	else
		snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid,
			 what);
	fd = sl_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	r = sl_sys3(SYS_read, fd, buf, n - 1);
	sl_sys1(SYS_close, fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

int64_t sl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool sl_peek(const void *p, void *out, size_t n)
{
	struct iovec from = { (void *)p, n }, to = { out, n };

	/* The kernel copies, and answers a bad address with EFAULT. */
	return sl_sys6(SYS_process_vm_readv, sl_sys0(SYS_getpid), (long)&to, 1,
		       (long)&from, 1, 0) == (long)n;
}
