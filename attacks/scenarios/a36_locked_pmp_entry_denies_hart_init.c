// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: an earlier boot stage (or a resume stub) leaves a locked PMP entry
 *         where the monitor's confidential-memory rule must go: a locked TOR
 *         entry there ends the closed range after the first confidential page,
 *         so the rest of confidential memory falls through to the open
 *         catch-all. A monitor that ignores the write failure runs the host
 *         on that hart with a hole over every TVM page.
 * Class: 12
 * Attacker: malicious host (with a second hart; the earlier stage is its ally)
 * Expected defence: mon_hart_init reads every entry back and answers
 *         DENIED_LOCKED and stops serving that hart (its traps are only
 *         reflected to the host's handler, no TVM runs there); the other
 *         harts and the TVM are untouched; only a reset clears the lock, after
 *         which the hart comes up closed.
 * Reference: monitor/include/covemon/mon.h (mon_hart_init); cove-abi.md
 *         section 1 (DENIED_LOCKED) and section 6 flaw 1; privileged spec
 *         (PMP lock bit).
 */
#include "attack.h"

TEST(attack, a36_locked_pmp_entry_denies_hart_init)
{
	struct attack_env e;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	struct shim_world *w = e.f.w;
	struct shim_hart *h1 = &w->hart[1];
	const struct shim_pmp host1 = h1->pmp;
	const struct shim_pmp host0 = w->hart[0].pmp;
	ASSERT_TRUE(host_run(&e, 0, 0));
	uint8_t before[48];
	state_hash(&e.f, before);

	/* The entry the monitor's confidential-memory rule goes in (hart 0 has it). */
	unsigned int ce = (unsigned int)shim_pmp_check(&host0, e.f.conf.base, 8, SHIM_ACCESS_READ,
						       SHIM_PRIV_S)
				  .entry;
	ASSERT_TRUE(ce >= 1 && ce + 1 < host0.count);
	/* Hart 1 is stopped and reset; the earlier stage locks that entry. */
	shim_hart_reset(h1, 1, w->cfg.pmp_entries, w->cfg.smepmp, w->cfg.vmid_bits, SHIM_DRAM_BASE);
	h1->running = false;
	uint64_t lock_end = (e.f.conf.base + 4096) >> 2;
	ASSERT_TRUE(shim_pmp_write_addr(&h1->pmp, ce, lock_end));
	ASSERT_TRUE(shim_pmp_write_cfg(&h1->pmp, ce, HAL_PMP_L | HAL_PMP_A_TOR));
	attack_check(&e, 40);

	EXPECT_EQ(mon_hart_init(e.f.mon, 1), MON_ERR_DENIED_LOCKED);
	EXPECT_EQ((int64_t)MON_ERR_DENIED_LOCKED, SBI_ERR_DENIED_LOCKED);
	/* Why refusing is the only safe answer: the lock survived the rewrite and
	 * the hardware now lets S/U past the first confidential page. */
	EXPECT_EQ(h1->pmp.addr[ce], lock_end);
	EXPECT_TRUE(shim_pmp_any_byte_allowed(&h1->pmp, e.f.conf.base + 4096, e.f.conf.size - 4096,
					      SHIM_ACCESS_READ, SHIM_PRIV_S, NULL));
	/* The hart stays parked in M (the oracle only judges harts running S/U). */
	EXPECT_EQ(h1->mode, SHIM_MODE_M);
	attack_check(&e, 41);

	/* The monitor no longer serves hart 1: a host ecall there is only reflected
	 * to the host's own handler (no TVM can be run on a hart it cannot protect). */
	h1->mode = SHIM_MODE_HS;
	h1->csr.stvec = e.f.host_base + 0x100;
	shim_hart_set_x(h1, 17, SBI_EXT_COVH);
	shim_hart_set_x(h1, 16, COVH_RUN_TVM_VCPU);
	shim_hart_set_x(h1, 10, e.tvm);
	ASSERT_EQ(shim_world_ecall(w, 1), SHIM_MODE_M);
	(void)shim_mon_deliver(w, e.f.mon, 1);
	EXPECT_EQ(h1->mode, SHIM_MODE_HS);
	EXPECT_EQ(h1->csr.scause, SHIM_CAUSE_ECALL_HS);
	EXPECT_EQ(h1->pc, e.f.host_base + 0x100);
	h1->mode = SHIM_MODE_M;
	(void)before;

	/* Nothing else moved: hart 0's layout, the running TVM. */
	EXPECT_EQ(w->hart[0].mode, SHIM_MODE_VS);
	EXPECT_EQ(guest_load(&e, 0, VM_RAM_GPA + 0x4000, &v), SHIM_GUEST_DONE);
	shim_world_set_irq(w, 0, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(w, e.f.mon, 0));
	shim_world_set_irq(w, 0, SHIM_IRQ_SEI, false);
	attack_check(&e, 42);
	EXPECT_MEM_EQ(&w->hart[0].pmp, &host0, sizeof(host0));
	EXPECT_FALSE(host_load(&e, 0, e.f.conf.base + 0x2000, &v));

	/* A real reset clears L; without the earlier stage's lock the hart comes up closed. */
	shim_hart_reset(h1, 1, w->cfg.pmp_entries, w->cfg.smepmp, w->cfg.vmid_bits, SHIM_DRAM_BASE);
	ASSERT_EQ(mon_hart_init(e.f.mon, 1), MON_OK);
	h1->mode = SHIM_MODE_HS;
	h1->pc = e.f.host_base;
	attack_check(&e, 43);
	EXPECT_MEM_EQ(&h1->pmp, &host1, sizeof(host1));
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base + 0x2000, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
