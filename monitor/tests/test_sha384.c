// SPDX-License-Identifier: BSD-2-Clause
/*
 * SHA-384 against published vectors (FIPS 180-4 examples from NIST CSRC,
 * "Cryptographic Standards and Guidelines: Examples with Intermediate
 * Values", SHA-384), and the streaming interface against the one-shot one.
 *
 * Every expected digest below was checked on the build machine with both
 * `openssl dgst -sha384` and Python's hashlib.sha384.
 */
#include "covemon/sha384.h"
#include "test.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The 448-bit and 896-bit messages of the NIST examples. */
static const char msg_448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg_896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			      "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static uint8_t hex_nibble(char c)
{
	if (c >= '0' && c <= '9') {
		return (uint8_t)(c - '0');
	}
	return (uint8_t)(c - 'a' + 10);
}

/* Decodes a digest written as 96 lowercase hex digits. */
static void digest_from_hex(const char *hex, uint8_t out[SHA384_DIGEST_SIZE])
{
	ASSERT_EQ(strlen(hex), 2 * SHA384_DIGEST_SIZE);
	for (size_t i = 0; i < SHA384_DIGEST_SIZE; i++) {
		out[i] = (uint8_t)(hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]));
	}
}

/* Checks the one-shot digest of @len bytes at @msg against @hex. */
static void expect_digest(const void *msg, size_t len, const char *hex)
{
	uint8_t want[SHA384_DIGEST_SIZE];
	uint8_t got[SHA384_DIGEST_SIZE];

	digest_from_hex(hex, want);
	sha384(msg, len, got);
	EXPECT_MEM_EQ(got, want, SHA384_DIGEST_SIZE);
}

/* A message with no repeating structure shorter than 256 bytes. */
static void fill_pattern(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)(i * 37 + 11);
	}
}

TEST(sha384, digests_abc_as_published)
{
	expect_digest("abc", 3,
		      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
		      "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
}

TEST(sha384, digests_the_empty_message_as_published)
{
	expect_digest(NULL, 0,
		      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"
		      "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b");
}

TEST(sha384, digests_the_448_bit_message_as_published)
{
	expect_digest(msg_448, sizeof(msg_448) - 1,
		      "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05ab"
		      "fe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b");
}

/* 112 bytes: the padding cannot share the last block with the message. */
TEST(sha384, digests_the_896_bit_message_as_published)
{
	expect_digest(msg_896, sizeof(msg_896) - 1,
		      "09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
		      "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
}

TEST(sha384_update, one_million_a_in_uneven_chunks_matches_published_digest)
{
	/* Chunk sizes that straddle, fill and overfill the block buffer. */
	static const size_t chunks[] = { 1, 127, 3, 128, 129, 255, 1000, 4099, 17, 256 };
	static uint8_t a[4099];
	const size_t total = 1000000;
	struct sha384_ctx ctx;
	uint8_t want[SHA384_DIGEST_SIZE];
	uint8_t got[SHA384_DIGEST_SIZE];
	size_t done = 0;

	memset(a, 'a', sizeof(a));
	sha384_init(&ctx);
	for (size_t i = 0; done < total; i = (i + 1) % (sizeof(chunks) / sizeof(chunks[0]))) {
		size_t n = chunks[i] < total - done ? chunks[i] : total - done;

		sha384_update(&ctx, a, n);
		done += n;
	}
	sha384_final(&ctx, got);

	digest_from_hex("9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
			"7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
			want);
	EXPECT_MEM_EQ(got, want, SHA384_DIGEST_SIZE);
}

/*
 * Messages of 111..129 bytes meet every padding case: 111 leaves exactly
 * room for the 0x80 byte and the 16-byte length, 112 pushes the length into
 * a second block, 127/128/129 end at, on and just past a block boundary.
 */
TEST(sha384, digests_padding_boundary_lengths_as_reference_tools_do)
{
	static const struct {
		size_t len;
		const char *hex;
	} cases[] = {
		{ 111, "d6517d210fc664af0e137a4ca19d7a299465109f40cc0fa9"
		       "ac7f9d4ac9c77e6687f3cb060890ef7e96f9f5252dc528ab" },
		{ 112, "76078618f7c580d9ca1f9990c2adb38a899f7feda86153dd"
		       "a507b72f1bbafb046ab835aa8d325a89a67e3deb81ad1ad5" },
		{ 127, "17ed2932ea5246073ae8240a06ec458b15bfd72d792520d0"
		       "c319b84f97532d408fb7d2c39cd3710165914994f44a70f8" },
		{ 128, "13274b7eaabb6a3203608240e792e825ddb816853a66fde0"
		       "47b368cc7638d61b9f215323c4160677301ae4d178cd8579" },
		{ 129, "f07f92376b47fb9d34ff613a44f18b04b55fb1c480b07de4"
		       "e08a0e9bd484ffa765c21671c341c70b4024e6bdcda709e4" },
	};
	uint8_t msg[129];

	fill_pattern(msg, sizeof(msg));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_digest(msg, cases[i].len, cases[i].hex);
	}
}

TEST(sha384_update, byte_at_a_time_matches_one_shot_at_padding_boundaries)
{
	static const size_t lens[] = { 111, 112, 127, 128, 129 };
	uint8_t msg[129];

	fill_pattern(msg, sizeof(msg));
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct sha384_ctx ctx;
		uint8_t one_shot[SHA384_DIGEST_SIZE];
		uint8_t streamed[SHA384_DIGEST_SIZE];

		sha384(msg, lens[i], one_shot);
		sha384_init(&ctx);
		for (size_t j = 0; j < lens[i]; j++) {
			sha384_update(&ctx, &msg[j], 1);
		}
		sha384_final(&ctx, streamed);
		EXPECT_MEM_EQ(streamed, one_shot, SHA384_DIGEST_SIZE);
	}
}

