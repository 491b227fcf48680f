// SPDX-License-Identifier: BSD-2-Clause
/* Opening a TVM attestation payload (covemon/tap.h, format in abi/tap.h). */
#include "covemon/tap.h"

#include <stdbool.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/aes_gcm.h"
#include "covemon/hkdf.h"
#include "covemon/lib.h"

#define LOCKBOX_IV	16u
#define LOCKBOX_WRAPPED 28u
#define LOCKBOX_TAG	60u
#define PAYLOAD_HEAD	16u /* iv[12], LE32 length */
#define PAYLOAD_MIN	COVE_TAP_RECORD_HEAD
#define CT_SIZE(n)	(COVE_TAP_HEADER_SIZE + (n)*COVE_TAP_LOCKBOX_SIZE)
#define TAP_SIZE(n, m)	(CT_SIZE(n) + PAYLOAD_HEAD + (m) + AES_GCM_TAG_SIZE)

mon_err_t tap_derive_platform_key(const uint8_t root[32], struct tap_platform_key *out)
{
	uint8_t prk[HKDF_SHA384_PRK_SIZE];
	mon_err_t err;

	hkdf_sha384_extract(COVE_TAP_HKDF_SALT, sizeof(COVE_TAP_HKDF_SALT) - 1, root, 32, prk);
	err = hkdf_sha384_expand(prk, COVE_TAP_HKDF_LOCKBOX_KEY,
				 sizeof(COVE_TAP_HKDF_LOCKBOX_KEY) - 1, out->lockbox_key,
				 sizeof(out->lockbox_key));
	if (err == MON_OK) {
		err = hkdf_sha384_expand(prk, COVE_TAP_HKDF_KEY_ID,
					 sizeof(COVE_TAP_HKDF_KEY_ID) - 1, out->key_id,
					 sizeof(out->key_id));
	}
	mon_memzero_explicit(prk, sizeof(prk));
	if (err != MON_OK) {
		mon_memzero_explicit(out, sizeof(*out));
	}
	return err;
}

static uint16_t load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

mon_err_t tap_header(const uint8_t hdr[COVE_TAP_HEADER_SIZE], uint32_t *total)
{
	uint32_t n = load_le16(hdr + 6);
	uint32_t len = mon_load_le32(hdr + 8);

	if (mon_load_le32(hdr) != COVE_TAP_MAGIC || load_le16(hdr + 4) != COVE_TAP_VERSION ||
	    n == 0 || n > COVE_TAP_MAX_LOCKBOXES || mon_load_le32(hdr + 12) != 0) {
		return MON_ERR_INVALID_PARAM;
	}
	if (len < TAP_SIZE(n, PAYLOAD_MIN) || len > TAP_SIZE(n, COVE_TAP_MAX_PAYLOAD)) {
		return MON_ERR_INVALID_PARAM;
	}
	*total = len;
	return MON_OK;
}

mon_err_t tap_next_record(const uint8_t *p, size_t len, size_t *off, struct tap_record *rec)
{
	size_t at = *off;

	if (at > len || len - at < COVE_TAP_RECORD_HEAD) {
		return MON_ERR_INVALID_PARAM;
	}
	rec->type = load_le16(p + at);
	rec->length = load_le16(p + at + 2);
	if (len - at - COVE_TAP_RECORD_HEAD < rec->length) {
		return MON_ERR_INVALID_PARAM;
	}
	rec->body = p + at + COVE_TAP_RECORD_HEAD;
	*off = at + COVE_TAP_RECORD_HEAD + rec->length;
	return MON_OK;
}

