// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The program's signal handlers.
 *
 * Natively a handler that interrupts a blocked call runs once the call has
 * given up (without SA_RESTART: it then fails with EINTR).  Under the shim
 * the call is a helper's, which goes on while the handler runs on the
 * waiting thread, and could take what the handler writes: the self-pipe
 * trick would read its own byte instead of failing with EINTR.  So each
 * handler the program installs runs behind a trampoline, installed with the
 * program's flags and mask, that first has such a call stopped
 * (sl_call_signal()).  sigaction() and signal() report the program's
 * handler where the trampoline stands.  SIG_DFL and SIG_IGN are installed
 * as they are, and so is everything while routing is off.
 *
 * The engine interrupts helpers with one signal (SIGRTMAX - 2 unless
 * SYSLET_CANCEL_SIGNAL says otherwise).  Once its handler is in place the
 * program must neither replace it nor see it: sigaction() and signal() on
 * that signal read and write the handler the engine passes the program's
 * signals on to, and the program sees exactly what it installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "../engine/call.h"
#include "../engine/internal.h"
#include "shim.h"

typedef void (*plain_fn)(int);
typedef void (*info_fn)(int, siginfo_t *, void *);
/* Handlers are stored in sa_handler or sa_sigaction, of either type. */
#define FN_CAST(type, f) ((type)(void (*)(void))(f))

/* glibc declares it only for old X/Open. */
sighandler_t bsd_signal(int, sighandler_t);

static int (*real_sigaction)(int, const struct sigaction *,
			     struct sigaction *);
static sighandler_t (*real_signal)(int, sighandler_t);
static sighandler_t (*real_bsd_signal)(int, sighandler_t);
static sighandler_t (*real_ssignal)(int, sighandler_t);
static sighandler_t (*real_sysv_signal)(int, sighandler_t);
static sighandler_t (*real___sysv_signal)(int, sighandler_t);

/*
 * The program's handlers, a table per calling convention: the kernel picks
 * the trampoline with the action in force at delivery, so a trampoline
 * never calls a handler of the other kind, even across a sigaction() race.
 */
static plain_fn plain_tab[_NSIG];
static info_fn info_tab[_NSIG];
static int tab_lock;

/* The kernel's struct sigaction, read from within a handler. */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

static void before_handler(int sig)
{
	struct k_sigaction k;
	int saved;

	if (!sl_call_waiting())
		return;
	saved = errno;
	/*
	 * The action in force decides whether the kernel restarts our wait,
	 * so it decides here too (for the engine's cancel signal that is the
	 * engine's handler, which never restarts).
	 */
	if (!sl_sys4(SYS_rt_sigaction, sig, 0, &k, sizeof(k.mask)))
		sl_call_signal(k.flags & SA_RESTART);
	errno = saved;
}

static void tramp_plain(int sig)
{
	plain_fn h = __atomic_load_n(&plain_tab[sig], __ATOMIC_ACQUIRE);

	before_handler(sig);
	if (h)
		h(sig);
}

static void tramp_info(int sig, siginfo_t *si, void *uc)
{
	info_fn h = __atomic_load_n(&info_tab[sig], __ATOMIC_ACQUIRE);

	before_handler(sig);
	if (h)
		h(sig, si, uc);
}

static bool wrappable(plain_fn h)
{
	return shim_on && h != SIG_DFL && h != SIG_IGN && h != SIG_ERR &&
	       h != tramp_plain && FN_CAST(info_fn, h) != tramp_info;
}

/*
 * The tables change with the kernel's actions, under one lock.  A handler
 * may call sigaction() too: signals stay blocked while the lock is held,
 * and nothing in between touches the program's memory, which could fault.
 */
static void tab_lock_get(sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	sl_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &all, saved, _NSIG / 8);
	while (__atomic_exchange_n(&tab_lock, 1, __ATOMIC_ACQUIRE))
		sl_sys0(SYS_sched_yield);
}

static void tab_lock_put(const sigset_t *saved)
{
	__atomic_store_n(&tab_lock, 0, __ATOMIC_RELEASE);
	sl_sys4(SYS_rt_sigprocmask, SIG_SETMASK, saved, 0, _NSIG / 8);
}

struct tab_entry {
	plain_fn plain;
	info_fn info;
};

static void unwrap(struct sigaction *sa, const struct tab_entry *was)
{
	if (sa->sa_handler == tramp_plain && was->plain)
		sa->sa_handler = was->plain;
	else if (sa->sa_sigaction == tramp_info && was->info)
		sa->sa_sigaction = was->info;
}

static int do_sigaction(int sig, const struct sigaction *act,
			struct sigaction *old)
{
	int (*real)(int, const struct sigaction *, struct sigaction *) =
		SHIM_REAL(real_sigaction, "sigaction");
	struct sigaction mine, prev;
	struct tab_entry was;
	sigset_t saved;
	bool wrap;
	int rc, err = 0;

