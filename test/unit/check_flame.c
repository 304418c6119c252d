// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The flame graph of syslet report --flamegraph (src/report/flame.c,
 * xml.c): names of any bytes written as valid XML text, frames merged by
 * name, narrow ones left out, the deepest stack and longest names drawn
 * in bounded room, an empty report a picture that says so.
 * test/report/flamegraph.sh has xmllint and python read real ones.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "../../src/report/report.h"

/* The SVG of @r, to free(). */
static char *svg(const struct rp_report *r)
{
	char *out = 0;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(rp_write_flamegraph(r, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(out);
	ck_assert(strstr(out, "<?xml ") == out);
	ck_assert_str_eq(out + len - 7, "</svg>\n");
	return out;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

/* Markup escaped, bytes that are not UTF-8 (a stray continuation, a
 * surrogate, an overlong form) one '?' each, controls '?'; valid UTF-8
 * kept; the same names in two stacks one frame. */
START_TEST(test_names)
{
	struct rp_proc p = { .pid = 1, .comm = "pr<o>g" };
	struct rp_report r = { .procs = &p, .n = 1 };
	struct rp_site s[3] = { { 0 } };
	char *out;
	int i;

	for (i = 0; i < 2; i++) {
		s[i].blocked_ns = 1000000;
		s[i].nframes = 2;
		s[i].frame[0].func = "a<b>&\"c'";
		s[i].frame[0].file = "/src/x&y.c";
		s[i].frame[0].line = 7 + (unsigned int)i; /* other lines */
		s[i].frame[1].func =
			"bad\xff\xc0\xafutf8\xed\xa0\x80\t\xc3\xa9";
	}
	s[2].blocked_ns = 1000; /* under 0.1%: left out */
	s[2].nframes = 1;
	s[2].frame[0].func = "tiny";
	p.sites = s;
	p.nsites = 3;
	out = svg(&r);
	ck_assert_ptr_nonnull(strstr(
		out, "<title>a&lt;b&gt;&amp;&quot;c&#39; (x&amp;y.c:7, ...) "
		     "&#8212; 2.000 ms, 99.95%</title>"));
	ck_assert_ptr_nonnull(strstr(out, ">bad???utf8????\xc3\xa9 "));
	ck_assert_ptr_nonnull(strstr(out, "Off-CPU time: pr&lt;o&gt;g, "
					  "2.001 ms blocked"));
	ck_assert_ptr_nonnull(strstr(out, "all (every stack) &#8212; "
					  "2.001 ms, 100.00%"));
	ck_assert_ptr_null(strstr(out, "tiny"));
	ck_assert_ptr_nonnull(strstr(out, ">2 frames narrower than 0.1%"));
	/* all, the command, two frames, the call: one each. */
	ck_assert_uint_eq(count(out, "<g>"), 5);
	ck_assert_uint_eq(count(out, "</g>"), 5);
	ck_assert_ptr_null(strchr(out, '\t'));
	ck_assert_ptr_null(strchr(out, '\xff'));
	free(out);
}
END_TEST

/* The deepest stack, every name as long as a report keeps: a level each,
 * the labels cut to their boxes, the tooltips whole. */
START_TEST(test_deep)
{
	struct rp_proc p = { .pid = 1, .comm = "deep" };
	struct rp_report r = { .procs = &p, .n = 1 };
	struct rp_site s = { 0 };
	char name[RP_STR_MAX + 1], height[32], *out;
	unsigned int i;

	memset(name, 'n', RP_STR_MAX);
	name[RP_STR_MAX] = 0;
	s.blocked_ns = 5000;
	s.nframes = SR_FRAMES;
	for (i = 0; i < SR_FRAMES; i++)
		s.frame[i].func = name;
	p.sites = &s;
	p.nsites = 1;
	out = svg(&r);
	/* all, command, frames, call; 56 above, 28 below, 16 a level. */
	ck_assert_uint_eq(count(out, "<g>"), SR_FRAMES + 3);
	snprintf(height, sizeof(height), "height=\"%d\"",
		 56 + (SR_FRAMES + 3) * 16 + 28);
	ck_assert_ptr_nonnull(strstr(out, height));
	ck_assert_uint_eq(count(out, ".."), SR_FRAMES);
	ck_assert_ptr_nonnull(strstr(out, "<title>nnnnnnnn"));
	free(out);
}
END_TEST

/* No stack blocked: a valid picture that says so. */
START_TEST(test_empty)
{
	struct rp_proc p = { .pid = 1, .comm = "idle" };
	struct rp_report r = { .procs = &p, .n = 1 }, none = { 0 };
	char *out = svg(&r);

	ck_assert_ptr_nonnull(strstr(out, "idle, no blocked time recorded"));
	ck_assert_ptr_null(strstr(out, "<g>"));
	free(out);
	out = svg(&none);
	ck_assert_ptr_nonnull(strstr(out, "No blocked time recorded"));
	free(out);
}
END_TEST

static Suite *flame_suite(void)
{
	Suite *s = suite_create("flame");
	TCase *tc = tcase_create("svg");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(flame_suite());
}
