/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The bench mode's guest program (bench.c), copied to the first page of the
 * guest's RAM: an SBI call in a loop. The host promotes it with a7 = DBCN
 * and a6 = console_write_byte in its boot registers, so every ecall is one
 * the monitor forwards to the host as an exit (cove-abi.md section 7) and
 * every run_tvm_vcpu runs exactly `j` and `ecall` in the guest. Position
 * independent: it is data in the hypervisor's image, code in the guest's.
 */
	.section .rodata.bench_guest, "a"
	.balign	4
	.globl	bench_guest, bench_guest_end
bench_guest:
1:	ecall
	j	1b
bench_guest_end:
