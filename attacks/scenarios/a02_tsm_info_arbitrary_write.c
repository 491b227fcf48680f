// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host uses get_tsm_info, where the monitor writes 48 bytes at a
 *         host-chosen address, as an arbitrary-write primitive: into the
 *         confidential page holding a running TVM's secret, into that TVM's
 *         G-stage root, into monitor data and image, past the end of DRAM,
 *         or with an address whose addr + 48 wraps past 2^64.
 * Class: 1
 * Attacker: malicious host
 * Expected defence: memaccess_host_write accepts only ranges entirely in
 *         host memory (overflow-safe): INVALID_ADDRESS, value 0, no byte of
 *         the target written, monitor state unchanged; the TVM still reads
 *         its secret and PMP still keeps the host out.
 * Reference: cove-abi.md sections 3 (get_tsm_info) and 6 flaw 2;
 *         attack-classes.md class 1; DESIGN.md section 5 (I1, I7).
 */
#include "attack.h"

#include <string.h>

#define SECRET_GPA (VM_RAM_GPA + 0x4000)
#define SECRET	   UINT64_C(0x5ec12e7a0000a002)
#define REG_T1	   6u

/* get_tsm_info(@addr, 48) from hart 1 must fail and leave the 128 bytes around @addr alone. */
static void expect_write_refused(struct attack_env *e, uint64_t addr)
{
	uint8_t state_before[48];
	uint8_t target_before[128];
	uint8_t target_after[128];
	uint64_t window = addr & ~UINT64_C(63);
	bool readable = shim_mem_read(&e->f.w->mem, window, target_before, sizeof(target_before));

	state_hash(&e->f, state_before);
	struct shim_sbiret r = host_attack(e, 1, SBI_EXT_COVH, COVH_GET_TSM_INFO, addr,
					   sizeof(struct cove_tsm_info), 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(r.value, 0);
	expect_state_unchanged(e, state_before);
	if (readable) {
		ASSERT_TRUE(
			shim_mem_read(&e->f.w->mem, window, target_after, sizeof(target_after)));
		EXPECT_MEM_EQ(target_after, target_before, sizeof(target_before));
	}
}

TEST(attack, a02_tsm_info_arbitrary_write)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	/* The TVM runs on hart 0 and keeps a secret in its memory. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 10);
	uint64_t secret_pa = tvm_pa(&e, e.tvm, SECRET_GPA);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));

	/* The primitive exists: a buffer in host memory gets the 48 bytes. */
	struct shim_sbiret ok =
		host_attack(&e, 1, SBI_EXT_COVH, COVH_GET_TSM_INFO, e.vm.next_free, 4096, 0);
	EXPECT_EQ(ok.error, SBI_SUCCESS);
	EXPECT_EQ(ok.value, sizeof(struct cove_tsm_info));

	/* The host on hart 1 aims it at everything it must not write. */
	expect_write_refused(&e, secret_pa);	      /* the TVM's secret */
	expect_write_refused(&e, t.root + 8 * 2);     /* the TVM's root, entry for VM_RAM_GPA */
	expect_write_refused(&e, e.f.conf.base - 24); /* straddling into confidential memory */
	expect_write_refused(&e, e.f.plat.data.base); /* the monitor's own state */
	expect_write_refused(&e, e.f.plat.image.base + 0x100);
	expect_write_refused(&e, SHIM_DRAM_BASE + (UINT64_C(64) << 20)); /* past DRAM */
	expect_write_refused(&e, UINT64_MAX - 23);			 /* addr + 48 wraps */
	expect_write_refused(&e, UINT64_C(0) - 4096);

	/* Hardware effect: the secret is intact for the guest, closed to the host. */
	EXPECT_EQ(guest_load(&e, 0, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_FALSE(host_load(&e, 1, secret_pa, &v));
	EXPECT_FALSE(host_store(&e, 1, t.root, 0));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	expect_host_cannot_reach(&e, e.f.plat.data.base, e.f.plat.data.size);
	attack_env_fini(&e);
}
