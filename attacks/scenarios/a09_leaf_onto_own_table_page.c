// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host's G-stage tree maps one of its own table pages (the
 *         level-0 table of guest RAM, and the root) as a data leaf, so the
 *         same page is both a table and guest data. If the monitor ran the
 *         TVM on the host's tables, or built its tables in a page the guest
 *         can write, the guest could forge a PTE into that page and map
 *         confidential memory of another TVM or of the monitor.
 * Class: 3
 * Attacker: malicious host
 * Expected defence: promote_to_tvm treats the aliased page as data: it gets
 *         a confidential copy, while the TVM's real tables are monitor-built
 *         pages in confidential memory no GPA maps. A PTE the guest forges
 *         into the copy changes no translation: the GPA it names still
 *         demand-zeroes a fresh page, the target and the host's table stay
 *         as they were.
 * Reference: cove-abi.md section 6 (promote); attack-classes.md classes 3
 *         and 7; DESIGN.md section 5 (I2, I3).
 */
#include "attack.h"

#include <string.h>

#define PAGE	    UINT64_C(4096)
#define GPA_L0	    (VM_RAM_GPA + 16 * PAGE) /* leaf onto the host's level-0 table */
#define GPA_ROOT    (VM_RAM_GPA + 17 * PAGE) /* leaf onto the host's root */
#define GPA_FORGED  (VM_RAM_GPA + 20 * PAGE) /* what the forged PTE would map */
#define LEAF_RWXU   UINT64_C(0xdf)	     /* V R W X U A D */
#define PTE_PA(pte) ((((pte) >> 10) & ((UINT64_C(1) << 44) - 1)) << 12)
#define REG_T1	    6u

static uint64_t phys64(struct attack_env *e, uint64_t pa)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, &v, 8));
	return v;
}

TEST(attack, a09_leaf_onto_own_table_page)
{
	struct attack_env e;
	struct mon_tvm_view t1;
	struct mon_tvm_view t2;
	struct mon_page_view pv;
	static uint8_t l0_before[PAGE];
	static uint8_t l0_after[PAGE];
	static uint8_t target_before[PAGE];
	static uint8_t target_after[PAGE];
	uint64_t v = 0;

	attack_env_init(&e, 2);
	uint64_t tvm1 = e.tvm;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, tvm1, &t1));
	/* Sv39x4: root index 2 covers VM_RAM_GPA, then level-1 index 0. */
	uint64_t host_l1 = PTE_PA(phys64(&e, e.vm.root + 8 * ((VM_RAM_GPA >> 30) & 0x7ff)));
	uint64_t host_l0 = PTE_PA(phys64(&e, host_l1));
	vm_set_pte(&e.f, &e.vm, GPA_L0, 0, ((host_l0 >> 12) << 10) | LEAF_RWXU);
	vm_set_pte(&e.f, &e.vm, GPA_ROOT, 0, ((e.vm.root >> 12) << 10) | LEAF_RWXU);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	/* Host memory mapped as data is legal: it is copied, never used as a table. */
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t tvm2 = r.value;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, tvm2, &t2));
	EXPECT_NE(t2.hgatp & ((UINT64_C(1) << 44) - 1), e.vm.root >> 12);
	uint64_t copy_l0 = tvm_pa(&e, tvm2, GPA_L0);
	EXPECT_NE(copy_l0, host_l0);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, copy_l0, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA); /* data, not one of its tables */
	EXPECT_EQ(pv.owner, tvm2);
	EXPECT_NE(tvm_pa(&e, tvm2, GPA_ROOT), e.vm.root);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, host_l0, l0_before, PAGE));
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, t1.root, target_before, PAGE));

	/* TVM 2 sees the copy of the host's level-0 table: entry 0 maps its page 0. */
	e.tvm = tvm2;
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(guest_load(&e, 0, GPA_L0, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(PTE_PA(v), e.vm.ram_pa);

	/* It forges a leaf for GPA_FORGED onto TVM 1's root, then uses it. */
	uint64_t forged = ((t1.root >> 12) << 10) | LEAF_RWXU;
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, forged);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, GPA_L0 + 8 * 20, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 10);
	EXPECT_EQ(guest_load(&e, 0, GPA_FORGED, &v), SHIM_GUEST_DONE);

	/* Hardware effect: a fresh zero page answered, nothing was remapped. */
	EXPECT_EQ(v, 0);
	uint64_t got = tvm_pa(&e, tvm2, GPA_FORGED);
	EXPECT_NE(got, t1.root);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, got, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, tvm2);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, t1.root, target_after, PAGE));
	EXPECT_MEM_EQ(target_after, target_before, PAGE);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, host_l0, l0_after, PAGE));
	EXPECT_MEM_EQ(l0_after, l0_before, PAGE);
	EXPECT_FALSE(host_load(&e, 1, t2.root, &v));
	EXPECT_FALSE(host_load(&e, 1, copy_l0, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
