// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report's options, parsed apart from reading or writing any file,
 * so that the CLI fuzzer (test/fuzz/fuzz_cli.c) can feed it any argv.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../report/report.h"

static void report_usage(FILE *f)
{
	fputs("usage: syslet report [OPTIONS] FILE...\n"
	      "       syslet report --merge OUT FILE...\n"
	      "       syslet report --compare A B\n"
	      "       syslet report --png OUT.png FILE...\n"
	      "       syslet report --sites|--threads|--folded OUT FILE...\n"
	      "       syslet report --flamegraph OUT.svg FILE...\n"
	      "\n"
	      "Reads JSON reports written by 'syslet run --report' and prints\n"
	      "the strace -c style table of them all, processes merged, most\n"
	      "time blocked first.\n"
	      "\n"
	      "Options:\n"
	      "  --per-process  one table per process (pid, command)\n"
	      "  -f, --format FMT  the table, the per-process tables or the\n"
	      "                 comparison as table (default), csv or json\n"
	      "  -e trace=NAME[,NAME...]  only these system calls ('!NAME,...':\n"
	      "                 all but these), in every table and the total\n"
	      "  -S, --sort KEY order rows by blocked (default), calls,\n"
	      "                 would-block or name\n"
	      "  --top N        only the first N rows (the total is of all)\n"
	      "  --merge OUT    write one report of every FILE's processes\n"
	      "                 (OUT - is stdout)\n"
	      "  --compare      two reports side by side, per system call:\n"
	      "                 calls, would-block, seconds blocked, ratio B/A\n"
	      "  --png OUT      the latency histograms of the top N (default 6)\n"
	      "                 system calls by time blocked, as a PNG picture\n"
	      "  --log          with --png: counts on a log scale\n"
	      "  --sites        call sites (function, file:line) by time\n"
	      "                 blocked, with their threads\n"
	      "  --threads      per thread: event loop or not, idle in its\n"
	      "                 waits, blocked in other calls\n"
	      "  --folded OUT   blocked time by stack, folded (flamegraph.pl,\n"
	      "                 speedscope, inferno), in microseconds\n"
	      "  --flamegraph OUT  the same stacks as an off-CPU flame graph:\n"
	      "                 an SVG picture for a web browser, a tooltip\n"
	      "                 on each frame\n"
	      "  -h, --help     this text\n"
	      "\n"
	      "A file that cannot be read or is not a valid report is named\n"
	      "with the reason, and the exit status is 2.\n",
	      f);
}

static const char *const sort_names[] = {
	[RP_BY_BLOCKED] = "blocked",
	[RP_BY_CALLS] = "calls",
	[RP_BY_WOULD_BLOCK] = "would-block",
	[RP_BY_NAME] = "name",
};

static const char *const format_names[] = {
	[RP_FORMAT_TABLE] = "table",
	[RP_FORMAT_CSV] = "csv",
	[RP_FORMAT_JSON] = "json",
};

int report_parse(struct report_args *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "per-process", no_argument, 0, 'p' },
		{ "sort", required_argument, 0, 's' },
		{ "top", required_argument, 0, 't' },
		{ "merge", required_argument, 0, 'm' },
		{ "compare", no_argument, 0, 'c' },
		{ "png", required_argument, 0, 'g' },
		{ "log", no_argument, 0, 'l' },
		{ "sites", no_argument, 0, 'i' },
		{ "threads", no_argument, 0, 'T' },
		{ "folded", required_argument, 0, 'F' },
		{ "flamegraph", required_argument, 0, 'G' },
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char *end, why[128];
	size_t i;
	int c, n;

	memset(o, 0, sizeof(*o));
	o->sort = RP_BY_BLOCKED;
	optind = 0;
	while ((c = cli_getopt("syslet report", argc, argv, "hf:e:S:", lo)) !=
	       -1) {
		switch (c) {
		case 'p':
			o->per_process = true;
			break;
		case 'c':
			o->compare = true;
			break;
		case 'l':
			o->log = true;
			break;
		case 'm':
			o->merge = optarg;
			break;
		case 'i':
			o->sites = true;
			break;
		case 'T':
			o->threads = true;
			break;
		case 'F':
			o->folded = optarg;
			break;
		case 'G':
			o->flame = optarg;
			break;
		case 'g':
			o->png = optarg;
			break;
		case 'e':
			if (trace_parse(&o->trace, optarg, why, sizeof(why)))
				return cli_usage_error("syslet report", 0,
						       "-e %s: %s",
						       cli_safe(optarg), why);
			break;
		case 'f':
			for (i = 0;
			     i < sizeof(format_names) / sizeof(format_names[0]);
			     i++)
				if (!strcmp(optarg, format_names[i]))
					break;
			if (i == sizeof(format_names) / sizeof(format_names[0]))
				return cli_usage_error(
					"syslet report", 0,
					"--format %s: not table, csv or json",
					cli_safe(optarg));
			o->format = (enum rp_format)i;
			break;
		case 's':
		case 'S':
			for (i = 0;
			     i < sizeof(sort_names) / sizeof(sort_names[0]);
			     i++)
				if (!strcmp(optarg, sort_names[i]))
					break;
			if (i == sizeof(sort_names) / sizeof(sort_names[0])) {
				fprintf(stderr,
					"syslet report: --sort %s: not "
					"blocked, calls, would-block or name\n",
					cli_safe(optarg));
				return 2;
			}
			o->sort = (enum rp_sort)i;
			break;
		case 't':
			errno = 0;
			o->top = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-' ||
			    !o->top) {
				fprintf(stderr,
					"syslet report: --top %s: not a "
					"positive number\n",
					cli_safe(optarg));
				return 2;
			}
			break;
		case 'h':
			report_usage(stdout);
			return 1;
		default:
			report_usage(stderr);
			return 2;
		}
	}
	n = argc - optind;
	o->files = optind;
	if ((!!o->merge + o->compare + !!o->png + o->sites + o->threads +
		     !!o->folded + !!o->flame >
	     1) ||
	    (o->per_process && (o->merge || o->compare || o->png || o->sites ||
				o->threads || o->folded || o->flame))) {
		fputs("syslet report: --merge, --compare, --png, --sites, "
		      "--threads, --folded, --flamegraph and --per-process go "
		      "one at a time\n",
		      stderr);
		return 2;
	}
	if (o->format != RP_FORMAT_TABLE &&
	    (o->merge || o->png || o->sites || o->threads || o->folded ||
	     o->flame)) {
		fputs("syslet report: --format is for the tables and "
		      "--compare, not --merge, --png, --sites, --threads, "
		      "--folded or --flamegraph\n",
		      stderr);
		return 2;
	}
	if (o->compare && n > 2)
		return cli_extra("syslet report", report_usage,
				 argv[optind + 2]);
	if (n < 1 || (o->compare && n != 2))
		return cli_usage_error("syslet report", report_usage,
				       o->compare ? "--compare takes two files"
						  : "no report file given");
	return 0;
}
