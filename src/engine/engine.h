/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine, as its clients see it: the preload layer (src/preload/) and
 * the seccomp backstop (src/backstop/) include this header and no other of
 * src/engine/ but the shared table systab.h it includes.  Requests are the
 * engine's own: clients hold a struct sl_req pointer only to name one.
 * Prefix sl_.
 *
 * The path of one call from a client: sl_call() (call.c) tries it without
 * blocking (rw.c for a read) or hands it to a helper (helper.c), which
 * acts as the caller (ident.c), makes the call (syscall_cp.S) and wakes
 * the caller.
 */
#ifndef SL_ENGINE_H
#define SL_ENGINE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <syslet.h>

#include "systab.h"

#define sl_likely(x) __builtin_expect(!!(x), 1)
#define sl_unlikely(x) __builtin_expect(!!(x), 0)

struct sl_req;
struct sl_ident;
struct sigaction;

/* ------------------------------------------------------------------ */
/* Raw system calls: never touch errno, return -errno (gates.c).        */

/*
 * The two system call stubs of syscall_cp.S, where they run: in the
 * library, or at the fixed address the backstop moved them to.  Every raw
 * call goes through one of them, which the backstop's filter lets through.
 */
struct sl_gates {
	long (*gate)(long nr, long a, long b, long c, long d, long e, long f);
	long (*cp)(const volatile int *cancel, long nr, const long *args);
	uintptr_t gate_end, cp_begin, cp_end, cp_cancel;
};
extern struct sl_gates sl_gates;
/* Copy the stubs to @at (one page, mapped by the caller: read-write on
 * entry, read-execute on return).  Returns 0 or -errno. */
int sl_gates_move(void *at);
/* Did the syscall instruction ending at @after belong to the moved stubs? */
bool sl_gates_own(uintptr_t after);

static inline long sl_sys6(long nr, long a, long b, long c, long d, long e,
			   long f)
{
	return sl_gates.gate(nr, a, b, c, d, e, f);
}

#define sl_sys0(n) sl_sys6((n), 0, 0, 0, 0, 0, 0)
#define sl_sys1(n, a) sl_sys6((n), (long)(a), 0, 0, 0, 0, 0)
#define sl_sys2(n, a, b) sl_sys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sl_sys3(n, a, b, c)                                                    \
	sl_sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sl_sys4(n, a, b, c, d)                                                 \
	sl_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sl_sys5(n, a, b, c, d, e)                                              \
	sl_sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/*
 * Around a lock that a signal handler's call may need (fork(), lazy
 * set-up): no handler runs on this thread while it holds the lock, since
 * the handler's call would wait for the lock and so for itself.  Signals
 * that come meanwhile are delivered at sl_sigs_on().  pthread_sigmask()
 * keeps errno and leaves the C library's own signals (setxid, cancel).
 */
static inline void sl_sigs_off(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, old);
}

static inline void sl_sigs_on(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, 0);
}

/* futex(2) on a private word (sys.c). */
int sl_futex_wait(uint32_t *word, uint32_t val, const struct timespec *rel);
void sl_futex_wake(uint32_t *word, int n);
/*
 * A thread of ours calls sl_thread_hide() first thing and
 * sl_thread_unhide() just before it returns (and then blocks no more), so
 * that it never keeps a process alive whose own threads have all ended
 * (threads.c).
 */
void sl_thread_hide(void);
void sl_thread_unhide(void);
/*
 * Start a detached thread of ours running @fn(@arg), hidden so, with every
 * signal blocked and @stack bytes of stack, named @name before this
 * returns: never seen unnamed, as if it were the program's (ps, tests).
 * Returns 0 or -errno.
 */
int sl_thread_start(void *(*fn)(void *), void *arg, const char *name,
		    size_t stack);
/* The same, and the new thread's TID in *@tid (it may call nothing
 * before its TID is known: the backstop lists its own threads). */
int sl_thread_start_tid(void *(*fn)(void *), void *arg, const char *name,
			size_t stack, pid_t *tid);

