// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet report --format csv|json: the same tables as the text ones, for
 * programs (a spreadsheet, jq) rather than eyes.  The rows, their order
 * and --top are the text table's; numbers are the counters themselves
 * (nanoseconds, not rounded seconds).  CSV has no total row, which a
 * reader summing a column would count twice; JSON has it as "total".
 * Layout: doc/report-schema.md, "Tables".
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const route_keys[SR_ROUTES] = {
	[SR_INLINE] = "inline",
	[SR_HELPER] = "helper",
	[SR_NATIVE] = "native",
	[SR_TRAPPED] = "trapped",
};

/* RFC 4180: a field with a comma, quote or line break is quoted, its
 * quotes doubled.  Commands are the only such fields. */
static void csv_field(const char *s, FILE *f)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *command(const struct rp_proc *p)
{
	return p->nimages ? p->images[p->nimages - 1] : "";
}

static double pct(const struct sr_entry *e, const struct sr_entry *total)
{
	return total->blocked_ns ? 100.0 * (double)e->blocked_ns /
					   (double)total->blocked_ns
				 : 0;
}

static void csv_row(const struct rp_proc *p, const char *name, int nr,
		    const struct sr_entry *e, const struct sr_entry *total,
		    FILE *f)
{
	int i;

	if (p) {
		fprintf(f, "%d,", p->pid);
		csv_field(command(p), f);
		fputc(',', f);
	}
	fprintf(f, "%s,%d,%llu,%llu,%llu,%.2f", name, nr,
		(unsigned long long)e->calls,
		(unsigned long long)e->would_block,
		(unsigned long long)e->blocked_ns, pct(e, total));
	for (i = 0; i < SR_ROUTES; i++)
		fprintf(f, ",%llu", (unsigned long long)e->routes[i]);
	fprintf(f, ",%llu\n", (unsigned long long)e->bytes);
}

static json_object *u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static json_object *entry_json(const char *name, int nr,
			       const struct sr_entry *e,
			       const struct sr_entry *total)
{
	json_object *o = json_object_new_object(),
		    *r = json_object_new_object();
	int i;

	if (name)
		json_object_object_add(o, "syscall",
				       json_object_new_string(name));
	if (nr >= 0)
		json_object_object_add(o, "nr", json_object_new_int(nr));
	json_object_object_add(o, "calls", u64(e->calls));
	json_object_object_add(o, "would_block", u64(e->would_block));
	json_object_object_add(o, "blocked_ns", u64(e->blocked_ns));
	if (total)
		json_object_object_add(o, "pct_blocked",
				       json_object_new_double(pct(e, total)));
	for (i = 0; i < SR_ROUTES; i++)
		json_object_object_add(r, route_keys[i], u64(e->routes[i]));
	json_object_object_add(o, "routes", r);
	json_object_object_add(o, "bytes", u64(e->bytes));
	return o;
}

/* One table: CSV rows to @f, or {"syscalls": [...], "total": {...}}
 * added to @obj. */
static void one_table(const struct sr_entry *e, enum rp_sort by, size_t top,
		      const struct rp_proc *p, enum rp_format fmt,
		      json_object *obj, FILE *f)
{
	struct rp_row rows[SR_NR_MAX];
	struct sr_entry total;
	json_object *arr = 0;
	size_t i, n = rp_rows(e, rows, by);
	char buf[32];

	memset(&total, 0, sizeof(total));
	for (i = 0; i < n; i++)
		rp_entry_add(&total, rows[i].e);
	if (top && n > top)
		n = top;
	if (fmt == RP_FORMAT_JSON)
		arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		const char *name = rp_name(rows[i].nr, buf, sizeof(buf));

		if (arr)
			json_object_array_add(arr,
					      entry_json(name, rows[i].nr,
							 rows[i].e, &total));
		else
			csv_row(p, name, rows[i].nr, rows[i].e, &total, f);
	}
	if (arr) {
		json_object_object_add(obj, "syscalls", arr);
		json_object_object_add(obj, "total",
				       entry_json(0, -1, &total, 0));
	}
}

static void csv_header(bool per_process, FILE *f)
{
	fprintf(f,
		"%ssyscall,nr,calls,would_block,blocked_ns,pct_blocked,"
		"inline,helper,native,trapped,bytes\n",
		per_process ? "pid,command," : "");
}

