// SPDX-License-Identifier: LGPL-2.1-or-later
/* futex(2) on process-private words, and the one-line warnings. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
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

/*
 * One line on stderr, once per process and cause: we live inside other
 * people's programs and degrade quietly to running calls natively.
 */
void sl_warn_once(const char *what, int err)
{
	static int warned;
	char buf[160];
	int n;

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	n = snprintf(buf, sizeof(buf),
		     "libsyslet: %s (%s); running calls on the calling thread\n",
		     what, strerrorname_np(err) ? strerrorname_np(err) : "?");
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	sl_sys3(SYS_write, 2, buf, n);
}

int64_t sl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
