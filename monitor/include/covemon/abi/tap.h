/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TVM attestation payload (TAP), format version 1: what the TVM's creator
 * seals for one or more platforms and the hypervisor places in the VM image;
 * promote_to_tvm opens it (CoVE appendix D, "Local attestation"). All
 * integers are little endian; every length is checked against the bytes that
 * remain. docs/tap.md explains the design; covemon-tap builds and reads TAPs.
 *
 *   offset  size  field
 *   0       4     magic "CTAP" (bytes 43 54 41 50)
 *   4       2     version, 1
 *   6       2     lockbox count n, 1..COVE_TAP_MAX_LOCKBOXES
 *   8       4     total length of the TAP in bytes, header included
 *   12      4     reserved, 0
 *   16      76*n  lockboxes, each:
 *                   key id[16]      names the platform key (below)
 *                   iv[12]
 *                   wrapped key[32] the payload key, AES-256-GCM under the
 *                                   platform's lockbox key, AAD = the 16
 *                                   header bytes || key id
 *                   tag[16]
 *   P       12    payload iv                  (P = 16 + 76*n)
 *   P+12    4     payload length m, 4..COVE_TAP_MAX_PAYLOAD
 *   P+16    m     payload ciphertext: AES-256-GCM under the payload key,
 *                 AAD = bytes [0, P+16) (header, lockboxes, iv, length)
 *   P+16+m  16    payload tag
 * The total length must equal P + 32 + m exactly.
 *
 * Platform keys. From the platform's 32-byte attestation root secret R:
 *   PRK         = HKDF-Extract(salt = "covemon-tap-v1", IKM = R)
 *   lockbox key = HKDF-Expand(PRK, "covemon-tap-v1 lockbox key", 32)
 *   key id      = HKDF-Expand(PRK, "covemon-tap-v1 key id", 16)
 * The monitor opens the lockbox whose key id is its own. A payload key of
 * all zeros is refused.
 *
 * Payload plaintext: records back to back, exactly filling it, each
 *   LE16 type, LE16 length, body[length]
 *   COVE_TAP_DIGEST: body of 52 bytes: u8 register (COVE_MEASURE_IMAGE or
 *                    COVE_MEASURE_CONFIG), u8 algorithm (COVE_HASH_SHA384),
 *                    LE16 reserved 0, digest[48]. At least one; a register
 *                    at most once. Every digest must equal the TVM's register.
 *   COVE_TAP_SECRET: body of 9..: LE64 name, value (at least 1 byte).
 *                    The secret records, headers included, total at most
 *                    COVE_TAP_MAX_SECRETS bytes.
 * Any other type is refused.
 *
 * What the TVM receives from COVG retrieve_secret: the secret records exactly
 * as they appear in the plaintext (type, length, name, value), in TAP order.
 *
 * Where the TAP lies: tap_addr (8-byte aligned GPA) in the host's image; it
 * must be mapped and its bytes are taken from the TVM's own copy of the image.
 * The monitor zeroes those bytes in the copy before it measures, so MR0 is
 * the image with zeros where the TAP was: place the TAP in bytes that are
 * zero in the image you measured.
 */
#pragma once

#include <stdint.h>

#define COVE_TAP_MAGIC	       UINT32_C(0x50415443) /* "CTAP" */
#define COVE_TAP_VERSION       1u
#define COVE_TAP_HEADER_SIZE   16u
#define COVE_TAP_LOCKBOX_SIZE  76u
#define COVE_TAP_KEY_ID_SIZE   16u
#define COVE_TAP_MAX_LOCKBOXES 8u
#define COVE_TAP_MAX_PAYLOAD   6144u /* plaintext bytes */
#define COVE_TAP_MAX_SECRETS   4096u /* secret records, headers included */
#define COVE_TAP_MAX_SIZE                                                              \
	(COVE_TAP_HEADER_SIZE + COVE_TAP_MAX_LOCKBOXES * COVE_TAP_LOCKBOX_SIZE + 32u + \
	 COVE_TAP_MAX_PAYLOAD)

/* Record types of the payload plaintext. */
#define COVE_TAP_DIGEST	     1u
#define COVE_TAP_SECRET	     2u
#define COVE_TAP_RECORD_HEAD 4u	 /* LE16 type, LE16 length */
#define COVE_TAP_DIGEST_BODY 52u /* register, algorithm, reserved, SHA-384 */

/* HKDF parameters of the platform keys (strings without their NUL). */
#define COVE_TAP_HKDF_SALT	  "covemon-tap-v1"
#define COVE_TAP_HKDF_LOCKBOX_KEY "covemon-tap-v1 lockbox key"
#define COVE_TAP_HKDF_KEY_ID	  "covemon-tap-v1 key id"
