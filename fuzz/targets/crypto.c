// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target: the monitor's crypto (monitor/lib: SHA-384, HMAC-SHA384,
 * HKDF-SHA384, AES-256-GCM), differentially against OpenSSL's libcrypto.
 *
 * Input (little-endian integers, zero-filled past the end): one mode byte,
 * taken modulo CRYPTO_MODES, then per mode:
 *   0 SHA-384    u32 chunk seed, u16 snapshot point (mod message length
 *                + 1: a context copied there must finish to the digest
 *                of that prefix); rest: the message
 *   1 HMAC       u16 key length (mod HMAC_MAX_KEY + 1), u32 chunk seed,
 *                u16 tag bit to flip; the key; rest: the message
 *   2 HKDF       u8 salt length, u8 ikm length, u8 info length, u16 output
 *                length (bit 15 clear: bits 14:0 mod HKDF_SHORT_RANGE, the
 *                key sizes callers use; set: mod HKDF_LEN_RANGE, up to a
 *                little past the 255 * 48 limit, to see it refused); salt,
 *                ikm, info
 *   3 GCM seal   key[32], iv[12], u16 aad length (mod GCM_MAX_AAD + 1), u8
 *                flags (bit 0: in place); the aad; rest: the plaintext
 *   4 GCM open   key[32], iv[12], u16 aad length (mod GCM_MAX_AAD + 1), u8
 *                flags (bit 0: in place; bit 1: replace the tag with the
 *                right one, computed by OpenSSL, so that valid messages are
 *                reachable; bits 3:2: what to tamper with afterwards,
 *                0 nothing, 1 ciphertext, 2 aad, 3 tag), u16 tamper byte
 *                index, u8 tamper xor (0 means 1), tag[16]; the aad; rest:
 *                the ciphertext
 * "Chunk seed" drives a splitmix64 sequence cutting the message into updates
 * of 0 to CHUNK_MAX bytes, so block-boundary handling is exercised.
 *
 * Oracles (a mismatch aborts with a message naming it):
 *   - digests, MACs and derived keys equal OpenSSL's, streamed in any
 *     chunking and one-shot; a copied SHA-384 context finishes to the digest
 *     of the prefix it had absorbed; *_final() wipes its context;
 *     hmac_sha384_verify() accepts the right tag and refuses a one-bit change;
 *     HKDF extract-then-expand equals the one-shot, and a length over
 *     HKDF_SHA384_MAX_OKM_SIZE is refused without writing the output;
 *   - AES-256 of the plaintext's first block (zero-padded) equals OpenSSL's
 *     AES-256-ECB; GCM seal gives OpenSSL's ciphertext and tag, and our open
 *     gives the plaintext back; GCM open of any (possibly tampered) input gives
 *     OpenSSL's verdict (MON_OK or MON_ERR_AUTH), its plaintext on success
 *     and an all-zero output buffer on failure.
 * Buffers are exact-size heap copies, so ASan sees any access past them.
 */
#include "covemon/aes_gcm.h"
#include "covemon/err.h"
#include "covemon/hkdf.h"
#include "covemon/hmac.h"
#include "covemon/sha384.h"
#include "stream.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum crypto_mode {
	MODE_SHA384,
	MODE_HMAC,
	MODE_HKDF,
	MODE_GCM_SEAL,
	MODE_GCM_OPEN,
	CRYPTO_MODES,
};

/* Longest single update: past a block and a half, so updates straddle blocks. */
#define CHUNK_MAX (2 * SHA384_BLOCK_SIZE + 3)
/* HMAC keys up to past two blocks (keys over one block are hashed first). */
#define HMAC_MAX_KEY (2 * SHA384_BLOCK_SIZE + 8)
/*
 * HKDF output lengths: short ones (0 .. 8 blocks + 1) keep most inputs fast;
 * the long range, 0 .. limit + 64, reaches the limit (the last 64 must be
 * refused).
 */
#define HKDF_SHORT_RANGE (8 * HKDF_SHA384_PRK_SIZE + 2)
#define HKDF_LEN_RANGE	 (HKDF_SHA384_MAX_OKM_SIZE + 65)
#define HKDF_LONG	 0x8000u
/* Longest GCM additional data taken from the input. */
#define GCM_MAX_AAD	 512

