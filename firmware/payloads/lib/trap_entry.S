/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * S-mode trap vector (direct mode). Payloads run only in S-mode, so a trap
 * always comes from the current stack: the frame (payload/trap.h) goes below
 * it, trap_handle() may edit sepc and sstatus in it, and sret resumes.
 */
#include "payload/trap_frame.h"

	.text
	.balign	4
	.globl	payload_trap_entry
payload_trap_entry:
	addi	sp, sp, -TRAP_FRAME_SIZE
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, (TRAP_FRAME_REGS + \n * 8)(sp)
	.endr
	addi	t0, sp, TRAP_FRAME_SIZE
	sd	t0, (TRAP_FRAME_REGS + 2 * 8)(sp)
	csrr	t0, sepc
	sd	t0, TRAP_FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TRAP_FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TRAP_FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TRAP_FRAME_STVAL(sp)
	mv	a0, sp
	call	trap_handle
	ld	t0, TRAP_FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TRAP_FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, (TRAP_FRAME_REGS + \n * 8)(sp)
	.endr
	addi	sp, sp, TRAP_FRAME_SIZE
	sret
