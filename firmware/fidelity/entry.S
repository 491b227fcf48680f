/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry, probe entry and trap handler of the fidelity firmware (main.c).
 *
 * fid_enter saves the harness's callee-saved registers in a struct fid_ctx,
 * puts the probe's a0/a1 in place and either mrets into the probed mode or,
 * for M (with or without MPRV), sets MPRV and jumps. Whatever the probe does
 * ends in a trap to M (its ecall or its fault); fid_trap records mcause,
 * mtval, mtval2, mstatus, a0 and a1 in the context and returns from
 * fid_enter. A trap while no probe is active is a harness bug: it goes to
 * fid_unexpected_trap, which reports and stops QEMU.
 */

/* struct fid_ctx offsets; main.c checks them with _Static_assert. */
#define CTX_RA	    0
#define CTX_SP	    8
#define CTX_S0	    16
#define CTX_ACTIVE  112
#define CTX_CAUSE   120
#define CTX_TVAL    128
#define CTX_TVAL2   136
#define CTX_MSTATUS 144
#define CTX_A0	    152
#define CTX_A1	    160
#define MSTATUS_MPRV (1 << 17)

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	mie, zero
	la	t0, fid_trap
	csrw	mtvec, t0
	la	t0, fid_ctx
	csrw	mscratch, t0
	bnez	a0, park
	la	sp, fid_stack_end
	call	fid_main
park:
	wfi
	j	park

	.text
	/* void fid_enter(struct fid_ctx *ctx, uint64_t a0, uint64_t a1, uint64_t pc,
	 *                uint64_t mprv, uint64_t mret) */
	.globl fid_enter
fid_enter:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	sd	s0, CTX_S0 + 0 * 8(a0)
	sd	s1, CTX_S0 + 1 * 8(a0)
	sd	s2, CTX_S0 + 2 * 8(a0)
	sd	s3, CTX_S0 + 3 * 8(a0)
	sd	s4, CTX_S0 + 4 * 8(a0)
	sd	s5, CTX_S0 + 5 * 8(a0)
	sd	s6, CTX_S0 + 6 * 8(a0)
	sd	s7, CTX_S0 + 7 * 8(a0)
	sd	s8, CTX_S0 + 8 * 8(a0)
	sd	s9, CTX_S0 + 9 * 8(a0)
	sd	s10, CTX_S0 + 10 * 8(a0)
	sd	s11, CTX_S0 + 11 * 8(a0)
	li	t0, 1
	sd	t0, CTX_ACTIVE(a0)
	csrw	mscratch, a0
	mv	t0, a3
	mv	t1, a4
	mv	t2, a5
	mv	a0, a1
	mv	a1, a2
	beqz	t2, 1f
	csrw	mepc, t0
	mret
1:	/* M: no memory access between setting MPRV and the probe's own. */
	csrs	mstatus, t1
	jr	t0

	.balign 4
	.globl fid_trap
fid_trap:
	csrrw	t0, mscratch, t0
	sd	a0, CTX_A0(t0)
	sd	a1, CTX_A1(t0)
	/* A trap into M set MPP = M, so MPRV changes nothing now; clear it anyway. */
	li	a0, MSTATUS_MPRV
	csrc	mstatus, a0
	ld	a0, CTX_ACTIVE(t0)
	beqz	a0, 2f
	sd	zero, CTX_ACTIVE(t0)
	csrr	a0, mcause
	sd	a0, CTX_CAUSE(t0)
	csrr	a0, mtval
	sd	a0, CTX_TVAL(t0)
	csrr	a0, mtval2
	sd	a0, CTX_TVAL2(t0)
	csrr	a0, mstatus
	sd	a0, CTX_MSTATUS(t0)
	csrw	mscratch, t0
	ld	ra, CTX_RA(t0)
	ld	sp, CTX_SP(t0)
	ld	s0, CTX_S0 + 0 * 8(t0)
	ld	s1, CTX_S0 + 1 * 8(t0)
	ld	s2, CTX_S0 + 2 * 8(t0)
	ld	s3, CTX_S0 + 3 * 8(t0)
	ld	s4, CTX_S0 + 4 * 8(t0)
	ld	s5, CTX_S0 + 5 * 8(t0)
	ld	s6, CTX_S0 + 6 * 8(t0)
	ld	s7, CTX_S0 + 7 * 8(t0)
	ld	s8, CTX_S0 + 8 * 8(t0)
	ld	s9, CTX_S0 + 9 * 8(t0)
	ld	s10, CTX_S0 + 10 * 8(t0)
	ld	s11, CTX_S0 + 11 * 8(t0)
	ret
2:	/* Not in a probe: report from a fresh stack and stop. */
	csrw	mscratch, t0
	la	sp, fid_stack_end
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	fid_unexpected_trap
3:	j	3b

	.section .bss.stack, "aw", @nobits
	.balign 16
fid_stack:
	.space 8192
	.globl fid_stack_end
fid_stack_end:
