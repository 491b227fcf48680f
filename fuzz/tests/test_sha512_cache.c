// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fuzz harness's sha512_compress (fuzz/common/sha512_cache.c) against
 * OpenSSL: SHA-384 and HMAC-SHA-384 through the monitor's code give OpenSSL's
 * bytes whether the table is cold, warm, or full of entries that collide
 * with the block in hand. And the table is in use: warm runs are hits.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "covemon/hmac.h"
#include "covemon/sha384.h"
#include "covemon/sha512.h"
#include "sha512_cache.h"
#include "test.h"

/* Mostly zero (as promote's pages are), or random throughout. */
static size_t make_message(uint64_t *s, uint8_t *msg, size_t cap, bool sparse)
{
	size_t len = (size_t)(test_rng_next(s) % cap);

	if (!sparse) {
		test_rng_fill(s, msg, len);
		return len;
	}
	memset(msg, 0, len);
	for (unsigned int k = 0; k < 4 && len > 0; k++) {
		msg[test_rng_next(s) % len] = (uint8_t)test_rng_next(s);
	}
	return len;
}

static void expect_openssl_sha384(const uint8_t *msg, size_t len)
{
	uint8_t mine[SHA384_DIGEST_SIZE];
	uint8_t theirs[SHA384_DIGEST_SIZE];
	unsigned int n = 0;

	sha384(msg, len, mine);
	ASSERT_EQ(EVP_Digest(msg, len, theirs, &n, EVP_sha384(), NULL), 1);
	EXPECT_EQ(memcmp(mine, theirs, sizeof(mine)), 0);
}

TEST(sha512_cache, cold_and_warm_digests_equal_openssls_and_warm_ones_are_hits)
{
	static uint8_t msg[3 * 4096];
	uint64_t seed;
	struct sha512_cache_stats cold = { 0 };

	sha512_cache_clear();
	for (unsigned int pass = 0; pass < 2; pass++) {
		seed = 42;
		for (unsigned int i = 0; i < 200; i++) {
			size_t len = make_message(&seed, msg, sizeof(msg), false);
			expect_openssl_sha384(msg, len);
		}
		if (pass == 0) {
			cold = sha512_cache_stats();
		}
	}
	/* The same 200 messages again: (nearly) every block a hit. */
	struct sha512_cache_stats st = sha512_cache_stats();
	EXPECT_GT(cold.misses, 1000u);
	EXPECT_LT((st.misses - cold.misses) * 50, cold.misses);
	EXPECT_EQ((st.hits - cold.hits) + (st.misses - cold.misses), cold.hits + cold.misses);
}

/* Messages that differ in a few bytes after a long common run of zeros: many
 * calls from one H with nearly equal blocks, fighting over few sets. */
TEST(sha512_cache, nearly_equal_messages_keep_their_own_digests)
{
	static uint8_t msg[3 * 4096];

	sha512_cache_clear();
	for (unsigned int pass = 0; pass < 3; pass++) {
		uint64_t seed = 5;
		for (unsigned int i = 0; i < 200; i++) {
			size_t len = make_message(&seed, msg, sizeof(msg), true);
			expect_openssl_sha384(msg, len);
		}
	}
	EXPECT_GT(sha512_cache_stats().hits, 0u);
}

TEST(sha512_cache, hmac_through_the_cache_equals_openssls)
{
	uint64_t seed = 7;
	uint8_t key[200];
	uint8_t msg[1000];

	sha512_cache_clear();
	for (unsigned int i = 0; i < 100; i++) {
		size_t key_len = (size_t)(test_rng_next(&seed) % sizeof(key));
		size_t msg_len = (size_t)(test_rng_next(&seed) % sizeof(msg));
		uint8_t mine[SHA384_DIGEST_SIZE];
		uint8_t theirs[SHA384_DIGEST_SIZE];
		unsigned int n = 0;

		test_rng_fill(&seed, key, key_len);
		test_rng_fill(&seed, msg, msg_len);
		for (unsigned int twice = 0; twice < 2; twice++) {
			hmac_sha384(key, key_len, msg, msg_len, mine);
			ASSERT_TRUE(HMAC(EVP_sha384(), key, (int)key_len, msg, msg_len, theirs,
					 &n) != NULL);
			EXPECT_EQ(memcmp(mine, theirs, sizeof(mine)), 0);
		}
	}
	EXPECT_GT(sha512_cache_stats().hits, 0u);
}

