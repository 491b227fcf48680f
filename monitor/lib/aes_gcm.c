// SPDX-License-Identifier: BSD-2-Clause
/*
 * AES-256 (FIPS 197) and GCM (NIST SP 800-38D), constant time.
 *
 * AES runs bitsliced on four blocks at once. The 64 state bytes are held as
 * eight 64-bit planes: plane i holds bit i of every byte, the byte in row r,
 * column c of block b at bit position 16 * b + 4 * r + c. In that layout
 *
 *   - SubBytes is the same boolean computation on all 64 bytes: the S-box
 *     is the GF(2^8) inverse, computed as x^254 by a fixed chain of
 *     multiplications and squarings, then the affine map (FIPS 197 section
 *     5.1.1). Nothing is looked up, so no address depends on data;
 *   - ShiftRows rotates the 4-bit row fields of each 16-bit lane;
 *   - MixColumns reads "the next row" by rotating each 16-bit lane by one
 *     row field, and multiplies by x by moving planes (FIPS 197 section
 *     4.2.1);
 *   - AddRoundKey XORs a round key plane, replicated into the four lanes.
 *
 * Only the encryption direction exists: GCM needs no inverse cipher.
 *
 * GHASH multiplies in GF(2^128) one bit of the multiplier at a time (SP
 * 800-38D section 6.3, Algorithm 1), selecting with all-ones/all-zero masks
 * instead of branching on key or data bits.
 */
#include "covemon/aes_gcm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"
#include "covemon/lib.h"

#define AES256_ROUNDS	     14
#define AES256_KEY_WORDS     8
#define AES256_SCHED_WORDS   (4 * (AES256_ROUNDS + 1))
#define AES_BATCH_BLOCKS     4
#define AES_BATCH_SIZE	     (AES_BATCH_BLOCKS * AES_BLOCK_SIZE)
#define AES_PLANES	     8
#define GF256_PRODUCT_COEFFS 15 /* x^0..x^14: a product before reduction */

/* A 16-bit mask repeated in the four lanes of a plane (constants only). */
#define LANES(m16) (UINT64_C(0x0001000100010001) * (m16))

/* The affine constant of the S-box, FIPS 197 equation (5.1). */
#define AES_SBOX_AFFINE_CONST 0x63

/* R = 11100001 || 0^120 of SP 800-38D section 6.3, as the top 64 bits. */
#define GHASH_R_HI UINT64_C(0xe100000000000000)

/*
 * The expanded key, one round key per AddRoundKey: plane i of round key r
 * holds bit i of its byte in row y, column x at bit 4 * y + x, the layout of
 * one 16-bit lane of the state.
 */
struct aes256_schedule {
	uint16_t rk[AES256_ROUNDS + 1][AES_PLANES];
};

/*
 * GF(2^8) arithmetic on bitsliced bytes: a[i] is the plane of the
 * coefficient of x^i, for 64 independent field elements at once. Loop
 * counts are fixed; no branch and no index depends on what the planes hold.
 */

/* r = a * b for polynomials of degree <= 3 over GF(2) (schoolbook, 16 ANDs). */
static inline void gf2_poly4_mul(uint64_t r[7], const uint64_t a[4], const uint64_t b[4])
{
	r[0] = a[0] & b[0];
	r[1] = (a[0] & b[1]) ^ (a[1] & b[0]);
	r[2] = (a[0] & b[2]) ^ (a[1] & b[1]) ^ (a[2] & b[0]);
	r[3] = (a[0] & b[3]) ^ (a[1] & b[2]) ^ (a[2] & b[1]) ^ (a[3] & b[0]);
	r[4] = (a[1] & b[3]) ^ (a[2] & b[2]) ^ (a[3] & b[1]);
	r[5] = (a[2] & b[3]) ^ (a[3] & b[2]);
	r[6] = a[3] & b[3];
}

/*
 * out = a * b mod m(x), m(x) = x^8 + x^4 + x^3 + x + 1 (FIPS 197 section
 * 4.2). The product of the 4-coefficient halves is Karatsuba's three
 * multiplications instead of four; @out may alias @a or @b.
 */
static inline void gf256_mul(uint64_t out[AES_PLANES], const uint64_t a[AES_PLANES],
			     const uint64_t b[AES_PLANES])
{
	uint64_t lo[7], hi[7], mid[7], sa[4], sb[4];
	uint64_t p[GF256_PRODUCT_COEFFS];

	gf2_poly4_mul(lo, a, b);
	gf2_poly4_mul(hi, a + 4, b + 4);
	for (int i = 0; i < 4; i++) {
		sa[i] = a[i] ^ a[i + 4];
		sb[i] = b[i] ^ b[i + 4];
	}
	gf2_poly4_mul(mid, sa, sb);

	/* p = lo + (mid - lo - hi) x^4 + hi x^8 */
	for (int i = 0; i < 7; i++) {
		p[i] = lo[i];
		p[i + 8] = hi[i];
	}
	p[7] = 0;
	for (int i = 0; i < 7; i++) {
		p[i + 4] ^= mid[i] ^ lo[i] ^ hi[i];
	}

	/* x^k = x^(k-8) * (x^4 + x^3 + x + 1), from the top down. */
	for (int k = GF256_PRODUCT_COEFFS - 1; k >= AES_PLANES; k--) {
		p[k - 4] ^= p[k];
		p[k - 5] ^= p[k];
		p[k - 7] ^= p[k];
		p[k - 8] ^= p[k];
	}
	for (int i = 0; i < AES_PLANES; i++) {
		out[i] = p[i];
	}
}

/*
 * out = a^2, a linear map in characteristic 2: sum a_i x^(2i), with x^8,
 * x^10, x^12 and x^14 reduced mod m(x) to 0x1b, 0x6c, 0xab and 0x9a.
 * @out may alias @a.
 */
static inline void gf256_sqr(uint64_t out[AES_PLANES], const uint64_t a[AES_PLANES])
{
	uint64_t r0 = a[0] ^ a[4] ^ a[6];
	uint64_t r1 = a[4] ^ a[6] ^ a[7];
	uint64_t r2 = a[1] ^ a[5];
	uint64_t r3 = a[4] ^ a[5] ^ a[6] ^ a[7];
	uint64_t r4 = a[2] ^ a[4] ^ a[7];
	uint64_t r5 = a[5] ^ a[6];
	uint64_t r6 = a[3] ^ a[5];
	uint64_t r7 = a[6] ^ a[7];

	out[0] = r0;
	out[1] = r1;
	out[2] = r2;
	out[3] = r3;
	out[4] = r4;
	out[5] = r5;
	out[6] = r6;
	out[7] = r7;
}

/* out = a^(2^n). */
static inline void gf256_sqr_n(uint64_t out[AES_PLANES], const uint64_t a[AES_PLANES], int n)
{
	gf256_sqr(out, a);
	for (int i = 1; i < n; i++) {
		gf256_sqr(out, out);
	}
}

/*
 * SubBytes on all 64 bytes (FIPS 197 section 5.1.1): the multiplicative
 * inverse as x^254 (which maps 0 to 0, as the standard requires), then the
 * affine map.
 */
static void aes_sub_bytes(uint64_t q[AES_PLANES])
{
	uint64_t x2[AES_PLANES], x3[AES_PLANES], x12[AES_PLANES], t[AES_PLANES];

	/* 254 = 2 + 12 + 240: four multiplications, seven squarings. */
	gf256_sqr(x2, q);
	gf256_mul(x3, x2, q);
	gf256_sqr_n(x12, x3, 2);
	gf256_mul(t, x12, x3); /* x^15 */
	gf256_sqr_n(t, t, 4);  /* x^240 */
	gf256_mul(t, t, x12);  /* x^252 */
	gf256_mul(t, t, x2);   /* x^254 */

	/* b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, indices mod 8. */
	for (int i = 0; i < AES_PLANES; i++) {
		uint64_t c = (uint64_t)0 - (uint64_t)((AES_SBOX_AFFINE_CONST >> i) & 1);

		q[i] = t[i] ^ t[(i + 4) % AES_PLANES] ^ t[(i + 5) % AES_PLANES] ^
		       t[(i + 6) % AES_PLANES] ^ t[(i + 7) % AES_PLANES] ^ c;
	}
}

