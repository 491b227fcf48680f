/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * int fw_copy_checked(void *dst, const void *src, size_t len): a byte copy
 * for untrusted memory that survives access faults. While it runs, mtvec
 * points at a fixup that resumes at the failure exit (M-mode runs with
 * interrupts off, so only the copy's own loads and stores can trap here).
 */
	.section .text.copy, "ax"
	.balign 4
	.globl fw_copy_checked
fw_copy_checked:
	la	t0, copy_fault
	csrrw	t1, mtvec, t0		/* t1 = the normal vector */
	beqz	a2, 2f
	/* Doublewords when both pointers are aligned, else bytes. */
	or	t2, a0, a1
	andi	t2, t2, 7
	bnez	t2, 1f
3:	li	t2, 8
	bltu	a2, t2, 1f
	ld	t3, 0(a1)
	sd	t3, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	bnez	a2, 3b
	j	2f
1:	lbu	t3, 0(a1)
	sb	t3, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	csrw	mtvec, t1
	li	a0, 0
	ret

	.balign 4
copy_fault:
	la	t0, copy_failed
	csrw	mepc, t0
	mret				/* MPP is M: back into this routine */
copy_failed:
	csrw	mtvec, t1
	li	a0, -1
	ret
