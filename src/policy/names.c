// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names in a policy file: system calls (the kernel's, as in the syscall
 * table), the C library functions the shim interposes (only to tell the
 * user which system call to name instead: "pread" -> pread64), and routes.
 */
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "policy.h"

static int same(const char *s, const char *name, size_t len)
{
	return strlen(s) == len && !memcmp(s, name, len);
}

int sp_syscall_lookup(const char *name, size_t len)
{
	int nr;

	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (sl_systab[nr].name && same(sl_systab[nr].name, name, len))
			return nr;
	return -1;
}

/* From the shim's own table, so that the two cannot differ. */
static const struct {
	const char *fn;
	int nr;
} libc[] = {
#define X(ret, name, proto, args, nr, raw, restart, cp) { #name, nr },
#include "calls.def"
#undef X
#define H(name, nr) { #name, nr },
#include "calls.def"
#undef H
};

int sp_libc_syscall(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(libc) / sizeof(libc[0]); i++)
		if (same(libc[i].fn, name, len))
			return libc[i].nr;
	return -1;
}

/* "native" is what `syslet calls` prints: accepted for "inline". */
static const struct {
	const char *name;
	int route;
} routes[] = {
	{ "inline", SP_NATIVE }, { "nowait", SP_NOWAIT },
	{ "helper", SP_HELPER }, { "trap", SP_TRAP },
	{ "native", SP_NATIVE },
};

const char *sp_route_keyword(int route)
{
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].route == route)
			return routes[i].name;
	return "inline";
}

int sp_route_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (same(routes[i].name, name, len))
			return routes[i].route;
	return -1;
}
