// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet run -e trace=NAME,...: the launcher passes the calls to trace in
 * SYSLET_TRACE ("read,openat", kernel names).  Every other call is left
 * to the C library as without the shim (route native, never trapped by
 * the backstop) and is not counted in the report.  The policy itself is
 * not changed: this only narrows it.  A SYSLET_TRACE the shim cannot read
 * narrows nothing, after one line on stderr.
 */
#include <stdlib.h>
#include <string.h>

#include "../policy/policy.h"
#include "shim.h"

bool shim_trace_narrowed;
static bool traced[SL_SYSTAB_MAX];

/* @list into @set; false (and @set part filled) for an unknown name. */
static bool parse(const char *list, bool *set)
{
	const char *s = list;

	while (*s) {
		size_t n = strcspn(s, ",");
		int nr = sp_syscall_lookup(s, n);

		if (nr < 0)
			return false;
		set[nr] = true;
		s += n;
		if (*s)
			s++;
	}
	return true;
}

void shim_trace_narrow(uint8_t *route)
{
	const char *list = getenv("SYSLET_TRACE");
	int nr;

	if (!list)
		return;
	if (!parse(list, traced)) {
		shim_warn("SYSLET_TRACE: an unknown system call name; "
			  "tracing every call");
		return;
	}
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (!traced[nr])
			route[nr] = SP_NATIVE;
	shim_trace_narrowed = true;
}

bool shim_traced(int nr)
{
	return !shim_trace_narrowed ||
	       (nr >= 0 && nr < SL_SYSTAB_MAX && traced[nr]);
}
