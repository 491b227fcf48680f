// SPDX-License-Identifier: BSD-2-Clause
/*
 * RFENCE extension (SBI spec, "RFENCE Extension"): remote FENCE.I,
 * SFENCE.VMA and SFENCE.VMA with ASID, to running, stopped and invalid
 * harts. Only the return codes are observable from S-mode.
 */
#include "conf.h"

/* A range inside the payload; the payload runs with satp = 0, so the fence is harmless. */
#define CONF_RANGE_START UINT64_C(0x80200000)
#define CONF_RANGE_SIZE	 UINT64_C(0x2000)

/* The largest ASID is 16 bits on RV64 (privileged spec, satp), so this one is invalid. */
#define CONF_ASID_INVALID 0x10000u

struct conf_rfence_fn {
	unsigned long fid;
	const char *name;
};

static const struct conf_rfence_fn conf_rfence_fns[] = {
	{ SBI_RFENCE_REMOTE_FENCE_I, "remote_fence_i" },
	{ SBI_RFENCE_REMOTE_SFENCE_VMA, "remote_sfence_vma" },
	{ SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, "remote_sfence_vma_asid" },
};

/* Calls @fn with a hart list and a whole-address-space range (start = size = 0, ASID 1). */
static void conf_rfence_call(const struct conf_rfence_fn *fn, const char *label, unsigned long mask,
			     unsigned long base)
{
	struct sbiret r = sbi_ecall(SBI_EXT_RFENCE, fn->fid, mask, base, 0, 0, 1, 0);

	conf_ret(r, CONF_NO_VALUE, "rfence.%s(%s)", fn->name, label);
}

void conf_rfence_run(const struct conf *c)
{
	unsigned long w1 = conf_hart(c, 1);
	unsigned long w2 = conf_hart(c, 2);
	struct sbiret r;

	for (size_t i = 0; i < sizeof(conf_rfence_fns) / sizeof(conf_rfence_fns[0]); i++) {
		const struct conf_rfence_fn *fn = &conf_rfence_fns[i];

		conf_rfence_call(fn, "self", 1, c->boot_hart);
		if (c->nharts >= 3) {
			conf_rfence_call(fn, "workers,base=0", (1UL << w1) | (1UL << w2), 0);
		}
		conf_rfence_call(fn, "all,base=-1", 0, SBI_HART_MASK_BASE_ALL);
		if (c->nharts >= 4) {
			conf_rfence_call(fn, "stopped_boot+3", 1, conf_hart(c, 3));
		}
		conf_rfence_call(fn, "base=count,mask=0x1", 1, c->nharts);
		conf_rfence_call(fn, "base=0,mask=bit_count", 1UL << c->nharts, 0);
		/* As in ipi.c: INVALID_PARAM in SBI v1.0/v2.0, success in v3.0. */
		r = sbi_ecall(SBI_EXT_RFENCE, fn->fid, 0, c->nharts, 0, 0, 1, 0);
		conf_ret_either(r, SBI_ERR_INVALID_PARAM, "ok-or-invalid_param",
				"rfence.%s(base=count,mask=0x0)", fn->name);
	}
	/* Ranges ("RFENCE Extension": start = size = 0 or size = 2^XLEN - 1 mean everything). */
	r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 0, SBI_HART_MASK_BASE_ALL, 0,
		      ~0UL, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "rfence.remote_sfence_vma(all,size=-1)");
	r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 0, SBI_HART_MASK_BASE_ALL,
		      CONF_RANGE_START, CONF_RANGE_SIZE, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "rfence.remote_sfence_vma(all,range)");
	r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 0, SBI_HART_MASK_BASE_ALL,
		      ~UINT64_C(0xfff), CONF_RANGE_SIZE, 0, 0);
	/* A range that wraps may be refused, or flushed whole (flushing more is always safe). */
	conf_ret_either(r, SBI_ERR_INVALID_ADDRESS, "ok-or-invalid_address",
			"rfence.remote_sfence_vma(all,range_wraps)");
	r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, 0, SBI_HART_MASK_BASE_ALL,
		      CONF_RANGE_START, CONF_RANGE_SIZE, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "rfence.remote_sfence_vma_asid(all,range,asid=0)");
	/*
	 * SBI v3.0 added INVALID_PARAM for an invalid ASID; v2.0 has no such
	 * error and SFENCE.VMA ignores ASID bits above ASIDLEN.
	 */
	r = sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, 0, SBI_HART_MASK_BASE_ALL,
		      0, 0, CONF_ASID_INVALID, 0);
	conf_ret_either(r, SBI_ERR_INVALID_PARAM, "ok-or-invalid_param",
			"rfence.remote_sfence_vma_asid(all,asid=0x10000)");
	r = sbi_ecall(SBI_EXT_RFENCE, CONF_UNKNOWN_FID, 0, SBI_HART_MASK_BASE_ALL, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "rfence.unknown_fid");
}