static int put(json_object *top, FILE *f)
{
	const char *s = json_object_to_json_string_ext(
		top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = s ? 0 : 125;

	if (s)
		fprintf(f, "%s\n", s);
	json_object_put(top);
	return rc;
}

int rp_format_tables(const struct rp_report *r, bool per_process,
		     enum rp_sort by, size_t top, int nfiles,
		     enum rp_format fmt, FILE *f)
{
	json_object *doc = 0, *procs = 0;
	struct sr_entry *sum;
	size_t i;

	if (fmt == RP_FORMAT_CSV)
		csv_header(per_process, f);
	else {
		doc = json_object_new_object();
		json_object_object_add(doc, "files",
				       json_object_new_int(nfiles));
		json_object_object_add(
			doc, "processes",
			per_process ? (procs = json_object_new_array())
				    : u64(r->n));
	}
	for (i = 0; per_process && i < r->n; i++) {
		const struct rp_proc *p = &r->procs[i];
		json_object *o = 0;

		if (procs) {
			o = json_object_new_object();
			json_object_object_add(o, "pid",
					       json_object_new_int(p->pid));
			json_object_object_add(o, "ppid",
					       json_object_new_int(p->ppid));
			json_object_object_add(
				o, "command",
				json_object_new_string(command(p)));
			json_object_array_add(procs, o);
		}
		one_table(p->e, by, top, p, fmt, o, f);
	}
	if (!per_process) {
		sum = calloc(SR_NR_MAX, sizeof(*sum));
		if (!sum) {
			json_object_put(doc);
			return 125;
		}
		rp_sum(r, sum);
		one_table(sum, by, top, 0, fmt, doc, f);
		free(sum);
	}
	return doc ? put(doc, f) : 0;
}

static json_object *side(const char *file, const struct rp_report *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "processes", u64(r->n));
	return o;
}

/* B's time blocked over A's, or NULL (JSON null, CSV empty) for A's 0. */
static bool ratio(const struct sr_entry *a, const struct sr_entry *b, double *x)
{
	if (!a->blocked_ns)
		return false;
	*x = (double)b->blocked_ns / (double)a->blocked_ns;
	return true;
}

static json_object *pair_json(const char *name, int nr,
			      const struct sr_entry *a,
			      const struct sr_entry *b)
{
	json_object *o = json_object_new_object();
	double x;

	if (name)
		json_object_object_add(o, "syscall",
				       json_object_new_string(name));
	if (nr >= 0)
		json_object_object_add(o, "nr", json_object_new_int(nr));
	json_object_object_add(o, "a", entry_json(0, -1, a, 0));
	json_object_object_add(o, "b", entry_json(0, -1, b, 0));
	json_object_object_add(o, "ratio",
			       ratio(a, b, &x) ? json_object_new_double(x) : 0);
	return o;
}

void rp_compare_format(const struct rp_report *a, const struct rp_report *b,
		       char **files, const struct rp_pair *rows, size_t n,
		       const struct sr_entry *ta, const struct sr_entry *tb,
		       enum rp_format fmt, FILE *f)
{
	json_object *doc, *arr;
	char buf[32];
	size_t i;
	double x;

	if (fmt == RP_FORMAT_CSV) {
		fputs("syscall,nr,calls_a,calls_b,would_block_a,would_block_b,"
		      "blocked_ns_a,blocked_ns_b,ratio\n",
		      f);
		for (i = 0; i < n; i++) {
			const struct rp_pair *p = &rows[i];

			fprintf(f, "%s,%d,%llu,%llu,%llu,%llu,%llu,%llu,",
				rp_name(p->nr, buf, sizeof(buf)), p->nr,
				(unsigned long long)p->a->calls,
				(unsigned long long)p->b->calls,
				(unsigned long long)p->a->would_block,
				(unsigned long long)p->b->would_block,
				(unsigned long long)p->a->blocked_ns,
				(unsigned long long)p->b->blocked_ns);
			if (ratio(p->a, p->b, &x))
				fprintf(f, "%.4f", x);
			fputc('\n', f);
		}
		return;
	}
	doc = json_object_new_object();
	arr = json_object_new_array();
	json_object_object_add(doc, "a", side(files[0], a));
	json_object_object_add(doc, "b", side(files[1], b));
	for (i = 0; i < n; i++)
		json_object_array_add(
			arr, pair_json(rp_name(rows[i].nr, buf, sizeof(buf)),
				       rows[i].nr, rows[i].a, rows[i].b));
	json_object_object_add(doc, "syscalls", arr);
	json_object_object_add(doc, "total", pair_json(0, -1, ta, tb));
	put(doc, f);
}
