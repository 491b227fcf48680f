/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor-level fuzz targets' aes_gcm_encrypt and aes_gcm_decrypt: a
 * two-way set-associative table of exact results of whole calls
 * (aes_gcm_cache.c).
 * Linked as objects, ahead of covemon_lib, so the library's own
 * aes_gcm_seam.o is never pulled in.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* 4096 entries in 2048 sets of two (11 MiB, touched as they fill), each for a call of up to
 * AES_GCM_CACHE_MAX_LEN bytes of input
 * and AES_GCM_CACHE_MAX_AAD bytes of AAD (a TAP's lockbox and payload with
 * up to eight lockboxes); longer calls run the cipher every time. */
#define AES_GCM_CACHE_BITS    12
#define AES_GCM_CACHE_MAX_LEN 1024u
#define AES_GCM_CACHE_MAX_AAD 640u

struct aes_gcm_cache_stats {
	uint64_t hits;	 /* calls answered from the table */
	uint64_t misses; /* calls that ran the cipher */
};

/** The counters since the start or the last aes_gcm_cache_clear. */
struct aes_gcm_cache_stats aes_gcm_cache_stats(void);

/** Forgets every entry and zeroes the counters. */
void aes_gcm_cache_clear(void);

/** The slot of a call; its set is slot / 2 (tests use it to make collisions). */
size_t aes_gcm_cache_slot(const uint8_t key[32], const uint8_t iv[12], const void *aad,
			  size_t aad_len, const void *in, size_t len);
