// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The settings a policy file may give ("set helpers.max 16"), as one
 * table: name, kind, range, default and the engine parameter it becomes.
 * Defaults are the engine's (syslet_params_init(); a unit test keeps them
 * equal).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <syslet.h>

#include "policy.h"

enum { SP_UINT, SP_BOOL };

#define NO_PARAM ((size_t)-1)
#define PARAM(f) offsetof(struct syslet_params, f)

static const struct {
	const char *name;
	uint8_t kind;
	uint32_t min, max, def;
	size_t param;	 /* offset of a uint32_t in struct syslet_params */
	const char *why; /* what a bad value is told */
} sets[SP_NSETTINGS] = {
	[SP_HELPERS_MIN] = { "helpers.min", SP_UINT, 0, 4096, 0,
			     PARAM(min_helpers), "an integer from 0 to 4096" },
	[SP_HELPERS_MAX] = { "helpers.max", SP_UINT, 1, 4096, 64,
			     PARAM(max_helpers), "an integer from 1 to 4096" },
	[SP_HELPERS_IDLE_MS] = { "helpers.idle_ms", SP_UINT, 1, 86400000, 2000,
				 PARAM(idle_timeout_ms),
				 "milliseconds from 1 to 86400000" },
	[SP_HELPERS_SPIN_US] = { "helpers.spin_us", SP_UINT, 0, 100000, 50,
				 PARAM(spin_us),
				 "microseconds from 0 to 100000" },
	/* Off sets SYSLET_CTX_NO_PIN (sp_policy_params()). */
	[SP_HELPERS_PIN] = { "helpers.pin", SP_BOOL, 0, 1, 1, NO_PARAM,
			     "on or off" },
	[SP_QUEUE_DEPTH] = { "queue.depth", SP_UINT, 1, 65536, 256,
			     PARAM(queue_depth), "an integer from 1 to 65536" },
	[SP_BACKSTOP] = { "backstop", SP_BOOL, 0, 1, 0, NO_PARAM, "on or off" },
	[SP_BLOCK_US] = { "report.block_us", SP_UINT, 0, 60000000, 1000,
			  NO_PARAM, "microseconds from 0 to 60000000" },
	/* Off: a pure wait that would block is made by the caller (the
	 * shim's SL_ROUTE_HERE); on: by a helper, as "nowait" says. */
	[SP_HELPERS_WAITS] = { "helpers.waits", SP_BOOL, 0, 1, 0, NO_PARAM,
			       "on or off" },
};

const char *sp_setting_name(int s)
{
	return s >= 0 && s < SP_NSETTINGS ? sets[s].name : 0;
}

uint32_t sp_setting_default(int s)
{
	return s >= 0 && s < SP_NSETTINGS ? sets[s].def : 0;
}

int sp_setting_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < SP_NSETTINGS; i++)
		if (strlen(sets[i].name) == len &&
		    !memcmp(sets[i].name, name, len))
			return i;
	return -1;
}

int sp_setting_format(int s, uint32_t v, char *buf, size_t size)
{
	if (sets[s].kind == SP_BOOL)
		return snprintf(buf, size, "%s", v ? "on" : "off");
	return snprintf(buf, size, "%lu", (unsigned long)v);
}

static int parse_uint(const char *s, size_t len, uint32_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (!len || len > 10)
		return -1; /* 10 digits hold any uint32_t: no overflow below */
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

const char *sp_setting_expected(int s)
{
	return sets[s].why;
}

int sp_setting_parse(int k, const char *s, size_t len, uint32_t *v)
{
	if (sets[k].kind == SP_BOOL) {
		if (len == 2 && !memcmp(s, "on", 2))
			*v = 1;
		else if (len == 3 && !memcmp(s, "off", 3))
			*v = 0;
		else
			return -1;
		return 0;
	}
	if (parse_uint(s, len, v) || *v < sets[k].min || *v > sets[k].max)
		return -1;
	return 0;
}

void sp_policy_params(const struct sp_policy *p, struct syslet_params *par)
{
	int i;

	for (i = 0; i < SP_NSETTINGS; i++)
		if (sets[i].param != NO_PARAM)
			memcpy((char *)par + sets[i].param, &p->value[i],
			       sizeof(uint32_t));
	if (p->value[SP_HELPERS_PIN])
		par->flags &= ~SYSLET_CTX_NO_PIN;
	else
		par->flags |= SYSLET_CTX_NO_PIN;
}
