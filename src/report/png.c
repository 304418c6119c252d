// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report --png: the latency histograms of the calls most blocked,
 * one small bar chart each, for people who would rather look than read.
 * All charts share one x range (log2 ns buckets, labelled in ns/us/ms/s)
 * so that they can be compared at a glance; counts go up the y axis,
 * linear or (--log) logarithmic.  Drawn with cairo's image surface and
 * toy text API: no fonts to find beyond the system's default sans.
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define CHART_W 520
#define CHART_H 270
#define HEAD_H 44
#define COLS 2
/* Inside a chart: room for the title, the axes and their labels. */
#define PAD_L 56
#define PAD_R 14
#define PAD_T 34
#define PAD_B 46

struct range {
	unsigned int lo, hi; /* buckets shown, inclusive */
};

/* 2^i ns, readable and short: "512ns", "4us", "66us", "1ms", "1.1s";
 * rounded (within 5%) where a round number is near. */
static void ns_label(unsigned int i, char *buf, size_t len)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1, "ns" }, { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" } };
	double v = ldexp(1.0, (int)i);
	size_t u = 0;

	if (!i) { /* bucket 0 starts at 0 ns */
		snprintf(buf, len, "0");
		return;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) &&
	       v >= units[u + 1].div)
		u++;
	v /= units[u].div;
	if (v >= 10 || fabs(v - round(v)) <= 0.05 * v)
		snprintf(buf, len, "%.0f%s", v, units[u].unit);
	else
		snprintf(buf, len, "%.1f%s", v, units[u].unit);
}

static void text(cairo_t *cr, double x, double y, double size, bool bold,
		 double align, const char *s)
{
	cairo_text_extents_t te;

	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD
				    : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &te);
	cairo_move_to(cr, x - align * te.x_advance, y);
	cairo_show_text(cr, s);
}

/* Height as a fraction of the plot's; the top 15% is left for the
 * counts above the bars and the threshold's label. */
static double scale(uint64_t count, uint64_t max, bool log_scale)
{
	if (!max)
		return 0;
	if (log_scale)
		return 0.85 * log10((double)count + 1) / log10((double)max + 1);
	return 0.85 * (double)count / (double)max;
}

/* The linear axis's top: a multiple of a round step (1, 2, 5 x 10^k)
 * that makes at most 4 intervals. */
static uint64_t nice_top(uint64_t max, uint64_t *step)
{
	static const uint64_t m[] = { 1, 2, 5 };
	uint64_t p = 1;
	size_t i;

	for (;;) {
		for (i = 0; i < 3; i++) {
			*step = m[i] * p;
			if (max <= 4 * *step)
				return (max + *step - 1) / *step * *step;
		}
		p *= 10;
	}
}

static void y_axis(cairo_t *cr, double x0, double y0, double h, uint64_t max,
		   bool log_scale)
{
	uint64_t ticks[8], v, step;
	char buf[32];
	size_t n = 0, i;

	if (log_scale)
		for (v = 1; v <= max && n < 8; v *= 10)
			ticks[n++] = v;
	else
		for (v = 0, nice_top(max, &step); v <= max && n < 8; v += step)
			ticks[n++] = v;
	for (i = 0; i < n; i++) {
		double y = y0 - h * scale(ticks[i], max, log_scale);

		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x0 + CHART_W - PAD_L - PAD_R, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)ticks[i]);
		text(cr, x0 - 5, y + 3.5, 10, false, 1, buf);
	}
}

static void threshold(cairo_t *cr, double x, double y0, double h, uint64_t ns)
{
	static const double dash[] = { 4, 3 };
	char buf[64];

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.8, 0.15, 0.1);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, x, y0);
	cairo_line_to(cr, x, y0 - h);
	cairo_stroke(cr);
	snprintf(buf, sizeof(buf), "would block > %.3g ms", (double)ns / 1e6);
	text(cr, x - 3, y0 - h + 8, 9, false, 1, buf);
	cairo_restore(cr);
}

