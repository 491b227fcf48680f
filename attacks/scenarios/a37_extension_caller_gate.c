// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: caller confusion on the extension gate. A TVM calls the host's
 *         extensions (COVH get_tsm_info into host memory, promote, run of a
 *         stopped sibling vCPU, destroy of itself; NACL set_shmem to move the
 *         host's mailbox); the host calls the guest's COVG (share, MMIO,
 *         attestation) as if it were a TVM.
 * Class: 13
 * Attacker: malicious TVM; malicious host
 * Expected defence: the dispatch table's caller mask answers NOT_SUPPORTED
 *         before any handler runs: no exit, no write to host memory or NACL,
 *         no state change; Base.probe_extension answers 0 for what the caller
 *         may not use.
 * Reference: cove-abi.md section 2 (caller gating); DESIGN.md section 3
 *         (dispatch caller mask) and section 5 (I7).
 */
#include "attack.h"

#define FILL UINT64_C(0xa5a5a5a55a5a5a5a)

static void fill(struct attack_env *e, uint64_t pa, unsigned int bytes)
{
	for (unsigned int o = 0; o < bytes; o += 8) {
		nacl_write(&e->f, pa, o, FILL ^ o);
	}
}

static unsigned int changed(struct attack_env *e, uint64_t pa, unsigned int bytes)
{
	unsigned int n = 0;

	for (unsigned int o = 0; o < bytes; o += 8) {
		n += nacl_read(&e->f, pa, o) != (FILL ^ o);
	}
	return n;
}

/* A guest call that must be refused inside the monitor, changing nothing. */
static void guest_refused(struct attack_env *e, uint64_t eid, uint64_t fid, uint64_t a0,
			  uint64_t a1, uint64_t a2)
{
	struct shim_hart *h = &e->f.w->hart[0];
	uint8_t before[48];
	uint64_t pc = h->pc;

	state_hash(&e->f, before);
	struct shim_sbiret r = guest_attack(e, 0, eid, fid, a0, a1, a2);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(r.value, 0);
	EXPECT_EQ(h->mode, SHIM_MODE_VS); /* no exit: the host never heard of it */
	EXPECT_EQ(h->pc, pc + 4);
	expect_state_unchanged(e, before);
}

TEST(attack, a37_extension_caller_gate)
{
	struct attack_env e;
	struct mon_tvm_view t;
	struct mon_vcpu_view vv;
	uint64_t nacl = 0;

	attack_env_init(&e, 1);
	uint64_t buf = e.vm.next_free; /* a host page the guest aims get_tsm_info at */
	uint64_t evil = buf + 4096;    /* where the guest would move the host's NACL */
	fill(&e, buf, 4096);
	fill(&e, e.vm.nacl, NACL_SHMEM_SIZE);
	ASSERT_TRUE(host_run(&e, 0, 0));
	fill(&e, e.vm.nacl, NACL_SHMEM_SIZE); /* after the run took its (empty) answer */

	/* ---- a TVM calling COVH and NACL ---- */
	guest_refused(&e, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, 48, 0);
	guest_refused(&e, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	guest_refused(&e, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.tvm, 1, 0);
	guest_refused(&e, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0);
	guest_refused(&e, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, evil, 0, 0);
	guest_refused(&e, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, SBI_NACL_SHMEM_DISABLE,
		      SBI_NACL_SHMEM_DISABLE, 0);
	guest_refused(&e, SBI_EXT_NACL, SBI_NACL_PROBE_FEATURE, 0, 0, 0);
	guest_refused(&e, SBI_EXT_COVI, 0, 0, 0, 0);
	EXPECT_EQ(changed(&e, buf, 4096), 0u);			/* nothing written to host memory */
	EXPECT_EQ(changed(&e, e.vm.nacl, NACL_SHMEM_SIZE), 0u); /* nor to the mailbox */
	EXPECT_FALSE(mon_introspect_tvm(e.f.mon, e.tvm + 1, &t));
	EXPECT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 1, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_STOPPED);
	ASSERT_TRUE(mon_introspect_nacl(e.f.mon, 0, &nacl));
	EXPECT_EQ(nacl, e.vm.nacl);
	/* What the guest may not use, it is told does not exist. */
	static const uint64_t host_only[] = { SBI_EXT_COVH, SBI_EXT_NACL, SBI_EXT_COVI };
	for (size_t i = 0; i < 3; i++) {
		struct shim_sbiret r = guest_attack(&e, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION,
						    host_only[i], 0, 0);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 0);
	}

	/* ---- the host calling COVG ---- */
	shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, false);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	attack_check(&e, 50);
	static const uint64_t fids[] = { COVG_ADD_MMIO_REGION,	     COVG_SHARE_MEMORY_REGION,
					 COVG_UNSHARE_MEMORY_REGION, COVG_ALLOW_EXTERNAL_INTERRUPT,
					 COVG_GET_ATTCAPS,	     COVG_RETRIEVE_SECRET,
					 COVG_READ_MEASUREMENT };
	uint8_t before[48];
	state_hash(&e.f, before);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		struct shim_sbiret r =
			host_attack(&e, 0, SBI_EXT_COVG, fids[i], VM_RAM_GPA, 4096, buf);
		EXPECT_TRUE(r.reached_monitor);
		EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(r.value, 0);
		EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	}
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_COVG, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 0);
	expect_state_unchanged(&e, before);
	EXPECT_EQ(changed(&e, buf, 4096), 0u);
	attack_env_fini(&e);
}
