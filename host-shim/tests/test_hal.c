// SPDX-License-Identifier: BSD-2-Clause
/* The HAL over the shim: what the monitor core will see of the machine. */
#include <stdio.h>
#include <string.h>

#include "covemon/hal.h"
#include "shim/world.h"
#include "test.h"

#define MIB (UINT64_C(1) << 20)

static struct shim_world *bound_world(unsigned int harts)
{
	struct shim_world_config cfg;

	shim_world_config_default(&cfg);
	cfg.harts = harts;
	cfg.dram_size = 16 * MIB;
	struct shim_world *w = shim_world_create(&cfg, NULL);
	ASSERT_TRUE(w != NULL);
	shim_hal_bind(w);
	return w;
}

static struct hal_pmp_layout napot_layout(uint64_t base, uint64_t size, uint8_t perms)
{
	struct hal_pmp_layout l;

	memset(&l, 0, sizeof(l));
	l.count = 1;
	l.entry[0].addr = (base >> 2) | ((size >> 3) - 1);
	l.entry[0].cfg = HAL_PMP_A_NAPOT | perms;
	return l;
}

TEST(hal_pmp, write_sets_every_entry_and_clears_the_rest)
{
	struct shim_world *w = bound_world(1);
	struct hal_pmp_layout l = napot_layout(SHIM_DRAM_BASE, MIB, HAL_PMP_R);

	/* leftovers of an earlier layout must not survive */
	ASSERT_TRUE(shim_pmp_write_cfg(&w->hart[0].pmp, 5, HAL_PMP_A_NAPOT | HAL_PMP_R));
	ASSERT_TRUE(shim_pmp_write_addr(&w->hart[0].pmp, 5, UINT64_MAX));
	EXPECT_EQ(hal_pmp_write(0, &l), MON_OK);
	EXPECT_EQ(w->hart[0].pmp.cfg[0], HAL_PMP_A_NAPOT | HAL_PMP_R);
	EXPECT_EQ(w->hart[0].pmp.cfg[5], 0);
	EXPECT_EQ(w->hart[0].pmp.addr[5], 0);
	EXPECT_TRUE(
		shim_pmp_allows(&w->hart[0].pmp, SHIM_DRAM_BASE, 8, SHIM_ACCESS_READ, SHIM_PRIV_S));
	shim_world_destroy(w);
}

TEST(hal_pmp, write_reports_an_entry_locked_by_an_earlier_stage)
{
	struct shim_world *w = bound_world(1);
	struct hal_pmp_layout l = napot_layout(SHIM_DRAM_BASE, MIB, HAL_PMP_R);

	ASSERT_TRUE(shim_pmp_write_addr(&w->hart[0].pmp, 3, UINT64_MAX));
	ASSERT_TRUE(shim_pmp_write_cfg(&w->hart[0].pmp, 3, HAL_PMP_L | HAL_PMP_A_NAPOT | 7));
	EXPECT_EQ(hal_pmp_write(0, &l), MON_ERR_DENIED_LOCKED);
	shim_world_destroy(w);
}

TEST(hal_pmp, write_rejects_more_entries_than_the_hart_has)
{
	struct shim_world *w = bound_world(1);
	struct hal_pmp_layout l = napot_layout(SHIM_DRAM_BASE, MIB, HAL_PMP_R);

	l.count = 17;
	EXPECT_EQ(hal_pmp_write(0, &l), MON_ERR_DENIED_LOCKED);
	EXPECT_EQ(hal_pmp_count(0), 16);
	shim_world_destroy(w);
}

TEST(hal_pmp, write_flushes_the_tlb)
{
	struct shim_world *w = bound_world(1);
	struct hal_pmp_layout l = napot_layout(SHIM_DRAM_BASE, MIB, HAL_PMP_R);

	shim_tlb_insert(&w->hart[0].tlb, 1, 0, SHIM_DRAM_BASE, 12, 0xdf);
	EXPECT_EQ(hal_pmp_write(0, &l), MON_OK);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 1, 0) == NULL);
	shim_world_destroy(w);
}

