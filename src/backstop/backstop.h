/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp backstop (doc/backstop.md), as the layer that starts it sees
 * it: the preload shim includes this header and no other of src/backstop/.
 * A seccomp filter catches the calls the C library makes where the shim's
 * wrappers cannot see them (its internal calls, syscall(), raw system call
 * instructions); a listener thread makes each one on its caller's behalf,
 * without blocking or on an engine helper, and replies.  Prefix ss_.
 *
 * Inside: setup.c (keeper, board, filter, listener: in that order),
 * filter.c, listener.c (receives and answers; watch.c for its waiting
 * callers' signals), keeper.c and board.c (the listener's descriptor kept
 * across exec), restart.c (signals and the calls they interrupt).
 */
#ifndef SS_BACKSTOP_H
#define SS_BACKSTOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct syslet_ctx;

/* What the backstop needs of the layer that starts it. */
struct ss_listener_ops {
	/* The engine context for helpers; NULL: calls that would block run
	 * natively on their caller. */
	struct syslet_ctx *(*ctx)(void);
	/* Statistics: a trapped call started at @t0 (ns) returned @ret. */
	void (*count)(int nr, uint64_t t0, long ret);
	uint64_t (*now)(void);
	/* Counting off (true) and on again around libseccomp's own calls,
	 * which are not the program's. */
	void (*quiet)(bool on);
};

/*
 * Catch calls @trap[0..@n) in this process and the processes it starts,
 * and answer them here.  The first process of a tree starts the keeper,
 * loads the filter and starts its listener; an exec'ed image borrows the
 * tree's listener from the keeper ($SYSLET_BACKSTOP).  Returns 0, or
 * -errno after one line on stderr: the program then runs with the preload
 * layer alone.  Call it once, after the engine's fork handlers exist.
 */
int ss_backstop_start(const int *trap, size_t n,
		      const struct ss_listener_ops *ops);

/* Is @nr caught (ss_backstop_start()'s list)?  False before it ran. */
bool ss_backstop_traps(int nr);

/*
 * Signals (restart.c).  While the filter is in force (ss_restart_forced)
 * the program's handlers are installed with SA_RESTART, and its signal
 * trampoline calls ss_restart_settle() with the handler's context before
 * the handler: that gives an interrupted call the answer the program's
 * own flags (@sa_restart) ask for.
 */
extern bool ss_restart_forced;
void ss_restart_settle(void *uc, bool sa_restart);

/* pthread_cancel() of thread @tid: its trapped call is stopped (a result
 * that came first is kept for the call's restart). */
void ss_listener_cancel(pid_t tid);

#endif
