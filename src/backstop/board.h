/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The board: a few pages shared by every process of a tree under the
 * backstop and its keeper (a memfd, inherited by fork(), borrowed from the
 * keeper after exec), on which each process's listener says whether it is
 * waiting for notifications.  The keeper takes a notification only when no
 * live listener waits: then nobody else would (an exec'ed image before its
 * shim is up, a program without the shim), and a call that no one takes
 * would hang.  Prefix ss_.
 */
#ifndef SS_BOARD_H
#define SS_BOARD_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SS_BOARD_SLOTS 256
#define SS_BOARD_CELLS 128
#define SS_BOARD_MARKS 1024
#define SS_BOARD_CLOSED 64
#define SS_INBOX 32

/*
 * A process's threads of ours besides the listener (entry tid): under
 * the filter in a fork() child or an exec'ed image, where glibc's
 * setuid() broadcast makes each of them wait in a caught call.  Whoever
 * receives such a call answers it CONTINUE at once, never passes it on:
 * the thread it would go to may be waiting so itself.
 */
enum { SS_SVC_FWD, SS_SVC_WATCH, SS_SVC_SPAWN, SS_SVC_N };

/*
 * A call that one process's listener received for another process, which
 * runs it on its own helpers and answers it on its own copy of the fd
 * (an id is good on every copy): in that process's inbox.  READY and
 * TAKEN count as listed by that process (see ss_board): TAKEN until its
 * forwarder has answered it or listed it as held.
 */
enum { SS_FWD_FREE, SS_FWD_WRITING, SS_FWD_READY, SS_FWD_TAKEN };
struct ss_fwd {
	uint32_t state;
	uint32_t pad;
	struct seccomp_notif n;
};

/*
 * Threads whose caught call a listener (or the keeper) let them make
 * natively (listener.h, ss_listener_continued()): on the board, as a
 * listener answers other processes' calls too.  Each mark is one word,
 * TID << 32 | number, at TID % SS_BOARD_MARKS; the count of marks set
 * has a cache line of its own, as every caught call reads it.
 */
struct ss_marks {
	uint32_t n __attribute__((aligned(64)));
	uint64_t m[SS_BOARD_MARKS] __attribute__((aligned(64)));
};

/*
 * Each listener also lists the calls it leaves unanswered when it goes
 * back to waiting (those on helpers, and in another process's inbox those
 * it passed on).  A call received and not answered,
 * listed by no live listener, while every live listener waits in RECV,
 * was taken by a listener that then died (a child's listener, answering
 * its parent's wait4() as the child exits): the kernel would let that
 * call wait for ever, so the keeper answers it (ss_board_orphans()).
 */
struct ss_board {
	uint64_t last_id; /* a recent notification id, for the scan */
	struct {
		int32_t pid;		       /* 0: free */
		int32_t tid;		       /* the listener thread */
		uint64_t held[SS_BOARD_CELLS]; /* ids; 0: none */
		int32_t svc[SS_SVC_N];	       /* its other threads */
		/* Identity changes of this process's threads that another
		 * listener let run natively: counted, so that it reads
		 * identities afresh. */
		uint32_t ident;
		uint32_t inbox_seq;   /* futex (shared): a call came */
		uint32_t inbox_sleep; /* its forwarder waits on it */
		struct ss_fwd in[SS_INBOX];
	} e[SS_BOARD_SLOTS];
	struct ss_marks marks;
	/*
	 * Threads that closed every descriptor, ours too (close_range(3,
	 * ~0), closefrom(), Python's close_fds): the filter's guard kept it
	 * open, but the image such a thread execs next does not borrow it
	 * back, and so lists the descriptors it lists natively; nor do the
	 * images of its children (sh -c 'ls /proc/self/fd'), which it adds.
	 * A ring of TIDs, 0 free; a TID used again by an unrelated process
	 * of the tree before 64 others come costs it its listener.
	 */
	uint32_t nclosed;
	int32_t closed[SS_BOARD_CLOSED];
};

