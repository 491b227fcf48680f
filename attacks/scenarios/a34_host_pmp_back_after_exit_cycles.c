// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host drives a vCPU on hart 1 through many run/exit cycles of
 *         every kind (interrupt, WFI, forwarded ecall, demand-zero fault,
 *         HSM stop) hoping one exit path forgets to put the host PMP layout
 *         back, and reads confidential or monitor memory from hart 1; hart 2
 *         never runs a TVM and must stay closed throughout.
 * Class: 12
 * Attacker: malicious host (with a second and a third hart)
 * Expected defence: every exit path rewrites the full host layout (the same
 *         bytes as before the first run); harts that never ran a TVM keep
 *         their layout untouched; the host's loads fault.
 * Reference: cove-abi.md section 6 flaw 1; DESIGN.md section 3 (pmp) and
 *         section 5 (I1, I4).
 */
#include <string.h>

#include "attack.h"

#define VCPU1_PC  (VM_RAM_GPA + 0x2000)
#define DZERO_GPA (VM_RAM_GPA + 0x90000)
#define INSN_WFI  UINT32_C(0x10500073)

/* The host on @hart holds exactly the host layout again and its loads fault. */
static void expect_host_layout(struct attack_env *e, unsigned int hart,
			       const struct shim_pmp *layout)
{
	struct shim_hart *h = &e->f.w->hart[hart];
	struct mon_region img = mon_introspect_image(e->f.mon);
	struct mon_region data = mon_introspect_data(e->f.mon);
	uint64_t v = 0;

	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_MEM_EQ(&h->pmp, layout, sizeof(*layout));
	EXPECT_FALSE(host_load(e, hart, e->f.conf.base, &v));
	EXPECT_FALSE(host_load(e, hart, e->f.conf.base + e->f.conf.size - 8, &v));
	EXPECT_FALSE(host_load(e, hart, data.base, &v));
	EXPECT_FALSE(host_store(e, hart, img.base + 0x100, 0x41));
	expect_host_cannot_reach(e, e->f.conf.base, e->f.conf.size);
	expect_host_cannot_reach(e, img.base, img.size);
	expect_host_cannot_reach(e, data.base, data.size);
}

TEST(attack, a34_host_pmp_back_after_exit_cycles)
{
	struct attack_env e;

	attack_env_init(&e, 3);
	(void)vm_nacl(&e.f, &e.vm, 1);
	const struct shim_pmp host1 = e.f.w->hart[1].pmp;
	const struct shim_pmp host2 = e.f.w->hart[2].pmp;
	struct shim_hart *h1 = &e.f.w->hart[1];

	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VCPU1_PC, 0).error,
		  SBI_SUCCESS);

	for (unsigned int cycle = 0; cycle < 5; cycle++) {
		ASSERT_TRUE(host_run(&e, 1, 1));
		/* In the TVM layout, only the monitor stays closed (the oracle checks I4). */
		EXPECT_FALSE(shim_pmp_any_byte_allowed(&h1->pmp, mon_introspect_data(e.f.mon).base,
						       mon_introspect_data(e.f.mon).size,
						       SHIM_ACCESS_READ, SHIM_PRIV_S, NULL));
		switch (cycle) {
		case 0: /* host timer interrupt (Sstc) */
			h1->csr.stimecmp = 0;
			shim_world_update_timers(e.f.w);
			ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 1));
			h1->csr.stimecmp = UINT64_MAX;
			shim_world_update_timers(e.f.w);
			break;
		case 1: /* WFI */
			ASSERT_EQ(
				shim_hart_trap(h1, SHIM_CAUSE_VIRTUAL_INSN, INSN_WFI, 0, 0, false),
				SHIM_MODE_M);
			EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 1), MON_ACTION_EXIT_TO_HOST);
			break;
		case 2: { /* a forwarded COVG ecall */
			uint64_t args[6] = { 0x10000000, 4096, 0, 0, 0, 0 };
			(void)shim_mon_ecall(e.f.w, e.f.mon, 1, SBI_EXT_COVG, COVG_ADD_MMIO_REGION,
					     args);
			break;
		}
		case 3: /* demand zero inside the monitor (no exit), then an external interrupt */
			EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 1, true, DZERO_GPA, 8, 5,
							true),
				  SHIM_GUEST_DONE);
			attack_check(&e, 20);
			shim_world_set_irq(e.f.w, 1, SHIM_IRQ_SEI, true);
			ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 1));
			shim_world_set_irq(e.f.w, 1, SHIM_IRQ_SEI, false);
			break;
		default: { /* the vCPU stops itself (HSM) */
			uint64_t args[6] = { 0 };
			(void)shim_mon_ecall(e.f.w, e.f.mon, 1, SBI_EXT_HSM, SBI_HSM_HART_STOP,
					     args);
			break;
		}
		}
		attack_check(&e, 21 + cycle);
		expect_host_layout(&e, 1, &host1);
		/* Hart 2 never ran a TVM: byte-identical and closed all along. */
		EXPECT_MEM_EQ(&e.f.w->hart[2].pmp, &host2, sizeof(host2));
		EXPECT_EQ(e.f.w->hart[2].mode, SHIM_MODE_HS);
	}
	/* The stopped vCPU cannot be run again; the refused run leaves hart 1 closed. */
	struct shim_sbiret r = host_attack(&e, 1, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.tvm, 1, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	expect_host_layout(&e, 1, &host1);
	expect_host_layout(&e, 2, &host2);
	attack_env_fini(&e);
}
