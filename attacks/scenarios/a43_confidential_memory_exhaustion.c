// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a TVM with vCPUs on two harts touches fresh GPAs of its /memory
 *         node until confidential memory runs out (no per-TVM quota: the
 *         pool itself is the limit), then keeps faulting. A monitor that
 *         panics, loops on the fault, hands out a page it does not have,
 *         or leaks a half-built mapping crashes or corrupts accounting.
 * Class: 15
 * Attacker: malicious TVM (two vCPUs on two harts); the host keeps running it
 * Expected defence: each demand-zero fault takes one zeroed page while there
 *         is one; then the fault exits to the host as an ordinary guest-page
 *         fault revealing only htval = GPA >> 2, no page is taken, the TVM's
 *         page count equals what its tables reach (I10), the vCPU can be run
 *         again (same exit, no crash), and destroy returns every page zeroed.
 * Reference: attack-classes.md class 15 (exhausting the pool); cove-abi.md
 *         section 6 flaw 3 (no panic on guest input) and section 7 (exits);
 *         DESIGN.md section 5 (I6, I10).
 */
#include <string.h>

#include "attack.h"

#define CONF_PAGES 32u
#define FILL	   UINT64_C(0xa5a5a5a55a5a5a5a)
#define VCPU1_PC   (VM_RAM_GPA + 0x2000)
#define DZ_BASE	   (VM_RAM_GPA + 0x20000)

/* attack_env_init on a world with only CONF_PAGES pages of confidential memory. */
static void small_env(struct attack_env *e)
{
	struct shim_mon_config mc;

	memset(e, 0, sizeof(*e));
	shim_mon_config_default(&mc);
	mc.confidential_size = CONF_PAGES * 4096ull;
	fixture_init_with(&e->f, 2, &mc);
	vm_build(&e->f, 2, 16, &e->vm);
	struct shim_sbiret r = host_call(&e->f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa,
					 0, e->vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e->tvm = r.value;
	attack_check(e, 0);
}

static void fill(struct attack_env *e, uint64_t nacl)
{
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e->f, nacl, o, FILL ^ o);
	}
}

/* The exhaustion exit showed htval and nothing else. */
static void expect_only_htval(struct attack_env *e, uint64_t nacl, uint64_t gpa)
{
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		uint64_t want = o == nacl_csr_offset(NACL_CSR_HTVAL) ? gpa >> 2 : FILL ^ o;
		EXPECT_EQ(nacl_read(&e->f, nacl, o), want);
	}
}

TEST(attack, a43_confidential_memory_exhaustion)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t nacl[2];
	uint64_t v = 0;

	small_env(&e);
	nacl[0] = e.vm.nacl;
	nacl[1] = vm_nacl(&e.f, &e.vm, 1);
	ASSERT_EQ(e.f.conf.size, CONF_PAGES * 4096ull);
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VCPU1_PC, 0).error,
		  SBI_SUCCESS);
	ASSERT_TRUE(host_run(&e, 1, 1));
	fill(&e, nacl[0]);
	fill(&e, nacl[1]);

	/* Both vCPUs take fresh pages, alternating, until the pool is dry. */
	uint64_t free_pages = CONF_PAGES - mon_introspect_pages_in_use(e.f.mon);
	ASSERT_GT(free_pages, 2u);
	unsigned int taken = 0;
	uint64_t gpa = DZ_BASE;
	for (; taken < free_pages; taken++, gpa += 4096) {
		unsigned int hart = taken & 1;
		shim_hart_set_x(&e.f.w->hart[hart], 5, UINT64_MAX);
		ASSERT_EQ(
			shim_mon_guest_access(e.f.w, e.f.mon, hart, false, gpa + 0x18, 8, 5, true),
			SHIM_GUEST_DONE);
		EXPECT_EQ(e.f.w->hart[hart].x[5], 0); /* demand-zero pages are zero */
		attack_check(&e, 90);
	}
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), CONF_PAGES);

	/* Dry: each hart's next fault is an exit that reveals only the GPA. */
	for (unsigned int hart = 0; hart < 2; hart++, gpa += 4096) {
		uint64_t pc = e.f.w->hart[hart].pc;
		EXPECT_EQ(
			shim_mon_guest_access(e.f.w, e.f.mon, hart, hart == 1, gpa + 8, 8, 5, true),
			SHIM_GUEST_EXITED);
		attack_check(&e, 91);
		EXPECT_EQ(e.f.w->hart[hart].mode, SHIM_MODE_HS);
		EXPECT_EQ(e.f.w->hart[hart].csr.scause,
			  hart ? SHIM_CAUSE_STORE_GUEST_PAGE : SHIM_CAUSE_LOAD_GUEST_PAGE);
		EXPECT_EQ(e.f.w->hart[hart].x[10], SBI_SUCCESS);
		EXPECT_EQ(e.f.w->hart[hart].x[11], 0); /* resumable, not dead */
		expect_only_htval(&e, nacl[hart], gpa + 8);
		EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), CONF_PAGES);
		/* Run again: the guest retries the same access, the same exit, no crash. */
		ASSERT_TRUE(host_run(&e, hart, hart));
		EXPECT_EQ(e.f.w->hart[hart].pc, pc);
		EXPECT_EQ(
			shim_mon_guest_access(e.f.w, e.f.mon, hart, hart == 1, gpa + 8, 8, 5, true),
			SHIM_GUEST_EXITED);
		attack_check(&e, 92);
	}
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	EXPECT_EQ(t.pages, CONF_PAGES); /* the oracle's I10 agrees with the tables */

	/* The host cannot reach any of it; destroy gives back every page, zeroed. */
	EXPECT_FALSE(host_load(&e, 0, e.f.conf.base + e.f.conf.size - 4096, &v));
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), 0);
	for (unsigned int p = 0; p < CONF_PAGES; p++) {
		expect_page_zero(&e, e.f.conf.base + p * 4096ull);
	}
	/* ... and the pool serves a new TVM again. */
	nacl_write(&e.f, nacl[0], NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	nacl_write(&e.f, nacl[0], nacl_csr_offset(NACL_CSR_HGATP), e.vm.hgatp);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	attack_env_fini(&e);
}
