// SPDX-License-Identifier: BSD-2-Clause
/* TAP files with OpenSSL: see tapfile.h; the format is covemon/abi/tap.h. */
#include "tapfile.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"

#define GCM_IV	    12u
#define GCM_TAG	    16u
#define PAYLOAD_KEY 32u
/* Offsets inside one lockbox (abi/tap.h). */
#define BOX_IV	    COVE_TAP_KEY_ID_SIZE
#define BOX_WRAPPED (BOX_IV + GCM_IV)
#define BOX_TAG	    (BOX_WRAPPED + PAYLOAD_KEY)
/* The payload iv and its LE32 length. */
#define PAYLOAD_HEAD (GCM_IV + 4u)

_Static_assert(BOX_TAG + GCM_TAG == COVE_TAP_LOCKBOX_SIZE, "a lockbox is 76 bytes");
_Static_assert(COVE_TAP_DIGEST_BODY == 4u + TAPFILE_DIGEST_SIZE, "register, alg, reserved, digest");
_Static_assert(TAPFILE_DIGEST_REGS == COVE_MEASURE_RUNTIME_FIRST, "digests name MR0 and MR1");

static void store_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void store_le32(uint8_t *p, uint32_t v)
{
	store_le16(p, (uint16_t)v);
	store_le16(p + 2, (uint16_t)(v >> 16));
}

static void store_le64(uint8_t *p, uint64_t v)
{
	store_le32(p, (uint32_t)v);
	store_le32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)load_le16(p) | (uint32_t)load_le16(p + 2) << 16;
}

/* AES-256-GCM with a 96-bit IV: @len bytes of @pt to @ct, tag to @tag. */
static bool gcm_seal(const uint8_t key[PAYLOAD_KEY], const uint8_t iv[GCM_IV], const uint8_t *aad,
		     size_t aad_len, const uint8_t *pt, size_t len, uint8_t *ct,
		     uint8_t tag[GCM_TAG])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;
	bool ok = ctx && len <= (size_t)INT32_MAX && aad_len <= (size_t)INT32_MAX &&
		  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
		  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, GCM_IV, NULL) == 1 &&
		  EVP_EncryptInit_ex(ctx, NULL, NULL, key, iv) == 1 &&
		  EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) == 1 &&
		  EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len) == 1 && (size_t)n == len &&
		  EVP_EncryptFinal_ex(ctx, ct + len, &n) == 1 && n == 0 &&
		  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG, tag) == 1;

	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++) {
		acc |= p[i];
	}
	return acc == 0;
}

/* The request's limits (abi/tap.h), before anything is derived or drawn. */
static bool check_request(const struct tapfile_request *req, size_t *payload_len,
			  struct util_why *why)
{
	size_t secrets = 0;
	size_t digests = 0;

	if (req->nroots == 0 || req->nroots > COVE_TAP_MAX_LOCKBOXES) {
		util_why_set(why, "%u platform keys given; a TAP has 1 to %u lockboxes",
			     req->nroots, COVE_TAP_MAX_LOCKBOXES);
		return false;
	}
	if (req->digest_mask == 0 || (req->digest_mask >> TAPFILE_DIGEST_REGS)) {
		util_why_set(why, "a TAP needs at least one digest, of MR0 or MR1 only");
		return false;
	}
	for (unsigned int r = 0; r < TAPFILE_DIGEST_REGS; r++) {
		if (req->digest_mask & (1u << r)) {
			digests += COVE_TAP_RECORD_HEAD + COVE_TAP_DIGEST_BODY;
		}
	}
	for (unsigned int i = 0; i < req->nsecrets; i++) {
		const struct tapfile_secret *s = &req->secrets[i];

		if (s->len == 0) {
			util_why_set(why,
				     "secret 0x%llx is empty; a secret holds at least one byte",
				     (unsigned long long)s->name);
			return false;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (req->secrets[j].name == s->name) {
				util_why_set(why, "secret 0x%llx is given twice",
					     (unsigned long long)s->name);
				return false;
			}
		}
		/* Checked one at a time, so the sum cannot wrap. */
		if (s->len > COVE_TAP_MAX_SECRETS ||
		    secrets + COVE_TAP_RECORD_HEAD + 8 + s->len > COVE_TAP_MAX_SECRETS) {
			util_why_set(why,
				     "the secrets take more than %u bytes (each counts 12 bytes of "
				     "type, length and name besides its value)",
				     COVE_TAP_MAX_SECRETS);
			return false;
		}
		secrets += COVE_TAP_RECORD_HEAD + 8 + s->len;
	}
	if (digests + secrets > COVE_TAP_MAX_PAYLOAD) {
		util_why_set(why, "the payload would be %zu bytes; at most %u", digests + secrets,
			     COVE_TAP_MAX_PAYLOAD);
		return false;
	}
	*payload_len = digests + secrets;
	return true;
}

