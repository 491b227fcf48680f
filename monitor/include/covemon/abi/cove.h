/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CoVE wire constants, rev 0.7 numbering (CoVE spec sbi_cove.adoc;
 * covemon's decisions in reference/cove-abi.md).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* a6 for CoVE: FID in bits 15:0, reserved 25:16, SDID 31:26 ("CoVE FID namespaces"). */
#define COVE_FID_MASK	       UINT64_C(0xFFFF)
#define COVE_FID_RESERVED_MASK (UINT64_C(0x3FF) << 16)
#define COVE_FID_SDID_SHIFT    26
#define COVE_FID_SDID_MASK     (UINT64_C(0x3F) << COVE_FID_SDID_SHIFT)

/* COVH: host -> TSM */
#define COVH_GET_TSM_INFO	      0
#define COVH_CONVERT_PAGES	      1
#define COVH_RECLAIM_PAGES	      2
#define COVH_GLOBAL_FENCE	      3
#define COVH_LOCAL_FENCE	      4
#define COVH_CREATE_TVM		      5
#define COVH_FINALIZE_TVM	      6
#define COVH_PROMOTE_TO_TVM	      7
#define COVH_DESTROY_TVM	      8
#define COVH_ADD_TVM_MEMORY_REGION    9
#define COVH_ADD_TVM_PAGE_TABLE_PAGES 10
#define COVH_ADD_TVM_MEASURED_PAGES   11
#define COVH_ADD_TVM_ZERO_PAGES	      12
#define COVH_ADD_TVM_SHARED_PAGES     13
#define COVH_CREATE_TVM_VCPU	      14
#define COVH_RUN_TVM_VCPU	      15
#define COVH_TVM_FENCE		      16
#define COVH_TVM_INVALIDATE_PAGES     17
#define COVH_TVM_VALIDATE_PAGES	      18
#define COVH_TVM_REMOVE_PAGES	      19

/* COVG: TVM -> TSM */
#define COVG_ADD_MMIO_REGION	      0
#define COVG_REMOVE_MMIO_REGION	      1
#define COVG_SHARE_MEMORY_REGION      2
#define COVG_UNSHARE_MEMORY_REGION    3
#define COVG_ALLOW_EXTERNAL_INTERRUPT 4
#define COVG_DENY_EXTERNAL_INTERRUPT  5
#define COVG_GET_ATTCAPS	      6
#define COVG_EXTEND_MEASUREMENT	      7
#define COVG_GET_EVIDENCE	      8
#define COVG_RETRIEVE_SECRET	      9
#define COVG_READ_MEASUREMENT	      10

/* CoVE errors without spec numbers: covemon's values (cove-abi.md section 1). */
#define COVE_ERR_OUT_OF_PTPAGES (-1000)
#define COVE_ERR_AUTH		(-1001)
#define COVE_ERR_OUT_OF_MEMORY	(-1002)
#define COVE_ERR_BUSY		(-1003)

/* tsm_info ("Function: COVE Host Get TSM Info") */
#define COVE_TSM_NOT_LOADED		0
#define COVE_TSM_LOADED			1
#define COVE_TSM_READY			2
#define COVE_TSM_CAP_PROMOTE_TVM	(UINT64_C(1) << 0)
#define COVE_TSM_CAP_ATTESTATION_LOCAL	(UINT64_C(1) << 1)
#define COVE_TSM_CAP_ATTESTATION_REMOTE (UINT64_C(1) << 2)
#define COVE_TSM_CAP_AIA		(UINT64_C(1) << 3)
#define COVE_TSM_CAP_MRIF		(UINT64_C(1) << 4)
#define COVE_TSM_CAP_MEMORY_ALLOCATION	(UINT64_C(1) << 5)
/* Implementation ids 1 (Salus) and 2 (ACE) are taken; covemon is "CMON". */
#define COVE_TSM_IMPL_COVEMON UINT32_C(0x434D4F4E)

struct cove_tsm_info {
	uint32_t tsm_state;
	uint32_t tsm_impl_id;
	uint32_t tsm_version;
	uint32_t reserved;
	uint64_t tsm_capabilities;
	uint64_t tvm_state_pages;
	uint64_t tvm_max_vcpus;
	uint64_t tvm_vcpu_state_pages;
};
/* 48 bytes, natural alignment (cove-abi.md section 3, struct tsm_info). */
_Static_assert(sizeof(struct cove_tsm_info) == 48, "tsm_info is 48 bytes");
_Static_assert(offsetof(struct cove_tsm_info, tsm_capabilities) == 16, "caps at 16");
_Static_assert(offsetof(struct cove_tsm_info, tvm_state_pages) == 24, "state pages at 24");
_Static_assert(offsetof(struct cove_tsm_info, tvm_max_vcpus) == 32, "max vcpus at 32");
_Static_assert(offsetof(struct cove_tsm_info, tvm_vcpu_state_pages) == 40, "vcpu pages at 40");

/* Page types of add_tvm_*_pages: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
#define COVE_PAGE_4K   0
#define COVE_PAGE_2M   1
#define COVE_PAGE_1G   2
#define COVE_PAGE_512G 3

/* TVM states */
#define COVE_TVM_INITIALIZING 0
#define COVE_TVM_RUNNABLE     1

/* run_tvm_vcpu exit cause in the host's scause: bit 63 set for interrupts. */
#define COVE_EXIT_INTERRUPT (UINT64_C(1) << 63)

/* get_attcaps ("Function: COVE Guest Get Attestation Capabilities"). */
#define COVE_HASH_SHA384	       0u
#define COVE_MEASUREMENT_INITIAL       0u
#define COVE_MEASUREMENT_RUNTIME       1u
#define COVE_UNMAPPED_TCG_PCR	       0xFFu
#define COVE_MAX_MEASUREMENT_REGISTERS 26u

struct cove_msmt_reg_desc {
	uint32_t hash_algorithm;
	uint32_t measurement_type;
	uint8_t tcg_pcr_index;
	uint8_t reserved[3];
};

struct cove_attcaps {
	uint64_t tcb_svn;
	uint32_t hash_algorithm;
	uint32_t certificate_formats;
	uint8_t initial_measurements;
	uint8_t runtime_measurements;
	uint8_t reserved[2];
	struct cove_msmt_reg_desc msmt_regs[COVE_MAX_MEASUREMENT_REGISTERS];
};
/* Natural C layout of the spec's struct (enums are uint32_t). */
_Static_assert(sizeof(struct cove_msmt_reg_desc) == 12, "descriptor is 12 bytes");
_Static_assert(offsetof(struct cove_attcaps, msmt_regs) == 20, "registers at 20");
_Static_assert(sizeof(struct cove_attcaps) == 336, "attcaps is 336 bytes");
