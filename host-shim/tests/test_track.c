// SPDX-License-Identifier: BSD-2-Clause
/* Exact write tracking: line sets, the resets that trust them, and the monitor's stores. */
#include <string.h>

#include "covemon/lib.h"
#include "shim/mem.h"
#include "shim/track.h"
#include "test.h"

#define MIB (UINT64_C(1) << 20)

TEST(track, lines_spanning_pages_are_marked_in_both_sets)
{
	struct shim_mem m;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	/* Bytes 0x1FC0..0x2043: the last line of page 1, the first two of page 2. */
	shim_track_lines(&m, 0x1FC0, 0x84);
	ASSERT_EQ(m.lines_reset.count, 2);
	EXPECT_EQ(m.lines_reset.mask[1], UINT64_C(1) << 63);
	EXPECT_EQ(m.lines_reset.mask[2], 3);
	EXPECT_EQ(m.lines_mark.mask[2], 3);
	shim_track_lines(&m, 0x2000, 1); /* already there: the list does not grow */
	EXPECT_EQ(m.lines_mark.count, 2);
	shim_mem_lines_mark_clear(&m);
	EXPECT_EQ(m.lines_mark.count, 0);
	EXPECT_EQ(m.lines_mark.mask[2], 0);
	EXPECT_EQ(m.lines_reset.mask[2], 3); /* the other set keeps its lines */
	shim_mem_fini(&m);
}

TEST(track, shim_writes_and_writable_pointers_mark_lines)
{
	struct shim_mem m;
	uint64_t v = 5;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	ASSERT_TRUE(shim_mem_write(&m, SHIM_DRAM_BASE + 0x5048, &v, 8));
	EXPECT_EQ(m.lines_mark.mask[5], 2);
	ASSERT_TRUE(shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x6000, 0x1000, true) != NULL);
	EXPECT_EQ(m.lines_mark.mask[6], UINT64_MAX);
	ASSERT_TRUE(shim_mem_snapshot(&m)); /* a snapshot starts both sets afresh */
	EXPECT_EQ(m.lines_mark.count + m.lines_reset.count, 0);
	shim_mem_fini(&m);
}

TEST(track, writes_reported_by_shim_code_count_only_in_the_bound_dram)
{
	struct shim_mem m;
	uint8_t outside[64];

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	shim_track_write(m.dram + 0x3000, 8); /* nothing bound yet */
	EXPECT_EQ(m.lines_mark.count, 0);
	shim_track_bind(&m);
	shim_track_write(outside, sizeof(outside));
	EXPECT_EQ(m.lines_mark.count, 0);
	shim_track_write(m.dram + 0x3038, 16); /* crosses from line 0 into line 1 */
	EXPECT_EQ(m.lines_mark.mask[3], 3);
	shim_track_write(m.dram + MIB - 8, 64); /* clamped at the end of DRAM */
	EXPECT_EQ(m.lines_mark.mask[255], UINT64_C(1) << 63);
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}

/*
 * The monitor's own stores (reported one by one, as shim_track_write does
 * here) feed the watch and the touched pages as the shim's writes do: with
 * exact line sets the HAL no longer marks a page the monitor maps, so an
 * oracle watching confidential memory learns of a table write only this way.
 */
TEST(track, reported_stores_join_the_watched_pages_and_the_touched_ones)
{
	struct shim_mem m;
	const uint32_t *pages;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	shim_mem_watch(&m, SHIM_DRAM_BASE + 0x10000, 0x4000); /* pages 16..19 */
	shim_track_bind(&m);
	shim_track_write(m.dram + 0x12040, 8);
	shim_track_write(m.dram + 0x12080, 8);	/* the same page again: listed once */
	shim_track_write(m.dram + 0xF000, 8);	/* below the watched region */
	shim_track_write(m.dram + 0x14000, 8);	/* just above it */
	shim_track_write(m.dram + 0x13FF8, 16); /* the last watched page and the next */
	ASSERT_EQ(shim_mem_watch_pages(&m, &pages), 2);
	EXPECT_EQ(pages[0], 0x12);
	EXPECT_EQ(pages[1], 0x13);
	EXPECT_EQ(m.watch_writes, 0); /* counts the shim's own writes only */
	for (unsigned int p = 0xF; p <= 0x14; p++) {
		EXPECT_EQ((m.touched[0] >> p) & 1, p != 0x10 && p != 0x11);
	}
	shim_mem_watch_clear(&m);
	shim_track_write(m.dram + 0x12000, 1); /* written again after the clear: listed again */
	ASSERT_EQ(shim_mem_watch_pages(&m, &pages), 1);
	EXPECT_EQ(pages[0], 0x12);
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}