/* One line on stderr, once per process (sys.c). */
void sl_warn_once(const char *what, int err);
extern const char *sl_warn_prefix, *sl_warn_fallback;
int64_t sl_now_ns(void);
/*
 * /proc/@pid/task/@tid/@what (@pid 0: this process) into @buf, at most
 * @n - 1 bytes and a NUL, through the gate: the byte count or -errno.
 */
long sl_task_file(pid_t pid, pid_t tid, const char *what, char *buf, size_t n);
/* Copy @n bytes from @p, which may be a bad address: false if it is. */
bool sl_peek(const void *p, void *out, size_t n);

/* ------------------------------------------------------------------ */
/* Trying a call without blocking (call.c, by the call's kind).         */

/* Partial read/write progress, so the rest of a call can be finished. */
enum sl_rw_op {
	SL_RW_NONE = 0,
	SL_RW_READ,
	SL_RW_WRITE,
	SL_RW_RECV,
	SL_RW_SEND
};

struct sl_rw {
	uint8_t op; /* enum sl_rw_op; NONE: nothing done yet */
	int fd;
	const struct iovec *iov; /* the caller's vector, from segment 0 */
	int cnt;
	size_t skip;	  /* bytes of iov[0] already done */
	long off;	  /* file offset, -1 for the file position */
	int flags;	  /* RWF_* or MSG_* the caller gave */
	long acc;	  /* bytes done so far */
	struct iovec one; /* a single-buffer call's vector */
};

/*
 * 0 with *@ret the call's result if it was made without blocking;
 * SL_WOULDBLOCK if it would block (@rw then says what part was done).
 * sl_nowait_strict() never lets a call block: SL_NOMODE for a file that
 * has no non-blocking mode (a buffered write to ext4), nothing done, which
 * its caller makes natively, as sl_nowait() does with it and with calls
 * that cannot be tried (SL_NB_INLINE).
 */
#define SL_WOULDBLOCK 1
#define SL_NOMODE 2
int sl_nowait_strict(int nr, const struct sl_sysent *e, const long *args,
		     struct sl_rw *rw, long *ret);
int sl_nowait(int nr, const struct sl_sysent *e, const long *args,
	      struct sl_rw *rw, long *ret);
/* The rest of a call @rw started, blocking, on this thread. */
long sl_finish_blocking(int nr, const long *args, struct sl_rw *rw,
			const volatile int *cancel);
/* Must @nr(@args) run on its own thread (thread-directed, or it names the
 * thread's own state)?  @refs: arguments that are results of earlier atoms. */
bool sl_thread_bound(int nr, const long *args, uint32_t refs);
/* Would the failed call @nr have raised SIGPIPE? */
bool sl_raises_sigpipe(int nr, const long *args, long ret);

/*
 * A signal came as call @nr was to start, or the kernel restarted it
 * (signalled.c); @caught: the seccomp backstop catches it; @marked: a
 * listener let the thread make it natively.
 */
enum sl_sig_answer {
	SL_SIG_RUN,	 /* natively it goes on: make it (again) */
	SL_SIG_ANSWERED, /* *ret is the native answer: done, or EINTR */
};
/* A relative nanosleep/clock_nanosleep @args ended by a signal after
 * @slept_ns: its rem written as the kernel would (signalled.c). */
long sl_sleep_left(int nr, const long *args, uint64_t slept_ns);
int sl_signal_answer(int nr, const long *args, bool caught, bool marked,
		     bool sa_restart, long *ret);

/* ------------------------------------------------------------------ */
/* Contexts (ctx.c) and the program's signals (cancel.c).               */

int sl_ctx_create(const struct syslet_params *params, bool with_eventfd,
		  struct syslet_ctx **ctxp);
/* Does thread @tid hold @ctx's lock (a handler's call on that thread)? */
bool sl_ctx_held_by(struct syslet_ctx *ctx, pid_t tid);
/* sigaction() for the signals the engine cancels helpers with. */
int sl_cancel_signal_sigaction(int sig, const struct sigaction *act,
			       struct sigaction *old);

/* ------------------------------------------------------------------ */
/* One call, waited for by the thread that made it (call.c): the        */
/* preload layer's, with the native call's signal behaviour.            */

