// SPDX-License-Identifier: BSD-2-Clause
/*
 * Base extension (SBI spec, "Base Extension"): versions, implementation
 * and machine ids, and probe_extension for every standard EID.
 *
 * The ids and versions differ between implementations by design: their
 * values go on impl. lines, only the error codes are compared. probe
 * answers "available" for any non-zero value (the spec lets an
 * implementation return another non-zero value than 1). The extensions this
 * payload checks are compared; the optional ones it does not check are
 * impl. lines (an implementation may leave them out).
 */
#include "conf.h"

/* An EID in no range the spec assigns ("NOPE"). */
#define CONF_BOGUS_EID UINT32_C(0x4E4F5045)

struct conf_ext {
	uint32_t eid;
	const char *name;
	/* Checked by this payload, so its presence is compared. */
	bool checked;
};

/* SBI spec v2.0 and later chapters, and "Legacy Extensions". */
static const struct conf_ext conf_exts[] = {
	{ SBI_EXT_BASE, "BASE", true },
	{ SBI_EXT_TIME, "TIME", true },
	{ SBI_EXT_IPI, "sPI", true },
	{ SBI_EXT_RFENCE, "RFNC", true },
	{ SBI_EXT_HSM, "HSM", true },
	{ SBI_EXT_SRST, "SRST", true },
	{ SBI_EXT_DBCN, "DBCN", true },
	{ SBI_EXT_LEGACY_PUTCHAR, "legacy_console_putchar", true },
	{ SBI_EXT_LEGACY_SET_TIMER, "legacy_set_timer", false },
	{ SBI_EXT_LEGACY_GETCHAR, "legacy_console_getchar", false },
	{ UINT32_C(0x03), "legacy_clear_ipi", false },
	{ UINT32_C(0x04), "legacy_send_ipi", false },
	{ UINT32_C(0x05), "legacy_remote_fence_i", false },
	{ UINT32_C(0x06), "legacy_remote_sfence_vma", false },
	{ UINT32_C(0x07), "legacy_remote_sfence_vma_asid", false },
	{ UINT32_C(0x08), "legacy_shutdown", false },
	{ UINT32_C(0x504D55), "PMU", false },
	{ UINT32_C(0x53555350), "SUSP", false },
	{ UINT32_C(0x43505043), "CPPC", false },
	{ SBI_EXT_NACL, "NACL", false },
	{ UINT32_C(0x535441), "STA", false },
	{ UINT32_C(0x535345), "SSE", false },
	{ UINT32_C(0x46574654), "FWFT", false },
	{ UINT32_C(0x44425452), "DBTR", false },
	{ UINT32_C(0x4D505859), "MPXY", false },
};

/* Base functions whose value is implementation-specific: compared error, impl. value. */
static const struct {
	unsigned long fid;
	const char *name;
} conf_base_ids[] = {
	{ SBI_BASE_GET_IMPL_ID, "get_impl_id" },
	{ SBI_BASE_GET_IMPL_VERSION, "get_impl_version" },
	{ SBI_BASE_GET_MVENDORID, "get_mvendorid" },
	{ SBI_BASE_GET_MARCHID, "get_marchid" },
	{ SBI_BASE_GET_MIMPID, "get_mimpid" },
};

/*
 * Writes "<prefix>base.probe_extension(<name>) ok available|unavailable", or
 * "err <code>" when the probe itself fails.
 */
static void conf_base_probe(const char *prefix, const char *name, uint32_t eid)
{
	struct sbiret r = sbi_probe_extension(eid);

	if (r.error != SBI_SUCCESS) {
		conf_line("%sbase.probe_extension(%s) err %ld", prefix, name, r.error);
	} else {
		conf_line("%sbase.probe_extension(%s) ok %s", prefix, name,
			  r.value != 0 ? "available" : "unavailable");
	}
}

void conf_base_run(const struct conf *c)
{
	struct sbiret r;

	(void)c;
	r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_HEX, "base.get_spec_version");
	/* Bit 31 and bits 32 and up are reserved and must be 0. */
	conf_line("base.get_spec_version.reserved_bits %s",
		  (r.value & ~UINT64_C(0x7fffffff)) == 0 ? "zero" : "set");
	for (size_t i = 0; i < sizeof(conf_base_ids) / sizeof(conf_base_ids[0]); i++) {
		r = sbi_ecall(SBI_EXT_BASE, conf_base_ids[i].fid, 0, 0, 0, 0, 0, 0);
		conf_ret(r, CONF_NO_VALUE, "base.%s", conf_base_ids[i].name);
		conf_line("impl.base.%s 0x%lx", conf_base_ids[i].name, r.value);
	}
	for (size_t i = 0; i < sizeof(conf_exts) / sizeof(conf_exts[0]); i++) {
		conf_base_probe(conf_exts[i].checked ? "" : "impl.", conf_exts[i].name,
				conf_exts[i].eid);
	}
	conf_base_probe("", "bogus", CONF_BOGUS_EID);
	/* 0x09..0x0F are reserved legacy EIDs (SBI spec, "Legacy Extensions"). */
	conf_base_probe("", "legacy_reserved_0x0f", UINT32_C(0x0F));
	/* An unsupported EID or FID must return NOT_SUPPORTED (SBI spec, "Binary Encoding"). */
	r = sbi_ecall(SBI_EXT_BASE, CONF_UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "base.unknown_fid");
	r = sbi_ecall(CONF_BOGUS_EID, 0, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "base.call_bogus_eid");
}
