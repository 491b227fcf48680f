// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host single-steps two vCPUs on two harts with the tiniest
 *         timer deadline (one tick), taking an interrupt exit after every
 *         guest instruction, to read guest registers at each step or to
 *         corrupt them across the many world switches.
 * Class: 9
 * Attacker: malicious host
 * Expected defence: an interrupt exit reveals nothing (host GPRs are its
 *         own, a0 = a1 = 0, no NACL slot written) and the next run restores
 *         every guest GPR and pc exactly; the guests' memory is consistent
 *         after the whole loop.
 * Reference: attack-classes.md class 9 (single-stepping with tiny timer
 *         deadlines); cove-abi.md section 7 (interrupt exit: bit 63 set);
 *         DESIGN.md section 5 I8.
 */
#include "attack.h"

#define GUEST_TAG UINT64_C(0x6e57000000000000)
#define HOST_TAG  UINT64_C(0x4057000000000000)
#define TAG_MASK  UINT64_C(0xffff000000000000)
#define FILL	  UINT64_C(0xa5a5a5a55a5a5a5a)
#define STEPS	  64u
#define DATA_GPA  (VM_RAM_GPA + 0xA000) /* image pages 10 and 11, one per vCPU */
#define REG_A4	  14u
#define REG_A5	  15u

static uint64_t guest_word(unsigned int vcpu, unsigned int step)
{
	return GUEST_TAG | (uint64_t)vcpu << 32 | step;
}

TEST(attack, a29_timer_single_step_loop)
{
	struct attack_env e;
	uint64_t nacl[2];
	uint64_t saved[32];

	attack_env_init(&e, 2);
	for (unsigned int k = 0; k < 2; k++) {
		e.f.w->hart[k].csr.stimecmp = UINT64_MAX;
	}
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(host_run(&e, 0, 0));
	struct shim_sbiret r =
		guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_RAM_GPA + 0x2000, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	nacl[0] = e.vm.nacl;
	nacl[1] = vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 1, 1));
	for (unsigned int k = 0; k < 2; k++) {
		for (unsigned int off = 0; off < NACL_SHMEM_SIZE; off += 8) {
			nacl_write(&e.f, nacl[k], off, FILL ^ off);
		}
		for (unsigned int i = 1; i < 32; i++) {
			shim_hart_set_x(&e.f.w->hart[k], i, GUEST_TAG | (uint64_t)k << 32 | i << 8);
		}
	}
	attack_check(&e, 110);
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);

	for (unsigned int step = 0; step < STEPS; step++) {
		unsigned int k = step % 2; /* hart k runs vCPU k */
		struct shim_hart *h = &e.f.w->hart[k];

		/* One guest instruction: sd a4, step*8(DATA) with a fresh a4. */
		shim_hart_set_x(h, REG_A4, guest_word(k, step));
		ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, k, true,
						DATA_GPA + k * 4096ull + (step / 2) * 8, 8, REG_A4,
						true),
			  SHIM_GUEST_DONE);
		attack_check(&e, 111);
		memcpy(saved, h->x, sizeof(saved));
		uint64_t pc = h->pc;

		/* The host's deadline: one tick from now. */
		h->csr.stimecmp = e.f.w->mtime + 1;
		shim_world_advance_time(e.f.w, 1);
		ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, k));
		ASSERT_EQ(h->mode, SHIM_MODE_HS);
		attack_check(&e, 112);
		EXPECT_EQ(h->csr.scause, COVE_EXIT_INTERRUPT | SHIM_IRQ_STI);
		EXPECT_EQ(h->x[10], 0);
		EXPECT_EQ(h->x[11], 0);
		unsigned int guest_values_seen = 0;
		for (unsigned int i = 1; i < 32; i++) {
			guest_values_seen += (h->x[i] & TAG_MASK) == GUEST_TAG;
		}
		EXPECT_EQ(guest_values_seen, 0);
		unsigned int nacl_slots_written = 0;
		for (unsigned int off = 0; off < NACL_SHMEM_SIZE; off += 8) {
			nacl_slots_written += nacl_read(&e.f, nacl[k], off) != (FILL ^ off);
		}
		EXPECT_EQ(nacl_slots_written, 0);

		/* The host handles its timer, scribbles its registers and runs the vCPU again. */
		h->csr.stimecmp = UINT64_MAX;
		shim_world_update_timers(e.f.w);
		for (unsigned int i = 1; i < 32; i++) {
			shim_hart_set_x(h, i, HOST_TAG | step << 8 | i);
		}
		ASSERT_TRUE(host_run(&e, k, k));
		unsigned int gprs_changed = 0;
		for (unsigned int i = 1; i < 32; i++) {
			gprs_changed += h->x[i] != saved[i];
		}
		EXPECT_EQ(gprs_changed, 0);
		EXPECT_EQ(h->pc, pc);
	}

	/* Every store of both guests is where it belongs; no page appeared or vanished. */
	for (unsigned int step = 0; step < STEPS; step++) {
		unsigned int k = step % 2;
		ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, k, false,
						DATA_GPA + k * 4096ull + (step / 2) * 8, 8, REG_A5,
						true),
			  SHIM_GUEST_DONE);
		EXPECT_EQ(e.f.w->hart[k].x[REG_A5], guest_word(k, step));
	}
	attack_check(&e, 113);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
	attack_env_fini(&e);
}
