// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The policy file parser.  One rule or setting per line:
 *
 *	# comment (also after a rule)
 *	read		nowait
 *	set helpers.max	16
 *
 * Every error is reported, with its line and (byte) column, and parsing
 * goes on with the next line.  No allocation and no I/O: the preload shim
 * runs this in its constructor, and the fuzzer feeds it anything.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <syslet.h>

#include "policy.h"

#define MAXTOK 4 /* "set KEY VALUE" and one more, to report it */

struct tok {
	const char *s;
	size_t len;
	unsigned int col;
};

struct sp_parser {
	struct sp_policy *p;
	const char *file;
	sp_error_fn *err;
	void *arg;
	unsigned int errors, line;
	/* Where each rule and setting was given (line 0: not given), for
	 * duplicates and for the checks made after the last line. */
	unsigned int rule_line[SL_SYSTAB_MAX], rule_col[SL_SYSTAB_MAX];
	unsigned int set_line[SP_NSETTINGS], set_col[SP_NSETTINGS];
};

static void fail(struct sp_parser *ps, unsigned int line, unsigned int col,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct sp_parser *ps, unsigned int line, unsigned int col,
		 const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	ps->errors++;
	if (!ps->err)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	ps->err(ps->arg, ps->file, line, col, reason);
}

/* A token as an error message quotes it: printable, at most 40 bytes. */
static const char *quote(const struct tok *t, char *buf)
{
	size_t i, n = t->len > 40 ? 40 : t->len;

	for (i = 0; i < n; i++)
		buf[i] = t->s[i] >= 0x20 && t->s[i] < 0x7f ? t->s[i] : '?';
	strcpy(buf + n, t->len > n ? "..." : "");
	return buf;
}

