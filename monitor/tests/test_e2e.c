// SPDX-License-Identifier: BSD-2-Clause
/*
 * The whole confidential-VM life cycle on the emulated machine, as the
 * monitor-core issue's acceptance describes it: the host builds a small VM,
 * promotes it, runs vCPU 0; the guest shares a page, adds an MMIO region and
 * does an MMIO load and store, starts vCPU 1 (run by the host on hart 1),
 * extends and reads a measurement, is interrupted by a timer, shuts down;
 * the host destroys the TVM. After every step no hart running the host can
 * reach confidential memory, and at the end every confidential page is zero.
 */
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "vm_image.h"

#define MMIO_GPA UINT64_C(0x10000000)
#define REG_A4	 14u
#define REG_A5	 15u

static struct shim_sbiret guest_call(struct fixture *f, unsigned int hart, uint64_t eid,
				     uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	ASSERT_EQ(f->w->hart[hart].mode, SHIM_MODE_VS);
	return shim_mon_ecall(f->w, f->mon, hart, eid, fid, args);
}

static void run_vcpu(struct fixture *f, unsigned int hart, uint64_t id, uint64_t vcpu)
{
	(void)host_call(f, hart, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, vcpu, 0);
	ASSERT_EQ(f->w->hart[hart].mode, SHIM_MODE_VS);
}

/* I1 on the hardware view: S/U on a hart running the host reaches no confidential byte. */
static void expect_confidential_closed_to_host(struct fixture *f)
{
	for (unsigned int h = 0; h < f->w->cfg.harts; h++) {
		const struct shim_hart *hart = &f->w->hart[h];
		if (shim_mode_virt(hart->mode)) {
			continue;
		}
		EXPECT_FALSE(shim_pmp_any_byte_allowed(&hart->pmp, f->conf.base, f->conf.size,
						       SHIM_ACCESS_READ, SHIM_PRIV_S, NULL));
		EXPECT_FALSE(shim_pmp_any_byte_allowed(&hart->pmp, f->conf.base, f->conf.size,
						       SHIM_ACCESS_WRITE, SHIM_PRIV_U, NULL));
	}
}