enum sl_route {
	SL_ROUTE_NATIVE = 0, /* the caller makes the call itself */
	SL_ROUTE_NOWAIT,     /* try without blocking, else a helper */
	SL_ROUTE_HELPER,     /* always a helper */
	/*
	 * Try without blocking, else the caller makes the call itself: for
	 * pure waits, which a helper cannot shorten (sl_pure_wait()).  The
	 * outcome says it would have blocked, for the report.  (3 is the
	 * policy's "trap", never an engine route.)
	 */
	SL_ROUTE_HERE = 4,
};

enum sl_outcome {
	SL_CALL_INLINE,	    /* done on the caller by the non-blocking try */
	SL_CALL_WOULDBLOCK, /* (transient) the try would have blocked */
	SL_CALL_HELPER,	    /* done on a helper */
	SL_CALL_NATIVE,	    /* not done: the caller must make the call */
	SL_CALL_CANCELLED,  /* *interrupt was set: the call did not happen */
	/* SL_ROUTE_HERE: as SL_CALL_NATIVE, and the call would block. */
	SL_CALL_NATIVE_WAIT,
	/* SL_ROUTE_HERE: the rest done on the caller, blocking. */
	SL_CALL_HERE,
};

struct sl_call {
	int nr;
	long args[6];
	uint8_t route;		 /* enum sl_route */
	bool restart;		 /* native call restarts after SA_RESTART */
	volatile int *interrupt; /* pthread_cancel() sets it, then calls
				      sl_call_kick() on *reqp */
	uint8_t outcome;	 /* out: enum sl_outcome */
	struct sl_req *volatile *reqp; /* out, while waiting: the request */
};

/*
 * Returns the call's result (-errno on failure), or 0 with outcome
 * SL_CALL_NATIVE or SL_CALL_NATIVE_WAIT.  Never changes errno.
 */
long sl_call(struct syslet_ctx *ctx, struct sl_call *c);

/* Wake the thread waiting in sl_call() on @req, to look at *interrupt. */
void sl_call_kick(struct sl_req *req);

/*
 * For the program's signal handlers, on the thread they interrupt; both
 * async-signal-safe.  sl_call_waiting(): the thread is inside sl_call(),
 * before or while it waits for a helper.  sl_call_signal(): a handler is
 * about to run.  Unless the kernel will restart the wait (@sa_restart,
 * and a call that restarts), the helper's call is stopped and waited for
 * first, so that the handler runs, as natively, once the call can no
 * longer take what the handler does (a byte written to the pipe being
 * read: the self-pipe trick).  sl_call() then returns EINTR, or the
 * call's result if it finished first.
 */
bool sl_call_waiting(void);
void sl_call_signal(bool sa_restart);

/* ------------------------------------------------------------------ */
/* A call nobody of ours waits for (trap.c): the backstop's.  The thread */
/* that made it waits in the kernel; @on_done sends it the answer.       */

struct sl_trap_end {
	long result;	/* the call's, or -ECANCELED */
	bool cancelled; /* sl_trap_cancel() stopped it before it ended */
	bool refused;	/* the helper could not act as the caller: nothing
			  more than @done bytes was done */
	long done;	/* bytes done before it was refused (or 0) */
};

/*
 * Hand call @nr(@args), partly done as @rw says, to a helper acting as
 * @ident.  Returns 0 with *@reqp set (before any helper can end it), or
 * -EAGAIN when no helper can take it now: nothing of it was done then,
 * unless @rw says so.  @on_done(@owner, end) runs once, on the helper or
 * on a canceller, under the context's lock (it must not take it): after
 * it returns, the request is gone.
 */
int sl_trap_dispatch(struct syslet_ctx *ctx, int nr, const long *args,
		     const struct sl_rw *rw, const struct sl_ident *ident,
		     void (*on_done)(void *owner, const struct sl_trap_end *),
		     void *owner, struct sl_req **reqp);
/* Stop *@reqp, if it is still @owner's and not ended; @on_done follows. */
void sl_trap_cancel(struct syslet_ctx *ctx, struct sl_req *const *reqp,
		    void *owner);
/*
 * Is *@reqp (@owner's) still queued for a helper, with nothing of it done?
 * Cancelled then, its caller can make it itself with the same result.
 */
bool sl_trap_queued(struct syslet_ctx *ctx, struct sl_req *const *reqp,
		    void *owner);
