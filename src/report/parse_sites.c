// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A process's call sites and threads read back from a JSON report
 * (doc/report-schema.md, schema 2).  All optional, as a report of schema 1
 * has none; when present, checked as the rest is: types, ranges, at most
 * SR_FRAMES frames and SR_SLOTS threads a site, strings cut to RP_STR_MAX.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* An optional member: NULL if absent (not an error), else checked. */
static json_object *optional(struct rpj_ctx *c, json_object *o,
			     const char *path, const char *key, json_type t,
			     bool *bad)
{
	json_object *v;

	*bad = false;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	v = rpj_member(c, o, path, key, t);
	*bad = !v;
	return v;
}

/* An optional string, copied and cut, into *@out (NULL if absent or
 * empty). */
static int opt_str(struct rpj_ctx *c, json_object *o, const char *path,
		   const char *key, char **out)
{
	bool bad;
	json_object *v = optional(c, o, path, key, json_type_string, &bad);

	*out = 0;
	if (bad)
		return -1;
	if (!v || !*json_object_get_string(v))
		return 0;
	*out = strndup(json_object_get_string(v), RP_STR_MAX);
	return *out ? 0 : rpj_fail(c, "out of memory");
}

static int frame(struct rpj_ctx *c, struct rp_frame *fr, json_object *o,
		 const char *path)
{
	uint64_t line = 0;
	bool bad;

	if (!json_object_is_type(o, json_type_object))
		return rpj_fail(c, "%.100s: not an object", path);
	if (rpj_get_uint(c, o, path, "offset", UINT64_MAX, &fr->offset) ||
	    opt_str(c, o, path, "module", &fr->module) ||
	    opt_str(c, o, path, "function", &fr->func) ||
	    opt_str(c, o, path, "file", &fr->file))
		return -1;
	if (optional(c, o, path, "line", json_type_int, &bad) &&
	    rpj_get_uint(c, o, path, "line", UINT_MAX, &line))
		return -1;
	/* A line is of a file: alone it names nothing (nor is written). */
	fr->line = fr->file ? (unsigned int)line : 0;
	return bad ? -1 : 0;
}

static int site(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
		const char *path)
{
	char fpath[160], buf[32];
	struct rp_site s;
	json_object *a;
	uint64_t nr, v;
	size_t i, n;

	memset(&s, 0, sizeof(s));
	if (!json_object_is_type(o, json_type_object))
		return rpj_fail(c, "%.100s: not an object", path);
	if (rpj_get_uint(c, o, path, "nr", SR_NR_MAX - 1, &nr) ||
	    rpj_get_uint(c, o, path, "calls", UINT64_MAX, &s.calls) ||
	    rpj_get_uint(c, o, path, "would_block", UINT64_MAX,
			 &s.would_block) ||
	    rpj_get_uint(c, o, path, "blocked_ns", UINT64_MAX, &s.blocked_ns) ||
	    rpj_get_uint(c, o, path, "loop_blocked_ns", UINT64_MAX,
			 &s.loop_blocked_ns))
		return -1;
	s.nr = (int)nr;
	a = rpj_member(c, o, path, "syscall", json_type_string);
	if (!a)
		return -1;
	if (strcmp(json_object_get_string(a), rp_name(s.nr, buf, sizeof(buf))))
		return rpj_fail(c, "%.100ssyscall: not the call nr %d is", path,
				s.nr);
	a = rpj_member(c, o, path, "tids", json_type_array);
	if (!a)
		return -1;
	n = json_object_array_length(a);
	if (n > SR_SLOTS)
		return rpj_fail(c, "%.100stids: more than %d", path, SR_SLOTS);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "tids[%zu]", i);
		if (rpj_uint_of(c, json_object_array_get_idx(a, i), path, buf,
				INT_MAX, &v))
			return -1;
		s.tids[s.ntids++] = (int)v;
	}
	a = rpj_member(c, o, path, "frames", json_type_array);
	if (!a)
		return -1;
	n = json_object_array_length(a);
	if (!n || n > SR_FRAMES)
		return rpj_fail(c, "%.100sframes: not 1 to %d frames", path,
				SR_FRAMES);
	for (i = 0; i < n; i++) {
		snprintf(fpath, sizeof(fpath), "%.100sframes[%zu].", path, i);
		s.nframes = (unsigned int)i + 1;
		if (frame(c, &s.frame[i], json_object_array_get_idx(a, i),
			  fpath)) {
			rp_site_free(&s);
			return -1;
		}
	}
	return rp_site_add(p, &s) ? rpj_fail(c, "out of memory") : 0;
}

static int thread(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
		  const char *path)
{
	struct rp_thread t, *thr;
	json_object *v;
	uint64_t tid;

	memset(&t, 0, sizeof(t));
	if (!json_object_is_type(o, json_type_object))
		return rpj_fail(c, "%.100s: not an object", path);
	if (rpj_get_uint(c, o, path, "tid", INT_MAX, &tid) ||
	    rpj_get_uint(c, o, path, "calls", UINT64_MAX, &t.calls) ||
	    rpj_get_uint(c, o, path, "idle_wait_ns", UINT64_MAX, &t.idle_ns) ||
	    rpj_get_uint(c, o, path, "blocked_ns", UINT64_MAX, &t.blocked_ns) ||
	    rpj_get_uint(c, o, path, "wall_ns", UINT64_MAX, &t.wall_ns))
		return -1;
	t.tid = (int)tid;
	v = rpj_member(c, o, path, "event_loop", json_type_boolean);
	if (!v)
		return -1;
	t.event_loop = json_object_get_boolean(v);
	v = rpj_member(c, o, path, "name", json_type_string);
	if (!v)
		return -1;
	snprintf(t.name, sizeof(t.name), "%s", json_object_get_string(v));
	thr = realloc(p->thr, (p->nthr + 1) * sizeof(*thr));
	if (!thr)
		return rpj_fail(c, "out of memory");
	p->thr = thr;
	thr[p->nthr++] = t;
	return 0;
}

int rpj_sites(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
	      const char *path)
{
	char ipath[128];
	json_object *a;
	size_t i, n;
	bool bad;

	if (optional(c, o, path, "sites_lost", json_type_int, &bad) &&
	    rpj_get_uint(c, o, path, "sites_lost", UINT64_MAX, &p->sites_lost))
		return -1;
	if (bad)
		return -1;
	a = optional(c, o, path, "thread_list", json_type_array, &bad);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; i < n; i++) {
		snprintf(ipath, sizeof(ipath), "%sthread_list[%zu].", path, i);
		if (thread(c, p, json_object_array_get_idx(a, i), ipath))
			return -1;
	}
	if (bad)
		return -1;
	a = optional(c, o, path, "sites", json_type_array, &bad);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; i < n; i++) {
		snprintf(ipath, sizeof(ipath), "%ssites[%zu].", path, i);
		if (site(c, p, json_object_array_get_idx(a, i), ipath))
			return -1;
	}
	return bad ? -1 : 0;
}
