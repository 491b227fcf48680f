// SPDX-License-Identifier: BSD-2-Clause
/*
 * The G-stage TLB model on its own (host-shim/include/shim/tlb.h). Its use by
 * the translation path (stale entries until hfence.gvma) is tested in
 * test_mmu.c, suite gstage_tlb.
 */
#include "shim/tlb.h"

#include "test.h"

#define PAGE_SHIFT 12u
#define MEGA_SHIFT 21u
#define GPA_A	   UINT64_C(0x40000000)
#define HPA_A	   UINT64_C(0x80200000)
#define PTE_RWXU   UINT64_C(0xdf) /* V R W X U A D */

static struct shim_tlb fresh_tlb(void)
{
	struct shim_tlb tlb;

	shim_tlb_reset(&tlb);
	return tlb;
}

TEST(tlb, empty_tlb_misses_and_counts_the_miss)
{
	struct shim_tlb tlb = fresh_tlb();

	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_EQ(tlb.misses, 1);
	EXPECT_EQ(tlb.hits, 0);
}

TEST(tlb, inserted_page_hits_anywhere_inside_it_and_counts_the_hit)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	const struct shim_tlb_entry *e = shim_tlb_lookup(&tlb, 1, GPA_A + 0xff8);

	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(e->gpa, GPA_A);
	EXPECT_EQ(e->hpa, HPA_A);
	EXPECT_EQ(e->shift, PAGE_SHIFT);
	EXPECT_EQ(e->pte, PTE_RWXU);
	EXPECT_EQ(tlb.hits, 1);
	EXPECT_EQ(tlb.misses, 0);
}

TEST(tlb, page_entry_does_not_cover_the_next_page)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A + 0x1000) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A - 1) == NULL);
}

TEST(tlb, superpage_entry_covers_its_whole_range)
{
	struct shim_tlb tlb = fresh_tlb();

	/* Inserted through an address inside the megapage: the base is aligned down. */
	shim_tlb_insert(&tlb, 1, GPA_A + 0x12345, HPA_A, MEGA_SHIFT, PTE_RWXU);
	const struct shim_tlb_entry *first = shim_tlb_lookup(&tlb, 1, GPA_A);
	const struct shim_tlb_entry *last =
		shim_tlb_lookup(&tlb, 1, GPA_A + (1u << MEGA_SHIFT) - 1);

	ASSERT_TRUE(first != NULL);
	EXPECT_TRUE(first == last);
	EXPECT_EQ(first->gpa, GPA_A);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A + (1u << MEGA_SHIFT)) == NULL);
}

TEST(tlb, different_vmid_does_not_hit)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 2, GPA_A) == NULL);
}

TEST(tlb, insert_for_same_vmid_and_region_replaces_the_entry)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A + 0x5000, PAGE_SHIFT, PTE_RWXU);
	unsigned int valid = 0;

	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		valid += tlb.entry[i].valid;
	}
	EXPECT_EQ(valid, 1);
	const struct shim_tlb_entry *e = shim_tlb_lookup(&tlb, 1, GPA_A);

	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(e->hpa, HPA_A + 0x5000);
}

TEST(tlb, superpage_insert_drops_overlapping_page_of_same_vmid)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A + 0x3000, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A + (1u << MEGA_SHIFT), MEGA_SHIFT, PTE_RWXU);
	const struct shim_tlb_entry *e = shim_tlb_lookup(&tlb, 1, GPA_A + 0x3000);

	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(e->shift, MEGA_SHIFT);
}

TEST(tlb, fifo_evicts_the_oldest_entry_after_a_full_round_of_inserts)
{
	struct shim_tlb tlb = fresh_tlb();

	for (uint64_t i = 0; i <= SHIM_TLB_ENTRIES; i++) {
		shim_tlb_insert(&tlb, 1, GPA_A + (i << PAGE_SHIFT), HPA_A + (i << PAGE_SHIFT),
				PAGE_SHIFT, PTE_RWXU);
	}
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A + (UINT64_C(1) << PAGE_SHIFT)) != NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A + ((uint64_t)SHIM_TLB_ENTRIES << PAGE_SHIFT)) !=
		    NULL);
}

TEST(tlb, fence_of_all_vmids_and_addresses_empties_the_tlb)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 2, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_fence_gvma(&tlb, false, 0, false, 0);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 2, GPA_A) == NULL);
}

TEST(tlb, fence_by_vmid_keeps_other_vmids)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 2, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_fence_gvma(&tlb, true, 1, false, 0);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 2, GPA_A) != NULL);
}

TEST(tlb, fence_by_address_drops_the_superpage_containing_it_and_nothing_else)
{
	struct shim_tlb tlb = fresh_tlb();
	uint64_t other = GPA_A + (UINT64_C(1) << 30);

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, MEGA_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 2, other, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_fence_gvma(&tlb, false, 0, true, GPA_A + 0x1ff000);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 2, other) != NULL);
}

TEST(tlb, fence_by_vmid_and_address_keeps_other_vmids_at_that_address)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 2, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_insert(&tlb, 1, GPA_A + 0x1000, HPA_A, PAGE_SHIFT, PTE_RWXU);
	shim_tlb_fence_gvma(&tlb, true, 1, true, GPA_A + 0x10);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 2, GPA_A) != NULL);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A + 0x1000) != NULL);
}

TEST(tlb, reset_empties_the_tlb_and_its_counters)
{
	struct shim_tlb tlb = fresh_tlb();

	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	(void)shim_tlb_lookup(&tlb, 1, GPA_A);
	shim_tlb_reset(&tlb);
	EXPECT_EQ(tlb.hits, 0);
	EXPECT_TRUE(shim_tlb_lookup(&tlb, 1, GPA_A) == NULL);
}

/* Equal stamps mean equal entries: every change takes a new stamp, nothing else does. */
TEST(tlb, stamp_changes_exactly_when_the_entries_do)
{
	struct shim_tlb tlb = fresh_tlb();
	struct shim_tlb other = fresh_tlb();

	EXPECT_EQ(tlb.stamp, 0);
	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	uint64_t one = tlb.stamp;
	EXPECT_NE(one, 0);
	(void)shim_tlb_lookup(&tlb, 1, GPA_A);
	(void)shim_tlb_lookup(&tlb, 1, GPA_A + 0x1000);
	shim_tlb_fence_gvma(&tlb, true, 2, false, 0); /* matches nothing */
	EXPECT_EQ(tlb.stamp, one);
	shim_tlb_insert(&tlb, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU); /* the same entry again */
	uint64_t two = tlb.stamp;
	EXPECT_NE(two, one);
	shim_tlb_insert(&other, 1, GPA_A, HPA_A, PAGE_SHIFT, PTE_RWXU);
	EXPECT_TRUE(other.stamp != one && other.stamp != two); /* no other TLB's stamp */
	shim_tlb_fence_gvma(&tlb, true, 1, false, 0);
	EXPECT_NE(tlb.stamp, two);
	EXPECT_NE(tlb.stamp, 0);
	shim_tlb_reset(&tlb);
	EXPECT_EQ(tlb.stamp, 0);
}
