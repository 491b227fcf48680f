// SPDX-License-Identifier: BSD-2-Clause
/*
 * HKDF-SHA384 (RFC 5869) over HMAC-SHA384. Expand keys one HMAC context with
 * the PRK and copies it for every output block, so the PRK's key block is
 * hashed once per call rather than once per block.
 */
#include "covemon/hkdf.h"

#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"
#include "covemon/hmac.h"
#include "covemon/lib.h"

_Static_assert(HKDF_SHA384_PRK_SIZE == HMAC_SHA384_SIZE,
	       "a PRK is one HMAC-SHA384 output (RFC 5869 section 2.2)");
_Static_assert(HKDF_SHA384_MAX_OKM_SIZE / HKDF_SHA384_PRK_SIZE == 255,
	       "the block counter is one octet (RFC 5869 section 2.3)");

void hkdf_sha384_extract(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
			 uint8_t prk[HKDF_SHA384_PRK_SIZE])
{
	/*
	 * No substitution for a missing salt: HMAC zero-pads its key to a
	 * block, so the empty key already is RFC 5869's HashLen zero bytes.
	 */
	hmac_sha384(salt, salt_len, ikm, ikm_len, prk);
}

mon_err_t hkdf_sha384_expand(const uint8_t prk[HKDF_SHA384_PRK_SIZE], const void *info,
			     size_t info_len, void *okm, size_t okm_len)
{
	struct hmac_sha384_ctx keyed;
	struct hmac_sha384_ctx block;
	uint8_t t[HMAC_SHA384_SIZE];
	uint8_t *out = okm;
	size_t done = 0;

	if (okm_len > HKDF_SHA384_MAX_OKM_SIZE) {
		return MON_ERR_INVALID_PARAM;
	}
	if (okm_len == 0) {
		return MON_OK;
	}

	/* Reads all of @prk before @okm, which may overlap it, is written. */
	hmac_sha384_init(&keyed, prk, HKDF_SHA384_PRK_SIZE);

	/* The bound above keeps the counter within its octet: i <= 255. */
	for (unsigned int i = 1; done < okm_len; i++) {
		size_t take = okm_len - done < sizeof(t) ? okm_len - done : sizeof(t);
		uint8_t counter = (uint8_t)i;

		mon_memcpy(&block, &keyed, sizeof(block));
		if (i > 1) {
			hmac_sha384_update(&block, t, sizeof(t));
		}
		hmac_sha384_update(&block, info, info_len);
		hmac_sha384_update(&block, &counter, 1);
		hmac_sha384_final(&block, t);

		mon_memcpy(out + done, t, take);
		done += take;
	}

	/* @block was wiped by hmac_sha384_final; the template and T(N) remain. */
	mon_memzero_explicit(&keyed, sizeof(keyed));
	mon_memzero_explicit(t, sizeof(t));
	return MON_OK;
}

mon_err_t hkdf_sha384(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
		      const void *info, size_t info_len, void *okm, size_t okm_len)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	mon_err_t err;

	/* Checked here too, so a rejected call does no work. */
	if (okm_len > HKDF_SHA384_MAX_OKM_SIZE) {
		return MON_ERR_INVALID_PARAM;
	}

	hkdf_sha384_extract(salt, salt_len, ikm, ikm_len, prk);
	err = hkdf_sha384_expand(prk, info, info_len, okm, okm_len);
	mon_memzero_explicit(prk, sizeof(prk));
	return err;
}
