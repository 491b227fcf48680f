// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host hands promote a G-stage tree that is not a tree: a table
 *         linking to itself or to the root (a cycle, an endless walk), one
 *         table linked twice (aliasing), or a pointer PTE at level 0 (a walk
 *         one level deeper than the mode has).
 * Class: 7
 * Attacker: malicious host
 * Expected defence: the walk records every table page it visits and refuses
 *         a second visit, and refuses non-leaf PTEs at level 0: FAILED, no
 *         TVM, no page taken, monitor state unchanged.
 * Reference: cove-abi.md section 6 flaw 8; DESIGN.md section 3 (gstage:
 *         reject cycles); monitor/src/promote.c (visit_table, walk_pte).
 */
#include "attack.h"

#define PTE_V	  UINT64_C(0x1)
#define EXTRA_GPA (VM_RAM_GPA + VM_MEM_SIZE) /* past /memory, same level-1 table */

static uint64_t rd(struct attack_env *e, uint64_t pa)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, &v, 8));
	return v;
}

static uint64_t next_table(struct attack_env *e, uint64_t table, uint64_t index)
{
	return ((rd(e, table + 8 * index) >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
}

static uint64_t table_pte(uint64_t pa)
{
	return ((pa >> 12) << 10) | PTE_V;
}

TEST(attack, a20_promote_tree_cycle_and_level0_pointer)
{
	struct attack_env e;

	attack_env_init(&e, 2);
	uint64_t l1 = next_table(&e, e.vm.root, (VM_RAM_GPA >> 30) & 0x7ff);
	uint64_t l0 = next_table(&e, l1, (VM_RAM_GPA >> 21) & 0x1ff);

	/* A level-1 table whose entry 5 links back to itself (the host's own store). */
	ASSERT_TRUE(host_store(&e, 1, l1 + 8 * 5, table_pte(l1)));
	expect_promote_refused(&e, SBI_ERR_FAILED);
	/* ... to a page of the root. */
	ASSERT_TRUE(host_store(&e, 1, l1 + 8 * 5, table_pte(e.vm.root + 4096)));
	expect_promote_refused(&e, SBI_ERR_FAILED);
	/* ... to the level-0 table already linked at entry 0 (two links, one table). */
	ASSERT_TRUE(host_store(&e, 1, l1 + 8 * 5, table_pte(l0)));
	expect_promote_refused(&e, SBI_ERR_FAILED);
	ASSERT_TRUE(host_store(&e, 1, l1 + 8 * 5, 0));

	/* A pointer at level 0: a fourth level in a three-level mode. */
	uint64_t deeper = e.vm.next_free;
	e.vm.next_free += 4096;
	vm_set_pte(&e.f, &e.vm, EXTRA_GPA, 0, table_pte(deeper));
	attack_check(&e, 20);
	expect_promote_refused(&e, SBI_ERR_FAILED);
	vm_set_pte(&e.f, &e.vm, EXTRA_GPA, 0, 0);
	attack_check(&e, 21);

	/* Control: with the defects gone the same tree promotes. */
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
