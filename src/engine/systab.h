/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system call table: for every x86-64 system call number, its name,
 * where it may run (identity class) and how to attempt it without blocking.
 * Written once, as data; the engine, the preload shim, the backstop and the
 * policy tools all read it.
 */
#ifndef SL_SYSTAB_H
#define SL_SYSTAB_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Where a call may run (cls).  A chain starts on the submitting thread and
 * moves to a helper thread at its first call that would block, so the
 * program must not be able to tell which thread ran a call: thread
 * identity must not change (R3 in NOTES.md; the 2008 review of the kernel
 * syslets: "randomly changing TID will break all threaded programs").
 * SYSLET_CLASS_ANY calls run the same on any thread of the process (I/O,
 * metadata, sockets, waits, sleeps, memory mappings, getpid, getppid).
 * SYSLET_CLASS_EMULATED is gettid alone, answered as the submitter without
 * a system call.  SYSLET_CLASS_CALLER calls act on, or answer for, the
 * calling thread itself (signal mask and pending set, credentials,
 * scheduling and CPU affinity with pid 0, robust list, rseq, TLS, thread
 * keyrings, thread CPU clocks, PI futexes, io_uring rings), or their effect
 * must be synchronous with the caller (signal sending, clone, exec, exit):
 * they never run on a helper.  When in doubt, a call that never blocks is
 * CALLER: it loses nothing, since a call that cannot block gains nothing
 * from a helper.  Numbers the kernel reserves but does not implement on
 * x86-64 (ENOSYS) are CALLER too, and so are unassigned numbers: what is
 * not understood stays home.
 *
 * How the submitter tries a call without blocking (nb, enum sl_nb).  The
 * read and write families are retried as preadv2/pwritev2 with RWF_NOWAIT
 * (SL_NB_READ, SL_NB_WRITE); socket message calls get MSG_DONTWAIT added to
 * their flags argument, whose index is flagarg (SL_NB_MSG); accept and
 * accept4 probe the listening socket for POLLIN (SL_NB_POLLIN); open,
 * openat and openat2 first try a cached-only path lookup (SL_NB_OPEN);
 * fcntl blocks only for F_SETLKW and F_OFD_SETLKW (SL_NB_FCNTL).  Calls
 * that may block for long and have no non-blocking form (fsync, sleeps,
 * waits, poll and select, connect, flock, truncate, splice, mount,
 * getrandom, fadvise64...) are SL_NB_BLOCKS and go straight to a helper.
 * Everything else is SL_NB_INLINE, run on the submitter: calls that do not
 * block or only briefly (close, fstat, newfstatat, statx, lseek, mmap,
 * getpid...), and every CALLER or EMULATED call.  nargs is the count of
 * the kernel's SYSCALL_DEFINEn (0 for numbers without an entry point);
 * flagarg is 0 except for SL_NB_MSG.
 *
 * Numbers: the system header (Debian 12: up to 450) names the calls it
 * knows through __NR_<name>, so SYS() takes both the number and the name
 * from it.  Newer calls take plain numbers (SYS_NR), from the kernel's
 * arch/x86/entry/syscalls/syscall_64.tbl: 335 uretprobe, 336 uprobe and
 * 451..469 (cachestat .. file_setattr, the last call of 6.18; listns, 470,
 * came in 6.19).  337..423 are unassigned; the x32 numbers (512 and up) are
 * not in the table.
 */

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
	const char *name; /* NULL: number not assigned */
	uint8_t cls;	  /* SYSLET_CLASS_* */
	uint8_t nb;	  /* enum sl_nb */
	uint8_t nargs;	  /* arguments the call takes, 0..6 */
	uint8_t flagarg;  /* SL_NB_MSG: index of the flags argument */
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