#define GCM_IN_PLACE	 0x1u
#define GCM_FORGE_TAG	 0x2u
#define GCM_TAMPER_SHIFT 2
#define GCM_TAMPER_MASK	 0x3u

enum gcm_tamper {
	TAMPER_NONE,
	TAMPER_CT,
	TAMPER_AAD,
	TAMPER_TAG,
};

/* What the output buffer holds before a call, so "all zero" is a real change. */
#define FILL 0xa5

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_crypto: oracle failure: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* An OpenSSL call that fails for a reason other than the input: not the target's fault. */
static void openssl_ok(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_crypto: OpenSSL %s failed\n", what);
		abort();
	}
}

static void check_equal(const void *ours, const void *theirs, size_t n, const char *what)
{
	if (memcmp(ours, theirs, n) != 0) {
		fail("%s differs from OpenSSL's (%zu bytes)", what, n);
	}
}

static void check_zero(const void *p, size_t n, const char *what)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0) {
			fail("%s: byte %zu of %zu is %#x, not wiped", what, i, n, b[i]);
		}
	}
}

/* An exact-size heap copy of @n bytes (one byte allocated for n = 0). */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	if (q == NULL) {
		abort();
	}
	if (n) {
		memcpy(q, p, n);
	}
	return q;
}

/* Takes @n bytes (zero-filled past the end) as an exact-size heap buffer. */
static uint8_t *take(struct fuzz_stream *s, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	if (q == NULL) {
		abort();
	}
	fuzz_bytes(s, q, n);
	return q;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Length of update number @iter when @left bytes remain: 0 .. CHUNK_MAX
 * from the sequence, capped at @left; after a few more updates than there
 * are bytes, all of @left, so every chunking loop ends.
 */
static size_t next_chunk(uint64_t *rng, size_t iter, size_t len, size_t left)
{
	size_t n = (size_t)(splitmix64(rng) % (CHUNK_MAX + 1));

	if (iter >= len + CHUNK_MAX) {
		return left;
	}
	return n < left ? n : left;
}

static void openssl_sha384(const uint8_t *msg, size_t len, uint8_t out[SHA384_DIGEST_SIZE])
{
	unsigned int n = 0;

	openssl_ok(EVP_Digest(msg, len, out, &n, EVP_sha384(), NULL) == 1 &&
			   n == SHA384_DIGEST_SIZE,
		   "EVP_Digest");
}

static void fuzz_sha384(struct fuzz_stream *s)
{
	uint64_t rng = fuzz_u32(s);
	size_t snap_at = fuzz_u16(s);
	size_t len;
	const uint8_t *rest = fuzz_rest(s, &len);
	uint8_t *msg = dup_exact(rest, len);
	uint8_t ours[SHA384_DIGEST_SIZE], theirs[SHA384_DIGEST_SIZE];
	struct sha384_ctx ctx, snap;
	bool snapped = false;
	size_t done = 0;

	snap_at %= len + 1;
	sha384_init(&ctx);
	for (size_t iter = 0; done < len; iter++) {
		size_t stop;
		size_t n;

		if (!snapped && done == snap_at) {
			snap = ctx;
			snapped = true;
		}
		/* No update crosses the snapshot point. */
		stop = snapped ? len : snap_at;
		n = next_chunk(&rng, iter, len, stop - done);
		sha384_update(&ctx, msg + done, n);
		done += n;
	}
	if (!snapped) {
		snap = ctx;
	}
	sha384_final(&ctx, ours);
	check_zero(&ctx, sizeof(ctx), "sha384_final's context");
	openssl_sha384(msg, len, theirs);
	check_equal(ours, theirs, sizeof(ours), "streamed SHA-384");

	sha384_final(&snap, ours);
	openssl_sha384(msg, snap_at, theirs);
	check_equal(ours, theirs, sizeof(ours), "SHA-384 of a copied context (prefix)");

	sha384(len ? msg : NULL, len, ours);
	openssl_sha384(msg, len, theirs);
	check_equal(ours, theirs, sizeof(ours), "one-shot SHA-384");
	free(msg);
}

static void openssl_hmac(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len,
			 uint8_t out[HMAC_SHA384_SIZE])
{
	static const uint8_t empty[1];
	unsigned int n = 0;

	openssl_ok(HMAC(EVP_sha384(), key_len ? key : empty, (int)key_len, len ? msg : empty, len,
			out, &n) != NULL &&
			   n == HMAC_SHA384_SIZE,
		   "HMAC");
}

static void fuzz_hmac(struct fuzz_stream *s)
{
	size_t key_len = fuzz_u16(s) % (HMAC_MAX_KEY + 1);
	uint64_t rng = fuzz_u32(s);
	unsigned int flip = fuzz_u16(s) % (8 * HMAC_SHA384_SIZE);
	uint8_t *key = take(s, key_len);
	size_t len;
	const uint8_t *rest = fuzz_rest(s, &len);
	uint8_t *msg = dup_exact(rest, len);
	uint8_t ours[HMAC_SHA384_SIZE], theirs[HMAC_SHA384_SIZE];
	struct hmac_sha384_ctx ctx;
	size_t done = 0;

	hmac_sha384_init(&ctx, key_len ? key : NULL, key_len);
	for (size_t iter = 0; done < len; iter++) {
		size_t n = next_chunk(&rng, iter, len, len - done);

		hmac_sha384_update(&ctx, msg + done, n);
		done += n;
	}
	hmac_sha384_final(&ctx, ours);
	check_zero(&ctx, sizeof(ctx), "hmac_sha384_final's context");
	openssl_hmac(key, key_len, msg, len, theirs);
	check_equal(ours, theirs, sizeof(ours), "streamed HMAC-SHA384");

	hmac_sha384(key_len ? key : NULL, key_len, len ? msg : NULL, len, ours);
	check_equal(ours, theirs, sizeof(ours), "one-shot HMAC-SHA384");

	if (!hmac_sha384_verify(theirs, ours)) {
		fail("hmac_sha384_verify refused equal tags");
	}
	ours[flip / 8] ^= (uint8_t)(1u << (flip % 8));
	if (hmac_sha384_verify(theirs, ours)) {
		fail("hmac_sha384_verify accepted a tag with bit %u flipped", flip);
	}
	free(key);
	free(msg);
}

/* OpenSSL's HKDF-SHA384 in @mode; an empty salt or info is left unset (RFC 5869 defaults). */
static void openssl_hkdf(const char *mode, const uint8_t *salt, size_t salt_len, const uint8_t *key,
			 size_t key_len, const uint8_t *info, size_t info_len, uint8_t *out,
			 size_t out_len)
{
	static const uint8_t empty[1];
	static EVP_KDF *kdf; /* fetched on the first input, kept for the process */
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[6];
	size_t n = 0;
	int ok;

	if (kdf == NULL) {
		kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	}
	ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	openssl_ok(ctx != NULL, "EVP_KDF_fetch(HKDF)");
	params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA384", 0);
	params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, (char *)mode, 0);
	params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
							(void *)(key_len ? key : empty), key_len);
	if (salt_len) {
		params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
								salt_len);
	}
	if (info_len) {
		params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
								info_len);
	}
	params[n] = OSSL_PARAM_construct_end();
	ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
	EVP_KDF_CTX_free(ctx);
	openssl_ok(ok, "EVP_KDF_derive(HKDF)");
}

