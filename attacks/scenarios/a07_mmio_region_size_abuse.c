// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a TVM declares MMIO regions with a zero or unaligned length, a
 *         length that wraps gpa + len past 2^64 back over its confidential
 *         memory node, or that runs past the G-stage GPA limit; an accepted
 *         region covering confidential memory would turn the TVM's own
 *         stores there into MMIO exits that hand the stored data to the
 *         host, and a zero-length one could confuse the region table.
 * Class: 2
 * Attacker: malicious TVM
 * Expected defence: add_mmio_region checks alignment, non-zero length, the
 *         GPA limit and overlap with the memory node using overflow-safe
 *         arithmetic: INVALID_ADDRESS, no exit, state unchanged; a store to
 *         confidential memory completes in the monitor and the host's NACL
 *         area never sees the value.
 * Reference: cove-abi.md sections 4 (add_mmio_region) and 7 (MMIO exits);
 *         attack-classes.md class 2.
 */
#include "attack.h"

#include <string.h>

#define PAGE	   UINT64_C(4096)
#define SECRET_GPA (VM_RAM_GPA + 4 * PAGE)
#define SECRET	   UINT64_C(0x5ec12e7a0000a007)
#define ABOVE_MEM  UINT64_C(0x90000000) /* above the memory node, below the GPA limit */
#define SV39X4_LIM (UINT64_C(1) << 41)
#define REG_T1	   6u

static void expect_mmio_refused(struct attack_env *e, uint64_t gpa, uint64_t len)
{
	uint8_t state_before[48];
	uint64_t args[6] = { gpa, len, 0, 0, 0, 0 };
	uint64_t pc = e->f.w->hart[0].pc;

	state_hash(&e->f, state_before);
	struct shim_sbiret r =
		shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, args);
	attack_check(e, 12);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(e->f.w->hart[0].mode, SHIM_MODE_VS);
	EXPECT_EQ(e->f.w->hart[0].pc, pc + 4);
	expect_state_unchanged(e, state_before);
}

TEST(attack, a07_mmio_region_size_abuse)
{
	struct attack_env e;
	uint64_t v = 0;

	attack_env_init(&e, 1);
	ASSERT_TRUE(host_run(&e, 0, 0));
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(10), 0);

	expect_mmio_refused(&e, ABOVE_MEM, 0);
	expect_mmio_refused(&e, ABOVE_MEM, PAGE - 1);
	expect_mmio_refused(&e, ABOVE_MEM, PAGE + 8);
	/* gpa + len = 2^64 + VM_RAM_GPA + 1 MiB: wraps over the whole memory node. */
	expect_mmio_refused(&e, ABOVE_MEM, (UINT64_C(0) - ABOVE_MEM) + VM_RAM_GPA + VM_MEM_SIZE);
	expect_mmio_refused(&e, ABOVE_MEM, UINT64_C(0) - ABOVE_MEM); /* ends exactly at 2^64 */
	expect_mmio_refused(&e, UINT64_C(0) - PAGE, 2 * PAGE);
	expect_mmio_refused(&e, SV39X4_LIM - PAGE, 2 * PAGE); /* past the GPA limit */
	expect_mmio_refused(&e, UINT64_C(0x10000000), UINT64_C(0x70000000) + PAGE); /* into RAM */
	expect_mmio_refused(&e, VM_RAM_GPA, VM_MEM_SIZE);

	/* Hardware effect: a store to confidential memory stays in the monitor. */
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, SECRET);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 13);
	EXPECT_EQ(e.f.w->hart[0].mode, SHIM_MODE_VS);
	EXPECT_NE(nacl_read(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), SECRET);
	EXPECT_EQ(guest_load(&e, 0, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);

	/* A sane region is accepted (the check is not blanket refusal). */
	struct shim_sbiret ok =
		guest_attack(&e, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, ABOVE_MEM, PAGE, 0);
	EXPECT_EQ(ok.error, SBI_SUCCESS);
	attack_env_fini(&e);
}
