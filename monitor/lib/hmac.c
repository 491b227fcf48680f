// SPDX-License-Identifier: BSD-2-Clause
/*
 * HMAC-SHA384 (RFC 2104, FIPS 198-1) over the streaming SHA-384: the key
 * block is hashed into the inner and outer states once, at init, so a
 * message costs its own blocks plus one outer block.
 */
#include "covemon/hmac.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/lib.h"
#include "covemon/sha384.h"

/* The inner and outer pad bytes (RFC 2104 section 2, FIPS 198-1 section 4). */
#define HMAC_IPAD 0x36
#define HMAC_OPAD 0x5c

_Static_assert(SHA384_DIGEST_SIZE <= SHA384_BLOCK_SIZE,
	       "a hashed long key must fit in the key block (FIPS 198-1 section 4, step 2)");

/* XORs every byte of the key block @k0 with @pad. */
static void hmac_xor_pad(uint8_t k0[SHA384_BLOCK_SIZE], uint8_t pad)
{
	for (size_t i = 0; i < SHA384_BLOCK_SIZE; i++) {
		k0[i] ^= pad;
	}
}

void hmac_sha384_init(struct hmac_sha384_ctx *ctx, const void *key, size_t key_len)
{
	uint8_t k0[SHA384_BLOCK_SIZE];

	/* FIPS 198-1 section 4, steps 1-3: K0 is the key, or its digest, zero-padded. */
	mon_memset(k0, 0, sizeof(k0));
	if (key_len > SHA384_BLOCK_SIZE) {
		sha384(key, key_len, k0);
	} else if (key_len > 0) {
		mon_memcpy(k0, key, key_len);
	}

	hmac_xor_pad(k0, HMAC_IPAD);
	sha384_init(&ctx->inner);
	sha384_update(&ctx->inner, k0, sizeof(k0));

	/* Turns K0 ^ ipad into K0 ^ opad without a second copy of the key. */
	hmac_xor_pad(k0, HMAC_IPAD ^ HMAC_OPAD);
	sha384_init(&ctx->outer);
	sha384_update(&ctx->outer, k0, sizeof(k0));

	mon_memzero_explicit(k0, sizeof(k0));
}

void hmac_sha384_update(struct hmac_sha384_ctx *ctx, const void *data, size_t len)
{
	sha384_update(&ctx->inner, data, len);
}

void hmac_sha384_final(struct hmac_sha384_ctx *ctx, uint8_t mac[HMAC_SHA384_SIZE])
{
	uint8_t inner_digest[SHA384_DIGEST_SIZE];

	/* sha384_final wipes each state it finishes, so all of @ctx ends zeroed. */
	sha384_final(&ctx->inner, inner_digest);
	sha384_update(&ctx->outer, inner_digest, sizeof(inner_digest));
	sha384_final(&ctx->outer, mac);

	mon_memzero_explicit(inner_digest, sizeof(inner_digest));
}

void hmac_sha384(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[HMAC_SHA384_SIZE])
{
	struct hmac_sha384_ctx ctx;

	hmac_sha384_init(&ctx, key, key_len);
	hmac_sha384_update(&ctx, data, len);
	hmac_sha384_final(&ctx, mac);
}

bool hmac_sha384_verify(const uint8_t expected[HMAC_SHA384_SIZE],
			const uint8_t actual[HMAC_SHA384_SIZE])
{
	return mon_memeq_ct(expected, actual, HMAC_SHA384_SIZE);
}
