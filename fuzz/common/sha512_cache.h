/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor-level fuzz targets' sha512_compress: a two-way set-associative
 * table of exact results of whole calls (sha512_cache.c). Linked as objects, ahead of covemon_lib,
 * so the library's own sha512_compress.o is never pulled in.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2^14 entries (2^13 sets of two ways), each with room for a call of 32
 * blocks (4 KiB): about 66 MiB, allocated at the first call and touched as
 * entries fill. */
#define SHA512_CACHE_BITS 14

struct sha512_cache_stats {
	uint64_t hits;	 /* blocks whose result came from the table */
	uint64_t misses; /* blocks that ran the rounds */
};

/** The counters since the start or the last sha512_cache_clear. */
struct sha512_cache_stats sha512_cache_stats(void);

/** Forgets every entry and zeroes the counters. */
void sha512_cache_clear(void);

/** The slot of a call on @nblocks (1..32) blocks at @data from @h; its set is
 * slot / 2 (tests use it to make collisions). */
size_t sha512_cache_slot(const uint64_t h[8], const uint8_t *data, size_t nblocks);
