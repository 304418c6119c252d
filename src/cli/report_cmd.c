// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report FILE...: read reports that 'syslet run --report' wrote
 * and show them: the table (all processes merged, or one per process),
 * a merged report (--merge), two runs side by side (--compare), the
 * latency histograms as a picture (--png), call sites and threads
 * (--sites, --threads), the stacks of blocked time (--folded, and
 * --flamegraph drawn).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../report/report.h"

/* -e: the calls not asked for leave every process, as if never made, so
 * that every table and total, and --merge, --png, are of the rest. */
static void narrow(struct rp_report *r, const struct trace_set *t)
{
	size_t i;
	int nr;

	if (!t->given)
		return;
	for (i = 0; i < r->n; i++) {
		struct rp_proc *p = &r->procs[i];
		size_t k, keep = 0;

		for (nr = 0; nr < SR_NR_MAX; nr++)
			if (nr >= TRACE_NR_MAX || !t->on[nr])
				memset(&p->e[nr], 0, sizeof(p->e[nr]));
		/* The sites of those calls too (--sites, --folded). */
		for (k = 0; k < p->nsites; k++)
			if (p->sites[k].nr < TRACE_NR_MAX &&
			    t->on[p->sites[k].nr])
				p->sites[keep++] = p->sites[k];
			else
				rp_site_free(&p->sites[k]);
		p->nsites = keep;
	}
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
			fprintf(stderr, "syslet report: %s: %s\n",
				cli_safe(files[i]), why);
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
	fprintf(stderr, "syslet report: %s: %s\n", cli_safe(path),
		err == ELOOP	? "is a symbolic link, not written"
		: err == EINVAL ? "exists and is not a regular file"
		: err == EPERM	? "belongs to another user"
				: strerror(err));
	return 2;
}

static int merge(const struct report_args *o, const char *out, int n,
		 char **files)
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
		fprintf(stderr, "syslet report: %s: %s\n", cli_safe(out),
			strerror(rc ? -rc : errno));
		return 125;
	}
	return 0;
}

static int tables(const struct report_args *o, int n, char **files)
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

static int compare(const struct report_args *o, char **files)
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

static int png(const struct report_args *o, int n, char **files)
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
			cli_safe(o->png));
		rc = 125;
	}
	rp_free(&r);
	return rc;
}

/* --sites, --threads: tables to stdout; --folded, --flamegraph: the
 * stacks of blocked time to a file, folded or drawn. */
static int sites(const struct report_args *o, int n, char **files)
{
	const char *path = o->folded ? o->folded : o->flame;
	int (*put)(const struct rp_report *, FILE *) =
		o->folded ? rp_write_folded : rp_write_flamegraph;
	struct rp_report r = { 0 };
	FILE *out = stdout;
	int rc = path ? rp_check_output(path) : 0, fd;

	if (rc)
		return out_error(path, -rc);
	rc = load_all(&r, n, files, 0, &o->trace);
	if (!rc && path) {
		fd = rp_open_output(path);
		out = fd < 0 ? 0 : fdopen(fd, "w");
		if (!out) {
			if (fd >= 0)
				close(fd);
			out_error(path, fd < 0 ? -fd : errno);
			rc = 125;
		} else if (put(&r, out) | fclose(out)) {
			fprintf(stderr, "syslet report: %s: %s\n",
				cli_safe(path), strerror(errno));
			rc = 125;
		}
	} else if (!rc && o->sites)
		rp_print_sites(&r, o->top, stdout);
	else if (!rc)
		rp_print_threads(&r, stdout);
	rp_free(&r);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct report_args o;
	int rc = report_parse(&o, argc, argv), n = argc - o.files;
	char **files = argv + o.files;

	if (rc)
		return rc == 1 ? 0 : rc;
	if (o.merge)
		return merge(&o, o.merge, n, files);
	if (o.compare)
		return compare(&o, files);
	if (o.png)
		return png(&o, n, files);
	if (o.sites || o.threads || o.folded || o.flame)
		return sites(&o, n, files);
	return tables(&o, n, files);
}
