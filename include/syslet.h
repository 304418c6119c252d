/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsyslet: asynchronous system calls in user space.
 *
 * A program describes system calls as *atoms*, links them into *chains*
 * and submits them to a *context*.  A chain runs on the submitting thread
 * for as long as its calls do not block; the first call that would block,
 * and everything after it, moves to a helper thread of the same process,
 * which shares the caller's address space.  Every atom's result (the
 * return value, or -errno) is written to an address the caller chose.
 * Chains that went to a helper report their completion through a ring that
 * is drained with syslet_reap() or syslet_wait(), and through an eventfd
 * that works with poll(2), epoll(7) and select(2).
 *
 * A call executed on a helper answers gettid(2) as the submitting thread;
 * calls that must run on the submitting thread itself (signal masks,
 * credentials, scheduling of "this thread", ...) are never executed on a
 * helper: see syslet_syscall_class().  Opens of paths under /proc/ are made
 * on the submitter (procfs never waits for a disk, and /proc/thread-self
 * names the thread that opens it), unless the atom forces SYSLET_ASYNC.
 *
 * All functions return a negative errno value on failure, and only the
 * codes documented for each function.  They never change errno.  All are
 * thread-safe, except that syslet_ctx_destroy() must not run concurrently
 * with any other call on the same context.
 *
 * After fork() the child's copy of a context is usable: it has no helpers
 * until it needs some, the chains that were in flight in the parent
 * complete in the child with -ECANCELED (they did not run there), unreaped
 * completions stay, and syslet_eventfd() returns the same number, which
 * the child's own eventfd now occupies.
 *
 * x86-64 Linux only.
 */
#ifndef SYSLET_H
#define SYSLET_H

#include <stdint.h>
#include <time.h>

/* Declared here too: strict ISO C (-std=c99) has no struct timespec in
 * <time.h> without _POSIX_C_SOURCE, and a struct first named in a
 * parameter list would be a different one. */
struct timespec;

#ifdef __cplusplus
extern "C" {
#endif

#define SYSLET_VERSION_MAJOR 0
#define SYSLET_VERSION_MINOR 1
#define SYSLET_VERSION_MICRO 0

/*
 * Atom flags.  Their values are those of Ingo Molnar's 2007 kernel syslets.
 * His SYSLET_NO_COMPLETE (0x4) has no counterpart, because completions are
 * posted per chain, not per atom; and where his atoms took every argument
 * by address, ours take each by value unless SYSLET_ARG_REF() says so.
 */
/* Always run this atom (and the rest of its chain) on a helper. */
#define SYSLET_ASYNC 0x0001u
/*
 * Never run this atom on a helper; if it would block, the submitter blocks.
 * Because a chain cannot move back from a helper to the submitter, a chain
 * that contains a SYSLET_SYNC atom runs entirely on the submitting thread.
 */
#define SYSLET_SYNC 0x0002u
/* Stop conditions, tested against the atom's result after it ran. */
#define SYSLET_STOP_ON_NONZERO 0x0008u
#define SYSLET_STOP_ON_ZERO 0x0010u
#define SYSLET_STOP_ON_NEGATIVE 0x0020u
#define SYSLET_STOP_ON_NON_POSITIVE 0x0040u
/*
 * When a stop condition holds, continue with the atom that follows this
 * one in memory (atom + 1) instead of ending the chain.  Together with
 * ->next (followed when no stop condition holds) this makes a branch:
 * ->next is the "continue" path and atom + 1 the "stopped" path.  Without
 * a stop condition the flag has no effect.  ->next may point back to an
 * earlier atom: loops are allowed and end through a stop condition.  Every
 * atom reachable from the head must have some way to an end, whatever
 * its calls return (syslet_submit() refuses a chain that has not with
 * -ELOOP); a loop that can end but does not runs on for as long as it
 * goes on, and can be cancelled only on a helper (SYSLET_SUBMIT_ASYNC).
 */
#define SYSLET_SKIP_TO_NEXT_ON_STOP 0x0080u
/*
 * Argument n (0..5) is given by address: args[n] holds a pointer to a long
 * (8-byte aligned) that is read when the atom runs, so that one atom's
 * result (written to its ret_ptr) can feed a later atom's argument.
 */
#define SYSLET_ARG_REF(n) (0x0100u << (n))

/* Every flag an atom may carry; any other bit gives -EINVAL. */
#define SYSLET_ATOM_FLAGS_ALL                                                  \
	(SYSLET_ASYNC | SYSLET_SYNC | SYSLET_STOP_ON_NONZERO |                 \
	 SYSLET_STOP_ON_ZERO | SYSLET_STOP_ON_NEGATIVE |                       \
	 SYSLET_STOP_ON_NON_POSITIVE | SYSLET_SKIP_TO_NEXT_ON_STOP |           \
	 (0x3fu << 8))

/* Longest chain, counted in distinct atoms reachable from the head. */
#define SYSLET_CHAIN_MAX 256

/**
 * struct syslet_atom - one system call of a chain
 * @flags:     SYSLET_* atom flags
 * @nr:        the x86-64 system call number (SYS_read, __NR_openat, ...)
 * @ret_ptr:   where the result (return value or -errno) is stored when
 *             the atom has run, or NULL to discard it; 8-byte aligned
 * @next:      the atom to run next when no stop condition holds; NULL ends
 *             the chain
 * @args:      the six arguments, by value, or by address for the
 *             arguments named with SYSLET_ARG_REF()
 * @user_data: the caller's; copied into the completion of a chain whose
 *             head this atom is
 *
 * Atoms are 8-byte aligned.  The library never writes to an atom.  Atoms,
 * and everything their arguments point to, must stay valid until the chain
 * has completed.
 */
struct syslet_atom {
	uint32_t flags;
	int32_t nr;
	long *ret_ptr;
	struct syslet_atom *next;
	long args[6];
	void *user_data;
};

/**
 * syslet_atom_init - fill in an atom (convenience; plain assignment works)
 *
 * Sets all six arguments, clears ->next and ->user_data.
 */
static inline void syslet_atom_init(struct syslet_atom *atom, int nr,
				    long *ret_ptr, uint32_t flags, long a0,
				    long a1, long a2, long a3, long a4, long a5)
{
	atom->flags = flags;
	atom->nr = nr;
	atom->ret_ptr = ret_ptr;
	atom->next = (struct syslet_atom *)0;
	atom->args[0] = a0;
	atom->args[1] = a1;
	atom->args[2] = a2;
	atom->args[3] = a3;
	atom->args[4] = a4;
	atom->args[5] = a5;
	atom->user_data = (void *)0;
}

/**
 * struct syslet_completion - a chain that finished on a helper
 * @head:      the chain's first atom, as submitted
 * @last:      the last atom that was executed, or cancelled before it ran
 * @result:    the result of @last (also stored at @last->ret_ptr)
 * @user_data: @head->user_data
 */
struct syslet_completion {
	struct syslet_atom *head;
	struct syslet_atom *last;
	long result;
	void *user_data;
};

/* Context flags (struct syslet_params.flags). */
/*
 * Do not give helpers a home CPU.  By default each helper is bound to one
 * CPU and a submitter hands its call to a helper of the CPU it runs on,
 * because a same-CPU wake-up costs a fraction of a cross-CPU one.
 */
#define SYSLET_CTX_NO_PIN 0x1u
/*
 * A helper acts with its submitter's credentials, CPU and I/O priority
 * (doc/identity.md), captured from the submitting thread at every hand-off
 * to a helper: a thread may have changed only its own with a raw system
 * call, as Samba's do.  With this flag the program promises to call
 * syslet_ident_changed() after any thread changes them, by whatever means
 * (glibc's setuid() included), and they are captured only then.
 */
#define SYSLET_CTX_IDENT_NOTIFY 0x2u
#define SYSLET_CTX_FLAGS_ALL (SYSLET_CTX_NO_PIN | SYSLET_CTX_IDENT_NOTIFY)

/**
 * struct syslet_params - context parameters
 * @min_helpers:     helpers kept alive while idle (default 0)
 * @max_helpers:     most helpers at once (default 64; 1 to 4096)
 * @queue_depth:     slots for chains that went to a helper (default 256;
 *                   1 to 65536).  A chain holds its slot until its
 *                   completion is reaped, so the ring never overflows.
 * @idle_timeout_ms: an idle helper above @min_helpers exits after this
 *                   (default 2000; not 0)
 * @flags:           SYSLET_CTX_* flags
 * @cancel_signal:   the signal used to interrupt a helper blocked in a
 *                   call that is being cancelled (default 0 means
 *                   SIGRTMAX - 2; 1 to 31 except SIGKILL and SIGSTOP, or
 *                   SIGRTMIN to SIGRTMAX)
 * @spin_us:         after finishing a call, a helper polls for new work
 *                   between sched_yield() calls for up to this long before
 *                   it sleeps (default 50; 0 sleeps at once).  A hand-off
 *                   to a polling helper needs no wake-up system call.  A
 *                   helper whose polls keep finding nothing polls less,
 *                   down to not at all, until work comes within spin_us
 *                   of its going idle again.
 * @reserved:        must be zero
 *
 * Always start from syslet_params_init(), so that fields added later get
 * their defaults.
 */
struct syslet_params {
	uint32_t min_helpers;
	uint32_t max_helpers;
	uint32_t queue_depth;
	uint32_t idle_timeout_ms;
	uint32_t flags;
	int32_t cancel_signal;
	uint32_t spin_us;
	uint32_t reserved[9];
};

/* An opaque context: a helper pool, its queue and its completion ring. */
struct syslet_ctx;

/**
 * syslet_params_init - fill @params with the defaults
 *
 * Returns 0, or -EINVAL if @params is NULL.
 */
int syslet_params_init(struct syslet_params *params);

/**
 * syslet_ctx_create - create a context
 * @params: NULL for the defaults
 * @ctxp:   receives the context
 *
 * No helper thread is started until a chain needs one; @min_helpers only
 * keeps that many from exiting once started.  The first context to use a
 * signal installs a handler for @params->cancel_signal; on any thread that
 * is not one of its helpers the handler passes the signal on to the
 * handler that was there before (SIG_IGN: dropped; SIG_DFL: the default
 * action is restored and the signal raised again).  The last context to
 * go puts the old handler back, unless the program replaced ours.
 *
 * Returns 0; -EINVAL for a NULL @ctxp or bad parameters (a field out of
 * the ranges above, @min_helpers above @max_helpers, unknown flags,
 * reserved fields not zero); -ENOMEM; -EMFILE or -ENFILE when no eventfd
 * could be created.
 */
int syslet_ctx_create(const struct syslet_params *params,
		      struct syslet_ctx **ctxp);

/**
 * syslet_ctx_destroy - cancel what is in flight, wait for it, free @ctx
 *
 * Chains still running are cancelled as with syslet_cancel() and waited
 * for (their results are written to their ret_ptrs); unreaped completions
 * are dropped; helpers are joined; the eventfd is closed.
 *
 * Returns 0, or -EINVAL if @ctx is NULL.
 */
int syslet_ctx_destroy(struct syslet_ctx *ctx);

/**
 * syslet_ident_changed - a thread's credentials or priority changed
 *
 * For contexts made with %SYSLET_CTX_IDENT_NOTIFY: call it after any thread
 * of the process changed its uids, gids, groups, capabilities, nice value or
 * I/O priority, before that thread submits again.  Async-signal-safe.
 */
void syslet_ident_changed(void);

/**
 * syslet_eventfd - the context's completion eventfd
 *
 * The descriptor (close-on-exec, non-blocking) is readable while
 * completions wait in the ring; syslet_reap() and syslet_wait() reset it
 * once they have emptied the ring.  With EPOLLET, reap until nothing is
 * left.  Do not read or close it yourself.  Until this is first called the
 * library does not signal the descriptor at all, which saves a system call
 * per completion for programs that only use syslet_wait().
 *
 * Returns the descriptor, or -EINVAL if @ctx is NULL.
 */
int syslet_eventfd(const struct syslet_ctx *ctx);

/* Submit flags. */
/* Run the whole chain on a helper, as if the head had SYSLET_ASYNC. */
#define SYSLET_SUBMIT_ASYNC 0x1u
/*
 * Wait until the chain has completed, wherever it ran, before returning
 * SYSLET_DONE; no completion is posted.  Signals delivered to the waiting
 * thread run their handlers and the wait goes on.
 */
#define SYSLET_SUBMIT_WAIT 0x2u
/* Post a completion even for a chain that completed on the submitter. */
#define SYSLET_SUBMIT_CQE_ALWAYS 0x4u
#define SYSLET_SUBMIT_FLAGS_ALL                                                \
	(SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT | SYSLET_SUBMIT_CQE_ALWAYS)

/* syslet_submit() results. */
#define SYSLET_QUEUED 0 /* the chain went to a helper */
#define SYSLET_DONE 1	/* the chain completed before submit returned */

/**
 * syslet_submit - run a chain, moving it to a helper if a call would block
 * @ctx:   the context
 * @head:  the first atom
 * @flags: SYSLET_SUBMIT_* flags
 *
 * Each atom's arguments are read (those given by address dereferenced)
 * when the atom runs.  Calls that cannot block, or whose non-blocking
 * attempt succeeds (RWF_NOWAIT for reads and writes, MSG_DONTWAIT for
 * socket messages, a readiness probe for accept and the like, a
 * cached-only path lookup for opens), run on the submitting thread.  At the
 * first call that would block, that call and the rest of the chain go to
 * a helper.  A descriptor the program made non-blocking is never handed to
 * a helper: its EAGAIN is the result.
 *
 * A chain completes when an atom with ->next NULL has run, or a stop
 * condition ends it.  For a chain that completes on the submitter no
 * completion is posted (unless SYSLET_SUBMIT_CQE_ALWAYS); for one that
 * went to a helper exactly one is, unless SYSLET_SUBMIT_WAIT.
 *
 * A chain *stays on the submitter* when any atom reachable from @head, on
 * any branch, has SYSLET_SYNC, a system call of SYSLET_CLASS_CALLER, or an
 * argument that ties a call to the calling thread (a signal mask given to
 * ppoll, pselect6, epoll_pwait, epoll_pwait2 or io_pgetevents; __WNOTHREAD
 * given to wait4 or waitid): it then runs entirely on the calling thread,
 * blocking where it blocks.
 *
 * When no helper can be had (thread creation fails, or all @queue_depth
 * slots are taken), the rest of the chain runs on the submitter, blocking,
 * and SYSLET_DONE is returned: submission never fails for want of
 * resources.
 *
 * The whole chain is checked before any atom runs: on -EINVAL nothing has
 * run.
 *
 * Returns SYSLET_DONE or SYSLET_QUEUED; -EINVAL for a NULL @ctx or @head,
 * a misaligned atom, ret_ptr or SYSLET_ARG_REF target, unknown flags, a
 * system call number the table does not name, a SYSLET_ARG_REF argument
 * that is NULL, an atom with both SYSLET_ASYNC and SYSLET_SYNC, SYSLET_ASYNC
 * (or SYSLET_SUBMIT_ASYNC) on a chain that stays on the submitter,
 * SYSLET_SUBMIT_WAIT with SYSLET_SUBMIT_CQE_ALWAYS, or more than
 * SYSLET_CHAIN_MAX distinct atoms; -ELOOP if some atom reachable from
 * @head has no path to an end of the chain whatever the results (a loop
 * without a stop condition, or whose stopped path leads back into it):
 * it would run for ever, on the submitter while its calls do not block,
 * where syslet_cancel() cannot reach it; -EBUSY if @head is in flight on @ctx,
 * or if SYSLET_SUBMIT_CQE_ALWAYS is given and every slot is taken.
 */
int syslet_submit(struct syslet_ctx *ctx, struct syslet_atom *head,
		  unsigned int flags);

/**
 * syslet_reap - take completions without waiting
 * @ctx:  the context
 * @cqes: room for @nr completions
 * @nr:   at most this many are taken, oldest first
 *
 * Returns how many were copied (0 if none); -EINVAL for a NULL pointer or
 * @nr of 0.
 */
int syslet_reap(struct syslet_ctx *ctx, struct syslet_completion *cqes,
		unsigned int nr);

/**
 * syslet_wait - wait for completions, then take them
 * @ctx:          the context
 * @cqes:         room for @nr completions
 * @nr:           at most this many are taken, oldest first
 * @min_complete: wait until at least this many are there (0 to @nr; 0
 *                behaves as syslet_reap())
 * @timeout:      relative, measured on CLOCK_MONOTONIC; NULL waits without
 *                limit
 *
 * Returns how many were copied, at least @min_complete, or fewer but at
 * least one if the timeout expired or a signal interrupted the wait;
 * -ETIME if the timeout expired with nothing to take; -EINTR if a signal
 * handler ran with nothing to take; -EINVAL for a NULL @ctx or @cqes, @nr
 * of 0, @min_complete above @nr, or a timespec with a negative field or
 * tv_nsec of a second or more.
 */
int syslet_wait(struct syslet_ctx *ctx, struct syslet_completion *cqes,
		unsigned int nr, unsigned int min_complete,
		const struct timespec *timeout);

/**
 * syslet_cancel - cancel a chain in flight
 * @head: the head atom it was submitted with
 *
 * A chain still queued is not started: the first atom that has not run
 * gets -ECANCELED.  A helper blocked in a call is interrupted: that call's
 * result is -ECANCELED, unless it finished first, in which case its real
 * result stands.  Either way no further atom of the chain runs, nothing
 * runs twice, and the chain completes as usual (a completion, or the end
 * of a SYSLET_SUBMIT_WAIT), with that result.  A call that finished part
 * of its work (a read that got bytes) reports the part done.
 *
 * Returns 0 if the cancel was requested; -ENOENT if @head is not in
 * flight on a helper of @ctx (never submitted, running or completed on
 * the submitter, or already completed); -EINVAL for NULL arguments.
 */
int syslet_cancel(struct syslet_ctx *ctx, struct syslet_atom *head);

/* Identity classes of system calls (syslet_syscall_class()). */
/* Runs the same on any thread of the process. */
#define SYSLET_CLASS_ANY 1
/* Answered for the submitter without a system call (gettid). */
#define SYSLET_CLASS_EMULATED 2
/*
 * Acts on, or answers for, the calling thread itself: never executed on a
 * helper (sigprocmask, set*id, sched_setaffinity, prctl, exit, clone, ...).
 */
#define SYSLET_CLASS_CALLER 3

/**
 * syslet_syscall_class - where a system call may run
 * @nr: an x86-64 system call number
 *
 * Unassigned numbers inside the table are SYSLET_CLASS_CALLER: what is not
 * understood stays home.  syslet_submit() refuses both those and numbers
 * beyond the table.
 *
 * Returns a SYSLET_CLASS_* value, or -EINVAL if @nr is negative or not
 * below syslet_syscall_max().
 */
int syslet_syscall_class(int nr);

/**
 * syslet_syscall_name - the name of a system call ("read", "openat")
 *
 * Returns a static string, or NULL if @nr is unknown.
 */
const char *syslet_syscall_name(int nr);

/**
 * syslet_syscall_lookup - the number of a named system call
 *
 * Names are the kernel's, without a "sys_" prefix, matched exactly
 * ("pread64", "newfstatat").
 *
 * Returns the number, or -ENOENT for an unknown name, -EINVAL for NULL.
 */
int syslet_syscall_lookup(const char *name);

/**
 * syslet_syscall_max - one past the highest number the table covers
 */
int syslet_syscall_max(void);

#ifdef __cplusplus
}
#endif

#endif /* SYSLET_H */
