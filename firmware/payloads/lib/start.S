/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points of an S-mode payload (payload/payload.h).
 *
 * _start: the boot hart, a0 = hartid, a1 = FDT (the SBI implementation's
 * hand-over, as for Linux). payload_secondary_entry: a hart started through
 * HSM hart_start, a0 = hartid, a1 = opaque (SBI spec, HSM, "Hart start
 * register state"). Both first record sstatus and satp as they came (a2, a3)
 * so the C side can check the SBI's promises (satp = 0, sstatus.SIE = 0),
 * then mask interrupts, install the trap vector, and switch to the hart's
 * stack: slot a0 of payload_stacks, from its end down (payload/layout.h).
 */
#include "payload/layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrr	a2, sstatus
	csrr	a3, satp
	csrci	sstatus, 2		/* SIE */
	csrw	sie, zero
	la	t0, payload_trap_entry
	csrw	stvec, t0
	li	t0, PAYLOAD_MAX_HARTS
	bgeu	a0, t0, payload_park
	/* Only one hart boots, even if an implementation entered several. */
	la	t0, payload_boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, payload_park
	mv	tp, a0
	la	sp, payload_stacks
	li	t0, PAYLOAD_STACK_SLOT
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	/* Clear .bss (the stacks with it: nothing has used them yet). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	payload_boot_start
	j	payload_park

	.text
	.balign	4
	.globl	payload_secondary_entry
payload_secondary_entry:
	csrr	a2, sstatus
	csrr	a3, satp
	csrci	sstatus, 2		/* SIE */
	csrw	sie, zero
	la	t0, payload_trap_entry
	csrw	stvec, t0
	li	t0, PAYLOAD_MAX_HARTS
	bgeu	a0, t0, payload_park
	mv	tp, a0
	la	sp, payload_stacks
	li	t0, PAYLOAD_STACK_SLOT
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	call	payload_secondary_start
	j	payload_park

	.balign	4
	.globl	payload_park
payload_park:
	csrci	sstatus, 2		/* SIE */
	csrw	sie, zero
3:	wfi
	j	3b

	.data
	.balign	4
payload_boot_lottery:
	.word	0