TEST(e2e, confidential_vm_life_cycle_on_two_harts)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v = 0;

	fixture_init(&f, 2);
	vm_build(&f, 2, 16, &vm);

	/* promote */
	struct shim_sbiret r =
		host_call(&f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t id = r.value;
	expect_confidential_closed_to_host(&f);

	/* run vCPU 0: the boot state came from NACL (a1 = FDT address) */
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].pc, vm.entry);
	EXPECT_EQ(f.w->hart[0].x[11], vm.fdt_gpa);
	/* the guest reads its own (copied) memory: page 3's pattern */
	ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, false, VM_RAM_GPA + 3 * 4096 + 5, 1, REG_A5,
					true),
		  SHIM_GUEST_DONE);
	EXPECT_EQ(f.w->hart[0].x[REG_A5], (uint8_t)(3 * 31 + 5 * 7));

	/* share one page: exit, the host answers with a host page, run again */
	uint64_t share_gpa = VM_RAM_GPA + 0x40000;
	uint64_t host_buf = vm.next_free;
	vm.next_free += 4096;
	guest_call(&f, 0, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, share_gpa, 4096, 0);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), share_gpa);
	EXPECT_EQ(nacl_read(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(17)), SBI_EXT_COVG);
	nacl_write(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), host_buf);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[10], SBI_SUCCESS);
	shim_hart_set_x(&f.w->hart[0], REG_A4, 0x5ca1ab1e);
	ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, true, share_gpa + 8, 8, REG_A4, true),
		  SHIM_GUEST_DONE);
	ASSERT_TRUE(shim_mem_read(&f.w->mem, host_buf + 8, &v, 8));
	EXPECT_EQ(v, 0x5ca1ab1e);

	/* MMIO region, then a load that exits with the transformed instruction */
	guest_call(&f, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 4096, 0);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_HS);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[10], SBI_SUCCESS);
	ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, false, MMIO_GPA + 0x10, 4, REG_A5, true),
		  SHIM_GUEST_EXITED);
	EXPECT_EQ(f.w->hart[0].csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(nacl_read(&f, vm.nacl, nacl_csr_offset(NACL_CSR_HTVAL)), (MMIO_GPA + 0x10) >> 2);
	EXPECT_EQ(nacl_read(&f, vm.nacl, nacl_csr_offset(NACL_CSR_HTINST)), 0x00002503); /* lw a0 */
	expect_confidential_closed_to_host(&f);
	nacl_write(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(10), 0xffffffff80000001);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[REG_A5], 0xffffffff80000001); /* lw sign-extends */

	/* MMIO store: only the stored value is revealed, in a0 */
	shim_hart_set_x(&f.w->hart[0], REG_A4, 0x11223344deadbeef);
	ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, true, MMIO_GPA + 0x20, 4, REG_A4, true),
		  SHIM_GUEST_EXITED);
	EXPECT_EQ(f.w->hart[0].csr.scause, SHIM_CAUSE_STORE_GUEST_PAGE);
	EXPECT_EQ(nacl_read(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), 0xdeadbeef);
	EXPECT_EQ(nacl_read(&f, vm.nacl, nacl_csr_offset(NACL_CSR_HTINST)), 0x00a02023); /* sw a0 */
	run_vcpu(&f, 0, id, 0);

	/* HSM start of vCPU 1: the host learns which vCPU, and runs it on hart 1 */
	guest_call(&f, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_RAM_GPA + 0x2000, 0x77);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), 1);
	EXPECT_EQ(nacl_read(&f, vm.nacl, NACL_SCRATCH_GPR_OFFSET(11)),
		  0); /* start address hidden */
	(void)vm_nacl(&f, &vm, 1);
	run_vcpu(&f, 1, id, 1);
	EXPECT_EQ(f.w->hart[1].pc, VM_RAM_GPA + 0x2000);
	EXPECT_EQ(f.w->hart[1].x[10], 1);
	EXPECT_EQ(f.w->hart[1].x[11], 0x77);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[10], SBI_SUCCESS);

	/* extend a runtime measurement, then read it back */
	uint64_t buf = VM_RAM_GPA + 0x4000;
	uint8_t digest[48];
	memset(digest, 0xab, sizeof(digest));
	for (unsigned int i = 0; i < 6; i++) {
		uint64_t word;
		memcpy(&word, digest + 8 * i, 8);
		shim_hart_set_x(&f.w->hart[0], REG_A4, word);
		ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, true, buf + 8 * i, 8, REG_A4, true),
			  SHIM_GUEST_DONE);
	}
	guest_call(&f, 0, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, buf, 48, 2);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[10], SBI_SUCCESS);
	guest_call(&f, 0, SBI_EXT_COVG, COVG_READ_MEASUREMENT, buf + 0x1000, 48, 2);
	run_vcpu(&f, 0, id, 0);
	EXPECT_EQ(f.w->hart[0].x[10], SBI_SUCCESS);
	ASSERT_EQ(shim_mon_guest_access(f.w, f.mon, 0, false, buf + 0x1000, 8, REG_A5, true),
		  SHIM_GUEST_DONE);
	EXPECT_NE(f.w->hart[0].x[REG_A5], 0); /* SHA-384(0^48 || digest) is not zero */

	/* a host timer interrupt (Sstc) exits the guest with bit 63 in scause */
	f.w->hart[0].csr.stimecmp = 0;
	shim_world_update_timers(f.w);
	ASSERT_TRUE(shim_mon_interrupt(f.w, f.mon, 0));
	EXPECT_EQ(f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(f.w->hart[0].csr.scause, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_STI);
	EXPECT_EQ(f.w->hart[0].x[11], 0); /* resumable */
	f.w->hart[0].csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(f.w);
	expect_confidential_closed_to_host(&f);

	/* destroy is refused while vCPU 1 runs on hart 1 */
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, id, 0, 0).error, SBI_ERR_FAILED);

	/* vCPU 0 shuts the TVM down; vCPU 1's hart is interrupted back to the host */
	run_vcpu(&f, 0, id, 0);
	guest_call(&f, 0, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, 0, 0);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_HS);
	EXPECT_EQ(f.w->hart[0].x[11], 1); /* the vCPU cannot run again */
	shim_world_send_ipi(f.w, 1);
	f.w->hart[1].csr.mie |= UINT64_C(1) << SHIM_IRQ_MSI;
	ASSERT_TRUE(shim_mon_interrupt(f.w, f.mon, 1));
	EXPECT_EQ(f.w->hart[1].mode, SHIM_MODE_HS);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0).error,
		  SBI_ERR_INVALID_PARAM);

	/* destroy: every confidential page is zero again, nothing reachable */
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, id, 0, 0).error, SBI_SUCCESS);
	EXPECT_TRUE(confidential_all_zero(&f));
	expect_confidential_closed_to_host(&f);
	fixture_fini(&f);
}
