/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The backstop's filter (doc/backstop.md): built with libseccomp from a
 * trap set, then patched so that a call made from one of a few known
 * instructions (the gates, through which the shim makes calls for others)
 * is allowed, and loaded with raw seccomp(2) so that the listener is ours
 * alone (libseccomp 2.5 keeps one notify fd per process).  Prefix ss_.
 */
#ifndef SS_FILTER_H
#define SS_FILTER_H

#include <stddef.h>
#include <stdint.h>

#define SS_GATES_MAX 8

struct sock_filter;

struct ss_filter {
	struct sock_filter *insns;
	unsigned short len;
};

/*
 * Trap @ntrap system calls (x86-64 numbers) with SECCOMP_RET_USER_NOTIF,
 * except when made from one of @ngates gates: the address just after a
 * syscall instruction, which is what the kernel reports.  Returns 0 or
 * -EINVAL (bad number, too many gates, empty set), -ENOMEM, or another
 * -errno from libseccomp.
 */
int ss_filter_build(const int *trap, size_t ntrap, const uintptr_t *gates,
		    size_t ngates, struct ss_filter *out);
/*
 * The same, and also notify close(@guard), a close_range() that covers it
 * and dup2()/dup3() onto it: the listener keeps its descriptor @guard from
 * programs that close every descriptor (listener.c).
 */
int ss_filter_build_guarded(const int *trap, size_t ntrap, int guard,
			    const uintptr_t *gates, size_t ngates,
			    struct ss_filter *out);
/* The backstop's: guarded, and catching the calls that change a thread's
 * identity (src/engine/ident.h) whatever @trap says. */
int ss_filter_build_backstop(const int *trap, size_t ntrap, int guard,
			     const uintptr_t *gates, size_t ngates,
			     struct ss_filter *out);
void ss_filter_free(struct ss_filter *f);

/* ss_filter_load() flags */
#define SS_LOAD_NNP 0x1u	   /* set no_new_privs first */
#define SS_LOAD_WAIT_KILLABLE 0x2u /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */

/*
 * Load on the calling thread (and the threads it creates later).  Returns
 * the listener fd (close-on-exec), or -errno: -EBUSY when a filter with a
 * live listener is already in force, -EACCES without no_new_privs or
 * CAP_SYS_ADMIN, -EINVAL for a flag the kernel lacks.
 */
int ss_filter_load(const struct ss_filter *f, unsigned int flags);

/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6+): 0, or -EINVAL before 6.6. */
int ss_listener_sync_wakeup(int fd);

#endif
