// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host promotes a second VM with the identity pointer (a3, 64
 *         bytes the monitor reads and measures into MR1) aimed at a running
 *         TVM's confidential page holding a secret, at monitor data or
 *         image, past DRAM or wrapping past 2^64: the new TVM's measurement
 *         (or a fault) would then tell the host about memory it cannot read.
 * Class: 1
 * Attacker: malicious host
 * Expected defence: promote_to_tvm reads the identity only through
 *         memaccess_host_read and checks it before anything is allocated:
 *         INVALID_ADDRESS, no TVM created, monitor state unchanged, the
 *         victim TVM keeps running with its secret.
 * Reference: cove-abi.md section 3 (promote_to_tvm a3) and section 6 flaw 5;
 *         attack-classes.md class 1; DESIGN.md section 5 (I1, I7).
 */
#include "attack.h"

#include <string.h>

#define SECRET_GPA (VM_RAM_GPA + 0x4000)
#define SECRET	   UINT64_C(0x5ec12e7a0000a004)
#define REG_T1	   6u

/* promote_to_tvm from hart 0 with identity PA @identity (a3); runs the oracle. */
static struct shim_sbiret promote_with_identity(struct attack_env *e, uint64_t identity)
{
	uint64_t args[6] = { e->vm.fdt_gpa, 0, e->vm.entry, identity, 0, 0 };
	struct shim_sbiret r =
		shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, args);

	attack_check(e, 11);
	return r;
}

static void expect_identity_refused(struct attack_env *e, uint64_t identity)
{
	uint8_t state_before[48];
	uint64_t in_use = mon_introspect_pages_in_use(e->f.mon);
	struct mon_tvm_view none;

	state_hash(&e->f, state_before);
	struct shim_sbiret r = promote_with_identity(e, identity);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(r.value, 0);
	expect_state_unchanged(e, state_before);
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), in_use);
	EXPECT_FALSE(mon_introspect_tvm(e->f.mon, 2, &none));
}

TEST(attack, a04_promote_identity_in_confidential)
{
	struct attack_env e;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	/* The victim TVM runs on hart 1 (its own NACL area) and holds a secret. */
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 1, 0));
	shim_hart_set_x(&e.f.w->hart[1], REG_T1, SECRET);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 1, true, SECRET_GPA, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 10);
	uint64_t secret_pa = tvm_pa(&e, e.tvm, SECRET_GPA);

	/* The host on hart 0 points the identity at what it must not read. */
	expect_identity_refused(&e, secret_pa);
	expect_identity_refused(&e, e.f.conf.base);
	expect_identity_refused(&e, e.f.plat.data.base);
	expect_identity_refused(&e, e.f.plat.image.base + 0x40);
	expect_identity_refused(&e, SHIM_DRAM_BASE + (UINT64_C(64) << 20));
	expect_identity_refused(&e, UINT64_MAX & ~UINT64_C(63)); /* identity + 64 wraps */
	expect_identity_refused(&e, e.vm.next_free + 8);	 /* not 64-byte aligned */

	/* The same call with the identity in host memory works: the check is the defence. */
	struct shim_sbiret ok = promote_with_identity(&e, e.vm.next_free);
	EXPECT_EQ(ok.error, SBI_SUCCESS);
	EXPECT_EQ(ok.value, 2);

	/* Hardware effect: the victim still runs with its secret, closed to the host. */
	EXPECT_EQ(e.f.w->hart[1].mode, SHIM_MODE_VS);
	EXPECT_EQ(guest_load(&e, 1, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, SECRET);
	EXPECT_FALSE(host_load(&e, 0, secret_pa, &v));
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
