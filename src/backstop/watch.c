// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The watcher: signals for threads that wait in a trapped call.
 *
 * The filter is loaded with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: once
 * the listener has received a call, a signal no longer interrupts the
 * caller's wait, so a reply is never lost to a signal (without the flag
 * the kernel may take a reply and still return EINTR, and a helper's read
 * would have eaten the data).  But a signal must still end a call that
 * blocks, as it would natively: alarm() around an fread() from a silent
 * pipe.  A signal the thread does not block stops the helper's call; if
 * it did nothing, the caller makes the call itself
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE), where the signal interrupts it as
 * it would natively; if it finished, the caller gets its result.
 *
 * Which thread has a signal pending only /proc/self/task/TID/status says.
 * A signal sent to the process (kill(), alarm(), Ctrl-C, timeout(1)) is
 * seen at once: it wakes a signalfd's pollers, and this thread polls one
 * (a descriptor at a high number, beside the listener's) while calls wait
 * on helpers, then looks at each of them.  A signal sent to one thread
 * (pthread_kill()) wakes nobody: for it, this thread looks at each such
 * call after 2 ms, then ever less often, up to every 100 ms.  It also
 * hands back to its caller a call still queued for a helper that the
 * engine's spawner cannot make (spawner.c).  Started with the listener,
 * never by it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "slot.h"

#define FIRST_NS 2000000L
#define MAX_NS 100000000L

static uint32_t nwatched; /* futex word: slots on helpers */
static bool started;
static pid_t watcher;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long field(const char *buf, const char *name)
{
	const char *p = strstr(buf, name);

	return p ? strtoul(p + strlen(name), 0, 16) : 0;
}

/* Does thread @tid have a signal pending that it does not block? */
static bool signalled(pid_t tid, uint64_t *blocked)
{
	char buf[2048];
	uint64_t blk;

	if (sl_task_file(0, tid, "status", buf, sizeof(buf)) <= 0)
		return false;
	blk = field(buf, "\nSigBlk:");
	*blocked &= blk;
	return ((field(buf, "\nSigPnd:") | field(buf, "\nShdPnd:")) & ~blk) !=
	       0;
}

/*
 * Still queued for a helper, nothing of it done, while the spawner waits
 * for a lock in pthread_create() (spawner.c): maybe the caller itself
 * holds it.  Its caller makes it.  Not a matter of time: a busy machine
 * may take long to start a helper, and the call is then still routed.
 */
static bool stuck(struct ss_slot *s)
{
	struct syslet_ctx *ctx = __atomic_load_n(&s->ctx, __ATOMIC_ACQUIRE);

	return ctx && sl_trap_queued(ctx, &s->req, s) && sl_spawner_stuck();
}

/*
 * The signalfd: -1 none yet, -2 none for good (it could not be made, or
 * the program closed it).  Its mask leaves out the signals pending for the
 * process that every waiting thread blocks: polled, they would wake us
 * again and again.  So does a wake-up that found nothing to take, some
 * times over (a signal that a thread of the program takes is gone soon).
 */
#define IDLE_WAKES 4
static int sigfd = -1;
static dev_t sigfd_dev;
static ino_t sigfd_ino;
static uint64_t quiet;
static int idle_wakes;

/* The process's pending signals (ShdPnd), as a mask of bit sig - 1. */
static uint64_t shared_pending(void)
{
	char buf[2048];

	/* The same in each thread's status: ours. */
	if (sl_task_file(0, (pid_t)sl_sys0(SYS_gettid), "status", buf,
			 sizeof(buf)) <= 0)
		return 0;
	return field(buf, "\nShdPnd:");
}

/* Is @fd still the signalfd we made? */
static bool sigfd_ours(int fd)
{
	struct stat st;

	return !sl_sys2(SYS_fstat, fd, &st) && st.st_dev == sigfd_dev &&
	       st.st_ino == sigfd_ino;
}

static void sigfd_mask(void)
{
	uint64_t m = ~quiet;

	sl_sys4(SYS_signalfd4, sigfd, &m, sizeof(m),
		SFD_CLOEXEC | SFD_NONBLOCK);
}

static void sigfd_open(void)
{
	int at = ss_listener_fd();
	uint64_t all = ~0ull;
	struct stat st;
	long fd, hi;

	fd = sl_sys4(SYS_signalfd4, -1, &all, sizeof(all),
		     SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0 || sl_sys2(SYS_fstat, fd, &st)) {
		if (fd >= 0)
			sl_sys1(SYS_close, fd);
		sigfd = -2;
		return;
	}
	/* Out of the program's way, beside the listener's. */
	hi = at >= 0 ? sl_sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, at + 1) : -1;
	if (hi >= 0) {
		sl_sys1(SYS_close, fd);
		fd = hi;
	}
	sigfd_dev = st.st_dev;
	sigfd_ino = st.st_ino;
	quiet = 0;
	sigfd = (int)fd;
}

