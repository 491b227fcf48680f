/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Emulated physical memory: one DRAM range (QEMU virt puts it at
 * 0x8000_0000); every other physical address is a hole that faults, as an
 * unimplemented MMIO region does. Writes are tracked per 4 KiB page so a
 * world can be reset to a snapshot by copying back only the pages written
 * since (DESIGN.md section 4).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/track.h"

#define SHIM_PAGE_SIZE 4096u
#define SHIM_DRAM_BASE UINT64_C(0x80000000)

/* A set of DRAM pages (indices from the base): a bitmap to test, a list to walk. */
struct shim_page_set {
	uint64_t *bits;
	uint32_t *list;
	size_t count;
};

struct shim_mem {
	uint64_t base;
	uint64_t size;
	size_t pages;
	uint8_t *dram;		   /* the memory itself (lazily zero-filled mapping) */
	uint8_t *snap;		   /* snapshot contents; NULL until the first snapshot */
	uint64_t *snap_zero_lines; /* per page: lines all zero at the snapshot (all before one) */
	uint64_t *dirty;	   /* bitmap: written since the snapshot (or creation) */
	uint32_t *dirty_list;
	size_t dirty_count;
	uint64_t *pinned; /* bitmap: mapped writable before the snapshot */
	uint32_t *pinned_list;
	size_t pinned_count;
	uint64_t *touched; /* bitmap: written at any time since creation */
	uint64_t resets;
	uint64_t watch_base; /* a region whose writes are counted (shim_mem_watch) */
	uint64_t watch_size;
	uint64_t watch_writes;
	size_t watch_first, watch_pages;    /* the watched region in pages from base */
	struct shim_page_set watch_written; /* watched pages written since shim_mem_watch_clear */
	struct shim_page_set unpoisoned;    /* pages unpoisoned since shim_mem_unpoisoned_clear */
	size_t vouch_first, vouch_end;	    /* pages shim_mem_vouch_unchanged vouched for */
	/* 64-byte lines written (shim/track.h; holding every write when lines_exact). */
	struct shim_line_set lines_reset; /* since the snapshot or the last reset */
	uint64_t *lines_zeroed;		  /* per page: lines of lines_reset last set to zero */
	struct shim_line_set lines_mark;  /* since the last shim_mem_lines_mark_clear */
	struct shim_line_set lines_check; /* since the last shim_mem_lines_check_clear */
	bool lines_exact; /* the line sets hold every write (shim_mem_use_exact_lines) */
};

/**
 * Creates @size bytes of DRAM at @base (both 4 KiB aligned, size > 0, no
 * wrap). Returns false (nothing allocated) on a bad argument or when memory
 * cannot be reserved.
 */
bool shim_mem_init(struct shim_mem *mem, uint64_t base, uint64_t size);

/** Releases everything shim_mem_init reserved. */
void shim_mem_fini(struct shim_mem *mem);

/** True when [@pa, @pa + @len) lies entirely in DRAM (len 0: @pa in DRAM). */
bool shim_mem_is_dram(const struct shim_mem *mem, uint64_t pa, uint64_t len);

/**
 * True when exact line tracking (shim_mem_use_exact_lines) shows the 4 KiB
 * page at @pa to hold zeros without reading it: each line either unwritten
 * since a snapshot that had it zero, or last written by a zeroing memset.
 * False when it cannot tell (then the page must be read).
 */
bool shim_mem_page_known_zero(const struct shim_mem *mem, uint64_t pa);

/**
 * The same per 64-byte line: bit k set when line k of the 4 KiB page at @pa
 * is known to hold zeros. 0 when it cannot tell (no exact line sets, no
 * snapshot, not a page of DRAM).
 */
uint64_t shim_mem_lines_known_zero(const struct shim_mem *mem, uint64_t pa);

/** Copies DRAM out; false (nothing copied) when the range is not all DRAM. */
bool shim_mem_read(const struct shim_mem *mem, uint64_t pa, void *dst, size_t len);

/** Copies into DRAM and marks the pages written; false when not all DRAM. */
bool shim_mem_write(struct shim_mem *mem, uint64_t pa, const void *src, size_t len);

/**
 * Stores zeros over [@pa, @pa + @len); false (nothing written) when the range
 * is not all DRAM. The bytes end as shim_mem_write of zeros leaves them, but
 * only the 64-byte lines holding a nonzero byte are written (and marked):
 * lines already zero stay untouched, so a reset has nothing to restore there.
 * With exact line sets the lines known zero (unwritten on a page that was
 * zero at the snapshot, or last set to zero) are not even read.
 */
bool shim_mem_zero(struct shim_mem *mem, uint64_t pa, size_t len);

/**
 * Direct pointer into DRAM for [@pa, @pa + @len), or NULL when the range is
 * not all DRAM. With @write the pages are marked written now; a pointer
 * taken with @write before a snapshot pins its pages: they are restored on
 * every reset, since writes through it cannot be seen.
 */
