// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report FILE...: read reports that 'syslet run --report' wrote
 * and show them: the table (all processes merged, or one per process),
 * a merged report (--merge), two runs side by side (--compare), or the
 * latency histograms as a picture (--png).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../report/report.h"

static void report_usage(FILE *f)
{
	fputs("usage: syslet report [OPTIONS] FILE...\n"
	      "       syslet report --merge OUT FILE...\n"
	      "       syslet report --compare A B\n"
	      "       syslet report --png OUT.png FILE...\n"
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

struct opts {
	bool per_process, compare, log;
	enum rp_sort sort;
	enum rp_format format;
	size_t top;
	const char *merge, *png;
	struct trace_set trace;
};

/* -e: the calls not asked for leave every process, as if never made, so
 * that every table and total, and --merge, --png, are of the rest. */
static void narrow(struct rp_report *r, const struct trace_set *t)
{
	size_t i;
	int nr;

	if (!t->given)
		return;
	for (i = 0; i < r->n; i++)
		for (nr = 0; nr < SR_NR_MAX; nr++)
			if (nr >= TRACE_NR_MAX || !t->on[nr])
				memset(&r->procs[i].e[nr], 0,
				       sizeof(r->procs[i].e[nr]));
}

/* Every file into @r, narrowed to @t's calls; @srcs (if not NULL) gets
 * each one's source entry. */
static int load_all(struct rp_report *r, int n, char **files, json_object *srcs,
		    const struct trace_set *t)
{
	char why[256];
	int i;

	for (i = 0; i < n; i++) {
		json_object *src = 0;

		if (rp_load(r, files[i], srcs ? &src : 0, why, sizeof(why))) {
			fprintf(stderr, "syslet report: %s: %s\n", files[i],
				why);
			return 2;
		}
		if (src) {
			json_object_object_add(
				src, "file", json_object_new_string(files[i]));
			json_object_array_add(srcs, src);
		}
	}
	narrow(r, t);
	return 0;
}

static int out_error(const char *path, int err)
{
	fprintf(stderr, "syslet report: %s: %s\n", path,
		err == ELOOP	? "is a symbolic link, not written"
		: err == EINVAL ? "exists and is not a regular file"
		: err == EPERM	? "belongs to another user"
				: strerror(err));
	return 2;
}

static int merge(const struct opts *o, const char *out, int n, char **files)
{
	json_object *srcs = json_object_new_array(), *top;
	struct rp_report r = { 0 };
	int fd, rc;

	rc = rp_check_output(out);
	if (rc) {
		json_object_put(srcs);
		return out_error(out, -rc);
	}
	rc = load_all(&r, n, files, srcs, &o->trace);
	if (rc) {
		json_object_put(srcs);
		rp_free(&r);
		return rc;
	}
	/* No one program ran: argv and exit are each source's. */
	top = rp_json_top(&r);
	json_object_object_add(top, "argv", json_object_new_array());
	json_object_object_add(top, "exit", json_object_new_object());
	json_object_object_add(top, "sources", srcs);
	rp_free(&r);
	fd = rp_open_output(out);
	if (fd < 0) {
		json_object_put(top);
		out_error(out, -fd);
		return 125;
	}
	rc = rp_json_put(top, fd);
	if (close(fd) || rc) {
		fprintf(stderr, "syslet report: %s: %s\n", out,
			strerror(rc ? -rc : errno));
		return 125;
	}
	return 0;
}

static int tables(const struct opts *o, int n, char **files)
{
	struct rp_report r = { 0 };
	struct sr_entry *sum;
	size_t i;
	int rc;

	rc = load_all(&r, n, files, 0, &o->trace);
	if (!rc && o->format != RP_FORMAT_TABLE) {
		rc = rp_format_tables(&r, o->per_process, o->sort, o->top, n,
				      o->format, stdout);
		rp_free(&r);
		return rc;
	}
	sum = calloc(SR_NR_MAX, sizeof(*sum));
	if (!rc && !sum)
		rc = 125;
	for (i = 0; !rc && o->per_process && i < r.n; i++) {
		const struct rp_proc *p = &r.procs[i];

		printf("%spid %d: %s\n", i ? "\n" : "", p->pid,
		       p->nimages ? p->images[p->nimages - 1] : "");
		rp_print_table(p->e, o->sort, o->top, stdout);
	}
	if (!rc && !o->per_process) {
		rp_sum(&r, sum);
		rp_print_table(sum, o->sort, o->top, stdout);
	}
	if (!rc) {
		printf("(%zu process%s, %d file%s)\n", r.n,
		       r.n == 1 ? "" : "es", n, n == 1 ? "" : "s");
		rp_print_backstop_off(&r, stdout);
	}
	free(sum);
	rp_free(&r);
	return rc;
}

static int compare(const struct opts *o, char **files)
{
	struct rp_report a = { 0 }, b = { 0 };
	int rc;

	rc = load_all(&a, 1, files, 0, &o->trace);
	if (!rc)
		rc = load_all(&b, 1, files + 1, 0, &o->trace);
	if (!rc)
		rc = rp_compare(&a, &b, files, o->top, o->format, stdout);
	rp_free(&a);
	rp_free(&b);
	return rc;
}

static int png(const struct opts *o, int n, char **files)
{
	struct rp_report r = { 0 };
	int rc = rp_check_output(o->png), fd;

	if (rc)
		return out_error(o->png, -rc);
	rc = load_all(&r, n, files, 0, &o->trace);
	if (rc) {
		rp_free(&r);
		return rc;
	}
	fd = rp_open_output(o->png);
	if (fd < 0) {
		out_error(o->png, -fd);
		rc = 125;
	} else if (rp_write_png(&r, fd, o->top ? o->top : 6, o->log) |
		   close(fd)) { /* both, always */
		fprintf(stderr, "syslet report: %s: cannot write the picture\n",
			o->png);
		rc = 125;
	}
	rp_free(&r);
	return rc;
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "per-process", no_argument, 0, 'p' },
		{ "sort", required_argument, 0, 's' },
		{ "top", required_argument, 0, 't' },
		{ "merge", required_argument, 0, 'm' },
		{ "compare", no_argument, 0, 'c' },
		{ "png", required_argument, 0, 'g' },
		{ "log", no_argument, 0, 'l' },
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char *end, why[128];
	size_t i;
	int c;

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
		case 'g':
			o->png = optarg;
			break;
		case 'e':
			if (trace_parse(&o->trace, optarg, why, sizeof(why)))
				return cli_usage_error("syslet report", 0,
						       "-e %s: %s", optarg,
						       why);
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
					optarg);
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
					optarg);
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
					optarg);
				return 2;
			}
			break;
		case 'h':
			report_usage(stdout);
			return -1;
		default:
			report_usage(stderr);
			return 2;
		}
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct opts o = { .sort = RP_BY_BLOCKED };
	int rc = parse_opts(&o, argc, argv), n;

	if (rc)
		return rc < 0 ? 0 : rc;
	n = argc - optind;
	if ((!!o.merge + o.compare + !!o.png > 1) ||
	    (o.per_process && (o.merge || o.compare || o.png))) {
		fputs("syslet report: --merge, --compare, --png and "
		      "--per-process go one at a time\n",
		      stderr);
		return 2;
	}
	if (o.format != RP_FORMAT_TABLE && (o.merge || o.png)) {
		fputs("syslet report: --format is for the tables and "
		      "--compare, not --merge or --png\n",
		      stderr);
		return 2;
	}
	if (o.compare && n > 2)
		return cli_extra("syslet report", report_usage,
				 argv[optind + 2]);
	if (n < 1 || (o.compare && n != 2))
		return cli_usage_error("syslet report", report_usage,
				       o.compare ? "--compare takes two files"
						 : "no report file given");
	if (o.merge)
		return merge(&o, o.merge, n, argv + optind);
	if (o.compare)
		return compare(&o, argv + optind);
	if (o.png)
		return png(&o, n, argv + optind);
	return tables(&o, n, argv + optind);
}
