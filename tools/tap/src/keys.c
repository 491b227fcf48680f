// SPDX-License-Identifier: BSD-2-Clause
/* Platform keys with OpenSSL: see keys.h. */
#include "keys.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

/* HKDF-SHA384 of @root with @info (no NUL) into @out (@len bytes). */
static bool hkdf(const uint8_t root[KEYS_ROOT_SIZE], const char *info, uint8_t *out, size_t len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t outlen = len;
	bool ok = ctx && EVP_PKEY_derive_init(ctx) == 1 &&
		  EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha384()) == 1 &&
		  EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const unsigned char *)COVE_TAP_HKDF_SALT,
					      (int)strlen(COVE_TAP_HKDF_SALT)) == 1 &&
		  EVP_PKEY_CTX_set1_hkdf_key(ctx, root, KEYS_ROOT_SIZE) == 1 &&
		  EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)info,
					      (int)strlen(info)) == 1 &&
		  EVP_PKEY_derive(ctx, out, &outlen) == 1 && outlen == len;

	EVP_PKEY_CTX_free(ctx);
	return ok;
}

bool keys_derive(const uint8_t root[KEYS_ROOT_SIZE], struct keys_platform *out,
		 struct util_why *why)
{
	if (!hkdf(root, COVE_TAP_HKDF_LOCKBOX_KEY, out->lockbox_key, sizeof(out->lockbox_key)) ||
	    !hkdf(root, COVE_TAP_HKDF_KEY_ID, out->key_id, sizeof(out->key_id))) {
		util_wipe(out, sizeof(*out));
		util_why_set(why, "OpenSSL HKDF-SHA384 failed");
		return false;
	}
	return true;
}

bool keys_read_root(const char *path, uint8_t root[KEYS_ROOT_SIZE], struct util_why *why)
{
	uint8_t *data;
	size_t len;
	uint8_t acc = 0;

	/* Read a little more than a root, so that a longer file says how long it is. */
	if (!util_read_file(path, 4096, &data, &len, why)) {
		return false;
	}
	if (len != KEYS_ROOT_SIZE) {
		util_why_set(why, "%s: a root key file holds exactly %u bytes, not %zu", path,
			     KEYS_ROOT_SIZE, len);
		util_wipe(data, len);
		free(data);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		acc |= data[i];
	}
	memcpy(root, data, KEYS_ROOT_SIZE);
	util_wipe(data, len);
	free(data);
	if (!acc) {
		util_wipe(root, KEYS_ROOT_SIZE);
		util_why_set(
			why,
			"%s: the root key is all zero (a platform without an attestation root)",
			path);
		return false;
	}
	return true;
}
