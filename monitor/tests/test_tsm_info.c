// SPDX-License-Identifier: BSD-2-Clause
/*
 * COVH get_tsm_info: the monitor writes into host memory here, so a bad
 * address is an arbitrary-write attempt (attack class 1). Every rejection
 * must leave both the monitor state and every byte of memory untouched.
 */
#include <string.h>

#include "../src/core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"
#include "fixture.h"

static struct shim_sbiret tsm_info(struct fixture *f, uint64_t addr, uint64_t len)
{
	return host_call(f, 0, SBI_EXT_COVH, COVH_GET_TSM_INFO, addr, len, 0);
}

/* Expects @err for a call at @addr, and no change to memory around it or to the monitor. */
static void expect_rejected(struct fixture *f, uint64_t addr, uint64_t len, int64_t err)
{
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];
	uint8_t mem_before[128];
	uint8_t mem_after[128];
	uint64_t window = addr & ~UINT64_C(63);
	bool readable = shim_mem_read(&f->w->mem, window, mem_before, sizeof(mem_before));

	state_hash(f, before);
	struct shim_sbiret r = tsm_info(f, addr, len);
	EXPECT_EQ(r.error, err);
	EXPECT_EQ(r.value, 0);
	state_hash(f, after);
	EXPECT_MEM_EQ(after, before, sizeof(before));
	if (readable) {
		ASSERT_TRUE(shim_mem_read(&f->w->mem, window, mem_after, sizeof(mem_after)));
		EXPECT_MEM_EQ(mem_after, mem_before, sizeof(mem_before));
	}
}

TEST(covh_get_tsm_info, writes_the_48_byte_structure_and_returns_its_size)
{
	struct fixture f;
	struct cove_tsm_info info;

	fixture_init(&f, 1);
	struct shim_sbiret r = tsm_info(&f, host_page(&f, 2), 4096);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 48);
	ASSERT_TRUE(shim_mem_read(&f.w->mem, host_page(&f, 2), &info, sizeof(info)));
	EXPECT_EQ(info.tsm_state, COVE_TSM_READY);
	EXPECT_EQ(info.tsm_impl_id, COVE_TSM_IMPL_COVEMON);
	EXPECT_EQ(info.tsm_version, MON_TSM_VERSION);
	EXPECT_TRUE(info.tsm_capabilities & COVE_TSM_CAP_PROMOTE_TVM);
	EXPECT_EQ(info.tvm_max_vcpus, MON_MAX_VCPUS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, writes_nothing_past_48_bytes)
{
	struct fixture f;
	uint8_t tail[16];
	uint8_t want[16];

	fixture_init(&f, 1);
	memset(want, 0xee, sizeof(want));
	ASSERT_TRUE(shim_mem_write(&f.w->mem, host_page(&f, 2) + 48, want, sizeof(want)));
	ASSERT_EQ(tsm_info(&f, host_page(&f, 2), 64).error, SBI_SUCCESS);
	ASSERT_TRUE(shim_mem_read(&f.w->mem, host_page(&f, 2) + 48, tail, sizeof(tail)));
	EXPECT_MEM_EQ(tail, want, sizeof(want));
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_a_buffer_shorter_than_the_structure)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, host_page(&f, 2), 47, SBI_ERR_INVALID_PARAM);
	expect_rejected(&f, host_page(&f, 2), 0, SBI_ERR_INVALID_PARAM);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_an_address_that_is_not_4_byte_aligned)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, host_page(&f, 2) + 2, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_the_monitor_image)
{
	/* ACE flaw 2: the firmware image counted as host memory. */
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, f.plat.image.base + 0x100, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_monitor_data)
{
	struct fixture f;

	fixture_init(&f, 1);
	/* the monitor's own state lives at the start of its data region */
	expect_rejected(&f, f.plat.data.base, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_confidential_memory)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, f.conf.base + 0x2000, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_a_buffer_straddling_into_confidential_memory)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, f.conf.base - 24, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_a_buffer_straddling_out_of_the_monitor_data)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, f.host_base - 24, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_mmio_and_addresses_beyond_dram)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, 0x10000000, 48, SBI_ERR_INVALID_ADDRESS);
	expect_rejected(&f, SHIM_DRAM_BASE + (UINT64_C(64) << 20), 48, SBI_ERR_INVALID_ADDRESS);
	expect_rejected(&f, 0, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, rejects_a_buffer_that_wraps)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_rejected(&f, UINT64_MAX - 23, 48, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, a_faulting_write_is_reported_and_changes_no_monitor_state)
{
	struct fixture f;
	struct shim_fault_plan plan = { .fail = { [SHIM_FAULT_UNTRUSTED_WRITE] = 1 } };
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	fixture_init(&f, 1);
	shim_world_set_faults(f.w, &plan);
	state_hash(&f, before);
	EXPECT_EQ(tsm_info(&f, host_page(&f, 2), 48).error, SBI_ERR_INVALID_ADDRESS);
	state_hash(&f, after);
	EXPECT_MEM_EQ(after, before, sizeof(before));
	/* the next call, not planned to fault, succeeds */
	EXPECT_EQ(tsm_info(&f, host_page(&f, 2), 48).error, SBI_SUCCESS);
	fixture_fini(&f);
}

TEST(covh_get_tsm_info, works_from_every_hart)
{
	struct fixture f;

	fixture_init(&f, 4);
	for (unsigned int h = 0; h < 4; h++) {
		struct shim_sbiret r =
			host_call(&f, h, SBI_EXT_COVH, COVH_GET_TSM_INFO, host_page(&f, h), 48, 0);
		EXPECT_EQ(r.error, SBI_SUCCESS);
	}
	fixture_fini(&f);
}
