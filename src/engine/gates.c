// SPDX-License-Identifier: LGPL-2.1-or-later
/* Where the system call stubs run; see struct sl_gates in internal.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "internal.h"

long sl_gate(long nr, long a, long b, long c, long d, long e, long f);
long sl_syscall_cp_stub(const volatile int *cancel, long nr,
			const long *args) __asm__("sl_syscall_cp_raw");
extern const char sl_gates_start[], sl_gates_end[], sl_gate_end[],
	sl_cp_begin[], sl_cp_end[], sl_cp_cancel[];

struct sl_gates sl_gates = {
	.gate = sl_gate,
	.cp = sl_syscall_cp_stub,
	.gate_end = (uintptr_t)sl_gate_end,
	.cp_begin = (uintptr_t)sl_cp_begin,
	.cp_end = (uintptr_t)sl_cp_end,
	.cp_cancel = (uintptr_t)sl_cp_cancel,
};

#define MOVED(sym, at)                                                         \
	((uintptr_t)(at) + ((uintptr_t)(sym) - (uintptr_t)sl_gates_start))

int sl_gates_move(void *at)
{
	size_t n = (size_t)(sl_gates_end - sl_gates_start);
	struct sl_gates g;

	if (n > 4096)
		return -E2BIG;
	memcpy(at, sl_gates_start, n);
	if (sl_sys3(SYS_mprotect, at, 4096, PROT_READ | PROT_EXEC))
		return -EACCES;
	g.gate = (__typeof__(g.gate))MOVED(sl_gate, at);
	g.cp = (__typeof__(g.cp))MOVED(sl_syscall_cp_stub, at);
	g.gate_end = MOVED(sl_gate_end, at);
	g.cp_begin = MOVED(sl_cp_begin, at);
	g.cp_end = MOVED(sl_cp_end, at);
	g.cp_cancel = MOVED(sl_cp_cancel, at);
	/* One store each: another thread may be making calls meanwhile. */
	__atomic_store_n(&sl_gates.gate_end, g.gate_end, __ATOMIC_RELAXED);
	__atomic_store_n(&sl_gates.cp_begin, g.cp_begin, __ATOMIC_RELAXED);
	__atomic_store_n(&sl_gates.cp_end, g.cp_end, __ATOMIC_RELAXED);
	__atomic_store_n(&sl_gates.cp_cancel, g.cp_cancel, __ATOMIC_RELAXED);
	__atomic_store_n(&sl_gates.cp, g.cp, __ATOMIC_RELEASE);
	__atomic_store_n(&sl_gates.gate, g.gate, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Did the syscall instruction that ends at @after belong to the stubs the
 * backstop's filter lets through (the moved ones; none if not moved)?
 */
bool sl_gates_own(uintptr_t after)
{
	uintptr_t g = __atomic_load_n(&sl_gates.gate_end, __ATOMIC_RELAXED);

	return g != (uintptr_t)sl_gate_end &&
	       (after == g ||
		after == __atomic_load_n(&sl_gates.cp_end, __ATOMIC_RELAXED));
}
