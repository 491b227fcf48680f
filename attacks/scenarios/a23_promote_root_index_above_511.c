// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host maps guest pages through root entries 1024 and 2047 of its
 *         Sv39x4 root (16 KiB, 2048 entries). A monitor that indexes the x4
 *         root with 9 bits (ACE) folds them onto entries 0 and 511: pages
 *         land at GPAs the host chose for the truncated index, or collide
 *         with the TVM's real memory.
 * Class: 7
 * Attacker: malicious host
 * Expected defence: the walk covers all 2048 root entries with 11-bit
 *         indices; the monitor's root has the same entries valid (1024,
 *         2047) and the folded ones (0, 511) empty; the guest reads each
 *         page at the GPA the host put it and faults at the folded GPAs.
 * Reference: cove-abi.md section 6 flaw 7 (root index one bit short);
 *         privileged spec, "Hypervisor Extension", Sv39x4.
 */
#include "attack.h"

#define PTE_LEAF UINT64_C(0xD7) /* V R W U A D */
#define GPA_1024 (UINT64_C(1024) << 30)
#define GPA_2047 (UINT64_C(2047) << 30)

static uint64_t rd(struct attack_env *e, uint64_t pa)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, &v, 8));
	return v;
}

static uint64_t fresh_page(struct attack_env *e, uint64_t fill)
{
	uint64_t pa = e->vm.next_free;

	e->vm.next_free += 4096;
	for (unsigned int off = 0; off < 4096; off += 8) {
		ASSERT_TRUE(host_store(e, 1, pa + off, fill));
	}
	return pa;
}

/* The guest on hart 0 loads at @gpa: it must fault to the host (nothing mapped). */
static void expect_unmapped(struct attack_env *e, uint64_t gpa)
{
	uint64_t v = 0;

	EXPECT_EQ(guest_load(e, 0, gpa, &v), SHIM_GUEST_EXITED);
	EXPECT_EQ(e->f.w->hart[0].csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	ASSERT_TRUE(host_run(e, 0, 0));
}

TEST(attack, a23_promote_root_index_above_511)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	uint64_t a = fresh_page(&e, UINT64_C(0xa5a5a5a5a5a5a5a5));
	uint64_t b = fresh_page(&e, UINT64_C(0x5a5a5a5a5a5a5a5a));
	vm_set_pte(&e.f, &e.vm, GPA_1024, 0, ((a >> 12) << 10) | PTE_LEAF);
	vm_set_pte(&e.f, &e.vm, GPA_2047 + 0x3ff000, 0, ((b >> 12) << 10) | PTE_LEAF);
	attack_check(&e, 60);

	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e.tvm = r.value;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	/* The monitor's own root: the host's indices, not folded ones. */
	EXPECT_NE(rd(&e, view.root + 8 * 1024) & 1, 0);
	EXPECT_NE(rd(&e, view.root + 8 * 2047) & 1, 0);
	EXPECT_EQ(rd(&e, view.root + 8 * 0) & 1, 0);
	EXPECT_EQ(rd(&e, view.root + 8 * 511) & 1, 0);

	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_EQ(guest_load(&e, 0, GPA_1024 + 0x120, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, UINT64_C(0xa5a5a5a5a5a5a5a5));
	ASSERT_EQ(guest_load(&e, 0, GPA_2047 + 0x3ff000 + 0x120, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, UINT64_C(0x5a5a5a5a5a5a5a5a));
	/* A 9-bit root index would have put them here. */
	expect_unmapped(&e, 0x120);
	expect_unmapped(&e, (UINT64_C(511) << 30) + 0x3ff000 + 0x120);
	/* The copies are confidential: the host's pages are not what the guest reads. */
	uint64_t pa = 0;
	uint64_t pte;
	unsigned int shift;
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e.f.w->mem, view.hgatp, GPA_1024, &pa, &pte, &shift));
	EXPECT_NE(pa, a);
	expect_host_cannot_reach(&e, pa, 4096);
	attack_env_fini(&e);
}
