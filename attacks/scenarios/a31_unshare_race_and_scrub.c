// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: vCPU 1 on hart 1 keeps touching a page while vCPU 0 on hart 0
 *         shares it and later unshares it. The host hopes to read the
 *         confidential page the share replaced (not scrubbed), or to keep
 *         hart 1 writing guest secrets into its page after the unshare
 *         through a stale TLB entry.
 * Class: 10
 * Attacker: second hart
 * Expected defence: a share scrubs and frees the replaced confidential page
 *         only after every hart forgot it; unshare unmaps and fences on all
 *         harts before the vCPU resumes; the next access on any hart gets a
 *         fresh zeroed confidential page and the host page no longer moves.
 * Reference: cove-abi.md section 4 (unshare: unmap + fence before the vCPU
 *         resumes) and section 6 flaw 6; attack-classes.md class 10 (races
 *         between unshare and access, scrubbing on transitions).
 */
#include "attack.h"

#define GPA_SHARE UINT64_C(0x80003000) /* image page 3 */
#define MARKER	  UINT64_C(0x5ca1ab1e0000cafe)
#define MARKER2	  UINT64_C(0x5ca1ab1e0000beef)
#define MARKER3	  UINT64_C(0x5ca1ab1e0000f00d)
#define SECRET	  UINT64_C(0x5ec2e75ec2e75ec2)

static bool lookup(struct attack_env *e, uint64_t gpa, uint64_t *pa)
{
	struct mon_tvm_view v;
	uint64_t pte;
	unsigned int shift;

	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, e->tvm, &v));
	return shim_mmu_gstage_lookup(&e->f.w->mem, v.hgatp, gpa, pa, &pte, &shift);
}

static unsigned int tlbs_reaching(struct attack_env *e, uint64_t hpa)
{
	unsigned int n = 0;

	for (unsigned int k = 0; k < e->f.w->cfg.harts; k++) {
		for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
			const struct shim_tlb_entry *t = &e->f.w->hart[k].tlb.entry[i];
			n += t->valid && hpa >= t->hpa && hpa - t->hpa < (UINT64_C(1) << t->shift);
		}
	}
	return n;
}

TEST(attack, a31_unshare_race_and_scrub)
{
	struct attack_env e;
	struct mon_page_view pv;
	uint64_t old_pa = 0;
	uint64_t now = 0;
	uint64_t v = 0;

	attack_env_init(&e, 3); /* hart 2: the host, never running a vCPU */
	ASSERT_TRUE(host_run(&e, 0, 0));
	struct shim_sbiret r =
		guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_RAM_GPA + 0x2000, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 1, 1));

	/* vCPU 1 on hart 1 caches the confidential translation. */
	ASSERT_TRUE(lookup(&e, GPA_SHARE, &old_pa));
	ASSERT_EQ(guest_load(&e, 1, GPA_SHARE, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(tlbs_reaching(&e, old_pa), 1);

	/* vCPU 0 shares the page; the host answers with its own page. */
	uint64_t hp = e.vm.next_free;
	e.vm.next_free += 4096;
	ASSERT_TRUE(host_store(&e, 2, hp, MARKER));
	uint64_t args[6] = { GPA_SHARE, 4096, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(&e, 131);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), hp);
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(e.f.w->hart[0].x[10], SBI_SUCCESS);
	/* The replaced confidential page: free, zero, and in no TLB. */
	expect_page_zero(&e, old_pa);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, old_pa, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_FREE);
	unsigned int stale_tlb_to_scrubbed_page = tlbs_reaching(&e, old_pa);
	EXPECT_EQ(stale_tlb_to_scrubbed_page, 0);
	expect_host_cannot_reach(&e, old_pa, 4096);
	/* Hart 1, still running vCPU 1, now sees the host's page. */
	ASSERT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS);
	ASSERT_EQ(guest_load(&e, 1, GPA_SHARE, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, MARKER);
	ASSERT_TRUE(host_store(&e, 2, hp, MARKER2));
	ASSERT_EQ(guest_load(&e, 1, GPA_SHARE, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, MARKER2);
	EXPECT_EQ(tlbs_reaching(&e, hp), 1); /* hart 1 caches the shared page */

	/* vCPU 0 unshares while vCPU 1 keeps running on hart 1. */
	r = guest_attack(&e, 0, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, GPA_SHARE, 4096, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS);
	ASSERT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS);
	expect_no_tlb_entry(&e, GPA_SHARE);
	EXPECT_FALSE(lookup(&e, GPA_SHARE, &now));

	/* Hart 1's next access: a fresh zeroed confidential page, not the host's. */
	ASSERT_TRUE(host_store(&e, 2, hp, MARKER3));
	ASSERT_EQ(guest_load(&e, 1, GPA_SHARE, &v), SHIM_GUEST_DONE);
	uint64_t after_unshare = v;
	EXPECT_EQ(after_unshare, 0);
	ASSERT_TRUE(lookup(&e, GPA_SHARE, &now));
	EXPECT_NE(now, hp);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, now, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, e.tvm);
	/* A secret vCPU 1 stores there stays confidential; vCPU 0 sees it too. */
	shim_hart_set_x(&e.f.w->hart[1], 14, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 1, true, GPA_SHARE, 8, 14, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 134);
	ASSERT_TRUE(host_load(&e, 2, hp, &v));
	uint64_t host_page_after_secret = v;
	EXPECT_EQ(host_page_after_secret, MARKER3);
	ASSERT_EQ(guest_load(&e, 0, GPA_SHARE, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	expect_host_cannot_reach(&e, now, 4096);
	attack_env_fini(&e);
}