/* @l plus a last entry giving S/U RWX everywhere, as the host's layout ends. */
static struct hal_pmp_layout with_host_rest(struct hal_pmp_layout l)
{
	l.entry[l.count].addr = UINT64_MAX >> 10;
	l.entry[l.count].cfg = HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X;
	l.count++;
	return l;
}

TEST(hal_mem, untrusted_read_copies_dram)
{
	struct shim_world *w = bound_world(1);
	char buf[8] = { 0 };
	struct hal_pmp_layout l = with_host_rest(napot_layout(SHIM_DRAM_BASE, 4096, 0));

	ASSERT_EQ(hal_pmp_write(0, &l), MON_OK);
	ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE + 4096 + 64, "secret!", 8));
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE + 4096 + 64), buf, 8), MON_OK);
	EXPECT_MEM_EQ(buf, "secret!", 8);
	shim_world_destroy(w);
}

TEST(hal_mem, untrusted_access_to_a_hole_or_past_dram_faults)
{
	struct shim_world *w = bound_world(1);
	char buf[16];

	EXPECT_EQ(hal_untrusted_read(0, pa_init(0x10000000), buf, 8), MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE + 16 * MIB - 8), buf, 16),
		  MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_write(0, pa_init(UINT64_MAX - 7), buf, 16), MON_ERR_FAULT);
	shim_world_destroy(w);
}

TEST(hal_mem, untrusted_accesses_have_the_hosts_rights_not_m_modes)
{
	struct shim_world *w = bound_world(1);
	char buf[8] = "xxxxxxx";
	/* Page 0 closed to S/U (as monitor memory is), page 1 read-only for S/U. */
	struct hal_pmp_layout l = napot_layout(SHIM_DRAM_BASE, 4096, 0);
	l.entry[1] = napot_layout(SHIM_DRAM_BASE + 4096, 4096, HAL_PMP_R).entry[0];
	l.count = 2;
	l = with_host_rest(l);

	ASSERT_EQ(hal_pmp_write(0, &l), MON_OK);
	/* Unlocked entries do not bind M, but untrusted copies run with S's rights. */
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE), buf, 8), MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_write(0, pa_init(SHIM_DRAM_BASE + 8), buf, 8), MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE + 4096), buf, 8), MON_OK);
	EXPECT_EQ(hal_untrusted_write(0, pa_init(SHIM_DRAM_BASE + 4096), buf, 8), MON_ERR_FAULT);
	/* A copy crossing from host memory into the closed page faults too. */
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE + 2 * 4096 - 4), buf, 8), MON_OK);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE + 4096 - 4), buf, 8), MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_write(0, pa_init(SHIM_DRAM_BASE + 2 * 4096), buf, 8), MON_OK);
	shim_world_destroy(w);
}

static void map_page0_writable(void *unused)
{
	(void)unused;
	(void)hal_mon_map(pa_init(SHIM_DRAM_BASE), 8);
}

TEST(hal_mem, mon_map_in_a_trap_panics_where_the_pmp_closes_m_mode)
{
	struct shim_world *w = bound_world(1);
	/* A locked rule binds M: page 0 read-only for M. */
	struct hal_pmp_layout l =
		with_host_rest(napot_layout(SHIM_DRAM_BASE, 4096, HAL_PMP_L | HAL_PMP_R));

	ASSERT_EQ(hal_pmp_write(0, &l), MON_OK);
	/* Outside a trap (boot) nothing is judged; inside one, the hart's PMP is. */
	EXPECT_TRUE(hal_mon_map(pa_init(SHIM_DRAM_BASE), 8) != NULL);
	w->in_monitor = 0;
	EXPECT_TRUE(hal_mon_map_ro(pa_init(SHIM_DRAM_BASE), 8) != NULL);
	EXPECT_TRUE(test_child_aborts(map_page0_writable, NULL,
				      "hal_mon_map of a range the PMP closes to M-mode"));
	/* The unlocked RWX rule over the rest does not bind M without Smepmp. */
	EXPECT_TRUE(hal_mon_map(pa_init(SHIM_DRAM_BASE + 4096), 8) != NULL);
	w->in_monitor = -1;
	shim_world_destroy(w);
}

