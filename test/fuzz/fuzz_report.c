// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target for the JSON report reader (scripts/fuzz-report, or
 * 'make fuzz-report').  Besides not crashing on any input, it checks what
 * the reader promises: a refusal has a one-line reason and leaves the
 * report as it was; a report it accepts, written out again as
 * 'syslet report --merge' writes it, reads back the same; the table and
 * the comparison, the folded stacks and the flame graph print from
 * whatever was accepted.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/report/report.h"

static FILE *null_out;

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Sites and threads (schema 2) read back as they were. */
static void same_sites(const struct rp_proc *p, const struct rp_proc *q)
{
	size_t i;
	unsigned int k;

	if (p->nsites != q->nsites || p->nthr != q->nthr ||
	    p->sites_lost != q->sites_lost)
		abort();
	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].tid != q->thr[i].tid ||
		    p->thr[i].event_loop != q->thr[i].event_loop ||
		    p->thr[i].idle_ns != q->thr[i].idle_ns ||
		    p->thr[i].blocked_ns != q->thr[i].blocked_ns ||
		    p->thr[i].wall_ns != q->thr[i].wall_ns ||
		    strcmp(p->thr[i].name, q->thr[i].name))
			abort();
	for (i = 0; i < p->nsites; i++) {
		const struct rp_site *a = &p->sites[i], *b = &q->sites[i];

		if (a->nr != b->nr || a->calls != b->calls ||
		    a->blocked_ns != b->blocked_ns || a->ntids != b->ntids ||
		    a->nframes != b->nframes)
			abort();
		for (k = 0; k < a->nframes; k++)
			if (a->frame[k].offset != b->frame[k].offset ||
			    a->frame[k].line != b->frame[k].line ||
			    !str_same(a->frame[k].module, b->frame[k].module) ||
			    !str_same(a->frame[k].func, b->frame[k].func) ||
			    !str_same(a->frame[k].file, b->frame[k].file))
				abort();
	}
}

static void same(const struct rp_report *a, const struct rp_report *b)
{
	size_t i;
	int nr;

	if (a->n != b->n || a->skipped != b->skipped)
		abort();
	for (i = 0; i < a->n; i++) {
		const struct rp_proc *p = &a->procs[i], *q = &b->procs[i];
		unsigned int k;

		if (p->pid != q->pid || p->ppid != q->ppid ||
		    p->threads != q->threads || p->block_ns != q->block_ns ||
		    p->start_real_ns != q->start_real_ns ||
		    p->last_ns != q->last_ns || p->nimages != q->nimages ||
		    strcmp(p->comm, q->comm))
			abort();
		for (k = 0; k < p->nimages; k++)
			if (strcmp(p->images[k], q->images[k]))
				abort();
		same_sites(p, q);
		/* The writer leaves out calls never made. */
		for (nr = 0; nr < SR_NR_MAX; nr++)
			if (p->e[nr].calls ? memcmp(&p->e[nr], &q->e[nr],
						    sizeof(p->e[nr]))
					   : q->e[nr].calls)
				abort();
	}
}

static void round_trip(const struct rp_report *r)
{
	struct rp_report back = { 0 };
	json_object *top = rp_json_top(r);
	const char *s;
	char why[256];

	json_object_object_add(top, "argv", json_object_new_array());
	json_object_object_add(top, "exit", json_object_new_object());
	s = json_object_to_json_string(top);

	if (!s || rp_parse(&back, s, strlen(s), 0, why, sizeof(why))) {
		fprintf(stderr, "round trip: %s\n", why);
		abort();
	}
	same(r, &back);
	rp_free(&back);
	json_object_put(top);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_report r = { 0 };
	json_object *src;
	char why[256] = "";
	char *names[2] = { "a", "b" };

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	if (rp_parse(&r, (const char *)data, size, &src, why, sizeof(why))) {
		if (r.n || src || !*why || strchr(why, '\n'))
			abort();
		return 0;
	}
	if (!src)
		abort();
	json_object_put(src);
	round_trip(&r);
	rp_write_table(&r, null_out);
	if (r.n)
		rp_print_table(r.procs[0].e, RP_BY_NAME, 3, null_out);
	rp_compare(&r, &r, names, 0, RP_FORMAT_TABLE, null_out);
	rp_compare(&r, &r, names, 3, RP_FORMAT_CSV, null_out);
	rp_compare(&r, &r, names, 0, RP_FORMAT_JSON, null_out);
	rp_format_tables(&r, true, RP_BY_NAME, 0, 1, RP_FORMAT_CSV, null_out);
	rp_format_tables(&r, false, RP_BY_CALLS, 2, 1, RP_FORMAT_JSON,
			 null_out);
	rp_print_sites(&r, 0, null_out);
	rp_print_threads(&r, null_out);
	rp_write_folded(&r, null_out);
	rp_write_flamegraph(&r, null_out);
	rp_free(&r);
	return 0;
}
