// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host's side of the NACL shared memory (cove-abi.md section 5): one
 * 12 KiB area per hart, registered by that hart; GPRs in the scratch
 * area, CSRs in their slots. The monitor reads each field once, so every
 * access here is a single volatile 64-bit load or store.
 */
#include "covemon/abi/nacl.h"
#include "hv.h"
#include "payload/sbi.h"

uint64_t nacl_read(uint64_t area, unsigned int offset)
{
	return *(volatile uint64_t *)(uintptr_t)(area + offset);
}

void nacl_write(uint64_t area, unsigned int offset, uint64_t value)
{
	*(volatile uint64_t *)(uintptr_t)(area + offset) = value;
}

long nacl_register(uint64_t area)
{
	return sbi_ecall(SBI_EXT_NACL, SBI_NACL_SET_SHMEM, area, 0, 0, 0, 0, 0).error;
}

void nacl_set_boot_state(uint64_t area, uint64_t hgatp, uint64_t fdt_gpa)
{
	static const unsigned int vs_csrs[] = { NACL_CSR_VSSTATUS, NACL_CSR_VSTVEC,
						NACL_CSR_VSSCRATCH, NACL_CSR_VSATP };

	for (unsigned int r = 0; r < 32; r++) {
		nacl_write(area, NACL_SCRATCH_GPR_OFFSET(r), 0);
	}
	nacl_write(area, NACL_SCRATCH_GPR_OFFSET(11), fdt_gpa); /* a1; a0 = hart id 0 */
	for (unsigned int i = 0; i < sizeof(vs_csrs) / sizeof(vs_csrs[0]); i++) {
		nacl_write(area, nacl_csr_offset(vs_csrs[i]), 0);
	}
	nacl_write(area, nacl_csr_offset(NACL_CSR_HGATP), hgatp);
}
