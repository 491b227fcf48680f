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
