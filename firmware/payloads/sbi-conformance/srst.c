// SPDX-License-Identifier: BSD-2-Clause
/*
 * System Reset extension (SBI spec, "System Reset Extension"): reserved and
 * unimplemented types and reasons must come back with INVALID_PARAM. The
 * real shutdown is the run's last call (main.c). A call that wrongly
 * succeeds here ends the run early, which the comparison reports.
 */
#include "conf.h"

void conf_srst_run(const struct conf *c)
{
	struct sbiret r;

	(void)c;
	r = sbi_system_reset(UINT32_C(0x3), SBI_SRST_REASON_NONE);
	conf_ret(r, CONF_NO_VALUE, "srst.system_reset(type=0x3,none)");
	r = sbi_system_reset(UINT32_C(0xF0000000), SBI_SRST_REASON_NONE);
	conf_ret(r, CONF_NO_VALUE, "srst.system_reset(type=0xf0000000,none)");
	r = sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, UINT32_C(0x2));
	conf_ret(r, CONF_NO_VALUE, "srst.system_reset(shutdown,reason=0x2)");
	r = sbi_ecall(SBI_EXT_SRST, CONF_UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "srst.unknown_fid");
}