/* A new board: its memfd (close-on-exec) and mapping, or -errno. */
int ss_board_create(struct ss_board **b);
/* Map the board of memfd @fd.  Returns 0 or -errno. */
int ss_board_map(int fd, struct ss_board **b);
/* Sign in listener thread @tid of process @pid (in a dead listener's
 * place if need be).  Returns its entry, or -ENOSPC if the board is full.
 * ss_board_retid(): the listener thread takes over the entry its creator
 * signed in under its own TID, so that no call finds no listener. */
int ss_board_join(struct ss_board *b, pid_t pid, pid_t tid);
void ss_board_retid(struct ss_board *b, int entry, pid_t tid);
/* Does some listener live? */
bool ss_board_listening(const struct ss_board *b);
/* A notification was received (ids count up from a random start). */
void ss_board_seen(struct ss_board *b, uint64_t id);
/* Entry @entry leaves notification @id unanswered for a while: false if
 * it has no room left, and must then answer it at once. */
bool ss_board_hold(struct ss_board *b, int entry, uint64_t id);
void ss_board_release(struct ss_board *b, int entry, uint64_t id);

/* Thread @tid of entry @entry's process is its service thread @which. */
void ss_board_svc(struct ss_board *b, int entry, int which, pid_t tid);
/*
 * Whose is thread @tid, which is not of entry @self's process?  The entry
 * of its process's live listener (and in *@fwd that entry's forwarder),
 * SS_OWNER_SVC if it is a service thread of some process's, or -1.
 */
#define SS_OWNER_SVC (-2)
int ss_board_owner(const struct ss_board *b, int self, pid_t tid, pid_t *fwd);
/* Does entry @to still have forwarder @fwd? */
bool ss_board_fwd_alive(const struct ss_board *b, int to, pid_t fwd);
/* Give @n to entry @to's process: false if its inbox is full. */
bool ss_board_forward(struct ss_board *b, int to,
		      const struct seccomp_notif *n);
/* One call from entry @entry's inbox into @n (TAKEN): its index, or -1;
 * ss_board_inbox_done() once it is answered or held. */
int ss_board_inbox_take(struct ss_board *b, int entry, struct seccomp_notif *n);
void ss_board_inbox_done(struct ss_board *b, int entry, int i);
/* The forwarder of entry @entry waits for a call (futex, shared). */
void ss_board_inbox_wait(struct ss_board *b, int entry);

/* Thread @tid closed our descriptor, or process @tid runs without it
 * (closed[]); did @pid or @ppid, an exec'ed image's? */
void ss_board_closed_set(struct ss_board *b, pid_t tid);
bool ss_board_closed(const struct ss_board *b, pid_t pid, pid_t ppid);

/* Thread @tid makes its caught call @nr itself, by our answer. */
void ss_marks_set(struct ss_marks *m, pid_t tid, int nr);
/* Take @tid's mark: its call's number, or -1 if it has none. */
int ss_marks_take(struct ss_marks *m, pid_t tid);

/* The keeper's scan for orphans, every so often; see ss_board. */
#define SS_ORPHANS_MAX 32
struct ss_orphans {
	uint64_t scanned; /* the newest id the last scan saw */
	unsigned int scans;
	/* Found while some listener was busy: looked at again each scan,
	 * however far the window has moved on. */
	uint64_t cand[SS_ORPHANS_MAX];
	int n;
};
void ss_board_orphans(struct ss_board *b, int fd, struct ss_orphans *o);

/*
 * The keeper's look at the inboxes, every so often: a call still there,
 * untaken, at two looks in a row, whose forwarder neither runs nor waits
 * for calls (/proc), has a forwarder that waits in something else (in a
 * call it tries, for the other end of a FIFO that waits behind it): it is
 * answered CONTINUE, to be made natively, as the keeper does with a
 * notification that no listener takes.  A forwarder that is merely slow
 * (a busy machine) keeps its calls.
 */
#define SS_STALE_MAX 64
struct ss_stale {
	uint64_t id[SS_STALE_MAX];
	int n;
};
void ss_board_inbox_stale(struct ss_board *b, int fd, struct ss_stale *st);

#endif
