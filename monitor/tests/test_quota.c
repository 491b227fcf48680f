// SPDX-License-Identifier: BSD-2-Clause
/* Per-TVM page quota (attack class 15: one TVM may not exhaust the pool). */
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"
#include "vm_image.h"

static void quota_fixture(struct fixture *f, uint64_t quota)
{
	struct shim_mon_config mc;

	shim_mon_config_default(&mc);
	mc.tvm_quota_pages = quota;
	fixture_init_with(f, 1, &mc);
}

/* Pages a promote of a 9-page VM takes: 9 data + 4 root + 2 lower tables. */
#define VM9_PAGES 15u

TEST(tvm_quota, promote_larger_than_the_quota_fails_and_leaves_nothing)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	quota_fixture(&f, VM9_PAGES - 1);
	vm_build(&f, 1, 9, &vm);
	state_hash(&f, before);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry).error,
		COVE_ERR_OUT_OF_MEMORY);
	state_hash(&f, after);
	EXPECT_MEM_EQ(after, before, sizeof(before));
	EXPECT_EQ(mon_introspect_pages_in_use(f.mon), 0);
	fixture_fini(&f);
}

TEST(tvm_quota, promote_within_the_quota_succeeds)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view t;

	/* one page more than the image, for the FDT scratch copy */
	quota_fixture(&f, VM9_PAGES + 1);
	vm_build(&f, 1, 9, &vm);
	struct shim_sbiret r =
		host_call(&f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(mon_introspect_tvm(f.mon, r.value, &t));
	EXPECT_EQ(t.pages, VM9_PAGES);
	fixture_fini(&f);
}

TEST(tvm_quota, demand_zero_stops_at_the_quota_and_the_host_sees_the_fault)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view t;

	quota_fixture(&f, VM9_PAGES + 1);
	vm_build(&f, 1, 9, &vm);
	struct shim_sbiret r =
		host_call(&f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	(void)host_call(&f, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, r.value, 0, 0);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_VS);
	/* one more page fits (same table as the image), the next one does not */
	EXPECT_EQ(shim_mon_guest_access(f.w, f.mon, 0, false, VM_RAM_GPA + 0x9000, 8, 15, true),
		  SHIM_GUEST_DONE);
	EXPECT_EQ(shim_mon_guest_access(f.w, f.mon, 0, false, VM_RAM_GPA + 0xA000, 8, 15, true),
		  SHIM_GUEST_EXITED);
	EXPECT_EQ(f.w->hart[0].csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	ASSERT_TRUE(mon_introspect_tvm(f.mon, r.value, &t));
	EXPECT_EQ(t.pages, VM9_PAGES + 1);
	fixture_fini(&f);
}
