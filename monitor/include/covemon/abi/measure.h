/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How covemon measures a TVM at promote_to_tvm, so that a host tool can
 * predict the registers exactly (SHA-384 everywhere; integers little endian).
 *
 * MR0 (image):  SHA-384 over every mapped 4 KiB page in ascending GPA order,
 *               each contributing LE64(gpa) || LE64(perm) || 4096 bytes, where
 *               perm = the R/W/X bits (1, 2, 4) of the host's leaf PTE.
 * MR1 (config): SHA-384 over "covemon-mr1-v1" (14 bytes, no NUL) ||
 *               LE64(entry_sepc) || LE64(fdt_gpa) || LE64(vcpu_count) ||
 *               LE64(x1) .. LE64(x31) of the boot vCPU as reflected in NACL ||
 *               LE64(vsatp) || LE64(vsstatus) || LE64(vstvec) (after the TSM
 *               sanitised them) || 64 identity bytes (zero when none).
 * MR2..MR5 (runtime): start zero; COVG extend_measurement sets
 *               MRi = SHA-384(MRi || data).
 */
#pragma once

#define COVE_MEASURE_IMAGE	   0
#define COVE_MEASURE_CONFIG	   1
#define COVE_MEASURE_RUNTIME_FIRST 2
#define COVE_MEASURE_COUNT	   6
#define COVE_MEASURE_MR1_TAG	   "covemon-mr1-v1"
