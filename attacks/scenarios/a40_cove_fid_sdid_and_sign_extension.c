// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host and a TVM encode CoVE calls with a non-zero SDID
 *         (a6[31:26]), reserved bits (a6[25:16]), a sign-extended negative
 *         a6 whose low 16 bits name a real function, or bits above 31 in a6,
 *         hoping a decoder that masks a6 to 16 bits runs the function anyway
 *         (destroy of a live TVM, get_tsm_info into host memory,
 *         get_attcaps into guest memory, an MMIO region the host then sees).
 * Class: 14
 * Attacker: malicious host; malicious TVM
 * Expected defence: a6 must be the sign extension of its low 32 bits, and
 *         for COVH/COVG SDID and reserved bits must be zero, else
 *         NOT_SUPPORTED with a1 = 0 before any handler runs: no byte written,
 *         no exit, the monitor state unchanged. The same function with a
 *         clean a6 works (so the refusal is the encoding's).
 * Reference: cove-abi.md section 1 (SDID must be 0, reserved bits, FIDs are
 *         signed 32-bit); monitor/src/dispatch.c (decoding decisions).
 */
#include <string.h>

#include "attack.h"

#define FILL	 UINT64_C(0xa5a5a5a55a5a5a5a)
#define GPA_CAPS (VM_RAM_GPA + 0x6000)

/* Every a6 that dresses up @fid (low 16 bits) with a forbidden encoding. */
static unsigned int bad_a6(uint64_t fid, uint64_t out[8])
{
	out[0] = (UINT64_C(1) << COVE_FID_SDID_SHIFT) | fid;	/* SDID 1 */
	out[1] = COVE_FID_SDID_MASK | fid;			/* SDID 63 */
	out[2] = (UINT64_C(1) << 16) | fid;			/* lowest reserved bit */
	out[3] = (UINT64_C(1) << 25) | fid;			/* highest reserved bit */
	out[4] = UINT64_C(0xFFFFFFFF80000000) | fid;		/* sign-extended negative */
	out[5] = UINT64_C(0x0000000080000000) | fid;		/* bit 31 not extended */
	out[6] = (UINT64_C(1) << 32) | fid;			/* bit 32 */
	out[7] = UINT64_C(0xFFFF000000000000) | (fid & 0xFFFF); /* upper half garbage */
	return 8;
}

TEST(attack, a40_cove_fid_sdid_and_sign_extension)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t a6[8];
	uint8_t before[48];
	uint8_t caps_before[4096];
	uint8_t caps_after[4096];
	uint64_t pa = 0;
	uint64_t pte = 0;
	unsigned int shift = 0;

	attack_env_init(&e, 1);
	uint64_t buf = e.vm.next_free;
	for (unsigned int o = 0; o < 64; o += 8) {
		nacl_write(&e.f, buf, o, FILL ^ o);
	}
	state_hash(&e.f, before);

	/* ---- host: COVH get_tsm_info, destroy, promote with dressed-up a6 ---- */
	unsigned int n = bad_a6(COVH_GET_TSM_INFO, a6);
	for (unsigned int i = 0; i < n; i++) {
		struct shim_sbiret r = host_attack(&e, 0, SBI_EXT_COVH, a6[i], buf, 48, 0);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
	}
	for (unsigned int o = 0; o < 64; o += 8) {
		EXPECT_EQ(nacl_read(&e.f, buf, o), FILL ^ o); /* not one byte written */
	}
	n = bad_a6(COVH_DESTROY_TVM, a6);
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, a6[i], e.tvm, 0, 0).error,
			  SBI_ERR_NOT_SUPPORTED);
		EXPECT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t)); /* still alive */
	}
	n = bad_a6(COVH_PROMOTE_TO_TVM, a6);
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(
			host_attack(&e, 0, SBI_EXT_COVH, a6[i], e.vm.fdt_gpa, 0, e.vm.entry).error,
			SBI_ERR_NOT_SUPPORTED);
	}
	EXPECT_FALSE(mon_introspect_tvm(e.f.mon, e.tvm + 1, &t));
	/* Base is not CoVE, but a6 must still be a sign-extended 32-bit value. */
	struct shim_sbiret r = host_attack(
		&e, 0, SBI_EXT_BASE, (UINT64_C(1) << 32) | SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(r.value, 0);
	r = host_attack(&e, 0, SBI_EXT_BASE, UINT64_MAX, 0, 0, 0); /* -1: decoded, unknown */
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	expect_state_unchanged(&e, before);
	/* Control: the clean encoding writes the 48 bytes. */
	r = host_attack(&e, 0, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, 48, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 48);
	EXPECT_NE(nacl_read(&e.f, buf, 0), FILL);

	/* ---- TVM: COVG get_attcaps and add_mmio_region with dressed-up a6 ---- */
	ASSERT_TRUE(host_run(&e, 0, 0));
	struct shim_hart *h = &e.f.w->hart[0];
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e.f.w->mem, t.hgatp, GPA_CAPS, &pa, &pte, &shift));
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, pa, caps_before, sizeof(caps_before)));
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e.f, e.vm.nacl, o, FILL ^ o);
	}
	state_hash(&e.f, before);
	static const uint64_t fids[] = { COVG_GET_ATTCAPS, COVG_ADD_MMIO_REGION,
					 COVG_SHARE_MEMORY_REGION };
	for (size_t f = 0; f < 3; f++) {
		n = bad_a6(fids[f], a6);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t pc = h->pc;
			uint64_t a0 = fids[f] == COVG_ADD_MMIO_REGION ? 0x10000000 : GPA_CAPS;
			r = guest_attack(&e, 0, SBI_EXT_COVG, a6[i], a0, 4096, 0);
			EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
			EXPECT_EQ(r.value, 0);
			EXPECT_EQ(h->pc, pc + 4);
		}
	}
	expect_state_unchanged(&e, before); /* no exit, no region, no pending share */
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, pa, caps_after, sizeof(caps_after)));
	EXPECT_MEM_EQ(caps_after, caps_before, sizeof(caps_before));
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, o), FILL ^ o);
	}
	/* Control: the clean get_attcaps writes the guest page, inside the monitor. */
	r = guest_attack(&e, 0, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS, 4096, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, pa, caps_after, sizeof(caps_after)));
	EXPECT_NE(memcmp(caps_after, caps_before, sizeof(caps_before)), 0);
	attack_env_fini(&e);
}
