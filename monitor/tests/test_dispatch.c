// SPDX-License-Identifier: BSD-2-Clause
/* The dispatcher and the Base extension, called by the host through ecall. */
#include "../src/core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "fixture.h"
#include "vm_image.h"

TEST(dispatch, unknown_extension_is_not_supported)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, 0x12345678, 0, 0, 0, 0);
	EXPECT_TRUE(r.reached_monitor);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(r.value, 0);
	fixture_fini(&f);
}

TEST(dispatch, eid_with_bits_above_31_matches_nothing)
{
	struct fixture f;

	fixture_init(&f, 1);
	/* would be Base if a7 were silently narrowed to 32 bits */
	struct shim_sbiret r =
		host_call(&f, 0, UINT64_C(0x100000010), SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, fid_that_is_not_a_sign_extended_32_bit_value_is_rejected)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_BASE, UINT64_C(0x100000000), 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	r = host_call(&f, 0, SBI_EXT_BASE, UINT64_C(0x00000000FFFFFFFF), 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, sign_extended_negative_fid_is_decoded_and_unknown)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_BASE, UINT64_MAX, 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, cove_call_with_nonzero_sdid_is_not_supported)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_COVH,
					 (UINT64_C(1) << COVE_FID_SDID_SHIFT) | COVH_GET_TSM_INFO,
					 host_page(&f, 0), 48, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, cove_call_with_reserved_fid_bits_is_not_supported)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r =
		host_call(&f, 0, SBI_EXT_COVH, (UINT64_C(1) << 16) | COVH_GET_TSM_INFO,
			  host_page(&f, 0), 48, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, negative_sign_extended_fid_never_reaches_cove)
{
	struct fixture f;

	fixture_init(&f, 1);
	/* -65536 sign-extended: low 16 bits are 0 (get_tsm_info), SDID bits set */
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_COVH, (uint64_t)(int64_t)INT32_C(-65536),
					 host_page(&f, 0), 48, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, unknown_covh_functions_near_the_table_ends_are_not_supported)
{
	struct fixture f;
	static const uint64_t fids[] = { 20, 21, 1023, 1024, 0xFFFF };

	fixture_init(&f, 1);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		EXPECT_EQ(host_call(&f, 0, SBI_EXT_COVH, fids[i], 0, 0, 0).error,
			  SBI_ERR_NOT_SUPPORTED);
	}
	fixture_fini(&f);
}

TEST(dispatch, host_may_not_call_the_guest_extension)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_COVG, COVG_GET_ATTCAPS, 0, 0, 0).error,
		  SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, experimental_and_vendor_eids_are_not_supported)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_EXPERIMENTAL_FIRST, 0, 0, 0, 0).error,
		  SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_VENDOR_LAST, 0, 0, 0, 0).error, SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}

TEST(dispatch, call_returns_after_the_ecall_with_other_registers_preserved)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_hart *h = &f.w->hart[0];
	uint64_t pc = h->pc;
	for (unsigned int r = 1; r < 32; r++) {
		shim_hart_set_x(h, r, 0x1000 + r);
	}
	(void)host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0);
	EXPECT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(h->pc, pc + 4);
	for (unsigned int r = 1; r < 32; r++) {
		if (r == 10 || r == 11) {
			continue;
		}
		/* a2..a7 were set by host_call; everything else must be untouched */
		if (r >= 12 && r <= 17) {
			continue;
		}
		EXPECT_EQ(h->x[r], 0x1000 + r);
	}
	fixture_fini(&f);
}

TEST(dispatch, internal_errors_are_clamped_to_failed)
{
	EXPECT_EQ(dispatch_err_to_sbi(MON_ERR_FAULT), SBI_ERR_FAILED);
	EXPECT_EQ(dispatch_err_to_sbi((mon_err_t)-999), SBI_ERR_FAILED);
	EXPECT_EQ(dispatch_err_to_sbi((mon_err_t)5), SBI_ERR_FAILED);
	EXPECT_EQ(dispatch_err_to_sbi(MON_ERR_AUTH), COVE_ERR_AUTH);
	EXPECT_EQ(dispatch_err_to_sbi(MON_ERR_DENIED_LOCKED), SBI_ERR_DENIED_LOCKED);
}

