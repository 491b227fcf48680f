// SPDX-License-Identifier: BSD-2-Clause
/*
 * AES-256 and AES-256-GCM against published vectors, and the decryption
 * contract: nothing but an exact (key, IV, AAD, ciphertext, tag) opens, and
 * a refused message leaves zeros, never partial plaintext.
 *
 * Vectors: FIPS 197 Appendix C.3 and NIST SP 800-38A F.1.5 (AES-256 block);
 * McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases
 * 13 to 16 (AES-256-GCM). Every expected value below was checked on the
 * build machine with OpenSSL: all of them through Python's cryptography
 * module (AESGCM, Cipher(AES, ECB)), the FIPS 197 block also with
 * `openssl enc -aes-256-ecb -nopad`.
 */
#include "covemon/aes_gcm.h"
#include "covemon/err.h"
#include "test.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MSG_64	      64
#define AAD_20	      20
#define MAX_ROUNDTRIP 80
#define POISON	      0xa5

static uint8_t hex_nibble(char c)
{
	if (c >= '0' && c <= '9') {
		return (uint8_t)(c - '0');
	}
	return (uint8_t)(c - 'a' + 10);
}

/* Decodes @hex (lowercase, even length) into @out, which holds @cap bytes; returns the length. */
static size_t from_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	ASSERT_EQ(strlen(hex) % 2, 0);
	ASSERT_LE(n, cap);
	for (size_t i = 0; i < n; i++) {
		out[i] = (uint8_t)(hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]));
	}
	return n;
}

/* Deterministic filler with no short period. */
static void fill_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)(i * 37 + seed * 101 + 11);
	}
}

static bool all_zero(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != 0) {
			return false;
		}
	}
	return true;
}

static void expect_block(const char *key_hex, const char *in_hex, const char *out_hex)
{
	uint8_t key[AES256_KEY_SIZE], in[AES_BLOCK_SIZE], want[AES_BLOCK_SIZE];
	uint8_t got[AES_BLOCK_SIZE];

	ASSERT_EQ(from_hex(key_hex, key, sizeof(key)), AES256_KEY_SIZE);
	ASSERT_EQ(from_hex(in_hex, in, sizeof(in)), AES_BLOCK_SIZE);
	ASSERT_EQ(from_hex(out_hex, want, sizeof(want)), AES_BLOCK_SIZE);
	aes256_encrypt_block(key, in, got);
	EXPECT_MEM_EQ(got, want, AES_BLOCK_SIZE);
}

/* A published GCM case, as hex strings ("" for empty). */
struct gcm_vector {
	const char *key, *iv, *pt, *aad, *ct, *tag;
};

#define GCM_VEC_MAX 64

/* Encrypts @v, then opens the published ciphertext and tag. */
static void expect_gcm_vector(const struct gcm_vector *v)
{
	uint8_t key[AES_GCM_KEY_SIZE], iv[AES_GCM_IV_SIZE], tag[AES_GCM_TAG_SIZE];
	uint8_t pt[GCM_VEC_MAX], aad[GCM_VEC_MAX], ct[GCM_VEC_MAX];
	uint8_t got_ct[GCM_VEC_MAX], got_pt[GCM_VEC_MAX], got_tag[AES_GCM_TAG_SIZE];
	size_t len, aad_len;

	ASSERT_EQ(from_hex(v->key, key, sizeof(key)), AES_GCM_KEY_SIZE);
	ASSERT_EQ(from_hex(v->iv, iv, sizeof(iv)), AES_GCM_IV_SIZE);
	ASSERT_EQ(from_hex(v->tag, tag, sizeof(tag)), AES_GCM_TAG_SIZE);
	len = from_hex(v->pt, pt, sizeof(pt));
	aad_len = from_hex(v->aad, aad, sizeof(aad));
	ASSERT_EQ(from_hex(v->ct, ct, sizeof(ct)), len);

	aes_gcm_encrypt(key, iv, aad, aad_len, pt, len, got_ct, got_tag);
	EXPECT_MEM_EQ(got_ct, ct, len);
	EXPECT_MEM_EQ(got_tag, tag, AES_GCM_TAG_SIZE);

	memset(got_pt, POISON, sizeof(got_pt));
	EXPECT_EQ(aes_gcm_decrypt(key, iv, aad, aad_len, ct, len, tag, got_pt), MON_OK);
	EXPECT_MEM_EQ(got_pt, pt, len);
}

TEST(aes256, encrypts_fips197_appendix_c3_block)
{
	expect_block("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		     "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089");
}

/* SP 800-38A F.1.5 ECB-AES256.Encrypt: four blocks under a key with no structure. */
TEST(aes256, encrypts_sp800_38a_ecb_blocks)
{
	static const char key[] = "603deb1015ca71be2b73aef0857d7781"
				  "1f352c073b6108d72d9810a30914dff4";

	expect_block(key, "6bc1bee22e409f96e93d7e117393172a", "f3eed1bdb5d2a03c064b5a7e3db181f8");
	expect_block(key, "ae2d8a571e03ac9c9eb76fac45af8e51", "591ccb10d410ed26dc5ba74a31362870");
	expect_block(key, "30c81c46a35ce411e5fbc1191a0a52ef", "b6ed21b99ca6f4f9f153e7b1beafed1d");
	expect_block(key, "f69f2445df4f9b17ad2b417be66c3710", "23304b7a39f9f3ff067d8d8f9e24ecc7");
}

TEST(aes256, encrypts_in_place)
{
	static const uint8_t key[AES256_KEY_SIZE] = { 0 };
	uint8_t block[AES_BLOCK_SIZE] = { 0 };
	uint8_t copy[AES_BLOCK_SIZE];

	aes256_encrypt_block(key, block, copy);
	aes256_encrypt_block(key, block, block);
	EXPECT_MEM_EQ(block, copy, AES_BLOCK_SIZE);
}

static const char gcm_key_15[] = "feffe9928665731c6d6a8f9467308308"
				 "feffe9928665731c6d6a8f9467308308";
static const char gcm_iv_15[] = "cafebabefacedbaddecaf888";
static const char gcm_pt_15[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
				"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char gcm_ct_15[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
				"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
static const char gcm_pt_16[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
				"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_ct_16[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
				"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";

/* Test case 13: zero key, empty message and AAD; the tag is E(K, J0) ^ GHASH of lengths 0. */
TEST(aes_gcm, test_case_13_zero_key_empty_message)
{
	const struct gcm_vector v = {
		.key = "0000000000000000000000000000000000000000000000000000000000000000",
		.iv = "000000000000000000000000",
		.pt = "",
		.aad = "",
		.ct = "",
		.tag = "530f8afbc74536b9a963b4f1c4cb738b",
	};

	expect_gcm_vector(&v);
}

TEST(aes_gcm, test_case_14_zero_key_one_zero_block)
{
	const struct gcm_vector v = {
		.key = "0000000000000000000000000000000000000000000000000000000000000000",
		.iv = "000000000000000000000000",
		.pt = "00000000000000000000000000000000",
		.aad = "",
		.ct = "cea7403d4d606b6e074ec5d3baf39d18",
		.tag = "d0d1c8a799996bf0265b98b5d48ab919",
	};

	expect_gcm_vector(&v);
}

TEST(aes_gcm, test_case_15_four_blocks_no_aad)
{
	const struct gcm_vector v = {
		.key = gcm_key_15,
		.iv = gcm_iv_15,
		.pt = gcm_pt_15,
		.aad = "",
		.ct = gcm_ct_15,
		.tag = "b094dac5d93471bdec1a502270e3cc6c",
	};

	expect_gcm_vector(&v);
}

/* Test case 16: 20 bytes of AAD and a 60-byte message, both ending in partial blocks. */
TEST(aes_gcm, test_case_16_aad_and_partial_last_block)
{
	const struct gcm_vector v = {
		.key = gcm_key_15,
		.iv = gcm_iv_15,
		.pt = gcm_pt_16,
		.aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		.ct = gcm_ct_16,
		.tag = "76fc6ece0f4e1768cddf8853bb2d551b",
	};

	expect_gcm_vector(&v);
}

/*
 * A sealed 64-byte message with 20 bytes of AAD, the fixture of the
 * tampering tests below.
 */
struct sealed {
	uint8_t key[AES_GCM_KEY_SIZE];
	uint8_t iv[AES_GCM_IV_SIZE];
	uint8_t aad[AAD_20];
	uint8_t pt[MSG_64];
	uint8_t ct[MSG_64];
	uint8_t tag[AES_GCM_TAG_SIZE];
};

static void seal(struct sealed *s)
{
	fill_pattern(s->key, sizeof(s->key), 1);
	fill_pattern(s->iv, sizeof(s->iv), 2);
	fill_pattern(s->aad, sizeof(s->aad), 3);
	fill_pattern(s->pt, sizeof(s->pt), 4);
	aes_gcm_encrypt(s->key, s->iv, s->aad, sizeof(s->aad), s->pt, sizeof(s->pt), s->ct, s->tag);
}

/*
 * Opens @s as it stands into a poisoned buffer. Returns the result, and
 * through @zeroed whether the buffer came back all zero.
 */
static mon_err_t open_sealed(const struct sealed *s, bool *zeroed)
{
	uint8_t out[MSG_64];
	mon_err_t err;

	memset(out, POISON, sizeof(out));
	err = aes_gcm_decrypt(s->key, s->iv, s->aad, sizeof(s->aad), s->ct, sizeof(s->ct), s->tag,
			      out);
	*zeroed = all_zero(out, sizeof(out));
	return err;
}

/* Counts the single-bit flips of @field (inside @s) that were not refused with a zeroed buffer. */
static unsigned int count_accepted_flips(struct sealed *s, uint8_t *field, size_t len)
{
	unsigned int accepted = 0;

	for (size_t bit = 0; bit < 8 * len; bit++) {
		bool zeroed = false;
		mon_err_t err;

		field[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		err = open_sealed(s, &zeroed);
		field[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (err != MON_ERR_AUTH || !zeroed) {
			accepted++;
		}
	}
	return accepted;
}

TEST(aes_gcm_decrypt, opens_untampered_message)
{
	struct sealed s;
	uint8_t out[MSG_64];

	seal(&s);
	EXPECT_EQ(
		aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), s.ct, sizeof(s.ct), s.tag, out),
		MON_OK);
	EXPECT_MEM_EQ(out, s.pt, sizeof(out));
}

/* Threat: a forger adjusts the tag; every one of its 128 bits must matter. */
TEST(aes_gcm_decrypt, refuses_every_single_bit_flip_of_the_tag)
{
	struct sealed s;

	seal(&s);
	EXPECT_EQ(count_accepted_flips(&s, s.tag, sizeof(s.tag)), 0);
}

/* Threat: the host edits sealed ciphertext hoping for controlled plaintext changes. */
TEST(aes_gcm_decrypt, refuses_every_single_bit_flip_of_the_ciphertext)
{
	struct sealed s;

	seal(&s);
	EXPECT_EQ(count_accepted_flips(&s, s.ct, sizeof(s.ct)), 0);
}

/* Threat: a payload replayed in another context (the AAD binds it). */
TEST(aes_gcm_decrypt, refuses_every_single_bit_flip_of_the_aad)
{
	struct sealed s;

	seal(&s);
	EXPECT_EQ(count_accepted_flips(&s, s.aad, sizeof(s.aad)), 0);
}

TEST(aes_gcm_decrypt, refuses_every_single_bit_flip_of_the_iv)
{
	struct sealed s;

	seal(&s);
	EXPECT_EQ(count_accepted_flips(&s, s.iv, sizeof(s.iv)), 0);
}

TEST(aes_gcm_decrypt, refuses_every_single_bit_flip_of_the_key)
{
	struct sealed s;

	seal(&s);
	EXPECT_EQ(count_accepted_flips(&s, s.key, sizeof(s.key)), 0);
}

/* Threat: dropping the end of a message (the length block of GHASH binds it). */
TEST(aes_gcm_decrypt, refuses_truncated_ciphertext)
{
	struct sealed s;
	uint8_t out[MSG_64];

	seal(&s);
	for (size_t len = 0; len < sizeof(s.ct); len++) {
		memset(out, POISON, sizeof(out));
		EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), s.ct, len, s.tag, out),
			  MON_ERR_AUTH);
		EXPECT_TRUE(all_zero(out, len));
		/* Bytes past @len are not the function's to touch. */
		EXPECT_EQ(out[len], POISON);
	}
}