TEST(track, copy_and_compare_take_only_the_lines_in_the_set_and_the_range)
{
	struct shim_mem m;
	static uint8_t a[3 * 4096], b[3 * 4096];

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	/* The range is DRAM [0x1010, 0x3010); lines 0x1000 (clipped), 0x2040 and 0x3000
	 * (clipped) are in the set, 0x4000 is outside the range. */
	shim_track_lines(&m, 0x1000, 1);
	shim_track_lines(&m, 0x2040, 1);
	shim_track_lines(&m, 0x3000, 1);
	shim_track_lines(&m, 0x4000, 1);
	shim_line_set_copy(&m.lines_mark, 0x1010, 0x2000, b, a);
	size_t copied = 0;
	for (size_t i = 0; i < 0x2000; i++) {
		copied += b[i] == 1;
	}
	EXPECT_EQ(copied, 0x30 + 0x40 + 0x10);
	EXPECT_EQ(b[0x2F], 1);
	EXPECT_EQ(b[0x30], 2);
	EXPECT_EQ(b[0x1030], 1);
	EXPECT_EQ(b[0x1FFF], 1);
	size_t at = 0;
	EXPECT_TRUE(shim_line_set_equal(&m.lines_mark, 0x1010, 0x2000, a, b, &at));
	b[0x1045] = 9; /* inside line 0x2040 */
	EXPECT_FALSE(shim_line_set_equal(&m.lines_mark, 0x1010, 0x2000, a, b, &at));
	EXPECT_EQ(at, 0x1045);
	b[0x1045] = 1;
	b[0x800] = 9; /* a line not in the set is not compared */
	EXPECT_TRUE(shim_line_set_equal(&m.lines_mark, 0x1010, 0x2000, a, b, &at));
	shim_mem_fini(&m);
}

/*
 * Declares @m's line sets exact; in builds without tracking that must fail,
 * and then @m is released and the caller returns (nothing more to test).
 */
static bool exact_or_untracked(struct shim_mem *m)
{
	if (shim_mem_use_exact_lines(m)) {
		return true;
	}
	EXPECT_FALSE(shim_track_exact());
	shim_mem_fini(m);
	return false;
}

/*
 * A DRAM of 1 MiB, snapshotted after byte @at of @page was set to @v (nothing
 * written when @v is 0), then declared exact; the bytes of @page. NULL in
 * builds without tracking (see exact_or_untracked).
 */
static uint8_t *exact_page(struct shim_mem *m, uint64_t page, size_t at, uint8_t v)
{
	if (!shim_mem_init(m, SHIM_DRAM_BASE, 1 * MIB) ||
	    (v && !shim_mem_write(m, page + at, &v, 1)) || !shim_mem_snapshot(m)) {
		EXPECT_TRUE(false);
		return NULL;
	}
	return exact_or_untracked(m) ? m->dram + (page - SHIM_DRAM_BASE) : NULL;
}

/*
 * With exact lines a reset copies back only the lines written of a pinned
 * page. A write no tracking saw stays, which shows that the rest of the page
 * was not copied. Without tracked builds the DRAM cannot be declared exact.
 */
TEST(track, exact_resets_restore_only_the_lines_written_of_pinned_pages)
{
	struct shim_mem m;

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	uint8_t *state = shim_mem_ptr(&m, SHIM_DRAM_BASE + 0x3000, 0x1000, true);
	ASSERT_TRUE(state != NULL);
	state[0] = 7;
	state[0x800] = 8;
	ASSERT_TRUE(shim_mem_snapshot(&m));
	if (!exact_or_untracked(&m)) {
		return;
	}
	shim_track_bind(&m);
	state[0] = 70;
	shim_track_write(state, 1);
	state[0x800] = 80; /* not reported */
	shim_mem_reset(&m);
	EXPECT_EQ(state[0], 7);
	EXPECT_EQ(state[0x800], 80);
	EXPECT_EQ(m.lines_reset.count + m.lines_mark.count, 0);
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}

/*
 * Pages the shim wrote since the snapshot (a guest store, a host table entry)
 * go back a line at a time too: its writes are marked like the monitor's.
 */
TEST(track, exact_resets_restore_only_the_lines_written_of_written_pages)
{
	struct shim_mem m;
	const uint64_t page = SHIM_DRAM_BASE + 0x5000;
	uint8_t *raw = exact_page(&m, page, 0x40, 1);
	uint8_t v = 2;

	if (!raw) {
		return;
	}
	ASSERT_TRUE(shim_mem_write(&m, page + 0x41, &v, 1));   /* the snapshot's line */
	ASSERT_TRUE(shim_mem_write(&m, page + 0xFFF, &v, 1));  /* a line zero at the snapshot */
	ASSERT_TRUE(shim_mem_write(&m, page + 0x3000, &v, 1)); /* a page never written */
	raw[0x800] = 9; /* not marked: a copy would undo it */
	EXPECT_EQ(m.dirty_count, 2);
	shim_mem_reset(&m);
	EXPECT_EQ(raw[0x40], 1);
	EXPECT_EQ(raw[0x41], 0);
	EXPECT_EQ(raw[0xFFF], 0);
	EXPECT_EQ(raw[0x3000], 0);
	EXPECT_EQ(raw[0x800], 9);
	EXPECT_EQ(m.dirty_count, 0);
	EXPECT_EQ(m.lines_reset.count, 0);
	shim_mem_fini(&m);
}

