// SPDX-License-Identifier: BSD-2-Clause
/*
 * HMAC-SHA384 and HKDF-SHA384 against OpenSSL 3 (EVP_MAC "HMAC" and
 * EVP_KDF "HKDF" in its three modes): the same deterministic pseudo-random
 * keys, salts, infos and lengths, given to both, must give the same bytes.
 * Host only (links libcrypto).
 */
#include "covemon/err.h"
#include "covemon/hkdf.h"
#include "covemon/hmac.h"
#include "covemon/sha384.h"
#include "test.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RANDOM_CASES 500

/* Longest random key, salt, IKM or info: past two blocks, so long keys get hashed. */
#define MAX_INPUT_LEN 300

/* Longest random message: several blocks on both sides of the HMAC. */
#define MAX_MSG_LEN 1000

/* Reported as the first mismatching case when there is none. */
#define NO_MISMATCH SIZE_MAX

/* A length in [0, @max]; one draw in eight is 0 or @max, the edges. */
static size_t rng_len(uint64_t *state, size_t max)
{
	uint64_t r = test_rng_next(state);

	switch (r & 7) {
	case 0: return 0;
	case 1: return max;
	default: return (size_t)((r >> 8) % (max + 1));
	}
}

/*
 * HMAC-SHA384 by OpenSSL. The key pointer is never NULL: EVP_MAC_init reads
 * a NULL key as "keep the previous one", not as the empty key.
 */
static void openssl_hmac(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len,
			 uint8_t out[HMAC_SHA384_SIZE])
{
	static const uint8_t empty[1];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int ok;

	ASSERT_TRUE(mac != NULL);
	ctx = EVP_MAC_CTX_new(mac);
	ASSERT_TRUE(ctx != NULL);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA384", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = EVP_MAC_init(ctx, key_len > 0 ? key : empty, key_len, params) == 1 &&
	     EVP_MAC_update(ctx, msg, msg_len) == 1 &&
	     EVP_MAC_final(ctx, out, &out_len, HMAC_SHA384_SIZE) == 1;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	ASSERT_TRUE(ok);
	ASSERT_EQ(out_len, HMAC_SHA384_SIZE);
}

/*
 * HKDF-SHA384 by OpenSSL in @mode ("EXTRACT_AND_EXPAND", "EXTRACT_ONLY" or
 * "EXPAND_ONLY"; @key is the IKM, or the PRK for EXPAND_ONLY). An empty salt
 * or info is left unset, which OpenSSL treats as RFC 5869 does.
 */
static void openssl_hkdf(const char *mode, const uint8_t *salt, size_t salt_len, const uint8_t *key,
			 size_t key_len, const uint8_t *info, size_t info_len, uint8_t *out,
			 size_t out_len)
{
	static const uint8_t empty[1];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[6];
	size_t n = 0;
	int ok;

	ASSERT_TRUE(kdf != NULL);
	ctx = EVP_KDF_CTX_new(kdf);
	ASSERT_TRUE(ctx != NULL);
	params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA384", 0);
	params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, (char *)mode, 0);
	params[n++] = OSSL_PARAM_construct_octet_string(
		OSSL_KDF_PARAM_KEY, (void *)(key_len > 0 ? key : empty), key_len);
	if (salt_len > 0) {
		params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
								salt_len);
	}
	if (info_len > 0) {
		params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
								info_len);
	}
	params[n] = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	ASSERT_TRUE(ok);
}

/* Our HMAC of @msg cut into updates of random size (including empty ones). */
static void hmac_in_random_chunks(uint64_t *state, const uint8_t *key, size_t key_len,
				  const uint8_t *msg, size_t len, uint8_t out[HMAC_SHA384_SIZE])
{
	struct hmac_sha384_ctx ctx;
	size_t done = 0;

	hmac_sha384_init(&ctx, key, key_len);
	while (done < len) {
		size_t n = (size_t)(test_rng_next(state) % (SHA384_BLOCK_SIZE + 2));

		if (n > len - done) {
			n = len - done;
		}
		hmac_sha384_update(&ctx, msg + done, n);
		done += n;
	}
	hmac_sha384_final(&ctx, out);
}

