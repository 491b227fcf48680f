// SPDX-License-Identifier: BSD-2-Clause
/*
 * AES-256 and AES-256-GCM against OpenSSL's EVP implementation: the same
 * deterministic pseudo-random keys, IVs, AAD and messages, sealed by both,
 * must give the same ciphertext and tag, and each side must open what the
 * other sealed. Host only (links libcrypto).
 */
#include "covemon/aes_gcm.h"
#include "covemon/err.h"
#include "test.h"

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RANDOM_CASES 600
#define MAX_AAD_LEN  64
#define MAX_PT_LEN   300
#define BLOCK_CASES  1000
#define LARGE_LEN    (64 * 1024)
#define ALIGN_SPAN   8

/* Reported as the first mismatching case when there is none. */
#define NO_MISMATCH SIZE_MAX

static void openssl_gcm_encrypt(const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
				size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
				uint8_t tag[AES_GCM_TAG_SIZE])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out_len = 0;

	ASSERT_TRUE(ctx != NULL);
	ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv), 1);
	if (aad_len > 0) {
		ASSERT_EQ(EVP_EncryptUpdate(ctx, NULL, &out_len, aad, (int)aad_len), 1);
	}
	if (len > 0) {
		ASSERT_EQ(EVP_EncryptUpdate(ctx, ct, &out_len, pt, (int)len), 1);
		ASSERT_EQ((size_t)out_len, len);
	}
	ASSERT_EQ(EVP_EncryptFinal_ex(ctx, ct + len, &out_len), 1);
	ASSERT_EQ(out_len, 0);
	ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AES_GCM_TAG_SIZE, tag), 1);
	EVP_CIPHER_CTX_free(ctx);
}

/* Returns true when OpenSSL accepts the tag (and then @pt holds the plaintext). */
static bool openssl_gcm_decrypt(const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
				size_t aad_len, const uint8_t *ct, size_t len,
				const uint8_t tag[AES_GCM_TAG_SIZE], uint8_t *pt)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t tag_copy[AES_GCM_TAG_SIZE];
	int out_len = 0;
	int ok;

	memcpy(tag_copy, tag, sizeof(tag_copy));
	ASSERT_TRUE(ctx != NULL);
	ASSERT_EQ(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv), 1);
	if (aad_len > 0) {
		ASSERT_EQ(EVP_DecryptUpdate(ctx, NULL, &out_len, aad, (int)aad_len), 1);
	}
	if (len > 0) {
		ASSERT_EQ(EVP_DecryptUpdate(ctx, pt, &out_len, ct, (int)len), 1);
	}
	ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AES_GCM_TAG_SIZE, tag_copy), 1);
	ok = EVP_DecryptFinal_ex(ctx, pt + len, &out_len);
	EVP_CIPHER_CTX_free(ctx);
	return ok == 1;
}