/*
 * Adjacent written lines go back in runs: a run of lines zero at the snapshot
 * is cleared, a run of the snapshot's lines copied, each from its own source
 * (here line 1 held the snapshot's byte, lines 0, 2 and 3 were zero). A whole
 * page written goes back as one run.
 */
TEST(track, exact_resets_restore_runs_of_written_lines_from_their_own_source)
{
	struct shim_mem m;
	const uint64_t page = SHIM_DRAM_BASE + 0x7000;
	uint8_t *raw = exact_page(&m, page, 0x40, 1);
	uint8_t fill[4 * SHIM_LINE_SIZE];
	uint8_t whole[SHIM_PAGE_SIZE];

	if (!raw) {
		return;
	}
	memset(fill, 0xAA, sizeof(fill));
	memset(whole, 0xBB, sizeof(whole));
	ASSERT_TRUE(shim_mem_write(&m, page, fill, sizeof(fill)));
	ASSERT_TRUE(shim_mem_write(&m, page + SHIM_PAGE_SIZE, whole, sizeof(whole)));
	shim_mem_reset(&m);
	for (size_t i = 0; i < sizeof(fill); i++) {
		ASSERT_EQ(raw[i], i == 0x40 ? 1 : 0);
	}
	for (size_t i = 0; i < sizeof(whole); i++) {
		ASSERT_EQ(raw[SHIM_PAGE_SIZE + i], 0);
	}
	EXPECT_EQ(m.lines_reset.count, 0);
	shim_mem_fini(&m);
}

/*
 * With exact lines, zeroing a range does not read the lines known to be zero:
 * unwritten lines of a page zero at the snapshot, and lines last set to zero.
 * A write no tracking saw shows which lines it read. A line written since the
 * snapshot is not known zero and is cleared, and from then on it is known
 * zero: the reset passes over it.
 */
TEST(track, zeroing_passes_over_lines_known_to_be_zero)
{
	struct shim_mem m;
	const uint64_t page = SHIM_DRAM_BASE + 0x9000;
	uint8_t *raw = exact_page(&m, page, 0, 0);
	uint8_t v = 4;

	if (!raw) {
		return;
	}
	shim_track_bind(&m);
	ASSERT_TRUE(shim_mem_write(&m, page + 0x100, &v, 1)); /* line 4, tracked */
	memset(raw + 0x200, 0, 0x40);
	shim_track_write(raw + 0x200, 0x40);
	shim_track_zeroed(raw + 0x200, 0x40); /* line 8, last set to zero */
	raw[0x201] = 7;			      /* neither seen */
	raw[0x800] = 7;
	ASSERT_TRUE(shim_mem_zero(&m, page, SHIM_PAGE_SIZE));
	EXPECT_EQ(raw[0x100], 0);
	EXPECT_EQ(raw[0x201], 7);
	EXPECT_EQ(raw[0x800], 7);
	EXPECT_EQ(m.lines_zeroed[9] & (UINT64_C(1) << 4), UINT64_C(1) << 4);
	raw[0x101] = 7; /* after the zeroing, unseen: the reset passes over line 4 */
	shim_mem_reset(&m);
	EXPECT_EQ(raw[0x101], 7);
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}

/*
 * The same holds line by line on a page that held data at the snapshot: its
 * lines zero then are known zero while unwritten. A line zeroed since that
 * was not zero then goes back at the reset.
 */
TEST(track, zeroing_passes_over_lines_zero_at_the_snapshot)
{
	struct shim_mem m;
	uint8_t *raw = exact_page(&m, SHIM_DRAM_BASE + 0xA000, 0, 4); /* line 0 */

	if (!raw) {
		return;
	}
	raw[0x140] = 7; /* line 5, unseen */
	ASSERT_TRUE(shim_mem_zero(&m, SHIM_DRAM_BASE + 0xA000, SHIM_PAGE_SIZE));
	EXPECT_EQ(raw[0], 0);
	EXPECT_EQ(raw[0x140], 7);
	EXPECT_EQ(m.lines_reset.mask[10], UINT64_C(1));
	shim_mem_reset(&m);
	EXPECT_EQ(raw[0], 4);
	shim_mem_fini(&m);
}

/*
 * On a page zero at the snapshot, lines whose last write set them to zero
 * (the monitor scrubbing a page it frees) are not touched by the reset; a
 * line written after its zeroing is. A false report shows which is which.
 */
