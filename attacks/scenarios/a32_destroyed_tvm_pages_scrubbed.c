// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: a TVM with vCPUs on two harts leaves secrets in its image pages,
 *         in demand-zero pages and in its G-stage tables; the host destroys
 *         it and promotes a second TVM that lands on the same confidential
 *         pages, hoping to read the first TVM's data through its own
 *         demand-zero and image pages.
 * Class: 11
 * Attacker: malicious host (with a second hart)
 * Expected defence: destroy fences every hart and scrubs every page the TVM
 *         owned (data and tables) before it is free; demand-zero faults hand
 *         out zeroed pages only; the new TVM sees its own image, never the
 *         old secret.
 * Reference: DESIGN.md section 5 (I6); cove-abi.md section 3 (destroy_tvm
 *         scrubs every page), section 6 flaw 9.
 */
#include <string.h>

#include "attack.h"

#define SECRET_GPA (VM_RAM_GPA + 0x4000)  /* an image page */
#define DZERO_GPA  (VM_RAM_GPA + 0x80000) /* inside /memory, not in the image */
#define VCPU1_PC   (VM_RAM_GPA + 0x2000)
#define SECRET	   UINT64_C(0x5ec2e7005ec2e700)
#define REG_A4	   14u
#define REG_A5	   15u

/* A host interrupt on @hart makes the vCPU there exit. */
static void interrupt_exit(struct attack_env *e, unsigned int hart)
{
	shim_world_set_irq(e->f.w, hart, SHIM_IRQ_SEI, true);
	ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, hart));
	shim_world_set_irq(e->f.w, hart, SHIM_IRQ_SEI, false);
	ASSERT_EQ(e->f.w->hart[hart].mode, SHIM_MODE_HS);
	attack_check(e, 10);
}

/* The guest on @hart stores SECRET at @gpa (demand-zero allowed). */
static void guest_store_secret(struct attack_env *e, unsigned int hart, uint64_t gpa)
{
	shim_hart_set_x(&e->f.w->hart[hart], REG_A4, SECRET ^ gpa);
	ASSERT_EQ(shim_mon_guest_access(e->f.w, e->f.mon, hart, true, gpa, 8, REG_A4, true),
		  SHIM_GUEST_DONE);
	attack_check(e, 11);
}

TEST(attack, a32_destroyed_tvm_pages_scrubbed)
{
	static uint8_t owned[2048]; /* per confidential page: owned by the first TVM */
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t n = 0;
	uint64_t v = 0;

	attack_env_init(&e, 2);
	(void)vm_nacl(&e.f, &e.vm, 1);
	ASSERT_TRUE(host_run(&e, 0, 0));
	/* vCPU 0 starts vCPU 1; the host places it on hart 1. */
	struct shim_sbiret r = guest_attack(&e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VCPU1_PC, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(host_run(&e, 1, 1));

	/* Secrets everywhere: image pages and fresh demand-zero pages, from both harts
	 * (a demand-zero fault also grows the G-stage tables). */
	guest_store_secret(&e, 0, SECRET_GPA);
	guest_store_secret(&e, 0, DZERO_GPA);
	guest_store_secret(&e, 1, DZERO_GPA + 0x1ff8);
	guest_store_secret(&e, 1, VM_RAM_GPA + 0xC0000); /* another demand-zero page */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	const struct mon_page_view *rec = mon_introspect_pages(e.f.mon, &n);
	ASSERT_LE(n, sizeof(owned));
	unsigned int data = 0;
	unsigned int tables = 0;
	for (uint64_t p = 0; p < n; p++) {
		owned[p] = rec[p].owner == e.tvm;
		data += owned[p] && rec[p].state == MON_PAGE_TVM_DATA;
		tables += owned[p] && rec[p].state == MON_PAGE_TVM_PT;
	}
	EXPECT_EQ(data + tables, t.pages);
	EXPECT_GE(tables, 6u); /* 16 KiB root + intermediate + leaf tables */

	/* Destroy while vCPU 1 still runs on hart 1: refused, nothing scrubbed yet. */
	interrupt_exit(&e, 0);
	uint8_t before[48];
	state_hash(&e.f, before);
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0).error,
		  SBI_ERR_FAILED);
	expect_state_unchanged(&e, before);
	interrupt_exit(&e, 1);
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0).error,
		  SBI_SUCCESS);

	/* Every page the TVM had (data and tables) is zero and free; the host still
	 * cannot read them, and no hart caches a translation into them. */
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), 0);
	for (uint64_t p = 0; p < n; p++) {
		if (owned[p]) {
			uint64_t pa = e.f.conf.base + p * 4096;
			expect_page_zero(&e, pa);
			EXPECT_FALSE(host_load(&e, 1, pa, &v));
		}
	}
	expect_no_tlb_entry(&e, SECRET_GPA);
	expect_no_tlb_entry(&e, DZERO_GPA);

	/* A second TVM lands on the same pages (first fit from the lowest page). */
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), e.vm.fdt_gpa);
	r = host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e.tvm = r.value;
	rec = mon_introspect_pages(e.f.mon, &n);
	unsigned int reused = 0;
	for (uint64_t p = 0; p < n; p++) {
		reused += owned[p] && rec[p].owner == e.tvm;
	}
	EXPECT_GT(reused, 0u);
	ASSERT_TRUE(host_run(&e, 1, 0));
	struct shim_hart *h = &e.f.w->hart[1];
	/* Its image page holds the image, its demand-zero pages read zero everywhere. */
	EXPECT_EQ(guest_load(&e, 1, SECRET_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_NE(v, SECRET ^ SECRET_GPA);
	static const uint64_t probes[] = { DZERO_GPA, DZERO_GPA + 0x1ff8, VM_RAM_GPA + 0xC0000,
					   VM_RAM_GPA + 0xC0ff8 };
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		shim_hart_set_x(h, REG_A5, UINT64_MAX);
		EXPECT_EQ(guest_load(&e, 1, probes[i], &v), SHIM_GUEST_DONE);
		EXPECT_EQ(v, 0);
	}
	/* And in the hardware view: each of its demand-zero pages is all zero. */
	uint64_t pa = 0;
	uint64_t pte = 0;
	unsigned int shift = 0;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e.f.w->mem, t.hgatp, DZERO_GPA, &pa, &pte, &shift));
	expect_page_zero(&e, pa);
	attack_check(&e, 12);
	attack_env_fini(&e);
}
