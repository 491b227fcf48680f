// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: exceptions the monitor never expects from a TVM reach M-mode
 *         because the hart did not delegate them (illegal instruction 2,
 *         load access fault 5, store access fault 7, breakpoint 3, and an
 *         ecall-from-HS cause 9 that cannot come from V=1), from VS and from
 *         VU. A monitor that treats them as its own would panic, exit to the
 *         host with guest state, or act on the guest's a7/a6 as an SBI call.
 * Class: 13
 * Attacker: malicious TVM
 * Expected defence: every such trap is injected into the guest's own
 *         handler (vscause, vsepc, vstval, vsstatus.SPP from the previous
 *         mode), the vCPU keeps running, the host sees nothing (no exit, no
 *         NACL byte) and the monitor state does not change.
 * Reference: attack-classes.md class 13 (traps with an unexpected previous
 *         mode); DESIGN.md section 3 (never a panic); cove-abi.md section 6
 *         flaw 3.
 */
#include "attack.h"

#define FILL	UINT64_C(0xa5a5a5a55a5a5a5a)
#define VSTVEC	(VM_RAM_GPA + 0x6000)
#define GUEST_X UINT64_C(0x6e57000000000000)

static unsigned int nacl_changed(struct attack_env *e)
{
	unsigned int n = 0;

	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		n += nacl_read(&e->f, e->vm.nacl, o) != (FILL ^ o);
	}
	return n;
}

TEST(attack, a39_unexpected_guest_trap_causes)
{
	static const uint64_t causes[] = { SHIM_CAUSE_ILLEGAL_INSN, SHIM_CAUSE_LOAD_ACCESS,
					   SHIM_CAUSE_STORE_ACCESS, SHIM_CAUSE_BREAKPOINT,
					   SHIM_CAUSE_ECALL_HS };
	struct attack_env e;
	struct mon_vcpu_view vv;
	uint8_t before[48];

	attack_env_init(&e, 1);
	struct shim_hart *h = &e.f.w->hart[0];
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSTVEC, VSTVEC)); /* the guest's own handler */
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e.f, e.vm.nacl, o, FILL ^ o);
	}
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, GUEST_X | i);
	}
	/* a7/a6 name COVH destroy of itself: must not be taken as an SBI call. */
	shim_hart_set_x(h, 17, SBI_EXT_COVH);
	shim_hart_set_x(h, 16, COVH_DESTROY_TVM);
	shim_hart_set_x(h, 10, e.tvm);
	state_hash(&e.f, before);
	uint64_t entries = e.f.w->monitor_entries;

	for (unsigned int vu = 0; vu < 2; vu++) {
		for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
			uint64_t pc = VM_RAM_GPA + 0x1000 + 0x40 * i;
			uint64_t tval = causes[i] == SHIM_CAUSE_ILLEGAL_INSN ? 0xffffffff
									     : VM_RAM_GPA + 0x5008;
			h->mode = vu ? SHIM_MODE_VU : SHIM_MODE_VS; /* the guest's sret to VU */
			h->pc = pc;
			h->csr.medeleg = 0; /* the hart delegates none of them */
			h->csr.hedeleg = 0;
			ASSERT_EQ(shim_hart_trap(h, causes[i], tval, 0, 0, false), SHIM_MODE_M);
			EXPECT_EQ(shim_mon_deliver(e.f.w, e.f.mon, 0), MON_ACTION_RESUME);
			EXPECT_EQ(h->mode, SHIM_MODE_VS);
			EXPECT_EQ(h->pc, VSTVEC);
			EXPECT_EQ(h->csr.vscause, causes[i]);
			EXPECT_EQ(h->csr.vsepc, pc);
			EXPECT_EQ(h->csr.vstval, tval);
			EXPECT_EQ((h->csr.vsstatus & SHIM_MSTATUS_SPP) != 0, vu == 0);
			for (unsigned int r = 1; r < 32; r++) {
				uint64_t want = r == 17	  ? SBI_EXT_COVH
						: r == 16 ? COVH_DESTROY_TVM
						: r == 10 ? e.tvm
							  : GUEST_X | r;
				EXPECT_EQ(h->x[r], want);
			}
			attack_check(&e, 70);
		}
	}
	EXPECT_EQ(e.f.w->monitor_entries, entries + 10);
	expect_state_unchanged(&e, before); /* no exit, no SBI call, nothing recorded */
	EXPECT_EQ(nacl_changed(&e), 0u);
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 0, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_RUNNING);
	EXPECT_EQ(vv.hart, 0u);
	attack_env_fini(&e);
}
