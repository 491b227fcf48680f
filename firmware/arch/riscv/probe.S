/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CSR probes that survive the CSR's absence: while one runs, mtvec points at
 * a fixup that resumes at its failure exit (M-mode runs with interrupts
 * off, so only the probed instruction can trap).
 *   int fw_probe_seed(uint64_t *out)      Zkr: one read of the seed CSR
 *   int fw_probe_mseccfg(uint64_t *out)   Smepmp: mseccfg
 *   int fw_probe_stimecmp(uint64_t *out)  Sstc: stimecmp
 * Each returns 0 with *out set, or -1 when the instruction trapped.
 */
	.section .text.probe, "ax"
	.balign 4
	.globl fw_probe_seed
fw_probe_seed:
	la	t0, probe_fault
	csrrw	t1, mtvec, t0
	csrrw	t2, 0x015, zero
	j	probe_done

	.globl fw_probe_stimecmp
fw_probe_stimecmp:
	la	t0, probe_fault
	csrrw	t1, mtvec, t0
	csrr	t2, 0x14d
	j	probe_done

	.globl fw_probe_mseccfg
fw_probe_mseccfg:
	la	t0, probe_fault
	csrrw	t1, mtvec, t0
	csrr	t2, 0x747

probe_done:
	csrw	mtvec, t1
	sd	t2, 0(a0)
	li	a0, 0
	ret

	.balign 4
probe_fault:
	la	t0, probe_failed
	csrw	mepc, t0
	mret
probe_failed:
	csrw	mtvec, t1
	li	a0, -1
	ret