static void fuzz_hkdf(struct fuzz_stream *s)
{
	size_t salt_len = fuzz_u8(s);
	size_t ikm_len = fuzz_u8(s);
	size_t info_len = fuzz_u8(s);
	uint16_t raw_len = fuzz_u16(s);
	size_t okm_len = (raw_len & HKDF_LONG) ? (raw_len & ~HKDF_LONG) % HKDF_LEN_RANGE
					       : raw_len % HKDF_SHORT_RANGE;
	uint8_t *salt = take(s, salt_len);
	uint8_t *ikm = take(s, ikm_len);
	uint8_t *info = take(s, info_len);
	uint8_t *ours = malloc(okm_len ? okm_len : 1);
	uint8_t *split = malloc(okm_len ? okm_len : 1);
	uint8_t *theirs = malloc(okm_len ? okm_len : 1);
	uint8_t prk[HKDF_SHA384_PRK_SIZE], prk_theirs[HKDF_SHA384_PRK_SIZE];
	mon_err_t got;

	if (ours == NULL || split == NULL || theirs == NULL) {
		abort();
	}
	memset(ours, FILL, okm_len ? okm_len : 1);
	memset(split, FILL, okm_len ? okm_len : 1);

	hkdf_sha384_extract(salt_len ? salt : NULL, salt_len, ikm_len ? ikm : NULL, ikm_len, prk);
	openssl_hkdf("EXTRACT_ONLY", salt, salt_len, ikm, ikm_len, NULL, 0, prk_theirs,
		     sizeof(prk_theirs));
	check_equal(prk, prk_theirs, sizeof(prk), "HKDF-Extract PRK");

	got = hkdf_sha384(salt_len ? salt : NULL, salt_len, ikm_len ? ikm : NULL, ikm_len,
			  info_len ? info : NULL, info_len, ours, okm_len);
	if (okm_len > HKDF_SHA384_MAX_OKM_SIZE) {
		if (got != MON_ERR_INVALID_PARAM) {
			fail("hkdf_sha384 returned %d for %zu bytes (limit %d)", got, okm_len,
			     HKDF_SHA384_MAX_OKM_SIZE);
		}
		for (size_t i = 0; i < okm_len; i++) {
			if (ours[i] != FILL) {
				fail("hkdf_sha384 refused %zu bytes but wrote byte %zu", okm_len,
				     i);
			}
		}
		got = hkdf_sha384_expand(prk, info_len ? info : NULL, info_len, split, okm_len);
		if (got != MON_ERR_INVALID_PARAM || split[0] != FILL ||
		    split[okm_len - 1] != FILL) {
			fail("hkdf_sha384_expand took or wrote %zu bytes", okm_len);
		}
	} else {
		if (got != MON_OK) {
			fail("hkdf_sha384 returned %d for %zu bytes", got, okm_len);
		}
		got = hkdf_sha384_expand(prk, info_len ? info : NULL, info_len,
					 okm_len ? split : NULL, okm_len);
		if (got != MON_OK) {
			fail("hkdf_sha384_expand returned %d for %zu bytes", got, okm_len);
		}
		check_equal(ours, split, okm_len, "HKDF one-shot vs extract-then-expand");
		/* OpenSSL refuses an empty output; there is nothing to compare then. */
		if (okm_len) {
			openssl_hkdf("EXTRACT_AND_EXPAND", salt, salt_len, ikm, ikm_len, info,
				     info_len, theirs, okm_len);
			check_equal(ours, theirs, okm_len, "HKDF-SHA384 OKM");
		}
	}
	free(salt);
	free(ikm);
	free(info);
	free(ours);
	free(split);
	free(theirs);
}

