// SPDX-License-Identifier: BSD-2-Clause
/*
 * memmap_is_host against its definition: a range is host memory when it lies
 * in one DRAM region and meets none of the monitor's image, its data,
 * confidential memory and the reserved regions. memmap_init precomputes the
 * pieces that leaves; random platforms and ranges around every edge compare
 * the two.
 */
#include <stdio.h>
#include <string.h>

#include "../src/core.h"
#include "test.h"

#define PAGE MON_PAGE_SIZE

static bool overlap(uint64_t a, uint64_t alen, const struct mon_region *r)
{
	return alen && r->size && a < r->base + r->size && r->base < a + alen;
}

/* The definition, region by region. */
static bool host_by_definition(const struct memmap *m, uint64_t base, uint64_t len)
{
	bool in_dram = false;

	if (len == 0 || base + len < base) {
		return false;
	}
	for (unsigned int i = 0; i < m->dram_count; i++) {
		in_dram |=
			base >= m->dram[i].base && base + len <= m->dram[i].base + m->dram[i].size;
	}
	if (!in_dram || overlap(base, len, &m->image) || overlap(base, len, &m->data) ||
	    overlap(base, len, &m->confidential)) {
		return false;
	}
	for (unsigned int i = 0; i < m->reserved_count; i++) {
		if (overlap(base, len, &m->reserved[i])) {
			return false;
		}
	}
	return true;
}

/* A platform of 1..3 DRAM regions, the monitor in the first, 0..4 reserved regions. */
static void random_platform(uint64_t *rng, struct mon_platform *p)
{
	uint64_t at = UINT64_C(0x80000000);

	memset(p, 0, sizeof(*p));
	p->dram_count = 1 + (unsigned int)(test_rng_next(rng) % 3);
	for (unsigned int i = 0; i < p->dram_count; i++) {
		at += (test_rng_next(rng) % 3) * 16 * PAGE; /* adjacent or apart */
		p->dram[i] = (struct mon_region){ at, (16 + test_rng_next(rng) % 64) * PAGE };
		at += p->dram[i].size;
	}
	uint64_t pages = p->dram[0].size / PAGE;
	uint64_t img = test_rng_next(rng) % (pages - 8);
	p->image = (struct mon_region){ p->dram[0].base + img * PAGE, 2 * PAGE };
	p->image_text_size = PAGE;
	uint64_t data = (img + 2 + test_rng_next(rng) % 4) % (pages - 2);
	p->data = (struct mon_region){ p->dram[0].base + data * PAGE, 2 * PAGE };
	p->reserved_count = (unsigned int)(test_rng_next(rng) % 5);
	for (unsigned int i = 0; i < p->reserved_count; i++) {
		uint64_t d = test_rng_next(rng) % p->dram_count;
		uint64_t off = test_rng_next(rng) % (p->dram[d].size / PAGE + 8);
		p->reserved[i] = (struct mon_region){ p->dram[d].base - 4 * PAGE + off * PAGE,
						      (1 + test_rng_next(rng) % 12) * PAGE };
	}
	p->confidential_size = (1 + test_rng_next(rng) % 16) * PAGE;
}

/* An address near an edge of some region of @m (or anywhere in DRAM). */
static uint64_t near_an_edge(uint64_t *rng, const struct memmap *m)
{
	const struct mon_region *r;
	unsigned int k = (unsigned int)(test_rng_next(rng) % 4);

	r = k == 0			  ? &m->dram[test_rng_next(rng) % m->dram_count]
	    : k == 1			  ? &m->confidential
	    : k == 2 && m->reserved_count ? &m->reserved[test_rng_next(rng) % m->reserved_count]
					  : (test_rng_next(rng) & 1 ? &m->image : &m->data);
	uint64_t edge = test_rng_next(rng) & 1 ? r->base : r->base + r->size;
	return edge + (test_rng_next(rng) % (4 * PAGE)) - 2 * PAGE;
}

TEST(memmap, host_memory_is_dram_minus_every_excluded_region)
{
	uint64_t rng = 0x5eed;
	unsigned int platforms = 0;
	unsigned long host = 0;

	for (unsigned int round = 0; round < 3000; round++) {
		struct mon_platform p;
		struct memmap m;

		random_platform(&rng, &p);
		if (memmap_init(&p, &m) != MON_OK) {
			continue; /* the monitor's regions overlap a reserved one, say */
		}
		platforms++;
		ASSERT_TRUE(m.host_count <= MON_MAX_HOST_RANGES);
		for (unsigned int q = 0; q < 200; q++) {
			uint64_t base = near_an_edge(&rng, &m);
			uint64_t len = test_rng_next(&rng) & 1
					       ? (1 + test_rng_next(&rng) % 3) * PAGE
					       : 1 + test_rng_next(&rng) % (2 * PAGE);
			bool want = host_by_definition(&m, base, len);
			bool got = memmap_is_host(&m, base, len);
			host += want;
			if (got != want) {
				fprintf(stderr,
					"round %u: [0x%llx, +0x%llx): host %d by definition\n",
					round, (unsigned long long)base, (unsigned long long)len,
					want);
				ASSERT_EQ(got, want);
			}
		}
		EXPECT_FALSE(memmap_is_host(&m, m.dram[0].base, 0));
		EXPECT_FALSE(memmap_is_host(&m, UINT64_MAX - PAGE + 1, 2 * PAGE));
	}
	/* Enough platforms and both answers (not a test that cannot fail). */
	EXPECT_TRUE(platforms > 1000);
	EXPECT_TRUE(host > 10000);
}
