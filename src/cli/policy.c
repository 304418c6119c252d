// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet policy check FILE...: every error of every file, as compilers
 * print theirs.  syslet policy show [FILE]: the built-in policy (or the
 * policy FILE makes of it) in the policy file format, a start for a file.
 */
#include <stdio.h>
#include <string.h>

#include "../policy/policy.h"
#include "cli.h"

static void policy_usage(FILE *f)
{
	fputs("usage: syslet policy check FILE...\n"
	      "       syslet policy show [FILE]\n"
	      "       syslet policy suggest [--min-calls N] REPORT...\n"
	      "       syslet policy export --format oci|systemd REPORT...\n"
	      "\n"
	      "check  reads each policy file (\"-\": standard input) and prints\n"
	      "       every error as FILE:LINE:COLUMN: error: REASON; exit\n"
	      "       status 2 if there was any, else 0 and a summary\n"
	      "show   prints the built-in policy in the policy file format, or\n"
	      "       the policy FILE makes of it (syslet-policy(5))\n"
	      "suggest  prints a policy tuned from reports of 'syslet run\n"
	      "       --report': calls that blocked often and long go to helpers,\n"
	      "       calls that never blocked stay inline; each rule says why\n"
	      "export prints the calls reports made with 'syslet run --observe'\n"
	      "       saw, as an OCI seccomp profile or systemd's SystemCallFilter=\n",
	      f);
}

static void print_error(void *arg, const char *file, unsigned int line,
			unsigned int col, const char *reason)
{
	(void)arg;
	if (line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", file, line, col,
			reason);
	else
		fprintf(stderr, "%s: error: %s\n", file, reason);
}

static int check(int n, char **files)
{
	unsigned int errors = 0, rules = 0, settings = 0;
	struct sp_policy p;
	int i;

	for (i = 0; i < n; i++) {
		sp_policy_default(&p);
		errors += sp_load(&p, files[i], print_error, 0);
		rules += p.rules;
		settings += p.settings;
	}
	if (errors) {
		/* One error is its own line: no count after it. */
		if (errors > 1)
			fprintf(stderr, "syslet policy: %u errors\n", errors);
		return 2;
	}
	printf("%d file%s, %u rule%s, %u setting%s: no errors\n", n,
	       n == 1 ? "" : "s", rules, rules == 1 ? "" : "s", settings,
	       settings == 1 ? "" : "s");
	return 0;
}

static int show(const char *file)
{
	struct sp_policy p;

	sp_policy_default(&p);
	if (file && sp_load(&p, file, print_error, 0))
		return 2;
	if (sp_policy_write(&p, stdout)) {
		perror("syslet policy show");
		return 125;
	}
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		policy_usage(stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "check"))
		return check(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "export"))
		return cmd_policy_export(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "suggest"))
		return cmd_policy_suggest(argc - 1, argv + 1);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "show"))
		return show(argc == 3 ? argv[2] : 0);
	policy_usage(stderr);
	return 2;
}
