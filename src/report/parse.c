// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading a JSON report (doc/report-schema.md) back into processes, for
 * 'syslet report'.  Files come from anywhere: every field is looked up
 * with its type checked and its range bounded before it is used, and the
 * first thing wrong is named by its path ("processes[1].syscalls.read.
 * calls: not an integer") so that the user can find it.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The reason, one line: names from the file may hold any byte, and a
 * control character would break the line or drive the terminal. */
int rpj_fail(struct rpj_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
	for (p = c->why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static const char *const type_names[] = {
	[json_type_null] = "null",	  [json_type_boolean] = "a boolean",
	[json_type_double] = "a number",  [json_type_int] = "an integer",
	[json_type_object] = "an object", [json_type_array] = "an array",
	[json_type_string] = "a string",
};

/* @o's member @key, of type @t: NULL (and the reason) if not. */
json_object *rpj_member(struct rpj_ctx *c, json_object *o, const char *path,
			const char *key, json_type t)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		rpj_fail(c, "%s%s: missing", path, key);
		return 0;
	}
	if (!json_object_is_type(v, t)) {
		rpj_fail(c, "%s%s: not %s", path, key, type_names[t]);
		return 0;
	}
	return v;
}

/* An integer in [0, max]. */
int rpj_uint_of(struct rpj_ctx *c, json_object *v, const char *path,
		const char *key, uint64_t max, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return rpj_fail(c, "%s%s: not an integer", path, key);
	if (json_object_get_int64(v) < 0)
		return rpj_fail(c, "%s%s: negative", path, key);
	*out = json_object_get_uint64(v);
	if (*out > max)
		return rpj_fail(c, "%s%s: too large", path, key);
	return 0;
}

int rpj_get_uint(struct rpj_ctx *c, json_object *o, const char *path,
		 const char *key, uint64_t max, uint64_t *out)
{
	json_object *v = rpj_member(c, o, path, key, json_type_int);

	return v ? rpj_uint_of(c, v, path, key, max, out) : -1;
}

/* A string, cut to fit @len (with its NUL). */
static int get_str(struct rpj_ctx *c, json_object *o, const char *path,
		   const char *key, char *buf, size_t len)
{
	json_object *v = rpj_member(c, o, path, key, json_type_string);

	if (!v)
		return -1;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 0;
}

static int strings(struct rpj_ctx *c, json_object *a, const char *path)
{
	size_t i, n = json_object_array_length(a);

	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i),
					 json_type_string))
			return rpj_fail(c, "%s[%zu]: not a string", path, i);
	return 0;
}

static int call_stats(struct rpj_ctx *c, struct rp_proc *p, const char *name,
		      json_object *o, const char *where)
{
	static const char *const routes[SR_ROUTES] = { "inline", "helper",
						       "native", "trapped" };
	char path[128], rpath[160], buf[32];
	struct sr_entry e;
	json_object *r, *h;
	uint64_t nr;
	size_t i;

	snprintf(path, sizeof(path), "%s%.40s.", where, name);
	if (!json_object_is_type(o, json_type_object))
		return rpj_fail(c, "%s%.40s: not an object", where, name);
	if (rpj_get_uint(c, o, path, "nr", SR_NR_MAX - 1, &nr))
		return -1;
	if (strcmp(name, rp_name((int)nr, buf, sizeof(buf))))
		return rpj_fail(c, "%snr: %d is not %.40s", path, (int)nr,
				name);
	if (rpj_get_uint(c, o, path, "calls", UINT64_MAX, &e.calls) ||
	    rpj_get_uint(c, o, path, "would_block", UINT64_MAX,
			 &e.would_block) ||
	    rpj_get_uint(c, o, path, "blocked_ns", UINT64_MAX, &e.blocked_ns) ||
	    rpj_get_uint(c, o, path, "bytes", UINT64_MAX, &e.bytes))
		return -1;
	r = rpj_member(c, o, path, "routes", json_type_object);
	if (!r)
		return -1;
	snprintf(rpath, sizeof(rpath), "%sroutes.", path);
	for (i = 0; i < SR_ROUTES; i++)
		if (rpj_get_uint(c, r, rpath, routes[i], UINT64_MAX,
				 &e.routes[i]))
			return -1;
	h = rpj_member(c, o, path, "hist_log2_ns", json_type_array);
	if (!h)
		return -1;
	if (json_object_array_length(h) != SR_HIST)
		return rpj_fail(c, "%shist_log2_ns: %zu buckets, not %d", path,
				json_object_array_length(h), SR_HIST);
	for (i = 0; i < SR_HIST; i++) {
		snprintf(buf, sizeof(buf), "hist_log2_ns[%zu]", i);
		if (rpj_uint_of(c, json_object_array_get_idx(h, i), path, buf,
				UINT64_MAX, &e.hist[i]))
			return -1;
	}
	rp_entry_add(&p->e[nr], &e);
	return 0;
}

