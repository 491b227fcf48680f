// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: vCPU 1 of a TVM shuts the TVM down (SRST) while vCPU 0 is still
 *         running on the other hart; the host then tries to resurrect the
 *         dead vCPUs (run vCPU 1 again, run vCPU 0 on the hart that just
 *         exited, run either after vCPU 0's own exit) to keep executing a
 *         guest that declared itself finished, e.g. to replay its state.
 * Class: 4
 * Attacker: malicious host
 * Expected defence: SRST marks the TVM shut down; a vCPU on another hart is
 *         ended at its next trap and its exit says dead (a1 = 1);
 *         run_tvm_vcpu of any vCPU of the TVM is INVALID_PARAM with the
 *         state unchanged and the hart left in HS, closed to confidential
 *         memory; destroy then scrubs everything.
 * Reference: cove-abi.md section 3 (run_tvm_vcpu value non-zero = dead) and
 *         section 2 (SRST shuts the TVM down); attack-classes.md class 4.
 */
#include "attack.h"

#include <string.h>

#define REG_A0 10u
#define REG_A1 11u

static void expect_run_refused(struct attack_env *e, unsigned int hart, uint64_t vcpu)
{
	uint8_t state_before[48];

	state_hash(&e->f, state_before);
	EXPECT_FALSE(host_run(e, hart, vcpu));
	EXPECT_EQ((int64_t)e->f.w->hart[hart].x[REG_A0], SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e->f.w->hart[hart].mode, SHIM_MODE_HS);
	expect_state_unchanged(e, state_before);
}

TEST(attack, a14_run_dead_vcpu_after_srst)
{
	struct attack_env e;
	struct mon_vcpu_view vv;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(host_run_both_vcpus(&e));

	/* vCPU 1 (hart 1) shuts the TVM down; vCPU 0 still runs on hart 0. */
	uint64_t args[6] = { SBI_SRST_TYPE_SHUTDOWN, 0, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 1, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, args);
	attack_check(&e, 10);
	ASSERT_EQ(e.f.w->hart[1].mode, SHIM_MODE_HS);
	EXPECT_EQ(e.f.w->hart[1].x[REG_A1], 1); /* dead */

	/* The host resurrects vCPU 1, and tries vCPU 0 (still on hart 0) from hart 1. */
	expect_run_refused(&e, 1, 1);
	expect_run_refused(&e, 1, 0);
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base, &v));

	/* vCPU 0's hart got the monitor's IPI: its next trap ends it, dead. */
	EXPECT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	attack_check(&e, 11);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(e.f.w->hart[0].x[REG_A1], 1);
	for (uint64_t i = 0; i < 2; i++) {
		ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, i, &vv));
		EXPECT_EQ(vv.state, MON_VCPU_DEAD);
	}
	expect_run_refused(&e, 0, 0);
	expect_run_refused(&e, 0, 1);
	expect_run_refused(&e, 1, 0);

	/* Hardware effect: both harts are the host's and closed; destroy leaves nothing. */
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	EXPECT_FALSE(host_load(&e, 0, e.f.conf.base, &v));
	struct shim_sbiret r = host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), 0);
	expect_page_zero(&e, e.f.conf.base);
	attack_env_fini(&e);
}
