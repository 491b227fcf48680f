/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI calls from S-mode (SBI spec, "Binary Encoding"). The EIDs, FIDs and
 * error codes are the shared ones of covemon/abi/sbi.h.
 */
#pragma once

#include <stdint.h>

#include "covemon/abi/sbi.h"

/* What every v0.2+ SBI function returns: a0 = error, a1 = value. */
struct sbiret {
	long error;
	unsigned long value;
};

/* hart_mask_base that means "every available hart, ignore hart_mask". */
#define SBI_HART_MASK_BASE_ALL (~0UL)

/**
 * Calls SBI function @fid of extension @eid with @arg0..@arg5 in a0..a5.
 * Returns a0 and a1 as they came back (a1 is meaningful only on success,
 * unless the function defines otherwise).
 */
struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2, unsigned long arg3,
			unsigned long arg4, unsigned long arg5);

/**
 * Calls legacy extension @eid (0x00..0x0F) with @arg0 in a0 (SBI spec,
 * "Legacy Extensions": a6 is ignored, only a0 comes back). Returns a0.
 */
long sbi_legacy_ecall(unsigned long eid, unsigned long arg0);

/**
 * Base.probe_extension(@eid). Returns the call's result: value 0 means not
 * available, any other value available.
 */
struct sbiret sbi_probe_extension(unsigned long eid);

/** TIME.set_timer(@stime_value), an absolute time. Returns the SBI result. */
struct sbiret sbi_set_timer(uint64_t stime_value);

/** IPI.send_ipi(@hart_mask, @hart_mask_base). Returns the SBI result. */
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);

/**
 * HSM.hart_start: starts @hartid in S-mode at @start_addr with a0 = @hartid
 * and a1 = @opaque. Returns the SBI result.
 */
struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque);

/** HSM.hart_stop of the calling hart. Returns only on failure, with the SBI result. */
struct sbiret sbi_hart_stop(void);

/** HSM.hart_get_status(@hartid). Returns the SBI result; value is an SBI_HSM_STATE_*. */
struct sbiret sbi_hart_get_status(unsigned long hartid);

/** HSM.hart_suspend(@type, @resume_addr, @opaque). Returns the SBI result. */
struct sbiret sbi_hart_suspend(uint32_t type, unsigned long resume_addr, unsigned long opaque);

/** SRST.system_reset(@type, @reason). Returns only on failure, with the SBI result. */
struct sbiret sbi_system_reset(uint32_t type, uint32_t reason);

/** DBCN.console_write_byte(@byte). Returns the SBI result. */
struct sbiret sbi_dbcn_write_byte(uint8_t byte);

/** Legacy console_putchar (EID 0x01). Returns a0: 0 on success, negative on error. */
long sbi_legacy_putchar(int ch);
