// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Options and usage errors, the same in every subcommand: a bad option or
 * argument is one line naming it, "syslet CMD: unknown option '--bogus'",
 * then the subcommand's usage on stderr, and exit status 2.  getopt's own
 * messages are off: they name the program as the subcommand's argv[0].
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The option of @lo the long option word @w (after "--") names, exactly
 * or as the only one it begins; NULL if none, *@n how many it begins. */
static const struct option *find(const char *w, const struct option *lo, int *n)
{
	const struct option *one = 0;
	size_t len = strcspn(w, "=");

	*n = 0;
	for (; lo && lo->name; lo++) {
		if (strncmp(lo->name, w, len))
			continue;
		if (!lo->name[len]) {
			*n = 1;
			return lo;
		}
		one = lo;
		++*n;
	}
	return *n == 1 ? one : 0;
}

/* The word getopt_long() just refused is argv[optind - 1], unless it was a
 * short option inside a cluster ("-xh"): optopt then names it. */
static void bad_option(const char *cmd, int c, char **argv,
		       const struct option *lo)
{
	const char *w = cli_safe(argv[optind - 1]);
	const struct option *o = 0;
	int len = (int)strcspn(w, "="), n = 0;

	if (!strncmp(w, "--", 2) && w[2])
		o = find(w + 2, lo, &n);
	char one[2] = { (char)optopt, 0 };

	if (optopt && !(o && o->val == optopt))
		fprintf(stderr, "%s: %s '-%s'%s\n", cmd,
			c == ':' ? "option" : "unknown option", cli_safe(one),
			c == ':' ? " needs an argument" : "");
	else if (c == ':')
		fprintf(stderr, "%s: option '%s' needs an argument\n", cmd, w);
	else if (optopt)
		fprintf(stderr, "%s: option '%.*s' takes no argument\n", cmd,
			len, w);
	else
		fprintf(stderr, "%s: %s option '%.*s'\n", cmd,
			n > 1 ? "ambiguous" : "unknown", len, w);
}

/*
 * Words from the command line inside a one-line message: a newline in an
 * argument (a file name may have one) would make it two lines, and a
 * terminal's escape sequence would act.  Control bytes become \n, \t or
 * \xNN; a word longer than fits is cut with "...".  Four results live
 * at once, enough for one message.
 */
const char *cli_safe(const char *s)
{
	static char bufs[4][CLI_SAFE_MAX];
	static unsigned int next;
	char *b = bufs[next++ % 4], *o = b;
	const char *end = b + CLI_SAFE_MAX - 8; /* room for "\xNN" and "..." */

	for (; *s && o < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\t') {
			*o++ = '\\';
			*o++ = c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += snprintf(o, 5, "\\x%02x", c);
		} else {
			*o++ = (char)c;
		}
	}
	if (*s)
		o += snprintf(o, 4, "...");
	*o = 0;
	return b;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *lo)
{
	char opts[32];
	int c;

	/* ':' first (after '+'): a missing argument is told from the rest. */
	snprintf(opts, sizeof(opts), "%s:%s", *shortopts == '+' ? "+" : "",
		 shortopts + (*shortopts == '+'));
	opterr = 0;
	c = getopt_long(argc, argv, opts, lo, 0);
	if (c == '?' || c == ':') {
		bad_option(cmd, c, argv, lo);
		return '?';
	}
	return c;
}

int cli_usage_error(const char *cmd, void (*usage)(FILE *), const char *fmt,
		    ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		usage(stderr);
	return 2;
}

int cli_extra(const char *cmd, void (*usage)(FILE *), const char *arg)
{
	return cli_usage_error(cmd, usage, "unexpected argument '%s'",
			       cli_safe(arg));
}
