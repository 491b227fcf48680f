/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How covemon measures a TVM at promote_to_tvm, so that a host tool can
 * predict the registers exactly (SHA-384 everywhere; integers little endian).
 *
 * MR0 (image):  SHA-384 over every mapped 4 KiB page in ascending GPA order
 *               (a superpage counts as its 4 KiB pages), each contributing
 *               LE64(gpa) || LE64(perm) || 4096 bytes, where perm = the host
 *               leaf PTE's R, W, X bits in place (R 0x2, W 0x4, X 0x8). The
 *               bytes of a TAP (abi/tap.h) count as zero.
 * MR1 (config): SHA-384 over "covemon-mr1-v1" (14 bytes, no NUL) ||
 *               LE64(entry_sepc) || LE64(fdt_gpa) || LE64(vcpu_count) ||
 *               LE64(x1) .. LE64(x31) of the boot vCPU as reflected in NACL ||
 *               LE64(vsatp) || LE64(vsstatus) || LE64(vstvec) || 64 identity
 *               bytes (zero when none). vCPU count = cpu nodes under /cpus of
 *               the FDT. The CSRs as the TSM sanitised them: vsatp becomes 0
 *               unless its MODE (bits 63:60) is 0, 8, 9 or 10; vsstatus keeps
 *               only COVE_MEASURE_VSSTATUS_MASK (SIE SPIE UBE SPP SUM MXR
 *               UXL); vstvec loses bit 1 (a reserved mode).
 * MR2..MR5 (runtime): start zero; COVG extend_measurement sets
 *               MRi = SHA-384(MRi || data).
 */
#pragma once

#include <stdint.h>

#define COVE_MEASURE_IMAGE	   0
#define COVE_MEASURE_CONFIG	   1
#define COVE_MEASURE_RUNTIME_FIRST 2
#define COVE_MEASURE_COUNT	   6
#define COVE_MEASURE_MR1_TAG	   "covemon-mr1-v1"
#define COVE_MEASURE_VSSTATUS_MASK UINT64_C(0x3000c0162)
