// SPDX-License-Identifier: BSD-2-Clause
/* COVH: the host's interface to the TSM (CoVE spec, "COVE Host Extension"). */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/lib.h"

/*
 * get_tsm_info(addr, len): the monitor writes into host memory here, so an
 * unchecked address would be an arbitrary-write primitive (attack class 1).
 */
static struct sbi_result get_tsm_info(struct mon *mon, hart_t hart, const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };
	uint64_t addr = call->arg[0];
	uint64_t len = call->arg[1];
	struct cove_tsm_info info;

	if (len < sizeof(info)) {
		r.err = MON_ERR_INVALID_PARAM;
		return r;
	}
	if (!mon_is_aligned(addr, 4)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}
	mon_memset(&info, 0, sizeof(info));
	info.tsm_state = COVE_TSM_READY;
	info.tsm_impl_id = COVE_TSM_IMPL_COVEMON;
	info.tsm_version = MON_TSM_VERSION;
	info.tsm_capabilities = COVE_TSM_CAP_PROMOTE_TVM;
	if (mon->local_attestation) {
		info.tsm_capabilities |= COVE_TSM_CAP_ATTESTATION_LOCAL;
	}
	info.tvm_state_pages = 0;
	info.tvm_max_vcpus = MON_MAX_VCPUS;
	info.tvm_vcpu_state_pages = 0;
	r.err = memaccess_host_write(mon, hart, addr, &info, sizeof(info));
	r.value = r.err == MON_OK ? sizeof(info) : 0;
	return r;
}

struct sbi_result covh_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call)
{
	struct sbi_result r = { MON_ERR_NOT_SUPPORTED, 0 };

	(void)caller;
	switch (call->fid) {
	case COVH_GET_TSM_INFO: return get_tsm_info(mon, hart, call);
	case COVH_PROMOTE_TO_TVM: return promote_to_tvm(mon, hart, call);
	case COVH_DESTROY_TVM: return tvm_destroy(mon, hart, call);
	default: return r;
	}
}