/*
 * Threat: moving bytes across the AAD/ciphertext boundary, which leaves the
 * concatenation unchanged when both end on a block boundary.
 */
TEST(aes_gcm_decrypt, refuses_bytes_moved_between_aad_and_ciphertext)
{
	uint8_t key[AES_GCM_KEY_SIZE], iv[AES_GCM_IV_SIZE], tag[AES_GCM_TAG_SIZE];
	uint8_t aad[2 * AES_BLOCK_SIZE], pt[2 * AES_BLOCK_SIZE], ct[2 * AES_BLOCK_SIZE];
	uint8_t joined[4 * AES_BLOCK_SIZE], out[4 * AES_BLOCK_SIZE];

	fill_pattern(key, sizeof(key), 5);
	fill_pattern(iv, sizeof(iv), 6);
	fill_pattern(aad, sizeof(aad), 7);
	fill_pattern(pt, sizeof(pt), 8);
	aes_gcm_encrypt(key, iv, aad, sizeof(aad), pt, sizeof(pt), ct, tag);
	memcpy(joined, aad, sizeof(aad));
	memcpy(joined + sizeof(aad), ct, sizeof(ct));

	/* One block of AAD moved into the ciphertext, and one block of ciphertext into the AAD. */
	EXPECT_EQ(aes_gcm_decrypt(key, iv, joined, AES_BLOCK_SIZE, joined + AES_BLOCK_SIZE,
				  3 * AES_BLOCK_SIZE, tag, out),
		  MON_ERR_AUTH);
	EXPECT_EQ(aes_gcm_decrypt(key, iv, joined, 3 * AES_BLOCK_SIZE, joined + 3 * AES_BLOCK_SIZE,
				  AES_BLOCK_SIZE, tag, out),
		  MON_ERR_AUTH);
}

