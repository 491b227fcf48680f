// SPDX-License-Identifier: BSD-2-Clause
/*
 * sha512_compress for the monitor-level fuzz targets: the other side of the
 * link seam in covemon/sha512.h. It remembers the result of each (H, block)
 * pair it computes and gives it back when the same pair comes again.
 *
 * Why: promote measures every page of the image into one running SHA-384,
 * and the fuzzer builds those images from a few parameters, so nearly every
 * input hashes blocks some earlier input already hashed from the same
 * state. The rounds were a third of the sequence target's time under AFL++.
 *
 * Exact by construction: an entry is used only when all 64 bytes of H and
 * all 128 bytes of the block equal the recorded ones, so the output is the
 * bytes sha512_rounds would produce; a set's collision only evicts. Only
 * the time differs. The crypto target keeps testing the rounds themselves
 * (it links lib/sha512_compress.c), and fuzz/tests/test_sha512_cache.c
 * checks this file against OpenSSL, cold and warm.
 *
 * The table holds key-derived states of HMAC too. It lives in the fuzzing
 * process on the host only; the firmware never links this file.
 */
#include "sha512_cache.h"

#include <stdlib.h>
#include <string.h>

#include "covemon/sha512.h"

#define BLOCK SHA512_BLOCK_SIZE

struct sha512_cache_entry {
	uint64_t h_in[8];
	uint8_t block[BLOCK];
	uint64_t h_out[8];
};

static struct sha512_cache_entry *table;
static uint8_t *valid; /* bit 0: the entry holds a result; see lookup for bit 1 */
static bool disabled; /* out of memory: every call runs the rounds */
static struct sha512_cache_stats stats;

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

size_t sha512_cache_slot(const uint64_t h[8], const uint8_t *block)
{
	/* Every word of H and a spread of the block's: blocks of one image
	 * often differ from each other only in a few words, H always. */
	uint64_t x = 0;

	for (unsigned int i = 0; i < 8; i++) {
		x = (x ^ h[i]) * UINT64_C(0x9E3779B97F4A7C15);
	}
	for (unsigned int i = 0; i < BLOCK; i += 24) {
		x = (x ^ load64(block + i)) * UINT64_C(0xC2B2AE3D27D4EB4F);
	}
	return (size_t)(x >> (64 - SHA512_CACHE_BITS));
}

static bool cache_ready(void)
{
	if (table || disabled) {
		return table != NULL;
	}
	table = malloc(sizeof(*table) << SHA512_CACHE_BITS);
	valid = calloc((size_t)1 << SHA512_CACHE_BITS, 1);
	if (!table || !valid) {
		free(table);
		free(valid);
		table = NULL;
		valid = NULL;
		disabled = true;
	}
	return table != NULL;
}

/* Two ways per set: the block of a page and the same block from another state
 * often share a slot; the way used last stays, the other one is replaced. */
static struct sha512_cache_entry *lookup(const uint64_t h[8], const uint8_t *block, size_t set)
{
	for (size_t way = 0; way < 2; way++) {
		size_t slot = 2 * set + way;
		struct sha512_cache_entry *e = &table[slot];

		if ((valid[slot] & 1) && memcmp(e->h_in, h, sizeof(e->h_in)) == 0 &&
		    memcmp(e->block, block, BLOCK) == 0) {
			valid[2 * set] = (uint8_t)((valid[2 * set] & 1) | (way << 1));
			return e;
		}
	}
	return NULL;
}

void sha512_compress(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	if (!cache_ready()) {
		sha512_rounds(h, data, nblocks);
		return;
	}
	for (; nblocks > 0; nblocks--, data += BLOCK) {
		size_t set = sha512_cache_slot(h, data) >> 1;
		struct sha512_cache_entry *e = lookup(h, data, set);

		if (e) {
			memcpy(h, e->h_out, sizeof(e->h_out));
			stats.hits++;
			continue;
		}
		/* Bit 1 of the set's first byte: the way used last. */
		size_t way = ((valid[2 * set] >> 1) & 1) ^ 1;
		size_t slot = 2 * set + way;
		e = &table[slot];
		memcpy(e->h_in, h, sizeof(e->h_in));
		memcpy(e->block, data, BLOCK);
		sha512_rounds(h, data, 1);
		memcpy(e->h_out, h, sizeof(e->h_out));
		valid[slot] |= 1;
		valid[2 * set] = (uint8_t)((valid[2 * set] & 1) | (way << 1));
		stats.misses++;
	}
}

struct sha512_cache_stats sha512_cache_stats(void)
{
	return stats;
}

void sha512_cache_clear(void)
{
	if (valid) {
		memset(valid, 0, (size_t)1 << SHA512_CACHE_BITS);
	}
	memset(&stats, 0, sizeof(stats));
}
