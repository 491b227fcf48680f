/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TAP files on the sealer's side (format: covemon/abi/tap.h): sealing with
 * OpenSSL (AES-256-GCM, HKDF-SHA384, RAND_bytes), and reading the public
 * structure of a TAP (header, lockbox key ids, payload length) without a
 * key. Opening is left to the monitor's own tap_open (covemon/tap.h), so
 * that `covemon-tap inspect --key` shows what the monitor accepts.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/abi/tap.h"
#include "keys.h"
#include "util.h"

/* Smallest secret record: head, LE64 name, one byte of value. */
#define TAPFILE_SECRET_MIN  (COVE_TAP_RECORD_HEAD + 9u)
#define TAPFILE_MAX_SECRETS (COVE_TAP_MAX_SECRETS / TAPFILE_SECRET_MIN)
/* Registers a digest record may name: the initial ones (MR0 image, MR1 config). */
#define TAPFILE_DIGEST_REGS 2u
#define TAPFILE_DIGEST_SIZE 48u

struct tapfile_secret {
	uint64_t name;
	const uint8_t *value;
	size_t len;
};

/** What to seal: one lockbox per root, the digests, the secrets in order. */
struct tapfile_request {
	const uint8_t (*roots)[KEYS_ROOT_SIZE];
	unsigned int nroots;
	unsigned int digest_mask; /* bit r: digest[r] is given */
	uint8_t digest[TAPFILE_DIGEST_REGS][TAPFILE_DIGEST_SIZE];
	const struct tapfile_secret *secrets;
	unsigned int nsecrets;
};

/**
 * Seals @req into @out: a fresh random payload key (never all zero) and
 * IVs, one lockbox per root in the order given, then the payload (digest
 * records by register, then the secret records in order). *@len receives
 * the TAP's length. False with a message in @why, writing nothing
 * meaningful, when the request breaks a limit of abi/tap.h (1..8 roots, at
 * least one digest, registers 0 and 1 only, secrets of 1.. bytes totalling
 * at most COVE_TAP_MAX_SECRETS with their heads, payload at most
 * COVE_TAP_MAX_PAYLOAD), names a secret twice, gives two roots with the same
 * key id, or OpenSSL fails. Keys and plaintext are wiped before return.
 */
__attribute__((warn_unused_result)) bool tapfile_seal(const struct tapfile_request *req,
						      uint8_t out[COVE_TAP_MAX_SIZE], size_t *len,
						      struct util_why *why);

/** The public structure of a TAP. Pointers point into the TAP. */
struct tapfile_layout {
	unsigned int version;
	unsigned int lockboxes;
	uint32_t total;	      /* from the header */
	size_t payload_off;   /* P: the payload iv */
	uint32_t payload_len; /* m: ciphertext bytes */
	const uint8_t *key_id[COVE_TAP_MAX_LOCKBOXES];
};

/**
 * Reads the structure of the @len-byte TAP at @tap without opening it,
 * checking every field that can be checked without a key, each against
 * the bytes that remain. False with the first problem in @why.
 */
__attribute__((warn_unused_result)) bool
tapfile_layout(const uint8_t *tap, size_t len, struct tapfile_layout *out, struct util_why *why);
