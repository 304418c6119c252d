/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Engine internals.  Prefix sl_ for everything here.
 *
 * Data flow: syslet_submit() (submit.c) walks the chain (chain.c) and runs
 * atoms on the caller, each first attempted without blocking (call.c).
 * The first atom that would block is handed, with its resolved arguments
 * and any partial progress, to a helper (helper.c), which finishes the
 * chain with cancellable system calls (syscall_cp.S, cancel.c) and posts a
 * completion (cq.c) or wakes the one thread waiting for it.  A request's
 * life, from slot to release, is req.h, included at the end.
 */
#ifndef SL_INTERNAL_H
#define SL_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <syslet.h>

#include "engine.h"
#include "ident.h"

#define SYSLET_API __attribute__((visibility("default")))

/* ------------------------------------------------------------------ */
/* Raw system calls: engine.h; the cancellable one, the helpers' own.  */

/*
 * The cancellable system call (syscall_cp.S): checks *cancel, then makes
 * the call.  A cancel signal that lands between the check and the end of
 * the syscall instruction moves the thread to a path returning -ECANCELED
 * without making the call; one that interrupts the call makes it return
 * -EINTR, which the caller turns into -ECANCELED.
 */
static inline long sl_syscall_cp(const volatile int *cancel, long nr,
				 const long *args)
{
	return sl_gates.cp(cancel, nr, args);
}

/* ------------------------------------------------------------------ */
/* Requests: a chain in flight.  A fixed array of queue_depth of them.  */

enum sl_req_state {
	SL_REQ_FREE = 0,
	SL_REQ_QUEUED,	  /* waiting for a helper */
	SL_REQ_RUNNING,	  /* a helper has it */
	SL_REQ_COMPLETED, /* in the completion ring, until reaped */
	SL_REQ_DONE,	  /* finished, its SUBMIT_WAIT waiter not yet back */
};

/* sl_req.done: the SYSLET_SUBMIT_WAIT hand-back word. */
#define SL_DONE_NO 0u
#define SL_DONE_SLEEPING 1u
#define SL_DONE_YES 2u

struct sl_helper;

struct sl_req {
	struct syslet_ctx *ctx;
	struct syslet_atom *head;
	struct syslet_atom *cur;      /* the atom to run next (or last run) */
	long args[6];		      /* cur's arguments, resolved */
	bool have_args;		      /* args valid (cur was started) */
	struct sl_rw rw;	      /* cur's partial progress */
	unsigned int sflags;	      /* SYSLET_SUBMIT_* */
	uint8_t state;		      /* enum sl_req_state, under ctx->lock */
	volatile int cancel;	      /* read by the cancel stub and handler */
	pid_t tid;		      /* the submitter, for emulated identity */
	const struct sl_ident *ident; /* whom the helper acts as (ident.h) */
	bool refused;		  /* the helper could not: nothing was run */
	struct sl_helper *helper; /* while RUNNING */
	uint32_t done;		  /* SL_DONE_* for SUBMIT_WAIT */
	struct syslet_atom *last; /* outcome */
	long result;
	struct sl_req *next;	      /* free list, pending queue, ring */
	struct sl_req *hnext;	      /* in-flight hash chain */
	struct syslet_atom call_atom; /* sl_call(): the one-atom chain */
	volatile int *interrupt;      /* sl_call(): set by pthread_cancel() */
	bool spare;		      /* not of reqs[]: see ctx->spares */
	/*
	 * A trapped call (trap.c): run under the lock when the call ends or
	 * is cancelled, instead of any completion; it releases @req.
	 */
	void (*on_done)(void *owner, const struct sl_trap_end *end);
	void *owner;	      /* on_done's */
	struct sl_req *snext; /* ctx->spares_all */
};

/* ------------------------------------------------------------------ */
/* Helpers.                                                              */

/* sl_helper.mbox */
#define SL_MBOX_SPIN 0u	 /* idle, polling the word between yields */
#define SL_MBOX_WORK 1u	 /* h->req is set */
#define SL_MBOX_EXIT 2u	 /* syslet_ctx_destroy() */
#define SL_MBOX_SLEEP 3u /* idle, asleep on the word: needs a futex wake */

/* The program's own signals a helper may hold during one request. */
#define SL_STASH_MAX 32