TEST(hal_mem, fault_plan_makes_the_planned_untrusted_access_fault)
{
	struct shim_world *w = bound_world(1);
	char buf[8];
	struct shim_fault_plan plan = { .fail = { [SHIM_FAULT_UNTRUSTED_READ] = 0x2 } };

	struct hal_pmp_layout l = with_host_rest(napot_layout(SHIM_DRAM_BASE, 4096, HAL_PMP_R));

	ASSERT_EQ(hal_pmp_write(0, &l), MON_OK);
	shim_world_set_faults(w, &plan);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE), buf, 8), MON_OK);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE), buf, 8), MON_ERR_FAULT);
	EXPECT_EQ(hal_untrusted_read(0, pa_init(SHIM_DRAM_BASE), buf, 8), MON_OK);
	shim_world_destroy(w);
}

TEST(hal_mem, mon_map_writes_are_undone_by_reset)
{
	struct shim_world *w = bound_world(1);
	uint64_t v = 0;

	ASSERT_TRUE(shim_world_snapshot(w));
	uint64_t *p = hal_mon_map(pa_init(SHIM_DRAM_BASE + 0x9000), 8);
	*p = 0x5555;
	shim_world_reset(w);
	ASSERT_TRUE(shim_mem_read(&w->mem, SHIM_DRAM_BASE + 0x9000, &v, 8));
	EXPECT_EQ(v, 0);
	shim_world_destroy(w);
}

TEST(hal_mem, mon_map_ro_does_not_dirty_pages)
{
	struct shim_world *w = bound_world(1);

	ASSERT_TRUE(shim_world_snapshot(w));
	EXPECT_TRUE(hal_mon_map_ro(pa_init(SHIM_DRAM_BASE), 4096) != NULL);
	EXPECT_EQ(shim_mem_dirty_pages(&w->mem), 0);
	shim_world_destroy(w);
}

TEST(hal_fence, gvma_vmid_reaches_only_the_target_harts)
{
	struct shim_world *w = bound_world(3);
	struct hal_fence f = { .kind = HAL_FENCE_GVMA_VMID, .vmid = 4 };

	for (unsigned int i = 0; i < 3; i++) {
		shim_tlb_insert(&w->hart[i].tlb, 4, 0x1000, SHIM_DRAM_BASE, 12, 0xdf);
		shim_tlb_insert(&w->hart[i].tlb, 5, 0x1000, SHIM_DRAM_BASE, 12, 0xdf);
	}
	hal_fence(0, 0x3, &f); /* harts 0 and 1 */
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 4, 0x1000) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[1].tlb, 4, 0x1000) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[2].tlb, 4, 0x1000) != NULL);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 5, 0x1000) != NULL);
	shim_world_destroy(w);
}

TEST(hal_fence, gpa_range_drops_only_that_range)
{
	struct shim_world *w = bound_world(1);
	struct hal_fence f = {
		.kind = HAL_FENCE_GVMA_GPA, .vmid = 1, .addr = 0x2000, .size = 0x2000
	};

	shim_tlb_insert(&w->hart[0].tlb, 1, 0x1000, SHIM_DRAM_BASE, 12, 0xdf);
	shim_tlb_insert(&w->hart[0].tlb, 1, 0x3000, SHIM_DRAM_BASE, 12, 0xdf);
	shim_tlb_insert(&w->hart[0].tlb, 1, 0x4000, SHIM_DRAM_BASE, 12, 0xdf);
	hal_fence(0, 1, &f);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 1, 0x1000) != NULL);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 1, 0x3000) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 1, 0x4000) != NULL);
	shim_world_destroy(w);
}

TEST(hal_fence, huge_gpa_range_falls_back_to_the_whole_vmid)
{
	struct shim_world *w = bound_world(1);
	struct hal_fence f = {
		.kind = HAL_FENCE_GVMA_GPA, .vmid = 1, .addr = 0, .size = UINT64_MAX
	};

	shim_tlb_insert(&w->hart[0].tlb, 1, UINT64_C(0x7f0000000), SHIM_DRAM_BASE, 12, 0xdf);
	hal_fence(0, 1, &f);
	EXPECT_TRUE(shim_tlb_lookup(&w->hart[0].tlb, 1, UINT64_C(0x7f0000000)) == NULL);
	shim_world_destroy(w);
}

