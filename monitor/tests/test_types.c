// SPDX-License-Identifier: BSD-2-Clause
/* The error enum equals the SBI codes; address types round-trip. */
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
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

TEST(abi, error_constants_agree_with_mon_err)
{
	EXPECT_EQ(SBI_ERR_DENIED_LOCKED, MON_ERR_DENIED_LOCKED);
	EXPECT_EQ(SBI_ERR_INVALID_ADDRESS, MON_ERR_INVALID_ADDRESS);
	EXPECT_EQ(COVE_ERR_AUTH, MON_ERR_AUTH);
	EXPECT_EQ(COVE_ERR_OUT_OF_PTPAGES, MON_ERR_OUT_OF_PTPAGES);
	EXPECT_EQ(COVE_ERR_OUT_OF_MEMORY, MON_ERR_OUT_OF_MEMORY);
	EXPECT_EQ(COVE_ERR_BUSY, MON_ERR_BUSY);
}

TEST(abi, nacl_csr_slot_formula_matches_the_documented_offsets)
{
	/* reference/cove-abi.md section 5: slot = 0x1000 + 8 * ({csr[11:10], csr[7:0]}) */
	EXPECT_EQ(nacl_csr_offset(NACL_CSR_HGATP), 0x1000 + 8 * 0x180);
	EXPECT_EQ(nacl_csr_offset(NACL_CSR_HTVAL), 0x1000 + 8 * 0x143);
	EXPECT_EQ(nacl_csr_offset(NACL_CSR_VSSTATUS), 0x1000 + 8 * 0x000);
	EXPECT_EQ(nacl_csr_offset(NACL_CSR_VSATP), 0x1000 + 8 * 0x080);
	/* every slot lies inside the 12 KiB area */
	EXPECT_LT(nacl_csr_offset(0xFFF) + 8, NACL_SHMEM_SIZE + 1);
}

TEST(abi, cove_fid_fields_partition_a6)
{
	EXPECT_EQ(COVE_FID_MASK & COVE_FID_RESERVED_MASK, 0);
	EXPECT_EQ(COVE_FID_RESERVED_MASK & COVE_FID_SDID_MASK, 0);
	EXPECT_EQ(COVE_FID_MASK | COVE_FID_RESERVED_MASK | COVE_FID_SDID_MASK,
		  UINT64_C(0xFFFFFFFF));
}
