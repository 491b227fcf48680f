/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry for every hart (QEMU virt jumps to 0x8000_0000 with
 * a0 = mhartid, a1 = FDT). The first hart to win the lottery clears .bss and
 * boots (fw_boot_main); the others wait for it and continue in
 * fw_secondary_main. Hart i's stack is slot i of fw_stacks: a guard area,
 * then FW_STACK_SIZE bytes growing down from the slot's end.
 */
#include "hart.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	la	t0, fw_m_trap
	csrw	mtvec, t0
	csrr	a0, mhartid
	li	t1, FW_MAX_HARTS
	bgeu	a0, t1, park_forever
	/* sp = fw_stacks + (hartid + 1) * (FW_STACK_SIZE + FW_STACK_GUARD) */
	la	sp, fw_stacks
	li	t1, FW_STACK_SIZE + FW_STACK_GUARD
	addi	t2, a0, 1
	mul	t1, t1, t2
	add	sp, sp, t1
	la	t0, fw_boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, secondary
	/* The boot hart: clear .bss (nothing else runs C yet), then boot. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	fence	rw, rw
	call	fw_boot_main
	j	park_forever

secondary:
	la	t0, fw_boot_done
3:	lw	t1, 0(t0)
	bnez	t1, 4f
	nop
	j	3b
4:	fence	r, rw
	call	fw_secondary_main

park_forever:
	wfi
	j	park_forever

	/* A trap taken in M-mode outside a checked copy: a firmware bug. */
	.balign 4
fw_m_trap:
	la	sp, fw_panic_stack_end
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	fw_m_trap_panic
	j	park_forever

	.section .data.boot, "aw"
	.balign 4
	.globl fw_boot_lottery, fw_boot_done
fw_boot_lottery:
	.word 0
fw_boot_done:
	.word 0

	.section .bss.stacks, "aw", @nobits
	.balign 4096
	.globl fw_stacks, fw_stacks_end
fw_stacks:
	.space (FW_STACK_SIZE + FW_STACK_GUARD) * FW_MAX_HARTS
fw_stacks_end:
	.balign 16
fw_panic_stack:
	.space 2048
fw_panic_stack_end:
