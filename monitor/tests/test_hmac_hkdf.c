// SPDX-License-Identifier: BSD-2-Clause
/*
 * HMAC-SHA384 against RFC 4231 (test cases 1-7, section 4) and HKDF-SHA384
 * against reference vectors, plus the properties the monitor relies on:
 * streaming equals one-shot, the 128-byte key rule, constant-time verify,
 * the RFC 5869 output bound, and wiping.
 *
 * RFC 5869 publishes SHA-256 and SHA-1 vectors only. The HKDF-SHA384 vectors
 * below reuse the inputs of its test cases 1-3 (appendix A.1-A.3) and were
 * computed on the build machine with this pure-Python HKDF over the hmac
 * module, then confirmed with `openssl kdf -kdfopt digest:SHA384 ... HKDF`:
 *
 *	def extract(salt, ikm):
 *		return hmac.new(salt or bytes(48), ikm, hashlib.sha384).digest()
 *	def expand(prk, info, n):
 *		t, okm = b"", b""
 *		for i in range(1, -(-n // 48) + 1):
 *			t = hmac.new(prk, t + info + bytes([i]), hashlib.sha384).digest()
 *			okm += t
 *		return okm[:n]
 *
 * The RFC 4231 tags were confirmed with both Python's hmac module and
 * `openssl mac -digest SHA384 HMAC`.
 */
#include "covemon/err.h"
#include "covemon/hkdf.h"
#include "covemon/hmac.h"
#include "covemon/sha384.h"
#include "test.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint8_t hex_nibble(char c)
{
	if (c >= '0' && c <= '9') {
		return (uint8_t)(c - '0');
	}
	return (uint8_t)(c - 'a' + 10);
}

/* Decodes @hex (lowercase, exactly 2 * @len digits) into @out. */
static void from_hex(const char *hex, uint8_t *out, size_t len)
{
	ASSERT_EQ(strlen(hex), 2 * len);
	for (size_t i = 0; i < len; i++) {
		out[i] = (uint8_t)(hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]));
	}
}

/* Checks the one-shot HMAC of @msg under @key against the first @n bytes of @hex. */
static void expect_hmac(const void *key, size_t key_len, const void *msg, size_t msg_len,
			const char *hex, size_t n)
{
	uint8_t want[HMAC_SHA384_SIZE];
	uint8_t got[HMAC_SHA384_SIZE];

	from_hex(hex, want, n);
	hmac_sha384(key, key_len, msg, msg_len, got);
	EXPECT_MEM_EQ(got, want, n);
}

/* A byte pattern with no short period: byte i is i * @mul + @add. */
static void fill_pattern(uint8_t *buf, size_t len, unsigned int mul, unsigned int add)
{
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)(i * mul + add);
	}
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++) {
		if (b[i] != 0) {
			return false;
		}
	}
	return true;
}

/* RFC 5869 appendix A.1 inputs: 22-byte IKM, 13-byte salt, 10-byte info. */
static void rfc5869_a1_inputs(uint8_t ikm[22], uint8_t salt[13], uint8_t info[10])
{
	memset(ikm, 0x0b, 22);
	fill_pattern(salt, 13, 1, 0x00);
	fill_pattern(info, 10, 1, 0xf0);
}

/* ---- HMAC-SHA384: RFC 4231 section 4 ---------------------------------- */

TEST(hmac_sha384, matches_rfc4231_test_case_1)
{
	uint8_t key[20];

	memset(key, 0x0b, sizeof(key));
	expect_hmac(key, sizeof(key), "Hi There", 8,
		    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
		    "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
		    HMAC_SHA384_SIZE);
}

/* A key shorter than the output. */
TEST(hmac_sha384, matches_rfc4231_test_case_2)
{
	expect_hmac("Jefe", 4, "what do ya want for nothing?", 28,
		    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
		    "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
		    HMAC_SHA384_SIZE);
}

