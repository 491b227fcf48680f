// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host registers its NACL mailbox (12 KiB the monitor writes on
 *         every exit: GPRs, htval, htinst, timer state) over a TVM's
 *         confidential page, straddling into confidential memory, over
 *         monitor data or image, or with the high half of the address set,
 *         so that the next exit makes the monitor overwrite what it guards.
 * Class: 1
 * Attacker: malicious host
 * Expected defence: NACL set_shmem accepts only a 4 KiB aligned area wholly
 *         in host memory (INVALID_ADDRESS, INVALID_PARAM when unaligned) and
 *         keeps the previous area; exits keep writing only there, so the
 *         TVM's page is byte-identical and run on a hart without an area fails.
 * Reference: cove-abi.md section 5 (set_shmem); attack-classes.md classes 1
 *         and 8; DESIGN.md section 5 (I1, I7).
 */
#include "attack.h"

#include <string.h>

#define SECRET_GPA (VM_RAM_GPA + 0x4000)
#define SECRET	   UINT64_C(0x5ec12e7a0000a003)
#define REG_T1	   6u
#define PAGE	   4096u

/* set_shmem(@lo, @hi) on @hart must fail with @err and leave the hart's area as it was. */
static void expect_shmem_refused(struct attack_env *e, unsigned int hart, uint64_t lo, uint64_t hi,
				 int64_t err)
{
	uint8_t state_before[48];
	uint64_t area_before = 0;
	uint64_t area_after = 0;
	bool had = mon_introspect_nacl(e->f.mon, hart, &area_before);

	state_hash(&e->f, state_before);
	struct shim_sbiret r = host_attack(e, hart, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, lo, hi, 0);
	EXPECT_EQ(r.error, err);
	expect_state_unchanged(e, state_before);
	EXPECT_EQ(mon_introspect_nacl(e->f.mon, hart, &area_after), had);
	EXPECT_EQ(area_after, area_before);
}

TEST(attack, a03_nacl_shmem_on_protected_memory)
{
	struct attack_env e;
	struct mon_tvm_view t;
	static uint8_t victim_before[PAGE];
	static uint8_t victim_after[PAGE];
	uint64_t v = 0;

	attack_env_init(&e, 2);
	/* The guest stores a secret, then a timer interrupt gives hart 0 back to the host. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	e.f.w->hart[0].csr.stimecmp = 0;
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	ASSERT_EQ(e.f.w->hart[0].mode, SHIM_MODE_HS);
	e.f.w->hart[0].csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e.f.w);
	attack_check(&e, 10);

	uint64_t victim = tvm_pa(&e, e.tvm, SECRET_GPA);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, victim, victim_before, PAGE));

	/* Hart 1 has no area yet; hart 0 has the one vm_build registered. */
	expect_shmem_refused(&e, 1, victim, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, t.root, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, e.f.conf.base - PAGE, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, e.f.plat.data.base, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, e.f.plat.image.base, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, e.f.host_base - PAGE, 0, SBI_ERR_INVALID_ADDRESS);
	expect_shmem_refused(&e, 1, e.vm.next_free, 1, SBI_ERR_INVALID_ADDRESS);     /* hi half */
	expect_shmem_refused(&e, 1, UINT64_C(0) - PAGE, 0, SBI_ERR_INVALID_ADDRESS); /* wraps */
	expect_shmem_refused(&e, 1, victim + 8, 0, SBI_ERR_INVALID_PARAM);	     /* unaligned */
	expect_shmem_refused(&e, 0, victim, 0, SBI_ERR_INVALID_ADDRESS); /* moving hart 0's */

	/* Without an area hart 1 cannot run the vCPU (no exit could be reported). */
	struct shim_sbiret r = host_attack(&e, 1, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.tvm, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_FAILED);
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_HS);

	/* An exit on hart 0 (a forwarded DBCN byte) writes the real area, not the victim. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	struct shim_sbiret g =
		guest_attack(&e, 0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, 0x41, 0, 0);
	EXPECT_EQ(g.error, SBI_SUCCESS);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), 0x41);
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, victim, victim_after, PAGE));
	EXPECT_MEM_EQ(victim_after, victim_before, PAGE);

	EXPECT_EQ(guest_load(&e, 0, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_FALSE(host_load(&e, 1, victim, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
