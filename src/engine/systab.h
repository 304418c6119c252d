/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system call table: for every x86-64 system call number, its name,
 * where it may run (identity class) and how to attempt it without blocking.
 * Written once, as data; the engine, the preload shim, the seccomp layer and
 * the policy tools all read it.
 */
#ifndef SL_SYSTAB_H
#define SL_SYSTAB_H

#include <stdbool.h>
#include <stdint.h>

/* How the submitter tries a call without blocking (struct sl_sysent.nb). */
enum sl_nb {
	/*
	 * Unassigned number: the entry is empty (name NULL).  Must stay 0 so
	 * that gaps in the designated-initialiser table read as unassigned.
	 */
	SL_NB_UNUSED = 0,
	/* Does not block, or only briefly: run on the submitter. */
	SL_NB_INLINE,
	/* May block for long, no non-blocking form: hand to a helper. */
	SL_NB_BLOCKS,
	/* read family: retry as preadv2(..., RWF_NOWAIT) */
	SL_NB_READ,
	/* write family: retry as pwritev2(..., RWF_NOWAIT) */
	SL_NB_WRITE,
	/* socket message calls: add MSG_DONTWAIT to argument .flagarg */
	SL_NB_MSG,
	/* accept family: probe the descriptor (arg 0) for POLLIN first */
	SL_NB_POLLIN,
	/* open family: path lookup with RESOLVE_CACHED first */
	SL_NB_OPEN,
	/* fcntl: only the waiting lock commands block */
	SL_NB_FCNTL,
};

struct sl_sysent {
	const char *name;  /* NULL: number not assigned */
	uint8_t cls;	   /* SYSLET_CLASS_* */
	uint8_t nb;	   /* enum sl_nb */
	uint8_t nargs;	   /* arguments the call takes, 0..6 */
	uint8_t flagarg;   /* SL_NB_MSG: index of the flags argument */
};

/* One past the highest number in the table. */
#define SL_SYSTAB_MAX 470

extern const struct sl_sysent sl_systab[SL_SYSTAB_MAX];

/* NULL for numbers out of range or unassigned. */
/*
 * Calls whose only work is the wait itself (poll family, sleeps, wait4):
 * a helper cannot make their caller wait less, it only adds a hand-off
 * (policy suggest keeps them inline; the backstop lets one that would
 * block wait natively, where signals and stops act on it as usual).
 */
bool sl_pure_wait(int nr);

static inline const struct sl_sysent *sl_sys(long nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX || !sl_systab[nr].name)
		return 0;
	return &sl_systab[nr];
}

#endif
