/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * long sl_syscall_cp(const volatile int *cancel, long nr, const long *args)
 *
 * A system call that a cancel request can stop without a race: the cancel
 * signal handler (cancel.c) moves a thread whose instruction pointer lies in
 * [sl_cp_begin, sl_cp_end) to sl_cp_cancel.  Within that range the call has
 * either not been made yet, or the kernel has rewound the instruction
 * pointer to the syscall instruction to restart it; either way nothing has
 * happened.  Past sl_cp_end the call ran, and its result stands (-EINTR if a
 * signal interrupted it before it did anything).  musl cancels the same way.
 */
	.text
	.globl	sl_syscall_cp
	.hidden	sl_syscall_cp
	.globl	sl_cp_begin
	.hidden	sl_cp_begin
	.globl	sl_cp_end
	.hidden	sl_cp_end
	.globl	sl_cp_cancel
	.hidden	sl_cp_cancel
	.type	sl_syscall_cp, @function
sl_syscall_cp:
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
	.size	sl_syscall_cp, .-sl_syscall_cp

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

	.section .note.GNU-stack,"",@progbits
