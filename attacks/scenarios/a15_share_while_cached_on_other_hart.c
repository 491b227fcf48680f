// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: vCPU 1 of TVM A runs on hart 1 with A's confidential page P cached
 *         in its TLB while vCPU 0 (hart 0) shares P's GPA and the host
 *         answers. The monitor swaps the mapping and frees P; the host at
 *         once promotes TVM B on hart 2, which gets P. If hart 1 still caches
 *         the old translation, A's vCPU 1 reads (and writes) B's page
 *         (page freed and reused before every hart fenced).
 * Class: 5
 * Attacker: malicious TVM
 * Expected defence: the share completion fences A's VMID on every hart
 *         before it scrubs and frees P: no hart caches the GPA once the call
 *         returns, P is zero and free, and after B takes P, vCPU 1's access
 *         walks A's new tables to the host's page, never to B's data.
 * Reference: cove-abi.md section 6 flaw 6 (pages freed before other harts
 *         fenced); attack-classes.md classes 5 and 10; DESIGN.md section 5
 *         (I2, I6, I9).
 */
#include "attack.h"

#include <string.h>

#define PAGE	  UINT64_C(4096)
#define SHARE_GPA (VM_RAM_GPA + 5 * PAGE)
#define HOST_MARK UINT64_C(0x4057000000000a15)
#define REG_A0	  10u

TEST(attack, a15_share_while_cached_on_other_hart)
{
	struct attack_env e;
	struct mon_tvm_view t;
	struct mon_page_view pv;
	uint64_t v = 0;

	attack_env_init(&e, 3);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(host_run_both_vcpus(&e));

	/* vCPU 1 touches P: hart 1's TLB now maps SHARE_GPA to it. */
	uint64_t p = tvm_pa(&e, e.tvm, SHARE_GPA);
	ASSERT_EQ(guest_load(&e, 1, SHARE_GPA, &v), SHIM_GUEST_DONE);
	const struct shim_tlb_entry *te =
		shim_tlb_lookup(&e.f.w->hart[1].tlb, (uint16_t)t.vmid, SHARE_GPA);
	ASSERT_TRUE(te != NULL);
	ASSERT_EQ(te->hpa, p);

	/* vCPU 0 shares the page; the host answers with a page of its own. */
	uint64_t host_page_pa = e.vm.next_free;
	e.vm.next_free += PAGE;
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, host_page_pa, &(uint64_t){ HOST_MARK }, 8));
	uint64_t args[6] = { SHARE_GPA, PAGE, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(&e, 10);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), host_page_pa);
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(e.f.w->hart[0].x[REG_A0], SBI_SUCCESS);

	/* Hardware effect: no hart caches the old translation; P is scrubbed and free. */
	expect_no_tlb_entry(&e, SHARE_GPA);
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS); /* hart 1 never exited */
	ASSERT_TRUE(mon_introspect_page(e.f.mon, p, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_FREE);
	expect_page_zero(&e, p);

	/* The host on hart 2 promotes TVM B at once: B takes P. */
	uint64_t nacl2 = vm_nacl(&e.f, &e.vm, 2);
	nacl_write(&e.f, nacl2, nacl_csr_offset(NACL_CSR_HGATP), e.vm.hgatp);
	nacl_write(&e.f, nacl2, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	struct shim_sbiret r =
		host_attack(&e, 2, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, p, &pv));
	ASSERT_EQ(pv.owner, r.value);
	uint64_t b_word = 0;
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, p, &b_word, 8));

	/* vCPU 1's SHARE_GPA reaches the host's page, not B's page P. */
	EXPECT_EQ(guest_load(&e, 1, SHARE_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, HOST_MARK);
	te = shim_tlb_lookup(&e.f.w->hart[1].tlb, (uint16_t)t.vmid, SHARE_GPA);
	EXPECT_TRUE(te == NULL || te->hpa == host_page_pa);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, p, &v, 8));
	EXPECT_EQ(v, b_word); /* B's page was not written through a stale entry */
	EXPECT_FALSE(host_load(&e, 2, p, &v));
	attack_env_fini(&e);
}