static void openssl_aes256_block(const uint8_t key[AES256_KEY_SIZE],
				 const uint8_t in[AES_BLOCK_SIZE], uint8_t out[AES_BLOCK_SIZE])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out_len = 0;

	ASSERT_TRUE(ctx != NULL);
	ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, key, NULL), 1);
	ASSERT_EQ(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
	ASSERT_EQ(EVP_EncryptUpdate(ctx, out, &out_len, in, AES_BLOCK_SIZE), 1);
	ASSERT_EQ(out_len, AES_BLOCK_SIZE);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * One random case of the given lengths: both seal, the results must match,
 * each opens the other's. Returns false on any disagreement.
 */
static bool gcm_case_agrees(uint64_t *rng, size_t aad_len, size_t len, uint8_t *pt, uint8_t *ct,
			    uint8_t *their_ct, uint8_t *out)
{
	uint8_t key[AES_GCM_KEY_SIZE], iv[AES_GCM_IV_SIZE], aad[MAX_AAD_LEN];
	uint8_t tag[AES_GCM_TAG_SIZE], their_tag[AES_GCM_TAG_SIZE];
	bool same = true;

	test_rng_fill(rng, key, sizeof(key));
	test_rng_fill(rng, iv, sizeof(iv));
	test_rng_fill(rng, aad, aad_len);
	test_rng_fill(rng, pt, len);

	aes_gcm_encrypt(key, iv, aad, aad_len, pt, len, ct, tag);
	openssl_gcm_encrypt(key, iv, aad, aad_len, pt, len, their_ct, their_tag);
	same = same && memcmp(ct, their_ct, len) == 0;
	same = same && memcmp(tag, their_tag, sizeof(tag)) == 0;

	/* Ours opens OpenSSL's output. */
	memset(out, 0, len);
	same = same &&
	       aes_gcm_decrypt(key, iv, aad, aad_len, their_ct, len, their_tag, out) == MON_OK;
	same = same && memcmp(out, pt, len) == 0;

	/* OpenSSL opens ours. */
	memset(out, 0, len);
	same = same && openssl_gcm_decrypt(key, iv, aad, aad_len, ct, len, tag, out);
	same = same && memcmp(out, pt, len) == 0;
	return same;
}

TEST(aes256_openssl, agrees_on_random_blocks)
{
	uint64_t rng = 0x4145532d3235362dULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < BLOCK_CASES; i++) {
		uint8_t key[AES256_KEY_SIZE], in[AES_BLOCK_SIZE];
		uint8_t ours[AES_BLOCK_SIZE], theirs[AES_BLOCK_SIZE];

		test_rng_fill(&rng, key, sizeof(key));
		test_rng_fill(&rng, in, sizeof(in));
		aes256_encrypt_block(key, in, ours);
		openssl_aes256_block(key, in, theirs);
		if (memcmp(ours, theirs, AES_BLOCK_SIZE) != 0 && first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(aes_gcm_openssl, agrees_on_random_messages)
{
	static uint8_t pt[MAX_PT_LEN], ct[MAX_PT_LEN + 1], their_ct[MAX_PT_LEN + 1];
	static uint8_t out[MAX_PT_LEN + 1];
	uint64_t rng = 0x41455347434d2d31ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < RANDOM_CASES; i++) {
		size_t aad_len = (size_t)(test_rng_next(&rng) % (MAX_AAD_LEN + 1));
		size_t len = (size_t)(test_rng_next(&rng) % (MAX_PT_LEN + 1));

		if (!gcm_case_agrees(&rng, aad_len, len, pt, ct, their_ct, out) &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

/* Every message length 0..300 once, so no batch or block remainder is missed by chance. */
TEST(aes_gcm_openssl, agrees_on_every_message_length_up_to_300)
{
	static uint8_t pt[MAX_PT_LEN], ct[MAX_PT_LEN + 1], their_ct[MAX_PT_LEN + 1];
	static uint8_t out[MAX_PT_LEN + 1];
	uint64_t rng = 0x41455347434d2d32ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t len = 0; len <= MAX_PT_LEN; len++) {
		size_t aad_len = len % (MAX_AAD_LEN + 1);

		if (!gcm_case_agrees(&rng, aad_len, len, pt, ct, their_ct, out) &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = len;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(aes_gcm_openssl, agrees_on_a_64_kib_message)
{
	static uint8_t pt[LARGE_LEN], ct[LARGE_LEN + 1], their_ct[LARGE_LEN + 1];
	static uint8_t out[LARGE_LEN + 1];
	uint64_t rng = 0x41455347434d2d33ULL;

	EXPECT_TRUE(gcm_case_agrees(&rng, MAX_AAD_LEN, LARGE_LEN, pt, ct, their_ct, out));
}

/* Buffers need not be aligned: every load and store is byte-wise. */
TEST(aes_gcm_openssl, agrees_on_unaligned_buffers)
{
	static uint8_t pt[MAX_PT_LEN + ALIGN_SPAN], ct[MAX_PT_LEN + ALIGN_SPAN + 1];
	static uint8_t their_ct[MAX_PT_LEN + ALIGN_SPAN + 1], out[MAX_PT_LEN + ALIGN_SPAN + 1];
	uint64_t rng = 0x41455347434d2d34ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t off = 0; off < ALIGN_SPAN; off++) {
		if (!gcm_case_agrees(&rng, 2 * off + 1, 131, pt + off, ct + (ALIGN_SPAN - 1 - off),
				     their_ct, out + off) &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = off;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

/* A forged tag is refused by both sides alike. */
TEST(aes_gcm_openssl, both_refuse_a_forged_tag)
{
	static uint8_t pt[MAX_PT_LEN], ct[MAX_PT_LEN + 1], out[MAX_PT_LEN + 1];
	uint8_t key[AES_GCM_KEY_SIZE], iv[AES_GCM_IV_SIZE], aad[MAX_AAD_LEN];
	uint8_t tag[AES_GCM_TAG_SIZE];
	uint64_t rng = 0x41455347434d2d35ULL;

	test_rng_fill(&rng, key, sizeof(key));
	test_rng_fill(&rng, iv, sizeof(iv));
	test_rng_fill(&rng, aad, sizeof(aad));
	test_rng_fill(&rng, pt, sizeof(pt));
	openssl_gcm_encrypt(key, iv, aad, sizeof(aad), pt, sizeof(pt), ct, tag);
	tag[AES_GCM_TAG_SIZE - 1] ^= 0x01;
	EXPECT_FALSE(openssl_gcm_decrypt(key, iv, aad, sizeof(aad), ct, sizeof(pt), tag, out));
	EXPECT_EQ(aes_gcm_decrypt(key, iv, aad, sizeof(aad), ct, sizeof(pt), tag, out),
		  MON_ERR_AUTH);
}
