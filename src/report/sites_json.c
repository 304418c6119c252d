// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A process's call sites and threads in the JSON report (schema 2,
 * doc/report-schema.md): written here, read back by parse_sites.c.
 */
#define _GNU_SOURCE
#include <json-c/json.h>

#include "report.h"

static void put_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static json_object *frame_json(const struct rp_frame *fr)
{
	json_object *o = json_object_new_object();

	json_object_object_add(
		o, "module",
		json_object_new_string(fr->module ? fr->module : ""));
	put_u64(o, "offset", fr->offset);
	if (fr->func)
		json_object_object_add(o, "function",
				       json_object_new_string(fr->func));
	if (fr->file) {
		json_object_object_add(o, "file",
				       json_object_new_string(fr->file));
		put_u64(o, "line", fr->line);
	}
	return o;
}

/* Derived (gain.c), for readers of the JSON: never read back. */
static json_object *gain_json(const struct rp_proc *p, const struct rp_site *s)
{
	json_object *o = json_object_new_object();
	struct rp_gain g;

	rp_site_gain(p, s, &g);
	json_object_object_add(o, "candidate",
			       json_object_new_boolean(g.candidate));
	if (g.candidate) {
		put_u64(o, "freed_ns", g.freed_ns);
		put_u64(o, "loop_wall_ns", g.wall_ns);
		put_u64(o, "loop_busy_ns", g.busy_ns);
		json_object_object_add(o, "share",
				       json_object_new_double(g.share));
		json_object_object_add(o, "speedup",
				       json_object_new_double(g.speedup));
	}
	return o;
}

static json_object *site_json(const struct rp_proc *p, const struct rp_site *s)
{
	json_object *o = json_object_new_object();
	json_object *tids = json_object_new_array();
	json_object *frames = json_object_new_array();
	char buf[32];
	unsigned int i;

	json_object_object_add(
		o, "syscall",
		json_object_new_string(rp_name(s->nr, buf, sizeof(buf))));
	json_object_object_add(o, "nr", json_object_new_int(s->nr));
	put_u64(o, "calls", s->calls);
	put_u64(o, "would_block", s->would_block);
	put_u64(o, "blocked_ns", s->blocked_ns);
	put_u64(o, "loop_blocked_ns", s->loop_blocked_ns);
	for (i = 0; i < s->ntids; i++)
		json_object_array_add(tids, json_object_new_int(s->tids[i]));
	json_object_object_add(o, "tids", tids);
	for (i = 0; i < s->nframes; i++)
		json_object_array_add(frames, frame_json(&s->frame[i]));
	json_object_object_add(o, "frames", frames);
	json_object_object_add(o, "gain", gain_json(p, s));
	return o;
}

static json_object *thread_json(const struct rp_thread *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "tid", json_object_new_int(t->tid));
	json_object_object_add(o, "name", json_object_new_string(t->name));
	json_object_object_add(o, "event_loop",
			       json_object_new_boolean(t->event_loop));
	put_u64(o, "calls", t->calls);
	put_u64(o, "idle_wait_ns", t->idle_ns);
	put_u64(o, "blocked_ns", t->blocked_ns);
	put_u64(o, "wall_ns", t->wall_ns);
	return o;
}

void rp_sites_json(const struct rp_proc *p, json_object *o)
{
	json_object *threads = json_object_new_array();
	json_object *sites = json_object_new_array();
	size_t i;

	for (i = 0; i < p->nthr; i++)
		json_object_array_add(threads, thread_json(&p->thr[i]));
	json_object_object_add(o, "thread_list", threads);
	for (i = 0; i < p->nsites; i++)
		json_object_array_add(sites, site_json(p, &p->sites[i]));
	json_object_object_add(o, "sites", sites);
	put_u64(o, "sites_lost", p->sites_lost);
}
