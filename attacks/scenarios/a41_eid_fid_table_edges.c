// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: calls at the edges of the dispatch tables: EIDs with bits above
 *         31 whose low half names COVH/COVG/Base (a decoder that narrows a7
 *         to 32 bits runs them), experimental, vendor and firmware EID
 *         ranges, legacy console EIDs from a TVM (a console leak), and FIDs
 *         one past the end of each extension's table (COVH 19/20, COVG 11,
 *         Base 7, NACL 2..5, HSM 4, IPI 1, RFENCE 7, SRST 1, DBCN 3) and at
 *         0xFFFF / 0x7FFFFFFF, from the host and from a TVM.
 * Class: 14
 * Attacker: malicious host; malicious TVM
 * Expected defence: a7 is compared as a full 64-bit value and unknown
 *         functions are NOT_SUPPORTED with a1 = 0; none of them exits to the
 *         host, runs a neighbouring handler (destroy, shutdown, HSM start) or
 *         changes the monitor state; Base.probe_extension answers 0 for each
 *         unknown EID.
 * Reference: cove-abi.md section 1 (unknown EID or FID: NOT_SUPPORTED; ACE
 *         answers INVALID_PARAM) and section 2; SBI spec (EID ranges).
 */
#include "attack.h"

#define FILL UINT64_C(0xa5a5a5a55a5a5a5a)

static const uint64_t bad_eids[] = {
	(UINT64_C(1) << 32) | SBI_EXT_BASE,
	(UINT64_C(1) << 32) | SBI_EXT_COVH,
	UINT64_C(0xFFFFFFFF00000000) | SBI_EXT_COVH,
	(UINT64_C(1) << 63) | SBI_EXT_COVG,
	SBI_EXT_EXPERIMENTAL_FIRST,
	SBI_EXT_EXPERIMENTAL_LAST,
	SBI_EXT_VENDOR_FIRST,
	SBI_EXT_VENDOR_LAST,
	UINT64_C(0x0A000000),
	UINT64_C(0x0AFFFFFF), /* firmware range */
	SBI_EXT_LEGACY_PUTCHAR,
	SBI_EXT_LEGACY_GETCHAR,
	UINT64_C(0x0F),
	UINT64_C(0xFFFFFFFF),
};
#define NBAD (sizeof(bad_eids) / sizeof(bad_eids[0]))

struct call {
	uint64_t eid, fid, a0, a1;
};

TEST(attack, a41_eid_fid_table_edges)
{
	static const struct call host_calls[] = {
		{ SBI_EXT_COVH, 19, 1, 0 },
		{ SBI_EXT_COVH, 20, 1, 0 },
		{ SBI_EXT_COVH, 0xFFFF, 1, 0 },
		{ SBI_EXT_BASE, 7, 0, 0 },
		{ SBI_EXT_BASE, 0x7FFFFFFF, 0, 0 },
		{ SBI_EXT_NACL, SBI_NACL_SYNC_CSR, 0, 0 },
		{ SBI_EXT_NACL, SBI_NACL_SYNC_SRET, 0, 0 },
		{ SBI_EXT_NACL, 5, 0, 0 },
	};
	static const struct call guest_calls[] = {
		{ SBI_EXT_COVG, 11, 0x10000000, 4096 },
		{ SBI_EXT_COVG, 0xFFFF, 0x10000000, 4096 },
		{ SBI_EXT_BASE, 7, 0, 0 },
		{ SBI_EXT_HSM, 4, 1, VM_RAM_GPA },
		{ SBI_EXT_IPI, 1, 3, 0 },
		{ SBI_EXT_RFENCE, 7, 3, 0 },
		{ SBI_EXT_SRST, 1, SBI_SRST_TYPE_SHUTDOWN, 0 },
		{ SBI_EXT_DBCN, 3, 0x41, 0 },
		{ SBI_EXT_DBCN, 0x7FFFFFFF, 0x41, 0 },
	};
	struct attack_env e;
	struct mon_tvm_view t;
	struct mon_vcpu_view vv;
	uint8_t before[48];

	attack_env_init(&e, 1);
	state_hash(&e.f, before);

	/* ---- host ---- */
	for (size_t i = 0; i < NBAD; i++) {
		/* fid 8 = destroy for COVH, a0 = the live TVM */
		struct shim_sbiret r =
			host_attack(&e, 0, bad_eids[i], COVH_DESTROY_TVM, e.tvm, 0, 0);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
		r = host_attack(&e, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, bad_eids[i], 0, 0);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 0);
	}
	for (size_t i = 0; i < sizeof(host_calls) / sizeof(host_calls[0]); i++) {
		const struct call *c = &host_calls[i];
		struct shim_sbiret r = host_attack(&e, 0, c->eid, c->fid, c->a0, c->a1, 0);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
	}
	EXPECT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	expect_state_unchanged(&e, before);

	/* ---- TVM ---- */
	ASSERT_TRUE(host_run(&e, 0, 0));
	struct shim_hart *h = &e.f.w->hart[0];
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e.f, e.vm.nacl, o, FILL ^ o);
	}
	size_t console = e.f.w->console_len;
	state_hash(&e.f, before);
	for (size_t i = 0; i < NBAD; i++) {
		uint64_t pc = h->pc;
		/* fid 0 = add_mmio_region for COVG, write for DBCN, putchar's only one */
		struct shim_sbiret r = guest_attack(&e, 0, bad_eids[i], 0, 0x10000000, 4096, 0);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
		EXPECT_EQ(h->pc, pc + 4);
		r = guest_attack(&e, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, bad_eids[i], 0, 0);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 0);
	}
	for (size_t i = 0; i < sizeof(guest_calls) / sizeof(guest_calls[0]); i++) {
		const struct call *c = &guest_calls[i];
		uint64_t pc = h->pc;
		struct shim_sbiret r = guest_attack(&e, 0, c->eid, c->fid, c->a0, c->a1, 0);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
		EXPECT_EQ(h->pc, pc + 4);
		EXPECT_EQ(h->mode, SHIM_MODE_VS);
	}
	/* Nothing ran: no exit (NACL untouched), vCPU 1 still stopped, no shutdown, no
	 * console byte, the monitor state as before. */
	expect_state_unchanged(&e, before);
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, o), FILL ^ o);
	}
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 1, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_STOPPED);
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 0, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_RUNNING);
	EXPECT_EQ(e.f.w->console_len, console);
	attack_env_fini(&e);
}
