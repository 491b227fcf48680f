// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host's G-stage tree holds PTEs the hardware would never use as
 *         given: V=0 with R/W/X set, W without R, a 2 MiB superpage whose
 *         address is only 4 KiB aligned. ACE took them as leaves (mapping
 *         host pages the host never mapped, or 2 MiB of the wrong memory).
 * Class: 7
 * Attacker: malicious host
 * Expected defence: V=0 is "not mapped" whatever else is set (the GPA stays
 *         demand-zero confidential memory); W without R is FAILED and a
 *         misaligned superpage INVALID_ADDRESS, each with no trace.
 * Reference: cove-abi.md section 6 flaw 8 (invalid PTEs accepted as leaves,
 *         superpage alignment unchecked); privileged spec, Sv39 PTE format.
 */
#include "attack.h"

#define PTE_V	   UINT64_C(0x1)
#define PTE_R	   UINT64_C(0x2)
#define PTE_W	   UINT64_C(0x4)
#define PTE_X	   UINT64_C(0x8)
#define PTE_U	   UINT64_C(0x10)
#define PTE_AD	   UINT64_C(0xC0)
#define MIB	   (UINT64_C(1) << 20)
#define HOLE_GPA   (VM_RAM_GPA + 0x40000) /* inside /memory, unmapped by vm_build */
#define HOST_BYTES UINT64_C(0x7777777777777777)

static uint64_t leaf(uint64_t pa, uint64_t perm)
{
	return ((pa >> 12) << 10) | PTE_V | perm | PTE_AD;
}

TEST(attack, a21_promote_invalid_pte_encodings)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint64_t pa;
	uint64_t pte;
	unsigned int shift;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	uint64_t page1 = e.vm.ram_pa + 4096;

	/* W without R, with and without X. */
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 4096, 0, leaf(page1, PTE_W | PTE_U));
	attack_check(&e, 30);
	expect_promote_refused(&e, SBI_ERR_FAILED);
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 4096, 0, leaf(page1, PTE_W | PTE_X | PTE_U));
	attack_check(&e, 31);
	expect_promote_refused(&e, SBI_ERR_FAILED);
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 4096, 0, leaf(page1, PTE_R | PTE_W | PTE_X | PTE_U));

	/* A 2 MiB leaf at a host address that is 4 KiB but not 2 MiB aligned. */
	uint64_t big = (e.vm.next_free + 2 * MIB - 1) & ~(2 * MIB - 1);
	e.vm.next_free = big + 4 * MIB;
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 2 * MIB, 1,
		   leaf(big + 4096, PTE_R | PTE_W | PTE_X | PTE_U));
	attack_check(&e, 32);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 2 * MIB, 1, 0);

	/* V=0 with RWX pointing at a host page full of host bytes: accepted, not mapped. */
	uint64_t host_pg = e.vm.next_free;
	e.vm.next_free += 4096;
	for (unsigned int off = 0; off < 4096; off += 8) {
		ASSERT_TRUE(host_store(&e, 1, host_pg + off, HOST_BYTES));
	}
	vm_set_pte(&e.f, &e.vm, HOLE_GPA, 0, leaf(host_pg, PTE_R | PTE_W | PTE_X | PTE_U) & ~PTE_V);
	attack_check(&e, 33);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e.tvm = r.value;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	EXPECT_FALSE(shim_mmu_gstage_lookup(&e.f.w->mem, view.hgatp, HOLE_GPA, &pa, &pte, &shift));
	/* The guest finds a fresh zero page there, never the host's bytes. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_EQ(guest_load(&e, 0, HOLE_GPA + 8, &v), SHIM_GUEST_DONE);
	uint64_t guest_sees = v;
	EXPECT_EQ(guest_sees, 0);
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e.f.w->mem, view.hgatp, HOLE_GPA, &pa, &pte, &shift));
	EXPECT_NE(pa, host_pg);
	EXPECT_TRUE(pa >= e.f.conf.base && pa - e.f.conf.base < e.f.conf.size);
	attack_env_fini(&e);
}
