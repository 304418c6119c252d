// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system calls that change a thread's identity as ident.h means it,
 * and what each does to it: one table, read by the preload layer's
 * wrappers (sl_ident_after()), by the backstop's filter (which catches
 * them when made by raw instruction) and by its listener.
 * doc/identity.md lays the attributes out.
 */
#define _GNU_SOURCE
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/syscall.h>

#include "engine.h"

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

/* unshare(2) flags that give the thread something of its own. */
#define UNSHARE_PINS                                                           \
	(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWNS | CLONE_NEWUTS | \
	 CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP |        \
	 CLONE_NEWUSER | CLONE_NEWTIME)

/*
 * CRED: a credential call; the kernel's acts on its caller alone, and the
 * C library repeats its wrapper on every thread (thread_only).
 */
#define CRED(nr)                                                               \
	{                                                                      \
		SYS_##nr, SL_IDENT_ARG_ANY, SL_IDENT_CHANGES, true, 0          \
	}
#define CH(nr)                                                                 \
	{                                                                      \
		SYS_##nr, SL_IDENT_ARG_ANY, SL_IDENT_CHANGES, false, 0         \
	}
#define PIN(nr)                                                                \
	{                                                                      \
		SYS_##nr, SL_IDENT_ARG_ANY, SL_IDENT_PINS, false, 0            \
	}
#define PRCTL(opt, eff)                                                        \
	{                                                                      \
		SYS_prctl, SL_IDENT_ARG_EQ, eff, false, opt                    \
	}

const struct sl_ident_rule sl_ident_rules[] = {
	/* Taken by helpers (ident.c): credentials, CPU and I/O priority. */
	CRED(setuid),
	CRED(setgid),
	CRED(setreuid),
	CRED(setregid),
	CRED(setresuid),
	CRED(setresgid),
	CRED(setfsuid),
	CRED(setfsgid),
	CRED(setgroups),
	CRED(capset),
	CH(setpriority),
	CH(ioprio_set),
	PRCTL(PR_SET_KEEPCAPS, SL_IDENT_CHANGES),
	PRCTL(PR_SET_SECUREBITS, SL_IDENT_CHANGES),
	PRCTL(PR_CAPBSET_DROP, SL_IDENT_CHANGES),
	PRCTL(PR_CAP_AMBIENT, SL_IDENT_CHANGES),
	/* The thread's own, which no helper can share: it keeps its calls. */
	PIN(setns),
	PIN(landlock_restrict_self),
	{ SYS_unshare, SL_IDENT_ARG_BITS, SL_IDENT_PINS, false, UNSHARE_PINS },
	/* 0xffffffff only asks. */
	{ SYS_personality, SL_IDENT_ARG_NE, SL_IDENT_PINS, false, 0xffffffff },
	{ SYS_seccomp, SL_IDENT_ARG_EQ, SL_IDENT_PINS, false,
	  SECCOMP_SET_MODE_STRICT },
	{ SYS_seccomp, SL_IDENT_ARG_EQ, SL_IDENT_PINS, false,
	  SECCOMP_SET_MODE_FILTER },
	PRCTL(PR_SET_SECCOMP, SL_IDENT_PINS),
	PRCTL(PR_SET_TIMERSLACK, SL_IDENT_PINS),       /* how late sleeps end */
	PRCTL(PR_SET_IO_FLUSHER, SL_IDENT_PINS),       /* I/O without reclaim */
	PRCTL(PR_SET_SPECULATION_CTRL, SL_IDENT_PINS), /* its mitigations */
	PRCTL(PR_SET_SYSCALL_USER_DISPATCH, SL_IDENT_PINS),
};
const unsigned int sl_ident_nrules =
	sizeof(sl_ident_rules) / sizeof(sl_ident_rules[0]);

static bool matches(const struct sl_ident_rule *r, long arg0)
{
	switch (r->arg) {
	case SL_IDENT_ARG_EQ:
		return (unsigned long)arg0 == r->v;
	case SL_IDENT_ARG_NE:
		return (unsigned int)arg0 != (unsigned int)r->v;
	case SL_IDENT_ARG_BITS:
		return ((unsigned long)arg0 & r->v) != 0;
	default:
		return true;
	}
}

/* The rule @nr(@args) matches, or NULL. */
static const struct sl_ident_rule *rule_of(long nr, const long *args)
{
	unsigned int i;

	for (i = 0; i < sl_ident_nrules; i++)
		if (sl_ident_rules[i].nr == nr &&
		    matches(&sl_ident_rules[i], args[0]))
			return &sl_ident_rules[i];
	return 0;
}

enum sl_ident_effect sl_ident_effect(long nr, const long *args)
{
	const struct sl_ident_rule *r = rule_of(nr, args);

	return r ? r->effect : SL_IDENT_NONE;
}

void sl_ident_after(long nr, const long *args, bool raw)
{
	const struct sl_ident_rule *r = rule_of(nr, args);

	switch (r ? r->effect : SL_IDENT_NONE) {
	case SL_IDENT_CHANGES:
		if (raw && r->thread_only)
			sl_ident_changed_self();
		else
			sl_ident_changed();
		break;
	case SL_IDENT_PINS:
		sl_ident_pin_self();
		break;
	default:
		break;
	}
}
