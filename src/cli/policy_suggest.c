// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet policy suggest REPORT...: a tuned policy from trial reports.
 * Calls the seccomp backstop caught (route "trapped" in the reports) stay
 * trapped, however few, and the policy then turns the backstop on: the
 * trap set is what the backstop actually caught.  Of the rest, calls that
 * blocked often and long go straight to a helper (the failed non-blocking
 * try is then pure cost), calls that never blocked stay on the calling
 * thread (a helper, or even the try, only costs them), calls that only
 * wait (poll, sleeps) stay inline, the rest keep trying without blocking
 * first, or stay inline if they have no form to try.  Every rule says
 * which figures chose it.  The result is parsed back before it is
 * printed, so it always passes 'syslet policy check'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <syslet.h>

#include "../policy/policy.h"
#include "cli.h"
#include "../report/report.h"

/* A call blocking at least this share of the time, this long on average,
 * skips the non-blocking try. */
#define HELPER_SHARE 0.5
#define HELPER_MEAN_NS 50000ull

struct rule {
	int nr, route;
	char why[224];
};

/* The figures of a call the backstop caught. */
static void trapped_why(const struct sr_entry *e, char *why, size_t len)
{
	snprintf(why, len,
		 "%llu calls, %llu trapped by the backstop, %llu would block, "
		 "%.3f ms blocked",
		 (unsigned long long)e->calls,
		 (unsigned long long)e->routes[SR_TRAPPED],
		 (unsigned long long)e->would_block,
		 (double)e->blocked_ns / 1e6);
}

/* @try: the call has a non-blocking form to try first. */
static int choose(const struct sr_entry *e, bool try, bool pure, char *why,
		  size_t len)
{
	double share = (double)e->would_block / (double)e->calls;
	unsigned long long mean =
		e->would_block ? e->blocked_ns / e->would_block : 0;

	snprintf(why, len,
		 "%llu calls, %llu would block (%.1f%%), %.3f ms blocked, "
		 "mean %.1f us",
		 (unsigned long long)e->calls,
		 (unsigned long long)e->would_block, 100.0 * share,
		 (double)e->blocked_ns / 1e6, (double)mean / 1e3);
	if (!e->would_block)
		return SP_NATIVE;
	if (pure) {
		snprintf(why + strlen(why), len - strlen(why),
			 "; a wait by nature: a helper only adds a hand-off");
		return SP_NATIVE;
	}
	if (share >= HELPER_SHARE && mean >= HELPER_MEAN_NS)
		return SP_HELPER;
	/*
	 * Without a non-blocking form, "nowait" is a helper every time: for
	 * a call that rarely blocks, the hand-offs cost more than the rare
	 * wait (sqlite's journal unlinkat: 1.3x slower routed).
	 */
	return try ? SP_NOWAIT : SP_NATIVE;
}

/* The rules, in system call order; returns how many. */
static size_t suggest(const struct sr_entry *sum, unsigned long long min,
		      struct rule *out, struct sp_policy *p)
{
	size_t n = 0;
	int nr;

	for (nr = 0; nr < SR_NR_MAX && nr < SL_SYSTAB_MAX; nr++) {
		const struct sl_sysent *s = sl_sys(nr);
		struct rule *r = &out[n];
		bool caught = sum[nr].routes[SR_TRAPPED] && sp_trappable(nr);

		/* The backstop may also trap gettid (class emulated), which
		 * no other route takes off the caller. */
		if (!s || !sum[nr].calls ||
		    (s->cls != SYSLET_CLASS_ANY && !caught))
			continue;
		if (caught) {
			/* Not a judgement of figures: the backstop saw it,
			 * the shim may not (raw syscall(), fread's read). */
			trapped_why(&sum[nr], r->why, sizeof(r->why));
			r->route = SP_TRAP;
		} else if (sum[nr].calls < min) {
			snprintf(r->why, sizeof(r->why),
				 "%llu calls: too few to judge, built-in route",
				 (unsigned long long)sum[nr].calls);
			r->route = sp_default_route(nr);
		} else {
			r->route = choose(&sum[nr], s->nb > SL_NB_BLOCKS,
					  sl_pure_wait(nr), r->why,
					  sizeof(r->why));
		}
		/* Only from a report not of this syslet's making. */
		if (sum[nr].routes[SR_TRAPPED] && !caught)
			snprintf(
				r->why + strlen(r->why),
				sizeof(r->why) - strlen(r->why),
				"; %llu trapped, but the backstop cannot trap it",
				(unsigned long long)sum[nr].routes[SR_TRAPPED]);
		r->nr = nr;
		p->route[nr] = (uint8_t)r->route;
		if (r->route == SP_TRAP)
			p->value[SP_BACKSTOP] = 1;
		n++;
	}
	return n;
}

