// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Call sites and threads of a stats file (layout.h) gathered into its
 * process.  An address is turned into the mapping's file and the offset
 * in it, which does not depend on where the process loaded it: so the
 * sites of a process's images, and of reports merged, add up by frames,
 * and symbols.c can name them after the process is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void rp_site_free(struct rp_site *s)
{
	unsigned int i;

	for (i = 0; i < s->nframes && i < SR_FRAMES; i++) {
		free(s->frame[i].module);
		free(s->frame[i].func);
		free(s->frame[i].file);
	}
	s->nframes = 0;
}

void rp_proc_free_sites(struct rp_proc *p)
{
	size_t i;

	for (i = 0; i < p->nsites; i++)
		rp_site_free(&p->sites[i]);
	free(p->sites);
	free(p->thr);
	p->sites = 0;
	p->thr = 0;
	p->nsites = p->nthr = 0;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_site(const struct rp_site *a, const struct rp_site *b)
{
	unsigned int i;

	if (a->nr != b->nr || a->nframes != b->nframes)
		return false;
	for (i = 0; i < a->nframes; i++)
		if (a->frame[i].offset != b->frame[i].offset ||
		    !str_eq(a->frame[i].module, b->frame[i].module))
			return false;
	return true;
}

static void add_tid(struct rp_site *s, int tid)
{
	unsigned int i;

	for (i = 0; i < s->ntids; i++)
		if (s->tids[i] == tid)
			return;
	if (s->ntids < SR_SLOTS)
		s->tids[s->ntids++] = tid;
}

/*
 * @s into @p: summed into an equal site, or taken (its strings then
 * belong to @p; else they are freed).  0 or -ENOMEM (@s freed).
 */
int rp_site_add(struct rp_proc *p, const struct rp_site *s)
{
	struct rp_site *sites, *d;
	unsigned int i;
	size_t k;

	for (k = 0; k < p->nsites; k++) {
		d = &p->sites[k];
		if (!same_site(d, s))
			continue;
		d->calls += s->calls;
		d->would_block += s->would_block;
		d->blocked_ns += s->blocked_ns;
		d->loop_blocked_ns += s->loop_blocked_ns;
		for (i = 0; i < s->ntids && i < SR_SLOTS; i++)
			add_tid(d, s->tids[i]);
		rp_site_free((struct rp_site *)s);
		return 0;
	}
	sites = realloc(p->sites, (p->nsites + 1) * sizeof(*sites));
	if (!sites) {
		rp_site_free((struct rp_site *)s);
		return -ENOMEM;
	}
	p->sites = sites;
	sites[p->nsites++] = *s;
	return 0;
}

/* The mapping of @pc in @f's table, as module and offset. */
static int frame_of(const struct sr_file *f, uint32_t nmaps, uint64_t pc,
		    struct rp_frame *fr)
{
	uint32_t i;

	memset(fr, 0, sizeof(*fr));
	fr->offset = pc;
	/* The latest entry first: an address used again by a later
	 * dlopen() is the later library's. */
	for (i = nmaps; i-- > 0;) {
		const struct sr_map *m = &f->map[i];

		if (pc < m->start || pc >= m->end ||
		    !memchr(m->path, 0, sizeof(m->path)))
			continue;
		fr->offset = pc - m->start + m->offset;
		fr->module = strdup(m->path);
		return fr->module ? 0 : -ENOMEM;
	}
	return 0;
}

static int site_of_file(struct rp_proc *p, const struct sr_file *f,
			const struct sr_site *ss, uint32_t nmaps, uint32_t used)
{
	struct rp_site s;
	unsigned int i, n;
	uint32_t slots;

	if (!__atomic_load_n(&ss->ready, __ATOMIC_ACQUIRE))
		return 0;
	n = ss->nframes;
	if (!n || n > SR_FRAMES || ss->nr >= SR_NR_MAX)
		return 0; /* nonsense: not ours to show */
	memset(&s, 0, sizeof(s));
	s.nr = (int)ss->nr;
	s.calls = __atomic_load_n(&ss->calls, __ATOMIC_RELAXED);
	s.would_block = __atomic_load_n(&ss->would_block, __ATOMIC_RELAXED);
	s.blocked_ns = __atomic_load_n(&ss->blocked_ns, __ATOMIC_RELAXED);
	s.loop_blocked_ns =
		__atomic_load_n(&ss->loop_blocked_ns, __ATOMIC_RELAXED);
	slots = __atomic_load_n(&ss->slots, __ATOMIC_RELAXED);
	for (i = 0; i < SR_SLOTS; i++)
		if (slots & (1u << i) && i < used)
			add_tid(&s, (int)f->slot[i].tid);
	for (i = 0; i < n; i++) {
		s.nframes = i + 1;
		if (frame_of(f, nmaps, ss->pc[i], &s.frame[i])) {
			rp_site_free(&s);
			return -ENOMEM;
		}
	}
	return rp_site_add(p, &s);
}

static int thread_of_file(struct rp_proc *p, const struct sr_file *f,
			  unsigned int slot)
{
	const struct sr_slot *sl = &f->slot[slot];
	struct rp_thread t, *thr;
	int nr;

	memset(&t, 0, sizeof(t));
	t.tid = slot == SR_SLOTS - 1 ? 0 : (int)sl->tid;
	memcpy(t.name, sl->name, sizeof(t.name) - 1);
	if (!t.tid)
		snprintf(t.name, sizeof(t.name), "(others)");
	else if (sl->first_ns && sl->last_ns > sl->first_ns)
		t.wall_ns = sl->last_ns - sl->first_ns;
	for (nr = 0; nr < SR_NR_MAX; nr++) {
		const struct sr_entry *e = &sl->e[nr];
		uint64_t calls = __atomic_load_n(&e->calls, __ATOMIC_RELAXED);
		uint64_t ns = __atomic_load_n(&e->blocked_ns, __ATOMIC_RELAXED);

		t.calls += calls;
		if (!sr_is_wait((unsigned int)nr))
			t.blocked_ns += ns;
		else if (calls) {
			t.event_loop = true;
			t.idle_ns += ns;
		}
	}
	if (!t.calls)
		return 0;
	thr = realloc(p->thr, (p->nthr + 1) * sizeof(*thr));
	if (!thr)
		return -ENOMEM;
	p->thr = thr;
	thr[p->nthr++] = t;
	return 0;
}

int rp_sites_add_file(struct rp_proc *p, const struct sr_file *f)
{
	uint32_t used = __atomic_load_n(&f->h.slots_used, __ATOMIC_RELAXED);
	uint32_t nmaps = __atomic_load_n(&f->h.maps_used, __ATOMIC_ACQUIRE);
	unsigned int i;

	if (nmaps > SR_MAPS)
		nmaps = SR_MAPS;
	if (used > SR_SLOTS)
		used = SR_SLOTS;
	p->sites_lost += __atomic_load_n(&f->h.sites_lost, __ATOMIC_RELAXED);
	for (i = 0; i < used; i++)
		if (thread_of_file(p, f, i))
			return -ENOMEM;
	for (i = 0; i < SR_SITES; i++)
		if (site_of_file(p, f, &f->site[i], nmaps, used))
			return -ENOMEM;
	return 0;
}
