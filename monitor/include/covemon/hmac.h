/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HMAC-SHA384 (RFC 2104, FIPS 198-1): the MAC under HKDF in attestation key
 * derivation.
 *
 *	HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 *
 * where K0 is the key zero-padded to one SHA-384 block (128 bytes), or the
 * SHA-384 digest of the key, zero-padded, when the key is longer than a
 * block (FIPS 198-1 section 4, steps 1-3).
 *
 * Streaming use:
 *
 *	struct hmac_sha384_ctx ctx;
 *	uint8_t mac[HMAC_SHA384_SIZE];
 *
 *	hmac_sha384_init(&ctx, key, key_len);
 *	hmac_sha384_update(&ctx, part1, len1);
 *	hmac_sha384_update(&ctx, part2, len2);
 *	hmac_sha384_final(&ctx, mac);
 *
 * A context holds no pointers, so a copy of an initialised context is a
 * keyed state that can MAC many messages without hashing the key again (HKDF
 * expand does this once per output block). Every copy holds key-derived
 * state: finish it with hmac_sha384_final() or wipe it with
 * mon_memzero_explicit(ctx, sizeof(*ctx)).
 *
 * Nothing here fails and nothing allocates; no function keeps state outside
 * the context it is given.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"
#include "covemon/sha384.h"

/** Bytes in an HMAC-SHA384 tag (the full SHA-384 digest). */
#define HMAC_SHA384_SIZE SHA384_DIGEST_SIZE

/**
 * An HMAC-SHA384 computation in progress. Callers allocate it (usually on
 * the stack) and touch it only through the functions below.
 *
 * @inner: SHA-384 of (K0 ^ ipad) followed by the message so far
 * @outer: SHA-384 of (K0 ^ opad), waiting for the inner digest
 */
struct hmac_sha384_ctx {
	struct sha384_ctx inner, outer;
};

/**
 * Starts a MAC under the @key_len bytes at @key in @ctx. Keys longer than
 * SHA384_BLOCK_SIZE (128) bytes are hashed with SHA-384 first; shorter ones
 * are zero-padded, so an empty key and a key of zero bytes of any length up
 * to 128 give the same MAC (RFC 2104 section 2). @key may be NULL when
 * @key_len is 0. The padded key block is wiped before returning; @ctx now
 * holds key-derived state (see above).
 */
void hmac_sha384_init(struct hmac_sha384_ctx *ctx, const void *key, size_t key_len);

/**
 * Absorbs @len bytes at @data into @ctx. Any split of a message into updates
 * gives the same MAC. @data may be NULL when @len is 0.
 */
void hmac_sha384_update(struct hmac_sha384_ctx *ctx, const void *data, size_t len);

/**
 * Writes the MAC of the message absorbed so far to @mac and wipes @ctx (and
 * the intermediate inner digest). @ctx must be initialised again before
 * reuse. @mac may not overlap @ctx.
 */
void hmac_sha384_final(struct hmac_sha384_ctx *ctx, uint8_t mac[HMAC_SHA384_SIZE]);

/**
 * One-shot HMAC-SHA384 of the @len bytes at @data under the @key_len bytes
 * at @key, written to @mac. @key or @data may be NULL when its length is 0.
 * @mac may overlap the inputs: they are read completely before it is
 * written. No key-derived state outlives the call.
 */
void hmac_sha384(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[HMAC_SHA384_SIZE]);

/**
 * Compares two full-length tags in time that does not depend on their
 * contents (mon_memeq_ct), so a forger learns nothing from how long a
 * rejection takes. Returns true when all HMAC_SHA384_SIZE bytes are equal.
 */
MON_WUR bool hmac_sha384_verify(const uint8_t expected[HMAC_SHA384_SIZE],
				const uint8_t actual[HMAC_SHA384_SIZE]);
