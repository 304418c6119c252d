// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet run's options, parsed apart from running anything, so that the
 * CLI fuzzer (test/fuzz/fuzz_cli.c) can feed it any argv.  It looks at
 * the files named (the policy must be a regular file) but opens none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void run_usage(FILE *f)
{
	fputs("usage: syslet run [OPTIONS] [--] PROGRAM [ARGS...]\n"
	      "\n"
	      "Runs PROGRAM with LD_PRELOAD=" SHIM_NAME
	      ": its blocking C library\n"
	      "calls (file and socket I/O, opens, waits, sleeps, locks, syncs)\n"
	      "are tried without blocking first and otherwise run on helper\n"
	      "threads, with the same results. The exit status is PROGRAM's.\n"
	      "\n"
	      "Options:\n"
	      "  --no-route     load the shim but route nothing (every call native)\n"
	      "  --shim PATH    the preload library to use\n"
	      "  -p, --policy FILE  route calls by this policy file\n"
	      "                 (syslet-policy(5); check it with 'syslet policy\n"
	      "                 check FILE')\n"
	      "  -e trace=NAME[,NAME...]  interpose and report only these\n"
	      "                 system calls ('!NAME,...': all but these); the\n"
	      "                 others run natively, as without the shim\n"
	      "  -o, --report FILE  write a JSON report of every process's calls\n"
	      "                 to FILE (doc/report-schema.md) and a table to\n"
	      "                 stderr once the program has exited; '-' is stdout\n"
	      "  --report-table FILE  the table to FILE instead (also '-',\n"
	      "                 /dev/stdout, /dev/stderr or /dev/null)\n"
	      "  --observe      with --report: also count every system call of\n"
	      "                 the tree (a seccomp listener; slower; waits for\n"
	      "                 every process), for 'syslet policy export'\n"
	      "  --block-us N   a call taking over N us would block (default:\n"
	      "                 the policy's report.block_us, 1000)\n"
	      "  --no-stacks    with --report: no call sites (no stack is\n"
	      "                 unwound; what it saves is the stacks' cost)\n"
	      "  -h, --help     this text\n"
	      "\n"
	      "Environment:\n"
	      "  SYSLET_SHIM           the preload library, if --shim is not given\n"
	      "  SYSLET_POLICY         the policy file, if --policy is not given\n"
	      "  SYSLET_CANCEL_SIGNAL  signal number the shim uses to interrupt\n"
	      "                        helpers (default SIGRTMAX-2)\n",
	      f);
}

int run_parse(struct run_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-route", no_argument, 0, 'n' },
		{ "shim", required_argument, 0, 's' },
		{ "policy", required_argument, 0, 'p' },
		{ "report", required_argument, 0, 'r' },
		{ "report-table", required_argument, 0, 'T' },
		{ "block-us", required_argument, 0, 'b' },
		{ "no-stacks", no_argument, 0, 'S' },
		{ "observe", no_argument, 0, 'O' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char why[160];
	struct stat st;
	int c;

	free(a->policy);
	memset(a, 0, sizeof(*a));

	optind = 0;
	while ((c = cli_getopt("syslet run", argc, argv, "+ho:p:e:", opts)) !=
	       -1) {
		switch (c) {
		case 'n':
			a->no_route = true;
			break;
		case 's':
			a->shim = optarg;
			break;
		case 'p':
			/* Absolute: the program may change directory. */
			free(a->policy);
			a->policy = realpath(optarg, 0);
			if (!a->policy || stat(a->policy, &st)) {
				fprintf(stderr, "syslet run: %s: %s\n",
					cli_safe(optarg), strerror(errno));
				return 2;
			}
			if (!S_ISREG(st.st_mode)) {
				fprintf(stderr, "syslet run: %s: %s\n",
					cli_safe(optarg),
					S_ISDIR(st.st_mode)
						? "is a directory"
						: "not a regular file");
				return 2;
			}
			break;
		case 'r':
		case 'o':
			a->rep.json = optarg;
			break;
		case 'e':
			if (trace_parse(&a->trace, optarg, why, sizeof(why)))
				return cli_usage_error("syslet run", 0,
						       "-e %s: %s",
						       cli_safe(optarg), why);
			break;
		case 'T':
			a->rep.table = optarg;
			break;
		case 'b':
			a->rep.block_us = optarg;
			break;
		case 'O':
			a->observe = true;
			break;
		case 'S':
			a->rep.no_stacks = true;
			break;
		case 'h':
			run_usage(stdout);
			return 1;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("syslet run", run_usage,
				       "no program given");
	if (a->observe && !a->rep.json) {
		fprintf(stderr, "syslet run: --observe needs --report FILE\n");
		return 2;
	}
	a->prog = optind;
	return 0;
}
