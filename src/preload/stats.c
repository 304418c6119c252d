// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Counting one call into this process's stats file (stats_file.c makes
 * it).  Per-thread slots, so no lock and no shared cache line on the way:
 * relaxed atomic adds, which the shared overflow slot needs and which a
 * signal handler's call on the same thread cannot tear.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

_Static_assert(SL_SYSTAB_MAX <= SR_NR_MAX, "every call has an entry");

bool shim_stats_on;
extern struct sr_file *shim_stats_map;
extern unsigned int shim_stats_gen;
extern uint64_t shim_stats_block_ns;

static __thread struct sr_slot *my_slot;
static __thread unsigned int my_gen;
/* Calls since this thread's last sample (sites.c), and whether it has made
 * an event loop's wait (layout.h, sr_is_wait()). */
static __thread unsigned int my_unsampled;
static __thread bool my_loop;
/* When this thread last read its name (name_self()): a system call, so
 * at its claim and then at most once in 10 ms, on any counted call (some
 * 100 a second at most, where nginx's workers make 60,000 counted calls a
 * second each).  The name kept is the one it had at a counted call no
 * more than 10 ms before its last. */
static __thread uint64_t my_name_ns;
#define NAME_NS 10000000u
/*
 * The call this thread is about to make natively though its try said it
 * would block (a pure wait kept on the caller, SL_CALL_NATIVE_WAIT): the
 * wrapper's count of it (SHIM_CALL_NATIVE) takes it as blocked.  By
 * number, so that a signal handler's call in between cannot take it.
 */
static __thread int wait_nr = -1;

/* The calls whose positive result is a byte count. */
static const bool moves_bytes[SR_NR_MAX] = {
	[SYS_read] = 1,	    [SYS_write] = 1,	[SYS_pread64] = 1,
	[SYS_pwrite64] = 1, [SYS_readv] = 1,	[SYS_writev] = 1,
	[SYS_preadv] = 1,   [SYS_pwritev] = 1,	[SYS_preadv2] = 1,
	[SYS_pwritev2] = 1, [SYS_sendfile] = 1, [SYS_copy_file_range] = 1,
	[SYS_splice] = 1,   [SYS_tee] = 1,	[SYS_recvfrom] = 1,
	[SYS_sendto] = 1,   [SYS_recvmsg] = 1,	[SYS_sendmsg] = 1,
};

uint64_t shim_stats_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no errno on success */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The thread's name into its own slot (the shared one has none). */
static void name_self(struct sr_file *f, struct sr_slot *s)
{
	char name[16] = "";

	if (s == &f->slot[SR_SLOTS - 1])
		return;
	sl_sys2(SYS_prctl, PR_GET_NAME, name);
	name[15] = 0;
	__builtin_memcpy(s->name, name, sizeof(name));
}

/* This thread's slot, claimed by a call that started at @t0. */
static struct sr_slot *slot_self(struct sr_file *f, uint64_t t0)
{
	unsigned int gen = __atomic_load_n(&shim_stats_gen, __ATOMIC_RELAXED);
	uint32_t n;

	if (sl_likely(my_slot && my_gen == gen))
		return my_slot;
	n = __atomic_fetch_add(&f->h.slots_used, 1, __ATOMIC_RELAXED);
	if (n < SR_SLOTS - 1) {
		f->slot[n].tid = (uint64_t)sl_sys0(SYS_gettid);
		f->slot[n].first_ns = t0; /* its wall time has that call */
	} else
		n = SR_SLOTS - 1; /* shared by every later thread */
	my_slot = &f->slot[n];
	my_gen = gen;
	my_unsampled = 0;
	my_loop = false;
	name_self(f, my_slot);
	my_name_ns = t0;
	return my_slot;
}

static inline void add(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static void count(int nr, int route, bool blocked, uint64_t t0, long ret)
{
	struct sr_file *f = shim_stats_map;
	uint64_t t1 = shim_stats_now(), ns = t1 - t0;
	struct sr_entry *e;
	struct sr_slot *s;
	bool wait;

	if (!f || nr < 0 || nr >= SR_NR_MAX || !shim_stats_on ||
	    !shim_traced(nr))
		return;
	/* The backstop's listener counts it, as trapped. */
	if (route == SR_NATIVE && shim_backstop_on && shim_policy_traps(nr))
		return;
	s = slot_self(f, t0);
	e = &s->e[nr];
	add(&e->calls, 1);
	add(&e->routes[route], 1);
	add(&e->hist[sr_bucket(ns)], 1);
	blocked = blocked || route == SR_HELPER || ns > shim_stats_block_ns;
	if (blocked) {
		add(&e->would_block, 1);
		add(&e->blocked_ns, ns);
	}
	if (ret > 0 && moves_bytes[nr])
		add(&e->bytes, (uint64_t)ret);
	__atomic_store_n(&s->last_ns, t1, __ATOMIC_RELAXED);
	if (sl_unlikely(t1 - my_name_ns >= NAME_NS)) {
		name_self(f, s); /* a name set since */
		my_name_ns = t1;
	}
	/* Sites: calls that blocked, and a sample of the rest.  Not the
	 * waits of an event loop (idle, counted per thread), nor trapped
	 * calls (counted on the listener, whose stack is its own). */
	wait = sr_is_wait((unsigned int)nr);
	my_loop |= wait;
	if (wait || route == SR_TRAPPED)
		return;
	if (!blocked && my_unsampled++ % SR_SAMPLE)
		return;
	shim_sites_record(f, (unsigned int)(s - f->slot), nr, blocked, ns,
			  my_loop);
}

void shim_stats_count(int nr, int route, uint64_t t0, long ret)
{
	bool blocked = false;

	/* Routed by the shim, made by the C library on this thread. */
	if (route == SR_NATIVE && wait_nr == nr) {
		wait_nr = -1;
		route = SR_INLINE;
		blocked = true;
	}
	count(nr, route, blocked, t0, ret);
}

long shim_stats_run(int nr, long *args, bool restart)
{
	uint64_t t0 = shim_stats_now();
	uint8_t outcome = SL_CALL_NATIVE;
	long r = shim_route(nr, args, restart, &outcome);

	/* A native answer is counted by the wrapper, around the C library's
	 * own call (SHIM_CALL_NATIVE). */
	if (r == SHIM_NATIVE) {
		wait_nr = outcome == SL_CALL_NATIVE_WAIT ? nr : -1;
		return r;
	}
	count(nr, outcome == SL_CALL_HELPER ? SR_HELPER : SR_INLINE,
	      outcome == SL_CALL_HERE, t0, r);
	return r;
}
