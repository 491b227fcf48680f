// SPDX-License-Identifier: BSD-2-Clause
/*
 * Emulated DRAM with page-granular write tracking.
 *
 * DRAM and the snapshot are anonymous mappings, so untouched pages cost
 * nothing and read as zero. A snapshot copies only pages ever written; a
 * reset copies back only pages written since the snapshot plus the pinned
 * ones (written through long-lived pointers that the shim cannot watch).
 */
#include "shim/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define SHIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHIM_ASAN 1
#endif
#endif
#ifdef SHIM_ASAN
#include <sanitizer/asan_interface.h>
#endif

static bool bit_test(const uint64_t *map, size_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static void bit_set(uint64_t *map, size_t i)
{
	map[i / 64] |= UINT64_C(1) << (i % 64);
}

static void bit_clear(uint64_t *map, size_t i)
{
	map[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static bool page_set_init(struct shim_page_set *set, size_t pages)
{
	set->bits = calloc((pages + 63) / 64, sizeof(uint64_t));
	set->list = malloc(pages * sizeof(uint32_t));
	set->count = 0;
	return set->bits && set->list;
}

static void page_set_fini(struct shim_page_set *set)
{
	free(set->bits);
	free(set->list);
}

static void page_set_add(struct shim_page_set *set, size_t p)
{
	if (!bit_test(set->bits, p)) {
		bit_set(set->bits, p);
		set->list[set->count++] = (uint32_t)p;
	}
}

static void page_set_clear(struct shim_page_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		bit_clear(set->bits, set->list[i]);
	}
	set->count = 0;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

bool shim_mem_init(struct shim_mem *mem, uint64_t base, uint64_t size)
{
	uint64_t end;

	memset(mem, 0, sizeof(*mem));
	if (size == 0 || (base | size) % SHIM_PAGE_SIZE != 0 ||
	    __builtin_add_overflow(base, size, &end) || size / SHIM_PAGE_SIZE > UINT32_MAX) {
		return false;
	}
	mem->base = base;
	mem->size = size;
	mem->pages = (size_t)(size / SHIM_PAGE_SIZE);
	size_t words = (mem->pages + 63) / 64;

	mem->dram = map_anon((size_t)size);
	mem->dirty = calloc(words, sizeof(uint64_t));
	mem->pinned = calloc(words, sizeof(uint64_t));
	mem->touched = calloc(words, sizeof(uint64_t));
	mem->snap_zero_lines = malloc(mem->pages * sizeof(uint64_t));
	mem->lines_zeroed = calloc(mem->pages, sizeof(uint64_t));
	mem->dirty_list = malloc(mem->pages * sizeof(uint32_t));
	mem->pinned_list = malloc(mem->pages * sizeof(uint32_t));
	bool sets = page_set_init(&mem->watch_written, mem->pages) &&
		    page_set_init(&mem->unpoisoned, mem->pages) &&
		    shim_line_set_init(&mem->lines_reset, mem->pages) &&
		    shim_line_set_init(&mem->lines_mark, mem->pages) &&
		    shim_line_set_init(&mem->lines_check, mem->pages);
	if (!mem->dram || !mem->dirty || !mem->pinned || !mem->touched || !mem->snap_zero_lines ||
	    !mem->lines_zeroed || !mem->dirty_list || !mem->pinned_list || !sets) {
		shim_mem_fini(mem);
		return false;
	}
	memset(mem->snap_zero_lines, 0xFF, mem->pages * sizeof(uint64_t));
	return true;
}

void shim_mem_fini(struct shim_mem *mem)
{
	if (mem->dram) {
		munmap(mem->dram, (size_t)mem->size);
	}
	if (mem->snap) {
		munmap(mem->snap, (size_t)mem->size);
	}
	free(mem->dirty);
	free(mem->pinned);
	free(mem->touched);
	free(mem->snap_zero_lines);
	free(mem->lines_zeroed);
	free(mem->dirty_list);
	free(mem->pinned_list);
	page_set_fini(&mem->watch_written);
	page_set_fini(&mem->unpoisoned);
	shim_line_set_fini(&mem->lines_reset);
	shim_line_set_fini(&mem->lines_mark);
	shim_line_set_fini(&mem->lines_check);
	memset(mem, 0, sizeof(*mem));
}

bool shim_mem_is_dram(const struct shim_mem *mem, uint64_t pa, uint64_t len)
{
	if (pa < mem->base) {
		return false;
	}
	uint64_t off = pa - mem->base;

	if (off >= mem->size) {
		return false;
	}
	return len <= mem->size - off;
}

void shim_mem_mark_written(struct shim_mem *mem, uint64_t pa, size_t len)
{
	if (len == 0 || !shim_mem_is_dram(mem, pa, len)) {
		return;
	}
	size_t first = (size_t)((pa - mem->base) / SHIM_PAGE_SIZE);
	size_t last = (size_t)((pa - mem->base + len - 1) / SHIM_PAGE_SIZE);

	/* Counted here; the pages join watch_written (and touched) as shim_track_lines
	 * marks their lines. */
	if (pa < mem->watch_base + mem->watch_size && mem->watch_base < pa + len) {
		mem->watch_writes++;
	}

	for (size_t p = first; p <= last; p++) {
		if (!bit_test(mem->dirty, p)) {
			bit_set(mem->dirty, p);
			mem->dirty_list[mem->dirty_count++] = (uint32_t)p;
		}
	}
	shim_track_lines(mem, pa - mem->base, len);
}

/*
 * The emulated hardware's own accesses (MMU walks, loads and stores by the
 * software on a hart) are not the monitor's: they ignore ASan poisoning,
 * which marks memory the monitor must not touch through its pointers.
 */
__attribute__((no_sanitize("address"))) static void raw_copy(uint8_t *dst, const uint8_t *src,
							     size_t len)
{
#ifdef SHIM_ASAN
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		__builtin_memcpy(&v, src + i, 8);
		__builtin_memcpy(dst + i, &v, 8);
	}
	for (; i < len; i++) {
		dst[i] = src[i];
	}
#else
	/* Without ASan no interceptor checks memcpy's ranges: the library's copy is fastest. */
	memcpy(dst, src, len);
#endif
}

bool shim_mem_read(const struct shim_mem *mem, uint64_t pa, void *dst, size_t len)
{
	if (!shim_mem_is_dram(mem, pa, len)) {
		return false;
	}
	raw_copy(dst, mem->dram + (pa - mem->base), len);
	return true;
}

bool shim_mem_write(struct shim_mem *mem, uint64_t pa, const void *src, size_t len)
{
	if (!shim_mem_is_dram(mem, pa, len)) {
		return false;
	}
	shim_mem_mark_written(mem, pa, len);
	raw_copy(mem->dram + (pa - mem->base), src, len);
	return true;
}

/* Lines of page @p known to hold zeros without reading them (exact line sets only). */
static uint64_t lines_known_zero(const struct shim_mem *mem, size_t p)
{
	uint64_t written = mem->lines_reset.mask[p];

	if (!mem->lines_exact || !mem->snap) {
		return 0;
	}
	/* Unwritten lines hold the snapshot's bytes; written ones what their last write left. */
	return (~written & mem->snap_zero_lines[p]) | (written & mem->lines_zeroed[p]);
}

uint64_t shim_mem_lines_known_zero(const struct shim_mem *mem, uint64_t pa)
{
	if (!shim_mem_is_dram(mem, pa, SHIM_PAGE_SIZE) || (pa - mem->base) % SHIM_PAGE_SIZE) {
		return 0;
	}
	return lines_known_zero(mem, (size_t)((pa - mem->base) / SHIM_PAGE_SIZE));
}

bool shim_mem_page_known_zero(const struct shim_mem *mem, uint64_t pa)
{
	return shim_mem_lines_known_zero(mem, pa) == UINT64_MAX;
}

/* Of @lines (a page's, from @page), those holding a nonzero byte in [@from, @to). */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
lines_nonzero(const uint8_t *page, uint64_t lines, size_t from, size_t to)
{
	uint64_t found = 0;

	while (lines) {
		unsigned int line = (unsigned int)__builtin_ctzll(lines);
		size_t a = (size_t)line * SHIM_LINE_SIZE;
		size_t b = a + SHIM_LINE_SIZE;
		uint8_t any = 0;

		lines &= lines - 1;
		for (size_t i = a > from ? a : from; i < (b < to ? b : to); i++) {
			any |= page[i];
		}
		found |= (uint64_t)(any != 0) << line;
	}
	return found;
}

__attribute__((no_sanitize("address", "undefined"))) static void raw_zero(uint8_t *dst, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		dst[i] = 0;
	}
}

bool shim_mem_zero(struct shim_mem *mem, uint64_t pa, size_t len)
{
	if (!shim_mem_is_dram(mem, pa, len)) {
		return false;
	}
	size_t off = (size_t)(pa - mem->base);
	size_t end = off + len;

	while (off < end) {
		size_t p = off / SHIM_PAGE_SIZE;
		size_t page = p * SHIM_PAGE_SIZE;
		size_t to = page + SHIM_PAGE_SIZE < end ? page + SHIM_PAGE_SIZE : end;
		uint64_t lines = shim_line_span((unsigned int)((off - page) / SHIM_LINE_SIZE),
						(unsigned int)((to - 1 - page) / SHIM_LINE_SIZE));
		uint64_t write = lines_nonzero(mem->dram + page, lines & ~lines_known_zero(mem, p),
					       off - page, to - page);

		/* Each line holding a nonzero byte is written as shim_mem_write would. */
		while (write) {
			unsigned int l = (unsigned int)__builtin_ctzll(write);
			size_t a = page + l * SHIM_LINE_SIZE;
			size_t b = a + SHIM_LINE_SIZE;

			write &= write - 1;
			a = a > off ? a : off;
			b = b < to ? b : to;
			shim_mem_mark_written(mem, mem->base + a, b - a);
			raw_zero(mem->dram + a, b - a);
			if (mem->lines_exact && b - a == SHIM_LINE_SIZE) {
				/* A whole line now zero: a reset to a zero page passes over it. */
				mem->lines_zeroed[p] |= UINT64_C(1) << l;
			}
		}
		off = to;
	}
	return true;
}

uint8_t *shim_mem_ptr(struct shim_mem *mem, uint64_t pa, size_t len, bool write)
{
	if (!shim_mem_is_dram(mem, pa, len)) {
		return NULL;
	}
	if (write && len) {
		shim_mem_mark_written(mem, pa, len);
		/* Until the next snapshot, a writable pointer may be kept: pin its pages. */
		size_t first = (size_t)((pa - mem->base) / SHIM_PAGE_SIZE);
		size_t last = (size_t)((pa - mem->base + len - 1) / SHIM_PAGE_SIZE);
		if (!mem->snap) {
			for (size_t p = first; p <= last; p++) {
				if (!bit_test(mem->pinned, p)) {
					bit_set(mem->pinned, p);
					mem->pinned_list[mem->pinned_count++] = (uint32_t)p;
				}
			}
		}
	}
	return mem->dram + (pa - mem->base);
}

/* The lines of a page that hold only zeros, as a mask. */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
page_zero_lines(const uint8_t *page)
{
	const uint64_t *w = (const uint64_t *)(const void *)page;
	uint64_t zero = 0;

	for (unsigned int l = 0; l < SHIM_PAGE_SIZE / SHIM_LINE_SIZE; l++) {
		uint64_t any = 0;
		for (unsigned int i = 0; i < SHIM_LINE_SIZE / 8; i++) {
			any |= w[l * (SHIM_LINE_SIZE / 8) + i];
		}
		zero |= (uint64_t)(any == 0) << l;
	}
	return zero;
}

/* Keeps the entries of @list (@count long) whose bit is still set in @map. */
static size_t list_filter(uint32_t *list, size_t count, const uint64_t *map)
{
	size_t kept = 0;

	for (size_t i = 0; i < count; i++) {
		if (bit_test(map, list[i])) {
			list[kept++] = list[i];
		}
	}
	return kept;
}

size_t shim_mem_release_zero(struct shim_mem *mem, uint64_t pa, uint64_t len)
{
	size_t released = 0;

	if (mem->snap || len == 0 || !shim_mem_is_dram(mem, pa, len)) {
		return 0;
	}
	size_t first = (size_t)((pa - mem->base + SHIM_PAGE_SIZE - 1) / SHIM_PAGE_SIZE);
	size_t end = (size_t)((pa - mem->base + len) / SHIM_PAGE_SIZE);

	for (size_t p = first; p < end; p++) {
		uint8_t *page = mem->dram + p * SHIM_PAGE_SIZE;
		if (!bit_test(mem->touched, p) || page_zero_lines(page) != UINT64_MAX) {
			continue;
		}
		/* Anonymous memory given back reads as zero again. */
		if (madvise(page, SHIM_PAGE_SIZE, MADV_DONTNEED) != 0) {
			continue;
		}
		bit_clear(mem->touched, p);
		bit_clear(mem->pinned, p);
		bit_clear(mem->dirty, p);
		released++;
	}
	mem->pinned_count = list_filter(mem->pinned_list, mem->pinned_count, mem->pinned);
	mem->dirty_count = list_filter(mem->dirty_list, mem->dirty_count, mem->dirty);
	return released;
}

/* Empties the line sets (and what is known of the reset set's zero lines). */
static void lines_clear(struct shim_mem *mem)
{
	for (size_t i = 0; i < mem->lines_reset.count; i++) {
		mem->lines_zeroed[mem->lines_reset.list[i]] = 0;
	}
	shim_line_set_clear(&mem->lines_reset);
	shim_line_set_clear(&mem->lines_mark);
	shim_line_set_clear(&mem->lines_check);
}

bool shim_mem_snapshot(struct shim_mem *mem)
{
	if (!mem->snap) {
		mem->snap = map_anon((size_t)mem->size);
		if (!mem->snap) {
			return false;
		}
	}
	/* Pages never written are zero in both mappings: copy only the others. */
	for (size_t w = 0; w < (mem->pages + 63) / 64; w++) {
		uint64_t bits = mem->touched[w];
		for (size_t p = w * 64; p < (w + 1) * 64 && p < mem->pages; p++) {
			mem->snap_zero_lines[p] = UINT64_MAX;
		}
		while (bits) {
			size_t p = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			shim_mem_unpoison(mem, mem->base + p * SHIM_PAGE_SIZE, SHIM_PAGE_SIZE);
			memcpy(mem->snap + p * SHIM_PAGE_SIZE, mem->dram + p * SHIM_PAGE_SIZE,
			       SHIM_PAGE_SIZE);
			mem->snap_zero_lines[p] = page_zero_lines(mem->snap + p * SHIM_PAGE_SIZE);
		}
	}
	for (size_t i = 0; i < mem->dirty_count; i++) {
		bit_clear(mem->dirty, mem->dirty_list[i]);
	}
	mem->dirty_count = 0;
	lines_clear(mem);
	return true;
}

/* One page in words, without ASan's interceptor checks (resets run for every fuzz input). */
__attribute__((no_sanitize("address", "undefined"))) static void page_copy(uint8_t *dst,
									   const uint8_t *src)
{
	uint64_t *d = (uint64_t *)(void *)dst;
	const uint64_t *s = (const uint64_t *)(const void *)src;

	for (size_t i = 0; i < SHIM_PAGE_SIZE / 8; i++) {
		d[i] = s[i];
	}
}

/*
 * Line-wise copy and compare: the reset's and the fuzz oracle's loops over
 * the monitor's state. Blocks of 64 bytes so the compiler vectorises; not
 * instrumented: callers pass raw memory.
 */
#define LINE_WORDS 8

__attribute__((no_sanitize("address", "undefined"))) bool
shim_copy_changed_lines(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	size_t words = n / 8;
	bool any = false;
	size_t i = 0;

	for (; i + LINE_WORDS <= words; i += LINE_WORDS) {
		uint64_t x = 0;
		for (size_t k = 0; k < LINE_WORDS; k++) {
			x |= d[i + k] ^ s[i + k];
		}
		if (x) {
			for (size_t k = 0; k < LINE_WORDS; k++) {
				d[i + k] = s[i + k];
			}
			any = true;
		}
	}
	for (; i < words; i++) {
		any |= d[i] != s[i];
		d[i] = s[i];
	}
	return any;
}

__attribute__((no_sanitize("address", "undefined"))) bool shim_lines_equal(const void *a,
									   const void *b, size_t n)
{
	const uint64_t *x = a;
	const uint64_t *y = b;
	size_t words = n / 8;
	uint64_t diff = 0;
	size_t i = 0;

	/* Stop at the first line that differs. */
	for (; i + LINE_WORDS <= words; i += LINE_WORDS) {
		for (size_t k = 0; k < LINE_WORDS; k++) {
			diff |= x[i + k] ^ y[i + k];
		}
		if (diff) {
			return false;
		}
	}
	for (; i < words; i++) {
		diff |= x[i] ^ y[i];
	}
	return diff == 0;
}

static void mem_restore_page(struct shim_mem *mem, size_t p)
{
	size_t off = p * SHIM_PAGE_SIZE;

	shim_mem_unpoison(mem, mem->base + off, SHIM_PAGE_SIZE);
	if (mem->snap) {
		page_copy(mem->dram + off, mem->snap + off);
	} else {
		memset(mem->dram + off, 0, SHIM_PAGE_SIZE);
	}
}

/*
 * A pinned page may have been written through a kept pointer, or not: most
 * of the time most of it was not (it is the monitor's own state). Only the
 * lines that differ from the snapshot are copied back; a page found
 * unchanged is left as it is (not unpoisoned either).
 */
static void mem_restore_pinned_page(struct shim_mem *mem, size_t p)
{
	size_t off = p * SHIM_PAGE_SIZE;

	if (!mem->snap) {
		mem_restore_page(mem, p);
		return;
	}
	if (shim_copy_changed_lines(mem->dram + off, mem->snap + off, SHIM_PAGE_SIZE)) {
		shim_mem_unpoison(mem, mem->base + off, SHIM_PAGE_SIZE);
	}
}

/*
 * With exact line sets every write since the snapshot is in lines_reset,
 * whoever made it (the shim marks its own, the tracked monitor its stores):
 * exactly those lines go back, on pinned and written pages alike. A guest
 * store or a table entry the host rewrote costs a line, not a page. Pages
 * zero at the snapshot (free confidential pages, mostly) are zeroed instead,
 * but for the lines whose last write set them to zero: those need nothing.
 */
__attribute__((no_sanitize("address", "undefined"))) static void
mem_restore_written_lines(struct shim_mem *mem)
{
	const struct shim_line_set *set = &mem->lines_reset;

	for (size_t i = 0; i < set->count; i++) {
		size_t p = set->list[i];
		size_t off = p * SHIM_PAGE_SIZE;
		uint64_t lines = set->mask[p];
		uint64_t zero = mem->snap_zero_lines[p];

		/* Lines last set to zero that were zero (a page the monitor scrubbed) are as
		 * they were. */
		lines &= ~(mem->lines_zeroed[p] & zero);
		shim_mem_unpoison(mem, mem->base + off, SHIM_PAGE_SIZE);
		/* Runs of lines alike (zero at the snapshot or not) in one call each: a page
		 * the monitor filled (a copied image page) is one memset. */
		while (lines) {
			unsigned int l = (unsigned int)__builtin_ctzll(lines);
			bool was_zero = zero >> l & 1;
			uint64_t alike = (lines & (was_zero ? zero : ~zero)) >> l;
			unsigned int n = ~alike ? (unsigned int)__builtin_ctzll(~alike) : 64 - l;
			size_t at = off + (size_t)l * SHIM_LINE_SIZE;
			lines &= ~shim_line_span(l, l + n - 1);
			if (was_zero) {
				/* The snapshot's lines are not read. */
				memset(mem->dram + at, 0, n * SHIM_LINE_SIZE);
			} else {
				memcpy(mem->dram + at, mem->snap + at, n * SHIM_LINE_SIZE);
			}
		}
	}
}

/*
 * Without exact line sets: the pages written through the shim, whole, and of
 * the pinned pages (but those the caller vouched for) the lines that differ.
 */
static void mem_restore_pages(struct shim_mem *mem)
{
	for (size_t i = 0; i < mem->pinned_count; i++) {
		size_t p = mem->pinned_list[i];
		if (p >= mem->vouch_first && p < mem->vouch_end && !bit_test(mem->dirty, p)) {
			continue; /* the caller vouched for its bytes */
		}
		if (bit_test(mem->dirty, p)) {
			mem_restore_page(mem, p);
		} else {
			mem_restore_pinned_page(mem, p);
		}
	}
	for (size_t i = 0; i < mem->dirty_count; i++) {
		size_t p = mem->dirty_list[i];
		if (!bit_test(mem->pinned, p)) {
			mem_restore_page(mem, p); /* pinned pages were restored above */
		}
	}
}

void shim_mem_reset(struct shim_mem *mem)
{
	if (mem->lines_exact) {
		mem_restore_written_lines(mem);
	} else {
		mem_restore_pages(mem);
	}
	for (size_t i = 0; i < mem->dirty_count; i++) {
		bit_clear(mem->dirty, mem->dirty_list[i]);
	}
	mem->dirty_count = 0;
	mem->vouch_first = 0;
	mem->vouch_end = 0;
	lines_clear(mem);
	mem->resets++;
}

bool shim_mem_use_exact_lines(struct shim_mem *mem)
{
	mem->lines_exact = shim_track_exact();
	return mem->lines_exact;
}

void shim_mem_lines_mark_clear(struct shim_mem *mem)
{
	shim_line_set_clear(&mem->lines_mark);
}

void shim_mem_lines_check_clear(struct shim_mem *mem)
{
	shim_line_set_clear(&mem->lines_check);
}

void shim_mem_vouch_unchanged(struct shim_mem *mem, uint64_t pa, uint64_t len)
{
	if (len == 0 || !shim_mem_is_dram(mem, pa, len)) {
		return;
	}
	uint64_t off = pa - mem->base;

	/* Whole pages only: a page partly outside the range is restored. */
	mem->vouch_first = (size_t)((off + SHIM_PAGE_SIZE - 1) / SHIM_PAGE_SIZE);
	mem->vouch_end = (size_t)((off + len) / SHIM_PAGE_SIZE);
}

void shim_mem_poison(struct shim_mem *mem, uint64_t pa, uint64_t len)
{
#ifdef SHIM_ASAN
	if (shim_mem_is_dram(mem, pa, len)) {
		ASAN_POISON_MEMORY_REGION(mem->dram + (pa - mem->base), len);
	}
#else
	(void)mem;
	(void)pa;
	(void)len;
#endif
}

void shim_mem_unpoison(struct shim_mem *mem, uint64_t pa, uint64_t len)
{
	if (len == 0 || !shim_mem_is_dram(mem, pa, len)) {
		return;
	}
	size_t first = (size_t)((pa - mem->base) / SHIM_PAGE_SIZE);
	size_t last = (size_t)((pa - mem->base + len - 1) / SHIM_PAGE_SIZE);

	for (size_t p = first; p <= last; p++) {
		page_set_add(&mem->unpoisoned, p);
	}
#ifdef SHIM_ASAN
	ASAN_UNPOISON_MEMORY_REGION(mem->dram + (pa - mem->base), len);
#endif
}

size_t shim_mem_unpoisoned_pages(const struct shim_mem *mem, const uint32_t **pages)
{
	*pages = mem->unpoisoned.list;
	return mem->unpoisoned.count;
}

void shim_mem_unpoisoned_clear(struct shim_mem *mem)
{
	page_set_clear(&mem->unpoisoned);
}

void shim_mem_watch(struct shim_mem *mem, uint64_t base, uint64_t size)
{
	uint64_t end;

	if (__builtin_add_overflow(base, size, &end)) {
		end = UINT64_MAX;
	}
	/* Whole pages inside DRAM, so writes map to page indices. */
	base = base < mem->base ? mem->base : base & ~(uint64_t)(SHIM_PAGE_SIZE - 1);
	end = end > mem->base + mem->size
		      ? mem->base + mem->size
		      : (end + SHIM_PAGE_SIZE - 1) & ~(uint64_t)(SHIM_PAGE_SIZE - 1);
	page_set_clear(&mem->watch_written);
	mem->watch_base = base;
	mem->watch_size = end > base ? end - base : 0;
	mem->watch_first = mem->watch_size ? (size_t)((base - mem->base) / SHIM_PAGE_SIZE) : 0;
	mem->watch_pages = (size_t)(mem->watch_size / SHIM_PAGE_SIZE);
}

size_t shim_mem_watch_pages(const struct shim_mem *mem, const uint32_t **pages)
{
	*pages = mem->watch_written.list;
	return mem->watch_written.count;
}

void shim_mem_watch_clear(struct shim_mem *mem)
{
	page_set_clear(&mem->watch_written);
}

size_t shim_mem_dirty_pages(const struct shim_mem *mem)
{
	return mem->dirty_count;
}
