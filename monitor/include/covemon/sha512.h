/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SHA-512 family compression function (FIPS 180-4 section 6.4.2), under
 * SHA-384 and through it HMAC and HKDF: folds @nblocks consecutive 128-byte
 * blocks at @data (any alignment) into the intermediate hash value @h. The
 * digests differ only in H(0) and in how much of H(N) they output.
 *
 * Two names, one function:
 *   sha512_rounds    the rounds themselves (lib/sha512_rounds.c).
 *   sha512_compress  what sha384.c calls: a link seam. lib/sha512_compress.c
 *                    forwards to sha512_rounds, and is all the firmware links.
 *                    The host's monitor-level fuzz targets link their own
 *                    definition ahead of the library (fuzz/common/sha512_cache.c):
 *                    it returns the recorded result for an (H, block) pair it
 *                    computed before and calls sha512_rounds otherwise, so the
 *                    digests are the same bytes and only the time differs.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** Bytes in one block (the same as SHA384_BLOCK_SIZE). */
#define SHA512_BLOCK_SIZE 128

void sha512_compress(uint64_t h[8], const uint8_t *data, size_t nblocks);
void sha512_rounds(uint64_t h[8], const uint8_t *data, size_t nblocks);
