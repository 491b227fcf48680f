// SPDX-License-Identifier: BSD-2-Clause
/*
 * mon_boot, mon_hart_init and the PMP policy, checked on the hardware view:
 * the PMP registers of the emulated harts, not the monitor's bookkeeping.
 */
#include <string.h>

#include "covemon/introspect.h"
#include "fixture.h"

#define MIB (UINT64_C(1) << 20)
#define KIB (UINT64_C(1) << 10)

static struct shim_world *world(unsigned int harts)
{
	struct shim_world_config wc;

	shim_world_config_default(&wc);
	wc.harts = harts;
	wc.dram_size = 64 * MIB;
	struct shim_world *w = shim_world_create(&wc, NULL);
	ASSERT_TRUE(w != NULL);
	shim_hal_bind(w);
	return w;
}

static struct mon_platform platform(void)
{
	struct mon_platform p;

	memset(&p, 0, sizeof(p));
	p.dram[0].base = SHIM_DRAM_BASE;
	p.dram[0].size = 64 * MIB;
	p.dram_count = 1;
	p.image.base = SHIM_DRAM_BASE;
	p.image.size = 256 * KIB;
	p.image_text_size = 128 * KIB;
	p.image_rodata_size = 64 * KIB;
	p.data.base = SHIM_DRAM_BASE + 256 * KIB;
	p.data.size = 256 * KIB;
	p.confidential_size = 8 * MIB;
	p.harts = 1;
	p.pmp_count = 16;
	p.vmid_bits = 14;
	return p;
}

static mon_err_t boot_with(struct mon_platform p)
{
	struct shim_world *w = world(1);
	struct mon *mon = NULL;
	mon_err_t err = mon_boot(0, &p, &mon);

	shim_world_destroy(w);
	return err;
}

/* True when S/U on @hart can reach any byte of @r with any access kind. */
static bool su_reaches(const struct shim_hart *h, struct mon_region r)
{
	static const enum shim_access kinds[] = { SHIM_ACCESS_READ, SHIM_ACCESS_WRITE,
						  SHIM_ACCESS_EXEC };

	for (size_t i = 0; i < 3; i++) {
		if (shim_pmp_any_byte_allowed(&h->pmp, r.base, r.size, kinds[i], SHIM_PRIV_S,
					      NULL) ||
		    shim_pmp_any_byte_allowed(&h->pmp, r.base, r.size, kinds[i], SHIM_PRIV_U,
					      NULL)) {
			return true;
		}
	}
	return false;
}

TEST(mon_boot, accepts_the_default_platform)
{
	EXPECT_EQ(boot_with(platform()), MON_OK);
}

TEST(mon_boot, keeps_at_most_MON_MAX_PLAT_EXTS_platform_sbi_extensions)
{
	struct mon_platform p = platform();

	p.host_sbi_ext_count = MON_MAX_PLAT_EXTS;
	EXPECT_EQ(boot_with(p), MON_OK);
	p.host_sbi_ext_count = MON_MAX_PLAT_EXTS + 1;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, host_memory_for_the_platform_runtime_excludes_monitor_and_confidential)
{
	struct shim_world *w = world(1);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	struct mon_region conf = mon_introspect_confidential(mon);
	uint64_t host = p.data.base + p.data.size;
	EXPECT_TRUE(mon_is_host_memory(mon, host, 4096));
	EXPECT_TRUE(mon_is_host_memory(mon, conf.base - 4096, 4096));
	EXPECT_FALSE(mon_is_host_memory(mon, p.image.base, 1));
	EXPECT_FALSE(mon_is_host_memory(mon, p.data.base + 8, 8));
	EXPECT_FALSE(mon_is_host_memory(mon, conf.base - 8, 16));
	EXPECT_FALSE(mon_is_host_memory(mon, conf.base + conf.size / 2, 1));
	EXPECT_FALSE(mon_is_host_memory(mon, host, UINT64_MAX));
	EXPECT_FALSE(mon_is_host_memory(mon, 0x1000, 8)); /* not DRAM */
	shim_world_destroy(w);
}