TEST(sha384_update, every_split_point_of_a_300_byte_message_matches_one_shot)
{
	uint8_t msg[300];
	uint8_t one_shot[SHA384_DIGEST_SIZE];

	fill_pattern(msg, sizeof(msg));
	sha384(msg, sizeof(msg), one_shot);
	for (size_t split = 0; split <= sizeof(msg); split++) {
		struct sha384_ctx ctx;
		uint8_t streamed[SHA384_DIGEST_SIZE];

		sha384_init(&ctx);
		sha384_update(&ctx, msg, split);
		sha384_update(&ctx, msg + split, sizeof(msg) - split);
		sha384_final(&ctx, streamed);
		EXPECT_MEM_EQ(streamed, one_shot, SHA384_DIGEST_SIZE);
	}
}

TEST(sha384_update, every_three_way_split_of_a_300_byte_message_matches_one_shot)
{
	uint8_t msg[300];
	uint8_t one_shot[SHA384_DIGEST_SIZE];
	/* The first failing split as s1 * 1000 + s2, or SIZE_MAX. */
	size_t first_mismatch = SIZE_MAX;

	fill_pattern(msg, sizeof(msg));
	sha384(msg, sizeof(msg), one_shot);
	for (size_t s1 = 0; s1 <= sizeof(msg); s1++) {
		for (size_t s2 = s1; s2 <= sizeof(msg); s2++) {
			struct sha384_ctx ctx;
			uint8_t streamed[SHA384_DIGEST_SIZE];

			sha384_init(&ctx);
			sha384_update(&ctx, msg, s1);
			sha384_update(&ctx, msg + s1, s2 - s1);
			sha384_update(&ctx, msg + s2, sizeof(msg) - s2);
			sha384_final(&ctx, streamed);
			if (memcmp(streamed, one_shot, SHA384_DIGEST_SIZE) != 0 &&
			    first_mismatch == SIZE_MAX) {
				first_mismatch = s1 * 1000 + s2;
			}
		}
	}
	EXPECT_EQ(first_mismatch, SIZE_MAX);
}

TEST(sha384_update, empty_update_with_null_data_changes_nothing)
{
	struct sha384_ctx ctx;
	uint8_t got[SHA384_DIGEST_SIZE];
	uint8_t want[SHA384_DIGEST_SIZE];

	sha384("abc", 3, want);
	sha384_init(&ctx);
	sha384_update(&ctx, NULL, 0);
	sha384_update(&ctx, "ab", 2);
	sha384_update(&ctx, NULL, 0);
	sha384_update(&ctx, "c", 1);
	sha384_update(&ctx, NULL, 0);
	sha384_final(&ctx, got);
	EXPECT_MEM_EQ(got, want, SHA384_DIGEST_SIZE);
}

