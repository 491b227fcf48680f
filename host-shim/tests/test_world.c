// SPDX-License-Identifier: BSD-2-Clause
/* Worlds: configuration, fast reset, and acting as whoever runs on a hart. */
#include "shim/world.h"
#include "test.h"

#define MIB (UINT64_C(1) << 20)

static struct shim_world *make_world(unsigned int harts)
{
	struct shim_world_config cfg;
	const char *why = NULL;

	shim_world_config_default(&cfg);
	cfg.harts = harts;
	cfg.dram_size = 16 * MIB;
	struct shim_world *w = shim_world_create(&cfg, &why);
	ASSERT_TRUE(w != NULL);
	return w;
}

/* PMP entry 0: NAPOT over all of memory, RWX for S/U. */
static void open_pmp(struct shim_hart *h)
{
	ASSERT_TRUE(shim_pmp_write_addr(&h->pmp, 0, UINT64_MAX));
	ASSERT_TRUE(shim_pmp_write_cfg(&h->pmp, 0,
				       HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X));
}

TEST(world, create_rejects_bad_configurations_with_a_reason)
{
	struct shim_world_config cfg;
	const char *why = NULL;

	shim_world_config_default(&cfg);
	cfg.harts = 0;
	EXPECT_TRUE(shim_world_create(&cfg, &why) == NULL);
	EXPECT_TRUE(why != NULL);
	shim_world_config_default(&cfg);
	cfg.harts = SHIM_MAX_HARTS + 1;
	EXPECT_TRUE(shim_world_create(&cfg, NULL) == NULL);
	shim_world_config_default(&cfg);
	cfg.dram_size = 12345;
	EXPECT_TRUE(shim_world_create(&cfg, NULL) == NULL);
	shim_world_config_default(&cfg);
	cfg.pmp_entries = 65;
	EXPECT_TRUE(shim_world_create(&cfg, NULL) == NULL);
	shim_world_config_default(&cfg);
	cfg.vmid_bits = 15;
	EXPECT_TRUE(shim_world_create(&cfg, NULL) == NULL);
}

TEST(world, every_hart_starts_in_m_mode_at_dram_base)
{
	struct shim_world *w = make_world(8);

	for (unsigned int i = 0; i < 8; i++) {
		EXPECT_EQ(w->hart[i].mode, SHIM_MODE_M);
		EXPECT_EQ(w->hart[i].pc, SHIM_DRAM_BASE);
		EXPECT_EQ(w->hart[i].id, i);
	}
	shim_world_destroy(w);
}

TEST(world, host_store_goes_to_physical_memory_when_pmp_allows)
{
	struct shim_world *w = make_world(1);
	uint64_t v = 0;

	open_pmp(&w->hart[0]);
	w->hart[0].mode = SHIM_MODE_HS;
	EXPECT_TRUE(shim_world_store(w, 0, SHIM_DRAM_BASE + 0x1000, 8, 0xabcdef).ok);
	ASSERT_TRUE(shim_mem_read(&w->mem, SHIM_DRAM_BASE + 0x1000, &v, 8));
	EXPECT_EQ(v, 0xabcdef);
	shim_world_destroy(w);
}

TEST(world, host_access_with_no_pmp_entry_is_an_access_fault)
{
	struct shim_world *w = make_world(1);
	uint64_t v = 0;

	w->hart[0].mode = SHIM_MODE_HS;
	struct shim_access_result r = shim_world_load(w, 0, SHIM_DRAM_BASE, 8, &v);
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.cause, SHIM_CAUSE_LOAD_ACCESS);
	r = shim_world_store(w, 0, SHIM_DRAM_BASE, 8, 1);
	EXPECT_EQ(r.cause, SHIM_CAUSE_STORE_ACCESS);
	shim_world_destroy(w);
}

TEST(world, load_from_an_mmio_hole_is_an_access_fault_even_for_m)
{
	struct shim_world *w = make_world(1);
	uint64_t v = 0;

	struct shim_access_result r = shim_world_load(w, 0, 0x10000000, 4, &v);
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.cause, SHIM_CAUSE_LOAD_ACCESS);
	shim_world_destroy(w);
}

