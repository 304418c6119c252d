// SPDX-License-Identifier: LGPL-2.1-or-later
/* Questions to the system call table (systab.c): the API's and ours. */
#ifndef SYSLET_API
#define SYSLET_API __attribute__((visibility("default")))
#endif

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include <syslet.h>

#include "systab.h"

SYSLET_API int syslet_syscall_class(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return -EINVAL;
	if (!sl_systab[nr].name)
		return SYSLET_CLASS_CALLER;
	return sl_systab[nr].cls;
}

SYSLET_API const char *syslet_syscall_name(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return NULL;
	return sl_systab[nr].name;
}

/* A linear scan: under 400 names, no state, nothing to set up or lock. */
SYSLET_API int syslet_syscall_lookup(const char *name)
{
	int nr;

	if (!name)
		return -EINVAL;
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++) {
		const char *s = sl_systab[nr].name;

		if (s && s[0] == name[0] && !strcmp(s, name))
			return nr;
	}
	return -ENOENT;
}

SYSLET_API int syslet_syscall_max(void)
{
	return SL_SYSTAB_MAX;
}

bool sl_pure_wait(int nr)
{
	static const short waits[] = {
		SYS_poll,	  SYS_ppoll,	  SYS_select,
		SYS_pselect6,	  SYS_epoll_wait, SYS_epoll_pwait,
		SYS_epoll_pwait2, SYS_nanosleep,  SYS_clock_nanosleep,
		SYS_pause,	  SYS_wait4,	  SYS_waitid,
	};
	unsigned int i;

	for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
		if (waits[i] == nr)
			return true;
	return false;
}