struct sl_helper {
	struct syslet_ctx *ctx;
	pthread_t thread;
	pid_t tid;
	int cpu;	    /* home CPU, or -1 */
	uint32_t mbox;	    /* SL_MBOX_*, futex word */
	struct sl_req *req; /* handed over with SL_MBOX_WORK */
	bool idle;	    /* on an idle list */
	bool exited;	    /* returned from its thread function */
	uint32_t spin_ns;   /* how long it polls when next idle (idle.c) */
	struct sl_helper *next_idle;
	struct sl_helper *next_all;
	/* cancel.c: the program's cancel signals taken while on a request */
	volatile int nstash;
	siginfo_t stash[SL_STASH_MAX];
};

/* ------------------------------------------------------------------ */
/* The context.                                                          */

struct syslet_ctx {
	struct syslet_params params;
	pthread_mutex_t lock; /* everything below, unless noted */

	struct sl_req *reqs; /* [queue_depth] */
	struct sl_req *free_reqs;
	uint32_t inflight;    /* reqs not FREE; read racily as a hint */
	struct sl_req **hash; /* in-flight by head, [hash_size] */
	uint32_t hash_mask;

	struct sl_req *pend_head, *pend_tail; /* QUEUED, FIFO */

	struct sl_helper **idle; /* [ncpu + 1]: per home CPU, last = none */
	int ncpu;
	struct sl_helper *helpers; /* all not yet joined */
	uint32_t nhelpers;	   /* alive (not exited) */
	uint32_t spawn_want;	   /* helpers asked of the spawner */
	int64_t spawn_retry_ns;	   /* none asked before (it failed) */

	/*
	 * Completion entries beyond reqs[], each held by a CQE_ALWAYS chain
	 * running on its submitter in case every slot is gone by the time it
	 * ends (submit.c).  Kept for reuse until the context goes.
	 */
	struct sl_req *spares;	   /* free ones, by ->next */
	struct sl_req *spares_all; /* all, by ->snext */

	struct sl_req *cq_head, *cq_tail; /* COMPLETED, FIFO */
	uint32_t cq_count;
	uint32_t cq_seq;     /* futex word: bumped on every post */
	uint32_t cq_waiters; /* threads asleep in syslet_wait */
	int efd;	     /* eventfd */
	bool efd_armed;	     /* syslet_eventfd() was called */
	bool efd_signaled;   /* a write is owed no read yet */

	bool closing;	   /* syslet_ctx_destroy() under way */
	pid_t owner_pid;   /* the process whose helpers these are */
	uint32_t exit_seq; /* futex word: bumped when a helper exits */
	struct syslet_ctx *next_ctx; /* global list, for fork */
};

/* ------------------------------------------------------------------ */
/* Module interfaces.                                                    */

/* chain.c */
struct sl_walk {
	bool home;     /* some atom must stay on the submitter */
	bool async;    /* some atom asks for a helper */
	bool emulated; /* some atom is answered as the submitter */
};
int sl_chain_check(const struct syslet_atom *head, struct sl_walk *w);
int sl_resolve_args(const struct syslet_atom *a, long args[6]);
struct syslet_atom *sl_chain_next(struct syslet_atom *a, long ret);
static inline void sl_store(const struct syslet_atom *a, long ret)
{
	if (a->ret_ptr)
		__atomic_store_n(a->ret_ptr, ret, __ATOMIC_RELEASE);
}

/*
 * The non-blocking try (sl_nowait(), call.c), by concern: what one attempt
 * found (enum sl_try), read/write progress (rw.c), waits by nature
 * (probe.c), socket messages and opens (nowait.c), descriptors (fd.c).
 *
 * SL_TRY_NOMODE: the file has no non-blocking mode (a FIFO opened by
 * path): only the call itself can tell, blocking perhaps.  SL_TRY_UNKNOWN:
 * a probe cannot ask (a bad address: the call itself says EFAULT).
 */
enum sl_try {
	SL_TRY_DONE,   /* *ret is the answer */
	SL_TRY_BLOCK,  /* it would block: a helper makes it (or the rest) */
	SL_TRY_NATIVE, /* make it as it is, here: it cannot block */
	SL_TRY_NOMODE,
	SL_TRY_UNKNOWN,
};

/* rw.c */
void sl_rw_init_one(struct sl_rw *rw, int op, long fd, long buf, long len,
		    long off, int flags);
void sl_rw_init_vec(struct sl_rw *rw, int op, long fd, long iov, long cnt,
		    long off, int flags);
