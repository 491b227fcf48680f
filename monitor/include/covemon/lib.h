/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Freestanding helpers of the monitor core: memory operations, checked
 * arithmetic on untrusted ranges, byte-order loads. No libc: the memory
 * operations are compiler builtins (the firmware provides memcpy/memset/
 * memmove/memcmp as GCC requires of a freestanding environment).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void *mon_memcpy(void *dst, const void *src, size_t n)
{
	return __builtin_memcpy(dst, src, n);
}

static inline void *mon_memmove(void *dst, const void *src, size_t n)
{
	return __builtin_memmove(dst, src, n);
}

static inline void *mon_memset(void *dst, int c, size_t n)
{
	return __builtin_memset(dst, c, n);
}

static inline int mon_memcmp(const void *a, const void *b, size_t n)
{
	return __builtin_memcmp(a, b, n);
}

/** Compares in time that depends only on @n (for tags, keys, digests). */
bool mon_memeq_ct(const void *a, const void *b, size_t n);

/** Zeroes @n bytes in a way the compiler may not remove (keys, secrets). */
void mon_memzero_explicit(void *p, size_t n);

/**
 * Bit j set when bit @bit of @w[j] is, for j < @n <= 64 (the valid bits of a
 * run of page table entries). A library function, not inline in the core: the
 * fuzzing builds give the core's loops a coverage counter per iteration, and
 * a count of 64 or 2048 words says nothing.
 */
uint64_t mon_word_bits(const uint64_t *w, size_t n, unsigned int bit);

/**
 * The end of [@base, @base + @len): false when the range wraps past 2^64
 * (an untrusted range is rejected, never truncated). @len 0 gives @base.
 */
static inline bool mon_range_end(uint64_t base, uint64_t len, uint64_t *end)
{
	return !__builtin_add_overflow(base, len, end);
}

/** True when [a, a + alen) and [b, b + blen) share a byte (ranges must not wrap). */
static inline bool mon_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/** True when [in, in + inlen) lies within [out, out + outlen) (ranges must not wrap). */
static inline bool mon_range_within(uint64_t in, uint64_t inlen, uint64_t out, uint64_t outlen)
{
	return in >= out && inlen <= outlen && in - out <= outlen - inlen;
}

static inline bool mon_is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

static inline uint32_t mon_load_be32(const void *p)
{
	const uint8_t *b = p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static inline uint64_t mon_load_be64(const void *p)
{
	const uint8_t *b = p;
	return ((uint64_t)mon_load_be32(b) << 32) | mon_load_be32(b + 4);
}

/*
 * The stores build their bytes in a local and copy it out whole: where
 * unaligned stores are cheap (the host) the compiler makes that one store,
 * which the fuzzing builds report to the shim once instead of once per byte
 * (SHA-384's digest and length field were a callback per byte). Strict-
 * alignment targets (the firmware) still store bytes.
 */
static inline void mon_store_be32(void *p, uint32_t v)
{
	uint8_t b[4];

	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(v >> (24 - 8 * i));
	}
	__builtin_memcpy(p, b, sizeof(b));
}

static inline void mon_store_be64(void *p, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	}
	__builtin_memcpy(p, b, sizeof(b));
}

static inline uint32_t mon_load_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	       ((uint32_t)b[3] << 24);
}

static inline uint64_t mon_load_le64(const void *p)
{
	const uint8_t *b = p;
	return (uint64_t)mon_load_le32(b) | ((uint64_t)mon_load_le32(b + 4) << 32);
}

static inline void mon_store_le64(void *p, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	__builtin_memcpy(p, b, sizeof(b));
}

/*
 * @v as a word whose bytes in memory are its little-endian encoding: an array
 * of these is hashed as it is: one aligned store per word, where mon_store_le64
 * takes eight (measurement records).
 */
static inline uint64_t mon_cpu_to_le64(uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return v;
#else
	uint64_t r = 0;
	for (int i = 0; i < 8; i++) {
		r = (r << 8) | ((v >> (8 * i)) & 0xFF);
	}
	return r;
#endif
}
