// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: after promote the host rewrites NACL slots the monitor read only
 *         at promote (hgatp pointing at the host's own tree, vsatp, vstvec,
 *         vsscratch, htimedelta, hvip, vstimecmp) and, after an interrupt
 *         exit, the scratch GPRs a0/a1 and the rest, hoping the next
 *         run_tvm_vcpu loads them into the TVM.
 * Class: 8
 * Attacker: malicious host
 * Expected defence: the boot state is read once, during promote; an
 *         interrupt exit opens no answer field. The vCPU runs with the
 *         monitor's hgatp and its own CSRs, and every guest GPR survives.
 * Reference: cove-abi.md section 5 (read only the fields the current exit
 *         allows; the whole boot state only during promote); DESIGN.md
 *         section 5 I8.
 */
#include "attack.h"

#define GUEST_TAG UINT64_C(0x6e57000000000000)
#define HOST_TAG  UINT64_C(0x4057000000000000)
#define VS_IRQS	  UINT64_C(0x444) /* VSSIP, VSTIP, VSEIP */

static void timer_exit(struct attack_env *e, unsigned int hart)
{
	struct shim_hart *h = &e->f.w->hart[hart];

	h->csr.stimecmp = 0;
	shim_world_update_timers(e->f.w);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, hart));
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	h->csr.stimecmp = UINT64_MAX; /* the host handles its timer */
	shim_world_update_timers(e->f.w);
	attack_check(e, 80);
}

TEST(attack, a26_nacl_slot_rewrites_ignored)
{
	struct attack_env e;
	struct mon_tvm_view view;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	struct shim_hart *h = &e.f.w->hart[0];
	uint64_t nacl = e.vm.nacl;

	/* The host's own tree still maps page 3 to its source page: poison that page. */
	ASSERT_TRUE(host_store(&e, 1, e.vm.ram_pa + 3 * 4096, HOST_TAG | 3));
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_HGATP), e.vm.hgatp);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_VSATP), (UINT64_C(8) << 60) | 0x1234);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_VSTVEC), HOST_TAG | 0x205);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_VSSCRATCH), HOST_TAG | 0x240);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_VSEPC), HOST_TAG | 0x241);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_HTIMEDELTA), HOST_TAG | 0x605);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_HVIP), VS_IRQS);
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_VSTIMECMP), 0);
	attack_check(&e, 81);

	/* (1) run succeeds; (2) the hart runs the monitor's state, not the slots. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(h->csr.hgatp, view.hgatp);
	EXPECT_EQ(h->csr.vsatp, 0);
	EXPECT_EQ(h->csr.vstvec, 0);
	EXPECT_EQ(h->csr.vsscratch, 0);
	EXPECT_EQ(h->csr.htimedelta, 0);
	EXPECT_EQ(h->csr.hvip & VS_IRQS, 0);
	EXPECT_EQ(h->csr.vstimecmp, UINT64_MAX);
	EXPECT_EQ(h->pc, e.vm.entry);
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA + 3 * 4096, &v), SHIM_GUEST_DONE);
	EXPECT_NE(v, HOST_TAG | 3);

	/* An interrupt exit, then the host "answers" in every scratch GPR. */
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, GUEST_TAG | i);
	}
	uint64_t pc = h->pc;
	timer_exit(&e, 0);
	for (unsigned int i = 1; i < 32; i++) {
		nacl_write(&e.f, nacl, NACL_SCRATCH_GPR_OFFSET(i), HOST_TAG | i);
	}
	nacl_write(&e.f, nacl, nacl_csr_offset(NACL_CSR_HGATP), e.vm.hgatp);
	attack_check(&e, 82);
	ASSERT_TRUE(host_run(&e, 0, 0));
	uint64_t guest_a0 = h->x[10];
	uint64_t guest_a1 = h->x[11];
	EXPECT_EQ(guest_a0, GUEST_TAG | 10);
	EXPECT_EQ(guest_a1, GUEST_TAG | 11);
	unsigned int gprs_from_host = 0;
	for (unsigned int i = 1; i < 32; i++) {
		gprs_from_host += h->x[i] != (GUEST_TAG | i);
	}
	EXPECT_EQ(gprs_from_host, 0);
	EXPECT_EQ(h->pc, pc);
	EXPECT_EQ(h->csr.hgatp, view.hgatp);
	attack_env_fini(&e);
}