/*
 * ShiftRows (FIPS 197 section 5.1.2): row r moves left by r columns, so the
 * 4-bit field of row r (column c at bit c) rotates right by r.
 */
static void aes_shift_rows(uint64_t q[AES_PLANES])
{
	for (int i = 0; i < AES_PLANES; i++) {
		uint64_t x = q[i];

		q[i] = (x & LANES(0x000f)) | ((x >> 1) & LANES(0x0070)) |
		       ((x << 3) & LANES(0x0080)) | ((x >> 2) & LANES(0x0300)) |
		       ((x << 2) & LANES(0x0c00)) | ((x >> 3) & LANES(0x1000)) |
		       ((x << 1) & LANES(0xe000));
	}
}

/* Row r of the result is row (r + 1) mod 4 of @x, in every column. */
static inline uint64_t aes_next_row(uint64_t x)
{
	return ((x >> 4) & LANES(0x0fff)) | ((x << 12) & LANES(0xf000));
}

/* Row r of the result is row (r + 2) mod 4 of @x, in every column. */
static inline uint64_t aes_row_after_next(uint64_t x)
{
	return ((x >> 8) & LANES(0x00ff)) | ((x << 8) & LANES(0xff00));
}

/*
 * MixColumns (FIPS 197 section 5.1.3):
 *   s'_r = 2 s_r ^ 3 s_(r+1) ^ s_(r+2) ^ s_(r+3)
 *        = 2 (s_r ^ s_(r+1)) ^ s_(r+1) ^ (s_(r+2) ^ s_(r+3)).
 * With t = s ^ next_row(s) that is 2 t ^ next_row(s) ^ row_after_next(t).
 * Multiplying by x (section 4.2.1) moves plane i to plane i + 1 and folds
 * plane 7 back into planes 0, 1, 3 and 4 (x^8 = x^4 + x^3 + x + 1).
 */
static void aes_mix_columns(uint64_t q[AES_PLANES])
{
	uint64_t n[AES_PLANES], t[AES_PLANES], t2[AES_PLANES];

	for (int i = 0; i < AES_PLANES; i++) {
		n[i] = aes_next_row(q[i]);
		t[i] = q[i] ^ n[i];
	}
	t2[0] = t[7];
	t2[1] = t[0] ^ t[7];
	t2[2] = t[1];
	t2[3] = t[2] ^ t[7];
	t2[4] = t[3] ^ t[7];
	t2[5] = t[4];
	t2[6] = t[5];
	t2[7] = t[6];
	for (int i = 0; i < AES_PLANES; i++) {
		q[i] = t2[i] ^ n[i] ^ aes_row_after_next(t[i]);
	}
}

/*
 * AddRoundKey (FIPS 197 section 5.1.4) on all four blocks: the round key
 * plane goes into each 16-bit lane by its own shift and XOR. (Spelled as
 * "k | k << 16 | k << 32 | k << 48", GCC at -Os turns the replication into
 * a multiplication by 0x0001000100010001, and multiply latency is not
 * data-independent on every core.)
 */
static void aes_add_round_key(uint64_t q[AES_PLANES], const uint16_t rk[AES_PLANES])
{
	for (int i = 0; i < AES_PLANES; i++) {
		uint64_t k = rk[i];

		q[i] ^= k;
		q[i] ^= k << 16;
		q[i] ^= k << 32;
		q[i] ^= k << 48;
	}
}

/*
 * Exchanges the bits of @a selected by @mask << @n with the bits of @b
 * selected by @mask.
 */
