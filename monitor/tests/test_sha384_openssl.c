// SPDX-License-Identifier: BSD-2-Clause
/*
 * SHA-384 against OpenSSL's EVP implementation: the same deterministic
 * pseudo-random messages, hashed by both, must give the same digest, however
 * the monitor's side is cut into updates. Host only (links libcrypto).
 */
#include "covemon/sha384.h"
#include "test.h"

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SMALL_LEN 1024
#define ONE_MIB	      (1024 * 1024)

/* Reported as the first mismatching length when there is none. */
#define NO_MISMATCH SIZE_MAX

static void openssl_sha384(const uint8_t *msg, size_t len, uint8_t out[SHA384_DIGEST_SIZE])
{
	unsigned int out_len = 0;

	ASSERT_EQ(EVP_Digest(msg, len, out, &out_len, EVP_sha384(), NULL), 1);
	ASSERT_EQ(out_len, SHA384_DIGEST_SIZE);
}

/*
 * Hashes @len bytes at @msg in chunks of random size: mostly small (so the
 * buffer fills and drains at every offset), sometimes several blocks long
 * (the direct path), sometimes empty.
 */
static void hash_in_random_chunks(uint64_t *state, const uint8_t *msg, size_t len,
				  uint8_t out[SHA384_DIGEST_SIZE])
{
	struct sha384_ctx ctx;
	size_t done = 0;

	sha384_init(&ctx);
	while (done < len) {
		uint64_t r = test_rng_next(state);
		size_t max = (r & 3) == 0 ? 8 * SHA384_BLOCK_SIZE + 7 : SHA384_BLOCK_SIZE + 1;
		size_t n = (size_t)((r >> 8) % (max + 1));

		if (n > len - done) {
			n = len - done;
		}
		sha384_update(&ctx, msg + done, n);
		done += n;
	}
	sha384_final(&ctx, out);
}

TEST(sha384_openssl, one_shot_agrees_on_every_length_up_to_1024)
{
	static uint8_t msg[MAX_SMALL_LEN];
	uint64_t rng = 0x5348413338342d31ULL;
	size_t first_mismatch = NO_MISMATCH;

	test_rng_fill(&rng, msg, sizeof(msg));
	for (size_t len = 0; len <= MAX_SMALL_LEN; len++) {
		uint8_t ours[SHA384_DIGEST_SIZE];
		uint8_t theirs[SHA384_DIGEST_SIZE];

		sha384(msg, len, ours);
		openssl_sha384(msg, len, theirs);
		if (memcmp(ours, theirs, SHA384_DIGEST_SIZE) != 0 &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = len;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(sha384_openssl, random_chunking_agrees_on_every_length_up_to_1024)
{
	static uint8_t msg[MAX_SMALL_LEN];
	uint64_t rng = 0x5348413338342d32ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t len = 0; len <= MAX_SMALL_LEN; len++) {
		uint8_t ours[SHA384_DIGEST_SIZE];
		uint8_t theirs[SHA384_DIGEST_SIZE];

		/* A fresh message per length, not prefixes of one. */
		test_rng_fill(&rng, msg, len);
		hash_in_random_chunks(&rng, msg, len, ours);
		openssl_sha384(msg, len, theirs);
		if (memcmp(ours, theirs, SHA384_DIGEST_SIZE) != 0 &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = len;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

/* All-zero and all-one bytes: the extremes of the carries in the additions. */
TEST(sha384_openssl, agrees_on_constant_byte_messages)
{
	static uint8_t msg[3 * SHA384_BLOCK_SIZE];
	static const uint8_t fills[] = { 0x00, 0xff, 0x80 };
	size_t first_mismatch = NO_MISMATCH;

	for (size_t f = 0; f < sizeof(fills); f++) {
		memset(msg, fills[f], sizeof(msg));
		for (size_t len = 0; len <= sizeof(msg); len++) {
			uint8_t ours[SHA384_DIGEST_SIZE];
			uint8_t theirs[SHA384_DIGEST_SIZE];

			sha384(msg, len, ours);
			openssl_sha384(msg, len, theirs);
			if (memcmp(ours, theirs, SHA384_DIGEST_SIZE) != 0 &&
			    first_mismatch == NO_MISMATCH) {
				/* Encodes the fill byte too: len + 1000 * f. */
				first_mismatch = len + 1000 * f;
			}
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(sha384_openssl, agrees_on_large_messages_in_random_chunks)
{
	static const size_t lens[] = { 64 * 1024 + 13, ONE_MIB - 1, ONE_MIB };
	uint64_t rng = 0x5348413338342d33ULL;
	uint8_t *msg = malloc(ONE_MIB);

	ASSERT_TRUE(msg != NULL);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t one_shot[SHA384_DIGEST_SIZE];
		uint8_t chunked[SHA384_DIGEST_SIZE];
		uint8_t theirs[SHA384_DIGEST_SIZE];

		test_rng_fill(&rng, msg, lens[i]);
		sha384(msg, lens[i], one_shot);
		hash_in_random_chunks(&rng, msg, lens[i], chunked);
		openssl_sha384(msg, lens[i], theirs);
		EXPECT_MEM_EQ(one_shot, theirs, SHA384_DIGEST_SIZE);
		EXPECT_MEM_EQ(chunked, theirs, SHA384_DIGEST_SIZE);
	}
	free(msg);
}

/* The data pointer need not be aligned: loads are byte-wise. */
TEST(sha384_openssl, agrees_on_messages_at_every_alignment)
{
	static uint8_t buf[4 * SHA384_BLOCK_SIZE + 8];
	uint64_t rng = 0x5348413338342d34ULL;
	size_t first_mismatch = NO_MISMATCH;

	test_rng_fill(&rng, buf, sizeof(buf));
	for (size_t off = 0; off < 8; off++) {
		uint8_t ours[SHA384_DIGEST_SIZE];
		uint8_t theirs[SHA384_DIGEST_SIZE];

		sha384(buf + off, 4 * SHA384_BLOCK_SIZE, ours);
		openssl_sha384(buf + off, 4 * SHA384_BLOCK_SIZE, theirs);
		if (memcmp(ours, theirs, SHA384_DIGEST_SIZE) != 0 &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = off;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}
