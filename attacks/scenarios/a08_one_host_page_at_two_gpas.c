// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host's G-stage tree maps one host page at two GPAs of the VM
 *         it promotes (and the same pages again in a second promoted VM),
 *         hoping the monitor maps one confidential page twice or shares it
 *         between TVMs, so that a write through one GPA (or one TVM) shows
 *         through the other, or the host page itself stays mapped.
 * Class: 3
 * Attacker: malicious host
 * Expected defence: promote_to_tvm copies every mapped leaf into a page of
 *         its own; each GPA gets a distinct confidential page owned by its
 *         TVM, a guest write through one GPA leaves the other and the host
 *         page unchanged, and the host reaches none of the copies.
 * Reference: cove-abi.md section 6 (promote: copy every mapped page);
 *         attack-classes.md class 3; DESIGN.md section 5 (I2, I10).
 */
#include "attack.h"

#include <string.h>

#define PAGE	  UINT64_C(4096)
#define GPA_A	  (VM_RAM_GPA + 5 * PAGE)
#define GPA_B	  (VM_RAM_GPA + 10 * PAGE) /* remapped onto GPA_A's host page */
#define MARKER	  UINT64_C(0xa11a5a11a5000a08)
#define REG_T1	  6u
#define LEAF_RWXU UINT64_C(0xdf) /* V R W X U A D */

static void expect_owned(struct attack_env *e, uint64_t pa, uint64_t id)
{
	struct mon_page_view pv;

	ASSERT_TRUE(mon_introspect_page(e->f.mon, pa, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, id);
}

TEST(attack, a08_one_host_page_at_two_gpas)
{
	struct attack_env e;
	uint64_t v = 0;
	uint64_t host_word = 0;

	attack_env_init(&e, 2);
	uint64_t tvm1 = e.tvm;
	uint64_t host_a = e.vm.ram_pa + 5 * PAGE;

	/* The host aliases GPA_B onto GPA_A's page and promotes the VM again. */
	vm_set_pte(&e.f, &e.vm, GPA_B, 0, ((host_a >> 12) << 10) | LEAF_RWXU);
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t tvm2 = r.value;
	ASSERT_NE(tvm2, tvm1);

	/* Four distinct confidential pages: A and B in each TVM, none the host's. */
	uint64_t pa[4] = { tvm_pa(&e, tvm2, GPA_A), tvm_pa(&e, tvm2, GPA_B),
			   tvm_pa(&e, tvm1, GPA_A), tvm_pa(&e, tvm1, GPA_B) };
	for (unsigned int i = 0; i < 4; i++) {
		expect_owned(&e, pa[i], i < 2 ? tvm2 : tvm1);
		EXPECT_NE(pa[i], host_a);
		for (unsigned int j = 0; j < i; j++) {
			EXPECT_NE(pa[i], pa[j]);
		}
		/* Hardware effect: no copy is open to the host, from either hart. */
		EXPECT_FALSE(host_load(&e, i & 1, pa[i], &v));
		EXPECT_FALSE(host_store(&e, i & 1, pa[i], MARKER));
	}
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);

	/* TVM 2 writes through GPA_A on hart 0. */
	e.tvm = tvm2;
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(guest_load(&e, 0, GPA_B, &v), SHIM_GUEST_DONE);
	uint64_t b_before = v; /* the host page's bytes, copied */
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, host_a, &host_word, 8));
	EXPECT_EQ(b_before, host_word);
	shim_hart_set_x(&e.f.w->hart[0], REG_T1, MARKER);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, GPA_A, 8, REG_T1, true),
		  SHIM_GUEST_DONE);
	attack_check(&e, 10);
	EXPECT_EQ(guest_load(&e, 0, GPA_A, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, MARKER);
	/* The alias did not carry the write anywhere. */
	EXPECT_EQ(guest_load(&e, 0, GPA_B, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, b_before);
	EXPECT_TRUE(host_load(&e, 1, host_a, &v));
	EXPECT_EQ(v, host_word);

	/* TVM 1, on hart 1, never sees TVM 2's write either. */
	e.tvm = tvm1;
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 1, 0));
	EXPECT_EQ(guest_load(&e, 1, GPA_A, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, host_word);
	EXPECT_NE(v, MARKER);
	attack_env_fini(&e);
}
