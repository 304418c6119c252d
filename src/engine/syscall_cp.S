/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * long sl_syscall_cp_raw(const volatile int *cancel, long nr, const long *args)
 *
 * A system call that a cancel request can stop without a race: the cancel
 * signal handler (cancel.c) moves a thread whose instruction pointer lies in
 * [sl_cp_begin, sl_cp_end) to sl_cp_cancel.  Within that range the call has
 * either not been made yet, or the kernel has rewound the instruction
 * pointer to the syscall instruction to restart it; either way nothing has
 * happened.  Past sl_cp_end the call ran, and its result stands (-EINTR if a
 * signal interrupted it before it did anything).  musl cancels the same way.
 */
/*
 * Both stubs lie between sl_gates_start and sl_gates_end, and use only
 * relative jumps: the backstop copies the block to the same address in
 * every process of a tree (gates.c), because its filter names the gates by
 * address and an exec'ed image maps the shim elsewhere.
 */
	.text
	.globl	sl_gates_start
	.hidden	sl_gates_start
	.globl	sl_gates_end
	.hidden	sl_gates_end
	.p2align 4
sl_gates_start:
	.globl	sl_syscall_cp_raw
	.hidden	sl_syscall_cp_raw
	.globl	sl_cp_begin
	.hidden	sl_cp_begin
	.globl	sl_cp_end
	.hidden	sl_cp_end
	.globl	sl_cp_cancel
	.hidden	sl_cp_cancel
	.type	sl_syscall_cp_raw, @function
sl_syscall_cp_raw:
	.cfi_startproc
	mov	%rdi, %r11		/* cancel flag */
	mov	%rsi, %rax		/* number */
	mov	%rdx, %rcx		/* argument array */
	mov	0(%rcx), %rdi
	mov	8(%rcx), %rsi
	mov	16(%rcx), %rdx
	mov	24(%rcx), %r10
	mov	32(%rcx), %r8
	mov	40(%rcx), %r9
sl_cp_begin:
	cmpl	$0, (%r11)
	jne	sl_cp_cancel
	syscall
sl_cp_end:
	ret
sl_cp_cancel:
	mov	$-125, %rax		/* -ECANCELED */
	ret
	.cfi_endproc
	.size	sl_syscall_cp_raw, .-sl_syscall_cp_raw

/*
 * long sl_gate(long nr, long a, long b, long c, long d, long e, long f)
 *
 * Every other raw system call of the engine and the shim (sl_sys6()).
 * The seccomp backstop's filter lets calls from sl_gate_end and sl_cp_end
 * through (doc/backstop.md): a call made here is one the shim makes on
 * purpose, for itself or on a program thread's behalf, and must not be
 * caught again.
 */
	.globl	sl_gate
	.hidden	sl_gate
	.globl	sl_gate_end
	.hidden	sl_gate_end
	.type	sl_gate, @function
sl_gate:
	.cfi_startproc
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	syscall
sl_gate_end:
	ret
	.cfi_endproc
	.size	sl_gate, .-sl_gate
sl_gates_end:

	.section .note.GNU-stack,"",@progbits