/* Combined key and data length past one block. */
TEST(hmac_sha384, matches_rfc4231_test_case_3)
{
	uint8_t key[20];
	uint8_t msg[50];

	memset(key, 0xaa, sizeof(key));
	memset(msg, 0xdd, sizeof(msg));
	expect_hmac(key, sizeof(key), msg, sizeof(msg),
		    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9feb"
		    "e83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
		    HMAC_SHA384_SIZE);
}

TEST(hmac_sha384, matches_rfc4231_test_case_4)
{
	uint8_t key[25];
	uint8_t msg[50];

	fill_pattern(key, sizeof(key), 1, 0x01);
	memset(msg, 0xcd, sizeof(msg));
	expect_hmac(key, sizeof(key), msg, sizeof(msg),
		    "3e8a69b7783c25851933ab6290af6ca77a9981480850009c"
		    "c5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
		    HMAC_SHA384_SIZE);
}

/* RFC 4231 publishes only the leftmost 128 bits of this one (section 4.6). */
TEST(hmac_sha384, matches_rfc4231_test_case_5_truncated_to_128_bits)
{
	uint8_t key[20];

	memset(key, 0x0c, sizeof(key));
	expect_hmac(key, sizeof(key), "Test With Truncation", 20,
		    "3abf34c3503b2a23a46efc619baef897", 16);
}

/* A 131-byte key: longer than a block, so it is hashed first. */
TEST(hmac_sha384, matches_rfc4231_test_case_6)
{
	static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	uint8_t key[131];

	memset(key, 0xaa, sizeof(key));
	expect_hmac(key, sizeof(key), msg, sizeof(msg) - 1,
		    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f"
		    "3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
		    HMAC_SHA384_SIZE);
}

/* Both the key and the data are longer than a block. */
TEST(hmac_sha384, matches_rfc4231_test_case_7)
{
	static const char msg[] = "This is a test using a larger than block-size key and a larger "
				  "than block-size data. The key needs to be hashed before being "
				  "used by the HMAC algorithm.";
	uint8_t key[131];

	memset(key, 0xaa, sizeof(key));
	expect_hmac(key, sizeof(key), msg, sizeof(msg) - 1,
		    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9a"
		    "dccebb82461e99c5a678cc31e799176d3860e6110c46523e",
		    HMAC_SHA384_SIZE);
}

/* ---- HMAC-SHA384: key handling ---------------------------------------- */

TEST(hmac_sha384, accepts_empty_key_and_empty_message_as_null)
{
	expect_hmac(NULL, 0, NULL, 0,
		    "6c1f2ee938fad2e24bd91298474382ca218c75db3d83e114"
		    "b3d4367776d14d3551289e75e8209cd4b792302840234adc",
		    HMAC_SHA384_SIZE);
}

/* Exactly one block: used as K0 directly, not hashed (FIPS 198-1 section 4, step 1). */
TEST(hmac_sha384, uses_a_128_byte_key_as_is)
{
	static const char msg[] = "HMAC key block boundary";
	uint8_t key[SHA384_BLOCK_SIZE];

	fill_pattern(key, sizeof(key), 29, 7);
	expect_hmac(key, sizeof(key), msg, sizeof(msg) - 1,
		    "9eec230de2292010e645b96f33fe571cb59472042ac6affa"
		    "0c514516bd0e136dc3e56ca5f235ae5015b8a02981a7bff1",
		    HMAC_SHA384_SIZE);
}

/*
 * One byte past a block: K0 is SHA-384(key) (FIPS 198-1 section 4, step 2),
 * so the tag equals the one under the 48-byte digest as key.
 */