TEST(mon_boot, rejects_a_platform_without_dram)
{
	struct mon_platform p = platform();

	p.dram_count = 0;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_an_unaligned_image)
{
	struct mon_platform p = platform();

	p.image.size = 256 * KIB + 8;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_overlapping_image_and_data)
{
	struct mon_platform p = platform();

	p.data.base = p.image.base + 4 * KIB;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_monitor_regions_outside_dram)
{
	struct mon_platform p = platform();

	p.data.base = 0x10000000;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_a_region_that_wraps)
{
	struct mon_platform p = platform();

	p.dram[0].base = UINT64_MAX - 4095;
	p.dram[0].size = 8192;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_confidential_memory_that_does_not_fit)
{
	struct mon_platform p = platform();

	p.confidential_size = 64 * MIB;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p.confidential_size = 0;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p.confidential_size = 4 * KIB + 1;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(mon_boot, rejects_too_few_pmp_entries)
{
	struct mon_platform p = platform();

	/* Image, data, confidential memory and the rest: four entries (all NAPOT here). */
	p.pmp_count = 3;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p.pmp_count = 4;
	EXPECT_EQ(boot_with(p), MON_OK);
}

TEST(mon_boot, rejects_a_boot_hart_out_of_range)
{
	struct shim_world *w = world(1);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	EXPECT_EQ(mon_boot(1, &p, &mon), MON_ERR_INVALID_PARAM);
	p.harts = 0;
	EXPECT_EQ(mon_boot(0, &p, &mon), MON_ERR_INVALID_PARAM);
	shim_world_destroy(w);
}

TEST(mon_boot, carves_confidential_memory_at_the_top_of_dram)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(f.conf.base + f.conf.size, SHIM_DRAM_BASE + 64 * MIB);
	EXPECT_EQ(f.conf.size, 8 * MIB);
	fixture_fini(&f);
}

TEST(mon_boot, confidential_memory_avoids_a_reserved_region)
{
	struct shim_world *w = world(1);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	/* firmware-reserved 1 MiB at the very top of DRAM */
	p.reserved[0].base = SHIM_DRAM_BASE + 63 * MIB;
	p.reserved[0].size = 1 * MIB;
	p.reserved_count = 1;
	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	struct mon_region c = mon_introspect_confidential(mon);
	EXPECT_EQ(c.base + c.size, SHIM_DRAM_BASE + 63 * MIB);
	shim_world_destroy(w);
}

TEST(mon_boot, fails_on_a_hart_with_a_pmp_entry_locked_by_an_earlier_stage)
{
	struct shim_world *w = world(1);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	ASSERT_TRUE(shim_pmp_write_addr(&w->hart[0].pmp, 2, UINT64_MAX >> 10));
	ASSERT_TRUE(shim_pmp_write_cfg(&w->hart[0].pmp, 2, HAL_PMP_L | HAL_PMP_A_NAPOT | 7));
	EXPECT_EQ(mon_boot(0, &p, &mon), MON_ERR_DENIED_LOCKED);
	shim_world_destroy(w);
}

TEST(mon_hart_init, rejects_a_hart_out_of_range)
{
	struct fixture f;

	fixture_init(&f, 2);
	EXPECT_EQ(mon_hart_init(f.mon, 2), MON_ERR_INVALID_PARAM);
	fixture_fini(&f);
}

TEST(pmp_policy, host_cannot_reach_monitor_or_confidential_memory_on_any_hart)
{
	struct fixture f;

	fixture_init(&f, 4);
	for (unsigned int h = 0; h < 4; h++) {
		EXPECT_FALSE(su_reaches(&f.w->hart[h], f.plat.image));
		EXPECT_FALSE(su_reaches(&f.w->hart[h], f.plat.data));
		EXPECT_FALSE(su_reaches(&f.w->hart[h], f.conf));
	}
	fixture_fini(&f);
}

/* The platform() with QEMU virt's devices: the ACLINT private, UART and finisher shared. */
static struct mon_platform platform_with_devices(bool smepmp)
{
	struct mon_platform p = platform();

	p.mmio_private[0] = (struct mon_region){ 0x2000000, 0x10000 };
	p.mmio_private_count = 1;
	p.mmio_shared[0] = (struct mon_region){ 0x10000000, 0x100 };
	p.mmio_shared[1] = (struct mon_region){ 0x100000, 0x1000 };
	p.mmio_shared_count = 2;
	p.features = smepmp ? MON_FEAT_SMEPMP : 0;
	return p;
}

