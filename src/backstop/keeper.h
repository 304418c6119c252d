/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The keeper (doc/backstop.md): a small process, outside the filter, that
 * holds the process tree's listener fd for as long as any process uses the
 * filter.  Without it, a process that execs (closing its close-on-exec
 * listener) or outlives every listener would get ENOSYS from every trapped
 * call.  It answers CONTINUE to what no listener has taken for a while,
 * and lends the fd (pidfd_getfd(2)) to the shim of an exec'ed image.
 * Prefix ss_.
 */
#ifndef SS_KEEPER_H
#define SS_KEEPER_H

#include <sys/types.h>

/*
 * Start the keeper; call before loading the filter (it must not inherit
 * it).  Returns a socket to hand it the listener with ss_keeper_give(),
 * and its pid in *@pid; or -errno.
 */
int ss_keeper_start(pid_t *pid);
/* Give the keeper the listener @lfd and the board's memfd @bfd (-1: none,
 * it exits), and close @sock.  Returns 0 with the numbers the keeper holds
 * them under in @at, or -errno. */
int ss_keeper_give(int sock, int lfd, int bfd, int at[2]);
/* Borrow the listener from keeper @pid, where it is fd @fd.  Returns a
 * new close-on-exec fd, or -errno. */
int ss_keeper_take(pid_t pid, int fd);

#endif