TEST(world, fetch_reads_compressed_and_full_instructions)
{
	struct shim_world *w = make_world(1);
	uint32_t insn = 0;
	uint16_t c_nop = 0x0001;
	uint32_t ecall = 0x00000073;

	ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE, &c_nop, 2));
	ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE + 2, &ecall, 4));
	EXPECT_TRUE(shim_world_fetch(w, 0, SHIM_DRAM_BASE, &insn).ok);
	EXPECT_EQ(insn, 0x0001);
	EXPECT_TRUE(shim_world_fetch(w, 0, SHIM_DRAM_BASE + 2, &insn).ok);
	EXPECT_EQ(insn, 0x73);
	shim_world_destroy(w);
}

TEST(world, ecall_from_each_mode_raises_its_own_cause)
{
	struct shim_world *w = make_world(1);
	static const struct {
		enum shim_mode mode;
		uint64_t cause;
	} rows[] = {
		{ SHIM_MODE_U, SHIM_CAUSE_ECALL_U },   { SHIM_MODE_HS, SHIM_CAUSE_ECALL_HS },
		{ SHIM_MODE_VS, SHIM_CAUSE_ECALL_VS }, { SHIM_MODE_VU, SHIM_CAUSE_ECALL_U },
		{ SHIM_MODE_M, SHIM_CAUSE_ECALL_M },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		w->hart[0].mode = rows[i].mode;
		EXPECT_EQ(shim_world_ecall(w, 0), SHIM_MODE_M);
		EXPECT_EQ(w->hart[0].csr.mcause, rows[i].cause);
	}
	shim_world_destroy(w);
}

TEST(world, ipi_sets_msip_on_the_target_hart_only)
{
	struct shim_world *w = make_world(4);

	shim_world_send_ipi(w, 2);
	EXPECT_TRUE(w->hart[2].csr.mip & (UINT64_C(1) << SHIM_IRQ_MSI));
	EXPECT_FALSE(w->hart[1].csr.mip & (UINT64_C(1) << SHIM_IRQ_MSI));
	shim_world_destroy(w);
}

TEST(world, timer_raises_mtip_when_mtime_reaches_mtimecmp)
{
	struct shim_world *w = make_world(2);

	w->hart[1].csr.mtimecmp = 100;
	shim_world_advance_time(w, 99);
	EXPECT_FALSE(w->hart[1].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	shim_world_advance_time(w, 1);
	EXPECT_TRUE(w->hart[1].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	EXPECT_FALSE(w->hart[0].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	shim_world_destroy(w);
}

TEST(world, sstc_vstimecmp_counts_with_htimedelta)
{
	struct shim_world *w = make_world(1);
	struct shim_hart *h = &w->hart[0];

	h->csr.menvcfg = h->csr.henvcfg = UINT64_C(1) << 63;
	h->csr.htimedelta = 1000;
	h->csr.vstimecmp = 1050;
	shim_world_advance_time(w, 49);
	EXPECT_FALSE(h->csr.mip & (UINT64_C(1) << SHIM_IRQ_VSTI));
	shim_world_advance_time(w, 1);
	EXPECT_TRUE(h->csr.mip & (UINT64_C(1) << SHIM_IRQ_VSTI));
	shim_world_destroy(w);
}

TEST(world, take_interrupt_delivers_the_pending_one)
{
	struct shim_world *w = make_world(1);
	enum shim_mode to;

	w->hart[0].mode = SHIM_MODE_VS;
	w->hart[0].csr.mie = UINT64_C(1) << SHIM_IRQ_MSI;
	EXPECT_FALSE(shim_world_take_interrupt(w, 0, &to));
	shim_world_send_ipi(w, 0);
	ASSERT_TRUE(shim_world_take_interrupt(w, 0, &to));
	EXPECT_EQ(to, SHIM_MODE_M);
	EXPECT_EQ(w->hart[0].csr.mcause, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_MSI);
	shim_world_destroy(w);
}

TEST(world, reset_restores_harts_memory_and_time)
{
	struct shim_world *w = make_world(2);
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE, "before!", 8));
	ASSERT_TRUE(shim_world_snapshot(w));
	ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE, "after!!", 8));
	w->hart[1].mode = SHIM_MODE_VS;
	w->hart[1].x[10] = 77;
	open_pmp(&w->hart[1]);
	shim_tlb_insert(&w->hart[1].tlb, 1, 0x1000, SHIM_DRAM_BASE, 12, 0xff);
	shim_world_advance_time(w, 500);
	shim_world_reset(w);
	ASSERT_TRUE(shim_mem_read(&w->mem, SHIM_DRAM_BASE, &v, 8));
	EXPECT_MEM_EQ((const char *)&v, "before!", 8);
	EXPECT_EQ(w->hart[1].mode, SHIM_MODE_M);
	EXPECT_EQ(w->hart[1].x[10], 0);
	EXPECT_EQ(w->hart[1].pmp.cfg[0], 0);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[1].tlb, 1, 0x1000) == NULL);
	EXPECT_EQ(w->mtime, 0);
	shim_world_destroy(w);
}

