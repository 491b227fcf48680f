/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Trap entry and exit, for traps from S, U, VS and VU (mscratch holds the
 * hart's struct fw_hart; traps taken in M are handled by the fixup vector
 * of copy.S only, M runs with interrupts off). Everything else is C.
 */
#include "hart.h"

	.section .text.trap, "ax"
	.balign 4
	.globl fw_trap_entry
fw_trap_entry:
	csrrw	sp, mscratch, sp	/* sp = struct fw_hart, mscratch = interrupted sp */
	sd	x1, FW_FRAME_X(1)(sp)
	sd	x3, FW_FRAME_X(3)(sp)
	sd	x4, FW_FRAME_X(4)(sp)
	sd	x5, FW_FRAME_X(5)(sp)
	sd	x6, FW_FRAME_X(6)(sp)
	sd	x7, FW_FRAME_X(7)(sp)
	sd	x8, FW_FRAME_X(8)(sp)
	sd	x9, FW_FRAME_X(9)(sp)
	sd	x10, FW_FRAME_X(10)(sp)
	sd	x11, FW_FRAME_X(11)(sp)
	sd	x12, FW_FRAME_X(12)(sp)
	sd	x13, FW_FRAME_X(13)(sp)
	sd	x14, FW_FRAME_X(14)(sp)
	sd	x15, FW_FRAME_X(15)(sp)
	sd	x16, FW_FRAME_X(16)(sp)
	sd	x17, FW_FRAME_X(17)(sp)
	sd	x18, FW_FRAME_X(18)(sp)
	sd	x19, FW_FRAME_X(19)(sp)
	sd	x20, FW_FRAME_X(20)(sp)
	sd	x21, FW_FRAME_X(21)(sp)
	sd	x22, FW_FRAME_X(22)(sp)
	sd	x23, FW_FRAME_X(23)(sp)
	sd	x24, FW_FRAME_X(24)(sp)
	sd	x25, FW_FRAME_X(25)(sp)
	sd	x26, FW_FRAME_X(26)(sp)
	sd	x27, FW_FRAME_X(27)(sp)
	sd	x28, FW_FRAME_X(28)(sp)
	sd	x29, FW_FRAME_X(29)(sp)
	sd	x30, FW_FRAME_X(30)(sp)
	sd	x31, FW_FRAME_X(31)(sp)
	csrrw	t0, mscratch, sp	/* t0 = interrupted sp; mscratch = struct fw_hart again */
	sd	t0, FW_FRAME_X(2)(sp)
	sd	zero, FW_FRAME_X(0)(sp)
	csrr	t0, mepc
	sd	t0, FW_FRAME_MEPC(sp)
	csrr	t0, mstatus
	sd	t0, FW_FRAME_MSTATUS(sp)
	csrr	t0, mcause
	sd	t0, FW_FRAME_MCAUSE(sp)
	csrr	t0, mtval
	sd	t0, FW_FRAME_MTVAL(sp)
	csrr	t0, mtval2
	sd	t0, FW_FRAME_MTVAL2(sp)
	csrr	t0, mtinst
	sd	t0, FW_FRAME_MTINST(sp)
	mv	a0, sp
	ld	sp, FW_HART_STACK_TOP(a0)
	call	fw_trap			/* edits the frame; returns through fw_resume */
	csrr	a0, mscratch

	.globl fw_resume
fw_resume:				/* a0 = struct fw_hart */
	ld	t0, FW_FRAME_MEPC(a0)
	csrw	mepc, t0
	ld	t0, FW_FRAME_MSTATUS(a0)
	csrw	mstatus, t0
	csrw	mscratch, a0
	ld	x1, FW_FRAME_X(1)(a0)
	ld	x2, FW_FRAME_X(2)(a0)
	ld	x3, FW_FRAME_X(3)(a0)
	ld	x4, FW_FRAME_X(4)(a0)
	ld	x5, FW_FRAME_X(5)(a0)
	ld	x6, FW_FRAME_X(6)(a0)
	ld	x7, FW_FRAME_X(7)(a0)
	ld	x8, FW_FRAME_X(8)(a0)
	ld	x9, FW_FRAME_X(9)(a0)
	ld	x11, FW_FRAME_X(11)(a0)
	ld	x12, FW_FRAME_X(12)(a0)
	ld	x13, FW_FRAME_X(13)(a0)
	ld	x14, FW_FRAME_X(14)(a0)
	ld	x15, FW_FRAME_X(15)(a0)
	ld	x16, FW_FRAME_X(16)(a0)
	ld	x17, FW_FRAME_X(17)(a0)
	ld	x18, FW_FRAME_X(18)(a0)
	ld	x19, FW_FRAME_X(19)(a0)
	ld	x20, FW_FRAME_X(20)(a0)
	ld	x21, FW_FRAME_X(21)(a0)
	ld	x22, FW_FRAME_X(22)(a0)
	ld	x23, FW_FRAME_X(23)(a0)
	ld	x24, FW_FRAME_X(24)(a0)
	ld	x25, FW_FRAME_X(25)(a0)
	ld	x26, FW_FRAME_X(26)(a0)
	ld	x27, FW_FRAME_X(27)(a0)
	ld	x28, FW_FRAME_X(28)(a0)
	ld	x29, FW_FRAME_X(29)(a0)
	ld	x30, FW_FRAME_X(30)(a0)
	ld	x31, FW_FRAME_X(31)(a0)
	ld	x10, FW_FRAME_X(10)(a0)
	mret
