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

#include "../backstop/backstop.h"
#include "../engine/engine.h"
#include "shim.h"

typedef void (*plain_fn)(int);
typedef void (*info_fn)(int, siginfo_t *, void *);
/* Handlers are stored in sa_handler or sa_sigaction, of either type. */
#define FN_CAST(type, f) ((type)(void (*)(void))(f))

/* glibc declares it only for old X/Open. */
sighandler_t bsd_signal(int, sighandler_t);

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static sighandler_t (*real_signal)(int, sighandler_t);
static sighandler_t (*real_bsd_signal)(int, sighandler_t);
static sighandler_t (*real_ssignal)(int, sighandler_t);
static sighandler_t (*real_sysv_signal)(int, sighandler_t);
static sighandler_t (*real___sysv_signal)(int, sighandler_t);
static sighandler_t (*real_sigset)(int, sighandler_t);
static int (*real_siginterrupt)(int, int);
/* Signals siginterrupt() made interrupting, for signal() (under tab_lock). */
static sigset_t intr_set;

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

/*
 * The trampolines: as installed (T_PLAIN), and while the seccomp filter
 * is in force, with SA_RESTART put in (restart.c): T_RESTART where the
 * program asked for it, T_NORESTART where it did not.
 */
enum { T_PLAIN, T_RESTART, T_NORESTART, T_COUNT };

/* Before the program's handler @sig runs behind trampoline @t. */
static void before_handler(int sig, void *uc, int t)
{
	struct k_sigaction k;
	int saved = errno;

	if (t != T_PLAIN)
		ss_restart_settle(uc, t == T_RESTART);
	/*
	 * Whether the kernel restarts our wait is the program's choice: the
	 * trampoline says it, or else the action in force (for the engine's
	 * cancel signal that is the engine's handler, which never restarts).
	 */
	if (sl_call_waiting()) {
		if (t != T_PLAIN)
			sl_call_signal(t == T_RESTART);
		else if (!sl_sys4(SYS_rt_sigaction, sig, 0, &k, sizeof(k.mask)))
			sl_call_signal(k.flags & SA_RESTART);
	}
	errno = saved;
}

static void tramp_plain(int sig)
{
	plain_fn h = __atomic_load_n(&plain_tab[sig], __ATOMIC_ACQUIRE);

	before_handler(sig, 0, T_PLAIN);
	if (h)
		h(sig);
}

static void tramp_info(int sig, siginfo_t *si, void *uc)
{
	info_fn h = __atomic_load_n(&info_tab[sig], __ATOMIC_ACQUIRE);

	before_handler(sig, uc, T_PLAIN);
	if (h)
		h(sig, si, uc);
}

/*
 * The forced pairs.  The kernel passes the context to every handler on
 * x86-64, SA_SIGINFO or not.
 */
#define FORCED_TRAMPOLINES(name, t)                                            \
	static void tramp_plain_##name(int sig, siginfo_t *si, void *uc)       \
	{                                                                      \
		plain_fn h =                                                   \
			__atomic_load_n(&plain_tab[sig], __ATOMIC_ACQUIRE);    \
                                                                               \
		(void)si;                                                      \
		before_handler(sig, uc, t);                                    \
		if (h)                                                         \
			h(sig);                                                \
	}                                                                      \
	static void tramp_info_##name(int sig, siginfo_t *si, void *uc)        \
	{                                                                      \
		info_fn h = __atomic_load_n(&info_tab[sig], __ATOMIC_ACQUIRE); \
                                                                               \
		before_handler(sig, uc, t);                                    \
		if (h)                                                         \
			h(sig, si, uc);                                        \
	}
FORCED_TRAMPOLINES(restart, T_RESTART)
FORCED_TRAMPOLINES(norestart, T_NORESTART)

static const struct {
	plain_fn plain;
	info_fn info;
} tramps[T_COUNT] = {
	{ tramp_plain, tramp_info },
	{ FN_CAST(plain_fn, tramp_plain_restart), tramp_info_restart },
	{ FN_CAST(plain_fn, tramp_plain_norestart), tramp_info_norestart },
};

/* Which trampoline @sa installs, or -1 for none. */
static int tramp_of(const struct sigaction *sa)
{
	int i;

	for (i = 0; i < T_COUNT; i++)
		if ((sa->sa_flags & SA_SIGINFO)
			    ? sa->sa_sigaction == tramps[i].info
			    : sa->sa_handler == tramps[i].plain)
			return i;
	return -1;
}

static bool is_tramp(plain_fn h)
{
	int i;

	for (i = 0; i < T_COUNT; i++)
		if (h == tramps[i].plain ||
		    FN_CAST(info_fn, h) == tramps[i].info)
			return true;
	return false;
}

static bool wrappable(plain_fn h)
{
	return shim_on && h != SIG_DFL && h != SIG_IGN && h != SIG_ERR &&
	       !is_tramp(h);
}

/*
 * Put the trampoline for @sig in front of the handler in @sa (already in
 * the tables).  Not the engine's cancel signal: its handler, not the
 * kernel, calls the program's, with the engine's flags.
 */