	if (sig <= 0 || sig >= _NSIG)
		return real(sig, act, old);
	if (act) {
		mine = *act;
		act = &mine;
	}
	wrap = act && wrappable(mine.sa_handler);
	tab_lock_get(&saved);
	was.plain = plain_tab[sig];
	was.info = info_tab[sig];
	if (wrap && (mine.sa_flags & SA_SIGINFO)) {
		__atomic_store_n(&info_tab[sig], mine.sa_sigaction,
				 __ATOMIC_RELEASE);
		mine.sa_sigaction = tramp_info;
	} else if (wrap) {
		__atomic_store_n(&plain_tab[sig], mine.sa_handler,
				 __ATOMIC_RELEASE);
		mine.sa_handler = tramp_plain;
	}
	if (sl_cancel_signal_sigaction(sig, act, old ? &prev : 0)) {
		rc = 0;
	} else {
		rc = real(sig, act, old ? &prev : 0);
		err = errno;
	}
	if (rc && wrap) {
		__atomic_store_n(&plain_tab[sig], was.plain, __ATOMIC_RELEASE);
		__atomic_store_n(&info_tab[sig], was.info, __ATOMIC_RELEASE);
	}
	tab_lock_put(&saved);
	if (rc) {
		errno = err;
		return rc;
	}
	if (old) {
		unwrap(&prev, &was);
		*old = prev;
	}
	return 0;
}

SHIM_EXPORT int sigaction(int sig, const struct sigaction *act,
			  struct sigaction *old)
{
	return do_sigaction(sig, act, old);
}

/*
 * signal() and its variants.  The C library picks the flags and mask (for
 * signal(), by what siginterrupt() said, which only it knows): let it
 * install the handler, then put the trampoline in front with the same.
 * On the engine's cancel signal, whose action the C library must not
 * touch, @flags are what it would have chosen.
 */
static sighandler_t do_signal(sighandler_t (**realp)(int, sighandler_t),
			      const char *name, int sig, sighandler_t h,
			      int flags)
{
	sighandler_t (*real)(int, sighandler_t) =
		(__typeof__(real))shim_real((void **)realp, name);
	int (*real_sa)(int, const struct sigaction *, struct sigaction *) =
		SHIM_REAL(real_sigaction, "sigaction");
	struct sigaction sa, cur;
	struct tab_entry was;
	sighandler_t r;
	sigset_t saved;

	if (sig <= 0 || sig >= _NSIG || h == SIG_ERR)
		return real(sig, h);
	tab_lock_get(&saved);
	if (sl_cancel_signal_sigaction(sig, 0, 0)) {
		tab_lock_put(&saved);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = h;
		sa.sa_flags = flags;
		if (!(flags & SA_NODEFER))
			sigaddset(&sa.sa_mask, sig);
		if (do_sigaction(sig, &sa, &cur))
			return SIG_ERR;
		return cur.sa_handler;
	}
	was.plain = plain_tab[sig];
	was.info = info_tab[sig];
	r = real(sig, h);
	if (r != SIG_ERR && wrappable(h) && !real_sa(sig, 0, &cur) &&
	    cur.sa_handler == h && !(cur.sa_flags & SA_SIGINFO)) {
		__atomic_store_n(&plain_tab[sig], h, __ATOMIC_RELEASE);
		cur.sa_handler = tramp_plain;
		real_sa(sig, &cur, 0);
	}
	tab_lock_put(&saved);
	if (r == tramp_plain && was.plain)
		r = was.plain;
	else if (FN_CAST(info_fn, r) == tramp_info && was.info)
		r = FN_CAST(sighandler_t, was.info);
	return r;
}

#define SIGNAL(name, flags)                                                \
	SHIM_EXPORT sighandler_t name(int sig, sighandler_t h)             \
	{                                                                  \
		return do_signal(&real_##name, #name, sig, h, flags);      \
	}

/* glibc's signal() has BSD semantics; sysv_signal() is one-shot. */
SIGNAL(signal, SA_RESTART)
SIGNAL(bsd_signal, SA_RESTART)
SIGNAL(ssignal, SA_RESTART)
SIGNAL(sysv_signal, SA_RESETHAND | SA_NODEFER)
SIGNAL(__sysv_signal, SA_RESETHAND | SA_NODEFER)

/* In a child of fork() only the forking thread exists: not the holder. */
static void child(void)
{
	tab_lock = 0;
}

void shim_signals_init(void)
{
	static const struct shim_sym syms[] = {
		{ "sigaction", (void **)&real_sigaction },
		{ "signal", (void **)&real_signal },
		{ "bsd_signal", (void **)&real_bsd_signal },
		{ "ssignal", (void **)&real_ssignal },
		{ "sysv_signal", (void **)&real_sysv_signal },
		{ "__sysv_signal", (void **)&real___sysv_signal },
	};

	shim_resolve(syms, sizeof(syms) / sizeof(syms[0]));
	pthread_atfork(0, 0, child);
}