uint8_t *shim_mem_ptr(struct shim_mem *mem, uint64_t pa, size_t len, bool write);

/** Marks the pages of [@pa, @pa + @len) written (after a write through a pointer). */
void shim_mem_mark_written(struct shim_mem *mem, uint64_t pa, size_t len);

/**
 * Before the first snapshot: returns the pages of [@pa, @pa + @len) that
 * hold only zeros to the state of memory never written (no host memory
 * behind them, not copied by a snapshot, not pinned, restored by a reset
 * only when written again). For memory its user zeroed through pointers it
 * does not keep (the monitor scrubs confidential memory at boot and maps it
 * afresh for every use): pinned, those pages would be copied back on every
 * reset. Pages holding any other byte are left as they are. Returns the
 * number of pages released (0 after a snapshot).
 */
size_t shim_mem_release_zero(struct shim_mem *mem, uint64_t pa, uint64_t len);

/**
 * Copies @src over @dst (@n a multiple of 8, both 8-byte aligned) writing
 * only the 64-byte lines that differ; true when any did. Reading both costs
 * about what a copy does, but only the changed lines are written (and their
 * cache lines dirtied). Not instrumented: callers pass raw memory.
 */
bool shim_copy_changed_lines(void *dst, const void *src, size_t n);

/** Whether the @n bytes (a multiple of 8, 8-byte aligned) at @a and @b are equal. */
bool shim_lines_equal(const void *a, const void *b, size_t n);

/** Remembers the current contents as the state shim_mem_reset returns to. */
bool shim_mem_snapshot(struct shim_mem *mem);

/**
 * Returns memory to the snapshot. With exact line sets, exactly the lines
 * written since (mem->lines_reset), on any page; otherwise the pages written
 * through the shim since, whole, and of the pinned pages the lines that
 * differ from the snapshot.
 */
void shim_mem_reset(struct shim_mem *mem);

/**
 * Vouches that [@pa, @pa + @len) holds exactly the bytes it held at the
 * snapshot (the caller compared them, or knows nothing could write them
 * since): the next shim_mem_reset does not copy back the pinned pages that
 * lie entirely inside it. Pages written through the shim since the snapshot
 * are restored as always. The next reset forgets the range.
 */
void shim_mem_vouch_unchanged(struct shim_mem *mem, uint64_t pa, uint64_t len);

/**
 * Counts, from now on, every tracked write that touches [@base, @base + @size)
 * in mem->watch_writes, so an oracle can skip checks of memory nobody wrote.
 */
void shim_mem_watch(struct shim_mem *mem, uint64_t base, uint64_t size);

/**
 * The pages of the watched region written since the last
 * shim_mem_watch_clear (or since shim_mem_watch), as page indices from
 * mem->base in *@pages; returns how many. An oracle that caches what it
 * computed from watched memory recomputes only what these pages feed.
 */
size_t shim_mem_watch_pages(const struct shim_mem *mem, const uint32_t **pages);

/** Forgets the pages shim_mem_watch_pages reports (mem->watch_writes keeps counting). */
void shim_mem_watch_clear(struct shim_mem *mem);

/**
 * Under AddressSanitizer, marks [@pa, @pa + @len) of DRAM as unusable so that
 * any access through a host pointer reports (fuzz oracles poison free
 * confidential pages); unpoison makes it usable again. No-ops without ASan.
 */
void shim_mem_poison(struct shim_mem *mem, uint64_t pa, uint64_t len);
void shim_mem_unpoison(struct shim_mem *mem, uint64_t pa, uint64_t len);

/**
 * The pages shim_mem_unpoison touched (also through snapshot and reset) since
 * the last shim_mem_unpoisoned_clear, as page indices from mem->base in
 * *@pages; returns how many. Lets an oracle poison again only what was
 * unpoisoned. Kept with and without ASan.
 */
size_t shim_mem_unpoisoned_pages(const struct shim_mem *mem, const uint32_t **pages);

/** Forgets the pages shim_mem_unpoisoned_pages reports. */
void shim_mem_unpoisoned_clear(struct shim_mem *mem);

/**
 * Declares that from now on every write into @mem goes through the shim or
 * through code whose stores are tracked (shim/track.h), so the line sets are
 * exact: resets copy back only the lines written. For a DRAM that only the
 * shim and the monitor write. False (and nothing changes) in builds without
 * COVEMON_TRACK_WRITES.
 */
bool shim_mem_use_exact_lines(struct shim_mem *mem);

/** Forgets the lines mem->lines_mark holds (the next write starts a new set). */
void shim_mem_lines_mark_clear(struct shim_mem *mem);

/** The same for mem->lines_check (a second consumer, with its own points of view). */
void shim_mem_lines_check_clear(struct shim_mem *mem);

/** Pages written since the snapshot (or since creation). */
size_t shim_mem_dirty_pages(const struct shim_mem *mem);
