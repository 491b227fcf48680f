// SPDX-License-Identifier: BSD-2-Clause
/*
 * NACL for the host (SBI spec, "Nested Acceleration Extension"): covemon
 * implements the mandatory functions (probe_feature, set_shmem) and uses
 * the area as the CoVE vCPU mailbox; it offers none of the optional
 * acceleration features.
 */
#include "covemon/abi/nacl.h"
#include "core.h"
#include "covemon/lib.h"

static struct sbi_result set_shmem(struct mon *mon, hart_t hart, const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };
	uint64_t lo = call->arg[0];
	uint64_t hi = call->arg[1];
	uint64_t flags = call->arg[2];

	if (flags != 0) {
		r.err = MON_ERR_INVALID_PARAM;
		return r;
	}
	if (lo == SBI_NACL_SHMEM_DISABLE && hi == SBI_NACL_SHMEM_DISABLE) {
		mon->hart[hart].nacl_enabled = false;
		mon->hart[hart].nacl_shmem = 0;
		return r;
	}
	if (!mon_is_aligned(lo, NACL_SHMEM_ALIGN)) {
		r.err = MON_ERR_INVALID_PARAM;
		return r;
	}
	/* RV64: no physical address needs the upper XLEN bits. */
	if (hi != 0 || !memmap_is_host(&mon->map, lo, NACL_SHMEM_SIZE)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}
	mon->hart[hart].nacl_shmem = lo;
	mon->hart[hart].nacl_enabled = true;
	return r;
}

struct sbi_result nacl_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };

	(void)caller;
	switch (call->fid) {
	case SBI_NACL_PROBE_FEATURE:
		r.value = 0; /* no optional feature; always SUCCESS */
		return r;
	case SBI_NACL_SET_SHMEM: return set_shmem(mon, hart, call);
	default: r.err = MON_ERR_NOT_SUPPORTED; return r;
	}
}
