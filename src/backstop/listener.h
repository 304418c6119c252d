/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The backstop's listener (doc/backstop.md): a thread of the process that
 * receives the filter's notifications, makes each call of its own process
 * on the caller's behalf (a non-blocking try on the listener, else an
 * engine helper) and replies; a call of another process runs natively
 * there.  Prefix ss_.
 */
#ifndef SS_LISTENER_H
#define SS_LISTENER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "backstop.h"

struct ss_board;

/*
 * Start the listener thread on the notify fd @fd (which this module then
 * owns), telling the keeper on board @b (may be NULL) when it waits.
 * Returns 0 or -errno.  After fork(), call ss_listener_child() in the child instead: it starts a listener there on the inherited fd.
 */
int ss_listener_start(int fd, struct ss_board *b,
		      const struct ss_listener_ops *ops);
int ss_listener_child(void);
/*
 * Before the filter is loaded: start the thread now, to wait for
 * ss_listener_start() (or ss_listener_unstart(): it ends).  A thread made
 * before the filter is not under it, so the listener's own calls are never
 * caught, not even those glibc makes on every thread (its setuid()
 * broadcast), which the filter catches for everyone else (ident.h).  The
 * helpers' spawner and the signal watcher are started with it, and so
 * are never under the filter either.
 */
int ss_listener_prestart(const struct ss_listener_ops *ops);
void ss_listener_unstart(void);
/* The fd in use, or -1. */
int ss_listener_fd(void);

/*
 * In a signal handler of the calling thread, at a restart of call @nr:
 * did a listener (this process's, or another's in the tree) or the
 * keeper let this thread make that call itself?  Then the restart may be
 * the kernel's, after a native wait (restart.c).  Takes the
 * mark; the listener drops it too at the thread's next caught call.
 */
bool ss_listener_continued(int nr);

#endif
