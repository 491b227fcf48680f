/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI wire constants (SBI spec: "Binary Encoding" and the extension
 * chapters). Shared by the monitor, the firmware's SBI runtime, the test
 * payloads and the attack scenarios; freestanding, no monitor types.
 */
#pragma once

#include <stdint.h>

/* Calling convention: a7 = EID, a6 = FID, a0..a5 arguments; a0 = error, a1 = value. */

/* Extension IDs */
#define SBI_EXT_BASE		   UINT32_C(0x10)
#define SBI_EXT_TIME		   UINT32_C(0x54494D45) /* "TIME" */
#define SBI_EXT_IPI		   UINT32_C(0x735049)	/* "sPI" */
#define SBI_EXT_RFENCE		   UINT32_C(0x52464E43) /* "RFNC" */
#define SBI_EXT_HSM		   UINT32_C(0x48534D)	/* "HSM" */
#define SBI_EXT_SRST		   UINT32_C(0x53525354) /* "SRST" */
#define SBI_EXT_DBCN		   UINT32_C(0x4442434E) /* "DBCN" */
#define SBI_EXT_NACL		   UINT32_C(0x4E41434C) /* "NACL" */
#define SBI_EXT_COVH		   UINT32_C(0x434F5648) /* "COVH" */
#define SBI_EXT_COVG		   UINT32_C(0x434F5647) /* "COVG" */
#define SBI_EXT_COVI		   UINT32_C(0x434F5649) /* "COVI" */
#define SBI_EXT_LEGACY_SET_TIMER   UINT32_C(0x00)
#define SBI_EXT_LEGACY_PUTCHAR	   UINT32_C(0x01)
#define SBI_EXT_LEGACY_GETCHAR	   UINT32_C(0x02)
#define SBI_EXT_EXPERIMENTAL_FIRST UINT32_C(0x08000000)
#define SBI_EXT_EXPERIMENTAL_LAST  UINT32_C(0x08FFFFFF)
#define SBI_EXT_VENDOR_FIRST	   UINT32_C(0x09000000)
#define SBI_EXT_VENDOR_LAST	   UINT32_C(0x09FFFFFF)

/* Standard SBI errors */
#define SBI_SUCCESS		  0
#define SBI_ERR_FAILED		  (-1)
#define SBI_ERR_NOT_SUPPORTED	  (-2)
#define SBI_ERR_INVALID_PARAM	  (-3)
#define SBI_ERR_DENIED		  (-4)
#define SBI_ERR_INVALID_ADDRESS	  (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED	  (-7)
#define SBI_ERR_ALREADY_STOPPED	  (-8)
#define SBI_ERR_NO_SHMEM	  (-9)
#define SBI_ERR_INVALID_STATE	  (-10)
#define SBI_ERR_BAD_RANGE	  (-11)
#define SBI_ERR_TIMEOUT		  (-12)
#define SBI_ERR_IO		  (-13)
#define SBI_ERR_DENIED_LOCKED	  (-14)

/* Base extension FIDs */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID	  1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION  3
#define SBI_BASE_GET_MVENDORID	  4
#define SBI_BASE_GET_MARCHID	  5
#define SBI_BASE_GET_MIMPID	  6

/* SBI spec version reported by Base.get_spec_version: 2.0 (major << 24 | minor). */
#define SBI_SPEC_VERSION ((UINT32_C(2) << 24) | 0)

/* HSM */
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_STOP		1
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_HSM_HART_SUSPEND		3
#define SBI_HSM_STATE_STARTED		0
#define SBI_HSM_STATE_STOPPED		1
#define SBI_HSM_STATE_START_PENDING	2
#define SBI_HSM_STATE_STOP_PENDING	3
#define SBI_HSM_STATE_SUSPENDED		4
#define SBI_HSM_STATE_SUSPEND_PENDING	5
#define SBI_HSM_STATE_RESUME_PENDING	6
#define SBI_HSM_SUSPEND_RET_DEFAULT	UINT32_C(0x00000000)
#define SBI_HSM_SUSPEND_NON_RET_DEFAULT UINT32_C(0x80000000)

/* IPI, TIME, RFENCE */
#define SBI_IPI_SEND_IPI		   0
#define SBI_TIME_SET_TIMER		   0
#define SBI_RFENCE_REMOTE_FENCE_I	   0
#define SBI_RFENCE_REMOTE_SFENCE_VMA	   1
#define SBI_RFENCE_REMOTE_SFENCE_VMA_ASID  2
#define SBI_RFENCE_REMOTE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_REMOTE_HFENCE_GVMA	   4
#define SBI_RFENCE_REMOTE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_REMOTE_HFENCE_VVMA	   6

/* SRST */
#define SBI_SRST_SYSTEM_RESET	       0
#define SBI_SRST_TYPE_SHUTDOWN	       0
#define SBI_SRST_TYPE_COLD_REBOOT      1
#define SBI_SRST_TYPE_WARM_REBOOT      2
#define SBI_SRST_REASON_NONE	       0
#define SBI_SRST_REASON_SYSTEM_FAILURE 1

/* DBCN */
#define SBI_DBCN_CONSOLE_WRITE	    0
#define SBI_DBCN_CONSOLE_READ	    1
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2
