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
#define SR_VERSION 2
#define SR_NR_MAX 512 /* x86-64 system call numbers index the entries */
#define SR_SLOTS 16
#define SR_HIST 40 /* log2 ns buckets: i counts [2^i, 2^(i+1)), 0 has 0 */
#define SR_NAME_MAX 256
#define SR_FRAMES 16  /* return addresses kept per call site */
#define SR_SITES 1024 /* call sites per process image */
#define SR_MAPS 1024  /* executable file mappings, to symbolise with */
#define SR_MAP_PATH 232
#define SR_SAMPLE 64 /* one in this many calls not blocked is a sample */

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
	uint64_t tid;	   /* the claiming thread; 0 for the shared slot */
	uint64_t last_ns;  /* CLOCK_MONOTONIC of its last counted call */
	char name[16];	   /* its name (PR_GET_NAME), re-read <= every 10 ms */
	uint64_t first_ns; /* CLOCK_MONOTONIC when it claimed the slot */
	uint64_t pad[3];   /* entries start on their own cache line */
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
	uint32_t frames, sites, maps, sample; /* geometry, checked */
	uint32_t maps_used;		      /* entries of map[] published */
	uint32_t maps_busy;		      /* a thread is adding to map[] */
	uint64_t sites_lost; /* stacks not kept: the table was full */
	uint64_t pad[7];
};

/*
 * A call site: the system call and the return addresses that led to it,
 * innermost first, the shim's own frames left out.  Recorded for every
 * call that would block and for one in SR_SAMPLE of the others (per
 * thread, its first call included), so a site's counts are of the calls
 * recorded there, not of every call.  Open addressing on @key; the
 * claimer writes nr and pc[] and then sets @ready (release).
 */
struct sr_site {
	uint64_t key;		  /* hash of nr and pc[]; 0: free */
	uint32_t nr, nframes;	  /* nframes <= SR_FRAMES */
	uint32_t ready;		  /* nr, nframes and pc[] are written */
	uint32_t slots;		  /* bit s: slot[s]'s thread(s) made it */
	uint64_t calls;		  /* calls recorded here */
	uint64_t would_block;	  /* of those, counted in would_block */
	uint64_t blocked_ns;	  /* their time */
	uint64_t loop_blocked_ns; /* of it, on a thread that had made a
				     poll/epoll/select wait (an event loop) */
	uint64_t pad;
	uint64_t pc[SR_FRAMES];
};

/* An executable mapping of a file, to turn addresses into symbols after
 * the process is gone.  Appended, never changed once published. */
struct sr_map {
	uint64_t start, end, offset; /* as /proc/PID/maps has them */
	char path[SR_MAP_PATH];	     /* cut to fit: then not used */
};

struct sr_file {
	struct sr_header h;
	struct sr_slot slot[SR_SLOTS];
	struct sr_site site[SR_SITES];
	struct sr_map map[SR_MAPS];
};

_Static_assert(sizeof(struct sr_header) % 64 == 0, "header: cache lines");
_Static_assert(sizeof(struct sr_slot) % 64 == 0, "slots: cache lines");
_Static_assert(sizeof(struct sr_site) % 64 == 0, "sites: cache lines");
_Static_assert(sizeof(struct sr_map) == 256, "maps: fixed size");

/* The waits of an event loop: their time on a thread is idle time, not
 * time a conversion to asynchronous calls could win back. */
static inline int sr_is_wait(unsigned int nr)
{
	/* x86-64: poll 7, select 23, epoll_wait 232, pselect6 270,
	 * ppoll 271, epoll_pwait 281, epoll_pwait2 441 */
	return nr == 7 || nr == 23 || nr == 232 || nr == 270 || nr == 271 ||
	       nr == 281 || nr == 441;
}

/* Bucket of a latency: floor(log2(ns)), 0 for 0, capped at the last. */
static inline unsigned int sr_bucket(uint64_t ns)
{
	unsigned int b = ns ? 63 - (unsigned int)__builtin_clzll(ns) : 0;

	return b < SR_HIST ? b : SR_HIST - 1;
}

#endif
