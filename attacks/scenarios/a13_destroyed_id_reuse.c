// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host keeps using a TVM id after destroy_tvm (run, destroy
 *         again), then promotes a new VM that gets the same id and VMID:
 *         stale TLB entries tagged with the old VMID, or pages the old TVM
 *         owned that were not scrubbed, would hand the old guest's secret to
 *         the new guest (use after free through id and VMID reuse).
 * Class: 4
 * Attacker: malicious host
 * Expected defence: a destroyed id is unknown (INVALID_PARAM, state
 *         unchanged, no hart enters a guest); destroy scrubs every page and
 *         fences the VMID on every hart; the reused id and VMID reach only
 *         the new TVM's own copies, never the old secret.
 * Reference: cove-abi.md section 3 (destroy_tvm) and section 6 flaw 9;
 *         attack-classes.md class 4; DESIGN.md section 5 (I6, I9).
 */
#include "attack.h"

#include <string.h>

#define PAGE	   UINT64_C(4096)
#define SECRET_GPA (VM_RAM_GPA + 4 * PAGE)
#define SECRET	   UINT64_C(0x5ec12e7a0000a013)
#define REG_T1	   6u

static void timer_exit(struct attack_env *e, unsigned int hart)
{
	e->f.w->hart[hart].csr.stimecmp = 0;
	shim_world_update_timers(e->f.w);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, hart));
	ASSERT_EQ(e->f.w->hart[hart].mode, SHIM_MODE_HS);
	e->f.w->hart[hart].csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e->f.w);
	attack_check(e, 10);
}

static unsigned int tlb_entries_with_vmid(struct attack_env *e, unsigned int hart, unsigned vmid)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		const struct shim_tlb_entry *te = &e->f.w->hart[hart].tlb.entry[i];
		n += te->valid && te->vmid == vmid;
	}
	return n;
}

TEST(attack, a13_destroyed_id_reuse)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint8_t state_before[48];
	uint64_t v = 0;

	attack_env_init(&e, 2);
	uint64_t old_id = e.tvm;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, old_id, &t));
	unsigned int old_vmid = t.vmid;
	/* The old guest leaves a secret in memory and in both harts' TLBs. */
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 0, 0));
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 11);
	uint64_t old_secret_pa = tvm_pa(&e, old_id, SECRET_GPA);
	struct shim_sbiret r = guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(host_run(&e, 1, 1));
	ASSERT_EQ(guest_load(&e, 1, SECRET_GPA, &v), SHIM_GUEST_DONE);
	ASSERT_EQ(v, SECRET);
	ASSERT_GT(tlb_entries_with_vmid(&e, 1, old_vmid), 0);
	timer_exit(&e, 0);
	timer_exit(&e, 1);
	r = host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, old_id, 0, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);

	/* Use after free: the dead id is unknown to every call. */
	state_hash(&e.f, state_before);
	EXPECT_FALSE(host_run(&e, 1, 0));
	EXPECT_EQ((int64_t)e.f.w->hart[1].x[10], SBI_ERR_INVALID_PARAM);
	EXPECT_FALSE(host_run(&e, 0, 1));
	r = host_attack(&e, 1, SBI_EXT_COVH, COVH_DESTROY_TVM, old_id, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	expect_state_unchanged(&e, state_before);

	/* Hardware effect: the secret is gone from memory and from every TLB. */
	expect_page_zero(&e, old_secret_pa);
	EXPECT_EQ(tlb_entries_with_vmid(&e, 0, old_vmid), 0);
	EXPECT_EQ(tlb_entries_with_vmid(&e, 1, old_vmid), 0);
	expect_no_tlb_entry(&e, SECRET_GPA);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* The same image promoted again takes the id and the VMID back. */
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	r = host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, old_id);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, r.value, &t));
	EXPECT_EQ(t.vmid, old_vmid);
	ASSERT_TRUE(host_run(&e, 1, 0));
	EXPECT_EQ(guest_load(&e, 1, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_NE(v, SECRET);
	EXPECT_EQ(v & 0xff, (uint8_t)(4 * 31)); /* vm_build's byte 0 of page 4 */
	attack_env_fini(&e);
}
