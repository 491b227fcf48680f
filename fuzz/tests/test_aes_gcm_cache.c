// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fuzz harness's aes_gcm_encrypt/aes_gcm_decrypt (fuzz/common/
 * aes_gcm_cache.c) against OpenSSL: ciphertexts, tags and plaintexts are
 * OpenSSL's whether the table is cold or warm, in place or not, for calls
 * longer than an entry holds, and for calls that differ from a recorded one
 * in a single input (IV, AAD, tag, direction). And the table is in use: warm
 * calls are hits.
 */
#include <openssl/evp.h>
#include <string.h>

#include "aes_gcm_cache.h"
#include "covemon/aes_gcm.h"
#include "test.h"

/* OpenSSL's AES-256-GCM seal of @len bytes: ciphertext into @ct, tag into @tag. */
static void openssl_seal(const uint8_t *key, const uint8_t *iv, const uint8_t *aad, size_t aad_len,
			 const uint8_t *pt, size_t len, uint8_t *ct, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	ASSERT_TRUE(ctx != NULL);
	ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv), 1);
	if (aad_len) {
		ASSERT_EQ(EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len), 1);
	}
	if (len) {
		ASSERT_EQ(EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len), 1);
	}
	ASSERT_EQ(EVP_EncryptFinal_ex(ctx, ct + len, &n), 1);
	ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AES_GCM_TAG_SIZE, tag), 1);
	EVP_CIPHER_CTX_free(ctx);
}

struct call {
	uint8_t key[AES_GCM_KEY_SIZE];
	uint8_t iv[AES_GCM_IV_SIZE];
	uint8_t aad[700];
	size_t aad_len;
	uint8_t pt[1200];
	size_t len;
};

static void random_call(uint64_t *s, struct call *c)
{
	test_rng_fill(s, c->key, sizeof(c->key));
	test_rng_fill(s, c->iv, sizeof(c->iv));
	c->aad_len = (size_t)(test_rng_next(s) % sizeof(c->aad));
	c->len = (size_t)(test_rng_next(s) % sizeof(c->pt)); /* some past an entry's room */
	test_rng_fill(s, c->aad, c->aad_len);
	test_rng_fill(s, c->pt, c->len);
}

/* Seal and open @c through the harness (out of place and in place), with the
 * right tag and a wrong one, each checked against OpenSSL. */
static void check_call(const struct call *c)
{
	static uint8_t want_ct[sizeof(c->pt) + 16];
	static uint8_t ct[sizeof(c->pt)];
	static uint8_t buf[sizeof(c->pt)];
	uint8_t want_tag[AES_GCM_TAG_SIZE];
	uint8_t tag[AES_GCM_TAG_SIZE];

	openssl_seal(c->key, c->iv, c->aad, c->aad_len, c->pt, c->len, want_ct, want_tag);
	aes_gcm_encrypt(c->key, c->iv, c->aad, c->aad_len, c->pt, c->len, ct, tag);
	EXPECT_EQ(memcmp(ct, want_ct, c->len), 0);
	EXPECT_EQ(memcmp(tag, want_tag, sizeof(tag)), 0);
	memcpy(buf, c->pt, c->len);
	aes_gcm_encrypt(c->key, c->iv, c->aad, c->aad_len, buf, c->len, buf, tag);
	EXPECT_EQ(memcmp(buf, want_ct, c->len), 0);

	memset(buf, 0xAA, sizeof(buf));
	EXPECT_EQ(aes_gcm_decrypt(c->key, c->iv, c->aad, c->aad_len, ct, c->len, want_tag, buf),
		  MON_OK);
	EXPECT_EQ(memcmp(buf, c->pt, c->len), 0);
	memcpy(buf, ct, c->len);
	EXPECT_EQ(aes_gcm_decrypt(c->key, c->iv, c->aad, c->aad_len, buf, c->len, want_tag, buf),
		  MON_OK);
	EXPECT_EQ(memcmp(buf, c->pt, c->len), 0);

	uint8_t bad[AES_GCM_TAG_SIZE];
	memcpy(bad, want_tag, sizeof(bad));
	bad[c->len % sizeof(bad)] ^= 0x01;
	memset(buf, 0xAA, sizeof(buf));
	EXPECT_EQ(aes_gcm_decrypt(c->key, c->iv, c->aad, c->aad_len, ct, c->len, bad, buf),
		  MON_ERR_AUTH);
	for (size_t i = 0; i < c->len; i++) {
		ASSERT_EQ(buf[i], 0);
	}
}

TEST(aes_gcm_cache, cold_and_warm_results_equal_openssls_and_warm_ones_are_hits)
{
	static struct call c;
	struct aes_gcm_cache_stats cold = { 0 };

	aes_gcm_cache_clear();
	for (unsigned int pass = 0; pass < 2; pass++) {
		uint64_t seed = 11;
		for (unsigned int i = 0; i < 40; i++) {
			random_call(&seed, &c);
			check_call(&c);
		}
		if (pass == 0) {
			cold = aes_gcm_cache_stats();
		}
	}
	struct aes_gcm_cache_stats st = aes_gcm_cache_stats();
	EXPECT_GT(cold.misses, 40u);
	EXPECT_GT(st.hits - cold.hits, cold.misses / 4); /* 40 calls of 5 against 64 slots */
}

