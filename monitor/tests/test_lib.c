// SPDX-License-Identifier: BSD-2-Clause
/* Freestanding helpers: range arithmetic that untrusted values go through. */
#include <string.h>

#include "covemon/lib.h"
#include "test.h"

TEST(mon_range_end, rejects_a_range_that_wraps)
{
	uint64_t end = 0;

	EXPECT_FALSE(mon_range_end(UINT64_MAX - 4095, 4096, &end));
	EXPECT_TRUE(mon_range_end(UINT64_MAX - 4095, 4095, &end));
	EXPECT_EQ(end, UINT64_MAX);
}

TEST(mon_range_within, is_exact_at_both_edges)
{
	EXPECT_TRUE(mon_range_within(0x1000, 0x1000, 0x1000, 0x1000));
	EXPECT_FALSE(mon_range_within(0xfff, 0x1000, 0x1000, 0x1000));
	EXPECT_FALSE(mon_range_within(0x1000, 0x1001, 0x1000, 0x1000));
	EXPECT_TRUE(mon_range_within(0x1fff, 1, 0x1000, 0x1000));
	EXPECT_FALSE(mon_range_within(0x2000, 0, 0x1000, 0x0fff));
}

TEST(mon_range_within, huge_inner_length_does_not_wrap_into_acceptance)
{
	EXPECT_FALSE(mon_range_within(0x1000, UINT64_MAX, 0x1000, 0x1000));
	EXPECT_FALSE(mon_range_within(UINT64_MAX, 2, 0, UINT64_MAX));
}

TEST(mon_ranges_overlap, touching_ranges_do_not_overlap)
{
	EXPECT_FALSE(mon_ranges_overlap(0x1000, 0x1000, 0x2000, 0x1000));
	EXPECT_TRUE(mon_ranges_overlap(0x1000, 0x1001, 0x2000, 0x1000));
	EXPECT_FALSE(mon_ranges_overlap(0x1000, 0, 0x1000, 0x1000));
}

TEST(mon_memeq_ct, compares_every_byte)
{
	uint8_t a[64] = { 0 };
	uint8_t b[64] = { 0 };

	EXPECT_TRUE(mon_memeq_ct(a, b, sizeof(a)));
	b[63] = 1;
	EXPECT_FALSE(mon_memeq_ct(a, b, sizeof(a)));
	EXPECT_TRUE(mon_memeq_ct(a, b, 63));
}

TEST(mon_memzero_explicit, clears_the_buffer)
{
	uint8_t key[32];

	for (int i = 0; i < 32; i++) {
		key[i] = (uint8_t)(i + 1);
	}
	mon_memzero_explicit(key, sizeof(key));
	for (int i = 0; i < 32; i++) {
		EXPECT_EQ(key[i], 0);
	}
}

/* Every start alignment and length up to three words: exactly the range, nothing around it. */
TEST(mon_memzero_explicit, clears_exactly_the_range_at_any_alignment)
{
	uint8_t buf[48];

	for (size_t at = 0; at < 8; at++) {
		for (size_t n = 0; n <= 24; n++) {
			for (size_t i = 0; i < sizeof(buf); i++) {
				buf[i] = 0xA5;
			}
			mon_memzero_explicit(buf + 8 + at, n);
			size_t wrong = 0;
			for (size_t i = 0; i < sizeof(buf); i++) {
				bool inside = i >= 8 + at && i < 8 + at + n;
				wrong += buf[i] != (inside ? 0 : 0xA5);
			}
			EXPECT_EQ(wrong, 0);
		}
	}
}

TEST(mon_load, byte_order_helpers_round_trip)
{
	uint8_t b[8];

	mon_store_be64(b, UINT64_C(0x0102030405060708));
	EXPECT_EQ(b[0], 1);
	EXPECT_EQ(mon_load_be64(b), UINT64_C(0x0102030405060708));
	EXPECT_EQ(mon_load_le64(b), UINT64_C(0x0807060504030201));
	mon_store_le64(b, 0x1122);
	EXPECT_EQ(mon_load_le32(b), 0x1122);
	uint64_t w = mon_cpu_to_le64(UINT64_C(0x0102030405060708));
	memcpy(b, &w, sizeof(w));
	EXPECT_EQ(b[0], 8);
	EXPECT_EQ(b[7], 1);
	EXPECT_EQ(mon_load_le64(b), UINT64_C(0x0102030405060708));
}

/* The stores build a word and copy it out: any alignment, exactly their bytes. */
TEST(mon_store, byte_order_stores_write_exactly_their_bytes_at_any_alignment)
{
	for (unsigned int at = 0; at < 8; at++) {
		uint8_t b[32];
		memset(b, 0xEE, sizeof(b));
		mon_store_be64(b + at, UINT64_C(0x0102030405060708));
		mon_store_be32(b + at + 8, 0x090A0B0Cu);
		mon_store_le64(b + at + 12, UINT64_C(0x1413121110090807));
		static const uint8_t want[20] = { 1,  2,  3, 4, 5, 6,	 7,    8,    9,	   10,
						  11, 12, 7, 8, 9, 0x10, 0x11, 0x12, 0x13, 0x14 };
		EXPECT_MEM_EQ(b + at, want, sizeof(want));
		for (unsigned int i = 0; i < sizeof(b); i++) {
			if (i < at || i >= at + 20) {
				EXPECT_EQ(b[i], 0xEE);
			}
		}
	}
}

/* mon_word_bits against the definition, for every length and a few bits. */
TEST(mon_word_bits, gathers_one_bit_of_each_word)
{
	uint64_t rng = 7;
	uint64_t w[64];

	for (unsigned int round = 0; round < 200; round++) {
		for (unsigned int j = 0; j < 64; j++) {
			/* Mostly zero words, as page tables are. */
			w[j] = test_rng_next(&rng) % 4 == 0 ? test_rng_next(&rng) : 0;
		}
		size_t n = 1 + round % 64;
		unsigned int bit = (unsigned int)(round % 3) * 31;
		uint64_t want = 0;
		for (size_t j = 0; j < n; j++) {
			want |= ((w[j] >> bit) & 1) << j;
		}
		EXPECT_EQ(mon_word_bits(w, n, bit), want);
	}
	memset(w, 0, sizeof(w));
	EXPECT_EQ(mon_word_bits(w, 64, 0), 0);
	w[63] = 1;
	EXPECT_EQ(mon_word_bits(w, 64, 0), UINT64_C(1) << 63);
	EXPECT_EQ(mon_word_bits(w, 63, 0), 0); /* past @n: not looked at */
}
