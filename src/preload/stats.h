/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-process call statistics for 'syslet run --report' (stats.c), kept
 * in a file of src/report/layout.h's layout.  Off unless the launcher set
 * SYSLET_REPORT_DIR: then every counted call costs the one branch on
 * shim_stats_on.
 */
#ifndef SHIM_STATS_H
#define SHIM_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "../report/layout.h"

extern bool shim_stats_on;

void shim_stats_init(void);
/* Whether this process's caught calls run on its own listener (enum
 * sr_backstop, and the errno if not), for this and later stats files. */
void shim_stats_backstop(int state, int err);
uint64_t shim_stats_now(void);
/* One call made by @route (enum sr_route), started at @t0, returning @ret
 * (-errno, or the C library's -1: only positive results move bytes). */
void shim_stats_count(int nr, int route, uint64_t t0, long ret);
/* shim_run() with the call counted (run.c sends it here when on). */
long shim_stats_run(int nr, long *args, bool restart);

/* sites.c: the unwinder, found at load time (@mode: SYSLET_STACKS, "full"
 * or "check" for the cache of stacks, or NULL); one call's stack into
 * @f's table of sites, made by the thread of slot @slot, @loop if that
 * thread runs an event loop. */
void shim_sites_init(const char *mode);
void shim_sites_record(struct sr_file *f, unsigned int slot, int nr,
		       bool blocked, uint64_t ns, bool loop);
/* maps.c: @f's table of executable mappings, refreshed from
 * /proc/self/maps, or only if one of @pc[@n] is not covered. */
void shim_maps_refresh(struct sr_file *f);
void shim_maps_cover(struct sr_file *f, const uint64_t *pc, unsigned int n);

/* The C library's own call @call for system call @nr, counted as native
 * when statistics are on. */
#define SHIM_CALL_NATIVE(nr, call)                                             \
	({                                                                     \
		__typeof__(call) r__;                                          \
		if (__builtin_expect(shim_stats_on, 0)) {                      \
			uint64_t t__ = shim_stats_now();                       \
			r__ = (call);                                          \
			shim_stats_count((nr), SR_NATIVE, t__, (long)r__);     \
		} else {                                                       \
			r__ = (call);                                          \
		}                                                              \
		r__;                                                           \
	})

#endif
