// SPDX-License-Identifier: BSD-2-Clause
/* SBI Base extension (SBI spec, "Base Extension"), for the host and for TVMs. */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"

struct sbi_result base_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };

	(void)hart;
	switch (call->fid) {
	case SBI_BASE_GET_SPEC_VERSION: r.value = SBI_SPEC_VERSION; break;
	case SBI_BASE_GET_IMPL_ID: r.value = COVE_TSM_IMPL_COVEMON; break;
	case SBI_BASE_GET_IMPL_VERSION: r.value = MON_TSM_VERSION; break;
	case SBI_BASE_PROBE_EXTENSION:
		r.value = dispatch_probe(call->arg[0], caller) ? 1 : 0;
		for (unsigned int i = 0; caller == CALLER_HOST && i < mon->plat.host_sbi_ext_count;
		     i++) {
			r.value |= mon->plat.host_sbi_ext[i] == call->arg[0];
		}
		break;
	case SBI_BASE_GET_MVENDORID: r.value = mon->plat.mvendorid; break;
	case SBI_BASE_GET_MARCHID: r.value = mon->plat.marchid; break;
	case SBI_BASE_GET_MIMPID: r.value = mon->plat.mimpid; break;
	default: r.err = MON_ERR_NOT_SUPPORTED; break;
	}
	return r;
}
