// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Signals and the calls they interrupt, under the seccomp backstop.
 *
 * A caught call waits for the listener, interruptibly until the listener
 * has received it: a signal that lands in that instant ends the call with
 * ERESTARTSYS, which after a handler without SA_RESTART is EINTR, even for
 * a write to a file (stdio then drops what it was writing).  So while the
 * filter is in force, the preload layer installs every handler of the
 * program's with SA_RESTART, and the kernel restarts such a call; its
 * trampoline then gives the interrupted call the answer the program's own
 * flags ask for (ss_restart_settle(), sl_signal_answer()).
 *
 * The kernel's restart leaves the handler's context at the syscall
 * instruction, with the call's number in rax and, because the instruction
 * itself loaded them, rcx just past it and r11 equal to the flags.  A
 * thread interrupted just before a syscall instruction can look the same;
 * sl_signal_answer() gives answers that are native for both.  A caught
 * call that a listener let its thread make natively (another process's
 * listener, a wait that would block, the watcher for this very signal)
 * and that the kernel restarted after a native wait is marked: where the
 * call cannot be judged without making it, the mark says it waited.
 * Only a restart takes the mark: a second signal's handler, stacked on
 * the first, must leave it to the first.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "../engine/engine.h"
#include "backstop.h"
#include "listener.h"

void ss_restart_settle(void *ucp, bool sa_restart)
{
	ucontext_t *uc = ucp;
	unsigned char insn[2];
	long args[6], r = 0;
	uintptr_t ip;
	greg_t *g;
	bool caught, marked;
	int nr;

	if (!uc)
		return;
	g = uc->uc_mcontext.gregs;
	ip = (uintptr_t)g[REG_RIP];
	if ((uintptr_t)g[REG_RCX] != ip + 2 || g[REG_R11] != g[REG_EFL] ||
	    !sl_peek((const void *)ip, insn, sizeof(insn)) || insn[0] != 0x0f ||
	    insn[1] != 0x05)
		return;
	nr = (int)g[REG_RAX];
	/* A listener let it make the call natively: perhaps the kernel's. */
	marked = ss_listener_continued(nr);
	args[0] = g[REG_RDI];
	args[1] = g[REG_RSI];
	args[2] = g[REG_RDX];
	args[3] = g[REG_R10];
	args[4] = g[REG_R8];
	args[5] = g[REG_R9];
	/* The shim's own calls pass the filter. */
	caught = ss_backstop_traps(nr) && !sl_gates_own(ip + 2);
	if (sl_signal_answer(nr, args, caught, marked, sa_restart, &r) ==
	    SL_SIG_RUN)
		return;
	g[REG_RAX] = r;
	g[REG_RIP] = (greg_t)(ip + 2);
}
