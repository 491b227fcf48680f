/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points of the demo TVM (VS-mode, vsatp Bare).
 *
 * _start: vCPU 0 as promote_to_tvm left it, a0 = 0 (its id), a1 = the FDT's
 * GPA (the boot registers the hypervisor put in NACL). It clears .bss (each
 * first touch is a demand-zero fault the monitor serves) and calls
 * guest_main on vCPU 0's stack.
 * guest_secondary_entry: a vCPU started with SBI HSM hart_start, a0 = its
 * id, a1 = opaque; guest_secondary_main on that vCPU's stack.
 * guest_trap_entry: the VS trap vector (stvec), for the timer interrupt.
 */
#include "../guest_layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	sp, guest_stacks
	li	t0, GUEST_STACK_SIZE
	add	sp, sp, t0
	call	guest_main
	j	guest_halt

	.text
	.balign	4
	.globl	guest_secondary_entry
guest_secondary_entry:
	li	t0, GUEST_VCPUS
	bgeu	a0, t0, guest_halt
	la	sp, guest_stacks
	li	t0, GUEST_STACK_SIZE
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	call	guest_secondary_main
guest_halt:
	wfi
	j	guest_halt

	/* Saves what the C ABI lets a callee clobber, runs guest_trap, sret. */
	.balign	4
	.globl	guest_trap_entry
guest_trap_entry:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	call	guest_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 128
	sret

	.bss
	.balign	16
	.globl	guest_stacks
guest_stacks:
	.space	GUEST_STACK_SIZE * GUEST_VCPUS