/*
 * Different blocks that land in one set, from the same H and from another:
 * each must get its own result, however they take turns in the set's two
 * ways. A cache that matched on the slot alone would mix their results.
 */
TEST(sha512_cache, blocks_that_share_a_slot_keep_their_own_results)
{
	uint64_t h0[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t a[SHA512_BLOCK_SIZE] = { 0 };
	uint8_t b[SHA512_BLOCK_SIZE] = { 0 };
	uint64_t want_a[8];
	uint64_t want_b[8];
	uint64_t seed = 99;
	bool found = false;

	test_rng_fill(&seed, a, sizeof(a));
	for (unsigned int tries = 0; tries < (1u << 24) && !found; tries++) {
		test_rng_fill(&seed, b, 8); /* b's first word is one the slot reads */
		found = memcmp(a, b, sizeof(a)) != 0 &&
			sha512_cache_slot(h0, a, 1) / 2 == sha512_cache_slot(h0, b, 1) / 2;
	}
	ASSERT_TRUE(found);

	memcpy(want_a, h0, sizeof(h0));
	sha512_rounds(want_a, a, 1);
	memcpy(want_b, h0, sizeof(h0));
	sha512_rounds(want_b, b, 1);
	ASSERT_TRUE(memcmp(want_a, want_b, sizeof(want_a)) != 0);

	sha512_cache_clear();
	for (unsigned int round = 0; round < 3; round++) {
		uint64_t h[8];

		memcpy(h, h0, sizeof(h));
		sha512_compress(h, a, 1);
		EXPECT_EQ(memcmp(h, want_a, sizeof(h)), 0);
		memcpy(h, h0, sizeof(h));
		sha512_compress(h, b, 1);
		EXPECT_EQ(memcmp(h, want_b, sizeof(h)), 0);
		/* The same block from another H is another key. */
		memcpy(h, want_a, sizeof(h));
		sha512_compress(h, b, 1);
		uint64_t want_ab[8];
		memcpy(want_ab, want_a, sizeof(want_ab));
		sha512_rounds(want_ab, b, 1);
		EXPECT_EQ(memcmp(h, want_ab, sizeof(h)), 0);
	}
}

/*
 * Pages that differ only where the first one is zero, in bytes the slot does
 * not read: one set, one non-zero prefix in common. Each keeps its own
 * result; a table that compared only the prefix it recorded would give the
 * first page's result to the others.
 */
TEST(sha512_cache, pages_that_differ_in_their_zero_tail_keep_their_own_results)
{
	enum { BLOCKS = 32 };
	static uint8_t page[3][BLOCKS * SHA512_BLOCK_SIZE];
	const uint64_t h0[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	uint64_t want[3][8];

	memset(page, 0, sizeof(page));
	for (unsigned int p = 0; p < 3; p++) {
		memset(page[p], 0x5A, 64);
	}
	page[1][100] = 1;		   /* first block, between the words the slot reads */
	page[2][sizeof(page[2]) - 96] = 1; /* last block, likewise */
	for (unsigned int p = 0; p < 3; p++) {
		memcpy(want[p], h0, sizeof(h0));
		sha512_rounds(want[p], page[p], BLOCKS);
	}
	ASSERT_EQ(sha512_cache_slot(h0, page[0], BLOCKS), sha512_cache_slot(h0, page[1], BLOCKS));
	ASSERT_EQ(sha512_cache_slot(h0, page[0], BLOCKS), sha512_cache_slot(h0, page[2], BLOCKS));

	sha512_cache_clear();
	for (unsigned int round = 0; round < 3; round++) {
		for (unsigned int k = 0; k < 3; k++) {
			unsigned int p = (k + round) % 3;
			uint64_t h[8];
			memcpy(h, h0, sizeof(h));
			sha512_compress(h, page[p], BLOCKS);
			EXPECT_EQ(memcmp(h, want[p], sizeof(h)), 0);
		}
	}
	EXPECT_GT(sha512_cache_stats().hits, 0u);
}
