// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Load time.  The shim stays out of setuid and other AT_SECURE processes
 * entirely, and out of any process whose environment says
 * SYSLET_ROUTE=off: every wrapper then calls the C library directly.
 * Sets up every other file of the shim, and is called by none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

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
