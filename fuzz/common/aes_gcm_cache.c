// SPDX-License-Identifier: BSD-2-Clause
/*
 * aes_gcm_encrypt and aes_gcm_decrypt for the monitor-level fuzz targets:
 * the other side of the link seam in covemon/aes_gcm.h. Each remembers the
 * results of the calls it computed in a set of two slots chosen by the
 * call's inputs (the one used last stays when a third call comes), and gives
 * a result back when the same call comes again.
 *
 * Why: every promote with a TAP opens it (two decryptions), BUILD_VM seals
 * one (two encryptions), and the monitor's constant-time portable cipher
 * took 15 us per call; fuzz inputs seal and open the same few TAPs over and
 * over. The cipher was a quarter of the sequence target's time on inputs
 * with TAPs.
 *
 * Exact by construction: an entry is used only when the direction, the key,
 * the IV, the AAD, the input and (to decrypt) the tag all equal the recorded
 * ones, so the output is the bytes the cipher would write, including the
 * zeros of a refused tag. Only the time differs. The crypto target keeps
 * testing the cipher itself (it links lib/aes_gcm_seam.c), and
 * fuzz/tests/test_aes_gcm_cache.c checks this file against OpenSSL.
 */
#include "aes_gcm_cache.h"

#include <stdbool.h>
#include <string.h>

#include "covemon/aes_gcm.h"

struct entry {
	bool used;
	bool decrypt;
	mon_err_t err; /* decrypt's result */
	uint8_t key[AES_GCM_KEY_SIZE];
	uint8_t iv[AES_GCM_IV_SIZE];
	uint8_t tag[AES_GCM_TAG_SIZE]; /* decrypt: the one given; encrypt: the one made */
	size_t aad_len;
	size_t len;
	uint8_t aad[AES_GCM_CACHE_MAX_AAD];
	uint8_t in[AES_GCM_CACHE_MAX_LEN];
	uint8_t out[AES_GCM_CACHE_MAX_LEN];
};

#define SETS (1u << (AES_GCM_CACHE_BITS - 1))

static struct entry table[2 * SETS]; /* SETS sets of two ways */
static uint8_t mru[SETS];	     /* per set: the way used last */
static struct aes_gcm_cache_stats stats;

static uint64_t load64(const uint8_t *p, size_t len)
{
	uint64_t v = 0;

	memcpy(&v, p, len < sizeof(v) ? len : sizeof(v));
	return v;
}

size_t aes_gcm_cache_slot(const uint8_t key[32], const uint8_t iv[12], const void *aad,
			  size_t aad_len, const void *in, size_t len)
{
	uint64_t x = (uint64_t)len << 20 ^ aad_len;

	for (unsigned int i = 0; i < 32; i += 8) {
		x = (x ^ load64(key + i, 8)) * UINT64_C(0x9E3779B97F4A7C15);
	}
	x = (x ^ load64(iv, 8) ^ load64(iv + 8, 4) << 32) * UINT64_C(0xC2B2AE3D27D4EB4F);
	if (len) {
		x = (x ^ load64(in, len)) * UINT64_C(0xC2B2AE3D27D4EB4F);
		x = (x ^ load64((const uint8_t *)in + len - (len < 8 ? len : 8), len)) *
		    UINT64_C(0x9E3779B97F4A7C15);
	}
	if (aad_len) {
		x = (x ^ load64((const uint8_t *)aad + aad_len - (aad_len < 8 ? aad_len : 8),
				aad_len)) *
		    UINT64_C(0xC2B2AE3D27D4EB4F);
	}
	return (size_t)(x >> (64 - AES_GCM_CACHE_BITS));
}

static bool fits(size_t aad_len, size_t len)
{
	return aad_len <= AES_GCM_CACHE_MAX_AAD && len <= AES_GCM_CACHE_MAX_LEN;
}

/* The entry recorded for this call in its @set, or NULL. */
static struct entry *find(size_t set, bool decrypt, const uint8_t *key, const uint8_t *iv,
			  const void *aad, size_t aad_len, const void *in, size_t len,
			  const uint8_t *tag)
{
	for (unsigned int w = 0; w < 2; w++) {
		struct entry *e = &table[2 * set + w];
		if (!e->used || e->decrypt != decrypt || e->len != len || e->aad_len != aad_len ||
		    memcmp(e->key, key, sizeof(e->key)) != 0 ||
		    memcmp(e->iv, iv, sizeof(e->iv)) != 0 ||
		    (aad_len && memcmp(e->aad, aad, aad_len) != 0) ||
		    (len && memcmp(e->in, in, len) != 0) ||
		    (decrypt && memcmp(e->tag, tag, sizeof(e->tag)) != 0)) {
			continue;
		}
		mru[set] = (uint8_t)w;
		return e;
	}
	return NULL;
}

/* The way of the call's set not used last, with the call's inputs recorded
 * (before an in-place call overwrites them). */
static struct entry *record(size_t set, bool decrypt, const uint8_t *key, const uint8_t *iv,
			    const void *aad, size_t aad_len, const void *in, size_t len,
			    const uint8_t *tag)
{
	unsigned int w = mru[set] ^ 1u;
	struct entry *e = &table[2 * set + w];

	mru[set] = (uint8_t)w;
	e->used = false;
	e->decrypt = decrypt;
	memcpy(e->key, key, sizeof(e->key));
	memcpy(e->iv, iv, sizeof(e->iv));
	e->aad_len = aad_len;
	e->len = len;
	if (aad_len) {
		memcpy(e->aad, aad, aad_len);
	}
	if (len) {
		memcpy(e->in, in, len);
	}
	if (decrypt) {
		memcpy(e->tag, tag, sizeof(e->tag));
	}
	return e;
}

void aes_gcm_encrypt(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
		     const void *aad, size_t aad_len, const void *pt, size_t len, void *ct,
		     uint8_t tag[AES_GCM_TAG_SIZE])
{
	if (!fits(aad_len, len)) {
		aes_gcm_encrypt_rounds(key, iv, aad, aad_len, pt, len, ct, tag);
		return;
	}
	size_t set = aes_gcm_cache_slot(key, iv, aad, aad_len, pt, len) >> 1;
	struct entry *e = find(set, false, key, iv, aad, aad_len, pt, len, NULL);
	if (e) {
		stats.hits++;
	} else {
		stats.misses++;
		e = record(set, false, key, iv, aad, aad_len, pt, len, NULL);
		aes_gcm_encrypt_rounds(key, iv, aad, aad_len, e->in, len, e->out, e->tag);
		e->used = true;
	}
	if (len) {
		memcpy(ct, e->out, len);
	}
	memcpy(tag, e->tag, AES_GCM_TAG_SIZE);
}

mon_err_t aes_gcm_decrypt(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
			  const void *aad, size_t aad_len, const void *ct, size_t len,
			  const uint8_t tag[AES_GCM_TAG_SIZE], void *pt)
{
	if (!fits(aad_len, len)) {
		return aes_gcm_decrypt_rounds(key, iv, aad, aad_len, ct, len, tag, pt);
	}
	size_t set = aes_gcm_cache_slot(key, iv, aad, aad_len, ct, len) >> 1;
	struct entry *e = find(set, true, key, iv, aad, aad_len, ct, len, tag);
	if (e) {
		stats.hits++;
	} else {
		stats.misses++;
		e = record(set, true, key, iv, aad, aad_len, ct, len, tag);
		e->err = aes_gcm_decrypt_rounds(key, iv, aad, aad_len, e->in, len, tag, e->out);
		e->used = true;
	}
	if (len) {
		memcpy(pt, e->out, len); /* a refused tag: the zeros the cipher wrote */
	}
	return e->err;
}

struct aes_gcm_cache_stats aes_gcm_cache_stats(void)
{
	return stats;
}

void aes_gcm_cache_clear(void)
{
	memset(table, 0, sizeof(table));
	memset(mru, 0, sizeof(mru));
	memset(&stats, 0, sizeof(stats));
}