/*
 * Wait up to @ns for a signal sent to the process: true if one came.  A
 * descriptor that is no longer ours (the program closed every one) is
 * left alone for good.
 */
static bool wait_signal(long ns)
{
	struct timespec t = { 0, ns };
	struct pollfd p;

	if (sigfd == -1)
		sigfd_open();
	if (sigfd < 0) {
		sl_sys2(SYS_nanosleep, &t, 0);
		return false;
	}
	p.fd = sigfd;
	p.events = POLLIN;
	p.revents = 0;
	if (sl_sys5(SYS_ppoll, &p, 1, &t, 0, 0) <= 0)
		return false;
	if (!(p.revents & POLLIN) || !sigfd_ours(sigfd)) {
		sigfd = -2;
		sl_sys2(SYS_nanosleep, &t, 0);
		return false;
	}
	return true;
}

/*
 * After a look: signals pending for the process that no waiting thread
 * took stay out of the mask until they are gone.
 */
static void requiet(bool woken, bool took, uint64_t blocked)
{
	uint64_t shd, add;

	if (sigfd < 0 || (!woken && !quiet))
		return;
	shd = shared_pending();
	idle_wakes = woken && !took ? idle_wakes + 1 : 0;
	add = woken && !took ? shd & ~quiet : 0;
	if (idle_wakes < IDLE_WAKES)
		add &= blocked;
	if (add) {
		quiet |= add;
		sigfd_mask();
	} else if (quiet & ~shd) {
		quiet &= shd;
		sigfd_mask();
	}
}

/* Look at the calls on helpers that are due (all of them if @all):
 * true if one was taken back.  *@blocked: the signals that all those
 * looked at block. */
static bool look(int64_t now, bool all, uint64_t *blocked)
{
	bool took = false, looked = false;
	unsigned int i;

	for (i = 0; i < SS_SLOTS; i++) {
		struct ss_slot *s = &ss_slots[i];
		pid_t tid = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);
		long r;

		if (!tid ||
		    __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != S_RUN ||
		    !__atomic_load_n(&s->req, __ATOMIC_ACQUIRE) ||
		    (!all && now < s->next_look_ns))
			continue;
		if (now >= s->next_look_ns) {
			s->look_every_ns = s->look_every_ns * 2 > MAX_NS
						   ? MAX_NS
						   : s->look_every_ns * 2;
			s->next_look_ns = now + s->look_every_ns;
		}
		looked = true;
		if (!stuck(s) && !signalled(tid, blocked))
			continue;
		r = ss_slot_claim(s);
		if (r == SS_UNCLAIMED)
			continue; /* answered, or pthread_cancel() has it */
		/*
		 * Not done: the thread makes the call itself, and the
		 * signal interrupts it there (or restarts it), as natively.
		 * Safe even if this was already the thread's next call.
		 */
		ss_reply_claimed(s, r);
		took = true;
	}
	/* None ready to look at (one on its way to a helper): nothing is
	 * known to be blocked. */
	if (!looked)
		*blocked = 0;
	return took;
}

static void *watch_main(void *arg)
{
	uint64_t blocked;
	bool woken, took;

	(void)arg;
	for (;;) {
		uint32_t n = __atomic_load_n(&nwatched, __ATOMIC_ACQUIRE);

		if (!n) {
			sl_futex_wait(&nwatched, 0, 0);
			continue;
		}
		woken = wait_signal(FIRST_NS);
		blocked = ~0ull;
		took = look(sl_now_ns(), woken, &blocked);
		requiet(woken, took, blocked);
	}
	return 0;
}

pid_t ss_watch_start(void)
{
	pid_t tid;

	pthread_mutex_lock(&start_lock);
	if (!started) {
		/* No watcher: signals wait for the call's end. */
		started = !sl_thread_start_tid(watch_main, 0, "syslet-watch",
					       64 * 1024, &watcher);
		if (!started)
			sl_warn_once("cannot start the seccomp signal watcher",
				     EAGAIN);
	}
	tid = watcher;
	pthread_mutex_unlock(&start_lock);
	return tid;
}

void ss_watch_add(struct ss_slot *s)
{
	s->look_every_ns = FIRST_NS;
	s->next_look_ns = sl_now_ns() + FIRST_NS;
	if (__atomic_fetch_add(&nwatched, 1, __ATOMIC_ACQ_REL) == 0)
		sl_futex_wake(&nwatched, 1);
}

void ss_watch_done(void)
{
	__atomic_fetch_sub(&nwatched, 1, __ATOMIC_ACQ_REL);
}

/* In a fork() child: no watcher thread, nothing watched. */
void ss_watch_child(void)
{
	pthread_mutex_init(&start_lock, 0);
	started = false;
	watcher = 0;
	nwatched = 0;
	/* Our parent's signalfd: not the program's to see. */
	if (sigfd >= 0 && sigfd_ours(sigfd))
		sl_sys1(SYS_close, sigfd);
	sigfd = -1;
}
