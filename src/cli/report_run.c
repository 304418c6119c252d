// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet run --report FILE [--report-table FILE]: before the run, check
 * where the report goes and make the shim's directory; after it, gather
 * what the processes left there (daemons still running included), write
 * the JSON and the table, remove the directory.
 *
 * Either may go to a stream ("-" or /dev/stdout, /dev/stderr, /dev/null),
 * never both to the same one.  Both are written once the program has
 * exited, so nothing of them is mixed into the program's own output on
 * that stream: it comes first, then the report (a daemon the program
 * left running may still write, after).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../report/report.h"

static int check(const char *what, const char *path)
{
	int rc = rp_check_output(path);

	if (!rc)
		return 0;
	fprintf(stderr, "syslet run: %s %s: %s; not running\n", what,
		cli_safe(path),
		rc == -ELOOP
			? "is a symbolic link, refusing to write through it"
		: rc == -EINVAL ? "exists and is not a regular file"
		: rc == -EPERM	? "belongs to another user"
				: strerror(-rc));
	return 2;
}

int report_prepare(struct report_opts *o)
{
	int rc;

	if (!o->json) {
		if (!o->table && !o->block_us && !o->no_stacks)
			return 0;
		fputs("syslet run: --report-table, --block-us and --no-stacks "
		      "need --report\n",
		      stderr);
		return 2;
	}
	if (o->block_us &&
	    (!*o->block_us ||
	     strspn(o->block_us, "0123456789") != strlen(o->block_us))) {
		fprintf(stderr,
			"syslet run: --block-us %s: not a number of "
			"microseconds\n",
			cli_safe(o->block_us));
		return 2;
	}
	rc = check("--report", o->json);
	if (!rc && o->table)
		rc = check("--report-table", o->table);
	if (rc)
		return rc;
	/* The JSON and the table (stderr by default) each a stream alone:
	 * jq cannot read a table, nor a reader of the table JSON. */
	if (rp_output_stream(o->json) >= 0 &&
	    rp_output_stream(o->json) ==
		    (o->table ? rp_output_stream(o->table) : STDERR_FILENO)) {
		fprintf(stderr,
			"syslet run: --report %s: the table goes there too "
			"(give --report-table FILE); not running\n",
			cli_safe(o->json));
		return 2;
	}
	o->dir = rp_make_dir();
	if (!o->dir) {
		perror("syslet run: cannot make the report directory");
		return 125;
	}
	return 0;
}

/* In the child, before exec. */
void report_env(const struct report_opts *o)
{
	if (o->dir)
		setenv("SYSLET_REPORT_DIR", o->dir, 1);
	if (o->block_us)
		setenv("SYSLET_BLOCK_US", o->block_us, 1);
	if (o->no_stacks)
		setenv("SYSLET_STACKS", "0", 1);
}

static int open_out(const char *what, const char *path)
{
	int fd = rp_open_output(path);

	if (fd < 0)
		fprintf(stderr, "syslet run: %s %s: %s\n", what, cli_safe(path),
			fd == -ELOOP ? "is a symbolic link, not written"
				     : strerror(-fd));
	return fd;
}

int report_finish(struct report_opts *o, char **argv, int status)
{
	struct rp_report r = { 0 };
	FILE *table = stderr;
	int fd, rc = 0;

	if (!o->dir)
		return 0;
	if (rp_read_dir(&r, o->dir))
		fprintf(stderr, "syslet run: reading %s: out of memory\n",
			o->dir);
	rp_remove_dir(o->dir);
	free(o->dir);
	o->dir = 0;
	if (r.other_version)
		fprintf(stderr,
			"syslet run: %zu stats file%s of another layout version "
			"(a shim of another syslet build?) not read: this "
			"syslet reads version %d\n",
			r.other_version, r.other_version == 1 ? "" : "s",
			SR_VERSION);
	rp_symbolise(&r);
	fd = open_out("--report", o->json);
	if (fd < 0 || rp_write_json(&r, fd, argv, status, o->observed)) {
		if (fd >= 0)
			perror("syslet run: writing the report");
		rc = 125;
	}
	if (fd >= 0 && close(fd))
		rc = 125;
	if (o->table) {
		fd = open_out("--report-table", o->table);
		table = fd < 0 ? 0 : fdopen(fd, "w");
		if (!table)
			rc = 125;
	}
	if (table) {
		rp_write_table(&r, table);
		if (table != stderr && fclose(table))
			rc = 125;
	}
	rp_free(&r);
	return rc;
}
