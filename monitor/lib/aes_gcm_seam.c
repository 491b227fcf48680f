// SPDX-License-Identifier: BSD-2-Clause
/*
 * The default side of the AES-256-GCM link seam (covemon/aes_gcm.h): the
 * cipher, every time. Its own object file, so that a program defining
 * aes_gcm_encrypt and aes_gcm_decrypt itself never pulls this one in.
 */
#include "covemon/aes_gcm.h"

void aes_gcm_encrypt(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
		     const void *aad, size_t aad_len, const void *pt, size_t len, void *ct,
		     uint8_t tag[AES_GCM_TAG_SIZE])
{
	aes_gcm_encrypt_rounds(key, iv, aad, aad_len, pt, len, ct, tag);
}

mon_err_t aes_gcm_decrypt(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
			  const void *aad, size_t aad_len, const void *ct, size_t len,
			  const uint8_t tag[AES_GCM_TAG_SIZE], void *pt)
{
	return aes_gcm_decrypt_rounds(key, iv, aad, aad_len, ct, len, tag, pt);
}