TEST(dispatch, exception_from_host_u_mode_is_reflected_to_the_host_kernel)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_hart *h = &f.w->hart[0];
	h->csr.stvec = 0x80300000;
	h->mode = SHIM_MODE_U;
	h->pc = 0x80310000;
	ASSERT_EQ(shim_world_ecall(f.w, 0), SHIM_MODE_M);
	(void)shim_mon_deliver(f.w, f.mon, 0);
	EXPECT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(h->pc, 0x80300000);
	EXPECT_EQ(h->csr.scause, SHIM_CAUSE_ECALL_U);
	EXPECT_EQ(h->csr.sepc, 0x80310000);
	EXPECT_FALSE(h->csr.mstatus & SHIM_MSTATUS_SPP);
	fixture_fini(&f);
}

TEST(base, get_spec_version_reports_2_0)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, UINT64_C(2) << 24);
	fixture_fini(&f);
}

TEST(base, get_impl_id_and_version_identify_covemon)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0).value,
		  COVE_TSM_IMPL_COVEMON);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0).value,
		  MON_TSM_VERSION);
	fixture_fini(&f);
}

TEST(base, probe_answers_from_the_dispatch_table_for_the_host)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_BASE, 0, 0).value,
		1);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_NACL, 0, 0).value,
		1);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_COVH, 0, 0).value,
		1);
	/* the guest extension is not the host's */
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_COVG, 0, 0).value,
		0);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, 0xdead, 0, 0).value, 0);
	fixture_fini(&f);
}

TEST(base, probe_includes_the_platform_runtimes_extensions_for_the_host_only)
{
	struct fixture f;
	struct shim_mon_config mc;
	struct vm_image vm;

	shim_mon_config_default(&mc);
	mc.host_sbi_ext[0] = SBI_EXT_TIME;
	mc.host_sbi_ext[1] = SBI_EXT_HSM;
	mc.host_sbi_ext_count = 2;
	fixture_init_with(&f, 1, &mc);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_TIME, 0, 0).value,
		1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_HSM, 0, 0).value,
		  1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_IPI, 0, 0).value,
		  0);
	/* A TVM's extensions are the monitor's alone: the host runtime's TIME is not its. */
	vm_build(&f, 1, 16, &vm);
	struct shim_sbiret r =
		host_call(&f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	(void)host_call(&f, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, r.value, 0, 0);
	ASSERT_EQ(f.w->hart[0].mode, SHIM_MODE_VS);
	uint64_t args[6] = { SBI_EXT_TIME, 0, 0, 0, 0, 0 };
	r = shim_mon_ecall(f.w, f.mon, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, args);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 0);
	args[0] = SBI_EXT_HSM;
	r = shim_mon_ecall(f.w, f.mon, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, args);
	EXPECT_EQ(r.value, 1); /* the TVM's own HSM, from the monitor */
	fixture_fini(&f);
}

TEST(base, probe_agrees_with_what_is_callable)
{
	struct fixture f;
	static const uint64_t eids[] = { SBI_EXT_BASE, SBI_EXT_NACL, SBI_EXT_COVH, SBI_EXT_COVG,
					 SBI_EXT_COVI, SBI_EXT_HSM,  SBI_EXT_DBCN, 0x4d4f4e21 };

	fixture_init(&f, 1);
	for (size_t i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		uint64_t probed =
			host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eids[i], 0, 0)
				.value;
		/* FID 0 exists in every extension the host may call */
		int64_t err = host_call(&f, 0, eids[i], 0, host_page(&f, 0), 48, 0).error;
		EXPECT_EQ(probed, err != SBI_ERR_NOT_SUPPORTED);
	}
	fixture_fini(&f);
}

TEST(base, machine_ids_come_from_the_platform)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0, 0, 0).error, 0);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0, 0, 0).value,
		  f.plat.marchid);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0, 0, 0).value,
		  f.plat.mimpid);
	fixture_fini(&f);
}

TEST(base, unknown_function_is_not_supported_with_a1_zero)
{
	struct fixture f;

	fixture_init(&f, 1);
	struct shim_sbiret r = host_call(&f, 0, SBI_EXT_BASE, 7, 0, 0, 0);
	EXPECT_EQ(r.error, SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(r.value, 0);
	fixture_fini(&f);
}

TEST(nacl, probe_feature_succeeds_and_offers_no_optional_feature)
{
	struct fixture f;

	fixture_init(&f, 1);
	for (uint64_t feat = 0; feat < 5; feat++) {
		struct shim_sbiret r =
			host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_PROBE_FEATURE, feat, 0, 0);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 0);
	}
	fixture_fini(&f);
}

