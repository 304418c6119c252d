// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Load time.  The shim stays out of setuid and other AT_SECURE processes
 * entirely, and out of any process whose environment says
 * SYSLET_ROUTE=off: every wrapper then calls the C library directly.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../engine/internal.h"
#include "shim.h"

bool shim_on;

static long missing_function(void)
{
	errno = ENOSYS;
	return -1;
}

void *shim_dlsym(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	return p ? p : (void *)missing_function;
}

void shim_resolve(const struct shim_sym *syms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!*syms[i].ptr)
			*syms[i].ptr = shim_dlsym(syms[i].name);
}

/* One line on stderr, once per process; never errno, never stdio. */
void shim_warn(const char *what)
{
	static int warned;
	char buf[200];
	int n;

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	n = snprintf(buf, sizeof(buf), "syslet: %s; running calls natively\n",
		     what);
	if (n > 0)
		sl_sys3(SYS_write, 2, buf,
			(size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *route = getenv("SYSLET_ROUTE");
	int saved = errno;

	shim_resolve_wrappers();
	if (getauxval(AT_SECURE)) {
		errno = saved;
		return; /* setuid and the like: stay out */
	}
	shim_pcancel_init();
	shim_policy_init();
	shim_on = !(route && !strcmp(route, "off"));
	errno = saved;
}
