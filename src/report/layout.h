/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-process stats file: written by the preload shim (src/preload/
 * stats.c) through a MAP_SHARED mapping, read by 'syslet run --report'
 * (src/report/).  A file, not a destructor, so that processes that
 * end by a signal or _exit() still leave their counts behind.
 *
 * Fixed size, no pointers, little-endian x86-64 only.  A reader checks
 * magic, version and the geometry fields before trusting anything else;
 * any change of layout bumps SR_VERSION.  The writer stores magic last
 * (release), so a file whose magic is not yet there is skipped.
 *
 * Counters are updated with relaxed atomic adds in per-thread slots: the
 * first SR_SLOTS - 1 threads that make a counted call claim one each, the
 * rest share the last.  A reader sums the slots.
 */
#ifndef SR_LAYOUT_H
#define SR_LAYOUT_H

#include <stdint.h>

#define SR_MAGIC 0x3154415453534c53ull /* "SLSSTAT1" */
#define SR_VERSION 1
#define SR_NR_MAX 512 /* x86-64 system call numbers index the entries */
#define SR_SLOTS 16
#define SR_HIST 40 /* log2 ns buckets: i counts [2^i, 2^(i+1)), 0 has 0 */
#define SR_NAME_MAX 256

/* How a call was made: indexes sr_entry.routes[]. */
enum sr_route {
	SR_INLINE,  /* done on the caller by the non-blocking try */
	SR_HELPER,  /* done on a helper thread */
	SR_NATIVE,  /* the C library's own call */
	SR_TRAPPED, /* caught by the seccomp backstop's filter, made by its
		       listener (src/backstop/listener.c) */
	SR_ROUTES
};

/*
 * Whether this process's caught calls ran on its own listener.  A process
 * that cannot borrow the tree's listener (it changed its identity before
 * exec, so the kernel refuses it the keeper's fd) runs them natively.
 */
enum sr_backstop {
	SR_BS_NONE, /* the policy did not ask for the backstop */
	SR_BS_ON,   /* caught calls run on this process's listener */
	SR_BS_OFF,  /* asked for, not here: caught calls ran natively */
};

struct sr_entry {
	uint64_t calls;
	uint64_t routes[SR_ROUTES];
	uint64_t would_block; /* went to a helper, or took > block_ns */
	uint64_t blocked_ns;  /* time of the calls counted in would_block */
	uint64_t bytes;	      /* read/write family, positive results */
	uint64_t hist[SR_HIST];
};

struct sr_slot {
	uint64_t tid;	  /* the claiming thread; 0 for the shared slot */
	uint64_t last_ns; /* CLOCK_MONOTONIC of its last counted call */
	uint64_t pad[6];  /* entries start on their own cache line */
	struct sr_entry e[SR_NR_MAX];
};

struct sr_header {
	uint64_t magic;
	uint32_t version;
	uint32_t header_size;			  /* sizeof(struct sr_header) */
	uint32_t nr_max, slots, hist, entry_size; /* geometry, checked */
	int32_t pid, ppid;
	uint64_t proc_start;	/* /proc/PID/stat starttime: pid + this names
				 the process across its exec()s */
	uint64_t start_ns;	/* CLOCK_MONOTONIC when this file was made */
	uint64_t start_real_ns; /* CLOCK_REALTIME, the same moment */
	uint64_t block_ns;	/* the would-block threshold in force */
	uint32_t slots_used;	/* claim counter; may exceed SR_SLOTS */
	uint32_t seq;		/* n-th file of this pid in the directory */
	char comm[16];
	char argv0[SR_NAME_MAX];
	int32_t backstop;     /* enum sr_backstop */
	int32_t backstop_err; /* SR_BS_OFF: the errno that says why */
	uint64_t pad[11];
};

struct sr_file {
	struct sr_header h;
	struct sr_slot slot[SR_SLOTS];
};

_Static_assert(sizeof(struct sr_header) % 64 == 0, "header: cache lines");
_Static_assert(sizeof(struct sr_slot) % 64 == 0, "slots: cache lines");

/* Bucket of a latency: floor(log2(ns)), 0 for 0, capped at the last. */
static inline unsigned int sr_bucket(uint64_t ns)
{
	unsigned int b = ns ? 63 - (unsigned int)__builtin_clzll(ns) : 0;

	return b < SR_HIST ? b : SR_HIST - 1;
}

#endif