TEST(hmac_sha384_openssl, agrees_on_random_keys_and_messages_one_shot_and_chunked)
{
	static uint8_t key[MAX_INPUT_LEN], msg[MAX_MSG_LEN];
	uint64_t rng = 0x484d41432d333834ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < 2 * RANDOM_CASES; i++) {
		size_t key_len = rng_len(&rng, MAX_INPUT_LEN);
		size_t msg_len = rng_len(&rng, MAX_MSG_LEN);
		uint8_t one_shot[HMAC_SHA384_SIZE];
		uint8_t chunked[HMAC_SHA384_SIZE];
		uint8_t theirs[HMAC_SHA384_SIZE];

		test_rng_fill(&rng, key, key_len);
		test_rng_fill(&rng, msg, msg_len);
		hmac_sha384(key, key_len, msg, msg_len, one_shot);
		hmac_in_random_chunks(&rng, key, key_len, msg, msg_len, chunked);
		openssl_hmac(key, key_len, msg, msg_len, theirs);
		if ((memcmp(one_shot, theirs, HMAC_SHA384_SIZE) != 0 ||
		     memcmp(chunked, theirs, HMAC_SHA384_SIZE) != 0) &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

/* Every key length from empty to past two blocks: the 128/129 hashing edge included. */
TEST(hmac_sha384_openssl, agrees_on_every_key_length_up_to_300)
{
	static uint8_t key[MAX_INPUT_LEN];
	static const char msg[] = "every key length";
	uint64_t rng = 0x484d41432d6b6579ULL;
	size_t first_mismatch = NO_MISMATCH;

	test_rng_fill(&rng, key, sizeof(key));
	for (size_t key_len = 0; key_len <= sizeof(key); key_len++) {
		uint8_t ours[HMAC_SHA384_SIZE];
		uint8_t theirs[HMAC_SHA384_SIZE];

		hmac_sha384(key, key_len, msg, sizeof(msg) - 1, ours);
		openssl_hmac(key, key_len, (const uint8_t *)msg, sizeof(msg) - 1, theirs);
		if (memcmp(ours, theirs, HMAC_SHA384_SIZE) != 0 && first_mismatch == NO_MISMATCH) {
			first_mismatch = key_len;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(hkdf_sha384_openssl, extract_agrees_on_random_salts_and_ikms)
{
	static uint8_t salt[MAX_INPUT_LEN], ikm[MAX_INPUT_LEN];
	uint64_t rng = 0x484b44462d657874ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < RANDOM_CASES; i++) {
		size_t salt_len = rng_len(&rng, MAX_INPUT_LEN);
		size_t ikm_len = rng_len(&rng, MAX_INPUT_LEN);
		uint8_t ours[HKDF_SHA384_PRK_SIZE];
		uint8_t theirs[HKDF_SHA384_PRK_SIZE];

		test_rng_fill(&rng, salt, salt_len);
		test_rng_fill(&rng, ikm, ikm_len);
		/* An empty salt goes in as NULL, as a caller without one would pass it. */
		hkdf_sha384_extract(salt_len > 0 ? salt : NULL, salt_len, ikm, ikm_len, ours);
		openssl_hkdf("EXTRACT_ONLY", salt, salt_len, ikm, ikm_len, NULL, 0, theirs,
			     sizeof(theirs));
		if (memcmp(ours, theirs, HKDF_SHA384_PRK_SIZE) != 0 &&
		    first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(hkdf_sha384_openssl, expand_agrees_on_random_prks_infos_and_lengths)
{
	static uint8_t info[MAX_INPUT_LEN];
	static uint8_t ours[HKDF_SHA384_MAX_OKM_SIZE], theirs[HKDF_SHA384_MAX_OKM_SIZE];
	uint64_t rng = 0x484b44462d657870ULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < RANDOM_CASES; i++) {
		uint8_t prk[HKDF_SHA384_PRK_SIZE];
		size_t info_len = rng_len(&rng, MAX_INPUT_LEN);
		/* OpenSSL refuses to derive nothing: lengths start at 1. */
		size_t okm_len = 1 + rng_len(&rng, HKDF_SHA384_MAX_OKM_SIZE - 1);

		test_rng_fill(&rng, prk, sizeof(prk));
		test_rng_fill(&rng, info, info_len);
		ASSERT_EQ(hkdf_sha384_expand(prk, info, info_len, ours, okm_len), MON_OK);
		openssl_hkdf("EXPAND_ONLY", NULL, 0, prk, sizeof(prk), info, info_len, theirs,
			     okm_len);
		if (memcmp(ours, theirs, okm_len) != 0 && first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

/* Lengths one short of, on, and one past every block boundary up to the maximum. */
TEST(hkdf_sha384_openssl, expand_agrees_around_every_block_boundary)
{
	static uint8_t ours[HKDF_SHA384_MAX_OKM_SIZE], theirs[HKDF_SHA384_MAX_OKM_SIZE];
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	uint64_t rng = 0x484b44462d626c6bULL;
	size_t first_mismatch = NO_MISMATCH;

	test_rng_fill(&rng, prk, sizeof(prk));
	for (size_t blocks = 1; blocks <= 255; blocks++) {
		for (size_t delta = 0; delta < 3; delta++) {
			size_t okm_len = blocks * HKDF_SHA384_PRK_SIZE + delta - 1;

			if (okm_len > HKDF_SHA384_MAX_OKM_SIZE) {
				continue;
			}
			ASSERT_EQ(hkdf_sha384_expand(prk, "boundary", 8, ours, okm_len), MON_OK);
			openssl_hkdf("EXPAND_ONLY", NULL, 0, prk, sizeof(prk),
				     (const uint8_t *)"boundary", 8, theirs, okm_len);
			if (memcmp(ours, theirs, okm_len) != 0 && first_mismatch == NO_MISMATCH) {
				first_mismatch = okm_len;
			}
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}

TEST(hkdf_sha384_openssl, extract_and_expand_agrees_on_random_inputs)
{
	static uint8_t salt[MAX_INPUT_LEN], ikm[MAX_INPUT_LEN], info[MAX_INPUT_LEN];
	static uint8_t ours[HKDF_SHA384_MAX_OKM_SIZE], theirs[HKDF_SHA384_MAX_OKM_SIZE];
	uint64_t rng = 0x484b44462d616c6cULL;
	size_t first_mismatch = NO_MISMATCH;

	for (size_t i = 0; i < RANDOM_CASES; i++) {
		size_t salt_len = rng_len(&rng, MAX_INPUT_LEN);
		size_t ikm_len = rng_len(&rng, MAX_INPUT_LEN);
		size_t info_len = rng_len(&rng, MAX_INPUT_LEN);
		/* Mostly a few blocks, as key schedules use; the full range now and then. */
		size_t okm_len =
			1 + rng_len(&rng, (i & 3) == 0 ? HKDF_SHA384_MAX_OKM_SIZE - 1 : 200);

		test_rng_fill(&rng, salt, salt_len);
		test_rng_fill(&rng, ikm, ikm_len);
		test_rng_fill(&rng, info, info_len);
		ASSERT_EQ(hkdf_sha384(salt_len > 0 ? salt : NULL, salt_len, ikm, ikm_len,
				      info_len > 0 ? info : NULL, info_len, ours, okm_len),
			  MON_OK);
		openssl_hkdf("EXTRACT_AND_EXPAND", salt, salt_len, ikm, ikm_len, info, info_len,
			     theirs, okm_len);
		if (memcmp(ours, theirs, okm_len) != 0 && first_mismatch == NO_MISMATCH) {
			first_mismatch = i;
		}
	}
	EXPECT_EQ(first_mismatch, NO_MISMATCH);
}
