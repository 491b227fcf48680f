/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one error type of the monitor. Values equal the SBI error codes (SBI
 * spec, "Binary Encoding", standard SBI errors) so a handler result can be
 * written to a0 unchanged. CoVE names four errors without numbers; covemon's
 * implementation-defined values are below (reference/cove-abi.md section 1).
 * Internal codes are <= -1100 and never reach a register: the dispatcher maps
 * them (mon_err_to_sbi, in the dispatch module) and clamps anything unknown
 * to MON_ERR_FAILED.
 */
#pragma once

typedef enum {
	MON_OK = 0,
	MON_ERR_FAILED = -1,
	MON_ERR_NOT_SUPPORTED = -2,
	MON_ERR_INVALID_PARAM = -3,
	MON_ERR_DENIED = -4,
	MON_ERR_INVALID_ADDRESS = -5,
	MON_ERR_ALREADY_AVAILABLE = -6,
	MON_ERR_ALREADY_STARTED = -7,
	MON_ERR_ALREADY_STOPPED = -8,
	MON_ERR_NO_SHMEM = -9,
	MON_ERR_INVALID_STATE = -10,
	MON_ERR_BAD_RANGE = -11,
	MON_ERR_TIMEOUT = -12,
	MON_ERR_IO = -13,
	MON_ERR_DENIED_LOCKED = -14,

	/* CoVE errors, implementation-defined values (cove-abi.md section 1). */
	MON_ERR_OUT_OF_PTPAGES = -1000,
	MON_ERR_AUTH = -1001,
	MON_ERR_OUT_OF_MEMORY = -1002,
	MON_ERR_BUSY = -1003,

	/* Internal: never returned to a caller as such. */
	MON_ERR_FAULT = -1100, /* an access to untrusted memory faulted */
} mon_err_t;

#define MON_WUR __attribute__((warn_unused_result))
