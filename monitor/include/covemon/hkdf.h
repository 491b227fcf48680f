/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HKDF-SHA384 (RFC 5869): derives keys from input keying material in two
 * steps,
 *
 *	PRK = HMAC-SHA384(salt, IKM)                          (extract, 2.2)
 *	T(0) = empty, T(i) = HMAC-SHA384(PRK, T(i-1) || info || i)
 *	OKM = the first L bytes of T(1) || T(2) || ...        (expand, 2.3)
 *
 * with the block counter i a single byte, which limits L to 255 blocks of
 * 48 bytes.
 *
 * Nothing here allocates and no function keeps state between calls; every
 * intermediate value (PRK, T(i), keyed HMAC states) is wiped before return.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"

/** Bytes in a pseudorandom key: HashLen for SHA-384 (RFC 5869 section 2.2). */
#define HKDF_SHA384_PRK_SIZE 48

/** The most output one expansion can give: 255 * HashLen (RFC 5869 section 2.3). */
#define HKDF_SHA384_MAX_OKM_SIZE (255 * HKDF_SHA384_PRK_SIZE)

/**
 * HKDF-Extract (RFC 5869 section 2.2): writes HMAC-SHA384(@salt, @ikm) to
 * @prk. A NULL or empty salt means HashLen zero bytes, as the RFC says (an
 * HMAC key is zero-padded to a block, so the two are the same key). @salt
 * may be NULL only when @salt_len is 0, @ikm only when @ikm_len is 0. @prk
 * may overlap the inputs: they are read completely before it is written.
 */
void hkdf_sha384_extract(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
			 uint8_t prk[HKDF_SHA384_PRK_SIZE]);

/**
 * HKDF-Expand (RFC 5869 section 2.3): writes @okm_len bytes of output keying
 * material derived from @prk and the context string @info to @okm. @info may
 * be NULL when @info_len is 0, @okm when @okm_len is 0.
 *
 * @okm may overlap @prk (the key is absorbed before any output is written,
 * so a key can be replaced by its own derivation) but not @info, which is
 * read again for every 48-byte block.
 *
 * Returns MON_OK; or MON_ERR_INVALID_PARAM when @okm_len exceeds
 * HKDF_SHA384_MAX_OKM_SIZE, and then @okm is not written.
 */
MON_WUR mon_err_t hkdf_sha384_expand(const uint8_t prk[HKDF_SHA384_PRK_SIZE], const void *info,
				     size_t info_len, void *okm, size_t okm_len);

/**
 * Extract then expand (RFC 5869 section 2): @okm_len bytes derived from
 * @ikm, @salt and @info into @okm. NULL pointers and overlap as for the two
 * steps; the PRK never leaves the call.
 *
 * Returns MON_OK; or MON_ERR_INVALID_PARAM when @okm_len exceeds
 * HKDF_SHA384_MAX_OKM_SIZE, checked before any work, and then @okm is not
 * written.
 */
MON_WUR mon_err_t hkdf_sha384(const void *salt, size_t salt_len, const void *ikm, size_t ikm_len,
			      const void *info, size_t info_len, void *okm, size_t okm_len);