static void openssl_gcm_seal(const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
			     size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
			     uint8_t tag[AES_GCM_TAG_SIZE])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t last[AES_BLOCK_SIZE];
	int n = 0;

	openssl_ok(ctx != NULL && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv) == 1,
		   "EVP_EncryptInit_ex");
	if (aad_len) {
		openssl_ok(EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) == 1,
			   "EVP_EncryptUpdate(aad)");
	}
	if (len) {
		openssl_ok(EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len) == 1 && (size_t)n == len,
			   "EVP_EncryptUpdate");
	}
	openssl_ok(EVP_EncryptFinal_ex(ctx, last, &n) == 1 && n == 0, "EVP_EncryptFinal_ex");
	openssl_ok(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AES_GCM_TAG_SIZE, tag) == 1,
		   "EVP_CTRL_GCM_GET_TAG");
	EVP_CIPHER_CTX_free(ctx);
}

static void openssl_aes256_block(const uint8_t *key, const uint8_t in[AES_BLOCK_SIZE],
				 uint8_t out[AES_BLOCK_SIZE])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	openssl_ok(ctx != NULL &&
			   EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, key, NULL) == 1 &&
			   EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
			   EVP_EncryptUpdate(ctx, out, &n, in, AES_BLOCK_SIZE) == 1 &&
			   n == AES_BLOCK_SIZE,
		   "AES-256-ECB");
	EVP_CIPHER_CTX_free(ctx);
}

