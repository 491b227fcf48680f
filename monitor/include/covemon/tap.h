/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening a TVM attestation payload (format: covemon/abi/tap.h): a bounded
 * parser over untrusted bytes and the AES-256-GCM/HKDF-SHA384 checks. The
 * monitor runs it at promote_to_tvm; covemon-tap runs the same code for
 * `inspect`. Freestanding, no state; keys are wiped from stack buffers.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "covemon/abi/tap.h"
#include "covemon/err.h"

/** A platform's TAP keys, derived from its attestation root secret. */
struct tap_platform_key {
	uint8_t lockbox_key[32];
	uint8_t key_id[COVE_TAP_KEY_ID_SIZE];
};

/** What an opened TAP asks for. */
struct tap_contents {
	unsigned int digest_mask; /* bit r: digest[r] is set (r < 2) */
	uint8_t digest[2][48];
	size_t secrets_len; /* bytes of secret records in the caller's buffer */
};

/**
 * Derives @out from the 32-byte root secret @root (HKDF-SHA384, abi/tap.h).
 * MON_OK, or the HKDF error with *@out zeroed.
 */
MON_WUR mon_err_t tap_derive_platform_key(const uint8_t root[32], struct tap_platform_key *out);

/**
 * Checks the 16-byte header at @hdr and gives the TAP's total length.
 * MON_OK, or MON_ERR_INVALID_PARAM: bad magic, version, lockbox count,
 * reserved bits, or a total length outside what the lockbox count allows
 * and COVE_TAP_MAX_SIZE.
 */
MON_WUR mon_err_t tap_header(const uint8_t hdr[COVE_TAP_HEADER_SIZE], uint32_t *total);

/**
 * Opens the TAP of exactly @len bytes at @tap with @key: structure first,
 * then the lockbox whose key id is @key's, then the payload, then the
 * plaintext records. The payload is decrypted in place: on return @tap holds
 * plaintext (the caller scrubs it). The secret records are copied to
 * @secrets (COVE_TAP_MAX_SECRETS bytes).
 * MON_OK; MON_ERR_INVALID_PARAM for a malformed TAP or plaintext (lengths,
 * types, registers, algorithms, reserved fields); MON_ERR_AUTH when no
 * lockbox is for @key, a tag does not verify, or the payload key is zero.
 * On error *@out and all of @secrets are zeroed.
 */
MON_WUR mon_err_t tap_open(const struct tap_platform_key *key, uint8_t *tap, size_t len,
			   struct tap_contents *out, uint8_t secrets[COVE_TAP_MAX_SECRETS]);

/** One record of a plaintext or secret list (tap_next_record). */
struct tap_record {
	uint16_t type;
	uint16_t length;     /* body bytes */
	const uint8_t *body; /* inside the list */
};

/**
 * Reads the record at *@off of the @len-byte list @p and advances *@off.
 * MON_OK, MON_ERR_INVALID_PARAM when the record does not fit; the caller
 * stops when *@off == @len.
 */
MON_WUR mon_err_t tap_next_record(const uint8_t *p, size_t len, size_t *off,
				  struct tap_record *rec);
