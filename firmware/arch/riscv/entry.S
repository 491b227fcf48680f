/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry for every hart (QEMU virt jumps to 0x8000_0000 with
 * a0 = mhartid, a1 = FDT). Hart 0 boots; the others park in wfi until the
 * firmware issue brings them up. Each hart's stack is the top of its own
 * slot in fw_stacks.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	csrw	mtvec, zero
	bnez	a0, park
	la	sp, fw_stacks_end
	call	fw_main
park:
	wfi
	j	park

	.section .bss.stacks, "aw", @nobits
	.balign 16
	.globl fw_stacks
fw_stacks:
	.space 4096
fw_stacks_end:
