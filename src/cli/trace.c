// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * -e EXPR: strace's filter expression, its "trace=" qualifier alone.
 *
 *   [trace=][!]NAME[,NAME...]    the system calls named (or all but them)
 *   [trace=]all | none
 *
 * Names are the kernel's ("read", "openat", "pread64"), as syslet calls
 * and the reports print them.  Repeated -e options add up, as strace's
 * do.  strace's classes (%file), regular expressions (/re) and other
 * qualifiers (signal=, abbrev=) are refused by name rather than
 * misread.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <syslet.h>

#include "cli.h"

/* Longest name a set may contain (the table's longest is shorter). */
#define NAME_MAX_LEN 64

/* The first @n bytes of @s, quoted, into @why: "'%.*s': @what". */
static int fail(char *why, size_t len, const char *s, int n, const char *what)
{
	char word[CLI_SAFE_MAX];

	snprintf(word, sizeof(word), "%.*s", n, s);
	snprintf(why, len, "'%s': %s", cli_safe(word), what);
	return -1;
}

int trace_parse(struct trace_set *t, const char *expr, char *why, size_t len)
{
	const char *s = expr, *eq = strchr(expr, '=');
	bool add[TRACE_NR_MAX] = { false }, negate = false;
	int nr;

	if (eq) {
		if ((size_t)(eq - expr) != 5 || strncmp(expr, "trace", 5))
			return fail(why, len, expr, (int)(eq - expr),
				    "only the trace= qualifier is supported");
		s = eq + 1;
	}
	if (*s == '!') {
		negate = true;
		s++;
	}
	if (!strcmp(s, "all") || !strcmp(s, "none")) {
		for (nr = 0; nr < TRACE_NR_MAX; nr++)
			add[nr] = (*s == 'a');
	} else {
		while (1) {
			int n = (int)strcspn(s, ",");
			char name[NAME_MAX_LEN + 1];

			if (!n)
				return fail(why, len, expr, (int)strlen(expr),
					    "an empty system call name");
			if (*s == '%' || *s == '/' || *s == '?')
				return fail(why, len, s, n,
					    "classes, patterns and '?' are "
					    "not supported, only names");
			nr = -1;
			if (n <= NAME_MAX_LEN) {
				memcpy(name, s, (size_t)n);
				name[n] = 0;
				nr = syslet_syscall_lookup(name);
			}
			if (nr < 0 || nr >= TRACE_NR_MAX)
				return fail(why, len, s, n,
					    "unknown system call");
			add[nr] = true;
			s += n;
			if (!*s)
				break;
			s++; /* the comma */
		}
	}
	for (nr = 0; nr < TRACE_NR_MAX; nr++)
		if (add[nr] != negate)
			t->on[nr] = true;
	t->given = true;
	return 0;
}

size_t trace_names(const struct trace_set *t, char *buf, size_t len)
{
	size_t used = 0;
	int nr;

	if (len)
		*buf = 0;
	for (nr = 0; nr < TRACE_NR_MAX; nr++) {
		const char *name = syslet_syscall_name(nr);

		if (!t->on[nr] || !name)
			continue;
		/* No arithmetic on a NULL @buf (measuring: len 0). */
		used += (size_t)snprintf(used < len ? buf + used : NULL,
					 used < len ? len - used : 0, "%s%s",
					 used ? "," : "", name);
	}
	return used;
}
