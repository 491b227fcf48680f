// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: through MMIO exits the host tries to learn more than the access:
 *         the guest virtual address (stval / mtval) next to the GPA, the
 *         full register of a one-byte or four-byte store, the destination
 *         register's old value on a load, other guest GPRs in NACL scratch,
 *         or guest CSRs in its own stval/htval/htinst after the exit.
 * Class: 16
 * Attacker: malicious host
 * Expected defence: an MMIO load exit writes htval = GPA >> 2 and htinst
 *         (transformed, data register a0) and nothing else; a store exit
 *         writes those and scratch a0 = exactly the stored bytes
 *         (zero-extended); the GVA appears nowhere; the host's GPRs and CSRs
 *         are its own; the host's load answer reaches only the destination.
 * Reference: cove-abi.md section 7 (MMIO exits: htval = GPA >> 2, store
 *         value in scratch a0) and section 5; DESIGN.md section 5 (I8).
 */
#include "attack.h"

#define HOST_TAG  UINT64_C(0x4057000000000000)
#define GUEST_TAG UINT64_C(0x6e57000000000000)
#define FILL	  UINT64_C(0xa5a5a5a55a5a5a5a)
#define MMIO_GPA  UINT64_C(0x10000000)
#define GVA	  UINT64_C(0xffffffc0000a5f00) /* where the guest's kernel mapped it */

struct access {
	bool store;
	unsigned int size;
	unsigned int offset; /* into the MMIO page */
	uint64_t tinst;	     /* what the hart reports (data register a4 / a5) */
	uint64_t htinst;     /* what the host must see (data register a0) */
	uint64_t a0;	     /* scratch a0 for a store */
};

/* sb/sh/sw/sd a4, 0(a0) and lw a5; transformed: rs1 = 0, offset 0. */
static const struct access accesses[] = {
	{ true, 1, 0x3, (14u << 20) | (0u << 12) | 0x23, (10u << 20) | (0u << 12) | 0x23, 0x88 },
	{ true, 2, 0x6, (14u << 20) | (1u << 12) | 0x23, (10u << 20) | (1u << 12) | 0x23, 0x7788 },
	{ true, 4, 0x8, (14u << 20) | (2u << 12) | 0x23, (10u << 20) | (2u << 12) | 0x23,
	  0x55667788 },
	{ false, 4, 0x10, (2u << 12) | (15u << 7) | 0x03, (2u << 12) | (10u << 7) | 0x03, 0 },
	{ false, 1, 0x21, (4u << 12) | (15u << 7) | 0x03, (4u << 12) | (10u << 7) | 0x03, 0 },
};

static void one_access(struct attack_env *e, const struct access *a)
{
	struct shim_hart *h = &e->f.w->hart[0];
	uint64_t gpa = MMIO_GPA + a->offset;
	static const unsigned int csrs[] = { SHIM_CSR_STVAL, SHIM_CSR_HTVAL, SHIM_CSR_HTINST,
					     SHIM_CSR_SSCRATCH };

	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e->f, e->vm.nacl, o, FILL ^ o);
	}
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, HOST_TAG | (i << 4));
	}
	for (unsigned int c = 0; c < 4; c++) {
		ASSERT_TRUE(shim_csr_write(h, csrs[c], HOST_TAG | ((uint64_t)csrs[c] << 4)));
	}
	ASSERT_TRUE(host_run(e, 0, 0));
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, GUEST_TAG | (i << 4));
	}
	shim_hart_set_x(h, 14, UINT64_C(0x1122334455667788));
	uint64_t pc = h->pc;
	/* The access faults at the G-stage: mtval = GVA, mtval2 = GPA >> 2, mtinst. */
	ASSERT_EQ(shim_hart_trap(
			  h, a->store ? SHIM_CAUSE_STORE_GUEST_PAGE : SHIM_CAUSE_LOAD_GUEST_PAGE,
			  GVA + a->offset, gpa >> 2, a->tinst, true),
		  SHIM_MODE_M);
	EXPECT_EQ(shim_mon_deliver(e->f.w, e->f.mon, 0), MON_ACTION_EXIT_TO_HOST);
	attack_check(e, 120);
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(h->csr.scause,
		  a->store ? SHIM_CAUSE_STORE_GUEST_PAGE : SHIM_CAUSE_LOAD_GUEST_PAGE);

	/* NACL: htval, htinst and (store) scratch a0, exactly; nothing else. */
	uint64_t nacl_htval = nacl_read(&e->f, e->vm.nacl, nacl_csr_offset(NACL_CSR_HTVAL));
	EXPECT_EQ(nacl_htval, gpa >> 2);
	if (a->store) {
		uint64_t nacl_store_value_a0 =
			nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10));
		EXPECT_EQ(nacl_store_value_a0, a->a0); /* only the stored bytes */
	}
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		uint64_t want = FILL ^ o;
		if (o == nacl_csr_offset(NACL_CSR_HTVAL)) {
			want = gpa >> 2;
		} else if (o == nacl_csr_offset(NACL_CSR_HTINST)) {
			want = a->htinst;
		} else if (a->store && o == NACL_SCRATCH_GPR_OFFSET(10)) {
			want = a->a0;
		}
		uint64_t nacl_slot = nacl_read(&e->f, e->vm.nacl, o);
		EXPECT_EQ(nacl_slot, want);
		EXPECT_NE(nacl_slot & ~UINT64_C(0xfff), GVA & ~UINT64_C(0xfff)); /* no GVA */
	}
	/* The host's GPRs and CSRs: its own (a0..a7 of the run call). */
	for (unsigned int i = 1; i < 32; i++) {
		uint64_t want = i >= 10 && i <= 15 ? 0
				: i == 16	   ? COVH_RUN_TVM_VCPU
				: i == 17	   ? SBI_EXT_COVH
						   : HOST_TAG | (i << 4);
		EXPECT_EQ(h->x[i], want);
	}
	for (unsigned int c = 0; c < 4; c++) {
		uint64_t v = 0;
		ASSERT_TRUE(shim_csr_read(h, csrs[c], &v));
		EXPECT_EQ(v, HOST_TAG | ((uint64_t)csrs[c] << 4));
	}

	/* The host answers; a load's answer reaches only its destination. */
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10), UINT64_C(0xc0c0c0c0c0c0c0f1));
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), HOST_TAG | 0xa1);
	ASSERT_TRUE(host_run(e, 0, 0));
	EXPECT_EQ(h->pc, pc + 4);
	for (unsigned int i = 1; i < 32; i++) {
		uint64_t want = i == 14 ? UINT64_C(0x1122334455667788) : GUEST_TAG | (i << 4);
		if (!a->store && i == 15) {
			want = a->size == 4 ? UINT64_C(0xffffffffc0c0c0f1) : UINT64_C(0xf1);
		}
		EXPECT_EQ(h->x[i], want);
	}
	shim_world_set_irq(e->f.w, 0, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, 0));
	shim_world_set_irq(e->f.w, 0, SHIM_IRQ_SEI, false);
	attack_check(e, 121);
}

TEST(attack, a46_mmio_exit_reveals_only_gpa_and_bytes)
{
	struct attack_env e;

	attack_env_init(&e, 1);
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_EQ(guest_attack(&e, 0, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 4096, 0).error,
		  SBI_SUCCESS);
	shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 0));
	shim_world_set_irq(e.f.w, 0, SHIM_IRQ_SEI, false);
	attack_check(&e, 122);
	for (size_t i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++) {
		one_access(&e, &accesses[i]);
	}
	attack_env_fini(&e);
}
