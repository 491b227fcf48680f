/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read-only views of the monitor's state for tests, fuzz oracles and attack
 * scenarios. Nothing here changes state; the firmware links it too (it is
 * small) but only host programs call it.
 */
#pragma once

#include "covemon/mon.h"
#include "covemon/sha384.h"

/** The confidential memory region mon_boot carved. */
struct mon_region mon_introspect_confidential(const struct mon *mon);

/** The monitor image and data regions as the monitor uses them. */
struct mon_region mon_introspect_image(const struct mon *mon);
struct mon_region mon_introspect_data(const struct mon *mon);

/**
 * The NACL shared memory of @hart: true and its address when enabled.
 * False for a disabled area or a hart out of range.
 */
bool mon_introspect_nacl(const struct mon *mon, hart_t hart, uint64_t *pa);

/**
 * A digest of every byte of monitor state (the instance and, as they are
 * added, page records, TVMs and vCPUs): equal digests before and after a
 * call mean the call changed nothing (DESIGN.md invariant I7).
 */
void mon_introspect_state_hash(const struct mon *mon, uint8_t out[SHA384_DIGEST_SIZE]);
