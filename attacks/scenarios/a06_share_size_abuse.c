// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a TVM asks to share ranges whose size is zero, not a multiple of
 *         a page, larger than 64 pages, or so large that gpa + len wraps
 *         past 2^64 or leaves its memory node: a monitor that rounded or
 *         overflowed would hand the host a range covering confidential pages
 *         the TVM never meant to share (or overrun its fixed 64-entry
 *         swap arrays when the host answers).
 * Class: 2
 * Attacker: malicious TVM
 * Expected defence: share_memory_region checks alignment, non-zero length,
 *         the 64-page limit and containment with overflow-safe arithmetic
 *         before reserving anything: INVALID_PARAM, no exit to the host,
 *         state unchanged; every page in the range stays the TVM's own
 *         confidential page, closed to the host.
 * Reference: cove-abi.md section 4 (share_memory_region);
 *         attack-classes.md classes 2 and 10.
 */
#include "attack.h"

#include <string.h>

#define PAGE	  UINT64_C(4096)
#define SHARE_GPA (VM_RAM_GPA + 5 * PAGE)
#define REG_A0	  10u

/* The guest on hart 0 asks to share [@gpa, @gpa + @len): refused in the monitor. */
static void expect_share_refused(struct attack_env *e, uint64_t gpa, uint64_t len)
{
	uint8_t state_before[48];
	uint64_t args[6] = { gpa, len, 0, 0, 0, 0 };
	uint64_t nacl_a0 = nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10));
	uint64_t nacl_a1 = nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11));
	uint64_t pc = e->f.w->hart[0].pc;

	state_hash(&e->f, state_before);
	struct shim_sbiret r =
		shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(e, 12);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e->f.w->hart[0].mode, SHIM_MODE_VS); /* the host was never told */
	EXPECT_EQ(e->f.w->hart[0].pc, pc + 4);
	expect_state_unchanged(e, state_before);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), nacl_a0);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11)), nacl_a1);
}

TEST(attack, a06_share_size_abuse)
{
	struct attack_env e;
	struct mon_page_view pv;
	uint64_t conf_pa[4];
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(host_run(&e, 0, 0));
	for (unsigned int i = 0; i < 4; i++) {
		conf_pa[i] = tvm_pa(&e, e.tvm, SHARE_GPA + i * PAGE);
	}

	expect_share_refused(&e, SHARE_GPA, 0);
	expect_share_refused(&e, SHARE_GPA, PAGE + 0x800);
	expect_share_refused(&e, SHARE_GPA, 1);
	expect_share_refused(&e, SHARE_GPA, 65 * PAGE);
	expect_share_refused(&e, SHARE_GPA, UINT64_C(0) - PAGE);	     /* gpa + len wraps */
	expect_share_refused(&e, SHARE_GPA, UINT64_C(0) - SHARE_GPA + PAGE); /* wraps to page 0 */
	expect_share_refused(&e, VM_RAM_GPA + VM_MEM_SIZE - PAGE, 2 * PAGE); /* leaves /memory */
	expect_share_refused(&e, UINT64_C(0) - PAGE, 2 * PAGE);

	/* Hardware effect: the range is still the TVM's confidential memory. */
	for (unsigned int i = 0; i < 4; i++) {
		EXPECT_EQ(tvm_pa(&e, e.tvm, SHARE_GPA + i * PAGE), conf_pa[i]);
		ASSERT_TRUE(mon_introspect_page(e.f.mon, conf_pa[i], &pv));
		EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
		EXPECT_EQ(pv.owner, e.tvm);
		EXPECT_FALSE(host_load(&e, 1, conf_pa[i], &v));
	}
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* A well-formed request does reach the host (the path is live). */
	uint64_t args[6] = { SHARE_GPA, PAGE, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(&e, 13);
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11)), PAGE);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.next_free);
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(e.f.w->hart[0].x[REG_A0], SBI_SUCCESS);
	EXPECT_EQ(tvm_pa(&e, e.tvm, SHARE_GPA), e.vm.next_free);
	EXPECT_EQ(tvm_pa(&e, e.tvm, SHARE_GPA + PAGE), conf_pa[1]); /* only the page it asked for */
	attack_env_fini(&e);
}
