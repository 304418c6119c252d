// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Chains: checking them before anything runs, reading an atom's arguments
 * when it runs, and choosing the atom after it.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef __WNOTHREAD
#define __WNOTHREAD 0x20000000
#endif

/*
 * Calls of class ANY that act on the calling thread when one argument says
 * so: a signal mask installed for the wait (on a helper it would be the
 * helper's mask), or a wait restricted to the caller's own children.  An
 * argument given by address is taken as set.  @mask 0 means "not NULL".
 */
static const struct {
	int nr;
	uint8_t arg;
	unsigned long mask;
} thread_args[] = {
	{ SYS_ppoll, 3, 0 },
	{ SYS_pselect6, 5, 0 },
	{ SYS_epoll_pwait, 4, 0 },
	{ SYS_epoll_pwait2, 4, 0 },
	{ SYS_io_pgetevents, 5, 0 },
	{ SYS_wait4, 2, __WNOTHREAD },
	{ SYS_waitid, 3, __WNOTHREAD },
};

/* @refs: the SYSLET_ARG_REF bits; an argument given by address counts. */
bool sl_thread_bound(int nr, const long *args, uint32_t refs)
{
	unsigned int i;

	for (i = 0; i < sizeof(thread_args) / sizeof(thread_args[0]); i++) {
		unsigned long v;

		if (thread_args[i].nr != nr)
			continue;
		if (refs & SYSLET_ARG_REF(thread_args[i].arg))
			return true;
		v = (unsigned long)args[thread_args[i].arg];
		return thread_args[i].mask ? (v & thread_args[i].mask) != 0
					   : v != 0;
	}
	return false;
}

static int check_atom(const struct syslet_atom *a, struct sl_walk *w)
{
	const struct sl_sysent *e;
	int i;

	if ((uintptr_t)a & 7)
		return -EINVAL;
	if (a->flags & ~SYSLET_ATOM_FLAGS_ALL)
		return -EINVAL;
	if ((a->flags & (SYSLET_ASYNC | SYSLET_SYNC)) ==
	    (SYSLET_ASYNC | SYSLET_SYNC))
		return -EINVAL;
	if ((uintptr_t)a->ret_ptr & 7)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		if ((a->flags & SYSLET_ARG_REF(i)) &&
		    (!a->args[i] || (a->args[i] & 7)))
			return -EINVAL;
	e = sl_sys(a->nr);
	if (!e)
		return -EINVAL;
	if (e->cls == SYSLET_CLASS_CALLER || (a->flags & SYSLET_SYNC) ||
	    (e->nb == SL_NB_BLOCKS &&
	     sl_thread_bound(a->nr, a->args, a->flags)))
		w->home = true;
	if (a->flags & SYSLET_ASYNC)
		w->async = true;
	if (e->cls == SYSLET_CLASS_EMULATED)
		w->emulated = true;
	return 0;
}

static bool seen(const struct syslet_atom *const *v, int n,
		 const struct syslet_atom *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == a)
			return true;
	return false;
}

#define SL_STOP_ANY                                                            \
	(SYSLET_STOP_ON_NONZERO | SYSLET_STOP_ON_ZERO |                        \
	 SYSLET_STOP_ON_NEGATIVE | SYSLET_STOP_ON_NON_POSITIVE)

/* atom + 1 is part of the chain only if the atom can stop and skip to it. */
static bool branches(const struct syslet_atom *a)
{
	return (a->flags & SYSLET_SKIP_TO_NEXT_ON_STOP) &&
	       (a->flags & SL_STOP_ANY);
}

/* How a walk names an atom's ways on: an index into visit[], or END. */
#define SL_END (-1)
#define SL_NONE (-2)

/*
 * Can every atom of the chain still reach an end, whatever its calls
 * return?  @nx[i] and @alt[i] are atom i's ways on: ->next (or SL_END),
 * and the stopped path (SL_END without SKIP_TO_NEXT_ON_STOP, atom + 1
 * with it, SL_NONE without a stop condition).  An atom from which no way
 * leads to an end would make its thread run for ever: the submitter, if
 * the chain never blocks, with no way to cancel it.
 */