/* @rw for read/write family call @nr(@a); op SL_RW_NONE if it has none. */
void sl_rw_from_call(int nr, const long *a, struct sl_rw *rw);
void sl_rw_advance(struct sl_rw *rw, long n);
/* The rest of @rw without blocking: enum sl_try. */
int sl_rw_attempt(struct sl_rw *rw, long *ret);

/* nowait.c: enum sl_try for a socket message (MSG_DONTWAIT) and an open
 * (RESOLVE_CACHED). */
int sl_msg_attempt(int nr, const struct sl_sysent *e, const long *args,
		   struct sl_rw *rw, long *ret);
int sl_open_attempt(int nr, const long *a, long *ret);

/* probe.c: enum sl_try for a call that waits by nature. */
int sl_probe(int nr, const long *a, long *ret);
/* For signalled.c: 1 answered (*ret), 0 it would wait, -1 it would not
 * (or cannot be asked). */
int sl_nowait_probe(int nr, const long *args, long *ret);
/* sendfile.c: enum sl_try for sendfile(@a) (SL_TRY_NATIVE or _BLOCK). */
int sl_sendfile_try(const long *a);

/* fd.c */
bool sl_fd_nonblocking(int fd);
bool sl_fd_is_file(int fd); /* a regular file or a block device */
/* Was @fd a socket when sl_fd_is_file() last looked?  A hint only. */
bool sl_fd_sock_hint(int fd);
void sl_fd_not_sock(int fd);
/* Did a non-blocking write of @fd last get EOPNOTSUPP?  A hint only. */
bool sl_fd_nomode_hint(int fd);
void sl_fd_nomode(int fd, bool nomode);
/* Kernel files (procfs, sysfs) have no non-blocking mode but never wait. */
bool sl_fd_never_waits(int fd);

/* helper.c */
int sl_helper_dispatch(struct syslet_ctx *ctx, struct sl_req *req);
void sl_helper_add(struct syslet_ctx *ctx);
void sl_run_on_helper(struct sl_req *req);
/* idle.c */
void sl_idle_push_locked(struct syslet_ctx *ctx, struct sl_helper *h);
void sl_idle_remove_locked(struct syslet_ctx *ctx, struct sl_helper *h);
struct sl_helper *sl_idle_pop_locked(struct syslet_ctx *ctx, int cpu);
/* Idle until work comes (true) or the helper is to end (false). */
bool sl_idle_wait(struct sl_helper *h);
void sl_helper_wake(struct sl_helper *h, uint32_t what);
void sl_helpers_reap(struct syslet_ctx *ctx); /* without the lock */
void sl_helper_stop_all(struct syslet_ctx *ctx);
/* spawner.c */
bool sl_spawner_serves(struct syslet_ctx *ctx);
void sl_spawner_ask_locked(struct syslet_ctx *ctx);
void sl_spawner_child(void);

/*
 * Before sleeping, a waiter gives the CPU away a few times: a helper that
 * took its call is usually on this CPU, runnable, and a yield lets it
 * finish the call without either side paying for a cross-CPU wake-up.
 */
#define SL_WAIT_YIELDS 4
/*
 * yield.c: one sched_yield(), unless yields on this CPU have lately handed
 * it to someone else: then none, and false (the caller sleeps instead).
 */
bool sl_yield(void);

/* cq.c: @req's completion into the ring, for syslet_reap(). */
void sl_cq_post_locked(struct syslet_ctx *ctx, struct sl_req *req);

/* cancel.c */
int sl_cancel_signal_get(int sig);
void sl_cancel_signal_put(int sig);
void sl_helper_tls_enter(struct sl_helper *h);
void sl_helper_req_begin(struct sl_req *req);
void sl_helper_req_end(void);
int sl_cancel_req_locked(struct syslet_ctx *ctx, struct sl_req *req);

/* The context's lock (made robust in ctx.c): here, so that every file
 * that takes it need not call into ctx.c. */
static inline void sl_ctx_lock(struct syslet_ctx *ctx)
{
	/* No engine thread dies holding it; were one to, carry on. */
	if (pthread_mutex_lock(&ctx->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&ctx->lock);
}

static inline void sl_ctx_unlock(struct syslet_ctx *ctx)
{
	pthread_mutex_unlock(&ctx->lock);
}

/* The request's life (req.h), which needs everything above. */
#include "req.h"

#endif