TEST(track, exact_resets_pass_over_lines_last_set_to_zero)
{
	struct shim_mem m;
	uint8_t *raw = exact_page(&m, SHIM_DRAM_BASE + 0x7000, 0, 0);

	if (!raw) {
		return;
	}
	shim_track_bind(&m);
	memset(raw, 5, SHIM_PAGE_SIZE);
	shim_track_write(raw, SHIM_PAGE_SIZE);
	shim_track_zeroed(raw + 0x10, 0x100); /* whole lines 1..4; a lie, kept as 5s */
	raw[0x80] = 6;			      /* line 2 written after its "zeroing" */
	shim_track_write(raw + 0x80, 1);
	shim_mem_reset(&m);
	EXPECT_EQ(raw[0x00], 0);  /* line 0: only partly covered, restored */
	EXPECT_EQ(raw[0x40], 5);  /* line 1: passed over */
	EXPECT_EQ(raw[0x80], 0);  /* line 2: written since, restored */
	EXPECT_EQ(raw[0xC0], 5);  /* line 3: passed over */
	EXPECT_EQ(raw[0x100], 0); /* line 4: only partly covered (ends at 0x110) */
	EXPECT_EQ(raw[0xFFF], 0);
	/* The reset forgot the zeroing: written again, the line goes back. */
	raw[0x40] = 7;
	shim_track_write(raw + 0x40, 1);
	shim_mem_reset(&m);
	EXPECT_EQ(raw[0x40], 0);
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}

/*
 * The monitor's own code reports its stores in tracked builds: a library
 * function (compiled like the core) writing into bound DRAM marks the lines,
 * its stores into other memory mark nothing.
 */
TEST(track, the_monitors_stores_are_reported_in_tracked_builds)
{
	struct shim_mem m;
	uint8_t local[32];

	ASSERT_TRUE(shim_mem_init(&m, SHIM_DRAM_BASE, 1 * MIB));
	shim_track_bind(&m);
	mon_memzero_explicit(m.dram + 0x7010, 0x80);
	mon_memzero_explicit(local, sizeof(local));
	shim_track_bind(NULL);
	if (shim_track_exact()) {
		EXPECT_EQ(m.lines_mark.count, 1);
		EXPECT_EQ(m.lines_mark.mask[7], 7); /* lines 0..2 hold 0x7010..0x708F */
	} else {
		EXPECT_EQ(m.lines_mark.count, 0);
	}
	shim_mem_fini(&m);
}

/*
 * shim_mem_page_known_zero (I6 reads no page it vouches for): true only when
 * every line is zero at the snapshot and unwritten, or last written by a
 * zeroing; a single nonzero line, a line written since, or an address that
 * is not a page of DRAM make it false. shim_mem_lines_known_zero says the
 * same of each line.
 */
TEST(track, a_page_is_known_zero_only_when_every_line_is)
{
	struct shim_mem m;
	const uint64_t page = SHIM_DRAM_BASE + 0x3000;
	uint8_t *raw = exact_page(&m, page, 0x7C0, 9); /* line 31 nonzero at the snapshot */

	if (!raw) {
		EXPECT_FALSE(shim_track_exact());
		return;
	}
	EXPECT_TRUE(shim_mem_page_known_zero(&m, page + SHIM_PAGE_SIZE)); /* untouched */
	EXPECT_FALSE(shim_mem_page_known_zero(&m, page));
	/* Line by line (the oracle's table walk passes over the lines known zero). */
	EXPECT_EQ(shim_mem_lines_known_zero(&m, page), ~(UINT64_C(1) << 31));
	EXPECT_EQ(shim_mem_lines_known_zero(&m, page + 8), 0);
	EXPECT_FALSE(shim_mem_page_known_zero(&m, page + SHIM_PAGE_SIZE + 8)); /* not a page */
	EXPECT_FALSE(shim_mem_page_known_zero(&m, SHIM_DRAM_BASE + 1 * MIB));  /* past DRAM */
	shim_track_bind(&m);
	/* The monitor's scrub: a zeroing memset of the whole page. */
	memset(raw, 0, SHIM_PAGE_SIZE);
	shim_track_write(raw, SHIM_PAGE_SIZE);
	shim_track_zeroed(raw, SHIM_PAGE_SIZE);
	EXPECT_TRUE(shim_mem_page_known_zero(&m, page));
	/* Written since (even a zero byte): read it. */
	raw[0x400] = 0;
	shim_track_write(raw + 0x400, 1);
	EXPECT_FALSE(shim_mem_page_known_zero(&m, page));
	EXPECT_EQ(shim_mem_lines_known_zero(&m, page), ~(UINT64_C(1) << 16));
	shim_track_bind(NULL);
	shim_mem_fini(&m);
}
