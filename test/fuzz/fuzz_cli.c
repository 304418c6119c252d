// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target for the command line (scripts/fuzz-cli, or 'make
 * fuzz-cli'): argv vectors fed to the option parsing of syslet run and
 * syslet report (run_parse(), report_parse(): nothing is run, read or
 * written) and to the -e expression parser.  The input is the words of
 * argv, separated by NUL bytes; its first byte picks the subcommand.
 *
 * Besides not crashing, it checks the rules every subcommand keeps: the
 * status is 0, 1 (--help) or 2; 2 comes with a first line on stderr
 * "syslet CMD: ..." and ending in a newline; 0 and 1 with nothing on
 * stderr; what the parser hands on is inside argv.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"

#define MAX_WORDS 24
#define MAX_INPUT 4096

static FILE *null_out;

static int words(const char *d, size_t n, char *buf, char **argv,
		 const char *cmd)
{
	int argc = 0;
	size_t i = 0;

	memcpy(buf, d, n);
	buf[n] = 0;
	argv[argc++] = (char *)cmd;
	while (i <= n && argc < MAX_WORDS) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = 0;
	return argc;
}

/* The rules of one call's status and stderr (@err, @len bytes). */
static void judge(int rc, const char *cmd, const char *err, size_t len)
{
	size_t cl = strlen(cmd);
	const char *nl;

	if (rc != 0 && rc != 1 && rc != 2)
		abort();
	if (rc != 2) {
		if (len)
			abort(); /* nothing said on success */
		return;
	}
	nl = memchr(err, '\n', len);
	if (len < cl + 3 || strncmp(err, cmd, cl) || err[cl] != ':' || !nl ||
	    err[len - 1] != '\n')
		abort(); /* "syslet CMD: what was wrong\n" first */
	if (memchr(err, 0, len))
		abort();
	/* One line: then nothing, or the usage (an argument's newline
	 * or escape must not start a line of its own). */
	if (nl + 1 < err + len && strncmp(nl + 1, "usage: ", 7))
		abort();
	for (; err < nl; err++)
		if ((unsigned char)*err < 0x20 || *err == 0x7f)
			abort();
}

static void trace_words(int argc, char **argv)
{
	struct trace_set t;
	char why[160], names[8192];
	int i;

	for (i = 1; i < argc; i++) {
		memset(&t, 0, sizeof(t));
		if (trace_parse(&t, argv[i], why, sizeof(why))) {
			if (t.given || !*why || strchr(why, '\n'))
				abort();
			continue;
		}
		if (!t.given ||
		    trace_names(&t, names, sizeof(names)) != strlen(names))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n)
{
	static struct run_args ra;
	static struct report_args rep;
	static char buf[MAX_INPUT + 1];
	char *argv[MAX_WORDS + 1], *err = 0;
	const char *cmd;
	size_t elen = 0;
	FILE *saved = stderr;
	int argc, rc, which;

	if (!n || n > MAX_INPUT)
		return 0;
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	if (!null_out)
		abort();
	stdout = null_out; /* usages printed for --help */
	which = d[0] % 3;
	cmd = which == 0 ? "syslet run" : "syslet report";
	argc = words((const char *)d + 1, n - 1, buf, argv,
		     which == 0 ? "run" : "report");
	if (which == 2) {
		trace_words(argc, argv);
		return 0;
	}
	stderr = open_memstream(&err, &elen);
	if (!stderr)
		abort();
	if (which == 0) {
		rc = run_parse(&ra, argc, argv);
		if (!rc && (ra.prog < 1 || ra.prog >= argc))
			abort();
	} else {
		rc = report_parse(&rep, argc, argv);
		if (!rc && (rep.files < 1 || rep.files >= argc ||
			    (rep.compare && argc - rep.files != 2)))
			abort();
	}
	fclose(stderr);
	stderr = saved;
	judge(rc, cmd, err, elen);
	free(err);
	return 0;
}