/* OpenSSL's verdict on a sealed message: true when the tag is right (then @pt is filled). */
static bool openssl_gcm_open(const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
			     size_t aad_len, const uint8_t *ct, size_t len,
			     const uint8_t tag[AES_GCM_TAG_SIZE], uint8_t *pt)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t tag_copy[AES_GCM_TAG_SIZE];
	uint8_t last[AES_BLOCK_SIZE];
	int n = 0;
	int ok;

	memcpy(tag_copy, tag, sizeof(tag_copy));
	openssl_ok(ctx != NULL && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv) == 1,
		   "EVP_DecryptInit_ex");
	if (aad_len) {
		openssl_ok(EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) == 1,
			   "EVP_DecryptUpdate(aad)");
	}
	if (len) {
		openssl_ok(EVP_DecryptUpdate(ctx, pt, &n, ct, (int)len) == 1 && (size_t)n == len,
			   "EVP_DecryptUpdate");
	}
	openssl_ok(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AES_GCM_TAG_SIZE, tag_copy) == 1,
		   "EVP_CTRL_GCM_SET_TAG");
	ok = EVP_DecryptFinal_ex(ctx, last, &n) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/* Key, IV, aad length and flags: the head shared by both GCM modes. */
struct gcm_head {
	uint8_t key[AES_GCM_KEY_SIZE];
	uint8_t iv[AES_GCM_IV_SIZE];
	size_t aad_len;
	unsigned int flags;
};

static void gcm_head(struct fuzz_stream *s, struct gcm_head *h)
{
	fuzz_bytes(s, h->key, sizeof(h->key));
	fuzz_bytes(s, h->iv, sizeof(h->iv));
	h->aad_len = fuzz_u16(s) % (GCM_MAX_AAD + 1);
	h->flags = fuzz_u8(s);
}

static void fuzz_gcm_seal(struct fuzz_stream *s)
{
	struct gcm_head h;
	size_t len;
	const uint8_t *rest;
	uint8_t *aad, *pt, *ct, *back, *theirs;
	uint8_t tag[AES_GCM_TAG_SIZE], tag_theirs[AES_GCM_TAG_SIZE];
	uint8_t block[AES_BLOCK_SIZE], block_ours[AES_BLOCK_SIZE], block_theirs[AES_BLOCK_SIZE];
	bool in_place;
	mon_err_t got;

	gcm_head(s, &h);
	in_place = (h.flags & GCM_IN_PLACE) != 0;
	aad = take(s, h.aad_len);
	rest = fuzz_rest(s, &len);

	/* The block cipher alone, on the plaintext's first block. */
	memset(block, 0, sizeof(block));
	memcpy(block, rest, len < sizeof(block) ? len : sizeof(block));
	aes256_encrypt_block(h.key, block, block_ours);
	openssl_aes256_block(h.key, block, block_theirs);
	check_equal(block_ours, block_theirs, sizeof(block_ours), "AES-256 block");

	pt = dup_exact(rest, len);
	theirs = dup_exact(rest, len);
	openssl_gcm_seal(h.key, h.iv, aad, h.aad_len, rest, len, theirs, tag_theirs);

	if (in_place) {
		ct = pt;
	} else {
		ct = malloc(len ? len : 1);
		if (ct == NULL) {
			abort();
		}
		memset(ct, FILL, len ? len : 1);
	}
	aes_gcm_encrypt(h.key, h.iv, h.aad_len ? aad : NULL, h.aad_len, len ? pt : NULL, len,
			len ? ct : NULL, tag);
	check_equal(ct, theirs, len, in_place ? "GCM ciphertext (in place)" : "GCM ciphertext");
	check_equal(tag, tag_theirs, sizeof(tag), "GCM tag");
	if (!in_place && memcmp(pt, rest, len) != 0) {
		fail("aes_gcm_encrypt changed its plaintext");
	}

	/* Our open of our seal gives the plaintext back. */
	back = in_place ? ct : malloc(len ? len : 1);
	if (back == NULL) {
		abort();
	}
	got = aes_gcm_decrypt(h.key, h.iv, h.aad_len ? aad : NULL, h.aad_len, len ? ct : NULL, len,
			      tag, len ? back : NULL);
	if (got != MON_OK) {
		fail("aes_gcm_decrypt refused what aes_gcm_encrypt sealed (%d)", got);
	}
	check_equal(back, rest, len, "GCM round trip");
	if (!in_place) {
		free(back);
		free(ct);
	}
	free(aad);
	free(pt);
	free(theirs);
}

