// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system calls that change a thread's identity as ident.h means it,
 * and what each does to it: a table, as doc/identity.md lays it out.
 */
#define _GNU_SOURCE
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/syscall.h>

#include "ident.h"

#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef PR_SET_IO_FLUSHER
#define PR_SET_IO_FLUSHER 57
#endif
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Taken by helpers (ident.c): credentials and I/O and CPU priority. */
static const long changes[] = {
	SYS_setuid,   SYS_setgid,    SYS_setreuid,  SYS_setregid,
	SYS_setresuid, SYS_setresgid, SYS_setfsuid, SYS_setfsgid,
	SYS_setgroups, SYS_capset,    SYS_setpriority, SYS_ioprio_set,
};

/* Attributes of the thread's own that no helper can take. */
static const long pins[] = {
	SYS_setns,
	SYS_landlock_restrict_self, /* a Landlock domain of its own */
};

/* prctl(2) options, by what they change. */
static const long prctl_changes[] = {
	PR_SET_KEEPCAPS, PR_SET_SECUREBITS, PR_CAPBSET_DROP, PR_CAP_AMBIENT,
};
static const long prctl_pins[] = {
	PR_SET_SECCOMP,		     /* a filter of its own */
	PR_SET_TIMERSLACK,	     /* how late its sleeps may end */
	PR_SET_IO_FLUSHER,	     /* its I/O may not wait for reclaim */
	PR_SET_SPECULATION_CTRL,     /* its mitigations */
	PR_SET_SYSCALL_USER_DISPATCH, /* where its calls go */
};

/* unshare(2) flags that give the thread something of its own. */
#define UNSHARE_PINS                                                       \
	(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWNS |            \
	 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID |       \
	 CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME)

static bool in(long v, const long *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

#define IN(v, list) in((v), (list), sizeof(list) / sizeof((list)[0]))

enum sl_ident_effect sl_ident_effect(long nr, const long *args)
{
	if (IN(nr, changes))
		return SL_IDENT_CHANGES;
	if (IN(nr, pins))
		return SL_IDENT_PINS;
	switch (nr) {
	case SYS_prctl:
		if (IN(args[0], prctl_changes))
			return SL_IDENT_CHANGES;
		return IN(args[0], prctl_pins) ? SL_IDENT_PINS : SL_IDENT_NONE;
	case SYS_unshare:
		return args[0] & UNSHARE_PINS ? SL_IDENT_PINS : SL_IDENT_NONE;
	case SYS_personality: /* 0xffffffff only asks */
		return (unsigned int)args[0] == 0xffffffffu ? SL_IDENT_NONE
							   : SL_IDENT_PINS;
	case SYS_seccomp:
		return args[0] == SECCOMP_SET_MODE_STRICT ||
				       args[0] == SECCOMP_SET_MODE_FILTER
			       ? SL_IDENT_PINS
			       : SL_IDENT_NONE;
	default:
		return SL_IDENT_NONE;
	}
}

void sl_ident_after(long nr, const long *args)
{
	switch (sl_ident_effect(nr, args)) {
	case SL_IDENT_CHANGES:
		sl_ident_changed();
		break;
	case SL_IDENT_PINS:
		sl_ident_pin_self();
		break;
	default:
		break;
	}
}
