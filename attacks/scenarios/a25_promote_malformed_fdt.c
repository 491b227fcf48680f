// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host promotes a VM whose devicetree lies: no cpu node (a TVM
 *         with zero vCPUs), more cpus than the monitor's vCPU array (index
 *         past its end), a wrong magic, or a totalsize of 4 GiB (a parser
 *         reading far past the copied blob).
 * Class: 7
 * Attacker: malicious host
 * Expected defence: the FDT is parsed from the confidential copy with a
 *         bounded parser; 1..8 cpus, a valid header and a memory node are
 *         required, else INVALID_ADDRESS with no TVM, no page taken and the
 *         monitor state unchanged (the FDT scratch page is freed and zero).
 * Reference: cove-abi.md section 3 (promote_to_tvm, tvm_max_vcpus) and
 *         section 6 flaws 3-5; attack-classes.md class 7 (malformed FDT).
 */
#include "attack.h"
#include "covemon/lib.h"

#define FDT_OFF (VM_FDT_GPA - VM_RAM_GPA)

/* The host writes a DTB for @cpus CPUs into its FDT page; returns its length. */
static size_t put_fdt(struct attack_env *e, unsigned int cpus, uint8_t *fdt)
{
	size_t len = vm_fdt(fdt, 4096, cpus, VM_RAM_GPA, VM_MEM_SIZE);

	ASSERT_GT(len, 0);
	ASSERT_TRUE(shim_mem_write(&e->f.w->mem, e->vm.ram_pa + FDT_OFF, fdt, len));
	attack_check(e, 70);
	return len;
}

TEST(attack, a25_promote_malformed_fdt)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint8_t fdt[4096];
	uint8_t be[4];

	attack_env_init(&e, 2);
	put_fdt(&e, 0, fdt);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	put_fdt(&e, 9, fdt);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	put_fdt(&e, 2, fdt);
	mon_store_be32(be, 0xfeedd00du); /* magic with two bytes swapped */
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + FDT_OFF, be, 4));
	attack_check(&e, 71);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);
	put_fdt(&e, 2, fdt);
	mon_store_be32(be, 0xffffffffu); /* totalsize */
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + FDT_OFF + 4, be, 4));
	attack_check(&e, 72);
	expect_promote_refused(&e, SBI_ERR_INVALID_ADDRESS);

	/* Control: the genuine blob promotes, with the vCPU count it states. */
	put_fdt(&e, 2, fdt);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, r.value, &view));
	EXPECT_EQ(view.vcpu_count, 2);
	struct mon_vcpu_view vv;
	EXPECT_FALSE(mon_introspect_vcpu(e.f.mon, r.value, 2, &vv));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
