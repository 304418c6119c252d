// SPDX-License-Identifier: LGPL-2.1-or-later
/* syslet: run programs with their blocking calls on helper threads. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli.h"

static void usage(FILE *f)
{
	fputs("usage: syslet COMMAND [ARGS...]\n"
	      "\n"
	      "Commands:\n"
	      "  run [OPTIONS] -- PROGRAM [ARGS...]\n"
	      "        run PROGRAM with its blocking C library calls routed to\n"
	      "        helper threads by the preload shim (see 'syslet run --help')\n"
	      "  calls  list the functions the shim interposes and their routes\n"
	      "  policy check FILE...\n"
	      "        check policy files: every error as FILE:LINE:COL (exit 2)\n"
	      "  policy show [FILE]\n"
	      "        print the built-in policy (or FILE's) as a policy file\n"
	      "  policy suggest [--min-calls N] REPORT...\n"
	      "        a policy tuned from reports of 'syslet run --report'\n"
	      "  policy export --format oci|systemd REPORT...\n"
	      "        the calls 'syslet run --observe' saw, as a seccomp profile\n"
	      "  report [OPTIONS] FILE...\n"
	      "        show reports of 'syslet run --report': the table, merged\n"
	      "        (--merge), compared (--compare), drawn (--png)\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help     this text\n"
	      "  -V, --version  the version\n",
	      f);
}

int main(int argc, char **argv)
{
	bool help, version;

	if (argc < 2)
		return cli_usage_error("syslet", usage, "no command given");
	help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");
	version = !strcmp(argv[1], "-V") || !strcmp(argv[1], "--version");
	if ((help || version) && argc > 2)
		return cli_extra("syslet", usage, argv[2]);
	if (help) {
		usage(stdout);
		return 0;
	}
	if (version) {
		printf("syslet %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "calls"))
		return cmd_calls(argc - 1, argv + 1);
	if (!strcmp(argv[1], "policy"))
		return cmd_policy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	return cli_usage_error("syslet", usage, "unknown %s '%s'",
			       argv[1][0] == '-' ? "option" : "command",
			       cli_safe(argv[1]));
}