TEST(hmac_sha384, hashes_a_129_byte_key_first)
{
	static const char msg[] = "HMAC key block boundary";
	uint8_t key[SHA384_BLOCK_SIZE + 1];
	uint8_t key_digest[SHA384_DIGEST_SIZE];
	uint8_t under_digest[HMAC_SHA384_SIZE];
	uint8_t under_key[HMAC_SHA384_SIZE];
	uint8_t want[HMAC_SHA384_SIZE];

	fill_pattern(key, sizeof(key), 29, 7);
	sha384(key, sizeof(key), key_digest);
	hmac_sha384(key_digest, sizeof(key_digest), msg, sizeof(msg) - 1, under_digest);
	hmac_sha384(key, sizeof(key), msg, sizeof(msg) - 1, under_key);
	from_hex("622fd7a2805deeb58bae2938a542de2d40722b56933db5ea"
		 "87bbb0e34e2cc7b5bd54a2e1ec68fe8880dca7a2e33eaa8b",
		 want, sizeof(want));
	EXPECT_MEM_EQ(under_key, want, HMAC_SHA384_SIZE);
	EXPECT_MEM_EQ(under_key, under_digest, HMAC_SHA384_SIZE);
}

/* ---- HMAC-SHA384: streaming, verify, wiping ---------------------------- */

TEST(hmac_sha384_update, two_part_split_at_every_point_of_300_bytes_matches_one_shot)
{
	uint8_t key[37];
	uint8_t msg[300];
	uint8_t want[HMAC_SHA384_SIZE];
	size_t first_mismatch = SIZE_MAX;

	fill_pattern(key, sizeof(key), 13, 1);
	fill_pattern(msg, sizeof(msg), 37, 11);
	hmac_sha384(key, sizeof(key), msg, sizeof(msg), want);
	for (size_t split = 0; split <= sizeof(msg); split++) {
		struct hmac_sha384_ctx ctx;
		uint8_t got[HMAC_SHA384_SIZE];

		hmac_sha384_init(&ctx, key, sizeof(key));
		hmac_sha384_update(&ctx, msg, split);
		hmac_sha384_update(&ctx, msg + split, sizeof(msg) - split);
		hmac_sha384_final(&ctx, got);
		if (memcmp(got, want, sizeof(want)) != 0 && first_mismatch == SIZE_MAX) {
			first_mismatch = split;
		}
	}
	EXPECT_EQ(first_mismatch, SIZE_MAX);
}

/* A copy of a keyed context MACs independently of the original (HKDF relies on it). */
TEST(hmac_sha384_init, copied_keyed_context_macs_like_a_fresh_one)
{
	struct hmac_sha384_ctx keyed, copy;
	uint8_t want_a[HMAC_SHA384_SIZE], want_b[HMAC_SHA384_SIZE];
	uint8_t got_a[HMAC_SHA384_SIZE], got_b[HMAC_SHA384_SIZE];

	hmac_sha384("key", 3, "message a", 9, want_a);
	hmac_sha384("key", 3, "message b", 9, want_b);

	hmac_sha384_init(&keyed, "key", 3);
	memcpy(&copy, &keyed, sizeof(copy));
	hmac_sha384_update(&copy, "message a", 9);
	hmac_sha384_final(&copy, got_a);
	hmac_sha384_update(&keyed, "message b", 9);
	hmac_sha384_final(&keyed, got_b);

	EXPECT_MEM_EQ(got_a, want_a, HMAC_SHA384_SIZE);
	EXPECT_MEM_EQ(got_b, want_b, HMAC_SHA384_SIZE);
}

TEST(hmac_sha384_final, wipes_the_context)
{
	struct hmac_sha384_ctx ctx;
	uint8_t mac[HMAC_SHA384_SIZE];

	hmac_sha384_init(&ctx, "a secret key", 12);
	hmac_sha384_update(&ctx, "data", 4);
	hmac_sha384_final(&ctx, mac);
	EXPECT_TRUE(all_zero(&ctx, sizeof(ctx)));
}

TEST(hmac_sha384_verify, accepts_identical_tags)
{
	uint8_t tag[HMAC_SHA384_SIZE];
	uint8_t same[HMAC_SHA384_SIZE];

	hmac_sha384("key", 3, "message", 7, tag);
	memcpy(same, tag, sizeof(same));
	EXPECT_TRUE(hmac_sha384_verify(tag, same));
}