static void print(FILE *f, const struct sp_policy *p, const struct rule *r,
		  size_t n, char **files, int nfiles)
{
	char val[16];
	size_t i;
	int k;

	fputs("# syslet policy suggested by 'syslet policy suggest' from:\n",
	      f);
	for (k = 0; k < nfiles; k++)
		fprintf(f, "#   %s\n", files[k]);
	fputs("# Calls not listed keep their built-in route "
	      "('syslet policy show').\n\n",
	      f);
	for (k = 0; k < SP_NSETTINGS; k++) {
		sp_setting_format(k, p->value[k], val, sizeof(val));
		fprintf(f, "set %-16s %s\n", sp_setting_name(k), val);
	}
	fputc('\n', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%-16s %-7s # %s\n", sl_sys(r[i].nr)->name,
			sp_route_keyword(r[i].route), r[i].why);
}

static void bad_output(void *arg, const char *file, unsigned int line,
		       unsigned int col, const char *reason)
{
	(void)arg;
	fprintf(stderr, "syslet policy suggest: internal error: %s:%u:%u: %s\n",
		file, line, col, reason);
}

static void usage(FILE *f)
{
	fputs("usage: syslet policy suggest [--min-calls N] REPORT...\n"
	      "  A policy tuned from reports of 'syslet run --report', on\n"
	      "  stdout. Calls the seccomp backstop caught stay trapped (and\n"
	      "  the backstop on); other calls seen fewer than N times\n"
	      "  (default 20) keep their built-in route.\n",
	      f);
}

int cmd_policy_suggest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "min-calls", required_argument, 0, 'm' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct sr_entry *sum = calloc(SR_NR_MAX, sizeof(*sum));
	struct rule *rules = calloc(SR_NR_MAX, sizeof(*rules));
	const char *cmd = "syslet policy suggest";
	unsigned long long min = 20;
	struct rp_report rep = { 0 };
	struct sp_policy p, back;
	char why[256], *text = 0;
	size_t n, len = 0;
	FILE *mem;
	int c, i, rc = 2;

	optind = 0;
	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c == 'h') {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (c != 'm') {
			usage(stderr);
			goto out;
		}
		errno = 0;
		min = strtoull(optarg, 0, 10);
		if (!*optarg || errno ||
		    strspn(optarg, "0123456789") != strlen(optarg)) {
			cli_usage_error(cmd, usage,
					"--min-calls %s: not a number of calls",
					optarg);
			goto out;
		}
	}
	if (optind >= argc) {
		cli_usage_error(cmd, usage, "no report file given");
		goto out;
	}
	if (!sum || !rules) {
		fprintf(stderr, "%s: out of memory\n", cmd);
		rc = 125;
		goto out;
	}
	for (i = optind; i < argc; i++)
		if (rp_load(&rep, argv[i], 0, why, sizeof(why))) {
			fprintf(stderr, "syslet policy suggest: %s: %s\n",
				cli_safe(argv[i]), why);
			goto out;
		}
	rp_sum(&rep, sum);
	sp_policy_default(&p);
	n = suggest(sum, min, rules, &p);

	mem = open_memstream(&text, &len);
	if (!mem)
		goto out;
	print(mem, &p, rules, n, argv + optind, argc - optind);
	fclose(mem);
	sp_policy_default(&back);
	if (sp_parse(&back, text, len, "(suggested)", bad_output, 0) ||
	    memcmp(back.route, p.route, sizeof(p.route)) ||
	    memcmp(back.value, p.value, sizeof(p.value)))
		goto out;
	fwrite(text, 1, len, stdout);
	rc = fflush(stdout) ? 1 : 0;
out:
	free(text);
	free(sum);
	free(rules);
	rp_free(&rep);
	return rc;
}
