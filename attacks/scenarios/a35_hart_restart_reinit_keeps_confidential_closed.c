// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: while a TVM runs on hart 0, the host stops physical hart 1 (HSM)
 *         and starts it again; the hart comes back from reset through a
 *         warm-boot stub that opens all memory to S/U (as a generic SBI
 *         runtime does), and the host on hart 1 reads the running TVM's
 *         pages, or runs a vCPU there on stale PMP or TLB state.
 * Class: 12
 * Attacker: malicious host (with a second hart)
 * Expected defence: the start path runs mon_hart_init again, which writes the
 *         full host layout over whatever the stub left; the restarted hart's
 *         loads of confidential and monitor memory fault, and it can run and
 *         exit a vCPU with the same layouts as before the restart.
 * Reference: attack-classes.md class 12 (HSM stop/start while a TVM exists);
 *         cove-abi.md section 6 flaw 1; DESIGN.md section 3 (pmp).
 */
#include "attack.h"

#define VCPU1_PC UINT64_C(0x80002000)

/* HSM stop then start of physical @hart: reset state, then the warm-boot stub. */
static void restart_hart(struct attack_env *e, unsigned int hart)
{
	struct shim_world *w = e->f.w;
	struct shim_hart *h = &w->hart[hart];

	shim_hart_reset(h, hart, w->cfg.pmp_entries, w->cfg.smepmp, w->cfg.vmid_bits,
			SHIM_DRAM_BASE);
	h->running = false;  /* stopped: no operation, no IPI, no fence reaches it */
	attack_check(e, 30); /* in M: the oracle skips it */
	/* The stub: entry 0 = NAPOT over everything, RWX, as a generic runtime leaves it. */
	ASSERT_TRUE(shim_pmp_write_addr(&h->pmp, 0, UINT64_MAX >> 10));
	ASSERT_TRUE(shim_pmp_write_cfg(&h->pmp, 0, HAL_PMP_A_NAPOT | 7));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&h->pmp, e->f.conf.base, e->f.conf.size,
					      SHIM_ACCESS_READ, SHIM_PRIV_S, NULL));
	ASSERT_EQ(mon_hart_init(e->f.mon, hart), MON_OK);
	/* The firmware hands the hart to the host. */
	h->running = true;
	h->mode = SHIM_MODE_HS;
	h->pc = e->f.host_base;
	attack_check(e, 31);
}

TEST(attack, a35_hart_restart_reinit_keeps_confidential_closed)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	const struct shim_pmp host1 = e.f.w->hart[1].pmp;
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	/* The guest on hart 0 touches its secret page: a translation hart 1 must never get. */
	EXPECT_EQ(guest_load(&e, 0, VM_RAM_GPA + 0x4000, &v), SHIM_GUEST_DONE);

	restart_hart(&e, 1);
	EXPECT_MEM_EQ(&e.f.w->hart[1].pmp, &host1, sizeof(host1));
	EXPECT_FALSE(host_load(&e, 1, t.root, &v));
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base + 0x4000, &v));
	EXPECT_FALSE(host_store(&e, 1, mon_introspect_data(e.f.mon).base, 0x41));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS); /* the TVM kept running on hart 0 */

	/* The restarted hart runs vCPU 1 and gets the host layout back on exit. */
	EXPECT_EQ(guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VCPU1_PC, 0).error,
		  SBI_SUCCESS);
	(void)vm_nacl(&e.f, &e.vm, 1); /* a restarted hart registers its NACL area again */
	ASSERT_TRUE(host_run(&e, 1, 1));
	EXPECT_EQ(guest_load(&e, 1, VM_RAM_GPA + 0x4000, &v), SHIM_GUEST_DONE);
	shim_world_set_irq(e.f.w, 1, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 1));
	shim_world_set_irq(e.f.w, 1, SHIM_IRQ_SEI, false);
	attack_check(&e, 32);
	ASSERT_EQ(e.f.w->hart[1].mode, SHIM_MODE_HS);
	EXPECT_MEM_EQ(&e.f.w->hart[1].pmp, &host1, sizeof(host1));
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base + 0x4000, &v));

	/* A second stop/start, now with vCPU 1 runnable: same result. */
	restart_hart(&e, 1);
	EXPECT_MEM_EQ(&e.f.w->hart[1].pmp, &host1, sizeof(host1));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		EXPECT_FALSE(e.f.w->hart[1].tlb.entry[i].valid); /* no stale translation */
	}
	attack_env_fini(&e);
}
