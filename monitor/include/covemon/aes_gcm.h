/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AES-256 (FIPS 197) in Galois/Counter Mode (NIST SP 800-38D): the monitor
 * opens attestation payloads sealed under keys derived from the platform
 * secret, and seals its own.
 *
 *	uint8_t tag[AES_GCM_TAG_SIZE];
 *
 *	aes_gcm_encrypt(key, iv, aad, aad_len, msg, len, msg, tag);
 *	...
 *	if (aes_gcm_decrypt(key, iv, aad, aad_len, msg, len, tag, msg) != MON_OK) {
 *		(msg is now all zero)
 *	}
 *
 * Only the recommended 96-bit IV is supported (SP 800-38D section 8.2): the
 * pre-counter block is then IV || 0^31 || 1 and never passes through GHASH.
 * An IV must never repeat under one key; choosing IVs is the caller's job.
 * Tags are always the full 128 bits.
 *
 * Constant time: no branch and no memory address depends on the key, the
 * hash subkey, the plaintext or the ciphertext. The AES S-box is computed,
 * not looked up (a bitsliced GF(2^8) inversion by a fixed chain of
 * multiplications, then the affine map), and GHASH multiplies with masks.
 * Timing depends only on the lengths and, for decryption, on whether the
 * tag was accepted.
 *
 * Every function keeps its key schedule, hash subkey and keystream on its
 * own stack and wipes them (mon_memzero_explicit) before it returns. Nothing
 * allocates and nothing keeps state between calls.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"

/** Bytes in an AES-256 key. */
#define AES256_KEY_SIZE 32

/** Bytes in one AES block. */
#define AES_BLOCK_SIZE 16

/** Bytes in an AES-256-GCM key. */
#define AES_GCM_KEY_SIZE AES256_KEY_SIZE

/** Bytes in a GCM IV: 96 bits, the only length supported. */
#define AES_GCM_IV_SIZE 12

/** Bytes in a GCM tag: the full 128 bits. */
#define AES_GCM_TAG_SIZE 16

/**
 * Longest plaintext or ciphertext, in bytes: len(P) <= 2^39 - 256 bits
 * (SP 800-38D section 5.2.1.1), so the 32-bit block counter never wraps.
 */
#define AES_GCM_MAX_LEN ((UINT64_C(1) << 36) - 32)

/** Longest additional authenticated data, in bytes: len(A) <= 2^64 - 1 bits. */
#define AES_GCM_MAX_AAD_LEN ((UINT64_C(1) << 61) - 1)

/**
 * Encrypts the block @in under @key into @out with AES-256 (FIPS 197
 * section 5.1). @in and @out may be the same buffer.
 *
 * The key schedule is expanded on every call and wiped afterwards, so this
 * is for tests and one-off blocks; bulk data goes through GCM.
 */
void aes256_encrypt_block(const uint8_t key[AES256_KEY_SIZE], const uint8_t in[AES_BLOCK_SIZE],
			  uint8_t out[AES_BLOCK_SIZE]);

/**
 * Seals @len bytes at @pt with AES-256-GCM (SP 800-38D section 7.1): writes
 * the ciphertext (also @len bytes) to @ct and the tag over @aad and the
 * ciphertext to @tag.
 *
 * @ct may equal @pt (in place) or not overlap it at all; partial overlap is
 * not supported. @aad may be NULL when @aad_len is 0, @pt and @ct when @len
 * is 0. The tag is computed from the ciphertext as it is produced, never by
 * reading @ct back.
 *
 * The caller keeps @len <= AES_GCM_MAX_LEN and @aad_len <=
 * AES_GCM_MAX_AAD_LEN (the monitor seals only buffers of its own, far below
 * both); this function cannot report an error.
 */
void aes_gcm_encrypt(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
		     const void *aad, size_t aad_len, const void *pt, size_t len, void *ct,
		     uint8_t tag[AES_GCM_TAG_SIZE]);

/**
 * Opens @len bytes at @ct sealed with AES-256-GCM (SP 800-38D section 7.2)
 * into @pt, after checking @tag over @aad and the ciphertext.
 *
 * The tag is computed over the whole ciphertext first and compared in
 * constant time; only when it matches is anything decrypted, so no
 * plaintext of a forged message ever reaches @pt. @ct is therefore read
 * twice: it must be in monitor memory, not in memory the host or another
 * hart can change between the two reads (copy it in first).
 *
 * @pt may equal @ct (in place) or not overlap it at all; partial overlap is
 * not supported. @aad may be NULL when @aad_len is 0, @ct and @pt when @len
 * is 0.
 *
 * Returns:
 *   MON_OK                 the tag matched; @pt holds the plaintext
 *   MON_ERR_AUTH           the tag did not match; all @len bytes of @pt are
 *                          zero (in place, the ciphertext is gone)
 *   MON_ERR_INVALID_PARAM  @len > AES_GCM_MAX_LEN or @aad_len >
 *                          AES_GCM_MAX_AAD_LEN; nothing was read or written
 */
MON_WUR mon_err_t aes_gcm_decrypt(const uint8_t key[AES_GCM_KEY_SIZE],
				  const uint8_t iv[AES_GCM_IV_SIZE], const void *aad,
				  size_t aad_len, const void *ct, size_t len,
				  const uint8_t tag[AES_GCM_TAG_SIZE], void *pt);

/*
 * Two names for each, as for sha512_compress (covemon/sha512.h):
 *   aes_gcm_*_rounds  the cipher itself (lib/aes_gcm.c).
 *   aes_gcm_*crypt    what callers use: a link seam. lib/aes_gcm_seam.c
 *                     forwards to the rounds, and is all the firmware links.
 *                     The host's monitor-level fuzz targets link their own
 *                     (fuzz/common/aes_gcm_cache.c): the recorded result of
 *                     a call with the same key, IV, AAD and input bytes, else
 *                     the rounds, so only the time differs.
 */
void aes_gcm_encrypt_rounds(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
			    const void *aad, size_t aad_len, const void *pt, size_t len, void *ct,
			    uint8_t tag[AES_GCM_TAG_SIZE]);
MON_WUR mon_err_t aes_gcm_decrypt_rounds(const uint8_t key[AES_GCM_KEY_SIZE],
					 const uint8_t iv[AES_GCM_IV_SIZE], const void *aad,
					 size_t aad_len, const void *ct, size_t len,
					 const uint8_t tag[AES_GCM_TAG_SIZE], void *pt);