static inline void swap_move(uint64_t *a, uint64_t *b, uint64_t mask, unsigned int n)
{
	uint64_t t = ((*a >> n) ^ *b) & mask;

	*b ^= t;
	*a ^= t << n;
}

/*
 * Transposes each of the eight 8x8 bit matrices formed by byte j of the
 * eight words: afterwards bit k of byte j of word i is what bit i of byte j
 * of word k was. Its own inverse.
 */
static void transpose_8x8(uint64_t w[AES_PLANES])
{
	for (int i = 0; i < 8; i += 2) {
		swap_move(&w[i], &w[i + 1], UINT64_C(0x5555555555555555), 1);
	}
	for (int i = 0; i < 8; i += 4) {
		swap_move(&w[i], &w[i + 2], UINT64_C(0x3333333333333333), 2);
		swap_move(&w[i + 1], &w[i + 3], UINT64_C(0x3333333333333333), 2);
	}
	for (int i = 0; i < 4; i++) {
		swap_move(&w[i], &w[i + 4], UINT64_C(0x0f0f0f0f0f0f0f0f), 4);
	}
}

/*
 * Where byte @idx of block @blk lives before the transpose: byte @j of word
 * @k, so that after it bit i of the byte is bit 8 * j + k of plane i, the
 * position 16 * blk + 4 * row + column of the bitsliced layout (FIPS 197
 * section 3.4: byte idx is row idx % 4, column idx / 4).
 */
static inline void aes_byte_slot(unsigned int blk, unsigned int idx, unsigned int *k,
				 unsigned int *j)
{
	unsigned int pos = 16 * blk + 4 * (idx % 4) + idx / 4;

	*k = pos % 8;
	*j = pos / 8;
}

/* Encrypts the four blocks at @in into @out (which may equal @in). */
static void aes256_encrypt_batch(const struct aes256_schedule *ks, const uint8_t in[AES_BATCH_SIZE],
				 uint8_t out[AES_BATCH_SIZE])
{
	uint64_t q[AES_PLANES] = { 0 };
	unsigned int k, j;

	for (unsigned int b = 0; b < AES_BATCH_BLOCKS; b++) {
		for (unsigned int idx = 0; idx < AES_BLOCK_SIZE; idx++) {
			aes_byte_slot(b, idx, &k, &j);
			q[k] |= (uint64_t)in[AES_BLOCK_SIZE * b + idx] << (8 * j);
		}
	}
	transpose_8x8(q);

	/* FIPS 197 section 5.1, Figure 5. */
	aes_add_round_key(q, ks->rk[0]);
	for (int round = 1; round < AES256_ROUNDS; round++) {
		aes_sub_bytes(q);
		aes_shift_rows(q);
		aes_mix_columns(q);
		aes_add_round_key(q, ks->rk[round]);
	}
	aes_sub_bytes(q);
	aes_shift_rows(q);
	aes_add_round_key(q, ks->rk[AES256_ROUNDS]);

	transpose_8x8(q);
	for (unsigned int b = 0; b < AES_BATCH_BLOCKS; b++) {
		for (unsigned int idx = 0; idx < AES_BLOCK_SIZE; idx++) {
			aes_byte_slot(b, idx, &k, &j);
			out[AES_BLOCK_SIZE * b + idx] = (uint8_t)(q[k] >> (8 * j));
		}
	}
	mon_memzero_explicit(q, sizeof(q));
}

/* SubWord (FIPS 197 section 5.2) on the four bytes at @w, through the bitsliced S-box. */
static void aes_sub_word(uint8_t w[4])
{
	uint64_t q[AES_PLANES] = { 0 };

	for (int i = 0; i < AES_PLANES; i++) {
		for (int b = 0; b < 4; b++) {
			q[i] |= (uint64_t)((w[b] >> i) & 1) << b;
		}
	}
	aes_sub_bytes(q);
	for (int b = 0; b < 4; b++) {
		uint8_t v = 0;

		for (int i = 0; i < AES_PLANES; i++) {
			v |= (uint8_t)(((q[i] >> b) & 1) << i);
		}
		w[b] = v;
	}
	mon_memzero_explicit(q, sizeof(q));
}