static struct shim_world *world_smepmp(bool smepmp)
{
	struct shim_world_config wc;

	shim_world_config_default(&wc);
	wc.dram_size = 64 * MIB;
	wc.smepmp = smepmp;
	struct shim_world *w = shim_world_create(&wc, NULL);
	ASSERT_TRUE(w != NULL);
	shim_hal_bind(w);
	return w;
}

static bool m_may(const struct shim_pmp *pmp, uint64_t pa, enum shim_access a)
{
	return shim_pmp_allows(pmp, pa, 8, a, SHIM_PRIV_M);
}

static bool s_may(const struct shim_pmp *pmp, uint64_t pa, enum shim_access a)
{
	return shim_pmp_allows(pmp, pa, 8, a, SHIM_PRIV_S);
}

TEST(pmp_policy, smepmp_binds_m_mode_to_w_xor_x_and_keeps_it_out_of_host_memory)
{
	struct shim_world *w = world_smepmp(true);
	struct mon_platform p = platform_with_devices(true);
	struct mon *mon = NULL;
	const enum shim_access R = SHIM_ACCESS_READ, W = SHIM_ACCESS_WRITE, X = SHIM_ACCESS_EXEC;

	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	const struct shim_pmp *pmp = &w->hart[0].pmp;
	struct mon_region conf = mon_introspect_confidential(mon);
	uint64_t text = p.image.base;
	uint64_t rodata = text + p.image_text_size;
	uint64_t rest = rodata + p.image_rodata_size;
	uint64_t host = p.data.base + p.data.size;

	EXPECT_EQ(pmp->mseccfg, HAL_MSECCFG_MML | HAL_MSECCFG_RLB);
	/* Code: read and execute, never written. */
	EXPECT_TRUE(m_may(pmp, text, X) && m_may(pmp, rodata - 8, X) && m_may(pmp, text, R));
	EXPECT_FALSE(m_may(pmp, text, W) || m_may(pmp, rodata - 8, W));
	/* Read-only data: read only. */
	EXPECT_TRUE(m_may(pmp, rodata, R));
	EXPECT_FALSE(m_may(pmp, rodata, W) || m_may(pmp, rodata, X) || m_may(pmp, rest - 8, W));
	/* The runtime's data, the monitor's data, confidential memory: RW, never executed. */
	uint64_t rw[] = { rest, p.data.base, p.data.base + p.data.size - 8, conf.base,
			  conf.base + conf.size - 8 };
	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
		EXPECT_TRUE(m_may(pmp, rw[i], R) && m_may(pmp, rw[i], W));
		EXPECT_FALSE(m_may(pmp, rw[i], X));
	}
	/* Host memory: nothing with M's own rights (hal_untrusted_* use the host's). */
	EXPECT_FALSE(m_may(pmp, host, R) || m_may(pmp, host, W) || m_may(pmp, host, X));
	EXPECT_FALSE(m_may(pmp, conf.base - 8, R));
	/* Devices: M reaches all three; S/U only the shared console. */
	EXPECT_TRUE(m_may(pmp, 0x2004000, W) && m_may(pmp, 0x100000, W) &&
		    m_may(pmp, 0x10000000, W));
	EXPECT_FALSE(m_may(pmp, 0x2004000, X) || m_may(pmp, 0x10000000, X));
	EXPECT_FALSE(s_may(pmp, 0x2004000, W) || s_may(pmp, 0x2000000, R));
	EXPECT_TRUE(s_may(pmp, 0x10000000, W) && s_may(pmp, 0x10000000, R) &&
		    s_may(pmp, 0x100000, W));
	/* S/U: the host's memory RWX, the monitor's and confidential memory nothing. */
	EXPECT_TRUE(s_may(pmp, host, W) && s_may(pmp, host, X));
	EXPECT_FALSE(su_reaches(&w->hart[0], p.image) || su_reaches(&w->hart[0], p.data) ||
		     su_reaches(&w->hart[0], conf));
	shim_world_destroy(w);
}

