// SPDX-License-Identifier: BSD-2-Clause
/*
 * The boot target's own oracle (fuzz/targets/boot.c: check_closed, I1 after
 * mon_boot): quiet on the monitor's PMP after a normal boot, and naming I1,
 * the hart, the privilege and the region when a PMP entry opens the
 * monitor's data to S. (The campaign that found the 2^56 device bug showed
 * it firing on a real bug; this shows it on a planted one.)
 */
#define LLVMFuzzerTestOneInput boot_target_one_input
#include "../targets/boot.c"
#undef LLVMFuzzerTestOneInput

#include "test.h"

static struct shim_world *booted;
static struct mon_region data_region;

static void check_data(void *arg)
{
	(void)arg;
	check_closed(booted, 0, data_region.base, data_region.size, "the monitor's data");
}

TEST(fuzz_boot_target, i1_check_is_quiet_after_a_boot_and_names_an_opened_region)
{
	struct shim_world_config wc;
	struct shim_mon_config mc;
	struct mon_platform plat;
	struct mon *mon = NULL;

	shim_world_config_default(&wc);
	wc.harts = 1;
	wc.dram_size = DRAM_SIZE;
	booted = shim_world_create(&wc, NULL);
	ASSERT_TRUE(booted != NULL);
	shim_mon_config_default(&mc);
	mc.confidential_size = UINT64_C(1) << 20;
	shim_mon_platform(booted, &mc, &plat);
	shim_hal_bind(booted);
	ASSERT_EQ(mon_boot(0, &plat, &mon), MON_OK);
	data_region = mon_introspect_data(mon);
	struct mon_region image = mon_introspect_image(mon);
	struct mon_region conf = mon_introspect_confidential(mon);

	/* The monitor's PMP: nothing to report (an abort here fails the test). */
	check_closed(booted, 0, image.base, image.size, "the monitor's image");
	check_closed(booted, 0, data_region.base, data_region.size, "the monitor's data");
	check_closed(booted, 0, conf.base, conf.size, "confidential memory");

	/* Entry 0 (the highest priority), TOR below the end of the data: readable by S. */
	struct shim_pmp *pmp = &booted->hart[0].pmp;
	ASSERT_TRUE(shim_pmp_write_addr(pmp, 0, (data_region.base + data_region.size) >> 2));
	ASSERT_TRUE(shim_pmp_write_cfg(pmp, 0, HAL_PMP_A_TOR | HAL_PMP_R));
	char want[160];
	snprintf(want, sizeof(want),
		 "I1 host isolation violated at operation 0: after boot hart 0 lets S reach the "
		 "monitor's data at 0x%llx",
		 (unsigned long long)data_region.base);
	EXPECT_TRUE(test_child_aborts(check_data, NULL, want));
	shim_world_destroy(booted);
}
