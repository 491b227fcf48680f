// SPDX-License-Identifier: BSD-2-Clause
/*
 * EID -> extension -> handler, from one const table with a caller mask per
 * extension. Base.probe_extension answers from the same table, so what is
 * advertised and what is callable cannot drift apart.
 *
 * Decoding decisions (reference/cove-abi.md section 1):
 * - a7 is compared as a full 64-bit value: an EID with bits above 31 set
 *   matches nothing (no silent narrowing).
 * - SBI FIDs are signed 32-bit values: a6 must be the sign extension of its
 *   low 32 bits, else NOT_SUPPORTED.
 * - CoVE extensions (COVH, COVG, COVI): FID = a6[15:0]; a6[25:16] (reserved)
 *   and a6[31:26] (SDID; covemon has one domain, 0) must be zero, else
 *   NOT_SUPPORTED. A sign-extended negative a6 therefore never reaches CoVE.
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"

struct ext_desc {
	uint64_t eid;
	unsigned int callers; /* enum caller bits */
	bool cove_fid;	      /* FID carries the CoVE SDID/reserved fields */
	struct sbi_result (*handle)(struct mon *mon, hart_t hart, enum caller caller,
				    const struct sbi_call *call);
};

/* Guest-only extensions have no host-style handler: guest_ecall routes them. */
static const struct ext_desc dispatch_table[] = {
	{ SBI_EXT_BASE, CALLER_HOST | CALLER_TVM, false, base_handle },
	{ SBI_EXT_NACL, CALLER_HOST, false, nacl_handle },
	{ SBI_EXT_COVH, CALLER_HOST, true, covh_handle },
	{ SBI_EXT_HSM, CALLER_TVM, false, NULL },
	{ SBI_EXT_IPI, CALLER_TVM, false, NULL },
	{ SBI_EXT_RFENCE, CALLER_TVM, false, NULL },
	{ SBI_EXT_SRST, CALLER_TVM, false, NULL },
	{ SBI_EXT_DBCN, CALLER_TVM, false, NULL },
	{ SBI_EXT_COVG, CALLER_TVM, true, NULL },
};

#define DISPATCH_EXTS (sizeof(dispatch_table) / sizeof(dispatch_table[0]))

static const struct ext_desc *find_ext(uint64_t eid)
{
	for (size_t i = 0; i < DISPATCH_EXTS; i++) {
		if (dispatch_table[i].eid == eid) {
			return &dispatch_table[i];
		}
	}
	return NULL;
}

bool dispatch_probe(uint64_t eid, enum caller caller)
{
	const struct ext_desc *ext = find_ext(eid);

	return ext && (ext->callers & (unsigned int)caller);
}

int64_t dispatch_err_to_sbi(mon_err_t err)
{
	switch (err) {
	case MON_OK:
	case MON_ERR_FAILED:
	case MON_ERR_NOT_SUPPORTED:
	case MON_ERR_INVALID_PARAM:
	case MON_ERR_DENIED:
	case MON_ERR_INVALID_ADDRESS:
	case MON_ERR_ALREADY_AVAILABLE:
	case MON_ERR_ALREADY_STARTED:
	case MON_ERR_ALREADY_STOPPED:
	case MON_ERR_NO_SHMEM:
	case MON_ERR_INVALID_STATE:
	case MON_ERR_BAD_RANGE:
	case MON_ERR_TIMEOUT:
	case MON_ERR_IO:
	case MON_ERR_DENIED_LOCKED:
	case MON_ERR_OUT_OF_PTPAGES:
	case MON_ERR_AUTH:
	case MON_ERR_OUT_OF_MEMORY:
	case MON_ERR_BUSY: return (int64_t)err;
	default:
		/* Internal codes never reach a register. */
		return (int64_t)MON_ERR_FAILED;
	}
}

mon_err_t dispatch_decode(const struct mon_trap_frame *frame, enum caller caller,
			  struct sbi_call *call)
{
	const struct ext_desc *ext = find_ext(frame->x[17]);
	uint64_t a6 = frame->x[16];

	if (!ext || !(ext->callers & (unsigned int)caller)) {
		return MON_ERR_NOT_SUPPORTED;
	}
	if ((uint64_t)(int64_t)(int32_t)(uint32_t)a6 != a6) {
		return MON_ERR_NOT_SUPPORTED;
	}
	if (ext->cove_fid && (a6 & ~COVE_FID_MASK & UINT64_C(0xFFFFFFFF))) {
		return MON_ERR_NOT_SUPPORTED;
	}
	call->eid = ext->eid;
	call->fid = (uint32_t)(ext->cove_fid ? (a6 & COVE_FID_MASK) : a6);
	for (unsigned int i = 0; i < 6; i++) {
		call->arg[i] = frame->x[10 + i];
	}
	return MON_OK;
}

struct sbi_result dispatch_ecall(struct mon *mon, hart_t hart, enum caller caller,
				 const struct mon_trap_frame *frame)
{
	struct sbi_result unsupported = { MON_ERR_NOT_SUPPORTED, 0 };
	struct sbi_call call;

	if (dispatch_decode(frame, caller, &call) != MON_OK) {
		return unsupported;
	}
	const struct ext_desc *ext = find_ext(call.eid);
	if (!ext->handle) {
		return unsupported; /* guest extensions are routed by guest_ecall */
	}
	return ext->handle(mon, hart, caller, &call);
}
