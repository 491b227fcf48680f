// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the guest asks to share a page and the host answers with an
 *         address that is not its own memory (confidential memory, this
 *         TVM's root table, monitor data or image, a range running into
 *         confidential memory, an unaligned or non-existent address), or
 *         maps shared pages outside any region the TVM declared, so that the
 *         TVM's "shared" window exposes or corrupts protected memory.
 * Class: 10
 * Attacker: malicious host
 * Expected defence: the monitor validates the answer (aligned, whole range
 *         in host memory) and swaps pages all or nothing: INVALID_ADDRESS,
 *         every GPA keeps its confidential page and contents, no region is
 *         recorded; guest ranges outside /memory are INVALID_PARAM without
 *         an exit; the host cannot map shared pages itself.
 * Reference: cove-abi.md section 4 (share_memory_region: host memory only)
 *         and section 1 (answer via NACL a1); attack-classes.md class 10.
 */
#include "attack.h"

#define GPA_SHARE (VM_RAM_GPA + 5 * 4096)
#define MMIO_GPA  UINT64_C(0x10000000)

/* The 8 bytes vm_build put at @off of guest page @page. */
static uint64_t image_u64(unsigned int page, unsigned int off)
{
	uint64_t v = 0;

	for (unsigned int b = 0; b < 8; b++) {
		v |= (uint64_t)(uint8_t)(page * 31 + (off + b) * 7) << (8 * b);
	}
	return v;
}

/* The guest shares @pages pages at GPA_SHARE; the host answers @answer. */
static void expect_answer_refused(struct attack_env *e, uint64_t answer, unsigned int pages)
{
	struct shim_hart *h = &e->f.w->hart[0];
	struct mon_page_view pv;
	uint64_t old[2];
	uint64_t v = 0;
	uint64_t in_use = mon_introspect_pages_in_use(e->f.mon);
	uint64_t args[6] = { GPA_SHARE, pages * 4096ull, 0, 0, 0, 0 };

	for (unsigned int i = 0; i < pages; i++) {
		old[i] = tvm_pa(e, e->tvm, GPA_SHARE + i * 4096ull);
	}
	(void)shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, args);
	attack_check(e, 120);
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), GPA_SHARE);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11)), pages * 4096ull);
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), answer);
	attack_check(e, 121);
	ASSERT_TRUE(host_run(e, 0, 0));
	/* (1) ABI: the guest's share failed. */
	EXPECT_EQ((int64_t)h->x[10], SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(h->x[11], 0);
	/* (2) Every GPA still maps its own confidential page with the measured bytes. */
	for (unsigned int i = 0; i < pages; i++) {
		uint64_t now = tvm_pa(e, e->tvm, GPA_SHARE + i * 4096ull);
		EXPECT_EQ(now, old[i]);
		ASSERT_TRUE(mon_introspect_page(e->f.mon, old[i], &pv));
		EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
		EXPECT_EQ(pv.owner, e->tvm);
		ASSERT_EQ(guest_load(e, 0, GPA_SHARE + i * 4096ull + 8, &v), SHIM_GUEST_DONE);
		EXPECT_EQ(v, image_u64(5 + i, 8));
	}
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), in_use);
	expect_host_cannot_reach(e, e->f.conf.base, e->f.conf.size);
}

TEST(attack, a30_share_answer_outside_host_memory)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint8_t before[48];

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	ASSERT_TRUE(host_run(&e, 0, 0));

	/* Ranges outside the TVM's /memory never reach the host. */
	struct shim_sbiret r =
		guest_attack(&e, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, MMIO_GPA, 4096, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS);
	r = guest_attack(&e, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION,
			 VM_RAM_GPA + VM_MEM_SIZE - 4096, 2 * 4096, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS);

	/* Answers that are not host memory. */
	uint64_t host_pg = e.vm.next_free;
	e.vm.next_free += 4096;
	expect_answer_refused(&e, e.f.conf.base + 4096, 1);
	expect_answer_refused(&e, view.root, 1);
	expect_answer_refused(&e, mon_introspect_data(e.f.mon).base, 1);
	expect_answer_refused(&e, mon_introspect_image(e.f.mon).base, 1);
	expect_answer_refused(&e, e.f.conf.base - 4096, 2); /* second page is confidential */
	expect_answer_refused(&e, host_pg + 8, 1);
	expect_answer_refused(&e, e.f.plat.dram[0].base + e.f.plat.dram[0].size, 1);

	/* The host mapping a shared page on its own, outside any declared region. */
	state_hash(&e.f, before);
	r = host_attack(&e, 1, SBI_EXT_COVH, COVH_ADD_TVM_SHARED_PAGES, e.tvm, host_pg,
			COVE_PAGE_4K);
	EXPECT_NE(r.error, SBI_SUCCESS);
	expect_state_unchanged(&e, before);
	EXPECT_NE(tvm_pa(&e, e.tvm, VM_RAM_GPA), host_pg);
	attack_env_fini(&e);
}
