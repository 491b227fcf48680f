// SPDX-License-Identifier: BSD-2-Clause
/* Test-side TAP sealer (tap_build.h). */
#include "tap_build.h"

#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/aes_gcm.h"
#include "covemon/tap.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

void tap_spec_init(struct tap_spec *s, const uint8_t *root)
{
	memset(s, 0, sizeof(*s));
	s->roots[0] = root;
	s->nroots = 1;
	for (unsigned int i = 0; i < sizeof(s->payload_key); i++) {
		s->payload_key[i] = (uint8_t)(0xa5 ^ (i * 13));
	}
}

static size_t secret_records(const struct tap_spec *s, uint8_t *out, size_t cap, size_t at)
{
	for (unsigned int i = 0; i < s->nsecrets; i++) {
		const struct tap_secret *sec = &s->secret[i];
		size_t size = COVE_TAP_RECORD_HEAD + 8u + sec->len;

		if (cap - at < size) {
			return 0;
		}
		put16(out + at, COVE_TAP_SECRET);
		put16(out + at + 2, (uint16_t)(8u + sec->len));
		put64(out + at + 4, sec->name);
		memcpy(out + at + 12, sec->value, sec->len);
		at += size;
	}
	return at;
}

size_t tap_build_secrets(const struct tap_spec *s, uint8_t *out, size_t cap)
{
	return secret_records(s, out, cap, 0);
}

size_t tap_build_plaintext(const struct tap_spec *s, uint8_t *out, size_t cap)
{
	size_t at = 0;

	if (s->plaintext) {
		if (cap < s->plaintext_len) {
			return 0;
		}
		memcpy(out, s->plaintext, s->plaintext_len);
		return s->plaintext_len;
	}
	for (unsigned int r = 0; r < 2; r++) {
		if (!(s->digest_mask & (1u << r))) {
			continue;
		}
		if (cap - at < COVE_TAP_RECORD_HEAD + COVE_TAP_DIGEST_BODY) {
			return 0;
		}
		put16(out + at, COVE_TAP_DIGEST);
		put16(out + at + 2, COVE_TAP_DIGEST_BODY);
		out[at + 4] = (uint8_t)r;
		out[at + 5] = COVE_HASH_SHA384;
		put16(out + at + 6, 0);
		memcpy(out + at + 8, s->digest[r], 48);
		at += COVE_TAP_RECORD_HEAD + COVE_TAP_DIGEST_BODY;
	}
	return secret_records(s, out, cap, at);
}

/* The plaintext of the TAP last planned. */
static uint8_t plaintext[1u << 16];

/* Writes @s's plaintext into plaintext[]; its length in *@m, the TAP's returned (0: none). */
static size_t plan(const struct tap_spec *s, size_t *m)
{
	*m = tap_build_plaintext(s, plaintext, sizeof(plaintext));
	if ((*m == 0 && s->plaintext_len != 0) || s->nroots > COVE_TAP_MAX_LOCKBOXES) {
		return 0;
	}
	return COVE_TAP_HEADER_SIZE + (size_t)s->nroots * COVE_TAP_LOCKBOX_SIZE + 16 + *m +
	       AES_GCM_TAG_SIZE;
}

size_t tap_build_size(const struct tap_spec *s)
{
	size_t m;

	return plan(s, &m);
}

size_t tap_build(const struct tap_spec *s, uint8_t *out, size_t cap)
{
	size_t m;
	size_t total = plan(s, &m);
	size_t p = COVE_TAP_HEADER_SIZE + (size_t)s->nroots * COVE_TAP_LOCKBOX_SIZE;
	tap_aead_fn *seal = s->aead ? s->aead : aes_gcm_encrypt;

	if (total == 0 || total > cap) {
		return 0;
	}
	memset(out, 0, total);
	put32(out, COVE_TAP_MAGIC);
	put16(out + 4, COVE_TAP_VERSION);
	put16(out + 6, (uint16_t)s->nroots);
	put32(out + 8, (uint32_t)total);
	for (unsigned int i = 0; i < s->nroots; i++) {
		struct tap_platform_key key;
		uint8_t aad[COVE_TAP_HEADER_SIZE + COVE_TAP_KEY_ID_SIZE];
		uint8_t *box = out + COVE_TAP_HEADER_SIZE + i * COVE_TAP_LOCKBOX_SIZE;

		if (!s->roots[i]) {
			key = *s->keys[i];
		} else if (tap_derive_platform_key(s->roots[i], &key) != MON_OK) {
			return 0;
		}
		memcpy(box, key.key_id, COVE_TAP_KEY_ID_SIZE);
		memset(box + 16, (int)(0x10 + i), AES_GCM_IV_SIZE);
		memcpy(aad, out, COVE_TAP_HEADER_SIZE);
		memcpy(aad + COVE_TAP_HEADER_SIZE, key.key_id, COVE_TAP_KEY_ID_SIZE);
		seal(key.lockbox_key, box + 16, aad, sizeof(aad), s->payload_key, 32, box + 28,
		     box + 60);
	}
	memset(out + p, 0x77, AES_GCM_IV_SIZE);
	put32(out + p + 12, (uint32_t)m);
	seal(s->payload_key, out + p, out, p + 16, plaintext, m, out + p + 16, out + p + 16 + m);
	return total;
}
