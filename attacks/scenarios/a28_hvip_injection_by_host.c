// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host injects virtual interrupts into the TVM it is not allowed
 *         to raise: VSSIP/VSTIP/VSEIP in its own hvip CSR and in the NACL
 *         hvip slot, vstimecmp = 0 and vsie in NACL, right before
 *         run_tvm_vcpu (spurious IPIs, timer storms steering the guest).
 * Class: 9
 * Attacker: malicious host
 * Expected defence: the guest's hvip and vstimecmp come from the monitor's
 *         saved vCPU image, never from the host's CSRs or NACL; only the
 *         monitor sets the guest's pending bits (a guest IPI sets VSSIP),
 *         and after an exit the host gets its own hvip back.
 * Reference: attack-classes.md class 9 (VSSIP/VSTIP via hvip, writing
 *         vstimecmp); cove-abi.md section 5 (hvip, vstimecmp slots) and
 *         section 7 (interrupt exits).
 */
#include "attack.h"

#define VSSI	 (UINT64_C(1) << 2)
#define VSTI	 (UINT64_C(1) << 6)
#define VSEI	 (UINT64_C(1) << 10)
#define VS_IRQS	 (VSSI | VSTI | VSEI)
#define HOST_VIP (VSTI | VSEI)

static void host_timer_exit(struct attack_env *e, unsigned int hart)
{
	struct shim_hart *h = &e->f.w->hart[hart];

	h->csr.stimecmp = 0;
	shim_world_update_timers(e->f.w);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, hart));
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	h->csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e->f.w);
	attack_check(e, 100);
}

TEST(attack, a28_hvip_injection_by_host)
{
	struct attack_env e;

	attack_env_init(&e, 2);
	struct shim_hart *h = &e.f.w->hart[0];
	h->csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e.f.w);
	/* The host raises every VS interrupt it can reach before running the vCPU. */
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_HVIP, HOST_VIP | VSSI));
	nacl_write(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HVIP), VS_IRQS);
	nacl_write(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_VSTIMECMP), 0);
	nacl_write(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_VSIE), UINT64_MAX);
	attack_check(&e, 101);

	ASSERT_TRUE(host_run(&e, 0, 0));
	uint64_t injected = (h->csr.hvip | h->csr.mip) & VS_IRQS;
	EXPECT_EQ(injected, 0);
	EXPECT_EQ(h->csr.vstimecmp, UINT64_MAX);
	shim_world_advance_time(e.f.w, 100000);
	attack_check(&e, 102);
	injected = (h->csr.hvip | h->csr.mip) & VS_IRQS;
	EXPECT_EQ(injected, 0);

	/* The monitor is the one that sets them: the guest's IPI to itself. */
	struct shim_sbiret r = guest_attack(&e, 0, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	ASSERT_EQ(h->mode, SHIM_MODE_VS);
	EXPECT_EQ(h->csr.hvip & VS_IRQS, VSSI);

	/* An exit hands the host its own hvip back, without the guest's VSSIP... */
	host_timer_exit(&e, 0);
	EXPECT_EQ(h->csr.hvip & VS_IRQS, HOST_VIP | VSSI);
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_HVIP, HOST_VIP));
	attack_check(&e, 103);
	/* ... and the next run restores exactly the guest's pending bits. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(h->csr.hvip & VS_IRQS, VSSI);
	host_timer_exit(&e, 0);
	EXPECT_EQ(h->csr.hvip & VS_IRQS, HOST_VIP);
	attack_env_fini(&e);
}
