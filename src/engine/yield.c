// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Yielding to a helper, only where it pays.
 *
 * A waiter (a caller for its helper, an idle helper for work) gives its
 * CPU away a few times before it sleeps: when the other side is the next
 * thread to run on that CPU, a hand-off then costs two yields instead of
 * a futex wake and wait.  When anything else is runnable there (another
 * process, the program's other threads), a yield hands it a whole time
 * slice, a millisecond or more, and a futex wake would have been three
 * orders of magnitude quicker (scripts/bench --contend).
 *
 * So each yield is timed.  One that comes back late shows the CPU busy:
 * yields stop on that CPU for a while, and then one is tried again; each
 * further late one doubles the pause, up to a second, so a machine that
 * stays busy pays one slice a second, and one that becomes quiet again
 * gets its yields back within that second.  A quick yield resets the
 * pause.  A late one counts even when the work is done by then: with both
 * sides yielding, each finds the other's step done, but only after
 * someone else's slice (perf sched: caller and helper both switched out
 * runnable, a 1-3 ms slice of a CPU hog between every two steps); and a
 * helper whose call kept this CPU that long makes a futex wake's few
 * microseconds cheap anyway.  The state is per CPU and shared by the
 * process's threads; races between them only cost an extra or a missed
 * yield.
 */
#define _GNU_SOURCE
#include <sched.h>

#include "internal.h"

#define SLOW_NS 50000 /* a yield that took longer ran someone else */
#define PAUSE_MIN_NS 10000000
#define PAUSE_MAX_NS 1000000000
#define NCPU 64 /* CPUs beyond share entries: a cost, not an error */

static struct {
	int64_t off_until; /* no yields on this CPU before */
	int64_t pause;	   /* the next pause, 0: PAUSE_MIN_NS */
} __attribute__((aligned(64))) cpus[NCPU];

bool sl_yield(void)
{
	int cpu = sched_getcpu();
	int64_t t0, took, pause;
	unsigned int i;

	i = cpu < 0 ? 0 : (unsigned int)cpu % NCPU;
	t0 = sl_now_ns();
	if (t0 < __atomic_load_n(&cpus[i].off_until, __ATOMIC_RELAXED))
		return false;
	sched_yield();
	took = sl_now_ns() - t0;
	pause = __atomic_load_n(&cpus[i].pause, __ATOMIC_RELAXED);
	if (took < SLOW_NS) {
		if (pause) /* written only when it changes: no shared line */
			__atomic_store_n(&cpus[i].pause, 0, __ATOMIC_RELAXED);
		return true;
	}
	if (!pause)
		pause = PAUSE_MIN_NS;
	__atomic_store_n(&cpus[i].off_until, t0 + took + pause,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&cpus[i].pause,
			 pause * 2 > PAUSE_MAX_NS ? PAUSE_MAX_NS : pause * 2,
			 __ATOMIC_RELAXED);
	return false;
}
