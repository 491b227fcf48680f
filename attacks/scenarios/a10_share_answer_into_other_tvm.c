// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: TVM A asks to share a page; the host answers with the host PA of
 *         a confidential page of TVM B (B's secret, or B's G-stage root),
 *         which runs on the other hart at the same moment. Mapped, one
 *         confidential page would sit in two TVMs: A reads B's secret or
 *         rewrites B's tables.
 * Class: 3
 * Attacker: malicious host
 * Expected defence: the share completion validates the answer as host
 *         memory before touching A's tables: A gets INVALID_ADDRESS, its
 *         page stays its own confidential copy, B's page keeps its owner and
 *         bytes, and B still reads its secret.
 * Reference: cove-abi.md section 4 (share_memory_region: host answer
 *         validated); attack-classes.md classes 3 and 10; DESIGN.md
 *         section 5 (I2).
 */
#include "attack.h"

#include <string.h>

#define PAGE	   UINT64_C(4096)
#define SHARE_GPA  (VM_RAM_GPA + 5 * PAGE)
#define SECRET_GPA (VM_RAM_GPA + 4 * PAGE)
#define SECRET	   UINT64_C(0x5ec12e7a0000a010)
#define REG_T1	   6u
#define REG_A0	   10u

/* Byte @off of vm_build's guest page @page. */
static uint8_t image_byte(unsigned int page, unsigned int off)
{
	return (uint8_t)(page * 31 + off * 7);
}

/* TVM A (vCPU 0 on hart 0) shares SHARE_GPA; the host answers @answer. */
static void share_answered_with(struct attack_env *e, uint64_t tvm_a, uint64_t answer)
{
	static uint8_t victim_before[PAGE];
	static uint8_t victim_after[PAGE];
	struct mon_page_view pv_before;
	struct mon_page_view pv_after;
	uint64_t args[6] = { SHARE_GPA, PAGE, 0, 0, 0, 0 };
	uint64_t own = tvm_pa(e, tvm_a, SHARE_GPA);
	uint64_t in_use = mon_introspect_pages_in_use(e->f.mon);
	uint64_t a_reads = 0;

	ASSERT_TRUE(mon_introspect_page(e->f.mon, answer, &pv_before));
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, answer, victim_before, PAGE));
	(void)shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(e, 12);
	ASSERT_EQ(e->f.w->hart[0].mode, SHIM_MODE_HS);
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), answer);
	ASSERT_TRUE(host_run(e, 0, 0));
	EXPECT_EQ((int64_t)e->f.w->hart[0].x[REG_A0], SBI_ERR_INVALID_ADDRESS);

	/* Hardware effect: A still maps its own copy; the victim page is untouched. */
	EXPECT_EQ(tvm_pa(e, tvm_a, SHARE_GPA), own);
	EXPECT_EQ(guest_load(e, 0, SHARE_GPA, &a_reads), SHIM_GUEST_DONE);
	EXPECT_NE(a_reads, SECRET); /* B's secret never reaches A */
	EXPECT_EQ(a_reads & 0xff, image_byte(5, 0));
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), in_use);
	ASSERT_TRUE(mon_introspect_page(e->f.mon, answer, &pv_after));
	EXPECT_EQ(pv_after.owner, pv_before.owner);
	EXPECT_EQ(pv_after.state, pv_before.state);
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, answer, victim_after, PAGE));
	EXPECT_MEM_EQ(victim_after, victim_before, PAGE);
}

TEST(attack, a10_share_answer_into_other_tvm)
{
	struct attack_env e;
	struct mon_tvm_view tb;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	uint64_t tvm_a = e.tvm;
	/* TVM B: the same image promoted again, run on hart 1 with a secret. */
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t tvm_b = r.value;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, tvm_b, &tb));
	(void)vm_nacl(&e.f, &e.vm, 1);
	r = host_attack(&e, 1, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, tvm_b, 0, 0);
	ASSERT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS);
	shim_hart_set_x(&e.f.w->hart[1], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 1, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 10);
	uint64_t b_secret = tvm_pa(&e, tvm_b, SECRET_GPA);

	/* TVM A on hart 0 shares a page; the host answers with B's pages. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	share_answered_with(&e, tvm_a, b_secret);
	share_answered_with(&e, tvm_a, tb.root);
	share_answered_with(&e, tvm_a, tb.root + 3 * PAGE);

	/* B, still running, keeps its secret; the host reaches none of it. */
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS);
	EXPECT_EQ(guest_load(&e, 1, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_EQ(tvm_pa(&e, tvm_b, SECRET_GPA), b_secret);
	e.f.w->hart[0].csr.stimecmp = 0; /* a timer interrupt gives hart 0 back to the host */
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	attack_check(&e, 13);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_FALSE(host_load(&e, 0, b_secret, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
