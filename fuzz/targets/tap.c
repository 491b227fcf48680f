// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target: the TAP opener (monitor/lib/tap.c) over untrusted bytes.
 *
 * Input: the whole input, used twice:
 *   1. as a TAP (no framing, so sealed TAPs are seeds as they are), opened
 *      with the shim's development platform key from an exact-size heap copy;
 *   2. as the plaintext of a TAP (its first COVE_TAP_MAX_PAYLOAD bytes, when
 *      there are at least 4): sealed for the development key with the
 *      monitor's AES-256-GCM, then opened, so that the record parser behind
 *      the authentication is reached by every input, not only by the seeds.
 *
 * Oracles, besides ASan/UBSan (a read past the copy is caught):
 *   - a reference model written from the format in covemon/abi/tap.h (header,
 *     lockbox count, payload length, total length, every record rule) agrees
 *     with tap_header() and tap_open(): a structural defect is INVALID_PARAM,
 *     a sound structure is never INVALID_PARAM unless its plaintext is
 *     refused by the model too;
 *   - an opened TAP gives exactly the model's digests and secret records;
 *   - a refused TAP leaves the contents and the whole secrets buffer zero;
 *   - secrets never exceed COVE_TAP_MAX_SECRETS and read back record by
 *     record with tap_next_record().
 * A violation aborts with a message naming it.
 */
#include "covemon/tap.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/err.h"
#include "shim/monitor.h"
#include "tap_build.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *what, ...)
{
	va_list ap;

	va_start(ap, what);
	fprintf(stderr, "fuzz_tap: oracle failure: ");
	vfprintf(stderr, what, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (le16(p + 2) << 16);
}

/* ------------------------------------------------ the reference model --- */

struct model {
	bool ok;
	unsigned int mask;
	uint8_t digest[2][48];
	uint8_t secrets[COVE_TAP_MAX_SECRETS];
	size_t secrets_len;
};

/* abi/tap.h, "Payload plaintext", rule by rule. */
static void model_plaintext(const uint8_t *pt, size_t len, struct model *m)
{
	size_t at = 0;

	memset(m, 0, sizeof(*m));
	while (at < len) {
		if (len - at < 4) {
			return;
		}
		uint32_t type = le16(pt + at), rlen = le16(pt + at + 2);
		const uint8_t *body = pt + at + 4;
		if (rlen > len - at - 4) {
			return;
		}
		if (type == COVE_TAP_DIGEST) {
			if (rlen != 52 || body[0] > 1 || body[1] != COVE_HASH_SHA384 || body[2] ||
			    body[3] || (m->mask >> body[0]) & 1) {
				return;
			}
			m->mask |= 1u << body[0];
			memcpy(m->digest[body[0]], body + 4, 48);
		} else if (type == COVE_TAP_SECRET) {
			if (rlen < 9 || m->secrets_len + 4 + rlen > COVE_TAP_MAX_SECRETS) {
				return;
			}
			memcpy(m->secrets + m->secrets_len, pt + at, 4 + rlen);
			m->secrets_len += 4 + rlen;
		} else {
			return;
		}
		at += 4 + rlen;
	}
	m->ok = m->mask != 0;
}

/* The header rules; the total length against the lockbox count's bounds. */
static bool model_header(const uint8_t *p, uint32_t *total)
{
	uint32_t n = le16(p + 6);

	*total = le32(p + 8);
	if (le32(p) != 0x50415443u || le16(p + 4) != 1 || n < 1 || n > 8 || le32(p + 12) != 0) {
		return false;
	}
	uint64_t fixed = 16 + 76 * (uint64_t)n + 12 + 4 + 16;
	return *total >= fixed + 4 && *total <= fixed + COVE_TAP_MAX_PAYLOAD;
}

/* Everything checked before any key is used. */
static bool model_structure(const uint8_t *p, size_t size)
{
	uint32_t total;

	if (size < 16 || !model_header(p, &total) || total != size) {
		return false;
	}
	uint64_t at = 16 + 76 * (uint64_t)le16(p + 6);
	uint32_t m = le32(p + at + 12);
	return m >= 4 && m <= COVE_TAP_MAX_PAYLOAD && at + 16 + m + 16 == size;
}

/* ------------------------------------------------------------ checks --- */

static struct tap_platform_key dev_key;
static uint8_t secrets[COVE_TAP_MAX_SECRETS];

static void check_refused(const char *how, const struct tap_contents *out)
{
	if (out->digest_mask || out->secrets_len) {
		fail("%s: refused, but contents were left", how);
	}
	for (size_t i = 0; i < sizeof(secrets); i++) {
		if (secrets[i]) {
			fail("%s: refused, but secrets byte %zu was left", how, i);
		}
	}
}

static void check_opened(const char *how, const struct tap_contents *out, const struct model *m)
{
	struct tap_record rec;
	size_t off = 0;

	if (!m->ok) {
		fail("%s: opened a plaintext the format refuses", how);
	}
	if (out->digest_mask != m->mask || out->secrets_len != m->secrets_len ||
	    out->secrets_len > COVE_TAP_MAX_SECRETS) {
		fail("%s: digest mask %u/%u, secrets %zu/%zu bytes (opener/model)", how,
		     out->digest_mask, m->mask, out->secrets_len, m->secrets_len);
	}
	for (unsigned int r = 0; r < 2; r++) {
		if ((m->mask >> r & 1) && memcmp(out->digest[r], m->digest[r], 48) != 0) {
			fail("%s: digest for register %u differs from the plaintext's", how, r);
		}
	}
	if (memcmp(secrets, m->secrets, m->secrets_len) != 0) {
		fail("%s: secret records differ from the plaintext's", how);
	}
	while (off < out->secrets_len) {
		if (tap_next_record(secrets, out->secrets_len, &off, &rec) != MON_OK ||
		    rec.type != COVE_TAP_SECRET) {
			fail("%s: secret records do not read back at offset %zu", how, off);
		}
	}
}

/* 1: the input is a TAP. */
static void open_raw(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct tap_contents out;
	uint32_t total = 0, model_total;

	memcpy(copy, data, size);
	if (size >= COVE_TAP_HEADER_SIZE) {
		bool ok = tap_header(copy, &total) == MON_OK;
		if (ok != model_header(data, &model_total) || (ok && total != model_total)) {
			fail("raw: tap_header says %d (total %u), the format %d (total %u)", ok,
			     total, !ok, model_total);
		}
	}
	memset(secrets, 0xee, sizeof(secrets));
	mon_err_t err = tap_open(&dev_key, copy, size, &out, secrets);
	bool sound = model_structure(data, size);
	if (!sound && err != MON_ERR_INVALID_PARAM) {
		fail("raw: a structural defect gave %d, not INVALID_PARAM", err);
	}
	if (err == MON_OK) {
		/* Decrypted in place: the plaintext sits where the ciphertext was. */
		static struct model m;
		size_t at = 16 + 76 * (size_t)le16(data + 6);
		model_plaintext(copy + at + 16, le32(data + at + 12), &m);
		check_opened("raw", &out, &m);
	} else if (err == MON_ERR_AUTH || err == MON_ERR_INVALID_PARAM) {
		check_refused("raw", &out);
	} else {
		fail("raw: tap_open returned %d", err);
	}
	free(copy);
}

/* 2: the input is a plaintext, sealed here so that the record parser is reached. */
static void open_sealed(const uint8_t *data, size_t size)
{
	static uint8_t tap[COVE_TAP_MAX_SIZE];
	static struct model m;
	struct tap_spec spec;
	struct tap_contents out;

	if (size < 4) {
		return;
	}
	if (size > COVE_TAP_MAX_PAYLOAD) {
		size = COVE_TAP_MAX_PAYLOAD;
	}
	tap_spec_init(&spec, (const uint8_t *)SHIM_DEV_ATTESTATION_ROOT);
	spec.plaintext = data;
	spec.plaintext_len = size;
	size_t len = tap_build(&spec, tap, sizeof(tap));
	if (len == 0) {
		fail("sealed: could not seal %zu bytes of plaintext", size);
	}
	uint8_t *copy = malloc(len);
	memcpy(copy, tap, len);
	memset(secrets, 0xee, sizeof(secrets));
	mon_err_t err = tap_open(&dev_key, copy, len, &out, secrets);
	model_plaintext(data, size, &m);
	if (err == MON_OK) {
		check_opened("sealed", &out, &m);
	} else if (err == MON_ERR_INVALID_PARAM && !m.ok) {
		check_refused("sealed", &out);
	} else {
		fail("sealed: tap_open returned %d for a plaintext the format %s", err,
		     m.ok ? "accepts" : "refuses");
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		if (tap_derive_platform_key((const uint8_t *)SHIM_DEV_ATTESTATION_ROOT, &dev_key) !=
		    MON_OK) {
			fail("cannot derive the development key");
		}
		ready = true;
	}
	open_raw(data, size);
	open_sealed(data, size);
	return 0;
}
