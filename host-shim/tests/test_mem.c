// SPDX-License-Identifier: BSD-2-Clause
/* Emulated DRAM: bounds, holes, dirty tracking and fast reset. */
#include <stdlib.h>

#include "shim/mem.h"
#include "test.h"

#define MIB (UINT64_C(1) << 20)

TEST(mem, init_rejects_unaligned_zero_or_wrapping_ranges)
{
	struct shim_mem m;

	EXPECT_FALSE(shim_mem_init(&m, SHIM_DRAM_BASE, 0));
	EXPECT_FALSE(shim_mem_init(&m, SHIM_DRAM_BASE + 1, MIB));
	EXPECT_FALSE(shim_mem_init(&m, SHIM_DRAM_BASE, MIB + 100));
	EXPECT_FALSE(shim_mem_init(&m, UINT64_MAX - 4095, 2 * 4096));
}

TEST(mem, fresh_dram_reads_as_zero)
{
	struct shim_mem m;
	uint64_t v = 1;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 4 * MIB));
	EXPECT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 3 * MIB, &v, 8));
	EXPECT_EQ(v, 0);
	shim_mem_fini(&m);
}

TEST(mem, accesses_outside_dram_fault_and_change_nothing)
{
	struct shim_mem m;
	uint64_t v = 0x1122334455667788;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	/* below DRAM (the MMIO region of QEMU virt), past its end, and straddling the end */
	EXPECT_FALSE(shim_mem_write(&m, 0x10000000, &v, 8));
	EXPECT_FALSE(shim_mem_write(&m, SHIM_DRAM_BASE + MIB, &v, 1));
	EXPECT_FALSE(shim_mem_write(&m, SHIM_DRAM_BASE + MIB - 4, &v, 8));
	EXPECT_FALSE(shim_mem_read(&m, UINT64_MAX - 3, &v, 8));
	EXPECT_EQ(shim_mem_dirty_pages(&m), 0);
	shim_mem_fini(&m);
}

/*
 * Zeroing a range leaves every byte of it zero and none outside it changed,
 * but writes (and marks) only the lines that held a nonzero byte: a line
 * already zero costs the reset nothing.
 */
TEST(mem, zero_writes_only_the_lines_holding_a_nonzero_byte)
{
	struct shim_mem m;
	const uint64_t page = SHIM_DRAM_BASE + 0x4000;
	uint8_t v = 3;
	uint8_t got[SHIM_PAGE_SIZE];

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	ASSERT_TRUE(shim_mem_write(&m, page + 0x08, &v, 1));   /* before the range, same line */
	ASSERT_TRUE(shim_mem_write(&m, page + 0x18, &v, 1));   /* in the range, same line */
	ASSERT_TRUE(shim_mem_write(&m, page + 0x7C1, &v, 1));  /* line 31 */
	ASSERT_TRUE(shim_mem_write(&m, page + 0x1000, &v, 1)); /* the next page, past the end */
	ASSERT_TRUE(shim_mem_snapshot(&m));
	EXPECT_FALSE(shim_mem_zero(&m, SHIM_DRAM_BASE + MIB - 0x1000, 0x1001));
	ASSERT_TRUE(shim_mem_zero(&m, page + 0x10, 0xFF0));
	ASSERT_TRUE(shim_mem_read(&m, page, got, sizeof(got)));
	EXPECT_EQ(got[0x08], 3);
	for (size_t i = 0x10; i < SHIM_PAGE_SIZE; i++) {
		EXPECT_EQ(got[i], 0);
	}
	ASSERT_TRUE(shim_mem_read(&m, page + 0x1000, &v, 1));
	EXPECT_EQ(v, 3);
	EXPECT_EQ(m.dirty_count, 1);
	EXPECT_EQ(m.lines_reset.count, 1);
	EXPECT_EQ(m.lines_reset.mask[4], (UINT64_C(1) << 0) | (UINT64_C(1) << 31));
	/* A page of zeros: nothing to write. */
	ASSERT_TRUE(shim_mem_zero(&m, page + 0x2000, 0x2000));
	EXPECT_EQ(m.dirty_count, 1);
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, page + 0x18, &v, 1));
	EXPECT_EQ(v, 3);
	shim_mem_fini(&m);
}

