// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet policy check FILE...: every error of every file, as compilers
 * print theirs.  syslet policy show [FILE]: the built-in policy (or the
 * policy FILE makes of it) in the policy file format, a start for a file.
 */
#include <getopt.h>
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
		fprintf(stderr, "%s:%u:%u: error: %s\n", cli_safe(file), line,
			col, reason);
	else
		fprintf(stderr, "%s: error: %s\n", cli_safe(file), reason);
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

/* --help, or a usage error; the files are argv[optind...]. */
static int files_opts(const char *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;

	optind = 0;
	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c != 'h') {
			policy_usage(stderr);
			return 2;
		}
		policy_usage(stdout);
		return -1;
	}
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : 0;
	int rc;

	if (!sub)
		return cli_usage_error("syslet policy", policy_usage,
				       "no command given (check, show, suggest "
				       "or export)");
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		if (argc > 2)
			return cli_extra("syslet policy", policy_usage,
					 argv[2]);
		policy_usage(stdout);
		return 0;
	}
	/* From here on the subcommand's own argv, its name first. */
	argc--;
	argv++;
	if (!strcmp(sub, "export"))
		return cmd_policy_export(argc, argv);
	if (!strcmp(sub, "suggest"))
		return cmd_policy_suggest(argc, argv);
	if (!strcmp(sub, "check")) {
		rc = files_opts("syslet policy check", argc, argv);
		if (rc)
			return rc < 0 ? 0 : rc;
		if (optind == argc)
			return cli_usage_error("syslet policy check",
					       policy_usage,
					       "no policy file given");
		return check(argc - optind, argv + optind);
	}
	if (!strcmp(sub, "show")) {
		rc = files_opts("syslet policy show", argc, argv);
		if (rc)
			return rc < 0 ? 0 : rc;
		if (argc - optind > 1)
			return cli_extra("syslet policy show", policy_usage,
					 argv[optind + 1]);
		return show(optind < argc ? argv[optind] : 0);
	}
	return cli_usage_error("syslet policy", policy_usage, "unknown %s '%s'",
			       sub[0] == '-' ? "option" : "command",
			       cli_safe(sub));
}
