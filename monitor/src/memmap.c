// SPDX-License-Identifier: BSD-2-Clause
/*
 * The physical memory map: what is DRAM, what the monitor owns, what is
 * confidential, and therefore what is host memory. ACE counted its own
 * firmware image as host memory (cove-abi.md section 6, flaw 2); here host
 * memory is DRAM minus every region the monitor or the platform reserves.
 */
#include "core.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

/* A range a PMP rule can name: below PA_LIMIT (a pmpaddr would drop the higher
 * bits, and its rule guard another range). */
static bool addressable(const struct mon_region *r)
{
	uint64_t end;

	return mon_range_end(r->base, r->size, &end) && end <= PA_LIMIT;
}

static bool region_ok(const struct mon_region *r)
{
	return r->size && mon_is_aligned(r->base | r->size, MON_PAGE_SIZE) && addressable(r);
}

static bool overlaps(const struct mon_region *a, const struct mon_region *b)
{
	return mon_ranges_overlap(a->base, a->size, b->base, b->size);
}

static bool inside_dram(const struct mon_platform *plat, const struct mon_region *r)
{
	for (unsigned int i = 0; i < plat->dram_count; i++) {
		if (mon_range_within(r->base, r->size, plat->dram[i].base, plat->dram[i].size)) {
			return true;
		}
	}
	return false;
}

/* A device range one NAPOT PMP entry covers, outside DRAM. */
static bool device_ok(const struct mon_platform *plat, const struct mon_region *r)
{
	if (r->size < 8 || (r->size & (r->size - 1)) != 0 || (r->base & (r->size - 1)) != 0 ||
	    !addressable(r)) {
		return false;
	}
	for (unsigned int i = 0; i < plat->dram_count; i++) {
		if (overlaps(r, &plat->dram[i])) {
			return false;
		}
	}
	return true;
}

static bool devices_ok(const struct mon_platform *plat)
{
	if (plat->mmio_private_count > MON_MAX_DEVICES ||
	    plat->mmio_shared_count > MON_MAX_DEVICES) {
		return false;
	}
	for (unsigned int i = 0; i < plat->mmio_private_count; i++) {
		if (!device_ok(plat, &plat->mmio_private[i])) {
			return false;
		}
	}
	for (unsigned int i = 0; i < plat->mmio_shared_count; i++) {
		if (!device_ok(plat, &plat->mmio_shared[i])) {
			return false;
		}
	}
	return true;
}

/* Regions confidential memory must avoid. */
static bool blocked(const struct mon_platform *plat, const struct mon_region *r)
{
	if (overlaps(r, &plat->image) || overlaps(r, &plat->data)) {
		return true;
	}
	for (unsigned int i = 0; i < plat->reserved_count; i++) {
		if (overlaps(r, &plat->reserved[i])) {
			return true;
		}
	}
	return false;
}

/*
 * Places confidential memory as high as possible in DRAM: candidate tops are
 * the end of each DRAM region and the base of every blocking region inside
 * it; the first candidate (highest first) whose range is free wins.
 */
static bool carve(const struct mon_platform *plat, uint64_t size, struct mon_region *out)
{
	bool found = false;

	for (unsigned int d = 0; d < plat->dram_count; d++) {
		const struct mon_region *dram = &plat->dram[d];
		uint64_t tops[2 + 2 * MON_MAX_REGIONS];
		unsigned int n = 0;

		tops[n++] = dram->base + dram->size;
		tops[n++] = plat->image.base;
		tops[n++] = plat->data.base;
		for (unsigned int i = 0; i < plat->reserved_count; i++) {
			tops[n++] = plat->reserved[i].base;
		}
		for (unsigned int i = 0; i < n; i++) {
			uint64_t top = tops[i];
			struct mon_region c = { top - size, size };

			if (top < size || top > dram->base + dram->size ||
			    !mon_range_within(c.base, size, dram->base, dram->size) ||
			    blocked(plat, &c)) {
				continue;
			}
			if (!found || c.base > out->base) {
				*out = c;
				found = true;
			}
		}
	}
	return found;
}

/*
 * Takes @out out of the host pieces of @m. At most one piece holds it strictly
 * inside and splits in two, so DRAM regions plus one piece per region taken
 * out bound the count (MON_MAX_HOST_RANGES).
 */