static void fuzz_gcm_open(struct fuzz_stream *s)
{
	struct gcm_head h;
	size_t tamper_at;
	uint8_t tamper_xor;
	uint8_t tag[AES_GCM_TAG_SIZE];
	size_t len;
	const uint8_t *rest;
	uint8_t *aad, *ct, *pt, *theirs;
	unsigned int tamper;
	bool in_place, want_ok;
	mon_err_t got;

	gcm_head(s, &h);
	in_place = (h.flags & GCM_IN_PLACE) != 0;
	tamper = (h.flags >> GCM_TAMPER_SHIFT) & GCM_TAMPER_MASK;
	tamper_at = fuzz_u16(s);
	tamper_xor = fuzz_u8(s);
	tamper_xor = tamper_xor ? tamper_xor : 1;
	fuzz_bytes(s, tag, sizeof(tag));
	aad = take(s, h.aad_len);
	rest = fuzz_rest(s, &len);
	ct = dup_exact(rest, len);
	theirs = malloc(len ? len : 1);
	if (theirs == NULL) {
		abort();
	}

	if (h.flags & GCM_FORGE_TAG) {
		/* The right tag for this ciphertext: seal its plaintext with OpenSSL. */
		uint8_t *plain = malloc(len ? len : 1);
		uint8_t *again = malloc(len ? len : 1);
		bool ok;

		if (plain == NULL || again == NULL) {
			abort();
		}
		/* GCM is a stream cipher: the keystream XOR is its own inverse. */
		openssl_gcm_seal(h.key, h.iv, aad, h.aad_len, ct, len, plain, tag);
		openssl_gcm_seal(h.key, h.iv, aad, h.aad_len, plain, len, again, tag);
		ok = memcmp(again, ct, len) == 0;
		free(plain);
		free(again);
		openssl_ok(ok, "GCM re-seal");
	}
	if (tamper == TAMPER_CT && len) {
		ct[tamper_at % len] ^= tamper_xor;
	} else if (tamper == TAMPER_AAD && h.aad_len) {
		aad[tamper_at % h.aad_len] ^= tamper_xor;
	} else if (tamper == TAMPER_TAG) {
		tag[tamper_at % AES_GCM_TAG_SIZE] ^= tamper_xor;
	}

	want_ok = openssl_gcm_open(h.key, h.iv, aad, h.aad_len, ct, len, tag, theirs);
	if (in_place) {
		pt = ct;
	} else {
		pt = malloc(len ? len : 1);
		if (pt == NULL) {
			abort();
		}
		memset(pt, FILL, len ? len : 1);
	}
	got = aes_gcm_decrypt(h.key, h.iv, h.aad_len ? aad : NULL, h.aad_len, len ? ct : NULL, len,
			      tag, len ? pt : NULL);
	if (got != (want_ok ? MON_OK : MON_ERR_AUTH)) {
		fail("aes_gcm_decrypt = %d, OpenSSL %s the tag (%zu bytes, %zu aad, %s)", got,
		     want_ok ? "accepts" : "refuses", len, h.aad_len,
		     in_place ? "in place" : "out of place");
	}
	if (want_ok) {
		check_equal(pt, theirs, len, "GCM plaintext");
	} else {
		check_zero(pt, len, "aes_gcm_decrypt's output after a refused tag");
	}
	if (!in_place) {
		free(pt);
	}
	free(aad);
	free(ct);
	free(theirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_stream s;

	fuzz_stream_init(&s, data, size);
	switch ((enum crypto_mode)(fuzz_u8(&s) % CRYPTO_MODES)) {
	case MODE_SHA384: fuzz_sha384(&s); break;
	case MODE_HMAC: fuzz_hmac(&s); break;
	case MODE_HKDF: fuzz_hkdf(&s); break;
	case MODE_GCM_SEAL: fuzz_gcm_seal(&s); break;
	case MODE_GCM_OPEN: fuzz_gcm_open(&s); break;
	case CRYPTO_MODES: break;
	}
	return 0;
}
