// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report --flamegraph FILE: an off-CPU flame graph of the stacks
 * of blocked time (stacks.c, the ones --folded writes), as an SVG file
 * for a web browser.  The root ("all") at the bottom, callers below
 * callees, the blocking system call on top; a frame's width is its share
 * of the time blocked; a frame's <title> is the browser's tooltip:
 * "function (file:line) - N ms, P%".
 *
 * Written as text, as flamegraph.pl and inferno write theirs, not drawn
 * with cairo's SVG surface (png.c's library): cairo emits paths and
 * glyphs, with no way to give an element a <title>, so it could not have
 * the tooltips, and its text would not be text to search or copy.  No
 * script: the tooltips are the browser's own.
 *
 * Frames are merged by name, level by level, as flamegraph.pl merges the
 * folded lines: the stacks are sorted by their names and each frame runs
 * for as long as the stacks after it share its name and every name below
 * it.  One narrower than 0.1% of the whole is left out (and what stands
 * on it), as flamegraph.pl leaves out what it could not draw.  Colours
 * are blue, the convention for off-CPU time (flamegraph.pl's "blue" and
 * "io" palettes), by a hash of the name: the same function has the same
 * colour in every graph.  Red 50-100, green 110-190, blue 205-255 (the
 * test's screenshot checker, test/report/flame_pixels.c, counts those).
 *
 * Memory: one entry a stack (the report holds far more for each), a
 * stack at most RP_STACK_MAX levels, names at most RP_NAME_LEN bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define WIDTH 1200
#define PAD 10	       /* left and right */
#define FRAME_H 16     /* a level: a frame 15 high, a line between */
#define TOP 56	       /* the title and the line under it */
#define BOTTOM 28      /* the note under the frames */
#define FONT 12	       /* px */
#define CHAR_W 7.08    /* an average character at FONT px (0.59 em) */
#define MIN_SHARE 1000 /* narrower than the whole / MIN_SHARE: left out */
#define FLAME_R 50
#define FLAME_G 110
#define FLAME_B 205

struct item {
	struct rp_stack st;
	size_t order; /* in the report: the sort's last key */
};

/* A frame: where it starts (microseconds from the left), the stack that
 * opened it (its name, its frame), merged frames of other lines. */
struct span {
	double x;
	const struct rp_stack *st;
	bool lines;
};

struct flame {
	FILE *f; /* NULL: the first pass, measuring */
	struct item *v;
	size_t n, cap;
	double total;	     /* microseconds */
	unsigned int levels; /* drawn, "all" included */
	size_t left_out;     /* frames too narrow */
	int height;
};

static int collect(const struct rp_stack *st, void *arg)
{
	struct flame *fl = arg;

	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? 2 * fl->cap : 64;
		struct item *v = reallocarray(fl->v, cap, sizeof(*v));

		if (!v)
			return -1;
		fl->v = v;
		fl->cap = cap;
	}
	fl->v[fl->n].st = *st;
	fl->v[fl->n].order = fl->n;
	fl->n++;
	fl->total += (double)st->us;
	return 0;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Level @i of @a and @b: the same source line (or neither a frame). */
static bool same_line(const struct rp_stack *a, const struct rp_stack *b,
		      unsigned int i)
{
	const struct rp_frame *x = rp_stack_frame(a, i);
	const struct rp_frame *y = rp_stack_frame(b, i);

	if (!x || !y)
		return x == y;
	return str_eq(x->file, y->file) && x->line == y->line;
}

/* By the names root first, then by source lines (so that a merged
 * frame's tooltip names the same line whatever qsort does), then as
 * read. */
static int by_names(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	char na[RP_NAME_LEN], nb[RP_NAME_LEN];
	unsigned int i;
	int c;

	for (i = 0; i < a->st.depth && i < b->st.depth; i++) {
		c = strcmp(rp_stack_name(&a->st, i, na),
			   rp_stack_name(&b->st, i, nb));
		if (c)
			return c;
	}
	if (a->st.depth != b->st.depth)
		return a->st.depth < b->st.depth ? -1 : 1;
	for (i = 0; i < a->st.depth; i++) {
		const struct rp_frame *x = rp_stack_frame(&a->st, i);
		const struct rp_frame *y = rp_stack_frame(&b->st, i);

		if (!x || !y || same_line(&a->st, &b->st, i))
			continue;
		c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
		if (c)
			return c;
		if (x->line != y->line)
			return x->line < y->line ? -1 : 1;
	}
	return a->order < b->order ? -1 : a->order > b->order;
}

/* FNV-1a: a colour that depends on the name alone. */
static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* A frame: its <title> (the tooltip), its box, its name where it fits.
 * @fr the frame (file:line), @kind said of the others. */
static void draw(struct flame *fl, unsigned int depth, const char *name,
		 const struct rp_frame *fr, const char *kind, bool lines,
		 double x0, double x1)
{
	FILE *f = fl->f;
	double scale = (WIDTH - 2 * PAD) / fl->total;
	double x = PAD + x0 * scale, w = (x1 - x0) * scale;
	int y = fl->height - BOTTOM - (int)(depth + 1) * FRAME_H;
	uint32_t h = hash(name);
	size_t fit = w > 6 ? (size_t)((w - 6) / CHAR_W) : 0;
	char buf[RP_NAME_LEN];

	fputs("<g><title>", f);
	rp_xml_put(name, SIZE_MAX, f);
	if (fr && fr->file) {
		fputs(" (", f);
		rp_xml_put(rp_clean(rp_base(fr->file), RP_STR_MAX, buf,
				    sizeof(buf)),
			   SIZE_MAX, f);
		fprintf(f, ":%u%s)", fr->line, lines ? ", ..." : "");
	} else if (kind)
		fprintf(f, " (%s)", kind);
	fprintf(f,
		" &#8212; %.3f ms, %.2f%%</title><rect x=\"%.2f\" y=\"%d\" "
		"width=\"%.2f\" height=\"%d\" rx=\"2\" ry=\"2\" "
		"fill=\"rgb(%u,%u,%u)\"/>",
		(x1 - x0) / 1000, 100 * (x1 - x0) / fl->total, x, y, w,
		FRAME_H - 1, FLAME_R + h % 51, FLAME_G + (h >> 8) % 81,
		FLAME_B + (h >> 16) % 51);
	if (fit >= 3) { /* the name, cut to the box: "name.." */
		fprintf(f, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + 11);
		if (rp_xml_chars(name) > fit) {
			rp_xml_put(name, fit - 2, f);
			fputs("..", f);
		} else
			rp_xml_put(name, SIZE_MAX, f);
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

/* The frame of level @i that @sp opened ends at @x1: measured in the
 * first pass, drawn in the second, unless too narrow. */
static void end_span(struct flame *fl, unsigned int i, const struct span *sp,
		     double x1)
{
	char buf[RP_NAME_LEN];
	const struct rp_frame *fr = rp_stack_frame(sp->st, i);
	const char *kind = !i ? "command" : fr ? 0 : "system call";

	if ((x1 - sp->x) * MIN_SHARE < fl->total) {
		fl->left_out += !fl->f;
		return;
	}
	if (!fl->f) {
		fl->levels = i + 2 > fl->levels ? i + 2 : fl->levels;
		return;
	}
	draw(fl, i + 1, rp_stack_name(sp->st, i, buf), fr, kind, sp->lines,
	     sp->x, x1);
}

/* The sorted stacks, left to right: at each, the frames it does not
 * share with the one before end, and its own begin. */
static void flow(struct flame *fl)
{
	struct span open[RP_STACK_MAX];
	char a[RP_NAME_LEN], b[RP_NAME_LEN];
	unsigned int nopen = 0, k, i;
	double x = 0;
	size_t j;

	for (j = 0; j <= fl->n; j++) {
		const struct rp_stack *cur = j < fl->n ? &fl->v[j].st : 0;

		for (k = 0; cur && k < nopen && k < cur->depth; k++) {
			if (strcmp(rp_stack_name(open[k].st, k, a),
				   rp_stack_name(cur, k, b)))
				break;
			if (!same_line(open[k].st, cur, k))
				open[k].lines = true;
		}
		while (nopen > k) {
			nopen--;
			end_span(fl, nopen, &open[nopen], x);
		}
		if (!cur)
			break;
		for (i = k; i < cur->depth; i++)
			open[i] = (struct span){ x, cur, false };
		nopen = cur->depth;
		x += (double)cur->us;
	}
}

/* The first process's program, and how many there were. */
static void put_title(const struct rp_report *r, FILE *f, double total)
{
	const struct rp_proc *p = r->n ? &r->procs[0] : 0;
	char buf[RP_NAME_LEN];
	const char *prog = "?";

	if (p && p->nimages)
		prog = rp_base(p->images[p->nimages - 1]);
	else if (p && *p->comm)
		prog = p->comm;
	fprintf(f, "<text class=\"title\" x=\"%d\" y=\"24\">Off-CPU time: ",
		WIDTH / 2);
	if (rp_xml_put(rp_clean(prog, SR_NAME_MAX, buf, sizeof(buf)), 80, f))
		fputs("..", f);
	if (r->n > 1)
		fprintf(f, " and %zu other processes", r->n - 1);
	if (total > 0)
		fprintf(f, ", %.3f ms blocked</text>\n", total / 1000);
	else
		fputs(", no blocked time recorded</text>\n", f);
}

static void put_head(const struct rp_report *r, struct flame *fl)
{
	FILE *f = fl->f;

	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		"<style>text { font-family: Verdana, sans-serif; "
		"font-size: %dpx; fill: rgb(0,0,0); } "
		".title { font-size: 17px; text-anchor: middle; } "
		".note { fill: rgb(90,90,90); } "
		"g:hover rect { stroke: rgb(0,0,0); stroke-width: 1; }"
		"</style>\n"
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"rgb(248,248,248)\"/>\n",
		WIDTH, fl->height, WIDTH, fl->height, FONT, WIDTH, fl->height);
	put_title(r, f, fl->total);
	fprintf(f,
		"<text class=\"note\" x=\"%d\" y=\"44\">Time blocked by "
		"stack, syslet's trial report: callers below, the system "
		"call on top, width the share of the time; point at a frame "
		"for its source line and time.</text>\n",
		PAD);
}

int rp_write_flamegraph(const struct rp_report *r, FILE *f)
{
	struct flame fl = { 0 };

	if (rp_each_stack(r, collect, &fl)) {
		free(fl.v);
		errno = ENOMEM;
		return -1;
	}
	if (fl.n) {
		qsort(fl.v, fl.n, sizeof(*fl.v), by_names);
		flow(&fl); /* measure: how high, what is left out */
	}
	fl.height = TOP + (int)(fl.levels ? fl.levels : 2) * FRAME_H + BOTTOM;
	fl.f = f;
	put_head(r, &fl);
	if (fl.n) {
		draw(&fl, 0, "all", 0, "every stack", false, 0, fl.total);
		flow(&fl);
	} else
		fprintf(f,
			"<text x=\"%d\" y=\"%d\">No blocked time recorded: no "
			"call site blocked for a microsecond (or a report of "
			"schema 1, without sites).</text>\n",
			PAD, TOP + FRAME_H);
	if (fl.left_out)
		fprintf(f,
			"<text class=\"note\" x=\"%d\" y=\"%d\">%zu frame%s "
			"narrower than 0.1%% of the time left out.</text>\n",
			PAD, fl.height - 10, fl.left_out,
			fl.left_out == 1 ? "" : "s");
	fputs("</svg>\n", f);
	free(fl.v);
	return ferror(f) ? -1 : 0;
}
