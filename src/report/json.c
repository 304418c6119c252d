// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The report as JSON, schema "syslet-report/1" (doc/report-schema.md).
 * Every counter is kept as it was collected, histograms at full length,
 * so that later tools can merge and compare reports without the files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <syslet.h>

#include "config.h"
#include "report.h"

static const char *const route_names[SR_ROUTES] = {
	[SR_INLINE] = "inline",
	[SR_HELPER] = "helper",
	[SR_NATIVE] = "native",
	[SR_TRAPPED] = "trapped",
};

static void put_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static json_object *call_json(int nr, const struct sr_entry *e)
{
	json_object *o = json_object_new_object();
	json_object *routes = json_object_new_object();
	json_object *hist = json_object_new_array();
	int i;

	json_object_object_add(o, "nr", json_object_new_int(nr));
	put_u64(o, "calls", e->calls);
	for (i = 0; i < SR_ROUTES; i++)
		put_u64(routes, route_names[i], e->routes[i]);
	json_object_object_add(o, "routes", routes);
	put_u64(o, "would_block", e->would_block);
	put_u64(o, "blocked_ns", e->blocked_ns);
	put_u64(o, "bytes", e->bytes);
	for (i = 0; i < SR_HIST; i++)
		json_object_array_add(hist, json_object_new_uint64(e->hist[i]));
	json_object_object_add(o, "hist_log2_ns", hist);
	return o;
}

static json_object *proc_json(const struct rp_proc *p)
{
	json_object *o = json_object_new_object();
	json_object *images = json_object_new_array();
	json_object *calls = json_object_new_object();
	unsigned int i;
	int nr;

	json_object_object_add(o, "pid", json_object_new_int(p->pid));
	json_object_object_add(o, "ppid", json_object_new_int(p->ppid));
	json_object_object_add(
		o, "command",
		json_object_new_string(p->nimages ? p->images[p->nimages - 1]
						  : ""));
	json_object_object_add(o, "comm", json_object_new_string(p->comm));
	for (i = 0; i < p->nimages; i++)
		json_object_array_add(images,
				      json_object_new_string(p->images[i]));
	json_object_object_add(o, "images", images);
	put_u64(o, "start_unix_ns", p->start_real_ns);
	/* The monotonic clock of the last counted call, on the same scale. */
	put_u64(o, "last_update_unix_ns",
		p->start_real_ns + (p->last_ns > p->start_ns
					    ? p->last_ns - p->start_ns
					    : 0));
	json_object_object_add(o, "threads", json_object_new_int64(p->threads));
	if (p->backstop)
		json_object_object_add(o, "backstop",
				       json_object_new_string(rp_backstop(p)));
	put_u64(o, "block_threshold_ns", p->block_ns);
	for (nr = 0; nr < SR_NR_MAX; nr++) {
		const char *name = syslet_syscall_name(nr);
		char buf[32];

		if (!p->e[nr].calls)
			continue;
		if (!name) {
			snprintf(buf, sizeof(buf), "syscall_%d", nr);
			name = buf;
		}
		json_object_object_add(calls, name, call_json(nr, &p->e[nr]));
	}
	json_object_object_add(o, "syscalls", calls);
	rp_sites_json(p, o);
	return o;
}

static json_object *exit_json(int status)
{
	json_object *o = json_object_new_object();

	if (WIFEXITED(status))
		json_object_object_add(
			o, "code", json_object_new_int(WEXITSTATUS(status)));
	else if (WIFSIGNALED(status))
		json_object_object_add(o, "signal",
				       json_object_new_int(WTERMSIG(status)));
	return o;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

json_object *rp_json_top(const struct rp_report *r)
{
	json_object *top = json_object_new_object();
	json_object *procs = json_object_new_array();
	size_t i;

	json_object_object_add(top, "schema",
			       json_object_new_string(RP_SCHEMA));
	json_object_object_add(
		top, "generator",
		json_object_new_string("syslet " PACKAGE_VERSION));
	json_object_object_add(top, "hist_buckets",
			       json_object_new_int(SR_HIST));
	put_u64(top, "unreadable_files", r->skipped);
	for (i = 0; i < r->n; i++)
		json_object_array_add(procs, proc_json(&r->procs[i]));
	json_object_object_add(top, "processes", procs);
	return top;
}

/* Write @top to @fd and drop it. */
int rp_json_put(json_object *top, int fd)
{
	const char *s;
	int rc;

	s = json_object_to_json_string_ext(
		top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = s ? write_all(fd, s, strlen(s)) : -ENOMEM;
	if (!rc)
		rc = write_all(fd, "\n", 1);
	json_object_put(top);
	return rc;
}

/* --observe: every call the tree made, by name (for policy export). */
static json_object *observed_json(const uint64_t *counts)
{
	json_object *o = json_object_new_object();
	char buf[32];
	int nr;

	for (nr = 0; nr < SR_NR_MAX; nr++)
		if (counts[nr])
			json_object_object_add(
				o, rp_name(nr, buf, sizeof(buf)),
				json_object_new_int64((int64_t)counts[nr]));
	return o;
}

int rp_write_json(const struct rp_report *r, int fd, char **argv, int status,
		  const uint64_t *observed)
{
	json_object *top = rp_json_top(r);
	json_object *args = json_object_new_array();
	size_t i;

	for (i = 0; argv[i]; i++)
		json_object_array_add(args, json_object_new_string(argv[i]));
	json_object_object_add(top, "argv", args);
	json_object_object_add(top, "exit", exit_json(status));
	if (observed)
		json_object_object_add(top, "observed_syscalls",
				       observed_json(observed));
	return rp_json_put(top, fd);
}
