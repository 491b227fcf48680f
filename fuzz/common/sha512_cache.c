// SPDX-License-Identifier: BSD-2-Clause
/*
 * sha512_compress for the monitor-level fuzz targets: the other side of the
 * link seam in covemon/sha512.h. It remembers the result of each call it
 * computes, keyed by H and the blocks, and gives it back when the same call
 * comes again. SHA-384 passes the whole blocks of a buffer in one call (31 of
 * a page's 32, promote's unit), so one lookup and one sequential compare
 * stand for 31 random ones. An entry keeps the bytes up to
 * the last non-zero one (the rest of the blocks are zero): an image page is
 * a few bytes the fuzzer chose and zeros, so a lookup reads little of the
 * table (which is far larger than the caches) and checks the call's zero
 * tail in its own blocks, which the monitor has just written.
 *
 * Why: promote measures every page of the image into one running SHA-384,
 * and the fuzzer builds those images from a few parameters, so nearly every
 * input hashes blocks some earlier input already hashed from the same
 * state. The rounds were a third of the sequence target's time under AFL++.
 *
 * Exact by construction: an entry is used only when all 64 bytes of H and
 * every byte of the blocks equal the recorded ones (the same non-zero prefix,
 * zeros after it), so the output is the bytes sha512_rounds would produce; a
 * set's collision only evicts. Only the time differs. The crypto target
 * keeps testing the rounds themselves (it links lib/sha512_compress.c), and
 * fuzz/tests/test_sha512_cache.c checks this file against OpenSSL, cold and
 * warm.
 *
 * The table holds key-derived states of HMAC too. It lives in the fuzzing
 * process on the host only; the firmware never links this file.
 */
#include "sha512_cache.h"

#include <stdlib.h>
#include <string.h>

#include "covemon/sha512.h"

#define BLOCK	   SHA512_BLOCK_SIZE
#define MAX_BLOCKS 32u /* longer calls are looked up in pieces of this many blocks */
#define SETS	   ((size_t)1 << (SHA512_CACHE_BITS - 1))

struct sha512_cache_entry {
	uint64_t h_in[8];
	uint64_t h_out[8];
	size_t nblocks; /* 0: empty */
	size_t used;	/* the blocks' bytes up to the last non-zero one; zeros after it */
	uint8_t *data;	/* those bytes (MAX_BLOCKS blocks of room in the pool) */
};

static struct sha512_cache_entry *table; /* SETS sets of two ways */
static uint8_t *pool;			 /* the entries' blocks (mapped, touched as used) */
static uint8_t *mru;			 /* per set: the way used last */
static bool disabled;			 /* out of memory: every call runs the rounds */
static struct sha512_cache_stats stats;

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

size_t sha512_cache_slot(const uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	/* Every word of H, the length, and words spread over the first and the
	 * last block: the calls of one image differ from each other in H. */
	const uint8_t *last = data + (nblocks - 1) * BLOCK;
	uint64_t x = nblocks;

	for (unsigned int i = 0; i < 8; i++) {
		x = (x ^ h[i]) * UINT64_C(0x9E3779B97F4A7C15);
	}
	for (unsigned int i = 0; i < BLOCK; i += 40) {
		x = (x ^ load64(data + i)) * UINT64_C(0xC2B2AE3D27D4EB4F);
		x = (x ^ load64(last + i)) * UINT64_C(0xC2B2AE3D27D4EB4F);
	}
	return (size_t)(x >> (64 - SHA512_CACHE_BITS));
}

/* The length of @data[0, @n) up to and including its last non-zero byte (0: all zero). */
static size_t used_bytes(const uint8_t *data, size_t n)
{
	enum { LINE = 64 };
	size_t end = n;

	/* Whole lines from the end first (@n is a multiple of a block), then bytes. */
	while (end >= LINE) {
		uint64_t any = 0;
		for (unsigned int i = 0; i < LINE; i += 8) {
			any |= load64(data + end - LINE + i);
		}
		if (any) {
			break;
		}
		end -= LINE;
	}
	while (end > 0 && data[end - 1] == 0) {
		end--;
	}
	return end;
}

static bool cache_ready(void)
{
	if (table || disabled) {
		return table != NULL;
	}
	table = calloc(2 * SETS, sizeof(*table));
	mru = calloc(SETS, 1);
	pool = calloc(2 * SETS, MAX_BLOCKS * BLOCK);
	if (table && mru && pool) {
		for (size_t i = 0; i < 2 * SETS; i++) {
			table[i].data = pool + i * MAX_BLOCKS * BLOCK;
		}
		return true;
	}
	free(table);
	free(mru);
	free(pool);
	table = NULL;
	disabled = true;
	return false;
}

static void compress_piece(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	size_t set = sha512_cache_slot(h, data, nblocks) >> 1;
	struct sha512_cache_entry *ways = &table[2 * set];
	size_t used = used_bytes(data, nblocks * BLOCK);

	for (unsigned int w = 0; w < 2; w++) {
		struct sha512_cache_entry *e = &ways[w];
		if (e->nblocks == nblocks && e->used == used &&
		    memcmp(e->h_in, h, sizeof(e->h_in)) == 0 && memcmp(e->data, data, used) == 0) {
			memcpy(h, e->h_out, sizeof(e->h_out));
			mru[set] = (uint8_t)w;
			stats.hits += nblocks;
			return;
		}
	}
	/* Replace the way not used last. */
	unsigned int w = mru[set] ^ 1u;
	struct sha512_cache_entry *e = &ways[w];

	stats.misses += nblocks;
	memcpy(e->h_in, h, sizeof(e->h_in));
	memcpy(e->data, data, used);
	e->used = used;
	sha512_rounds(h, data, nblocks);
	memcpy(e->h_out, h, sizeof(e->h_out));
	e->nblocks = nblocks;
	mru[set] = (uint8_t)w;
}

void sha512_compress(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	if (!cache_ready()) {
		sha512_rounds(h, data, nblocks);
		return;
	}
	while (nblocks > 0) {
		size_t n = nblocks < MAX_BLOCKS ? nblocks : MAX_BLOCKS;

		compress_piece(h, data, n);
		data += n * BLOCK;
		nblocks -= n;
	}
}

struct sha512_cache_stats sha512_cache_stats(void)
{
	return stats;
}

void sha512_cache_clear(void)
{
	if (table) {
		for (size_t i = 0; i < 2 * SETS; i++) {
			table[i].nblocks = 0;
		}
		memset(mru, 0, SETS);
	}
	memset(&stats, 0, sizeof(stats));
}
