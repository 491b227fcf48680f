/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor-level fuzz targets' sha512_compress: a two-way set-associative
 * table of exact results (sha512_cache.c). Linked as objects, ahead of covemon_lib,
 * so the library's own sha512_compress.o is never pulled in.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2^16 entries of 256 bytes: 16 MiB, allocated at the first call. */
#define SHA512_CACHE_BITS 16

struct sha512_cache_stats {
	uint64_t hits;	 /* blocks answered from the table */
	uint64_t misses; /* blocks that ran the rounds (and were recorded) */
};

/** The counters since the start or the last sha512_cache_clear. */
struct sha512_cache_stats sha512_cache_stats(void);

/** Forgets every entry and zeroes the counters. */
void sha512_cache_clear(void);

/** The slot of (@h, @block); its set is slot / 2 (tests use it to make collisions). */
size_t sha512_cache_slot(const uint64_t h[8], const uint8_t *block);