static bool all_can_end(const int *nx, const int *alt, int n)
{
	bool ends[SYSLET_CHAIN_MAX] = { false }, more = true;
	int i, left = n;

	while (more && left) {
		more = false;
		for (i = 0; i < n; i++) {
			if (ends[i])
				continue;
			if (nx[i] == SL_END || alt[i] == SL_END ||
			    (nx[i] >= 0 && ends[nx[i]]) ||
			    (alt[i] >= 0 && ends[alt[i]])) {
				ends[i] = true;
				more = true;
				left--;
			}
		}
	}
	return !left;
}

static int index_of(const struct syslet_atom *const *v, int n,
		    const struct syslet_atom *a)
{
	int i;

	if (!a)
		return SL_END;
	for (i = 0; i < n; i++)
		if (v[i] == a)
			return i;
	return SL_NONE; /* not reached: every way on was visited */
}

/*
 * Visit every atom reachable from @head (through ->next, and through
 * atom + 1 where SKIP_TO_NEXT_ON_STOP makes that a branch), once each, so
 * that loops are allowed but bounded.  A loop must have a way out: a
 * chain with an atom from which no path, whatever the results, reaches an
 * end is refused with -ELOOP; a chain that never comes back to an atom
 * skips that test.  Out of line: its 8 KiB of arrays stay off the stack
 * of the common one-atom submit (the shim's, on a program's signal stack).
 */
static __attribute__((noinline)) int check_walk(const struct syslet_atom *head,
						struct sl_walk *w)
{
	const struct syslet_atom *visit[SYSLET_CHAIN_MAX];
	const struct syslet_atom *stack[2 * SYSLET_CHAIN_MAX];
	int nx[SYSLET_CHAIN_MAX], alt[SYSLET_CHAIN_MAX];
	int nvisit = 0, sp = 0, rc, i;
	bool rejoins = false;

	stack[sp++] = head;
	while (sp) {
		const struct syslet_atom *a = stack[--sp];

		if (seen(visit, nvisit, a)) {
			rejoins = true;
			continue;
		}
		if (nvisit == SYSLET_CHAIN_MAX)
			return -EINVAL;
		visit[nvisit++] = a;
		rc = check_atom(a, w);
		if (rc)
			return rc;
		if (a->next)
			stack[sp++] = a->next;
		if (branches(a))
			stack[sp++] = a + 1;
	}
	if (!rejoins)
		return 0; /* a tree: every path ends */
	for (i = 0; i < nvisit; i++) {
		const struct syslet_atom *a = visit[i];

		nx[i] = index_of(visit, nvisit, a->next);
		alt[i] = !(a->flags & SL_STOP_ANY) ? SL_NONE
			 : branches(a) ? index_of(visit, nvisit, a + 1)
				       : SL_END;
	}
	return all_can_end(nx, alt, nvisit) ? 0 : -ELOOP;
}

/* The common one-atom chain takes the short way. */
int sl_chain_check(const struct syslet_atom *head, struct sl_walk *w)
{
	w->home = false;
	w->async = false;
	w->emulated = false;
	/* Misaligned: refused before the short way below reads it. */
	if (!head || ((uintptr_t)head & 7))
		return -EINVAL;
	if (!head->next && !branches(head))
		return check_atom(head, w);
	return check_walk(head, w);
}

int sl_resolve_args(const struct syslet_atom *a, long args[6])
{
	uint32_t refs = a->flags & (0x3fu << 8);
	int i;

	for (i = 0; i < 6; i++)
		args[i] = a->args[i];
	if (sl_likely(!refs))
		return 0;
	for (i = 0; i < 6; i++)
		if (refs & SYSLET_ARG_REF(i))
			args[i] = __atomic_load_n((const long *)a->args[i],
						  __ATOMIC_ACQUIRE);
	return 0;
}

static bool stops(uint32_t f, long ret)
{
	return ((f & SYSLET_STOP_ON_NONZERO) && ret != 0) ||
	       ((f & SYSLET_STOP_ON_ZERO) && ret == 0) ||
	       ((f & SYSLET_STOP_ON_NEGATIVE) && ret < 0) ||
	       ((f & SYSLET_STOP_ON_NON_POSITIVE) && ret <= 0);
}

/* Molnar's rule: ->next unless stopped; stopped goes to atom + 1 or ends. */
struct syslet_atom *sl_chain_next(struct syslet_atom *a, long ret)
{
	if (!stops(a->flags, ret))
		return a->next;
	if (a->flags & SYSLET_SKIP_TO_NEXT_ON_STOP)
		return a + 1;
	return 0;
}
