// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The routes this process uses, looked up on every interposed call: a
 * flat table filled at load time from the policy module.
 */
#include <string.h>

#include "../engine/call.h"
#include "../engine/systab.h"
#include "../policy/policy.h"
#include "shim.h"

_Static_assert(SP_NATIVE == SL_ROUTE_NATIVE && SP_NOWAIT == SL_ROUTE_NOWAIT &&
		       SP_HELPER == SL_ROUTE_HELPER,
	       "policy routes are the engine's");

static unsigned char routes[SL_SYSTAB_MAX];

void shim_policy_init(void)
{
	int nr;

	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		routes[nr] = (unsigned char)sp_default_route(nr);
}

unsigned char shim_route_of(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return SL_ROUTE_NATIVE;
	return routes[nr];
}