TEST(sha384_update, length_counter_carries_into_the_high_word)
{
	struct sha384_ctx ctx;
	uint8_t msg[5] = { 0 };

	sha384_init(&ctx);
	/* As if 2^64 - 3 bytes had been hashed already. */
	ctx.len_lo = UINT64_MAX - 2;
	sha384_update(&ctx, msg, sizeof(msg));
	EXPECT_EQ(ctx.len_hi, 1);
	EXPECT_EQ(ctx.len_lo, 2);
}

/*
 * The padded length is a 128-bit count of bits (FIPS 180-4 section 5.1.2).
 * After 2^61 + 3 bytes the count is 2^64 + 24 bits: the high word is 1
 * (carried out of the low word by the shift to bits) and the low word 0x18.
 * Hashing that final block by hand must give the same hash value.
 */
TEST(sha384_final, encodes_the_length_as_128_bits_of_bit_count)
{
	struct sha384_ctx forged;
	struct sha384_ctx by_hand;
	uint8_t block[SHA384_BLOCK_SIZE] = { 'a', 'b', 'c', 0x80 };
	uint8_t got[SHA384_DIGEST_SIZE];
	uint8_t want[SHA384_DIGEST_SIZE];

	sha384_init(&forged);
	forged.len_lo = (1ULL << 61);
	sha384_update(&forged, "abc", 3);
	sha384_final(&forged, got);

	block[SHA384_BLOCK_SIZE - 9] = 0x01;
	block[SHA384_BLOCK_SIZE - 1] = 0x18;
	sha384_init(&by_hand);
	sha384_update(&by_hand, block, sizeof(block));
	ASSERT_EQ(by_hand.buf_len, 0);
	for (size_t i = 0; i < SHA384_DIGEST_SIZE / 8; i++) {
		for (size_t j = 0; j < 8; j++) {
			want[8 * i + j] = (uint8_t)(by_hand.h[i] >> (56 - 8 * j));
		}
	}
	EXPECT_MEM_EQ(got, want, SHA384_DIGEST_SIZE);
}

TEST(sha384_final, wipes_the_context)
{
	struct sha384_ctx ctx;
	const uint8_t *bytes = (const uint8_t *)&ctx;
	uint8_t digest[SHA384_DIGEST_SIZE];
	size_t nonzero = 0;

	sha384_init(&ctx);
	/* Leave a partial block buffered so buf and buf_len are non-zero. */
	sha384_update(&ctx, msg_896, 100);
	sha384_final(&ctx, digest);
	for (size_t i = 0; i < sizeof(ctx); i++) {
		nonzero += bytes[i] != 0;
	}
	EXPECT_EQ(nonzero, 0);
}

TEST(sha384_final, writes_exactly_the_digest_size)
{
	uint8_t out[SHA384_DIGEST_SIZE + 16];

	memset(out, 0xa5, sizeof(out));
	sha384("abc", 3, out);
	for (size_t i = SHA384_DIGEST_SIZE; i < sizeof(out); i++) {
		EXPECT_EQ(out[i], 0xa5);
	}
}

/* The header promises that a context copy snapshots the hash (used by HMAC). */
TEST(sha384_ctx, copy_is_an_independent_snapshot_of_the_prefix)
{
	struct sha384_ctx prefix;
	struct sha384_ctx copy;
	uint8_t got_448[SHA384_DIGEST_SIZE];
	uint8_t got_896[SHA384_DIGEST_SIZE];
	uint8_t want_448[SHA384_DIGEST_SIZE];
	uint8_t want_896[SHA384_DIGEST_SIZE];

	/* msg_448 and msg_896 share their first four bytes, "abcd". */
	sha384(msg_448, sizeof(msg_448) - 1, want_448);
	sha384(msg_896, sizeof(msg_896) - 1, want_896);

	sha384_init(&prefix);
	sha384_update(&prefix, "abcd", 4);
	copy = prefix;
	sha384_update(&prefix, msg_448 + 4, sizeof(msg_448) - 1 - 4);
	sha384_update(&copy, msg_896 + 4, sizeof(msg_896) - 1 - 4);
	sha384_final(&prefix, got_448);
	sha384_final(&copy, got_896);
	EXPECT_MEM_EQ(got_448, want_448, SHA384_DIGEST_SIZE);
	EXPECT_MEM_EQ(got_896, want_896, SHA384_DIGEST_SIZE);
}
