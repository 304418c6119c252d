/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The listener's calls in flight (listener.c), shared with the watcher
 * (watch.c).  One slot per trapped call being made, by the trapping
 * thread's TID.  A slot is RUN while the call is made (on the listener or
 * a helper), SENDING while its result is sent, CLAIMED when pthread_cancel()
 * or the watcher took the call over: the helper's result then goes to the
 * claimer, never straight to the kernel.
 */
#ifndef SS_SLOT_H
#define SS_SLOT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "board.h"
#include "listener.h"

#define SS_SLOTS 128

enum { S_FREE, S_RUN, S_SENDING, S_CLAIMED };

/* A cancelled call that did nothing: the caller then makes it. */
#define SS_NOTDONE (-125) /* -ECANCELED */
/* ss_slot_claim(): the slot is free, or claimed by someone else (no
 * system call returns this). */
#define SS_UNCLAIMED (-4096L - 1)

struct sl_req;
struct syslet_ctx;

struct ss_slot {
	int32_t tid; /* 0: free */
	uint32_t state;
	uint64_t id;
	int nr;
	long args[6];
	long result;
	uint32_t fin;	    /* futex: a claimer's result is in */
	struct sl_req *req; /* on a helper; under the context lock */
	struct syslet_ctx *ctx;
	uint64_t t0;	      /* statistics */
	bool held;	      /* listed on the board (board.h) */
	int64_t next_look_ns; /* watch.c */
	int64_t look_every_ns;
};

extern struct ss_slot ss_slots[SS_SLOTS];

/* This process's listener: listener.c answers, thread.c runs it. */
struct ss_self {
	struct ss_board *board; /* NULL: no keeper's board */
	int fd;			/* the notify fd, -1: none */
	int entry;		/* ours on the board */
	pid_t pid;
	struct ss_listener_ops ops;
	struct ss_marks own_marks; /* when there is no board */
	pid_t svc[SS_SVC_N];	   /* our threads besides the listener */
	uint32_t ident_seen;	   /* the board's ident count, as seen */
};
extern struct ss_self ss_self;

/* listener.c.  ss_handle(): from the listener and the forwarder, each
 * with its own cache of the threads it has seen. */
#define SS_SEEN 64
struct ss_seen {
	struct {
		pid_t tid;
		int64_t until;
	} ours[SS_SEEN];
	struct {
		pid_t tid;
		int entry; /* or SS_OWNER_SVC */
		pid_t fwd;
		int64_t until;
	} owners[SS_SEEN];
};
struct seccomp_notif;
void ss_handle(struct ss_seen *c, const struct seccomp_notif *n);
long ss_ioc(unsigned long cmd, void *arg);
long ss_slot_claim(struct ss_slot *s);
long ss_reply(uint64_t id, long val, bool cont);
void ss_slot_drop(struct ss_slot *s);
void ss_reply_drop(struct ss_slot *s, long r);
void ss_reply_claimed(struct ss_slot *s, long r);
void ss_cont(uint64_t id, pid_t tid, int nr);
/* guard.c: calls that would close or replace our descriptor. */
void ss_guard_closed(const struct seccomp_notif *n);
bool ss_guard(const struct seccomp_notif *n);
/* whose.c: whose thread made a call, and another process's calls. */
bool ss_ours_is(struct ss_seen *c, pid_t tid);
bool ss_svc_is(pid_t tid);
void ss_foreign(struct ss_seen *c, const struct seccomp_notif *n);
void ss_ident_news(void);

/*
 * watch.c: a call went to a helper; the watcher looks for signals.  It and
 * listener.c call each other, as they must: the listener hands it the
 * calls that wait, and it takes a signalled one back (ss_slot_claim(),
 * ss_reply_drop()).
 */
/* Returns the watcher's TID, 0 if there is none. */
pid_t ss_watch_start(void);
void ss_watch_add(struct ss_slot *s);
void ss_watch_done(void);
void ss_watch_child(void);

#endif