TEST(mem, is_dram_is_exact_at_both_ends)
{
	struct shim_mem m;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	EXPECT_TRUE(shim_mem_is_dram(&m, SHIM_DRAM_BASE, MIB));
	EXPECT_FALSE(shim_mem_is_dram(&m, SHIM_DRAM_BASE - 1, 1));
	EXPECT_FALSE(shim_mem_is_dram(&m, SHIM_DRAM_BASE, MIB + 1));
	EXPECT_TRUE(shim_mem_is_dram(&m, SHIM_DRAM_BASE + MIB - 1, 1));
	EXPECT_FALSE(shim_mem_is_dram(&m, SHIM_DRAM_BASE + 8, UINT64_MAX));
	shim_mem_fini(&m);
}

TEST(mem, writes_mark_every_page_they_touch)
{
	struct shim_mem m;
	uint8_t buf[8201] = { 1 };

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	/* 8201 bytes starting 8 bytes before a page boundary touch 4 pages */
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 4096 - 8, buf, sizeof(buf)));
	EXPECT_EQ(shim_mem_dirty_pages(&m), 4);
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 4096, buf, 8));
	EXPECT_EQ(shim_mem_dirty_pages(&m), 4);
	shim_mem_fini(&m);
}

TEST(mem, reset_restores_snapshot_bytes_exactly)
{
	struct shim_mem m;
	uint8_t *before = malloc(64 * 4096);
	uint8_t *after = malloc(64 * 4096);
	uint64_t pa = SHIM_DRAM_BASE + 16 * 4096;

	ASSERT_TRUE(before && after);
	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 4 * MIB));
	for (size_t i = 0; i < 64 * 4096; i++) {
		before[i] = (uint8_t)(i * 7 + 3);
	}
	ASSERT_TRUE(shim_mem_write(&m, pa, before, 64 * 4096));
	ASSERT_TRUE(shim_mem_snapshot(&m));
	EXPECT_EQ(shim_mem_dirty_pages(&m), 0);
	for (uint64_t p = 0; p < 64; p += 3) {
		uint64_t junk = 0xdeadbeefcafef00d ^ p;
		ASSERT_TRUE(shim_mem_write(&m, pa + p * 4096 + 100, &junk, 8));
	}
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, pa, after, 64 * 4096));
	EXPECT_MEM_EQ(after, before, 64 * 4096);
	EXPECT_EQ(shim_mem_dirty_pages(&m), 0);
	shim_mem_fini(&m);
	free(before);
	free(after);
}

TEST(mem, reset_zeroes_pages_first_written_after_the_snapshot)
{
	struct shim_mem m;
	uint64_t v = 42;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	ASSERT_TRUE(shim_mem_snapshot(&m));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x5000, &v, 8));
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 0x5000, &v, 8));
	EXPECT_EQ(v, 0);
	shim_mem_fini(&m);
}

TEST(mem, reset_without_snapshot_returns_to_all_zero)
{
	struct shim_mem m;
	uint64_t v = 42;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE, &v, 8));
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE, &v, 8));
	EXPECT_EQ(v, 0);
	shim_mem_fini(&m);
}

TEST(mem, pages_mapped_writable_before_the_snapshot_are_restored_every_reset)
{
	struct shim_mem m;
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	/* the monitor keeps a pointer to its data from boot on */
	uint64_t *state = (uint64_t *)(void *)shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x3000, 8, true);
	ASSERT_TRUE(state != NULL);
	*state = 7;
	ASSERT_TRUE(shim_mem_snapshot(&m));
	*state = 99; /* written through the kept pointer: invisible to tracking */
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 0x3000, &v, 8));
	EXPECT_EQ(v, 7);
	shim_mem_fini(&m);
}

TEST(mem, read_only_pointers_do_not_mark_pages)
{
	struct shim_mem m;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	EXPECT_TRUE(shim_mem_ptr(&m, SHIM_DRAM_BASE, 4096, false) != NULL);
	EXPECT_EQ(shim_mem_dirty_pages(&m), 0);
	EXPECT_TRUE(shim_mem_ptr(&m, SHIM_DRAM_BASE + MIB - 8, 16, false) == NULL);
	shim_mem_fini(&m);
}

TEST(mem, second_snapshot_captures_later_writes)
{
	struct shim_mem m;
	uint64_t v = 1;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	ASSERT_TRUE(shim_mem_snapshot(&m));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x8000, &v, 8));
	ASSERT_TRUE(shim_mem_snapshot(&m));
	v = 2;
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x8000, &v, 8));
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 0x8000, &v, 8));
	EXPECT_EQ(v, 1);
	shim_mem_fini(&m);
}

