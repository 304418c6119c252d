/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The benchmark programs' number options: the whole number @s of option
 * @opt, from @lo to @hi, or a line "PROG: OPT: expected ..." and exit 1.
 * Each program defines BENCH_PROG, its name, before including this.
 */
#ifndef BENCH_NUM_ARG_H
#define BENCH_NUM_ARG_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static inline long num_arg(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: %s: expected a number from %ld to %ld\n",
			BENCH_PROG, opt, lo, hi);
		exit(1);
	}
	return v;
}

#endif
