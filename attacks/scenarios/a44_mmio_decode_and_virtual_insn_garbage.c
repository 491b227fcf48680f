// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a TVM feeds the monitor's instruction decoder garbage. With
 *         mtinst = 0 (the hart did not report the instruction) it faults in
 *         an MMIO region on an all-ones word, the defined-illegal compressed
 *         0x0000, a store where a load faulted, an instruction at an
 *         unmapped pc, and a genuine compressed c.lw; it also raises virtual
 *         instruction traps that are not WFI (csrr hstatus, garbage, and
 *         mtval = 0 with an unfetchable pc). ACE panicked on several of these.
 * Class: 15
 * Attacker: malicious TVM
 * Expected defence: never a panic: undecodable or mismatched accesses are
 *         injected into the guest as access faults, unknown virtual
 *         instructions as illegal instructions, with nothing shown to the host
 *         (no exit, no NACL byte, monitor state unchanged); the compressed
 *         load is decoded (htinst = transformed c.lw on a0, pc + 2).
 * Reference: cove-abi.md section 6 flaw 3 (mtinst = 0, unknown virtual
 *         instruction) and section 7 (MMIO exits); DESIGN.md section 3.
 */
#include "attack.h"

#define MMIO_GPA	UINT64_C(0x10000000)
#define VSTVEC		(VM_RAM_GPA + 0x6000)
#define CODE		(VM_RAM_GPA + 0x1100) /* where the guest places each instruction */
#define FILL		UINT64_C(0xa5a5a5a55a5a5a5a)
#define INSN_SW_A4_A0	UINT32_C(0x00e52023)
#define INSN_C_LW_A5_A0 UINT32_C(0x411c)
#define TINST_C_LW_A0	UINT64_C(0x00002501)
#define INSN_CSRR_HSTAT UINT32_C(0x60002573) /* csrr a0, hstatus */

static unsigned int nacl_changed(struct attack_env *e)
{
	unsigned int n = 0;

	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		n += nacl_read(&e->f, e->vm.nacl, o) != (FILL ^ o);
	}
	return n;
}

/* The guest writes @insn at CODE and jumps there (its own pc). */
static void place(struct attack_env *e, uint32_t insn, unsigned int size)
{
	struct shim_hart *h = &e->f.w->hart[0];

	shim_hart_set_x(h, 31, insn);
	ASSERT_EQ(shim_mon_guest_access(e->f.w, e->f.mon, 0, true, CODE, size, 31, true),
		  SHIM_GUEST_DONE);
	h->pc = CODE;
	attack_check(e, 100);
}

/* The last trap went to the guest's own handler as @cause with @tval, and nowhere else. */
static void expect_injected(struct attack_env *e, uint64_t cause, uint64_t tval, uint64_t epc,
			    const uint8_t before[48])
{
	struct shim_hart *h = &e->f.w->hart[0];

	EXPECT_EQ(h->mode, SHIM_MODE_VS);
	EXPECT_EQ(h->pc, VSTVEC);
	EXPECT_EQ(h->csr.vscause, cause);
	EXPECT_EQ(h->csr.vstval, tval);
	EXPECT_EQ(h->csr.vsepc, epc);
	EXPECT_EQ(nacl_changed(e), 0u);
	expect_state_unchanged(e, before);
	attack_check(e, 101);
}

TEST(attack, a44_mmio_decode_and_virtual_insn_garbage)
{
	struct attack_env e;
	uint8_t before[48];

	attack_env_init(&e, 1);
	struct shim_hart *h = &e.f.w->hart[0];
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSTVEC, VSTVEC));
	ASSERT_EQ(guest_attack(&e, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 4096, 0).error,
		  SBI_SUCCESS);
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e.f, e.vm.nacl, o, FILL ^ o);
	}

	/* MMIO load, mtinst = 0, all-ones word at pc: load access fault. */
	place(&e, UINT32_C(0xffffffff), 4);
	state_hash(&e.f, before);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, MMIO_GPA + 0x10, 4, 15, false),
		  SHIM_GUEST_TRAPPED);
	expect_injected(&e, SHIM_CAUSE_LOAD_ACCESS, MMIO_GPA + 0x10, CODE, before);

	/* MMIO store, mtinst = 0, the defined-illegal compressed 0x0000: store access fault. */
	place(&e, 0x0000, 2);
	state_hash(&e.f, before);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, MMIO_GPA + 0x18, 4, 14, false),
		  SHIM_GUEST_TRAPPED);
	expect_injected(&e, SHIM_CAUSE_STORE_ACCESS, MMIO_GPA + 0x18, CODE, before);

	/* MMIO load, mtinst = 0, a store instruction at pc: not the access that faulted. */
	place(&e, INSN_SW_A4_A0, 4);
	state_hash(&e.f, before);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, MMIO_GPA + 0x20, 4, 15, false),
		  SHIM_GUEST_TRAPPED);
	expect_injected(&e, SHIM_CAUSE_LOAD_ACCESS, MMIO_GPA + 0x20, CODE, before);

	/* MMIO load, mtinst = 0, pc outside anything mapped: the fetch fails, no panic. */
	h->pc = UINT64_C(0x40000000);
	state_hash(&e.f, before);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, MMIO_GPA + 0x28, 4, 15, false),
		  SHIM_GUEST_TRAPPED);
	expect_injected(&e, SHIM_CAUSE_LOAD_ACCESS, MMIO_GPA + 0x28, UINT64_C(0x40000000), before);

	/* Virtual instructions that are not WFI: illegal instruction in the guest. */
	static const uint32_t vinsns[] = { INSN_CSRR_HSTAT, 0xffffffff, 0x00000073 /* ecall */ };
	for (size_t i = 0; i < sizeof(vinsns) / sizeof(vinsns[0]); i++) {
		h->pc = CODE;
		state_hash(&e.f, before);
		ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, vinsns[i], 0, 0, false),
			  SHIM_MODE_M);
		EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 0), MON_ACTION_RESUME);
		expect_injected(&e, SHIM_CAUSE_ILLEGAL_INSN, vinsns[i], CODE, before);
	}
	/* mtval = 0 and the pc cannot be fetched: still illegal, never a panic. */
	h->pc = UINT64_C(0x40000000);
	state_hash(&e.f, before);
	ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, 0, 0, 0, false), SHIM_MODE_M);
	EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 0), MON_ACTION_RESUME);
	expect_injected(&e, SHIM_CAUSE_ILLEGAL_INSN, 0, UINT64_C(0x40000000), before);
	/* mtval = 0, garbage at pc: fetched, not WFI, illegal. */
	place(&e, UINT32_C(0xdeadbeef), 4);
	state_hash(&e.f, before);
	ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, 0, 0, 0, false), SHIM_MODE_M);
	EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 0), MON_ACTION_RESUME);
	expect_injected(&e, SHIM_CAUSE_ILLEGAL_INSN, UINT32_C(0xdeadbeef), CODE, before);

	/* A genuine compressed load is decoded without mtinst: the host sees c.lw on a0. */
	place(&e, INSN_C_LW_A5_A0, 2);
	EXPECT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, MMIO_GPA + 0x30, 4, 15, false),
		  SHIM_GUEST_EXITED);
	attack_check(&e, 102);
	EXPECT_EQ(h->csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTINST)), TINST_C_LW_A0);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTVAL)),
		  (MMIO_GPA + 0x30) >> 2);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(10), UINT64_C(0x80000001));
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(h->x[15], UINT64_C(0xffffffff80000001)); /* lw sign-extends */
	EXPECT_EQ(h->pc, CODE + 2);
	attack_env_fini(&e);
}