TEST(mem, watched_pages_written_are_reported_once_until_cleared)
{
	struct shim_mem m;
	const uint32_t *pages;
	uint64_t v = 1;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	shim_mem_watch(&m, SHIM_DRAM_BASE + 0x10000, 0x4000);
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x11008, &v, 8));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x11010, &v, 8));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x20000, &v, 8)); /* not watched */
	/* straddles the watched region's first page */
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0xFFFC, &v, 8));
	ASSERT_EQ(shim_mem_watch_pages(&m, &pages), 2);
	EXPECT_EQ(pages[0], 0x11);
	EXPECT_EQ(pages[1], 0x10);
	EXPECT_EQ(m.watch_writes, 3);
	shim_mem_watch_clear(&m);
	EXPECT_EQ(shim_mem_watch_pages(&m, &pages), 0);
	EXPECT_TRUE(shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x13000, 8, true) != NULL);
	ASSERT_EQ(shim_mem_watch_pages(&m, &pages), 1);
	EXPECT_EQ(pages[0], 0x13);
	shim_mem_fini(&m);
}

TEST(mem, unpoisoned_pages_are_reported_until_cleared)
{
	struct shim_mem m;
	const uint32_t *pages;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	shim_mem_poison(&m, SHIM_DRAM_BASE + 0x2000, 0x3000);
	shim_mem_unpoison(&m, SHIM_DRAM_BASE + 0x2FF8, 16);
	ASSERT_EQ(shim_mem_unpoisoned_pages(&m, &pages), 2);
	EXPECT_EQ(pages[0], 2);
	EXPECT_EQ(pages[1], 3);
	shim_mem_unpoisoned_clear(&m);
	EXPECT_EQ(shim_mem_unpoisoned_pages(&m, &pages), 0);
	shim_mem_unpoison(&m, SHIM_DRAM_BASE + 0x2000, 0x3000); /* leave nothing poisoned */
	shim_mem_fini(&m);
}

TEST(mem, reset_keeps_pinned_pages_vouched_unchanged_and_restores_the_rest)
{
	struct shim_mem m;
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	uint64_t *a = (uint64_t *)(void *)shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x3000, 8, true);
	uint64_t *b = (uint64_t *)(void *)shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x4000, 8, true);
	ASSERT_TRUE(a && b);
	*a = 7;
	*b = 8;
	ASSERT_TRUE(shim_mem_snapshot(&m));
	/* A wrong vouch shows: page 3 is vouched for (and not copied back), page 4 is not
	 * (the range covers only part of it), so it is. */
	*a = 70;
	*b = 80;
	shim_mem_vouch_unchanged(&m, SHIM_DRAM_BASE + 0x3000, 0x1008);
	shim_mem_reset(&m);
	EXPECT_EQ(*a, 70);
	EXPECT_EQ(*b, 8);
	/* The vouch lasted one reset. */
	shim_mem_reset(&m);
	EXPECT_EQ(*a, 7);
	/* A page written through the shim since the snapshot is restored even when vouched. */
	v = 71;
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x3000, &v, 8));
	shim_mem_vouch_unchanged(&m, SHIM_DRAM_BASE + 0x3000, 0x1000);
	shim_mem_reset(&m);
	EXPECT_EQ(*a, 7);
	shim_mem_fini(&m);
}

TEST(mem, zero_pages_released_before_the_snapshot_are_neither_pinned_nor_copied)
{
	struct shim_mem m;
	uint64_t v = 5;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	/* Zeroed through passing pointers (pinned), one of them holding data after all. */
	for (uint64_t off = 0x8000; off < 0xC000; off += SHIM_PAGE_SIZE) {
		memset(shim_mem_ptr(&m, SHIM_DRAM_BASE + off, SHIM_PAGE_SIZE, true), 0,
		       SHIM_PAGE_SIZE);
	}
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0xB000, &v, 8));
	EXPECT_EQ(shim_mem_release_zero(&m, SHIM_DRAM_BASE + 0x8000, 0x4000), 3);
	EXPECT_EQ(m.pinned_count, 1);
	EXPECT_EQ(shim_mem_dirty_pages(&m), 1);
	ASSERT_TRUE(shim_mem_snapshot(&m));
	/* A released page written later is restored (to zero) like any other. */
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x8000, &v, 8));
	shim_mem_reset(&m);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 0x8000, &v, 8));
	EXPECT_EQ(v, 0);
	ASSERT_TRUE(shim_mem_read(&m, SHIM_DRAM_BASE + 0xB000, &v, 8));
	EXPECT_EQ(v, 5);
	/* After a snapshot nothing is released. */
	EXPECT_EQ(shim_mem_release_zero(&m, SHIM_DRAM_BASE + 0x8000, 0x4000), 0);
	shim_mem_fini(&m);
}
