/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Platform keys on the sealer's side (covemon/abi/tap.h, "Platform keys"),
 * derived with OpenSSL's HKDF-SHA384 so that they are computed
 * independently of the monitor's own HKDF (covemon/tap.h), and the root
 * secret files they come from: exactly 32 raw bytes.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "covemon/abi/tap.h"
#include "util.h"

#define KEYS_ROOT_SIZE	  32u
#define KEYS_LOCKBOX_SIZE 32u

/** A platform's sealing keys, as the sealer derives them. */
struct keys_platform {
	uint8_t lockbox_key[KEYS_LOCKBOX_SIZE];
	uint8_t key_id[COVE_TAP_KEY_ID_SIZE];
};

/**
 * Derives @out from the 32-byte root secret @root with OpenSSL:
 * HKDF-SHA384(salt "covemon-tap-v1", IKM @root), expanded with the lockbox
 * key and key id infos. False with a message in @why (and *@out zeroed)
 * when OpenSSL fails.
 */
__attribute__((warn_unused_result)) bool
keys_derive(const uint8_t root[KEYS_ROOT_SIZE], struct keys_platform *out, struct util_why *why);

/**
 * Reads the root secret file @path into @root: it must hold exactly 32
 * bytes, not all zero (a platform whose root is zero has no attestation
 * key: the monitor would open nothing). False with a message naming @path.
 */
__attribute__((warn_unused_result)) bool
keys_read_root(const char *path, uint8_t root[KEYS_ROOT_SIZE], struct util_why *why);
