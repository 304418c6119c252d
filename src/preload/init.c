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

#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

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

/* One line on stderr, once per process, shared with the engine's. */
void shim_warn(const char *what)
{
	sl_warn_once(what, 0);
}

__attribute__((constructor)) static void shim_init(void)
{
	const char *route = getenv("SYSLET_ROUTE");
	int saved = errno;

	sl_warn_prefix = "syslet";
	sl_warn_fallback = "running calls natively";
	shim_resolve_wrappers();
	shim_signals_init();
	if (getauxval(AT_SECURE)) {
		errno = saved;
		return; /* setuid and the like: stay out */
	}
	shim_pcancel_init();
	/* ident.c sees every change the C library makes (ident.h). */
	sl_ident_tracked = true;
	shim_policy_init();
	shim_routes_init();
	shim_on = !(route && !strcmp(route, "off"));
	shim_stats_init(); /* may turn shim_on off: after it */
	shim_backstop_init();
	errno = saved;
}
