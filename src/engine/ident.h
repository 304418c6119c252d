/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who makes a call, as the kernel judges it (doc/identity.md): a helper
 * acts with its caller's credentials, or the call stays on the caller.
 *
 * An identity is captured on the calling thread, interned (equal
 * identities share one immutable record, so comparing two is comparing
 * pointers) and carried by the request.  A helper whose own identity
 * differs takes the caller's before the call (sl_ident_enter()) and goes
 * back to its own before it idles (sl_ident_leave()).  Where that cannot
 * be done exactly, the call is not made on the helper: the caller makes
 * it natively.  Prefix sl_ident_.
 */
#ifndef SL_IDENT_H
#define SL_IDENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* More supplementary groups than this: not captured, the call stays home. */
#define SL_IDENT_GROUPS 64

struct sl_ident {
	uint32_t uid[4]; /* real, effective, saved, filesystem */
	uint32_t gid[4];
	uint32_t ngroups;
	uint32_t groups[SL_IDENT_GROUPS]; /* the kernel's (sorted) order */
	uint32_t cap_eff[2], cap_prm[2];  /* capget(2) version 3 */
	int32_t prio;			  /* getpriority(2)'s raw 40..1 */
	int32_t ioprio;			  /* ioprio_get(2) */
	uint64_t slack;			  /* PR_GET_TIMERSLACK */
	uint32_t hash;
};

/*
 * The thread's identity, or NULL when the call must stay on the caller:
 * the thread (or one it descends from) made an attribute of its own that
 * no helper can take (unshare(), setns(), its own seccomp filter or
 * Landlock domain, personality()), or the identity cannot be captured.
 * Re-captured when the epoch moved (sl_ident_changed()) if @tracked (someone
 * tells us of every change), else on every call.
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

/*
 * The calling thread made an attribute of its own that a helper cannot
 * take: its calls stay on it from now on, and so do those of threads it
 * creates (sl_ident_pinned_child()).  Async-signal-safe.
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
 * On a helper: take @want (NULL: the helper's own).  0, or -EPERM when
 * the helper could not act exactly as @want: the call must then be made
 * by its caller.  sl_ident_leave(): back to the helper's own identity
 * before it idles; false if it could not, and the helper must end.
 */
void sl_ident_helper_start(void);
int sl_ident_enter(const struct sl_ident *want);
bool sl_ident_leave(void);

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
	unsigned long v;
};
extern const struct sl_ident_rule sl_ident_rules[];
extern const unsigned int sl_ident_nrules;
/* Act on it: the preload layer's wrappers, after the call. */
void sl_ident_after(long nr, const long *args);

/* fork() child: only this thread is left. */
void sl_ident_atfork_child(void);

#endif