TEST(nacl, set_shmem_enables_the_area_on_the_calling_hart_only)
{
	struct fixture f;
	uint64_t pa = 0;

	fixture_init(&f, 2);
	EXPECT_EQ(host_call(&f, 1, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, host_page(&f, 4), 0, 0).error,
		  SBI_SUCCESS);
	ASSERT_TRUE(mon_introspect_nacl(f.mon, 1, &pa));
	EXPECT_EQ(pa, host_page(&f, 4));
	EXPECT_FALSE(mon_introspect_nacl(f.mon, 0, &pa));
	fixture_fini(&f);
}

TEST(nacl, set_shmem_all_ones_disables_it)
{
	struct fixture f;
	uint64_t pa = 0;

	fixture_init(&f, 1);
	ASSERT_EQ(host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, host_page(&f, 4), 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_EQ(
		host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, UINT64_MAX, UINT64_MAX, 0).error,
		SBI_SUCCESS);
	EXPECT_FALSE(mon_introspect_nacl(f.mon, 0, &pa));
	fixture_fini(&f);
}

/* Calls set_shmem and checks both the error and that the monitor state did not change. */
static void expect_set_shmem_rejected(struct fixture *f, uint64_t lo, uint64_t hi, uint64_t flags,
				      int64_t want)
{
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	state_hash(f, before);
	EXPECT_EQ(host_call(f, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, lo, hi, flags).error, want);
	state_hash(f, after);
	EXPECT_MEM_EQ(after, before, sizeof(before));
}

TEST(nacl, set_shmem_rejects_nonzero_flags)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_set_shmem_rejected(&f, host_page(&f, 4), 0, 1, SBI_ERR_INVALID_PARAM);
	fixture_fini(&f);
}

TEST(nacl, set_shmem_rejects_an_unaligned_address)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_set_shmem_rejected(&f, host_page(&f, 4) + 8, 0, 0, SBI_ERR_INVALID_PARAM);
	fixture_fini(&f);
}

TEST(nacl, set_shmem_rejects_upper_address_bits)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_set_shmem_rejected(&f, host_page(&f, 4), 1, 0, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(nacl, set_shmem_rejects_monitor_and_confidential_memory)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_set_shmem_rejected(&f, f.plat.image.base, 0, 0, SBI_ERR_INVALID_ADDRESS);
	expect_set_shmem_rejected(&f, f.plat.data.base, 0, 0, SBI_ERR_INVALID_ADDRESS);
	expect_set_shmem_rejected(&f, f.conf.base, 0, 0, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(nacl, set_shmem_rejects_an_area_straddling_into_confidential_memory)
{
	struct fixture f;

	fixture_init(&f, 1);
	/* 12 KiB starting 8 KiB below confidential memory */
	expect_set_shmem_rejected(&f, f.conf.base - 8192, 0, 0, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(nacl, set_shmem_rejects_mmio_beyond_dram_and_wrapping_addresses)
{
	struct fixture f;

	fixture_init(&f, 1);
	expect_set_shmem_rejected(&f, 0x10000000, 0, 0, SBI_ERR_INVALID_ADDRESS);
	expect_set_shmem_rejected(&f, SHIM_DRAM_BASE + (UINT64_C(64) << 20), 0, 0,
				  SBI_ERR_INVALID_ADDRESS);
	expect_set_shmem_rejected(&f, UINT64_MAX - 4095, 0, 0, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(nacl, rejected_set_shmem_keeps_the_previous_area)
{
	struct fixture f;
	uint64_t pa = 0;

	fixture_init(&f, 1);
	ASSERT_EQ(host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, host_page(&f, 4), 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, f.conf.base, 0, 0).error,
		  SBI_ERR_INVALID_ADDRESS);
	ASSERT_TRUE(mon_introspect_nacl(f.mon, 0, &pa));
	EXPECT_EQ(pa, host_page(&f, 4));
	fixture_fini(&f);
}

TEST(nacl, unknown_function_is_not_supported)
{
	struct fixture f;

	fixture_init(&f, 1);
	EXPECT_EQ(host_call(&f, 0, SBI_EXT_NACL, SBI_NACL_SYNC_CSR, 0, 0, 0).error,
		  SBI_ERR_NOT_SUPPORTED);
	fixture_fini(&f);
}
