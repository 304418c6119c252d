// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A policy in the policy file format (`syslet policy show`).  The output
 * parses back to the same policy: a unit test and the fuzzer check it.
 */
#include <stdio.h>

#include "policy.h"

int sp_policy_write(const struct sp_policy *p, FILE *f)
{
	char val[16];
	int s, nr;

	fputs("# syslet policy (syslet-policy(5)).  Calls not listed run inline,\n"
	      "# on the calling thread.  Routes: inline, nowait (try without\n"
	      "# blocking, else a helper), helper (always a helper), trap (the\n"
	      "# seccomp backstop, with set backstop on).\n\n",
	      f);
	for (s = 0; s < SP_NSETTINGS; s++) {
		sp_setting_format(s, p->value[s], val, sizeof(val));
		fprintf(f, "set %-16s %s\n", sp_setting_name(s), val);
	}
	fputc('\n', f);
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (sl_sys(nr) && (p->route[nr] != SP_NATIVE ||
				   sp_default_route(nr) != SP_NATIVE))
			fprintf(f, "%-20s %s\n", sl_sys(nr)->name,
				sp_route_keyword(p->route[nr]));
	return fflush(f) || ferror(f) ? -1 : 0;
}