/* Every bit of every byte counts: no prefix or partial comparison. */
TEST(hmac_sha384_verify, rejects_a_one_bit_difference_at_every_position)
{
	uint8_t tag[HMAC_SHA384_SIZE];
	unsigned int accepted = 0;

	hmac_sha384("key", 3, "message", 7, tag);
	for (size_t byte = 0; byte < HMAC_SHA384_SIZE; byte++) {
		for (unsigned int bit = 0; bit < 8; bit++) {
			uint8_t forged[HMAC_SHA384_SIZE];

			memcpy(forged, tag, sizeof(forged));
			forged[byte] ^= (uint8_t)(1u << bit);
			if (hmac_sha384_verify(tag, forged)) {
				accepted++;
			}
		}
	}
	EXPECT_EQ(accepted, 0);
}

/* ---- HKDF-SHA384 ------------------------------------------------------- */

TEST(hkdf_sha384_extract, matches_reference_prk_for_rfc5869_a1_inputs)
{
	uint8_t ikm[22], salt[13], info[10];
	uint8_t want[HKDF_SHA384_PRK_SIZE];
	uint8_t prk[HKDF_SHA384_PRK_SIZE];

	rfc5869_a1_inputs(ikm, salt, info);
	from_hex("704b39990779ce1dc548052c7dc39f303570dd13fb39f7ac"
		 "c564680bef80e8dec70ee9a7e1f3e293ef68eceb072a5ade",
		 want, sizeof(want));
	hkdf_sha384_extract(salt, sizeof(salt), ikm, sizeof(ikm), prk);
	EXPECT_MEM_EQ(prk, want, HKDF_SHA384_PRK_SIZE);
}

TEST(hkdf_sha384, matches_reference_okm_for_rfc5869_a1_inputs)
{
	uint8_t ikm[22], salt[13], info[10];
	uint8_t want[42];
	uint8_t okm[42];

	rfc5869_a1_inputs(ikm, salt, info);
	from_hex("9b5097a86038b805309076a44b3a9f38063e25b516dcbf369f39"
		 "4cfab43685f748b6457763e4f0204fc5",
		 want, sizeof(want));
	ASSERT_EQ(hkdf_sha384(salt, sizeof(salt), ikm, sizeof(ikm), info, sizeof(info), okm,
			      sizeof(okm)),
		  MON_OK);
	EXPECT_MEM_EQ(okm, want, sizeof(want));
}

/* 80-byte IKM, salt and info: every input longer than a SHA-384 digest, two output blocks. */
TEST(hkdf_sha384, matches_reference_okm_for_rfc5869_a2_long_inputs)
{
	uint8_t ikm[80], salt[80], info[80];
	uint8_t want[82];
	uint8_t okm[82];

	fill_pattern(ikm, sizeof(ikm), 1, 0x00);
	fill_pattern(salt, sizeof(salt), 1, 0x60);
	fill_pattern(info, sizeof(info), 1, 0xb0);
	from_hex("484ca052b8cc724fd1c4ec64d57b4e818c7e25a8e0f4569ed72a6a05fe0649ee"
		 "bf69f8d5c832856bf4e4fbc17967d54975324a94987f7f41835817d8994fdbd6"
		 "f4c09c5500dca24a56222fea53d8967a8b2e",
		 want, sizeof(want));
	ASSERT_EQ(hkdf_sha384(salt, sizeof(salt), ikm, sizeof(ikm), info, sizeof(info), okm,
			      sizeof(okm)),
		  MON_OK);
	EXPECT_MEM_EQ(okm, want, sizeof(want));
}

