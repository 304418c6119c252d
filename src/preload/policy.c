// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The policy this process uses: the built-in one, changed by the policy
 * file named in $SYSLET_POLICY (syslet run --policy), read at load time;
 * run.c makes its route table from it.  A file
 * that cannot be read or has any error is not used at all: the program
 * runs with the built-in policy, after one line on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <syslet.h>

#include "../engine/engine.h"
#include "../policy/policy.h"
#include "shim.h"

_Static_assert(SP_NATIVE == SL_ROUTE_NATIVE && SP_NOWAIT == SL_ROUTE_NOWAIT &&
		       SP_HELPER == SL_ROUTE_HELPER,
	       "policy routes are the engine's");

static struct sp_policy policy;

/* The first error, and how many there were, for the one warning line. */
struct first_error {
	unsigned int n;
	char text[130];
};

static void note_error(void *arg, const char *file, unsigned int line,
		       unsigned int col, const char *reason)
{
	struct first_error *fe = arg;

	if (fe->n++)
		return;
	if (line)
		snprintf(fe->text, sizeof(fe->text), "policy %s:%u:%u: %s",
			 file, line, col, reason);
	else
		snprintf(fe->text, sizeof(fe->text), "policy %s: %s", file,
			 reason);
}

static void load_file(const char *path)
{
	struct first_error fe = { 0 };
	struct sp_policy file;
	const char *fallback = sl_warn_fallback;
	char what[160]; /* sl_warn_once() has 200 for the whole line */

	file = policy;
	if (!sp_load_file(&file, path, note_error, &fe)) {
		policy = file;
		return;
	}
	if (fe.n > 1)
		snprintf(what, sizeof(what), "%s (and %u more)", fe.text,
			 fe.n - 1);
	else
		snprintf(what, sizeof(what), "%s", fe.text);
	sl_warn_fallback = "using the built-in policy";
	shim_warn(what);
	sl_warn_fallback = fallback;
}

void shim_policy_init(void)
{
	const char *path = getenv("SYSLET_POLICY");

	sp_policy_default(&policy);
	if (path && *path)
		load_file(path);
	shim_trace_narrow(policy.route); /* before routes are made of it */
}

unsigned char shim_policy_route(int nr)
{
	/* Until the backstop is up (backstop.c), a call left to it is
	 * routed as nowait here. */
	unsigned char r =
		policy.route[nr] == SP_TRAP ? SP_NOWAIT : policy.route[nr];

	/* A pure wait that would block waits on the caller (doc/design.md,
	 * "What a trial costs"), unless the policy wants helpers for it. */
	if (r == SP_NOWAIT && !policy.value[SP_HELPERS_WAITS] &&
	    sl_pure_wait(nr))
		return SL_ROUTE_HERE;
	return r;
}

bool shim_policy_traps(int nr)
{
	return nr >= 0 && nr < SL_SYSTAB_MAX && policy.route[nr] == SP_TRAP;
}

void shim_policy_params(struct syslet_params *p)
{
	sp_policy_params(&policy, p);
}

uint32_t shim_policy_value(int setting)
{
	return setting >= 0 && setting < SP_NSETTINGS ? policy.value[setting]
						      : 0;
}
