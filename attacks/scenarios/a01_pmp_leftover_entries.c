// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: an earlier boot stage left a permissive PMP entry in front of the
 *         monitor's rules on a hart that never runs a TVM; the host on that
 *         hart reads confidential memory.
 * Class: 12
 * Attacker: malicious host
 * Expected defence: mon_hart_init writes every PMP entry in full on every
 *         hart (never masks bits of unknown state); the host's load faults.
 * Reference: cove-abi.md section 6 flaw 1 (ACE); DESIGN.md section 3 (pmp).
 */
#include "attack.h"

TEST(attack, a01_pmp_leftover_entries)
{
	struct attack_env e;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	/* Hart 1 never runs a TVM. The monitor rewrote its PMP at init; plant a
	 * permissive entry again as an earlier stage would and re-init the hart. */
	ASSERT_TRUE(shim_pmp_write_addr(&e.f.w->hart[1].pmp, 0, UINT64_MAX >> 10));
	ASSERT_TRUE(shim_pmp_write_cfg(&e.f.w->hart[1].pmp, 0, HAL_PMP_A_NAPOT | 7));
	ASSERT_EQ(mon_hart_init(e.f.mon, 1), MON_OK);
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base + 0x3000, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