/* KeyExpansion (FIPS 197 section 5.2, Figure 11) for Nk = 8, into bitsliced round keys. */
static void aes256_expand_key(struct aes256_schedule *ks, const uint8_t key[AES256_KEY_SIZE])
{
	uint8_t w[AES256_SCHED_WORDS][4];
	uint8_t rcon = 0x01;

	mon_memcpy(w, key, AES256_KEY_SIZE);
	for (int i = AES256_KEY_WORDS; i < AES256_SCHED_WORDS; i++) {
		uint8_t temp[4];

		mon_memcpy(temp, w[i - 1], sizeof(temp));
		if (i % AES256_KEY_WORDS == 0) {
			/* RotWord, SubWord, then Rcon[i/Nk] = x^(i/Nk - 1) in the first byte. */
			uint8_t first = temp[0];

			temp[0] = temp[1];
			temp[1] = temp[2];
			temp[2] = temp[3];
			temp[3] = first;
			aes_sub_word(temp);
			temp[0] ^= rcon;
			rcon = (uint8_t)(rcon << 1); /* i/Nk <= 7: never reaches x^8 */
		} else if (i % AES256_KEY_WORDS == 4) {
			aes_sub_word(temp);
		}
		for (int b = 0; b < 4; b++) {
			w[i][b] = w[i - AES256_KEY_WORDS][b] ^ temp[b];
		}
		mon_memzero_explicit(temp, sizeof(temp));
	}

	/* Round key r is words 4r..4r+3: byte idx of it is w[4r + idx / 4][idx % 4]. */
	for (int r = 0; r <= AES256_ROUNDS; r++) {
		for (int i = 0; i < AES_PLANES; i++) {
			uint16_t plane = 0;

			for (int idx = 0; idx < AES_BLOCK_SIZE; idx++) {
				uint8_t byte = w[4 * r + idx / 4][idx % 4];

				plane |= (uint16_t)(((byte >> i) & 1) << (4 * (idx % 4) + idx / 4));
			}
			ks->rk[r][i] = plane;
		}
	}
	mon_memzero_explicit(w, sizeof(w));
}

void aes256_encrypt_block(const uint8_t key[AES256_KEY_SIZE], const uint8_t in[AES_BLOCK_SIZE],
			  uint8_t out[AES_BLOCK_SIZE])
{
	struct aes256_schedule ks;
	uint8_t batch[AES_BATCH_SIZE] = { 0 };

	aes256_expand_key(&ks, key);
	mon_memcpy(batch, in, AES_BLOCK_SIZE);
	aes256_encrypt_batch(&ks, batch, batch);
	mon_memcpy(out, batch, AES_BLOCK_SIZE);
	mon_memzero_explicit(&ks, sizeof(ks));
	mon_memzero_explicit(batch, sizeof(batch));
}

/*
 * GHASH (SP 800-38D section 6.4). Blocks are 128-bit big-endian integers
 * split in two words, so bit 0 of a block in the standard's numbering is the
 * top bit of @*_hi.
 */
struct ghash {
	uint64_t h_hi, h_lo; /* the hash subkey H */
	uint64_t y_hi, y_lo; /* the running value Y */
};

/*
 * Y = Y * H (SP 800-38D section 6.3, Algorithm 1): for each bit of Y, from
 * bit 0, Z ^= V when the bit is set, then V = V * x. Both selections are
 * masks, so the work is the same whatever Y and H hold.
 */
