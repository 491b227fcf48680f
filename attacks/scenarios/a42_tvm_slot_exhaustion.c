// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host promotes the same VM again and again to exhaust the TVM
 *         slots (8), then keeps asking: a monitor that indexes past its
 *         table, reuses a live slot or VMID, or leaks the pages of the
 *         refused attempt, corrupts another TVM or slowly drains
 *         confidential memory.
 * Class: 15
 * Attacker: malicious host
 * Expected defence: the 9th and every later promote answer OUT_OF_MEMORY
 *         (-1002) before anything is allocated (state byte-identical, no page
 *         taken); every live TVM keeps a distinct VMID and its own pages;
 *         destroying one frees exactly its pages, zeroed, and its slot is the
 *         one the next promote gets.
 * Reference: cove-abi.md section 1 (OUT_OF_MEMORY = -1002) and section 3
 *         (promote errors); DESIGN.md section 5 (I2, I7, I10).
 */
#include "attack.h"

#define SLOTS 8u

static uint64_t promote(struct attack_env *e, int64_t *err)
{
	/* promote reads a1 (the boot vCPU's FDT pointer) from NACL: keep it sane */
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e->vm.fdt_gpa);
	struct shim_sbiret r =
		host_attack(e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa, 0, e->vm.entry);
	*err = r.error;
	return r.value;
}

TEST(attack, a42_tvm_slot_exhaustion)
{
	struct attack_env e;
	struct mon_tvm_view t[SLOTS + 1];
	uint64_t ids[SLOTS];
	uint8_t before[48];
	int64_t err = 0;

	attack_env_init(&e, 1);
	ids[0] = e.tvm;
	for (unsigned int i = 1; i < SLOTS; i++) {
		ids[i] = promote(&e, &err);
		ASSERT_EQ(err, SBI_SUCCESS);
	}
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	uint64_t per_tvm = 0;
	for (unsigned int i = 0; i < SLOTS; i++) {
		ASSERT_TRUE(mon_introspect_tvm(e.f.mon, ids[i], &t[i]));
		per_tvm = t[i].pages;
		for (unsigned int j = 0; j < i; j++) {
			EXPECT_NE(ids[i], ids[j]);
			EXPECT_NE(t[i].vmid, t[j].vmid);
			EXPECT_NE(t[i].root, t[j].root);
		}
	}
	EXPECT_EQ(in_use, per_tvm * SLOTS);

	/* The 9th, 10th, ... promote: refused before anything is taken. */
	state_hash(&e.f, before);
	for (unsigned int k = 0; k < 4; k++) {
		uint64_t id = promote(&e, &err);
		EXPECT_EQ(err, COVE_ERR_OUT_OF_MEMORY);
		EXPECT_EQ(id, 0);
		expect_state_unchanged(&e, before);
		EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
	}
	EXPECT_FALSE(mon_introspect_tvm(e.f.mon, SLOTS + 1, &t[SLOTS]));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	/* Every TVM still runs its own image. */
	for (unsigned int i = 0; i < SLOTS; i++) {
		uint64_t v = 0;
		e.tvm = ids[i];
		ASSERT_TRUE(host_run(&e, 0, 0));
		EXPECT_EQ(guest_load(&e, 0, VM_RAM_GPA + 0x4000, &v), SHIM_GUEST_DONE);
		EXPECT_EQ(v & 0xff, (uint8_t)(4 * 31)); /* image page 4, byte 0 */
		shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, true);
		ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
		shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, false);
		attack_check(&e, 80 + i);
	}

	/* Free slot 3: exactly its pages go back, zeroed; the next promote gets it. */
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, ids[3], 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use - per_tvm);
	uint64_t id = promote(&e, &err);
	EXPECT_EQ(err, SBI_SUCCESS);
	EXPECT_EQ(id, ids[3]);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
	state_hash(&e.f, before);
	(void)promote(&e, &err);
	EXPECT_EQ(err, COVE_ERR_OUT_OF_MEMORY);
	expect_state_unchanged(&e, before);
	attack_env_fini(&e);
}
