// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Signals and the calls they interrupt, under the seccomp backstop.
 *
 * A caught call waits for the listener, interruptibly until the listener
 * has received it: a signal that lands in that instant ends the call with
 * ERESTARTSYS, which after a handler without SA_RESTART is EINTR, even for
 * a write to a file (stdio then drops what it was writing).  So while the
 * filter is in force, signals.c installs every handler of the program's
 * with SA_RESTART, and the kernel restarts such a call; for a handler
 * installed without it, the trampoline then gives the interrupted call
 * the answer the program asked for (shim_restart_settle()).
 *
 * The kernel's restart leaves the handler's context at the syscall
 * instruction, with the call's number in rax and, because the instruction
 * itself loaded them, rcx just past it and r11 equal to the flags.  A
 * thread interrupted just before a syscall instruction can look the same;
 * sl_signal_answer() gives the answer that is native for both.  A call it
 * cannot judge (an ioctl, a splice) is restarted if the filter catches it
 * (a signal most likely caught it before the listener) and fails with
 * EINTR if not (it was the kernel's restart of a native call).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "../engine/internal.h"
#include "../policy/policy.h"
#include "shim.h"

bool shim_restart_forced;

void shim_restart_settle(void *ucp, bool sa_restart)
{
	greg_t *g = ((ucontext_t *)ucp)->uc_mcontext.gregs;
	const unsigned char *ip = (const unsigned char *)g[REG_RIP];
	long args[6], r = 0;
	int nr, how;

	if (!ucp || (uintptr_t)g[REG_RCX] != (uintptr_t)ip + 2 ||
	    g[REG_R11] != g[REG_EFL] || ip[0] != 0x0f || ip[1] != 0x05)
		return;
	nr = (int)g[REG_RAX];
	args[0] = g[REG_RDI];
	args[1] = g[REG_RSI];
	args[2] = g[REG_RDX];
	args[3] = g[REG_R10];
	args[4] = g[REG_R8];
	args[5] = g[REG_R9];
	how = sl_signal_answer(nr, args, sa_restart, &r);
	if (how == SL_SIG_RUN ||
	    (how == SL_SIG_UNSURE && shim_policy_traps(nr) && sp_trappable(nr)))
		return;
	if (how == SL_SIG_UNSURE)
		r = -EINTR;
	g[REG_RAX] = r;
	g[REG_RIP] += 2;
}