static size_t slot_of(const struct call *c)
{
	return aes_gcm_cache_slot(c->key, c->iv, c->aad, c->aad_len, c->pt, c->len);
}

/*
 * Two calls with the same slot, taking turns: both stay in its set (slot /
 * 2), so after the first round every call is answered from the table. A
 * direct-mapped table would evict one with the other every time.
 */
TEST(aes_gcm_cache, two_calls_sharing_a_set_both_stay)
{
	static struct call a;
	static struct call b;
	static uint8_t ct[sizeof(a.pt)];
	uint8_t tag[AES_GCM_TAG_SIZE];
	uint64_t seed = 5;
	bool found = false;

	random_call(&seed, &a);
	a.len = 100;
	a.aad_len = 20;
	for (unsigned int tries = 0; tries < 100000 && !found; tries++) {
		b = a;
		test_rng_fill(&seed, b.pt, 8);
		found = slot_of(&b) == slot_of(&a) && memcmp(b.pt, a.pt, 8) != 0;
	}
	ASSERT_TRUE(found);
	aes_gcm_cache_clear();
	for (unsigned int round = 0; round < 3; round++) {
		aes_gcm_encrypt(a.key, a.iv, a.aad, a.aad_len, a.pt, a.len, ct, tag);
		aes_gcm_encrypt(b.key, b.iv, b.aad, b.aad_len, b.pt, b.len, ct, tag);
	}
	struct aes_gcm_cache_stats st = aes_gcm_cache_stats();
	EXPECT_EQ(st.misses, 2);
	EXPECT_EQ(st.hits, 4);
	/* A third call in the set takes the way used less recently: b's. */
	static struct call c;
	found = false;
	for (unsigned int tries = 0; tries < 100000 && !found; tries++) {
		c = a;
		test_rng_fill(&seed, c.pt, 8);
		found = slot_of(&c) / 2 == slot_of(&a) / 2 && memcmp(c.pt, a.pt, 8) != 0 &&
			memcmp(c.pt, b.pt, 8) != 0;
	}
	ASSERT_TRUE(found);
	aes_gcm_encrypt(a.key, a.iv, a.aad, a.aad_len, a.pt, a.len, ct, tag); /* a: used last */
	aes_gcm_encrypt(c.key, c.iv, c.aad, c.aad_len, c.pt, c.len, ct, tag); /* evicts b */
	aes_gcm_encrypt(a.key, a.iv, a.aad, a.aad_len, a.pt, a.len, ct, tag);
	st = aes_gcm_cache_stats();
	EXPECT_EQ(st.misses, 3);
	EXPECT_EQ(st.hits, 6);
}

/*
 * Calls equal to a recorded one but for one input (key, IV, AAD, a byte of
 * the message, the tag, the direction), chosen to land in the same slot: each
 * gets its own result, however they take turns. A table that matched on less
 * than all of them would hand one the other's bytes.
 */
TEST(aes_gcm_cache, calls_one_input_apart_in_one_slot_keep_their_own_results)
{
	static struct call base;
	static struct call c;
	uint64_t seed = 3;

	random_call(&seed, &base);
	base.len = 200;
	base.aad_len = 40;
	for (unsigned int which = 0; which < 4; which++) {
		bool found = false;
		for (unsigned int tries = 0; tries < 100000 && !found; tries++) {
			c = base;
			switch (which) {
			case 0: test_rng_fill(&seed, c.key + 24, 8); break;
			case 1: test_rng_fill(&seed, c.iv + 4, 8); break;
			case 2: test_rng_fill(&seed, c.aad + 32, 8); break;
			default: test_rng_fill(&seed, c.pt + 192, 8); break;
			}
			found = slot_of(&c) == slot_of(&base) && memcmp(&c, &base, sizeof(c)) != 0;
		}
		ASSERT_TRUE(found);
		aes_gcm_cache_clear();
		for (unsigned int round = 0; round < 3; round++) {
			check_call(&base); /* check_call also varies the tag and the direction */
			check_call(&c);
		}
		EXPECT_GT(aes_gcm_cache_stats().hits, 0u);
	}

	/* The other direction on the same bytes: opening what was just sealed's
	 * plaintext, with the tag the seal made, is a forgery (the tag covers the
	 * ciphertext), not the seal's answer. */
	static uint8_t out[sizeof(base.pt)];
	uint8_t tag[AES_GCM_TAG_SIZE];
	aes_gcm_cache_clear();
	aes_gcm_encrypt(base.key, base.iv, base.aad, base.aad_len, base.pt, base.len, out, tag);
	EXPECT_EQ(aes_gcm_decrypt(base.key, base.iv, base.aad, base.aad_len, base.pt, base.len, tag,
				  out),
		  MON_ERR_AUTH);
	for (size_t i = 0; i < base.len; i++) {
		ASSERT_EQ(out[i], 0);
	}
}