static void ghash_mul(struct ghash *g)
{
	uint64_t z_hi = 0, z_lo = 0;
	uint64_t v_hi = g->h_hi, v_lo = g->h_lo;
	const uint64_t x[2] = { g->y_hi, g->y_lo };

	for (int w = 0; w < 2; w++) {
		for (int bit = 63; bit >= 0; bit--) {
			uint64_t take = (uint64_t)0 - ((x[w] >> bit) & 1);
			uint64_t carry = (uint64_t)0 - (v_lo & 1);

			z_hi ^= v_hi & take;
			z_lo ^= v_lo & take;
			v_lo = (v_lo >> 1) | (v_hi << 63);
			v_hi = (v_hi >> 1) ^ (GHASH_R_HI & carry);
		}
	}
	g->y_hi = z_hi;
	g->y_lo = z_lo;
}

/* Absorbs one 16-byte block. */
static void ghash_block(struct ghash *g, const uint8_t block[AES_BLOCK_SIZE])
{
	g->y_hi ^= mon_load_be64(block);
	g->y_lo ^= mon_load_be64(block + 8);
	ghash_mul(g);
}

/* Absorbs @len bytes, the last block padded with zero bytes (the 0^v and 0^u of section 7.1). */
static void ghash_update_padded(struct ghash *g, const uint8_t *data, size_t len)
{
	while (len >= AES_BLOCK_SIZE) {
		ghash_block(g, data);
		data += AES_BLOCK_SIZE;
		len -= AES_BLOCK_SIZE;
	}
	if (len > 0) {
		uint8_t last[AES_BLOCK_SIZE] = { 0 };

		mon_memcpy(last, data, len);
		ghash_block(g, last);
		mon_memzero_explicit(last, sizeof(last));
	}
}

/* One GCM operation in progress: everything here is secret and wiped at the end. */
struct gcm {
	struct aes256_schedule ks;
	struct ghash ghash;
	uint8_t ek_j0[AES_BLOCK_SIZE]; /* E(K, J0), which masks the tag */
	uint8_t iv[AES_GCM_IV_SIZE];
};

static bool gcm_lengths_valid(size_t aad_len, size_t len)
{
	return (uint64_t)len <= AES_GCM_MAX_LEN && (uint64_t)aad_len <= AES_GCM_MAX_AAD_LEN;
}

/*
 * Expands the key and derives H = E(K, 0^128) and E(K, J0) with
 * J0 = IV || 0^31 || 1 (SP 800-38D section 7.1 steps 1 and 2), both in one
 * batch.
 */
static void gcm_start(struct gcm *g, const uint8_t key[AES_GCM_KEY_SIZE],
		      const uint8_t iv[AES_GCM_IV_SIZE])
{
	uint8_t batch[AES_BATCH_SIZE] = { 0 };

	aes256_expand_key(&g->ks, key);
	mon_memcpy(g->iv, iv, AES_GCM_IV_SIZE);
	mon_memcpy(batch + AES_BLOCK_SIZE, iv, AES_GCM_IV_SIZE);
	mon_store_be32(batch + AES_BLOCK_SIZE + AES_GCM_IV_SIZE, 1);
	aes256_encrypt_batch(&g->ks, batch, batch);

	g->ghash.h_hi = mon_load_be64(batch);
	g->ghash.h_lo = mon_load_be64(batch + 8);
	g->ghash.y_hi = 0;
	g->ghash.y_lo = 0;
	mon_memcpy(g->ek_j0, batch + AES_BLOCK_SIZE, AES_BLOCK_SIZE);
	mon_memzero_explicit(batch, sizeof(batch));
}

/*
 * GCTR from inc32(J0) (SP 800-38D section 6.5 and 7.1 step 3): XORs the
 * keystream into @len bytes from @in to @out (which may equal @in). When
 * @hash_output is set, each piece of output is absorbed into GHASH from
 * monitor memory before it is written, so the tag covers exactly what was
 * written (encryption: the output is the ciphertext).
 */
