// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a page the TVM shared with the host (host page H) is cached in
 *         hart 1's TLB by vCPU 1 when vCPU 0 unshares it. Without a remote
 *         fence vCPU 1 keeps its stale translation to H and writes what it
 *         now believes is private, confidential memory straight into the
 *         host's page (race between unshare and access).
 * Class: 5
 * Attacker: malicious host
 * Expected defence: unshare_memory_region unmaps the range and fences the
 *         TVM's VMID on every hart before the vCPU resumes: no hart caches
 *         the GPA, vCPU 1's next store demand-zeroes a fresh confidential
 *         page, and H never receives the secret.
 * Reference: cove-abi.md section 4 (unshare: unmap + fence before the vCPU
 *         resumes); attack-classes.md classes 5 and 10; DESIGN.md section 5
 *         (I9).
 */
#include "attack.h"

#include <string.h>

#define PAGE	  UINT64_C(4096)
#define SHARE_GPA (VM_RAM_GPA + 5 * PAGE)
#define SECRET	  UINT64_C(0x5ec12e7a0000a016)
#define HOST_MARK UINT64_C(0x4057000000000a16)
#define REG_T1	  6u
#define REG_A0	  10u

TEST(attack, a16_unshare_while_cached_on_other_hart)
{
	struct attack_env e;
	struct mon_tvm_view t;
	struct mon_page_view pv;
	static uint8_t h_before[PAGE];
	static uint8_t h_after_private_store[PAGE];
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(host_run_both_vcpus(&e));

	/* vCPU 0 shares SHARE_GPA; the host backs it with H. */
	uint64_t h = e.vm.next_free;
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, h, &(uint64_t){ HOST_MARK }, 8));
	uint64_t args[6] = { SHARE_GPA, PAGE, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(&e, 10);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), h);
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_EQ(e.f.w->hart[0].x[REG_A0], SBI_SUCCESS);

	/* vCPU 1 uses the shared page: hart 1 caches SHARE_GPA -> H. */
	ASSERT_EQ(guest_load(&e, 1, SHARE_GPA, &v), SHIM_GUEST_DONE);
	ASSERT_EQ(v, HOST_MARK);
	const struct shim_tlb_entry *te =
		shim_tlb_lookup(&e.f.w->hart[1].tlb, (uint16_t)t.vmid, SHARE_GPA);
	ASSERT_TRUE(te != NULL);
	ASSERT_EQ(te->hpa, h);

	/* vCPU 0 unshares while vCPU 1 keeps running on hart 1. */
	struct shim_sbiret r =
		guest_attack(&e, 0, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, SHARE_GPA, PAGE, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS); /* hart 1 never exited */

	/* Hardware effect: no hart still maps the GPA to H... */
	expect_no_tlb_entry(&e, SHARE_GPA);
	te = shim_tlb_lookup(&e.f.w->hart[1].tlb, (uint16_t)t.vmid, SHARE_GPA);
	EXPECT_TRUE(te == NULL);

	/* ...so vCPU 1's private store lands in a fresh confidential page, not in H. */
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, h, h_before, PAGE));
	shim_hart_set_x(&e.f.w->hart[1], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 1, true, SHARE_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 11);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, h, h_after_private_store, PAGE));
	EXPECT_MEM_EQ(h_after_private_store, h_before, PAGE); /* H never saw the secret */
	uint64_t now = tvm_pa(&e, e.tvm, SHARE_GPA);
	EXPECT_NE(now, h);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, now, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, e.tvm);
	EXPECT_EQ(guest_load(&e, 1, SHARE_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);

	/* The host, back on hart 0, reads its page and finds no secret. */
	e.f.w->hart[0].csr.stimecmp = 0;
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	attack_check(&e, 12);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_TRUE(host_load(&e, 0, h, &v));
	EXPECT_EQ(v, HOST_MARK);
	EXPECT_FALSE(host_load(&e, 0, now, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