TEST(pmp_policy, without_smepmp_the_runtimes_devices_are_closed_to_s_and_u)
{
	struct shim_world *w = world_smepmp(false);
	struct mon_platform p = platform_with_devices(false);
	struct mon *mon = NULL;

	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	const struct shim_pmp *pmp = &w->hart[0].pmp;
	EXPECT_EQ(pmp->mseccfg, 0u);
	EXPECT_FALSE(s_may(pmp, 0x2004000, SHIM_ACCESS_WRITE) ||
		     s_may(pmp, 0x200bff8, SHIM_ACCESS_READ));
	EXPECT_TRUE(s_may(pmp, 0x10000000, SHIM_ACCESS_WRITE) &&
		    s_may(pmp, 0x100000, SHIM_ACCESS_WRITE));
	/* M is not bound: no rule is locked. */
	EXPECT_TRUE(m_may(pmp, p.data.base + p.data.size, SHIM_ACCESS_WRITE));
	shim_world_destroy(w);
}

TEST(mon_boot, scrubs_confidential_memory_left_by_a_warm_reset)
{
	struct shim_world *w = world(1);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	/* What a TVM left before a reset that kept DRAM (QEMU keeps it). */
	uint8_t junk[4096];
	memset(junk, 0xa5, sizeof(junk));
	for (uint64_t off = 0; off < 16 * MIB; off += sizeof(junk)) {
		ASSERT_TRUE(shim_mem_write(&w->mem, SHIM_DRAM_BASE + 48 * MIB + off, junk,
					   sizeof(junk)));
	}
	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	struct mon_region conf = mon_introspect_confidential(mon);
	ASSERT_TRUE(conf.base >= SHIM_DRAM_BASE + 48 * MIB);
	for (uint64_t off = 0; off < conf.size; off += sizeof(junk)) {
		uint8_t page[4096];
		ASSERT_TRUE(shim_mem_read(&w->mem, conf.base + off, page, sizeof(page)));
		for (size_t i = 0; i < sizeof(page); i++) {
			ASSERT_EQ(page[i], 0);
		}
	}
	shim_world_destroy(w);
}

TEST(mon_boot, rejects_an_image_split_that_is_not_code_then_read_only_data_in_pages)
{
	struct mon_platform p = platform();

	p.image_text_size = 0;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform();
	p.image_text_size = 128 * KIB + 8;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform();
	p.image_rodata_size = 4 * KIB + 8;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform();
	p.image_text_size = p.image.size + 4 * KIB;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform();
	p.image_rodata_size = p.image.size - p.image_text_size + 4 * KIB;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform();
	p.image_rodata_size = p.image.size - p.image_text_size; /* no data: fine */
	EXPECT_EQ(boot_with(p), MON_OK);
}

TEST(mon_boot, rejects_devices_that_are_not_one_napot_range_outside_dram)
{
	struct mon_platform p = platform_with_devices(false);

	EXPECT_EQ(boot_with(p), MON_OK);
	p.mmio_private[0].size = 0x3000; /* not a power of two */
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.mmio_shared[0].base = 0x10000080; /* not aligned to its size */
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.mmio_shared[0] = (struct mon_region){ SHIM_DRAM_BASE + 32 * MIB, 4096 }; /* DRAM */
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.mmio_private[0].size = 4;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.mmio_private_count = MON_MAX_DEVICES + 1;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

/*
 * A pmpaddr holds physical address bits 55:2: a device or reserved range at or
 * past 2^56 would get a rule for the alias below (found by the boot fuzz
 * target: the host reached a private device at 0x100000010000000). The last
 * range that fits is accepted.
 */
TEST(mon_boot, rejects_ranges_past_what_a_pmp_rule_can_name)
{
	const uint64_t limit = UINT64_C(1) << 56;
	struct mon_platform p = platform_with_devices(false);

	p.mmio_private[0] = (struct mon_region){ limit - 0x10000, 0x10000 };
	EXPECT_EQ(boot_with(p), MON_OK);
	p.mmio_private[0] = (struct mon_region){ limit + 0x2000000, 0x10000 };
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.mmio_shared[0] = (struct mon_region){ limit, 0x1000 };
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
	p = platform_with_devices(false);
	p.reserved[0] = (struct mon_region){ limit + SHIM_DRAM_BASE, 0x1000 };
	p.reserved_count = 1;
	EXPECT_EQ(boot_with(p), MON_ERR_INVALID_PARAM);
}

TEST(pmp_policy, host_keeps_read_write_execute_on_host_memory)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_pmp *pmp = &f.w->hart[0].pmp;
	uint64_t host_size = f.conf.base - f.host_base;
	for (uint64_t off = 0; off < host_size; off += 1 * MIB) {
		EXPECT_TRUE(
			shim_pmp_allows(pmp, f.host_base + off, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_S));
		EXPECT_TRUE(
			shim_pmp_allows(pmp, f.host_base + off, 4, SHIM_ACCESS_EXEC, SHIM_PRIV_U));
	}
	/* devices below DRAM stay reachable (UART of QEMU virt) */
	EXPECT_TRUE(shim_pmp_allows(pmp, 0x10000000, 1, SHIM_ACCESS_WRITE, SHIM_PRIV_S));
	fixture_fini(&f);
}

