// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp backstop (src/backstop/backstop.h) under the shim: started
 * when the policy says "set backstop on" and traps some calls; then the
 * calls it catches count as trapped, and the shim's wrappers leave them
 * to the filter.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "../backstop/backstop.h"
#include "../engine/engine.h"
#include "../policy/policy.h"
#include "shim.h"
#include "stats.h"

bool shim_backstop_on;

static void count(int nr, uint64_t t0, long ret)
{
	if (shim_stats_on)
		shim_stats_count(nr, SR_TRAPPED, t0, ret);
}

static uint64_t now(void)
{
	return shim_stats_on ? shim_stats_now() : 0;
}

static bool quiet_saved;

static void quiet(bool on)
{
	if (on) {
		quiet_saved = shim_stats_on;
		shim_stats_on = false;
	} else {
		shim_stats_on = quiet_saved;
	}
}

static const struct ss_listener_ops ops = {
	.ctx = shim_get_ctx,
	.count = count,
	.now = now,
	.quiet = quiet,
};

void shim_backstop_init(void)
{
	int trap[SL_SYSTAB_MAX];
	size_t n = 0;
	int nr, rc;

	if (!shim_on || !shim_policy_value(SP_BACKSTOP))
		return;
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (shim_policy_traps(nr) && sp_trappable(nr))
			trap[n++] = nr;
	rc = ss_backstop_start(trap, n, &ops);
	if (rc) {
		if (rc != -EAGAIN)
			shim_stats_backstop(SR_BS_OFF, -rc);
		return;
	}
	shim_stats_backstop(SR_BS_ON, 0);
	shim_routes_trap_native();
	shim_backstop_on = true;
}
