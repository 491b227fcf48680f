// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host maps one source page at two GPAs, hoping the TVM gets the
 *         measurement of the one-GPA image (the second mapping unattested) or
 *         one confidential page behind both GPAs (a measured page that
 *         changes through an unmeasured alias).
 * Class: 6
 * Attacker: malicious host
 * Expected defence: promote measures every mapped GPA with its address and
 *         permissions (MR0 differs), and copies each leaf into its own
 *         confidential page: the two GPAs do not alias in the TVM.
 * Reference: cove-abi.md section 3 (add_tvm_measured_pages: SHA-384 over gpa
 *         + contents) and section 6; DESIGN.md section 3 (measure).
 */
#include "attack.h"
#include "covemon/abi/measure.h"

#define ALIAS_GPA (VM_RAM_GPA + 0x20000) /* inside /memory, not mapped by vm_build */
#define PAGE3_GPA (VM_RAM_GPA + 3 * 4096)
#define PTE_LEAF  UINT64_C(0xDF) /* V R W X U A D */

TEST(attack, a17_measure_same_content_two_gpas)
{
	struct attack_env e;
	struct mon_tvm_view one;
	struct mon_tvm_view two;
	struct mon_page_view pv;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &one));

	/* The host adds a second leaf to the same source page and promotes again. */
	vm_set_pte(&e.f, &e.vm, ALIAS_GPA, 0, (((e.vm.ram_pa + 3 * 4096) >> 12) << 10) | PTE_LEAF);
	attack_check(&e, 10);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t id2 = r.value;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, id2, &two));
	/* (1) The attestation tells the two images apart. */
	EXPECT_TRUE(memcmp(one.measure[COVE_MEASURE_IMAGE], two.measure[COVE_MEASURE_IMAGE], 48) !=
		    0);
	EXPECT_MEM_EQ(one.measure[COVE_MEASURE_CONFIG], two.measure[COVE_MEASURE_CONFIG], 48);

	/* (2) Two GPAs, two confidential copies owned by the new TVM, neither the host page. */
	uint64_t pa_main = tvm_pa(&e, id2, PAGE3_GPA);
	uint64_t pa_alias = tvm_pa(&e, id2, ALIAS_GPA);
	EXPECT_NE(pa_main, pa_alias);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, pa_main, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, id2);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, pa_alias, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, id2);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* The guest writes through one GPA; the other keeps the measured bytes. */
	e.tvm = id2;
	ASSERT_TRUE(host_run(&e, 0, 0));
	uint64_t measured = 0;
	ASSERT_EQ(guest_load(&e, 0, ALIAS_GPA + 64, &measured), SHIM_GUEST_DONE);
	shim_hart_set_x(&e.f.w->hart[0], 14, UINT64_C(0x5eed5eed5eed5eed));
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, PAGE3_GPA + 64, 8, 14, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 11);
	ASSERT_EQ(guest_load(&e, 0, ALIAS_GPA + 64, &v), SHIM_GUEST_DONE);
	uint64_t alias_after_write = v;
	EXPECT_EQ(alias_after_write, measured);
	ASSERT_EQ(guest_load(&e, 0, PAGE3_GPA + 64, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, UINT64_C(0x5eed5eed5eed5eed));
	attack_env_fini(&e);
}