/* RFC 5869 A.3 shape: no salt, no info. */
TEST(hkdf_sha384, matches_reference_okm_with_empty_salt_and_empty_info)
{
	uint8_t ikm[22];
	uint8_t want[42];
	uint8_t okm[42];

	memset(ikm, 0x0b, sizeof(ikm));
	from_hex("c8c96e710f89b0d7990bca68bcdec8cf854062e54c73a7abc743"
		 "fade9b242daacc1cea5670415b52849c",
		 want, sizeof(want));
	ASSERT_EQ(hkdf_sha384(NULL, 0, ikm, sizeof(ikm), NULL, 0, okm, sizeof(okm)), MON_OK);
	EXPECT_MEM_EQ(okm, want, sizeof(want));
}

/* RFC 5869 section 2.2: "if not provided, [salt] is set to a string of HashLen zeros". */
TEST(hkdf_sha384_extract, treats_missing_salt_as_48_zero_bytes)
{
	static const uint8_t zeros[HKDF_SHA384_PRK_SIZE];
	uint8_t ikm[22];
	uint8_t without_salt[HKDF_SHA384_PRK_SIZE];
	uint8_t zero_salt[HKDF_SHA384_PRK_SIZE];

	memset(ikm, 0x0b, sizeof(ikm));
	hkdf_sha384_extract(NULL, 0, ikm, sizeof(ikm), without_salt);
	hkdf_sha384_extract(zeros, sizeof(zeros), ikm, sizeof(ikm), zero_salt);
	EXPECT_MEM_EQ(without_salt, zero_salt, HKDF_SHA384_PRK_SIZE);
}

/* 255 blocks, the RFC 5869 maximum: checked by its digest and its last block. */
TEST(hkdf_sha384, accepts_the_maximum_output_of_255_blocks)
{
	static uint8_t okm[HKDF_SHA384_MAX_OKM_SIZE];
	uint8_t ikm[22], salt[13], info[10];
	uint8_t want_digest[SHA384_DIGEST_SIZE], got_digest[SHA384_DIGEST_SIZE];
	uint8_t want_last[HMAC_SHA384_SIZE];

	rfc5869_a1_inputs(ikm, salt, info);
	from_hex("9da5d498b6e1e3aca885727547c9438cf8b4fc001a96c815"
		 "7cc81045a93705e54904bf243c76f7fe33c49bc2d02ed633",
		 want_digest, sizeof(want_digest));
	from_hex("51c32bc5254cef4332ed63af77508e0b5c6c2638baf7fcf2"
		 "5cd354f9760cab2d71e079bb1ef9867117de2b2b16cb4a4e",
		 want_last, sizeof(want_last));
	ASSERT_EQ(hkdf_sha384(salt, sizeof(salt), ikm, sizeof(ikm), info, sizeof(info), okm,
			      sizeof(okm)),
		  MON_OK);
	sha384(okm, sizeof(okm), got_digest);
	EXPECT_MEM_EQ(got_digest, want_digest, SHA384_DIGEST_SIZE);
	EXPECT_MEM_EQ(okm + sizeof(okm) - HMAC_SHA384_SIZE, want_last, HMAC_SHA384_SIZE);
}

/* One byte more would need a 256th block, whose counter does not fit its octet. */
TEST(hkdf_sha384_expand, rejects_one_byte_past_the_maximum_and_leaves_output_untouched)
{
	static uint8_t okm[HKDF_SHA384_MAX_OKM_SIZE + 1];
	static uint8_t untouched[HKDF_SHA384_MAX_OKM_SIZE + 1];
	uint8_t prk[HKDF_SHA384_PRK_SIZE];

	fill_pattern(prk, sizeof(prk), 3, 5);
	memset(okm, 0xa5, sizeof(okm));
	memset(untouched, 0xa5, sizeof(untouched));
	EXPECT_EQ(hkdf_sha384_expand(prk, "info", 4, okm, sizeof(okm)), MON_ERR_INVALID_PARAM);
	EXPECT_MEM_EQ(okm, untouched, sizeof(okm));
}

