/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The initial measurement registers of the TVM a manifest describes,
 * computed from the rules of covemon/abi/measure.h with OpenSSL's SHA-384
 * (independently of the monitor's code, so that comparing the two is a
 * differential check).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "manifest.h"
#include "util.h"

#define PREDICT_DIGEST_SIZE 48u

/** The boot CSRs as the monitor keeps them (abi/measure.h, MR1). */
struct predict_csrs {
	uint64_t vsatp;
	uint64_t vsstatus;
	uint64_t vstvec;
};

/** Applies the monitor's sanitising rules to the CSRs @m gives. */
void predict_csrs(const struct manifest *m, struct predict_csrs *out);

/**
 * MR0 (every mapped page, ascending GPA: LE64 gpa, LE64 perm, 4096 bytes;
 * the TAP window is zero) and MR1 (tag, entry, FDT GPA, vCPU count,
 * x1..x31, sanitised CSRs, identity) of @m. False with a message in @why
 * only when OpenSSL fails.
 */
__attribute__((warn_unused_result)) bool predict_registers(const struct manifest *m,
							   uint8_t mr0[PREDICT_DIGEST_SIZE],
							   uint8_t mr1[PREDICT_DIGEST_SIZE],
							   struct util_why *why);
