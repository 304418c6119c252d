// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The stats file layout (src/report/layout.h) and how the launcher gathers
 * files into processes (src/report/read.c): slots summed, exec'd
 * images of one process merged, other versions refused.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "../../src/report/report.h"

static struct sr_file *file(int pid, uint64_t start, uint32_t seq,
			    const char *argv0)
{
	struct sr_file *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->h.magic = SR_MAGIC;
	f->h.version = SR_VERSION;
	f->h.header_size = sizeof(f->h);
	f->h.nr_max = SR_NR_MAX;
	f->h.slots = SR_SLOTS;
	f->h.hist = SR_HIST;
	f->h.entry_size = sizeof(struct sr_entry);
	f->h.frames = SR_FRAMES;
	f->h.sites = SR_SITES;
	f->h.maps = SR_MAPS;
	f->h.sample = SR_SAMPLE;
	f->h.pid = pid;
	f->h.ppid = 1;
	f->h.proc_start = start;
	f->h.seq = seq;
	f->h.start_ns = 1000 + seq;
	strcpy(f->h.argv0, argv0);
	return f;
}

/* @n calls of @nr in slot @s, each helper, 8 bytes, bucket 3. */
static void count(struct sr_file *f, unsigned int s, int nr, uint64_t n)
{
	struct sr_entry *e = &f->slot[s].e[nr];

	if (f->h.slots_used < s + 1)
		f->h.slots_used = s + 1;
	f->slot[s].last_ns = 5000;
	e->calls += n;
	e->routes[SR_HELPER] += n;
	e->would_block += n;
	e->blocked_ns += 100 * n;
	e->bytes += 8 * n;
	e->hist[3] += n;
}

START_TEST(test_bucket)
{
	ck_assert_uint_eq(sr_bucket(0), 0);
	ck_assert_uint_eq(sr_bucket(1), 0);
	ck_assert_uint_eq(sr_bucket(2), 1);
	ck_assert_uint_eq(sr_bucket(3), 1);
	ck_assert_uint_eq(sr_bucket(1024), 10);
	ck_assert_uint_eq(sr_bucket(1000000), 19);
	ck_assert_uint_eq(sr_bucket(~0ull), SR_HIST - 1);
}
END_TEST