TEST(world, fault_plan_fails_exactly_the_planned_operations)
{
	struct shim_world *w = make_world(1);
	struct shim_fault_plan plan = { .fail = { [SHIM_FAULT_ALLOC] = 0x5 } };

	shim_world_set_faults(w, &plan);
	EXPECT_TRUE(shim_world_fault(w, SHIM_FAULT_ALLOC));
	EXPECT_FALSE(shim_world_fault(w, SHIM_FAULT_ALLOC));
	EXPECT_TRUE(shim_world_fault(w, SHIM_FAULT_ALLOC));
	EXPECT_FALSE(shim_world_fault(w, SHIM_FAULT_ALLOC));
	/* other kinds count separately */
	EXPECT_FALSE(shim_world_fault(w, SHIM_FAULT_ENTROPY));
	shim_world_reset(w);
	EXPECT_FALSE(shim_world_fault(w, SHIM_FAULT_ALLOC));
	shim_world_destroy(w);
}

TEST(world, guest_load_walks_the_g_stage_and_faults_on_unmapped_gpa)
{
	struct shim_world *w = make_world(1);
	struct shim_hart *h = &w->hart[0];
	uint64_t root = SHIM_DRAM_BASE + 0x100000; /* 16 KiB aligned */
	uint64_t l1 = root + 0x4000;
	uint64_t l0 = root + 0x5000;
	uint64_t data = SHIM_DRAM_BASE + 0x200000;
	uint64_t pte;
	uint64_t v = 0;

	/* Sv39x4: map GPA 0x1000 -> data, RW, U (required for G-stage leaves) */
	pte = ((l1 >> 12) << 10) | SHIM_PTE_V;
	ASSERT_TRUE(shim_mem_write(&w->mem, root, &pte, 8));
	pte = ((l0 >> 12) << 10) | SHIM_PTE_V;
	ASSERT_TRUE(shim_mem_write(&w->mem, l1, &pte, 8));
	pte = ((data >> 12) << 10) | SHIM_PTE_V | SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_U |
	      SHIM_PTE_A | SHIM_PTE_D;
	ASSERT_TRUE(shim_mem_write(&w->mem, l0 + 8, &pte, 8));
	ASSERT_TRUE(shim_mem_write(&w->mem, data + 16, "guest!!", 8));
	open_pmp(h);
	h->mode = SHIM_MODE_VS;
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_HGATP,
				   ((uint64_t)SHIM_ATP_MODE_SV39 << 60) | (root >> 12)));
	struct shim_access_result r = shim_world_load(w, 0, 0x1010, 8, &v);
	ASSERT_TRUE(r.ok);
	EXPECT_EQ(r.pa, data + 16);
	EXPECT_MEM_EQ((const char *)&v, "guest!!", 8);
	r = shim_world_load(w, 0, 0x2000, 8, &v);
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(r.tval2, 0x2000 >> 2);
	EXPECT_EQ(shim_world_take_fault(w, 0, &r), SHIM_MODE_M);
	EXPECT_EQ(h->csr.mtval2, 0x2000 >> 2);
	shim_world_destroy(w);
}
