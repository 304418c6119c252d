// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target for the policy parser (scripts/fuzz-policy, or
 * 'make fuzz-policy').  Besides not crashing, it checks what the parser
 * promises: every error has a place inside the input and a one-line
 * reason, the policy stays within its ranges, and a policy read without
 * errors, written out with sp_policy_write(), parses back the same.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <syslet.h>

#include "../../src/policy/policy.h"

struct seen {
	unsigned int lines; /* lines in the input */
	unsigned int errors;
};

static void on_error(void *arg, const char *file, unsigned int line,
		     unsigned int col, const char *reason)
{
	struct seen *s = arg;

	s->errors++;
	if (strcmp(file, "fuzz") || line < 1 || line > s->lines || col < 1 ||
	    !*reason || strchr(reason, '\n'))
		abort();
}

static void check_ranges(const struct sp_policy *p)
{
	struct syslet_params par;
	int nr;

	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (p->route[nr] >= SP_NROUTES)
			abort();
	memset(&par, 0, sizeof(par)); /* no engine here: only the table */
	sp_policy_params(p, &par);
	if (par.min_helpers > par.max_helpers || !par.max_helpers ||
	    !par.queue_depth || !par.idle_timeout_ms)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_policy p, q;
	struct seen s = { 1, 0 };
	char *text = 0;
	size_t i, len = 0;
	unsigned int n;
	FILE *f;

	for (i = 0; i + 1 < size; i++)
		s.lines += data[i] == '\n';
	sp_policy_default(&p);
	n = sp_parse(&p, (const char *)data, size, "fuzz", on_error, &s);
	if (n != s.errors)
		abort();
	if (n)
		return 0;
	check_ranges(&p);
	/* Round trip: what show prints parses back, without errors, the same.
	 */
	f = open_memstream(&text, &len);
	if (!f || sp_policy_write(&p, f))
		abort();
	fclose(f);
	sp_policy_default(&q);
	s.lines = (unsigned int)len + 1;
	if (sp_parse(&q, text, len, "fuzz", on_error, &s) ||
	    memcmp(p.route, q.route, sizeof(p.route)) ||
	    memcmp(p.value, q.value, sizeof(p.value)))
		abort();
	free(text);
	return 0;
}