START_TEST(test_slots_summed)
{
	struct rp_report r = { 0 };
	struct sr_file *f = file(42, 7, 0, "prog");

	count(f, 0, 0, 2);
	count(f, 3, 0, 5);
	count(f, SR_SLOTS - 1, 0, 1); /* the shared slot */
	f->h.slots_used = 40;	      /* more threads than slots */
	ck_assert_int_eq(rp_add_file(&r, f), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(r.procs[0].e[0].calls, 8);
	ck_assert_uint_eq(r.procs[0].e[0].routes[SR_HELPER], 8);
	ck_assert_uint_eq(r.procs[0].e[0].bytes, 64);
	ck_assert_uint_eq(r.procs[0].e[0].hist[3], 8);
	ck_assert_uint_eq(r.procs[0].threads, 40);
	ck_assert_uint_eq(r.procs[0].last_ns, 5000);
	rp_free(&r);
	free(f);
}
END_TEST

START_TEST(test_exec_merged)
{
	struct rp_report r = { 0 };
	struct sr_file *a = file(42, 7, 0, "sh");
	struct sr_file *b = file(42, 7, 1, "cat");
	struct sr_file *c = file(42, 9, 0, "again"); /* pid used again */

	count(a, 0, 0, 1);
	count(b, 0, 0, 2);
	count(c, 0, 1, 4);
	/* In any order: the image list follows seq. */
	ck_assert_int_eq(rp_add_file(&r, b), 0);
	ck_assert_int_eq(rp_add_file(&r, a), 0);
	ck_assert_int_eq(rp_add_file(&r, c), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.procs[0].nimages, 2);
	ck_assert_str_eq(r.procs[0].images[0], "sh");
	ck_assert_str_eq(r.procs[0].images[1], "cat");
	ck_assert_uint_eq(r.procs[0].e[0].calls, 3);
	ck_assert_uint_eq(r.procs[0].start_ns, 1000);
	ck_assert_uint_eq(r.procs[1].e[1].calls, 4);
	ck_assert_uint_eq(r.procs[1].e[0].calls, 0);
	rp_free(&r);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_refused)
{
	struct rp_report r = { 0 };
	struct sr_file *f = file(42, 7, 0, "prog");

	f->h.version = SR_VERSION + 1; /* said apart: another build's shim */
	ck_assert_int_eq(rp_add_file(&r, f), -EPROTO);
	f->h.version = SR_VERSION;
	f->h.sites = SR_SITES / 2;
	ck_assert_int_eq(rp_add_file(&r, f), -EINVAL);
	f->h.sites = SR_SITES;
	f->h.version = SR_VERSION;
	f->h.magic = 0; /* not yet made */
	ck_assert_int_eq(rp_add_file(&r, f), -EINVAL);
	f->h.magic = SR_MAGIC;
	f->h.hist = SR_HIST - 1;
	ck_assert_int_eq(rp_add_file(&r, f), -EINVAL);
	ck_assert_uint_eq(r.n, 0);
	rp_free(&r);
	free(f);
}
END_TEST

/* A site of read (nr 0) at @at with @n frames from @pc, by slot @slot. */
static void site(struct sr_file *f, unsigned int at, const uint64_t *pc,
		 unsigned int n, unsigned int slot, uint64_t ns)
{
	struct sr_site *s = &f->site[at];
	unsigned int i;

	s->key = at + 1;
	s->nr = 0;
	s->nframes = n;
	for (i = 0; i < n; i++)
		s->pc[i] = pc[i];
	s->ready = 1;
	s->slots |= 1u << slot;
	s->calls += 2;
	s->would_block += 1;
	s->blocked_ns += ns;
}

static void map(struct sr_file *f, uint64_t start, uint64_t end, uint64_t off,
		const char *path)
{
	struct sr_map *m = &f->map[f->h.maps_used++];

	m->start = start;
	m->end = end;
	m->offset = off;
	strcpy(m->path, path);
}

START_TEST(test_sites_gathered)
{
	static const uint64_t pc[] = { 0x401234, 0x7f0000002010, 0x99 };
	struct rp_report r = { 0 };
	struct sr_file *f = file(42, 7, 0, "prog");
	const struct rp_site *s;
	const struct rp_thread *t;

	map(f, 0x401000, 0x402000, 0x1000, "/usr/bin/prog");
	map(f, 0x7f0000001000, 0x7f0000003000, 0x3000, "/lib/libc.so.6");
	count(f, 1, 0, 1); /* read: blocked 100 ns */
	count(f, 1, 7, 3); /* poll: an event loop, idle 300 ns */
	f->slot[1].tid = 77;
	f->slot[1].first_ns = 1000;
	strcpy(f->slot[1].name, "evloop");
	count(f, 2, 0, 1);
	f->slot[2].tid = 78;
	site(f, 5, pc, 3, 1, 1000);
	site(f, 9, pc, 2, 2, 10); /* another stack: two frames */
	f->site[11] = f->site[9];
	f->site[11].ready = 0; /* being written: not read */
	f->site[12] = f->site[9];
	f->site[12].nframes = SR_FRAMES + 1; /* nonsense: not read */
	f->h.sites_lost = 4;
	ck_assert_int_eq(rp_add_file(&r, f), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(r.procs[0].nsites, 2);
	ck_assert_uint_eq(r.procs[0].sites_lost, 4);
	s = &r.procs[0].sites[0];
	ck_assert_uint_eq(s->nframes, 3);
	ck_assert_str_eq(s->frame[0].module, "/usr/bin/prog");
	ck_assert_uint_eq(s->frame[0].offset, 0x1234);
	ck_assert_str_eq(s->frame[1].module, "/lib/libc.so.6");
	ck_assert_uint_eq(s->frame[1].offset, 0x4010);
	ck_assert_ptr_null(s->frame[2].module); /* no mapping: the address */
	ck_assert_uint_eq(s->frame[2].offset, 0x99);
	ck_assert_uint_eq(s->ntids, 1);
	ck_assert_int_eq(s->tids[0], 77);
	ck_assert_uint_eq(s->blocked_ns, 1000);
	ck_assert_uint_eq(r.procs[0].nthr, 2);
	t = &r.procs[0].thr[0];
	ck_assert_int_eq(t->tid, 77);
	ck_assert_str_eq(t->name, "evloop");
	ck_assert(t->event_loop);
	ck_assert_uint_eq(t->idle_ns, 300);
	ck_assert_uint_eq(t->blocked_ns, 100);
	ck_assert_uint_eq(t->wall_ns, 4000); /* to last_ns 5000 */
	ck_assert(!r.procs[0].thr[1].event_loop);
	rp_free(&r);
	free(f);
}
END_TEST

/* Two images of one process loaded at other addresses: the same code by
 * file and offset, so one site. */
START_TEST(test_sites_merged)
{
	static const uint64_t pa[] = { 0x555500001234 },
			      pb[] = { 0x5600001234 };
	struct rp_report r = { 0 };
	struct sr_file *a = file(42, 7, 0, "prog");
	struct sr_file *b = file(42, 7, 1, "prog");

	map(a, 0x555500001000, 0x555500002000, 0x1000, "/usr/bin/prog");
	map(b, 0x5600001000, 0x5600002000, 0x1000, "/usr/bin/prog");
	count(a, 0, 0, 1);
	count(b, 0, 0, 1);
	site(a, 3, pa, 1, 0, 5);
	site(b, 8, pb, 1, 0, 7);
	ck_assert_int_eq(rp_add_file(&r, a), 0);
	ck_assert_int_eq(rp_add_file(&r, b), 0);
	ck_assert_uint_eq(r.procs[0].nsites, 1);
	ck_assert_uint_eq(r.procs[0].sites[0].calls, 4);
	ck_assert_uint_eq(r.procs[0].sites[0].blocked_ns, 12);
	rp_free(&r);
	free(a);
	free(b);
}
END_TEST

/* The folded stacks: root first, the call last, microseconds rounded,
 * the separator and control bytes of names replaced. */
START_TEST(test_folded)
{
	struct rp_proc p = { .pid = 1, .comm = "prog" };
	struct rp_report r = { .procs = &p, .n = 1 };
	struct rp_site s[2] = { { 0 } };
	char *out = 0;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	s[0].nr = 0;
	s[0].blocked_ns = 2500;
	s[0].nframes = 3;
	s[0].frame[0].func = "in;ner\n";
	s[0].frame[1].module = "/usr/lib/libx.so";
	s[0].frame[1].offset = 0x10;
	s[0].frame[2].func = "main";
	s[1].nr = 0;
	s[1].blocked_ns = 400; /* under half a microsecond: left out */
	s[1].nframes = 1;
	s[1].frame[0].func = "quick";
	p.sites = s;
	p.nsites = 2;
	ck_assert_int_eq(rp_write_folded(&r, f), 0);
	fclose(f);
	ck_assert_str_eq(out, "prog;main;libx.so+0x10;in:ner?;read 3\n");
	free(out);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_bucket);
	tcase_add_test(tc, test_slots_summed);
	tcase_add_test(tc, test_exec_merged);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_sites_gathered);
	tcase_add_test(tc, test_sites_merged);
	tcase_add_test(tc, test_folded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(report_suite());
}
