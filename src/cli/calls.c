// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet calls: the C library functions the shim interposes, the system
 * call each becomes and the route the built-in policy gives it.  Printed
 * from the same table the shim's wrappers are generated from.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include <syslet.h>

#include "../policy/policy.h"
#include "cli.h"

static const struct {
	const char *fn;
	int nr;
} calls[] = {
#define X(ret, name, proto, args, nr, raw, restart, cp) { #name, nr },
#include "../policy/calls.def"
#undef X
#define H(name, nr) { #name, nr },
#include "../policy/calls.def"
#undef H
};

static void usage(FILE *f)
{
	fputs("usage: syslet calls\n"
	      "Lists the C library functions the preload shim interposes,\n"
	      "the system call each one makes, and its route under the\n"
	      "built-in policy: nowait (tried without blocking, else a\n"
	      "helper), helper (always a helper) or native (the program's\n"
	      "own thread, as without the shim).  fcntl goes through the\n"
	      "shim only for F_SETLKW and F_OFD_SETLKW.  Besides these, the\n"
	      "shim interposes sigaction() and signal() (to hide its cancel\n"
	      "signal) and pthread_cancel().\n",
	      f);
}

int cmd_calls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *cmd = "syslet calls";
	size_t i;
	int c;

	optind = 0;
	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c != 'h') {
			usage(stderr);
			return 2;
		}
		usage(stdout);
		return 0;
	}
	if (optind < argc)
		return cli_extra(cmd, usage, argv[optind]);
	printf("%-22s %-18s %s\n", "function", "system call", "route");
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		printf("%-22s %-18s %s\n", calls[i].fn,
		       syslet_syscall_name(calls[i].nr),
		       sp_route_name(sp_default_route(calls[i].nr)));
	return 0;
}
