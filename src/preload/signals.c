// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The engine interrupts helpers with one signal (SIGRTMAX - 2 unless
 * SYSLET_CANCEL_SIGNAL says otherwise).  Once its handler is in place the
 * program must neither replace it nor see it: sigaction() and signal() on
 * that signal read and write the handler the engine passes the program's
 * signals on to, and the program sees exactly what it installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "../engine/internal.h"
#include "shim.h"

static int (*real_sigaction)(int, const struct sigaction *,
			     struct sigaction *);
static sighandler_t (*real_signal)(int, sighandler_t);

SHIM_EXPORT int sigaction(int sig, const struct sigaction *act,
			  struct sigaction *old)
{
	if (sl_cancel_signal_sigaction(sig, act, old))
		return 0;
	return SHIM_REAL(real_sigaction, "sigaction")(sig, act, old);
}

SHIM_EXPORT sighandler_t signal(int sig, sighandler_t h)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = SA_RESTART; /* glibc's signal() has BSD semantics */
	if (sl_cancel_signal_sigaction(sig, &sa, &old))
		return old.sa_handler;
	return SHIM_REAL(real_signal, "signal")(sig, h);
}