TEST(hkdf_sha384, rejects_one_byte_past_the_maximum_and_leaves_output_untouched)
{
	static uint8_t okm[HKDF_SHA384_MAX_OKM_SIZE + 1];
	static uint8_t untouched[HKDF_SHA384_MAX_OKM_SIZE + 1];

	memset(okm, 0xa5, sizeof(okm));
	memset(untouched, 0xa5, sizeof(untouched));
	EXPECT_EQ(hkdf_sha384("salt", 4, "ikm", 3, "info", 4, okm, sizeof(okm)),
		  MON_ERR_INVALID_PARAM);
	EXPECT_MEM_EQ(okm, untouched, sizeof(okm));
}

/* A size_t near 2^64 must not wrap into an accepted length. */
TEST(hkdf_sha384_expand, rejects_the_largest_size_t_length)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	uint8_t okm[1] = { 0xa5 };

	fill_pattern(prk, sizeof(prk), 3, 5);
	EXPECT_EQ(hkdf_sha384_expand(prk, NULL, 0, okm, SIZE_MAX), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(okm[0], 0xa5);
}

TEST(hkdf_sha384_expand, accepts_zero_length_output_with_null_buffer)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];

	fill_pattern(prk, sizeof(prk), 3, 5);
	EXPECT_EQ(hkdf_sha384_expand(prk, "info", 4, NULL, 0), MON_OK);
}

/* Shorter outputs are prefixes of longer ones, across block boundaries. */
TEST(hkdf_sha384_expand, every_length_up_to_three_blocks_is_a_prefix_of_the_longest)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	uint8_t full[3 * HMAC_SHA384_SIZE];
	size_t first_mismatch = SIZE_MAX;

	fill_pattern(prk, sizeof(prk), 3, 5);
	ASSERT_EQ(hkdf_sha384_expand(prk, "ctx", 3, full, sizeof(full)), MON_OK);
	for (size_t len = 1; len < sizeof(full); len++) {
		uint8_t part[3 * HMAC_SHA384_SIZE];

		ASSERT_EQ(hkdf_sha384_expand(prk, "ctx", 3, part, len), MON_OK);
		if (memcmp(part, full, len) != 0 && first_mismatch == SIZE_MAX) {
			first_mismatch = len;
		}
	}
	EXPECT_EQ(first_mismatch, SIZE_MAX);
}

/* The header promises @okm may overlap @prk: a key replaced by its own derivation. */
TEST(hkdf_sha384_expand, output_over_its_own_prk_matches_separate_output)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	uint8_t separate[2 * HKDF_SHA384_PRK_SIZE];
	uint8_t in_place[2 * HKDF_SHA384_PRK_SIZE];

	fill_pattern(prk, sizeof(prk), 3, 5);
	ASSERT_EQ(hkdf_sha384_expand(prk, "next", 4, separate, sizeof(separate)), MON_OK);
	/* A two-block output whose first block lands on the PRK itself. */
	memcpy(in_place, prk, sizeof(prk));
	ASSERT_EQ(hkdf_sha384_expand(in_place, "next", 4, in_place, sizeof(separate)), MON_OK);
	EXPECT_MEM_EQ(in_place, separate, sizeof(separate));
}

TEST(hkdf_sha384, equals_extract_then_expand)
{
	uint8_t ikm[22], salt[13], info[10];
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	uint8_t two_step[100];
	uint8_t one_shot[100];

	rfc5869_a1_inputs(ikm, salt, info);
	hkdf_sha384_extract(salt, sizeof(salt), ikm, sizeof(ikm), prk);
	ASSERT_EQ(hkdf_sha384_expand(prk, info, sizeof(info), two_step, sizeof(two_step)), MON_OK);
	ASSERT_EQ(hkdf_sha384(salt, sizeof(salt), ikm, sizeof(ikm), info, sizeof(info), one_shot,
			      sizeof(one_shot)),
		  MON_OK);
	EXPECT_MEM_EQ(one_shot, two_step, sizeof(one_shot));
}
