/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CSR probes that survive the CSR's absence: while one runs, mtvec points at
 * a fixup that resumes at its failure exit (M-mode runs with interrupts
 * off, so only the probed instruction can trap).
 *   int fw_probe_seed(uint64_t *out)      Zkr: one read of the seed CSR
 *   int fw_probe_mseccfg(uint64_t *out)   Smepmp: mseccfg
 *   int fw_probe_stimecmp(uint64_t *out)  Sstc: stimecmp
 * Each returns 0 with *out set, or -1 when the instruction trapped.
 * Memory probes, for the boot's check that the PMP binds M-mode as meant:
 *   int fw_probe_load(const void *p)      one byte loaded
 *   int fw_probe_store(void *p)           one byte stored (the value it had)
 *   int fw_probe_exec(const void *p)      a call to p (which must hold ret)
 * Each returns 0, or -1 when the access faulted.
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

	.globl fw_probe_load
fw_probe_load:
	la	t0, probe_fault
	csrrw	t1, mtvec, t0
	lbu	t2, 0(a0)
	j	mem_done

	.globl fw_probe_store
fw_probe_store:
	la	t0, probe_fault
	csrrw	t1, mtvec, t0
	lbu	t2, 0(a0)
	sb	t2, 0(a0)
	j	mem_done

	.globl fw_probe_exec
fw_probe_exec:
	la	t0, exec_fault
	csrrw	t1, mtvec, t0
	mv	t3, ra
	jalr	a0
	mv	ra, t3
mem_done:
	csrw	mtvec, t1
	li	a0, 0
	ret

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

	.balign 4
exec_fault:
	la	t0, exec_failed
	csrw	mepc, t0
	mret
exec_failed:
	csrw	mtvec, t1
	mv	ra, t3
	li	a0, -1
	ret
