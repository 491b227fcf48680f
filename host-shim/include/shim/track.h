/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which 64-byte lines of emulated DRAM were written, exactly.
 *
 * The shim sees its own writes (shim_mem_write, shim_mem_ptr with write).
 * The monitor's code writes its state through plain C pointers, which the
 * shim cannot see. In builds with COVEMON_TRACK_WRITES it sees them all the
 * same: the monitor's code (and the code standing in for parts of it) is
 * compiled by clang's AddressSanitizer pass in callback mode with the
 * callbacks renamed to __covemon_track_*. Without sanitizers loads, stack and
 * globals are switched off: no shadow memory and no ASan runtime, only a call
 * into track.c for every store and for every memcpy, memset and memmove the
 * compiler emits (also those it would otherwise expand inline). In an ASan
 * build every access is a call, and track.c passes each on to ASan's own
 * check after marking what a store wrote. A store into
 * the bound DRAM (shim_track_bind) marks its lines; any other store just
 * happens. Shim code that writes into a buffer the monitor passed (the HAL's
 * untrusted read, its CSR save) reports it with shim_track_write.
 *
 * Three line sets are kept per DRAM (struct shim_mem): lines written since
 * the last reset (shim_mem_reset restores only those), since the last
 * shim_mem_lines_mark_clear (the fuzz engine's I7 compares only those around
 * a host call) and since the last shim_mem_lines_check_clear (the oracle
 * compares only those page records after an operation).
 * A DRAM's sets are exact, and trusted, once shim_mem_use_exact_lines
 * succeeded, which needs a tracked build (shim_track_exact()); otherwise
 * resets and the oracle keep comparing whole ranges.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct shim_mem;

/* A set of 64-byte DRAM lines: per page a mask (bit k: line k), and the pages with any. */
struct shim_line_set {
	uint64_t *mask;
	uint32_t *list;
	size_t count;
};

#define SHIM_LINE_SIZE 64u

/** The lines [@first, @last] of one page as a mask (0 <= first <= last < 64). */
static inline uint64_t shim_line_span(unsigned int first, unsigned int last)
{
	uint64_t upto_last = last == 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;

	return upto_last & ~((UINT64_C(1) << first) - 1);
}

/** Whether every store of the monitor's code is reported (a COVEMON_TRACK_WRITES build). */
bool shim_track_exact(void);

/** Makes @mem's DRAM the memory whose writes are marked, for the calling thread (NULL: none). */
void shim_track_bind(struct shim_mem *mem);

/** Reports that [@p, @p + @len) was written by shim code (marked when it is bound DRAM). */
void shim_track_write(const void *p, size_t len);

/**
 * Reports that [@p, @p + @len), just marked written, now holds zeros: its
 * whole lines are known zero until written again (a reset of a page that was
 * zero at the snapshot passes over them). The tracked monitor's memset(0)
 * calls it.
 */
void shim_track_zeroed(const void *p, size_t len);

/** Marks [@off, @off + @len) of @mem's DRAM (offsets from mem->dram, in range) in both sets. */
void shim_track_lines(struct shim_mem *mem, uint64_t off, uint64_t len);

/** Allocates an empty set for @pages (> 0) pages; false when memory is short. */
bool shim_line_set_init(struct shim_line_set *set, size_t pages);
void shim_line_set_fini(struct shim_line_set *set);

/** Empties @set. */
void shim_line_set_clear(struct shim_line_set *set);

/**
 * Visits the runs of consecutive lines of @set within [@off, @off + @len) of
 * DRAM, clipped to it, as offsets from @off; stops early when @visit returns
 * false and returns false then.
 */
bool shim_line_set_each_run(const struct shim_line_set *set, uint64_t off, uint64_t len,
			    bool (*visit)(void *ctx, size_t from, size_t n), void *ctx);

/**
 * Copies the lines of @set that lie in [@off, @off + @len) of DRAM from
 * @src to @dst, both standing for that range (byte 0 = DRAM offset @off).
 */
void shim_line_set_copy(const struct shim_line_set *set, uint64_t off, uint64_t len, uint8_t *dst,
			const uint8_t *src);

/**
 * Whether the lines of @set that lie in [@off, @off + @len) are equal in @a
 * and @b (standing for that range as above); on a difference, the offset of
 * its first byte from @off in *@at.
 */
bool shim_line_set_equal(const struct shim_line_set *set, uint64_t off, uint64_t len,
			 const uint8_t *a, const uint8_t *b, size_t *at);