/* The plaintext records (digests by register, then secrets) into @pt. */
static void build_plaintext(const struct tapfile_request *req, uint8_t *pt)
{
	size_t off = 0;

	for (unsigned int r = 0; r < TAPFILE_DIGEST_REGS; r++) {
		if (!(req->digest_mask & (1u << r))) {
			continue;
		}
		store_le16(pt + off, COVE_TAP_DIGEST);
		store_le16(pt + off + 2, COVE_TAP_DIGEST_BODY);
		pt[off + 4] = (uint8_t)r;
		pt[off + 5] = COVE_HASH_SHA384;
		store_le16(pt + off + 6, 0);
		memcpy(pt + off + 8, req->digest[r], TAPFILE_DIGEST_SIZE);
		off += COVE_TAP_RECORD_HEAD + COVE_TAP_DIGEST_BODY;
	}
	for (unsigned int i = 0; i < req->nsecrets; i++) {
		const struct tapfile_secret *s = &req->secrets[i];

		store_le16(pt + off, COVE_TAP_SECRET);
		store_le16(pt + off + 2, (uint16_t)(8 + s->len));
		store_le64(pt + off + 4, s->name);
		memcpy(pt + off + 12, s->value, s->len);
		off += COVE_TAP_RECORD_HEAD + 8 + s->len;
	}
}

/* One key per root, refusing two roots that name the same platform. */
static bool derive_all(const struct tapfile_request *req, struct keys_platform *keys,
		       struct util_why *why)
{
	for (unsigned int i = 0; i < req->nroots; i++) {
		if (!keys_derive(req->roots[i], &keys[i], why)) {
			return false;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (memcmp(keys[j].key_id, keys[i].key_id, COVE_TAP_KEY_ID_SIZE) == 0) {
				util_why_set(why, "platform keys %u and %u are the same key", j + 1,
					     i + 1);
				return false;
			}
		}
	}
	return true;
}

bool tapfile_seal(const struct tapfile_request *req, uint8_t out[COVE_TAP_MAX_SIZE], size_t *len,
		  struct util_why *why)
{
	struct keys_platform keys[COVE_TAP_MAX_LOCKBOXES];
	uint8_t payload_key[PAYLOAD_KEY];
	uint8_t pt[COVE_TAP_MAX_PAYLOAD];
	size_t m;
	bool ok = false;

	if (!check_request(req, &m, why)) {
		return false;
	}
	size_t p = COVE_TAP_HEADER_SIZE + (size_t)req->nroots * COVE_TAP_LOCKBOX_SIZE;
	size_t total = p + PAYLOAD_HEAD + m + GCM_TAG;
	uint8_t *payload = out + p;

	memset(out, 0, total);
	store_le32(out, COVE_TAP_MAGIC);
	store_le16(out + 4, COVE_TAP_VERSION);
	store_le16(out + 6, (uint16_t)req->nroots);
	store_le32(out + 8, (uint32_t)total);
	store_le32(out + 12, 0);

	if (!derive_all(req, keys, why)) {
		goto out;
	}
	/* A zero payload key is what a sealer without a key would use: the monitor refuses it. */
	do {
		if (RAND_bytes(payload_key, sizeof(payload_key)) != 1) {
			util_why_set(why, "OpenSSL RAND_bytes failed");
			goto out;
		}
	} while (all_zero(payload_key, sizeof(payload_key)));