/* The column just after @t: where a missing word was expected. */
static unsigned int after(const struct tok *t)
{
	return t->col + (unsigned int)t->len;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split @s (@len bytes, one line) into up to MAXTOK words before any '#'. */
static int split(const char *s, size_t len, struct tok *t)
{
	size_t i = 0, start;
	int n = 0;

	while (n < MAXTOK) {
		while (i < len && is_space(s[i]))
			i++;
		if (i == len || s[i] == '#')
			break;
		start = i;
		while (i < len && !is_space(s[i]) && s[i] != '#')
			i++;
		t[n].s = s + start;
		t[n].len = i - start;
		t[n].col = (unsigned int)start + 1;
		n++;
	}
	return n;
}

/* Anything after the @want words of a line is an error. */
static int extra(struct sp_parser *ps, int n, const struct tok *t, int want,
		 const char *what)
{
	char q[48];

	if (n <= want)
		return 0;
	fail(ps, ps->line, t[want].col, "unexpected '%s' after %s",
	     quote(&t[want], q), what);
	return 1;
}

/* set KEY VALUE */
static void setting(struct sp_parser *ps, int n, const struct tok *t)
{
	uint32_t v;
	char q[48];
	int k, bad = 0;

	if (n < 2) {
		fail(ps, ps->line, after(&t[0]),
		     "missing setting name after 'set'");
		return;
	}
	k = sp_setting_lookup(t[1].s, t[1].len);
	if (k < 0) {
		fail(ps, ps->line, t[1].col, "unknown setting '%s'",
		     quote(&t[1], q));
		return;
	}
	if (ps->set_line[k]) {
		fail(ps, ps->line, t[1].col,
		     "duplicate setting %s (first set at line %u)",
		     sp_setting_name(k), ps->set_line[k]);
		bad = 1;
	} else {
		ps->set_line[k] = ps->line;
		ps->set_col[k] = t[1].col;
	}
	if (n < 3) {
		fail(ps, ps->line, after(&t[1]),
		     "missing value for %s: expected %s", sp_setting_name(k),
		     sp_setting_expected(k));
		return;
	}
	if (sp_setting_parse(k, t[2].s, t[2].len, &v)) {
		fail(ps, ps->line, t[2].col,
		     "bad value '%s' for %s: expected %s", quote(&t[2], q),
		     sp_setting_name(k), sp_setting_expected(k));
		bad = 1;
	}
	if (extra(ps, n, t, 3, "the value"))
		bad = 1;
	if (bad)
		return;
	ps->p->value[k] = v;
	ps->p->settings++;
}

static void unknown_call(struct sp_parser *ps, const struct tok *t)
{
	int nr = sp_libc_syscall(t->s, t->len);
	char q[48];

	if (nr >= 0 && sl_sys(nr))
		fail(ps, ps->line, t->col,
		     "unknown system call '%s' (the C library's %s() makes %s)",
		     quote(t, q), quote(t, q), sl_sys(nr)->name);
	else
		fail(ps, ps->line, t->col, "unknown system call '%s'",
		     quote(t, q));
}

/* SYSCALL ROUTE */
static void rule(struct sp_parser *ps, int n, const struct tok *t)
{
	int nr = sp_syscall_lookup(t[0].s, t[0].len), route = -1, bad = 0;
	char q[48];

	if (nr < 0) {
		unknown_call(ps, &t[0]);
		bad = 1;
	}
	if (n < 2) {
		fail(ps, ps->line, after(&t[0]),
		     "missing route after '%s': expected inline, nowait, helper or trap",
		     quote(&t[0], q));
		return;
	}
	route = sp_route_lookup(t[1].s, t[1].len);
	if (route < 0) {
		fail(ps, ps->line, t[1].col,
		     "unknown route '%s': expected inline, nowait, helper or trap",
		     quote(&t[1], q));
		bad = 1;
	}
	if (extra(ps, n, t, 2, "the route"))
		bad = 1;
	if (nr < 0)
		return;
	if (ps->rule_line[nr]) {
		fail(ps, ps->line, t[0].col,
		     "duplicate rule for %s (first at line %u)",
		     sl_sys(nr)->name, ps->rule_line[nr]);
		return;
	}
	ps->rule_line[nr] = ps->line;
	ps->rule_col[nr] = t[1].col;
	if (route == SP_TRAP && sl_sys(nr)->cls != SYSLET_CLASS_CALLER &&
	    !sp_trappable(nr)) {
		fail(ps, ps->line, t[1].col,
		     "contradiction: the backstop cannot trap %s, which the shim itself needs",
		     sl_sys(nr)->name);
		bad = 1;
	} else if (route > SP_NATIVE && sl_sys(nr)->cls != SYSLET_CLASS_ANY &&
		   !(route == SP_TRAP &&
		     sl_sys(nr)->cls == SYSLET_CLASS_EMULATED)) {
		fail(ps, ps->line, t[1].col,
		     "contradiction: %s never leaves the calling thread (class %s): only inline is possible",
		     sl_sys(nr)->name,
		     sl_sys(nr)->cls == SYSLET_CLASS_EMULATED ? "emulated"
							      : "caller");
		bad = 1;
	}
	if (bad)
		return;
	ps->p->route[nr] = (uint8_t)route;
	ps->p->rules++;
}

/* What can only be judged once every line is read. */
static void finish(struct sp_parser *ps)
{
	const uint32_t *v = ps->p->value;
	int k, nr;

	if (v[SP_HELPERS_MIN] > v[SP_HELPERS_MAX] &&
	    (ps->set_line[SP_HELPERS_MIN] || ps->set_line[SP_HELPERS_MAX])) {
		/* The later of the two made it so. */
		k = ps->set_line[SP_HELPERS_MIN] > ps->set_line[SP_HELPERS_MAX]
			    ? SP_HELPERS_MIN
			    : SP_HELPERS_MAX;
		fail(ps, ps->set_line[k], ps->set_col[k],
		     "contradiction: helpers.min %lu is above helpers.max %lu",
		     (unsigned long)v[SP_HELPERS_MIN],
		     (unsigned long)v[SP_HELPERS_MAX]);
	}
	if (v[SP_BACKSTOP])
		return;
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		if (ps->rule_line[nr] && ps->p->route[nr] == SP_TRAP)
			fail(ps, ps->rule_line[nr], ps->rule_col[nr],
			     "contradiction: trap for %s needs 'set backstop on'",
			     sl_sys(nr)->name);
}

unsigned int sp_parse(struct sp_policy *p, const char *text, size_t len,
		      const char *file, sp_error_fn *err, void *arg)
{
	struct sp_parser ps;
	struct tok t[MAXTOK];
	size_t pos = 0, end;
	int n;

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.file = file;
	ps.err = err;
	ps.arg = arg;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		end = nl ? (size_t)(nl - text) : len;
		ps.line++;
		n = split(text + pos, end - pos, t);
		if (n > 0 && t[0].len == 3 && !memcmp(t[0].s, "set", 3))
			setting(&ps, n, t);
		else if (n > 0)
			rule(&ps, n, t);
		pos = end + 1;
	}
	finish(&ps);
	return ps.errors;
}
