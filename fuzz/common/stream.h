/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading structured values out of fuzz input bytes. Reads past the end
 * return zeros (never fail), so a truncated input is still a valid input
 * and every byte the mutator changes keeps its meaning.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fuzz_stream {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static inline void fuzz_stream_init(struct fuzz_stream *s, const uint8_t *data, size_t size)
{
	s->data = data;
	s->size = size;
	s->pos = 0;
}

static inline size_t fuzz_stream_left(const struct fuzz_stream *s)
{
	return s->size - s->pos;
}

/** Copies @n bytes (zero-filled past the end) into @out. */
static inline void fuzz_bytes(struct fuzz_stream *s, void *out, size_t n)
{
	uint8_t *o = out;

	for (size_t i = 0; i < n; i++) {
		o[i] = s->pos < s->size ? s->data[s->pos++] : 0;
	}
}

static inline uint8_t fuzz_u8(struct fuzz_stream *s)
{
	uint8_t v;
	fuzz_bytes(s, &v, 1);
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_stream *s)
{
	uint8_t b[2];
	fuzz_bytes(s, b, 2);
	return (uint16_t)(b[0] | (b[1] << 8));
}

static inline uint32_t fuzz_u32(struct fuzz_stream *s)
{
	uint8_t b[4];
	fuzz_bytes(s, b, 4);
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	       ((uint32_t)b[3] << 24);
}

static inline uint64_t fuzz_u64(struct fuzz_stream *s)
{
	uint64_t lo = fuzz_u32(s);
	return lo | ((uint64_t)fuzz_u32(s) << 32);
}

/** The rest of the input (possibly empty), consumed. */
static inline const uint8_t *fuzz_rest(struct fuzz_stream *s, size_t *n)
{
	const uint8_t *p = s->data + s->pos;
	*n = s->size - s->pos;
	s->pos = s->size;
	return p;
}
