// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host promotes a VM with a TVM attestation payload (TAP) the
 *         monitor cannot verify, hoping to get a runnable TVM whose local
 *         attestation was skipped (secrets released to an unverified image).
 * Class: 6
 * Attacker: malicious host
 * Expected defence: promote answers AUTH for any TAP while local attestation
 *         is not implemented, before allocating anything: no TVM, no page,
 *         monitor state unchanged; the id it would have had cannot be run.
 * Reference: cove-abi.md section 3 (promote_to_tvm errors: AUTH) and
 *         section 6 flaw 4 (TAP parser); monitor/src/promote.c header.
 */
#include "attack.h"

TEST(attack, a19_promote_with_tap_is_auth)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint8_t before[48];
	/* A TAP in mapped guest memory, one in the FDT page, one misaligned, one unmapped. */
	const uint64_t taps[] = { VM_RAM_GPA, VM_FDT_GPA, VM_RAM_GPA + 0x1234,
				  VM_RAM_GPA + 0x80000 };

	attack_env_init(&e, 2);
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	for (unsigned int i = 0; i < sizeof(taps) / sizeof(taps[0]); i++) {
		state_hash(&e.f, before);
		struct shim_sbiret r = host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM,
						   e.vm.fdt_gpa, taps[i], e.vm.entry);
		/* (1) ABI: AUTH, no id. */
		EXPECT_EQ(r.error, COVE_ERR_AUTH);
		EXPECT_EQ(r.value, 0);
		/* (2) Nothing was created: state, pages, TVM 2. */
		expect_state_unchanged(&e, before);
		EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
		EXPECT_FALSE(mon_introspect_tvm(e.f.mon, e.tvm + 1, &view));
	}
	/* The id a TVM would have had is not runnable on either hart. */
	state_hash(&e.f, before);
	struct shim_sbiret r = host_attack(&e, 1, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.tvm + 1, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_HS);
	expect_state_unchanged(&e, before);
	/* The genuine TVM is untouched and the host still reaches none of it. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	EXPECT_EQ(view.state, COVE_TVM_RUNNABLE);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
