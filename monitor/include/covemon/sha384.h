/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-384 (FIPS 180-4, sections 5.3.4 and 6.5): the digest of CoVE
 * measurements and the hash under HMAC/HKDF in attestation.
 *
 * Streaming use:
 *
 *	struct sha384_ctx ctx;
 *	uint8_t digest[SHA384_DIGEST_SIZE];
 *
 *	sha384_init(&ctx);
 *	sha384_update(&ctx, part1, len1);
 *	sha384_update(&ctx, part2, len2);
 *	sha384_final(&ctx, digest);
 *
 * The context holds no pointers, so a copy of it is a snapshot of the hash so
 * far: HMAC precomputes its inner and outer states by hashing the padded key
 * block into two contexts once and copying them per message.
 *
 * Nothing here fails and nothing allocates; no function keeps state outside
 * the context it is given.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** Bytes in a SHA-384 digest. */
#define SHA384_DIGEST_SIZE 48

/** Bytes in one block of the SHA-512 family compression function. */
#define SHA384_BLOCK_SIZE 128

/**
 * A SHA-384 computation in progress. Callers allocate it (usually on the
 * stack) and touch it only through the functions below.
 *
 * @h:       the intermediate hash value H(i) (FIPS 180-4 section 6.4.2)
 * @len_lo:  low 64 bits of the message length so far, in bytes
 * @len_hi:  high 64 bits of that length: FIPS 180-4 pads with a 128-bit
 *           length field, and the counter carries into this word
 * @buf:     bytes waiting for a complete block
 * @buf_len: how many bytes of @buf are in use, always < SHA384_BLOCK_SIZE
 *           between calls
 */
struct sha384_ctx {
	uint64_t h[8];
	uint64_t len_lo, len_hi;
	uint8_t buf[SHA384_BLOCK_SIZE];
	size_t buf_len;
};

/** Starts a new hash in @ctx (the initial hash value of FIPS 180-4 section 5.3.4). */
void sha384_init(struct sha384_ctx *ctx);

/**
 * Absorbs @len bytes at @data into @ctx. Any split of a message into
 * updates gives the same digest. @data may be NULL when @len is 0.
 */
void sha384_update(struct sha384_ctx *ctx, const void *data, size_t len);

/**
 * Pads the message (FIPS 180-4 section 5.1.2), writes its digest to @out and
 * wipes @ctx with mon_memzero_explicit, so no message-derived state (key
 * material, under HMAC) outlives the call. @ctx must be initialised again
 * before reuse.
 */
void sha384_final(struct sha384_ctx *ctx, uint8_t out[SHA384_DIGEST_SIZE]);

/** One-shot SHA-384 of @len bytes at @data into @out (@data may be NULL when @len is 0). */
void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE]);
