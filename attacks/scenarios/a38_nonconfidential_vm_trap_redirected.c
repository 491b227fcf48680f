// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host runs an ordinary (non-confidential) VM of its own on
 *         hart 1: V=1, but no vCPU of any TVM is on the hart. That VM's
 *         traps reach M-mode with MPV set (nothing delegated): a VS ecall
 *         naming COVG or COVH with the TVM's id, a guest-page fault, a
 *         virtual instruction. A monitor that trusts MPV alone would treat
 *         them as a TVM's and act on the TVM (run its vCPU, add an MMIO
 *         region) or write its state.
 * Class: 13
 * Attacker: malicious host (through its own VM on a second hart)
 * Expected defence: mon_trap sees no vCPU on the hart and redirects the trap
 *         to the host's S-mode exactly as delegation would (scause, sepc,
 *         stval, htval, hstatus.SPV so the host can return to its VM); the
 *         monitor state, the TVM and the NACL area are untouched.
 * Reference: attack-classes.md class 13 (a non-confidential VM's VS ecall
 *         reaching the monitor); DESIGN.md section 3 (confidential flow);
 *         privileged spec (trap into HS from V=1).
 */
#include "attack.h"

#define FILL	  UINT64_C(0xa5a5a5a55a5a5a5a)
#define HOST_VEC  UINT64_C(0x80400000)
#define HOSTVM_PC UINT64_C(0x80500000)

/* The host on @hart enters its own VM at HOSTVM_PC (sret with SPV = 1, SPP = 1). */
static void enter_host_vm(struct attack_env *e, unsigned int hart)
{
	struct shim_hart *h = &e->f.w->hart[hart];

	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_STVEC, HOST_VEC));
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_HGATP, e->vm.hgatp)); /* its own G-stage */
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_SEPC, HOSTVM_PC));
	h->csr.hstatus |= SHIM_HSTATUS_SPV;
	h->csr.mstatus |= SHIM_MSTATUS_SPP;
	h->csr.medeleg = 0; /* worst case: the firmware delegates nothing */
	shim_hart_sret(h);
	ASSERT_EQ(h->mode, SHIM_MODE_VS);
	ASSERT_EQ(h->pc, HOSTVM_PC);
}

/* The trap was handed to the host's supervisor handler as delegation would. */
static void expect_redirected(struct attack_env *e, unsigned int hart, uint64_t cause,
			      uint64_t tval, uint64_t tval2, const uint8_t before[48])
{
	struct shim_hart *h = &e->f.w->hart[hart];

	EXPECT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(h->pc, HOST_VEC);
	EXPECT_EQ(h->csr.scause, cause);
	EXPECT_EQ(h->csr.sepc, HOSTVM_PC);
	EXPECT_EQ(h->csr.stval, tval);
	EXPECT_EQ(h->csr.htval, tval2);
	EXPECT_NE(h->csr.mstatus & SHIM_MSTATUS_SPP, 0); /* it came from (V)S */
	EXPECT_NE(h->csr.hstatus & SHIM_HSTATUS_SPV, 0); /* ... with V = 1 */
	EXPECT_EQ(h->csr.hgatp, e->vm.hgatp);		 /* the host's own context */
	expect_state_unchanged(e, before);
	attack_check(e, 60);
}

TEST(attack, a38_nonconfidential_vm_trap_redirected)
{
	struct attack_env e;
	struct mon_vcpu_view vv;
	struct mon_tvm_view t;
	uint64_t tvm = 0;
	uint64_t vcpu = 0;
	uint8_t before[48];

	attack_env_init(&e, 2);
	uint64_t nacl1 = vm_nacl(&e.f, &e.vm, 1);
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e.f, nacl1, o, FILL ^ o);
	}
	struct shim_hart *h = &e.f.w->hart[1];
	state_hash(&e.f, before);

	/* 1. VS ecall: COVH run_tvm_vcpu of the TVM's vCPU 0. */
	enter_host_vm(&e, 1);
	EXPECT_FALSE(mon_introspect_hart(e.f.mon, 1, &tvm, &vcpu));
	uint64_t args[6] = { e.tvm, 0, 0, 0, 0, 0 };
	struct shim_sbiret r =
		shim_mon_ecall(e.f.w, e.f.mon, 1, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, args);
	EXPECT_TRUE(r.reached_monitor);
	EXPECT_EQ(h->x[10], e.tvm); /* registers untouched: no SBI return was made */
	expect_redirected(&e, 1, SHIM_CAUSE_ECALL_VS, 0, 0, before);
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 0, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_RUNNABLE);

	/* 2. VS ecall: COVG add_mmio_region, as if it were the TVM. */
	enter_host_vm(&e, 1);
	uint64_t mmio[6] = { 0x10000000, 4096, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 1, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, mmio);
	expect_redirected(&e, 1, SHIM_CAUSE_ECALL_VS, 0, 0, before);

	/* 3. A guest-page fault inside the TVM's confidential GPA range. */
	enter_host_vm(&e, 1);
	ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_LOAD_GUEST_PAGE, VM_RAM_GPA + 0x90000,
				 (VM_RAM_GPA + 0x90000) >> 2, 0, true),
		  SHIM_MODE_M);
	EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 1), MON_ACTION_RESUME);
	expect_redirected(&e, 1, SHIM_CAUSE_LOAD_GUEST_PAGE, VM_RAM_GPA + 0x90000,
			  (VM_RAM_GPA + 0x90000) >> 2, before);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), t.pages); /* no demand-zero page */

	/* 4. A virtual instruction (WFI). */
	enter_host_vm(&e, 1);
	ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, 0x10500073, 0, 0, false), SHIM_MODE_M);
	EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 1), MON_ACTION_RESUME);
	expect_redirected(&e, 1, SHIM_CAUSE_VIRTUAL_INSN, 0x10500073, 0, before);

	/* The host's handler skips the WFI and returns to its VM with sret: it must
	 * land in its VM (VS), not run the VM's code in HS (a VM escape). */
	h->csr.sepc += 4;
	shim_hart_sret(h);
	EXPECT_EQ(h->mode, SHIM_MODE_VS);
	EXPECT_EQ(h->pc, HOSTVM_PC + 4);
	if (h->mode == SHIM_MODE_VS) {
		/* Its VM traps back to the host by delegation (no monitor involved). */
		h->csr.medeleg = UINT64_C(1) << SHIM_CAUSE_VIRTUAL_INSN;
		ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, 0, 0, 0, false), SHIM_MODE_HS);
	}
	attack_check(&e, 61);

	/* The monitor wrote nothing into hart 1's mailbox. */
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		EXPECT_EQ(nacl_read(&e.f, nacl1, o), FILL ^ o);
	}
	/* The TVM is intact: the host can still run vCPU 0 on hart 0. */
	EXPECT_TRUE(host_run(&e, 0, 0));
	attack_env_fini(&e);
}