	for (unsigned int i = 0; i < req->nroots; i++) {
		uint8_t *box = out + COVE_TAP_HEADER_SIZE + (size_t)i * COVE_TAP_LOCKBOX_SIZE;
		uint8_t aad[COVE_TAP_HEADER_SIZE + COVE_TAP_KEY_ID_SIZE];

		memcpy(box, keys[i].key_id, COVE_TAP_KEY_ID_SIZE);
		memcpy(aad, out, COVE_TAP_HEADER_SIZE);
		memcpy(aad + COVE_TAP_HEADER_SIZE, keys[i].key_id, COVE_TAP_KEY_ID_SIZE);
		if (RAND_bytes(box + BOX_IV, GCM_IV) != 1) {
			util_why_set(why, "OpenSSL RAND_bytes failed");
			goto out;
		}
		if (!gcm_seal(keys[i].lockbox_key, box + BOX_IV, aad, sizeof(aad), payload_key,
			      PAYLOAD_KEY, box + BOX_WRAPPED, box + BOX_TAG)) {
			util_why_set(why, "OpenSSL AES-256-GCM failed");
			goto out;
		}
	}

	if (RAND_bytes(payload, GCM_IV) != 1) {
		util_why_set(why, "OpenSSL RAND_bytes failed");
		goto out;
	}
	store_le32(payload + GCM_IV, (uint32_t)m);
	build_plaintext(req, pt);
	/* AAD: everything before the ciphertext (header, lockboxes, iv, length). */
	if (!gcm_seal(payload_key, payload, out, p + PAYLOAD_HEAD, pt, m, payload + PAYLOAD_HEAD,
		      payload + PAYLOAD_HEAD + m)) {
		util_why_set(why, "OpenSSL AES-256-GCM failed");
		goto out;
	}
	*len = total;
	ok = true;
out:
	util_wipe(keys, sizeof(keys));
	util_wipe(payload_key, sizeof(payload_key));
	util_wipe(pt, sizeof(pt));
	if (!ok) {
		util_wipe(out, total);
	}
	return ok;
}

bool tapfile_layout(const uint8_t *tap, size_t len, struct tapfile_layout *out,
		    struct util_why *why)
{
	memset(out, 0, sizeof(*out));
	if (len < COVE_TAP_HEADER_SIZE) {
		util_why_set(why, "%zu bytes, shorter than the %u-byte header", len,
			     COVE_TAP_HEADER_SIZE);
		return false;
	}
	if (load_le32(tap) != COVE_TAP_MAGIC) {
		util_why_set(why, "no \"CTAP\" magic: not a TAP");
		return false;
	}
	out->version = load_le16(tap + 4);
	out->lockboxes = load_le16(tap + 6);
	out->total = load_le32(tap + 8);
	if (out->version != COVE_TAP_VERSION) {
		util_why_set(why, "version %u; this tool and the monitor read version %u",
			     out->version, COVE_TAP_VERSION);
		return false;
	}
	if (out->lockboxes == 0 || out->lockboxes > COVE_TAP_MAX_LOCKBOXES) {
		util_why_set(why, "lockbox count %u; it must be 1 to %u", out->lockboxes,
			     COVE_TAP_MAX_LOCKBOXES);
		return false;
	}
	if (load_le32(tap + 12) != 0) {
		util_why_set(why, "reserved header field is not zero");
		return false;
	}
	if (out->total != len) {
		util_why_set(why, "the header says %u bytes, the file has %zu", out->total, len);
		return false;
	}
	out->payload_off = COVE_TAP_HEADER_SIZE + (size_t)out->lockboxes * COVE_TAP_LOCKBOX_SIZE;
	if (len < out->payload_off + PAYLOAD_HEAD) {
		util_why_set(why, "%zu bytes cannot hold %u lockboxes and the payload head", len,
			     out->lockboxes);
		return false;
	}
	out->payload_len = load_le32(tap + out->payload_off + GCM_IV);
	if (out->payload_len < COVE_TAP_RECORD_HEAD || out->payload_len > COVE_TAP_MAX_PAYLOAD) {
		util_why_set(why, "payload length %u; it must be %u to %u", out->payload_len,
			     COVE_TAP_RECORD_HEAD, COVE_TAP_MAX_PAYLOAD);
		return false;
	}
	if (len - out->payload_off - PAYLOAD_HEAD != (size_t)out->payload_len + GCM_TAG) {
		util_why_set(why,
			     "payload length %u and %u lockboxes make %zu bytes, the file has %zu",
			     out->payload_len, out->lockboxes,
			     out->payload_off + PAYLOAD_HEAD + out->payload_len + GCM_TAG, len);
		return false;
	}
	for (unsigned int i = 0; i < out->lockboxes; i++) {
		out->key_id[i] = tap + COVE_TAP_HEADER_SIZE + (size_t)i * COVE_TAP_LOCKBOX_SIZE;
	}
	return true;
}
