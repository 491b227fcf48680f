/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builds TAPs (covemon/abi/tap.h) for tests and fuzz seeds, with the
 * monitor's own crypto and deterministic IVs. The sealer users run is
 * covemon-tap (OpenSSL); this one exists to plant defects on purpose.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "covemon/abi/tap.h"
#include "covemon/tap.h"

struct tap_secret {
	uint64_t name;
	const void *value;
	uint16_t len;
};

/** An AES-256-GCM seal with aes_gcm_encrypt's contract (covemon/aes_gcm.h). */
typedef void tap_aead_fn(const uint8_t key[32], const uint8_t iv[12], const void *aad,
			 size_t aad_len, const void *pt, size_t len, void *ct, uint8_t tag[16]);

struct tap_spec {
	const uint8_t *roots[COVE_TAP_MAX_LOCKBOXES]; /* one lockbox per 32-byte root */
	const struct tap_platform_key *keys[COVE_TAP_MAX_LOCKBOXES]; /* where roots[i] is NULL */
	unsigned int nroots;
	unsigned int digest_mask; /* bit r: a digest record for register r */
	uint8_t digest[2][48];
	struct tap_secret secret[8];
	unsigned int nsecrets;
	const uint8_t *plaintext; /* when set: the payload, instead of the records above */
	size_t plaintext_len;
	uint8_t payload_key[32];
	tap_aead_fn *aead; /* NULL: the monitor's aes_gcm_encrypt */
};

/** A spec with one lockbox for @root, no digests, no secrets, a fixed nonzero key. */
void tap_spec_init(struct tap_spec *s, const uint8_t *root);

/** The length tap_build gives @s (its digests' values do not change it); 0: none. */
size_t tap_build_size(const struct tap_spec *s);

/** Seals @s into @out; returns the TAP's length, 0 when @cap is too small. */
size_t tap_build(const struct tap_spec *s, uint8_t *out, size_t cap);

/** The plaintext records of @s (digests, then secrets) into @out; returns their length. */
size_t tap_build_plaintext(const struct tap_spec *s, uint8_t *out, size_t cap);

/** The secret records of @s, as retrieve_secret hands them to the TVM. */
size_t tap_build_secrets(const struct tap_spec *s, uint8_t *out, size_t cap);
