// SPDX-License-Identifier: BSD-2-Clause
/* The error enum equals the SBI codes; address types round-trip. */
#include "covemon/err.h"
#include "covemon/hal.h"
#include "covemon/types.h"
#include "test.h"

TEST(mon_err, values_equal_the_sbi_error_codes)
{
	/* SBI spec, "Standard SBI Errors". */
	EXPECT_EQ(MON_OK, 0);
	EXPECT_EQ(MON_ERR_FAILED, -1);
	EXPECT_EQ(MON_ERR_NOT_SUPPORTED, -2);
	EXPECT_EQ(MON_ERR_INVALID_PARAM, -3);
	EXPECT_EQ(MON_ERR_DENIED, -4);
	EXPECT_EQ(MON_ERR_INVALID_ADDRESS, -5);
	EXPECT_EQ(MON_ERR_ALREADY_AVAILABLE, -6);
	EXPECT_EQ(MON_ERR_ALREADY_STARTED, -7);
	EXPECT_EQ(MON_ERR_ALREADY_STOPPED, -8);
	EXPECT_EQ(MON_ERR_NO_SHMEM, -9);
	EXPECT_EQ(MON_ERR_INVALID_STATE, -10);
	EXPECT_EQ(MON_ERR_BAD_RANGE, -11);
	EXPECT_EQ(MON_ERR_TIMEOUT, -12);
	EXPECT_EQ(MON_ERR_IO, -13);
	EXPECT_EQ(MON_ERR_DENIED_LOCKED, -14);
}

TEST(mon_err, cove_errors_use_the_documented_implementation_values)
{
	/* reference/cove-abi.md section 1. */
	EXPECT_EQ(MON_ERR_OUT_OF_PTPAGES, -1000);
	EXPECT_EQ(MON_ERR_AUTH, -1001);
	EXPECT_EQ(MON_ERR_OUT_OF_MEMORY, -1002);
	EXPECT_EQ(MON_ERR_BUSY, -1003);
	EXPECT_LT(MON_ERR_FAULT, -1003);
}

TEST(types, addresses_round_trip_through_their_opaque_types)
{
	EXPECT_EQ(pa_addr(pa_init(UINT64_C(0x80200000))), UINT64_C(0x80200000));
	EXPECT_EQ(gpa_addr(gpa_init(UINT64_MAX)), UINT64_MAX);
	EXPECT_EQ(sizeof(paddr_t), 8);
	EXPECT_EQ(sizeof(gpa_t), 8);
}

TEST(hal, pmp_cfg_encodings_match_the_privileged_spec)
{
	/* Privileged spec, "PMP configuration register format". */
	EXPECT_EQ(HAL_PMP_R, 1);
	EXPECT_EQ(HAL_PMP_W, 2);
	EXPECT_EQ(HAL_PMP_X, 4);
	EXPECT_EQ(HAL_PMP_A_TOR, 1u << 3);
	EXPECT_EQ(HAL_PMP_A_NA4, 2u << 3);
	EXPECT_EQ(HAL_PMP_A_NAPOT, 3u << 3);
	EXPECT_EQ(HAL_PMP_L, 0x80);
}
