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
 * it natively.  Prefix sl_ident_.  What clients call is in engine.h;
 * this is the engine's side.
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
 * On a helper: take @want (NULL: the helper's own).  0, or -EPERM when
 * the helper could not act exactly as @want: the call must then be made
 * by its caller.  sl_ident_leave(): back to the helper's own identity
 * before it idles; false if it could not, and the helper must end.
 */
void sl_ident_helper_start(void);
int sl_ident_enter(const struct sl_ident *want);
bool sl_ident_leave(void);

/* ident.c, for ident_helper.c: the epoch every change moves, capturing
 * the calling thread (0 or -errno), interning (NULL: the table is full),
 * and capget/capset of version 3 on d[2] (@tid 0: the calling thread). */
extern uint32_t sl_ident_epoch;
int sl_ident_capture_self(struct sl_ident *o);
const struct sl_ident *sl_ident_intern(struct sl_ident *id);
struct __user_cap_data_struct;
int sl_ident_caps_get(long tid, struct __user_cap_data_struct *d);
int sl_ident_caps_set(struct __user_cap_data_struct *d);

/* fork() child: only this thread is left. */
void sl_ident_atfork_child(void);

#endif