/* The plaintext's records into @out and @secrets (which the caller wipes on error). */
static mon_err_t parse_plaintext(const uint8_t *pt, size_t len, struct tap_contents *out,
				 uint8_t *secrets)
{
	struct tap_record rec;
	size_t off = 0;

	while (off < len) {
		size_t start = off;

		if (tap_next_record(pt, len, &off, &rec) != MON_OK) {
			return MON_ERR_INVALID_PARAM;
		}
		if (rec.type == COVE_TAP_DIGEST) {
			unsigned int reg = rec.body[0];

			if (rec.length != COVE_TAP_DIGEST_BODY ||
			    reg >= COVE_MEASURE_RUNTIME_FIRST || rec.body[1] != COVE_HASH_SHA384 ||
			    rec.body[2] || rec.body[3] || (out->digest_mask & (1u << reg))) {
				return MON_ERR_INVALID_PARAM;
			}
			out->digest_mask |= 1u << reg;
			mon_memcpy(out->digest[reg], rec.body + 4, 48);
		} else if (rec.type == COVE_TAP_SECRET) {
			size_t size = off - start;

			if (rec.length < 9 || size > COVE_TAP_MAX_SECRETS - out->secrets_len) {
				return MON_ERR_INVALID_PARAM;
			}
			mon_memcpy(secrets + out->secrets_len, pt + start, size);
			out->secrets_len += size;
		} else {
			return MON_ERR_INVALID_PARAM;
		}
	}
	return out->digest_mask ? MON_OK : MON_ERR_INVALID_PARAM;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

/* tap_open without the wipe on error. */
static mon_err_t open_tap(const struct tap_platform_key *key, uint8_t *tap, size_t len,
			  struct tap_contents *out, uint8_t *secrets)
{
	uint8_t aad[COVE_TAP_HEADER_SIZE + COVE_TAP_KEY_ID_SIZE];
	uint8_t payload_key[AES_GCM_KEY_SIZE];
	const uint8_t *box = NULL;
	uint32_t total;
	mon_err_t err;

	if (len < COVE_TAP_HEADER_SIZE || tap_header(tap, &total) != MON_OK || total != len) {
		return MON_ERR_INVALID_PARAM;
	}
	uint32_t n = load_le16(tap + 6);
	uint8_t *payload = tap + CT_SIZE(n);
	uint32_t m = mon_load_le32(payload + 12);
	if (m < PAYLOAD_MIN || m > COVE_TAP_MAX_PAYLOAD || TAP_SIZE(n, m) != len) {
		return MON_ERR_INVALID_PARAM;
	}

	/* The lockbox for this platform: key ids are public, so a plain search. */
	for (uint32_t i = 0; i < n && !box; i++) {
		const uint8_t *b = tap + CT_SIZE(i);
		if (mon_memcmp(b, key->key_id, COVE_TAP_KEY_ID_SIZE) == 0) {
			box = b;
		}
	}
	if (!box) {
		return MON_ERR_AUTH;
	}
	mon_memcpy(aad, tap, COVE_TAP_HEADER_SIZE);
	mon_memcpy(aad + COVE_TAP_HEADER_SIZE, box, COVE_TAP_KEY_ID_SIZE);
	err = aes_gcm_decrypt(key->lockbox_key, box + LOCKBOX_IV, aad, sizeof(aad),
			      box + LOCKBOX_WRAPPED, sizeof(payload_key), box + LOCKBOX_TAG,
			      payload_key);
	if (err == MON_OK && all_zero(payload_key, sizeof(payload_key))) {
		err = MON_ERR_AUTH; /* a sealer without a key (ACE's zero key) */
	}
	if (err == MON_OK) {
		uint8_t *ct = payload + PAYLOAD_HEAD;

		err = aes_gcm_decrypt(payload_key, payload, tap, CT_SIZE(n) + PAYLOAD_HEAD, ct, m,
				      ct + m, ct);
		if (err == MON_OK) {
			err = parse_plaintext(ct, m, out, secrets);
		} else {
			err = MON_ERR_AUTH;
		}
	} else {
		err = MON_ERR_AUTH;
	}
	mon_memzero_explicit(payload_key, sizeof(payload_key));
	return err;
}

mon_err_t tap_open(const struct tap_platform_key *key, uint8_t *tap, size_t len,
		   struct tap_contents *out, uint8_t secrets[COVE_TAP_MAX_SECRETS])
{
	mon_memset(out, 0, sizeof(*out));
	mon_err_t err = open_tap(key, tap, len, out, secrets);
	if (err != MON_OK) {
		mon_memzero_explicit(out, sizeof(*out));
		mon_memzero_explicit(secrets, COVE_TAP_MAX_SECRETS);
	}
	return err;
}
