// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host promotes a VM with a TVM attestation payload (TAP) it
 *         forged, moved or corrupted, hoping for a runnable TVM that holds
 *         secrets meant for another image, or for a crash in the TAP parser.
 * Class: 6
 * Attacker: malicious host
 * Expected defence: promote answers AUTH for bytes that are not a TAP,
 *         for a TAP sealed under a key the host made up and for a
 *         genuine TAP placed into an image it does not describe (its digests
 *         no longer match), INVALID_ADDRESS for a misplaced one; each time no
 *         TVM, no page, monitor state unchanged, and the genuine TVM intact.
 * Reference: abi/tap.h; cove-abi.md section 6 flaw 4 (TAP parser);
 *         monitor/src/promote.c header; docs/tap.md.
 */
#include "attack.h"
#include "tap_build.h"

TEST(attack, a19_promote_with_forged_tap)
{
	struct attack_env e;
	struct mon_tvm_view view;
	static uint8_t tap[8192];
	uint8_t before[48];
	struct tap_spec spec;

	attack_env_init(&e, 2);
	/* The genuine TAP for the running TVM: its creator's digests, a secret. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	tap_spec_init(&spec, (const uint8_t *)SHIM_DEV_ATTESTATION_ROOT);
	spec.digest_mask = 3;
	memcpy(spec.digest, view.measure, sizeof(spec.digest));
	spec.secret[0] = (struct tap_secret){ 1, "not for the host", 16 };
	spec.nsecrets = 1;
	size_t genuine = tap_build(&spec, tap, sizeof(tap));
	ASSERT_GT(genuine, 0);
	/* ...planted over image bytes: the image it now sits in measures differently. */
	const uint64_t at = VM_RAM_GPA + 3 * 4096 + 8;
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + (at - VM_RAM_GPA), tap, genuine));

	struct {
		uint64_t gpa;
		int64_t err;
	} tries[] = {
		{ at, COVE_ERR_AUTH },				   /* moved: digests differ */
		{ VM_RAM_GPA, COVE_ERR_AUTH },			   /* image bytes, not a TAP */
		{ VM_FDT_GPA, COVE_ERR_AUTH },			   /* the FDT, not a TAP */
		{ VM_RAM_GPA + 0x1234, SBI_ERR_INVALID_ADDRESS },  /* misaligned */
		{ VM_RAM_GPA + 0x80000, SBI_ERR_INVALID_ADDRESS }, /* not mapped */
		{ 0, 0 },					   /* forged: below */
	};
	/* A TAP the host sealed itself, under a platform key it made up. */
	spec.roots[0] = (const uint8_t *)"the-host-guesses-a-platform-key!";
	const uint64_t forged_at = VM_RAM_GPA + 5 * 4096;
	size_t forged = tap_build(&spec, tap, sizeof(tap));
	ASSERT_TRUE(
		shim_mem_write(&e.f.w->mem, e.vm.ram_pa + (forged_at - VM_RAM_GPA), tap, forged));
	tries[5].gpa = forged_at;
	tries[5].err = COVE_ERR_AUTH;

	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	for (unsigned int i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		state_hash(&e.f, before);
		struct shim_sbiret r = host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM,
						   e.vm.fdt_gpa, tries[i].gpa, e.vm.entry);
		/* (1) ABI: the documented error, no id. */
		EXPECT_EQ(r.error, tries[i].err);
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