static void chart(cairo_t *cr, double ox, double oy, int nr,
		  const struct sr_entry *e, struct range rg, uint64_t thr_ns,
		  bool log_scale)
{
	double x0 = ox + PAD_L, y0 = oy + CHART_H - PAD_B;
	double w = CHART_W - PAD_L - PAD_R, h = CHART_H - PAD_T - PAD_B;
	unsigned int nb = rg.hi - rg.lo + 1, i, every;
	double bw = w / nb, last_end = -1e9;
	char name[32], buf[160];
	uint64_t max = 0, step;

	for (i = rg.lo; i <= rg.hi; i++)
		if (e->hist[i] > max)
			max = e->hist[i];
	if (!log_scale)
		max = nice_top(max, &step);
	snprintf(buf, sizeof(buf),
		 "%s: %llu call%s, %llu would block, %.6f s blocked",
		 rp_name(nr, name, sizeof(name)), (unsigned long long)e->calls,
		 e->calls == 1 ? "" : "s", (unsigned long long)e->would_block,
		 (double)e->blocked_ns / 1e9);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, ox + PAD_L, oy + 20, 13, true, 0, buf);
	cairo_set_line_width(cr, 1);
	y_axis(cr, x0, y0, h, max, log_scale);
	for (i = rg.lo; i <= rg.hi; i++) {
		double bh = h * scale(e->hist[i], max, log_scale);
		double x = x0 + (i - rg.lo) * bw;

		if (!e->hist[i])
			continue;
		cairo_set_source_rgb(cr, 0.27, 0.51, 0.71);
		cairo_rectangle(cr, x + 1, y0 - bh, bw - 2 > 1 ? bw - 2 : 1,
				bh);
		cairo_fill(cr);
		if (bw >= 14) { /* the count on top, where it fits */
			snprintf(buf, sizeof(buf), "%llu",
				 (unsigned long long)e->hist[i]);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			text(cr, x + bw / 2, y0 - bh - 3, 9, false, 0.5, buf);
		}
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, x0, y0 - h);
	cairo_line_to(cr, x0, y0);
	cairo_line_to(cr, x0 + w, y0);
	cairo_stroke(cr);
	/* Bucket labels (their lower bounds), as many as do not overlap. */
	every = bw >= 34 ? 1 : (unsigned int)ceil(34 / bw);
	for (i = rg.lo; i <= rg.hi; i++) {
		double x = x0 + (i - rg.lo) * bw;

		if ((i - rg.lo) % every || x < last_end)
			continue;
		ns_label(i, buf, sizeof(buf));
		cairo_move_to(cr, x, y0);
		cairo_line_to(cr, x, y0 + 4);
		cairo_stroke(cr);
		text(cr, x, y0 + 15, 9.5, false, 0.5, buf);
		last_end = x + 30;
	}
	text(cr, x0 + w / 2, y0 + 33, 10, false, 0.5,
	     "latency (log2 buckets, lower bound)");
	if (thr_ns) /* where "would block" starts, if one threshold */
		threshold(cr, x0 + (log2((double)thr_ns) - rg.lo) * bw, y0, h,
			  thr_ns);
	cairo_save(cr);
	cairo_translate(cr, ox + 16, y0 - h / 2);
	cairo_rotate(cr, -M_PI / 2);
	text(cr, 0, 0, 10, false, 0.5, log_scale ? "calls (log)" : "calls");
	cairo_restore(cr);
}

/* The would-block threshold, if every process had the same one and it
 * falls inside the range shown; else 0. */
static uint64_t same_threshold(const struct rp_report *r, struct range rg)
{
	uint64_t t = r->n ? r->procs[0].block_ns : 0;
	size_t i;

	for (i = 1; i < r->n; i++)
		if (r->procs[i].block_ns != t)
			return 0;
	if (!t || log2((double)t) < rg.lo || log2((double)t) > rg.hi + 1)
		return 0;
	return t;
}

/* One x range for every chart: from the first bucket used to the last. */
static struct range common_range(const struct rp_row *rows, size_t n)
{
	struct range rg = { SR_HIST - 1, 0 };
	unsigned int i;
	size_t k;

	for (k = 0; k < n; k++)
		for (i = 0; i < SR_HIST; i++)
			if (rows[k].e->hist[i]) {
				rg.lo = i < rg.lo ? i : rg.lo;
				rg.hi = i > rg.hi ? i : rg.hi;
			}
	if (rg.lo > rg.hi)
		rg.lo = rg.hi = 0;
	/* A bucket either side, and at least 12 shown, for context. */
	rg.lo = rg.lo ? rg.lo - 1 : 0;
	rg.hi = rg.hi + 1 < SR_HIST ? rg.hi + 1 : rg.hi;
	while (rg.hi - rg.lo + 1 < 12)
		if (rg.hi + 1 < SR_HIST)
			rg.hi++;
		else
			rg.lo--;
	return rg;
}

/* To the file rp_open_output() made: never through a symbolic link. */
static cairo_status_t to_fd(void *arg, const unsigned char *data,
			    unsigned int len)
{
	int fd = *(int *)arg;

	while (len) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CAIRO_STATUS_WRITE_ERROR;
		data += w;
		len -= (unsigned int)w;
	}
	return CAIRO_STATUS_SUCCESS;
}

int rp_write_png(const struct rp_report *r, int fd, size_t top, bool log_scale)
{
	struct sr_entry *sum = calloc(SR_NR_MAX, sizeof(*sum));
	struct rp_row rows[SR_NR_MAX];
	cairo_surface_t *s;
	cairo_status_t st;
	struct range rg;
	size_t n, k, cols;
	cairo_t *cr;
	char buf[128];

	if (!sum)
		return -1;
	rp_sum(r, sum);
	n = rp_rows(sum, rows, RP_BY_BLOCKED);
	n = n < top ? n : top;
	rg = common_range(rows, n);
	cols = n < COLS ? 1 : COLS;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)cols * CHART_W,
				       HEAD_H + (int)((n ? n : 1) + cols - 1) /
							(int)cols * CHART_H);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	snprintf(buf, sizeof(buf),
		 "syslet: latency of the %zu call%s most "
		 "blocked (%zu process%s)",
		 n, n == 1 ? "" : "s", r->n, r->n == 1 ? "" : "es");
	text(cr, 14, 28, 16, true, 0, buf);
	if (!n)
		text(cr, 14, HEAD_H + 40, 13, false, 0,
		     "no calls were counted");
	for (k = 0; k < n; k++)
		chart(cr, (double)(k % cols) * CHART_W,
		      HEAD_H + (double)(k / cols) * CHART_H, rows[k].nr,
		      rows[k].e, rg, same_threshold(r, rg), log_scale);
	cairo_destroy(cr);
	st = cairo_surface_write_to_png_stream(s, to_fd, &fd);
	cairo_surface_destroy(s);
	/* One picture a run: drop cairo's font caches (and the fontconfig
	 * patterns they hold), so that leak checkers see none. */
	cairo_debug_reset_static_data();
	free(sum);
	return st == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