/* A refused in-place decryption destroys the ciphertext rather than leave plaintext behind. */
TEST(aes_gcm_decrypt, refused_in_place_leaves_zeros)
{
	struct sealed s;

	seal(&s);
	s.tag[0] ^= 1;
	EXPECT_EQ(
		aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), s.ct, sizeof(s.ct), s.tag, s.ct),
		MON_ERR_AUTH);
	EXPECT_TRUE(all_zero(s.ct, sizeof(s.ct)));
}

TEST(aes_gcm, in_place_round_trip_matches_separate_buffers)
{
	struct sealed s;
	uint8_t buf[MSG_64];
	uint8_t tag[AES_GCM_TAG_SIZE];

	seal(&s);
	memcpy(buf, s.pt, sizeof(buf));
	aes_gcm_encrypt(s.key, s.iv, s.aad, sizeof(s.aad), buf, sizeof(buf), buf, tag);
	EXPECT_MEM_EQ(buf, s.ct, sizeof(buf));
	EXPECT_MEM_EQ(tag, s.tag, sizeof(tag));
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), buf, sizeof(buf), tag, buf),
		  MON_OK);
	EXPECT_MEM_EQ(buf, s.pt, sizeof(buf));
}

/* Every length across the four-block batches and partial blocks, with AAD lengths varying too. */
TEST(aes_gcm, round_trips_every_length_up_to_80)
{
	uint8_t key[AES_GCM_KEY_SIZE], iv[AES_GCM_IV_SIZE], tag[AES_GCM_TAG_SIZE];
	uint8_t aad[MAX_ROUNDTRIP], pt[MAX_ROUNDTRIP], ct[MAX_ROUNDTRIP], out[MAX_ROUNDTRIP + 1];
	unsigned int failures = 0;

	fill_pattern(key, sizeof(key), 9);
	fill_pattern(iv, sizeof(iv), 10);
	fill_pattern(aad, sizeof(aad), 11);
	fill_pattern(pt, sizeof(pt), 12);
	for (size_t len = 0; len <= MAX_ROUNDTRIP; len++) {
		size_t aad_len = (len * 7) % (MAX_ROUNDTRIP + 1);

		aes_gcm_encrypt(key, iv, aad, aad_len, pt, len, ct, tag);
		memset(out, POISON, sizeof(out));
		if (aes_gcm_decrypt(key, iv, aad, aad_len, ct, len, tag, out) != MON_OK ||
		    memcmp(out, pt, len) != 0 || out[len] != POISON) {
			failures++;
		}
	}
	EXPECT_EQ(failures, 0);
}

