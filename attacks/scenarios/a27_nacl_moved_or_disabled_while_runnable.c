// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: between two runs of a runnable vCPU the host disables its NACL
 *         area (set_shmem all-ones) or moves it onto confidential memory,
 *         the monitor data or the image, so that the next exit writes guest
 *         state where the monitor or a TVM keeps secrets, or the run uses a
 *         stale area.
 * Class: 8
 * Attacker: malicious host
 * Expected defence: set_shmem accepts only 12 KiB of host memory, 4 KiB
 *         aligned (INVALID_ADDRESS / INVALID_PARAM, nothing changed);
 *         run_tvm_vcpu without an area is FAILED and changes nothing; after
 *         a move, exits write only the new area.
 * Reference: cove-abi.md section 5 (set_shmem: host memory only, all-ones
 *         disables); attack-classes.md class 8 (moving or disabling the
 *         area while a vCPU runs, pointing it at confidential memory).
 */
#include "attack.h"

#define GUEST_TAG UINT64_C(0x6e57000000000000)
#define FILL	  UINT64_C(0xa5a5a5a55a5a5a5a)
#define MMIO_GPA  UINT64_C(0x10000000)

static unsigned int guest_values_in_host_gprs(const struct shim_hart *h)
{
	unsigned int n = 0;

	for (unsigned int i = 1; i < 32; i++) {
		n += (h->x[i] & UINT64_C(0xffff000000000000)) == GUEST_TAG;
	}
	return n;
}

TEST(attack, a27_nacl_moved_or_disabled_while_runnable)
{
	struct attack_env e;
	struct mon_tvm_view view;
	struct mon_vcpu_view vv;
	uint8_t before[48];
	uint64_t pa;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &view));
	struct shim_hart *h = &e.f.w->hart[0];
	ASSERT_TRUE(host_run(&e, 0, 0));
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, GUEST_TAG | i);
	}
	uint64_t pc = h->pc;
	h->csr.stimecmp = 0;
	shim_world_update_timers(e.f.w);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	h->csr.stimecmp = UINT64_MAX;
	shim_world_update_timers(e.f.w);
	attack_check(&e, 90);
	ASSERT_EQ(h->mode, SHIM_MODE_HS);

	/* Disable the area, then run: FAILED, nothing changes, no guest value leaks. */
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, UINT64_MAX, UINT64_MAX, 0)
			  .error,
		  SBI_SUCCESS);
	EXPECT_FALSE(mon_introspect_nacl(e.f.mon, 0, &pa));
	state_hash(&e.f, before);
	struct shim_sbiret r = host_attack(&e, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.tvm, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_FAILED);
	EXPECT_EQ(h->mode, SHIM_MODE_HS);
	expect_state_unchanged(&e, before);
	ASSERT_TRUE(mon_introspect_vcpu(e.f.mon, e.tvm, 0, &vv));
	EXPECT_EQ(vv.state, MON_VCPU_RUNNABLE);
	EXPECT_EQ(guest_values_in_host_gprs(h), 0);

	/* Move it onto memory that is not the host's. */
	struct mon_region data = mon_introspect_data(e.f.mon);
	struct mon_region image = mon_introspect_image(e.f.mon);
	const uint64_t bad[] = {
		e.f.conf.base, view.root,  e.f.conf.base - 4096,
		data.base,     image.base, e.f.plat.dram[0].base + e.f.plat.dram[0].size
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		state_hash(&e.f, before);
		r = host_attack(&e, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, bad[i], 0, 0);
		EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
		expect_state_unchanged(&e, before);
		EXPECT_FALSE(mon_introspect_nacl(e.f.mon, 0, &pa));
	}
	state_hash(&e.f, before);
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, e.vm.nacl + 8, 0, 0).error,
		  SBI_ERR_INVALID_PARAM);
	expect_state_unchanged(&e, before);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* Move it to a fresh host area: the vCPU resumes intact and exits write only there. */
	uint64_t moved = (e.vm.next_free + 4095) & ~UINT64_C(4095);
	e.vm.next_free = moved + 3 * 4096;
	for (unsigned int off = 0; off < NACL_SHMEM_SIZE; off += 8) {
		nacl_write(&e.f, e.vm.nacl, off, FILL ^ off);
	}
	attack_check(&e, 91);
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, moved, 0, 0).error,
		  SBI_SUCCESS);
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(h->pc, pc);
	for (unsigned int i = 1; i < 32; i++) {
		EXPECT_EQ(h->x[i], GUEST_TAG | i);
	}
	uint64_t args[6] = { MMIO_GPA, 4096, 0, 0, 0, 0 };
	(void)shim_mon_ecall(e.f.w, e.f.mon, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, args);
	attack_check(&e, 92);
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&e.f, moved, NACL_SCRATCH_GPR_OFFSET(17)), SBI_EXT_COVG);
	unsigned int old_area_writes = 0;
	for (unsigned int off = 0; off < NACL_SHMEM_SIZE; off += 8) {
		old_area_writes += nacl_read(&e.f, e.vm.nacl, off) != (FILL ^ off);
	}
	EXPECT_EQ(old_area_writes, 0);
	attack_env_fini(&e);
}
