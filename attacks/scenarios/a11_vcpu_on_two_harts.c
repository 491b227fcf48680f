// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: while vCPU 0 runs on hart 0, the host on hart 1 runs the same
 *         vCPU again. A monitor that allowed it would load the vCPU's saved
 *         (stale) registers on hart 1, open hart 1's PMP to confidential
 *         memory, and later save two diverging copies of one vCPU; after a
 *         migration the old hart must be refused the same way.
 * Class: 4
 * Attacker: second hart
 * Expected defence: run_tvm_vcpu only enters a RUNNABLE vCPU: INVALID_PARAM,
 *         state unchanged, hart 1 stays in HS with its PMP byte-identical and
 *         closed, no guest register value reaches hart 1; the vCPU stays
 *         RUNNING on hart 0 (invariant I5).
 * Reference: cove-abi.md section 3 (run_tvm_vcpu); attack-classes.md
 *         class 4; DESIGN.md section 5 (I1, I5).
 */
#include "attack.h"

#include <string.h>

#define GUEST_SECRET UINT64_C(0x5ec12e7a0000a011)
#define REG_S1	     9u

static void expect_second_run_refused(struct attack_env *e, unsigned int on, unsigned int owner)
{
	uint8_t state_before[48];
	struct shim_pmp pmp_before = e->f.w->hart[on].pmp;
	struct mon_vcpu_view vv;

	state_hash(&e->f, state_before);
	EXPECT_FALSE(host_run(e, on, 0));
	EXPECT_EQ((int64_t)e->f.w->hart[on].x[10], SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(e->f.w->hart[on].mode, SHIM_MODE_HS);
	expect_state_unchanged(e, state_before);
	EXPECT_MEM_EQ(&e->f.w->hart[on].pmp, &pmp_before, sizeof(pmp_before));
	/* Hardware effect: the hart is still the host's, closed and without guest values. */
	EXPECT_FALSE(shim_pmp_any_byte_allowed(&e->f.w->hart[on].pmp, e->f.conf.base,
					       e->f.conf.size, SHIM_ACCESS_READ, SHIM_PRIV_S,
					       NULL));
	for (unsigned int i = 1; i < 32; i++) {
		EXPECT_NE(e->f.w->hart[on].x[i], GUEST_SECRET);
	}
	ASSERT_TRUE(mon_introspect_vcpu(e->f.mon, e->tvm, 0, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_RUNNING);
	EXPECT_EQ(vv.hart, owner);
	EXPECT_TRUE(shim_mode_virt(e->f.w->hart[owner].mode));
}

static void timer_exit(struct attack_env *e, unsigned int hart)
{
	e->f.w->hart[hart].csr.stimecmp = 0;
	shim_world_update_timers(e->f.w);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, hart));
	ASSERT_EQ(e->f.w->hart[hart].mode, SHIM_MODE_HS);
	e->f.w->hart[hart].csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e->f.w);
	attack_check(e, 10);
}

TEST(attack, a11_vcpu_on_two_harts)
{
	struct attack_env e;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 0, 0));
	shim_hart_set_x(&e.f.w->hart[0], REG_S1, GUEST_SECRET);
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA, &v), SHIM_GUEST_DONE);

	/* Hart 1 tries to run the vCPU hart 0 is running. */
	expect_second_run_refused(&e, 1, 0);
	EXPECT_FALSE(host_load(&e, 1, e.f.conf.base, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* A proper migration: exit on hart 0, run on hart 1; the register follows. */
	timer_exit(&e, 0);
	for (unsigned int i = 1; i < 32; i++) {
		EXPECT_NE(e.f.w->hart[0].x[i], GUEST_SECRET);
	}
	ASSERT_TRUE(host_run(&e, 1, 0));
	EXPECT_EQ(e.f.w->hart[1].x[REG_S1], GUEST_SECRET);

	/* Now hart 0, the old home, is refused in turn. */
	expect_second_run_refused(&e, 0, 1);
	EXPECT_FALSE(host_load(&e, 0, e.f.conf.base, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