/* The ciphertext is the plaintext XOR a keystream: it must differ from the plaintext. */
TEST(aes_gcm, ciphertext_differs_from_plaintext_in_every_block)
{
	struct sealed s;

	seal(&s);
	for (size_t off = 0; off < sizeof(s.ct); off += AES_BLOCK_SIZE) {
		EXPECT_NE(memcmp(s.ct + off, s.pt + off, AES_BLOCK_SIZE), 0);
	}
}

/* The empty message with AAD is GMAC: the tag alone authenticates the AAD. */
TEST(aes_gcm, authenticates_aad_without_a_message)
{
	struct sealed s;
	uint8_t tag[AES_GCM_TAG_SIZE];

	seal(&s);
	aes_gcm_encrypt(s.key, s.iv, s.aad, sizeof(s.aad), NULL, 0, NULL, tag);
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), NULL, 0, tag, NULL), MON_OK);
	s.aad[sizeof(s.aad) - 1] ^= 0x80;
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), NULL, 0, tag, NULL),
		  MON_ERR_AUTH);
}

/*
 * Threat: a length beyond SP 800-38D's limit would wrap the 32-bit counter
 * and reuse keystream. It is refused before any byte is read or written
 * (the buffers here are far smaller than the lengths; ASan would see a read).
 */
TEST(aes_gcm_decrypt, rejects_length_over_the_sp800_38d_limit)
{
	struct sealed s;
	uint8_t out[MSG_64];

	seal(&s);
	memset(out, POISON, sizeof(out));
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), s.ct,
				  (size_t)AES_GCM_MAX_LEN + 1, s.tag, out),
		  MON_ERR_INVALID_PARAM);
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, sizeof(s.aad), s.ct, SIZE_MAX, s.tag, out),
		  MON_ERR_INVALID_PARAM);
	EXPECT_EQ(out[0], POISON);
}

TEST(aes_gcm_decrypt, rejects_aad_length_over_the_sp800_38d_limit)
{
	struct sealed s;
	uint8_t out[MSG_64];

	seal(&s);
	memset(out, POISON, sizeof(out));
	EXPECT_EQ(aes_gcm_decrypt(s.key, s.iv, s.aad, (size_t)AES_GCM_MAX_AAD_LEN + 1, s.ct,
				  sizeof(s.ct), s.tag, out),
		  MON_ERR_INVALID_PARAM);
	EXPECT_EQ(out[0], POISON);
}