static void put_tramp(int sig, struct sigaction *sa)
{
	int t = T_PLAIN;

	if (ss_restart_forced && !sl_cancel_signal_sigaction(sig, 0, 0)) {
		t = (sa->sa_flags & SA_RESTART) ? T_RESTART : T_NORESTART;
		sa->sa_flags |= SA_RESTART;
	}
	if (sa->sa_flags & SA_SIGINFO)
		sa->sa_sigaction = tramps[t].info;
	else
		sa->sa_handler = tramps[t].plain;
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

/* What the program installed, where a trampoline stands in @sa. */
static void unwrap(struct sigaction *sa, const struct tab_entry *was)
{
	int t = tramp_of(sa);

	if (t < 0 ||
	    !((sa->sa_flags & SA_SIGINFO) ? !!was->info : !!was->plain))
		return;
	if (sa->sa_flags & SA_SIGINFO)
		sa->sa_sigaction = was->info;
	else
		sa->sa_handler = was->plain;
	if (t == T_NORESTART)
		sa->sa_flags &= ~SA_RESTART;
}

/* The same for a handler as signal() returns it. */
static sighandler_t unwrap_handler(sighandler_t r, const struct tab_entry *was)
{
	int i;

	for (i = 0; i < T_COUNT; i++) {
		if (r == tramps[i].plain && was->plain)
			return was->plain;
		if (FN_CAST(info_fn, r) == tramps[i].info && was->info)
			return FN_CAST(sighandler_t, was->info);
	}
	return r;
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
	if (wrap && (mine.sa_flags & SA_SIGINFO))
		__atomic_store_n(&info_tab[sig], mine.sa_sigaction,
				 __ATOMIC_RELEASE);
	else if (wrap)
		__atomic_store_n(&plain_tab[sig], mine.sa_handler,
				 __ATOMIC_RELEASE);
	if (wrap)
		put_tramp(sig, &mine);
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
	/* signal()'s SA_RESTART, unless siginterrupt() said otherwise. */
	if ((flags & SA_RESTART) && sigismember(&intr_set, sig))
		flags &= ~SA_RESTART;
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
		if (sigismember(&intr_set, sig))
			cur.sa_flags &= ~SA_RESTART;
		__atomic_store_n(&plain_tab[sig], h, __ATOMIC_RELEASE);
		put_tramp(sig, &cur);
		real_sa(sig, &cur, 0);
	}
	tab_lock_put(&saved);
	return unwrap_handler(r, &was);
}

#define SIGNAL(name, flags)                                                    \
	SHIM_EXPORT sighandler_t name(int sig, sighandler_t h)                 \
	{                                                                      \
		return do_signal(&real_##name, #name, sig, h, flags);          \
	}

/* glibc's signal() has BSD semantics; sysv_signal() is one-shot. */
SIGNAL(signal, SA_RESTART)
SIGNAL(bsd_signal, SA_RESTART)
SIGNAL(ssignal, SA_RESTART)
SIGNAL(sysv_signal, SA_RESETHAND | SA_NODEFER)
SIGNAL(__sysv_signal, SA_RESETHAND | SA_NODEFER)

/*
 * sigset() and siginterrupt(), whose C library versions change actions
 * behind sigaction()'s back: made of do_sigaction() here, so that the
 * trampoline in force always says what the program asked for.
 */
SHIM_EXPORT sighandler_t sigset(int sig, sighandler_t h)
{
	sighandler_t (*real)(int, sighandler_t) =
		SHIM_REAL(real_sigset, "sigset");
	struct sigaction sa = { .sa_handler = h }, old;
	sigset_t one, mask;
	int how = h == SIG_HOLD ? SIG_BLOCK : SIG_UNBLOCK;

	if (!shim_on || sig <= 0 || sig >= _NSIG || h == SIG_ERR)
		return real(sig, h);
	if (do_sigaction(sig, h == SIG_HOLD ? 0 : &sa, &old))
		return SIG_ERR;
	sigemptyset(&one);
	sigaddset(&one, sig);
	if (sl_sys4(SYS_rt_sigprocmask, how, &one, &mask, _NSIG / 8)) {
		errno = EINVAL;
		return SIG_ERR;
	}
	return sigismember(&mask, sig) ? SIG_HOLD : old.sa_handler;
}

SHIM_EXPORT int siginterrupt(int sig, int flag)
{
	int (*real)(int, int) = SHIM_REAL(real_siginterrupt, "siginterrupt");
	struct sigaction sa;
	sigset_t saved;

	if (!shim_on || sig <= 0 || sig >= _NSIG)
		return real(sig, flag);
	if (do_sigaction(sig, 0, &sa))
		return -1;
	/* For later signal() calls too, as the C library keeps it. */
	tab_lock_get(&saved);
	if (flag)
		sigaddset(&intr_set, sig);
	else
		sigdelset(&intr_set, sig);
	tab_lock_put(&saved);
	if (flag)
		sa.sa_flags &= ~SA_RESTART;
	else
		sa.sa_flags |= SA_RESTART;
	return do_sigaction(sig, &sa, 0);
}

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
		{ "sigset", (void **)&real_sigset },
		{ "siginterrupt", (void **)&real_siginterrupt },
	};

	shim_resolve(syms, sizeof(syms) / sizeof(syms[0]));
	pthread_atfork(0, 0, child);
}
