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

	f->h.version = SR_VERSION + 1;
	ck_assert_int_eq(rp_add_file(&r, f), -EINVAL);
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

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_bucket);
	tcase_add_test(tc, test_slots_summed);
	tcase_add_test(tc, test_exec_merged);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(report_suite());
}
