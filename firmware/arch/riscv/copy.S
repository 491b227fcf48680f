/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copies between monitor memory and untrusted memory with the host's rights:
 *   int fw_copy_from_host(void *dst, const void *host_src, size_t len)
 *   int fw_copy_to_host(void *host_dst, const void *src, size_t len)
 * The untrusted side's loads (or stores) run with mstatus.MPRV = 1,
 * MPP = S, MPV = 0 and satp = 0 (bare), so the PMP judges them as it judges
 * the host's own accesses: memory closed to the host faults even if a check
 * in C missed it, and under Smepmp MML (where M-mode may not touch S/U
 * memory at all) this is the only way the monitor reaches host memory. The
 * monitor's side runs with M's rights. Up to six doublewords (bytes when
 * the pointers are not both 8-byte aligned) move per MPRV window.
 *
 * While it runs, mtvec points at a fixup that restores mstatus, satp and
 * mtvec and returns -1 (M-mode runs with interrupts off, so only the copy's
 * own accesses can trap here). Returns 0 when every byte moved.
 */
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPV   (1 << 39)

	/* s0: mstatus for the loads, s1: for the stores; t4: M's own. */
	.macro WINDOW6 ld, st, sz
	csrw	mstatus, s0
	\ld	t2, 0 * \sz(a1)
	\ld	t3, 1 * \sz(a1)
	\ld	a4, 2 * \sz(a1)
	\ld	a5, 3 * \sz(a1)
	\ld	a6, 4 * \sz(a1)
	\ld	a7, 5 * \sz(a1)
	csrw	mstatus, s1
	\st	t2, 0 * \sz(a0)
	\st	t3, 1 * \sz(a0)
	\st	a4, 2 * \sz(a0)
	\st	a5, 3 * \sz(a0)
	\st	a6, 4 * \sz(a0)
	\st	a7, 5 * \sz(a0)
	addi	a0, a0, 6 * \sz
	addi	a1, a1, 6 * \sz
	addi	a2, a2, -6 * \sz
	.endm

	.macro WINDOW1 ld, st, sz
	csrw	mstatus, s0
	\ld	t2, 0(a1)
	csrw	mstatus, s1
	\st	t2, 0(a0)
	addi	a0, a0, \sz
	addi	a1, a1, \sz
	addi	a2, a2, -\sz
	.endm

	.section .text.copy, "ax"
	.balign 4
	.globl fw_copy_from_host
fw_copy_from_host:
	li	a3, 1
	j	copy
	.globl fw_copy_to_host
fw_copy_to_host:
	li	a3, 0
copy:
	addi	sp, sp, -16
	sd	s0, 0(sp)
	sd	s1, 8(sp)
	la	t0, copy_fault
	csrrw	t1, mtvec, t0		/* t1 = the normal vector */
	csrrw	t5, satp, zero		/* t5 = satp: bare while the host's side runs */
	csrr	t4, mstatus
	li	t0, MSTATUS_MPRV
	not	t0, t0
	and	t4, t4, t0		/* t4 = M's own rights */
	li	t0, MSTATUS_MPP | MSTATUS_MPV
	not	t0, t0
	and	t6, t4, t0
	li	t0, MSTATUS_MPP_S | MSTATUS_MPRV
	or	t6, t6, t0		/* t6 = the host's rights */
	mv	s0, t6
	mv	s1, t4
	bnez	a3, 1f
	mv	s0, t4
	mv	s1, t6
1:	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, bytes
dwords:
	li	t0, 48
	bltu	a2, t0, dword1
	WINDOW6	ld, sd, 8
	j	dwords
dword1:
	li	t0, 8
	bltu	a2, t0, bytes
	WINDOW1	ld, sd, 8
	j	dword1
bytes:
	li	t0, 6
	bltu	a2, t0, byte1
	WINDOW6	lbu, sb, 1
	j	bytes
byte1:
	beqz	a2, copied
	WINDOW1	lbu, sb, 1
	j	byte1
copied:
	li	a0, 0
restore:
	csrw	mstatus, t4
	csrw	satp, t5
	csrw	mtvec, t1
	ld	s0, 0(sp)
	ld	s1, 8(sp)
	addi	sp, sp, 16
	ret

	/* An access faulted: mstatus = t4 undoes MPRV and the trap's own changes. */
	.balign 4
copy_fault:
	li	a0, -1
	j	restore
