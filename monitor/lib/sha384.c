// SPDX-License-Identifier: BSD-2-Clause
/*
 * SHA-384 (FIPS 180-4): the SHA-512 compression function (sha512.h) with its
 * own initial hash value, truncated to six words of output.
 */
#include "covemon/sha384.h"

#include <stddef.h>
#include <stdint.h>

#include "covemon/lib.h"
#include "covemon/sha512.h"

/* The length field that ends the last padded block (FIPS 180-4 section 5.1.2). */
#define SHA512_LEN_FIELD_SIZE 16

/*
 * SHA-384 initial hash value H(0), FIPS 180-4 section 5.3.4: the first 64
 * bits of the fractional parts of the square roots of the ninth through
 * sixteenth primes.
 */
static const uint64_t sha384_iv[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
	0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};

void sha384_init(struct sha384_ctx *ctx)
{
	mon_memcpy(ctx->h, sha384_iv, sizeof(ctx->h));
	ctx->len_lo = 0;
	ctx->len_hi = 0;
	mon_memset(ctx->buf, 0, sizeof(ctx->buf));
	ctx->buf_len = 0;
}

void sha384_update(struct sha384_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t nblocks;

	/* Also keeps a NULL @data away from mon_memcpy. */
	if (len == 0) {
		return;
	}

	/* 128-bit byte count: carry into the high word. */
	ctx->len_lo += (uint64_t)len;
	if (ctx->len_lo < (uint64_t)len) {
		ctx->len_hi++;
	}

	if (ctx->buf_len > 0) {
		size_t room = SHA384_BLOCK_SIZE - ctx->buf_len;
		size_t take = len < room ? len : room;

		mon_memcpy(ctx->buf + ctx->buf_len, p, take);
		ctx->buf_len += take;
		p += take;
		len -= take;
		if (ctx->buf_len < SHA384_BLOCK_SIZE) {
			return;
		}
		sha512_compress(ctx->h, ctx->buf, 1);
		ctx->buf_len = 0;
	}

	/* Whole blocks straight from the caller's buffer, no copy. */
	nblocks = len / SHA384_BLOCK_SIZE;
	if (nblocks > 0) {
		sha512_compress(ctx->h, p, nblocks);
		p += nblocks * SHA384_BLOCK_SIZE;
		len -= nblocks * SHA384_BLOCK_SIZE;
	}

	if (len > 0) {
		mon_memcpy(ctx->buf, p, len);
		ctx->buf_len = len;
	}
}

void sha384_final(struct sha384_ctx *ctx, uint8_t out[SHA384_DIGEST_SIZE])
{
	const size_t len_at = SHA384_BLOCK_SIZE - SHA512_LEN_FIELD_SIZE;
	/*
	 * The length field counts bits: shift the 128-bit byte count left by
	 * three. FIPS 180-4 bounds messages below 2^128 bits, so the three bits
	 * shifted out of len_hi are zero for any message it defines.
	 */
	uint64_t bits_hi = (ctx->len_hi << 3) | (ctx->len_lo >> 61);
	uint64_t bits_lo = ctx->len_lo << 3;

	/* FIPS 180-4 section 5.1.2: a one bit, zeros, then the length. */
	ctx->buf[ctx->buf_len++] = 0x80;
	if (ctx->buf_len > len_at) {
		/* No room for the length: it goes in one more block. */
		mon_memset(ctx->buf + ctx->buf_len, 0, SHA384_BLOCK_SIZE - ctx->buf_len);
		sha512_compress(ctx->h, ctx->buf, 1);
		ctx->buf_len = 0;
	}
	mon_memset(ctx->buf + ctx->buf_len, 0, len_at - ctx->buf_len);
	mon_store_be64(ctx->buf + len_at, bits_hi);
	mon_store_be64(ctx->buf + len_at + 8, bits_lo);
	sha512_compress(ctx->h, ctx->buf, 1);

	/* SHA-384 is the leftmost 384 bits of H(N) (FIPS 180-4 section 6.5). */
	for (size_t i = 0; i < SHA384_DIGEST_SIZE / 8; i++) {
		mon_store_be64(out + 8 * i, ctx->h[i]);
	}

	mon_memzero_explicit(ctx, sizeof(*ctx));
}

void sha384(const void *data, size_t len, uint8_t out[SHA384_DIGEST_SIZE])
{
	struct sha384_ctx ctx;

	sha384_init(&ctx);
	sha384_update(&ctx, data, len);
	sha384_final(&ctx, out);
}