static void gcm_ctr(struct gcm *g, const uint8_t *in, size_t len, uint8_t *out, bool hash_output)
{
	uint8_t keystream[AES_BATCH_SIZE];
	uint8_t buf[AES_BATCH_SIZE];
	uint32_t counter = 2; /* inc32(J0); len <= AES_GCM_MAX_LEN keeps it from wrapping */

	for (size_t off = 0; off < len; off += AES_BATCH_SIZE) {
		size_t n = len - off;

		if (n > AES_BATCH_SIZE) {
			n = AES_BATCH_SIZE;
		}

		for (unsigned int b = 0; b < AES_BATCH_BLOCKS; b++) {
			mon_memcpy(keystream + AES_BLOCK_SIZE * b, g->iv, AES_GCM_IV_SIZE);
			mon_store_be32(keystream + AES_BLOCK_SIZE * b + AES_GCM_IV_SIZE,
				       counter + b);
		}
		counter += AES_BATCH_BLOCKS;
		aes256_encrypt_batch(&g->ks, keystream, keystream);

		for (size_t i = 0; i < n; i++) {
			buf[i] = in[off + i] ^ keystream[i];
		}
		if (hash_output) {
			ghash_update_padded(&g->ghash, buf, n);
		}
		mon_memcpy(out + off, buf, n);
	}
	mon_memzero_explicit(keystream, sizeof(keystream));
	mon_memzero_explicit(buf, sizeof(buf));
}

/*
 * Absorbs [len(A)]_64 || [len(C)]_64 and writes T = E(K, J0) ^ S
 * (SP 800-38D section 7.1 steps 5 and 6, t = 128). The lengths are in bits;
 * gcm_lengths_valid bounds both so neither product overflows.
 */
static void gcm_tag(struct gcm *g, size_t aad_len, size_t len, uint8_t tag[AES_GCM_TAG_SIZE])
{
	g->ghash.y_hi ^= (uint64_t)aad_len * 8;
	g->ghash.y_lo ^= (uint64_t)len * 8;
	ghash_mul(&g->ghash);

	mon_store_be64(tag, g->ghash.y_hi);
	mon_store_be64(tag + 8, g->ghash.y_lo);
	for (int i = 0; i < AES_GCM_TAG_SIZE; i++) {
		tag[i] ^= g->ek_j0[i];
	}
}

void aes_gcm_encrypt_rounds(const uint8_t key[AES_GCM_KEY_SIZE], const uint8_t iv[AES_GCM_IV_SIZE],
			    const void *aad, size_t aad_len, const void *pt, size_t len, void *ct,
			    uint8_t tag[AES_GCM_TAG_SIZE])
{
	struct gcm g;

	gcm_start(&g, key, iv);
	ghash_update_padded(&g.ghash, aad, aad_len);
	gcm_ctr(&g, pt, len, ct, true);
	gcm_tag(&g, aad_len, len, tag);
	mon_memzero_explicit(&g, sizeof(g));
}

mon_err_t aes_gcm_decrypt_rounds(const uint8_t key[AES_GCM_KEY_SIZE],
				 const uint8_t iv[AES_GCM_IV_SIZE], const void *aad, size_t aad_len,
				 const void *ct, size_t len, const uint8_t tag[AES_GCM_TAG_SIZE],
				 void *pt)
{
	struct gcm g;
	uint8_t expected[AES_GCM_TAG_SIZE];
	bool tag_ok;

	if (!gcm_lengths_valid(aad_len, len)) {
		return MON_ERR_INVALID_PARAM;
	}

	/* SP 800-38D section 7.2: authenticate all of it, then decrypt. */
	gcm_start(&g, key, iv);
	ghash_update_padded(&g.ghash, aad, aad_len);
	ghash_update_padded(&g.ghash, ct, len);
	gcm_tag(&g, aad_len, len, expected);
	tag_ok = mon_memeq_ct(expected, tag, AES_GCM_TAG_SIZE);
	mon_memzero_explicit(expected, sizeof(expected));

	if (tag_ok) {
		gcm_ctr(&g, ct, len, pt, false);
	} else if (len > 0) {
		mon_memset(pt, 0, len);
	}
	mon_memzero_explicit(&g, sizeof(g));
	return tag_ok ? MON_OK : MON_ERR_AUTH;
}