static int images(struct rpj_ctx *c, struct rp_proc *p, json_object *a,
		  const char *path)
{
	size_t i, n = json_object_array_length(a), keep = 8;

	if (strings(c, a, path))
		return -1;
	/* More than we keep: the first ones and the last. */
	for (i = 0; i < n && p->nimages < keep; i++) {
		size_t from = n > keep && i == keep - 1 ? n - 1 : i;

		snprintf(p->images[p->nimages++], SR_NAME_MAX, "%s",
			 json_object_get_string(
				 json_object_array_get_idx(a, from)));
	}
	return 0;
}

/* The optional "backstop": "on", "off" or "off (ENAME)". */
static int backstop(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
		    const char *path)
{
	const char *s, *name;
	json_object *v;
	int e;

	if (!json_object_object_get_ex(o, "backstop", &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return rpj_fail(c, "%sbackstop: not a string", path);
	s = json_object_get_string(v);
	if (!strcmp(s, "on")) {
		p->backstop = SR_BS_ON;
		return 0;
	}
	if (strncmp(s, "off", 3) || (s[3] && strncmp(s + 3, " (", 2)))
		return rpj_fail(c, "%sbackstop: not \"on\" or \"off\"", path);
	p->backstop = SR_BS_OFF;
	for (e = 1; s[3] && e < 4096; e++) {
		name = strerrorname_np(e);
		if (name && !strncmp(s + 5, name, strlen(name)) &&
		    !strcmp(s + 5 + strlen(name), ")")) {
			p->backstop_err = e;
			break;
		}
	}
	return 0;
}

static int process(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
		   size_t idx)
{
	char path[64], ipath[80], cmd[SR_NAME_MAX];
	uint64_t pid, ppid, threads;
	json_object *a, *calls;

	snprintf(path, sizeof(path), "processes[%zu].", idx);
	if (!json_object_is_type(o, json_type_object))
		return rpj_fail(c, "processes[%zu]: not an object", idx);
	if (rpj_get_uint(c, o, path, "pid", INT_MAX, &pid) ||
	    rpj_get_uint(c, o, path, "ppid", INT_MAX, &ppid) ||
	    get_str(c, o, path, "command", cmd, sizeof(cmd)) ||
	    get_str(c, o, path, "comm", p->comm, sizeof(p->comm)) ||
	    rpj_get_uint(c, o, path, "start_unix_ns", UINT64_MAX,
			 &p->start_real_ns) ||
	    rpj_get_uint(c, o, path, "last_update_unix_ns", UINT64_MAX,
			 &p->last_ns) ||
	    rpj_get_uint(c, o, path, "threads", UINT_MAX, &threads) ||
	    rpj_get_uint(c, o, path, "block_threshold_ns", UINT64_MAX,
			 &p->block_ns))
		return -1;
	p->pid = (int)pid;
	p->ppid = (int)ppid;
	p->threads = (unsigned int)threads;
	if (backstop(c, p, o, path))
		return -1;
	/* The writer's clock: last_update = start_real + (last - start). */
	p->start_ns = p->start_real_ns;
	if (p->last_ns < p->start_ns)
		p->last_ns = p->start_ns;
	a = rpj_member(c, o, path, "images", json_type_array);
	snprintf(ipath, sizeof(ipath), "%simages", path);
	if (!a || images(c, p, a, ipath))
		return -1;
	if (!p->nimages) /* the command is the last image's */
		snprintf(p->images[p->nimages++], SR_NAME_MAX, "%s", cmd);
	calls = rpj_member(c, o, path, "syscalls", json_type_object);
	if (!calls)
		return -1;
	if (rpj_sites(c, p, o, path))
		return -1;
	snprintf(path, sizeof(path), "processes[%zu].syscalls.", idx);
	json_object_object_foreach(
		calls, name, v) if (call_stats(c, p, name, v, path)) return -1;
	return 0;
}

static int exit_ok(struct rpj_ctx *c, json_object *e)
{
	json_object_object_foreach(e, k, v) if (
		(!strcmp(k, "code") || !strcmp(k, "signal")) &&
		!json_object_is_type(
			v,
			json_type_int)) return rpj_fail(c,
							"exit.%s: not an integer",
							k);
	return 0;
}

static int top(struct rpj_ctx *c, struct rp_report *r, json_object *t,
	       json_object **src)
{
	json_object *s, *argv, *ex, *procs;
	uint64_t hb, skipped;
	size_t i, n;

	if (!json_object_is_type(t, json_type_object))
		return rpj_fail(c, "not a syslet report (%s, not an object)",
				type_names[json_object_get_type(t)]);
	s = rpj_member(c, t, "", "schema", json_type_string);
	if (!s)
		return -1;
	if (!strncmp(json_object_get_string(s), "syslet-report/", 14) &&
	    strcmp(json_object_get_string(s), RP_SCHEMA) &&
	    strcmp(json_object_get_string(s), RP_SCHEMA_V1))
		return rpj_fail(c,
				"schema \"%.40s\": a version this syslet does "
				"not read (it reads %s and %s)",
				json_object_get_string(s), RP_SCHEMA_V1,
				RP_SCHEMA);
	if (strcmp(json_object_get_string(s), RP_SCHEMA) &&
	    strcmp(json_object_get_string(s), RP_SCHEMA_V1))
		return rpj_fail(
			c, "not a syslet report (schema \"%.40s\", not %s)",
			json_object_get_string(s), RP_SCHEMA);
	if (!rpj_member(c, t, "", "generator", json_type_string))
		return -1;
	argv = rpj_member(c, t, "", "argv", json_type_array);
	if (!argv || strings(c, argv, "argv"))
		return -1;
	ex = rpj_member(c, t, "", "exit", json_type_object);
	if (!ex || exit_ok(c, ex))
		return -1;
	if (rpj_get_uint(c, t, "", "hist_buckets", UINT64_MAX, &hb) ||
	    rpj_get_uint(c, t, "", "unreadable_files", UINT64_MAX, &skipped))
		return -1;
	if (hb != SR_HIST)
		return rpj_fail(c, "hist_buckets: %llu, not %d",
				(unsigned long long)hb, SR_HIST);
	procs = rpj_member(c, t, "", "processes", json_type_array);
	if (!procs)
		return -1;
	n = json_object_array_length(procs);
	r->procs = calloc(n ? n : 1, sizeof(*r->procs));
	if (!r->procs)
		return rpj_fail(c, "out of memory");
	for (i = 0; i < n; i++) {
		r->procs[i].e = calloc(SR_NR_MAX, sizeof(struct sr_entry));
		if (!r->procs[i].e)
			return rpj_fail(c, "out of memory");
		r->n++;
		if (process(c, &r->procs[i],
			    json_object_array_get_idx(procs, i), i))
			return -1;
	}
	r->skipped = skipped;
	if (src) {
		*src = json_object_new_object();
		json_object_object_add(*src, "argv", json_object_get(argv));
		json_object_object_add(*src, "exit", json_object_get(ex));
	}
	return 0;
}

/* Append @add's processes to @r; @add is emptied. */
static int append(struct rp_report *r, struct rp_report *add)
{
	struct rp_proc *p;

	p = realloc(r->procs, (r->n + add->n + 1) * sizeof(*p));
	if (!p)
		return -1;
	memcpy(p + r->n, add->procs, add->n * sizeof(*p));
	r->procs = p;
	r->n += add->n;
	r->skipped += add->skipped;
	free(add->procs);
	add->procs = 0;
	add->n = 0;
	return 0;
}

static int syntax(struct rpj_ctx *c, const char *buf, size_t at,
		  const char *what)
{
	size_t i, line = 1;

	for (i = 0; i < at; i++)
		line += buf[i] == '\n';
	return rpj_fail(c, "not JSON: line %zu: %s", line, what);
}

int rp_parse(struct rp_report *r, const char *buf, size_t len,
	     json_object **src, char *why, size_t whylen)
{
	struct rpj_ctx c = { why, whylen };
	struct rp_report add = { 0 };
	struct json_tokener *tok;
	enum json_tokener_error err;
	json_object *t;
	size_t end;
	char *text;
	int rc;

	if (src)
		*src = 0;
	if (!len)
		return rpj_fail(&c, "empty file");
	if (len > RP_MAX_FILE)
		return rpj_fail(&c, RP_MAX_FILE_TEXT);
	if (memchr(buf, 0, len)) /* json-c would stop there: say so */
		return syntax(&c, buf,
			      (size_t)((const char *)memchr(buf, 0, len) - buf),
			      "a NUL byte");
	/* With its NUL: json-c ends a number or a literal there. */
	text = malloc(len + 1);
	tok = json_tokener_new();
	if (!text || !tok) {
		free(text);
		if (tok)
			json_tokener_free(tok);
		return rpj_fail(&c, "out of memory");
	}
	memcpy(text, buf, len);
	text[len] = 0;
	t = json_tokener_parse_ex(tok, text, (int)len + 1);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	free(text);
	if (err != json_tokener_success) {
		json_object_put(t);
		return syntax(
			&c, buf, end < len ? end : len,
			err == json_tokener_continue ||
					err == json_tokener_error_parse_eof
				? "truncated"
				: json_tokener_error_desc(err));
	}
	while (end < len && buf[end] && strchr(" \t\r\n", buf[end]))
		end++;
	if (end < len) {
		json_object_put(t);
		return syntax(&c, buf, end, "more after the report");
	}
	rc = top(&c, &add, t, src);
	json_object_put(t);
	if (!rc && append(r, &add))
		rc = rpj_fail(&c, "out of memory");
	if (rc && src && *src) {
		json_object_put(*src);
		*src = 0;
	}
	rp_free(&add);
	return rc;
}
