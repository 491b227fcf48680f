// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: once promote has walked the host's G-stage tree, the host on a
 *         second hart rewrites it (remaps a guest page to a page it fills,
 *         unmaps another, clears the root entry), betting that the monitor
 *         walks or reuses the host's tables when the vCPU runs (TOCTOU).
 * Class: 7
 * Attacker: second hart
 * Expected defence: each PTE is read once and the TVM runs on the monitor's
 *         own tables in confidential memory; host table rewrites change
 *         nothing the guest sees, and its TLB entries point at the copies.
 * Reference: attack-classes.md class 7 (host changing tables from another
 *         hart during the copy); cove-abi.md section 5 (read each field
 *         once) and section 6; DESIGN.md section 3 (gstage).
 */
#include "attack.h"

#define PTE_LEAF  UINT64_C(0xDF)
#define HOST_FILL UINT64_C(0xeeeeeeeeeeeeeeee)

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

/* The 8 bytes vm_build put at @off of guest page @page. */
static uint64_t image_u64(unsigned int page, unsigned int off)
{
	uint64_t v = 0;

	for (unsigned int b = 0; b < 8; b++) {
		v |= (uint64_t)(uint8_t)(page * 31 + (off + b) * 7) << (8 * b);
	}
	return v;
}

TEST(attack, a24_promote_table_toctou_second_hart)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	uint64_t root_slot = e.vm.root + 8 * ((VM_RAM_GPA >> 30) & 0x7ff);
	uint64_t l1 = next_table(&e, e.vm.root, (VM_RAM_GPA >> 30) & 0x7ff);
	uint64_t l0 = next_table(&e, l1, (VM_RAM_GPA >> 21) & 0x1ff);

	/* Hart 1, in HS, rewrites its tree with ordinary stores. */
	uint64_t evil = e.vm.next_free;
	e.vm.next_free += 4096;
	for (unsigned int off = 0; off < 4096; off += 8) {
		ASSERT_TRUE(host_store(&e, 1, evil + off, HOST_FILL));
	}
	ASSERT_TRUE(host_store(&e, 1, l0 + 8 * 3, ((evil >> 12) << 10) | PTE_LEAF));
	ASSERT_TRUE(host_store(&e, 1, l0 + 8 * 4, 0));
	ASSERT_TRUE(host_store(&e, 1, l0 + 8 * 6, ((evil >> 12) << 10) | PTE_LEAF));
	ASSERT_TRUE(host_store(&e, 1, root_slot + 8, ((l1 >> 12) << 10) | 1)); /* a new 1G window */

	/* Hart 0 runs the vCPU: the monitor's root, not the host's. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(e.f.w->hart[0].csr.hgatp, view.hgatp);
	EXPECT_NE(e.f.w->hart[0].csr.hgatp & ((UINT64_C(1) << 44) - 1), e.vm.root >> 12);
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA + 3 * 4096 + 16, &v), SHIM_GUEST_DONE);
	uint64_t remapped_page = v;
	EXPECT_EQ(remapped_page, image_u64(3, 16));
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA + 4 * 4096 + 24, &v), SHIM_GUEST_DONE);
	uint64_t unmapped_page = v;
	EXPECT_EQ(unmapped_page, image_u64(4, 24));
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA + 6 * 4096, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, image_u64(6, 0));
	/* The new window the host added after promote does not exist for the TVM. */
	EXPECT_EQ(guest_load(&e, 0, VM_RAM_GPA + (UINT64_C(1) << 30) + 3 * 4096, &v),
		  SHIM_GUEST_EXITED);
	EXPECT_EQ(e.f.w->hart[0].csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);

	/* The TLB of hart 0 caches the copy for page 3, never the host's page. */
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		const struct shim_tlb_entry *t = &e.f.w->hart[0].tlb.entry[i];
		if (t->valid) {
			EXPECT_NE(t->hpa, evil);
			EXPECT_TRUE(t->hpa >= e.f.conf.base &&
				    t->hpa - e.f.conf.base < e.f.conf.size);
		}
	}
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