TEST(pmp_policy, host_load_from_confidential_memory_is_an_access_fault)
{
	struct fixture f;
	uint64_t v = 0;

	fixture_init(&f, 2);
	struct shim_access_result r = shim_world_load(f.w, 1, f.conf.base + 0x1000, 8, &v);
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.cause, SHIM_CAUSE_LOAD_ACCESS);
	r = shim_world_store(f.w, 1, f.plat.data.base, 8, 0x41);
	EXPECT_EQ(r.cause, SHIM_CAUSE_STORE_ACCESS);
	fixture_fini(&f);
}

TEST(pmp_policy, leftover_permissive_entries_from_earlier_stages_are_overwritten)
{
	/* ACE flaw 1: PMP set by masking bits of unknown state. */
	struct shim_world *w = world(2);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	p.harts = 2;
	for (unsigned int h = 0; h < 2; h++) {
		/* an allow-everything entry in front of where the monitor's rules go */
		ASSERT_TRUE(shim_pmp_write_addr(&w->hart[h].pmp, 0, UINT64_MAX >> 10));
		ASSERT_TRUE(shim_pmp_write_cfg(&w->hart[h].pmp, 0, HAL_PMP_A_NAPOT | 7));
		ASSERT_TRUE(shim_pmp_write_addr(&w->hart[h].pmp, 12, UINT64_MAX >> 10));
		ASSERT_TRUE(shim_pmp_write_cfg(&w->hart[h].pmp, 12, HAL_PMP_A_NAPOT | 7));
	}
	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	ASSERT_EQ(mon_hart_init(mon, 1), MON_OK);
	for (unsigned int h = 0; h < 2; h++) {
		struct mon_region c = mon_introspect_confidential(mon);
		EXPECT_FALSE(su_reaches(&w->hart[h], c));
		EXPECT_EQ(w->hart[h].pmp.cfg[12], 0);
		EXPECT_EQ(w->hart[h].pmp.addr[12], 0);
	}
	shim_world_destroy(w);
}

TEST(pmp_policy, a_hart_that_was_never_initialised_runs_no_host_code_through_the_monitor)
{
	/* mon_trap on a hart the monitor does not manage only reflects the trap. */
	struct shim_world *w = world(2);
	struct mon_platform p = platform();
	struct mon *mon = NULL;

	p.harts = 2;
	ASSERT_EQ(mon_boot(0, &p, &mon), MON_OK);
	w->hart[1].mode = SHIM_MODE_HS;
	w->hart[1].csr.stvec = 0x80400000;
	shim_hart_set_x(&w->hart[1], 17, 0x10);
	ASSERT_EQ(shim_world_ecall(w, 1), SHIM_MODE_M);
	(void)shim_mon_deliver(w, mon, 1);
	EXPECT_EQ(w->hart[1].mode, SHIM_MODE_HS);
	EXPECT_EQ(w->hart[1].pc, 0x80400000);
	EXPECT_EQ(w->hart[1].csr.scause, SHIM_CAUSE_ECALL_HS);
	shim_world_destroy(w);
}