static void take_out(struct memmap *m, const struct mon_region *out)
{
	uint64_t out_end = out->base + out->size;
	unsigned int i = 0;

	while (i < m->host_count) {
		struct mon_region *h = &m->host[i];
		uint64_t h_end = h->base + h->size;

		if (!overlaps(h, out)) {
			i++;
		} else if (out->base > h->base && out_end < h_end) {
			/* Inside: the piece before it stays here, the piece after it is new. */
			m->host[m->host_count++] = (struct mon_region){ out_end, h_end - out_end };
			h->size = out->base - h->base;
			i++;
		} else if (out->base > h->base) {
			h->size = out->base - h->base;
			i++;
		} else if (out_end < h_end) {
			*h = (struct mon_region){ out_end, h_end - out_end };
			i++;
		} else {
			*h = m->host[--m->host_count]; /* all of it: look at the one moved here */
		}
	}
}

/* Host memory in pieces: DRAM minus the image, the data, confidential memory
 * and the reserved regions (memmap_is_host then tests a range against each). */
static void host_pieces(struct memmap *m)
{
	m->host_count = 0;
	for (unsigned int i = 0; i < m->dram_count; i++) {
		m->host[m->host_count++] = m->dram[i];
	}
	take_out(m, &m->image);
	take_out(m, &m->data);
	take_out(m, &m->confidential);
	for (unsigned int i = 0; i < m->reserved_count; i++) {
		take_out(m, &m->reserved[i]);
	}
}

mon_err_t memmap_init(const struct mon_platform *plat, struct memmap *map)
{
	struct memmap m;

	mon_memset(&m, 0, sizeof(m));
	if (plat->dram_count == 0 || plat->dram_count > MON_MAX_REGIONS ||
	    plat->reserved_count > MON_MAX_REGIONS) {
		return MON_ERR_INVALID_PARAM;
	}
	for (unsigned int i = 0; i < plat->dram_count; i++) {
		if (!region_ok(&plat->dram[i])) {
			return MON_ERR_INVALID_PARAM;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (overlaps(&plat->dram[i], &plat->dram[j])) {
				return MON_ERR_INVALID_PARAM;
			}
		}
	}
	for (unsigned int i = 0; i < plat->reserved_count; i++) {
		if (!region_ok(&plat->reserved[i])) {
			return MON_ERR_INVALID_PARAM;
		}
	}
	/* The monitor's own regions: page aligned, in DRAM, apart from each other. */
	if (!region_ok(&plat->image) || !region_ok(&plat->data) ||
	    !inside_dram(plat, &plat->image) || !inside_dram(plat, &plat->data) ||
	    overlaps(&plat->image, &plat->data)) {
		return MON_ERR_INVALID_PARAM;
	}
	/* Code, then read-only data, inside the image on page boundaries (W^X). */
	if (plat->image_text_size == 0 ||
	    !mon_is_aligned(plat->image_text_size | plat->image_rodata_size, MON_PAGE_SIZE) ||
	    plat->image_text_size > plat->image.size ||
	    plat->image_rodata_size > plat->image.size - plat->image_text_size ||
	    !devices_ok(plat)) {
		return MON_ERR_INVALID_PARAM;
	}
	if (plat->confidential_size == 0 ||
	    !mon_is_aligned(plat->confidential_size, MON_PAGE_SIZE) ||
	    !carve(plat, plat->confidential_size, &m.confidential)) {
		return MON_ERR_INVALID_PARAM;
	}
	for (unsigned int i = 0; i < plat->dram_count; i++) {
		m.dram[i] = plat->dram[i];
	}
	for (unsigned int i = 0; i < plat->reserved_count; i++) {
		m.reserved[i] = plat->reserved[i];
	}
	m.dram_count = plat->dram_count;
	m.reserved_count = plat->reserved_count;
	m.image = plat->image;
	m.data = plat->data;
	host_pieces(&m);
	*map = m;
	return MON_OK;
}

bool memmap_is_host(const struct memmap *map, uint64_t base, uint64_t len)
{
	uint64_t end;

	if (len == 0 || !mon_range_end(base, len, &end)) {
		return false;
	}
	/* Inside one piece: inside one DRAM region, apart from every excluded one. */
	for (unsigned int i = 0; i < map->host_count; i++) {
		if (mon_range_within(base, len, map->host[i].base, map->host[i].size)) {
			return true;
		}
	}
	return false;
}

bool memmap_is_confidential(const struct memmap *map, uint64_t base, uint64_t len)
{
	uint64_t end;

	return len && mon_range_end(base, len, &end) &&
	       mon_range_within(base, len, map->confidential.base, map->confidential.size);
}
