// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What every file of the shim uses: whether it routes at all, the C
 * library's own functions behind the wrappers (the next definition after
 * ours), and the one warning line.  Apart from init.c, which sets every
 * file up, so that no file calls back into the set-up.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>

#include "../engine/engine.h"
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

/* One line on stderr, once per process, shared with the engine's. */
void shim_warn(const char *what)
{
	sl_warn_once(what, 0);
}