TEST(hal_csr, image_round_trips_through_the_hart)
{
	struct shim_world *w = bound_world(1);
	struct hal_csr_image in;
	struct hal_csr_image out;

	memset(&in, 0, sizeof(in));
	in.vsatp = (UINT64_C(8) << 60) | 0x123;
	in.vsepc = 0x4000;
	in.hstatus = SHIM_HSTATUS_SPV;
	in.hgatp = (UINT64_C(9) << 60) | (UINT64_C(7) << 44) | 0x80100;
	in.htimedelta = 99;
	in.medeleg = 0xb1ff;
	hal_csr_load(0, &in);
	EXPECT_EQ(w->hart[0].csr.vsatp, in.vsatp);
	hal_csr_save(0, &out);
	EXPECT_MEM_EQ(&out, &in, sizeof(in));
	shim_world_destroy(w);
}

TEST(hal_csr, hgatp_in_an_image_goes_through_warl_rules)
{
	struct shim_world *w = bound_world(1);
	struct hal_csr_image in;

	memset(&in, 0, sizeof(in));
	in.hgatp = (UINT64_C(9) << 60) | 0x80103; /* PPN[1:0] must read as zero */
	hal_csr_load(0, &in);
	EXPECT_EQ(w->hart[0].csr.hgatp & 3, 0);
	shim_world_destroy(w);
}

TEST(hal_time, timer_set_raises_mtip_at_the_deadline)
{
	struct shim_world *w = bound_world(1);

	hal_timer_set(0, hal_time_now() + 10);
	EXPECT_FALSE(w->hart[0].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	shim_world_advance_time(w, 10);
	EXPECT_TRUE(w->hart[0].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	hal_timer_set(0, UINT64_MAX);
	EXPECT_FALSE(w->hart[0].csr.mip & (UINT64_C(1) << SHIM_IRQ_MTI));
	shim_world_destroy(w);
}

TEST(hal_ipi, send_and_clear_msip)
{
	struct shim_world *w = bound_world(2);

	hal_ipi_send(0, 1);
	EXPECT_TRUE(w->hart[1].csr.mip & (UINT64_C(1) << SHIM_IRQ_MSI));
	hal_ipi_clear(1);
	EXPECT_FALSE(w->hart[1].csr.mip & (UINT64_C(1) << SHIM_IRQ_MSI));
	shim_world_destroy(w);
}

TEST(hal_misc, entropy_is_deterministic_per_seed_and_can_fail)
{
	struct shim_world *w = bound_world(1);
	uint8_t a[32];
	uint8_t b[32];
	struct shim_fault_plan plan = { .fail = { [SHIM_FAULT_ENTROPY] = 1 } };

	ASSERT_TRUE(shim_world_snapshot(w));
	ASSERT_EQ(hal_entropy(a, sizeof(a)), MON_OK);
	shim_world_reset(w);
	ASSERT_EQ(hal_entropy(b, sizeof(b)), MON_OK);
	EXPECT_MEM_EQ(a, b, sizeof(a));
	shim_world_set_faults(w, &plan);
	EXPECT_EQ(hal_entropy(a, sizeof(a)), MON_ERR_FAILED);
	shim_world_destroy(w);
}

TEST(hal_misc, console_output_is_captured_and_bounded)
{
	struct shim_world *w = bound_world(1);
	char big[SHIM_CONSOLE_SIZE];

	hal_console_write("hello", 5);
	EXPECT_EQ(w->console_len, 5);
	EXPECT_MEM_EQ(w->console, "hello", 5);
	memset(big, 'x', sizeof(big));
	hal_console_write(big, sizeof(big));
	EXPECT_EQ(w->console_len, SHIM_CONSOLE_SIZE);
	shim_world_destroy(w);
}

TEST(hal_misc, alloc_failure_follows_the_fault_plan)
{
	struct shim_world *w = bound_world(1);
	struct shim_fault_plan plan = { .fail = { [SHIM_FAULT_ALLOC] = 0x2 } };

	EXPECT_FALSE(hal_alloc_should_fail(0));
	shim_world_set_faults(w, &plan);
	EXPECT_FALSE(hal_alloc_should_fail(0));
	EXPECT_TRUE(hal_alloc_should_fail(0));
	shim_world_destroy(w);
}
