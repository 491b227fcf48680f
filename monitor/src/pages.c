// SPDX-License-Identifier: BSD-2-Clause
/*
 * Confidential memory bookkeeping: one record per 4 KiB page. Pages move
 * FREE -> owned (data, table, scratch) in pages_alloc and back in
 * pages_free, which scrubs first, so every free page is zero (invariant I6)
 * and a freed page never carries a TVM's data to the next owner.
 *
 * first_free is always the lowest free index: a function of the records, so
 * freeing what an operation allocated restores the state byte for byte (I7).
 */
#include "core.h"
#include "covemon/lib.h"

uint64_t pages_records_size(uint64_t conf_size)
{
	return conf_size / MON_PAGE_SIZE * sizeof(struct page_rec);
}

void pages_init(struct mon *mon, struct page_rec *records, uint64_t count)
{
	mon->pages = records;
	mon->page_count = count;
	mon->first_free = 0;
	mon_memset(records, 0, count * sizeof(*records));
}

static uint64_t page_index(const struct mon *mon, uint64_t pa)
{
	return (pa - mon->map.confidential.base) / MON_PAGE_SIZE;
}

static uint64_t page_addr(const struct mon *mon, uint64_t idx)
{
	return mon->map.confidential.base + idx * MON_PAGE_SIZE;
}

const struct page_rec *pages_rec(const struct mon *mon, uint64_t pa)
{
	if (!memmap_is_confidential(&mon->map, pa, 1)) {
		return NULL;
	}
	return &mon->pages[page_index(mon, pa)];
}

static void advance_first_free(struct mon *mon)
{
	while (mon->first_free < mon->page_count &&
	       mon->pages[mon->first_free].state != PAGE_FREE) {
		mon->first_free++;
	}
}

mon_err_t pages_alloc(struct mon *mon, hart_t hart, struct tvm *owner, enum page_state state,
		      uint64_t count, uint64_t align, uint64_t *pa)
{
	if (count == 0 || owner->pages + count > owner->quota || hal_alloc_should_fail(hart)) {
		return MON_ERR_OUT_OF_MEMORY;
	}
	/* First fit from the lowest free page; @align is checked on the address. */
	for (uint64_t i = mon->first_free; i + count <= mon->page_count; i++) {
		uint64_t n = 0;

		if (!mon_is_aligned(page_addr(mon, i), align ? align : 1)) {
			continue;
		}
		while (n < count && mon->pages[i + n].state == PAGE_FREE) {
			n++;
		}
		if (n < count) {
			i += n; /* the page at i + n is taken: no fit can start before it */
			continue;
		}
		for (uint64_t k = 0; k < count; k++) {
			mon->pages[i + k].state = (uint8_t)state;
			mon->pages[i + k].owner = owner->id;
		}
		owner->pages += count;
		advance_first_free(mon);
		*pa = page_addr(mon, i);
		return MON_OK;
	}
	return MON_ERR_OUT_OF_MEMORY;
}

static void free_one(struct mon *mon, uint64_t idx)
{
	mon_memset(hal_mon_map(pa_init(page_addr(mon, idx)), MON_PAGE_SIZE), 0, MON_PAGE_SIZE);
	mon->pages[idx].state = PAGE_FREE;
	mon->pages[idx].owner = 0;
	if (idx < mon->first_free) {
		mon->first_free = idx;
	}
}

void pages_free(struct mon *mon, struct tvm *owner, uint64_t pa, uint64_t count)
{
	for (uint64_t k = 0; k < count; k++) {
		uint64_t idx = page_index(mon, pa) + k;

		if (idx < mon->page_count && mon->pages[idx].owner == owner->id &&
		    mon->pages[idx].state != PAGE_FREE) {
			free_one(mon, idx);
			owner->pages--;
		}
	}
}

void pages_free_owner(struct mon *mon, struct tvm *owner)
{
	for (uint64_t i = 0; i < mon->page_count && owner->pages; i++) {
		if (mon->pages[i].state != PAGE_FREE && mon->pages[i].owner == owner->id) {
			free_one(mon, i);
			owner->pages--;
		}
	}
}
