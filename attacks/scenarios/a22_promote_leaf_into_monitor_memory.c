// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host's G-stage tree maps a guest page (or a superpage, or a
 *         table) onto the monitor image, monitor data or confidential memory
 *         of an existing TVM, so that promote copies monitor or TVM secrets
 *         into a TVM the host controls, or walks tables the monitor owns.
 * Class: 7
 * Attacker: malicious host
 * Expected defence: every leaf and table page must lie entirely in host
 *         memory (RAM minus firmware, monitor data and confidential memory):
 *         INVALID_ADDRESS, no TVM, no page taken, state unchanged; PMP keeps
 *         all three regions closed to the host.
 * Reference: cove-abi.md section 6 flaw 2 ("host memory" included the
 *         firmware image); DESIGN.md section 3 (gstage: out-of-range PPNs).
 */
#include "attack.h"

#define PTE_V	 UINT64_C(0x1)
#define PTE_LEAF UINT64_C(0xDF) /* V R W X U A D */
#define MIB	 (UINT64_C(1) << 20)
#define HOLE_GPA (VM_RAM_GPA + 0x40000)

TEST(attack, a22_promote_leaf_into_monitor_memory)
{
	struct attack_env e;
	struct mon_tvm_view tvm1;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &tvm1));
	struct mon_region image = mon_introspect_image(e.f.mon);
	struct mon_region data = mon_introspect_data(e.f.mon);
	/* Image (first and last page), data, TVM 1's root, the last confidential page. */
	const uint64_t targets[] = { image.base, image.base + image.size - 4096, data.base,
				     tvm1.root, e.f.conf.base + e.f.conf.size - 4096 };

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		vm_set_pte(&e.f, &e.vm, HOLE_GPA, 0, ((targets[i] >> 12) << 10) | PTE_LEAF);
		attack_check(&e, 40 + i);
		expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	}
	vm_set_pte(&e.f, &e.vm, HOLE_GPA, 0, 0);

	/* A 2 MiB superpage at the DRAM base: starts in the monitor image. */
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 2 * MIB, 1, ((image.base >> 12) << 10) | PTE_LEAF);
	attack_check(&e, 50);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	/* A table page inside TVM 1's confidential memory (its root). */
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 2 * MIB, 1, ((tvm1.root >> 12) << 10) | PTE_V);
	attack_check(&e, 51);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	vm_set_pte(&e.f, &e.vm, VM_RAM_GPA + 2 * MIB, 1, 0);
	attack_check(&e, 52);

	/* The hardware view: none of the three regions is open to the host on any hart. */
	expect_host_cannot_reach(&e, image.base, image.size);
	expect_host_cannot_reach(&e, data.base, data.size);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	uint64_t v = 0;
	EXPECT_FALSE(host_load(&e, 1, tvm1.root, &v));
	attack_env_fini(&e);
}