/*
 * From now on, helpers for calls given to sl_trap_dispatch() are made by
 * a thread of the engine's (spawner.c), never by the dispatcher, which
 * must not wait for a lock a caller of its may hold.  Call it from a
 * thread that may wait; again in a fork() child.  Returns 0 or -errno
 * (then the dispatcher makes them itself).
 */
int sl_spawner_start(struct syslet_ctx *ctx);
/* Is the spawner waiting for a lock in pthread_create() (spawner.c)? */
bool sl_spawner_stuck(void);
/* The spawner's TID, 0 if there is none. */
pid_t sl_spawner_tid(void);

/* ------------------------------------------------------------------ */
/* Who makes a call, as the kernel judges it (ident.c, doc/identity.md) */

/*
 * The thread's identity, or NULL when the call must stay on the caller:
 * the thread (or one it descends from) made an attribute of its own that
 * no helper can take (unshare(), setns(), its own seccomp filter or
 * Landlock domain, personality()), or the identity cannot be captured.
 * Re-captured when the epoch moved (sl_ident_changed()) if @tracked
 * (someone tells us of every change), else on every call.  Identities
 * are interned: equal ones are the same pointer.
 */
const struct sl_ident *sl_ident_self(bool tracked);

/*
 * The preload layer sees every way a program changes these (wrappers of
 * the C library's functions and of syscall(); the backstop's filter for
 * raw system call instructions) and says so: then a thread's identity is
 * captured once per change, not once per call.
 */
extern bool sl_ident_tracked;
/* Some thread's identity changed, or may have: every thread re-captures.
 * Async-signal-safe. */
void sl_ident_changed(void);
/* The calling thread's credentials changed and no other thread's (a raw
 * set*id call, not the C library's broadcast): it alone re-captures, and
 * helpers need not look at their own.  Async-signal-safe. */
void sl_ident_changed_self(void);

/*
 * The calling thread made an attribute of its own that a helper cannot
 * take: its calls stay on it from now on, and so do those of threads it
 * creates (sl_ident_pin_child()).  Async-signal-safe.
 */
void sl_ident_pin_self(void);
bool sl_ident_pinned(void);
/* Thread @tid of this process did (the backstop's listener saw it). */
void sl_ident_pin_tid(pid_t tid);
/* In a thread just created by a pinned thread (preload's pthread_create). */
void sl_ident_pin_child(void);

/*
 * Another thread's identity, read from /proc (the backstop's listener,
 * for a thread stopped in a caught call): cached per thread for a while
 * and until the epoch moves.  NULL if it cannot be read.
 */
const struct sl_ident *sl_ident_of(pid_t tid);

/*
 * What system call @nr(@args), once it succeeded, did to its thread's
 * identity (ident_calls.c, the table doc/identity.md describes).
 */
enum sl_ident_effect {
	SL_IDENT_NONE = 0,
	SL_IDENT_CHANGES, /* an attribute helpers take: sl_ident_changed() */
	SL_IDENT_PINS,	  /* one they cannot: sl_ident_pin_self() */
};
enum sl_ident_effect sl_ident_effect(long nr, const long *args);

/* The table behind it: @nr, when its first argument matches. */
enum sl_ident_arg {
	SL_IDENT_ARG_ANY = 0,
	SL_IDENT_ARG_EQ,   /* arg0 == v */
	SL_IDENT_ARG_NE,   /* (32-bit) arg0 != v */
	SL_IDENT_ARG_BITS, /* arg0 & v */
};
struct sl_ident_rule {
	long nr;
	unsigned char arg;    /* enum sl_ident_arg */
	unsigned char effect; /* enum sl_ident_effect */
	/* The kernel's call acts on its caller alone (set*id are per task):
	 * made raw, it changes only the calling thread (sl_ident_after()). */
	bool thread_only;
	unsigned long v;
};
extern const struct sl_ident_rule sl_ident_rules[];
extern const unsigned int sl_ident_nrules;
/* Act on it: the preload layer's wrappers, after the call.  @raw: made by
 * syscall(), not by the C library's wrapper that repeats it on every
 * thread. */
void sl_ident_after(long nr, const long *args, bool raw);

#endif
