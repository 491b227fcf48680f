// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host on hart 1 destroys a TVM whose vCPU is running on hart 0.
 *         A monitor that complied would scrub and free pages the running
 *         guest still reaches through hart 0's tables and TLB: the next
 *         owner's data would land in the old guest's hands (use after
 *         free), or the guest's later stores would go into free pages.
 * Class: 4
 * Attacker: second hart
 * Expected defence: destroy_tvm refuses while any vCPU is RUNNING (FAILED,
 *         state unchanged, every page still owned and mapped); once the
 *         vCPU has exited, destroy scrubs every page the TVM owned, frees
 *         them, and leaves no translation with its VMID on any hart.
 * Reference: cove-abi.md section 3 (destroy_tvm: fails while any vCPU
 *         runs) and section 6 flaws 6 and 9; attack-classes.md class 4;
 *         DESIGN.md section 5 (I5, I6, I9).
 */
#include "attack.h"

#include <string.h>

#define PAGE	   UINT64_C(4096)
#define SECRET_GPA (VM_RAM_GPA + 4 * PAGE)
#define DZERO_GPA  (VM_RAM_GPA + 0x80000) /* in /memory, demand-zero */
#define SECRET	   UINT64_C(0x5ec12e7a0000a012)
#define REG_T1	   6u
#define MAX_PAGES  2048u

static void guest_store(struct attack_env *e, unsigned int hart, uint64_t gpa, uint64_t value)
{
	shim_hart_set_x(&e->f.w->hart[hart], REG_T1, value);
	ASSERT_EQ(shim_mon_guest_access(e->f.w, e->f.mon, hart, true, gpa, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(e, 10);
}

TEST(attack, a12_destroy_while_vcpu_runs)
{
	struct attack_env e;
	struct mon_tvm_view t;
	static uint64_t owned[MAX_PAGES];
	unsigned int nowned = 0;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(host_run(&e, 0, 0));
	guest_store(&e, 0, SECRET_GPA, SECRET);
	guest_store(&e, 0, DZERO_GPA, SECRET);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	uint64_t count = 0;
	const struct mon_page_view *rec = mon_introspect_pages(e.f.mon, &count);
	for (uint64_t i = 0; i < count && nowned < MAX_PAGES; i++) {
		if (rec[i].state != MON_PAGE_FREE && rec[i].owner == e.tvm) {
			owned[nowned++] = e.f.conf.base + i * PAGE;
		}
	}
	ASSERT_EQ(nowned, t.pages);

	/* Hart 1 destroys the TVM under the running vCPU. */
	uint8_t state_before[48];
	state_hash(&e.f, state_before);
	struct shim_sbiret r = host_attack(&e, 1, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_FAILED);
	expect_state_unchanged(&e, state_before);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), nowned);
	/* Hardware effect: the guest still has its memory, the host still has none of it. */
	EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS);
	EXPECT_EQ(guest_load(&e, 0, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_EQ(guest_load(&e, 0, DZERO_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_FALSE(host_load(&e, 1, owned[nowned - 1], &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* After the vCPU exits, destroy succeeds and leaves nothing behind. */
	e.f.w->hart[0].csr.stimecmp = 0;
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	attack_check(&e, 11);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	r = host_attack(&e, 1, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), 0);
	for (unsigned int i = 0; i < nowned; i++) {
		struct mon_page_view pv;
		ASSERT_TRUE(mon_introspect_page(e.f.mon, owned[i], &pv));
		EXPECT_EQ(pv.state, MON_PAGE_FREE);
		expect_page_zero(&e, owned[i]);
	}
	for (unsigned int h = 0; h < 2; h++) {
		for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
			const struct shim_tlb_entry *te = &e.f.w->hart[h].tlb.entry[i];
			EXPECT_FALSE(te->valid && te->vmid == t.vmid);
		}
	}
	expect_no_tlb_entry(&e, SECRET_GPA);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
