/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory protection of one emulated hart, with the exact semantics
 * of the privileged spec ("Physical Memory Protection"; Smepmp for mseccfg):
 * OFF/TOR/NA4/NAPOT, 4-byte granularity, the lowest-numbered entry that
 * matches any byte decides, a partial match fails, L binds M-mode and makes
 * the entry read-only until reset, no match fails for S/U when any entry is
 * implemented.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "covemon/hal.h" /* HAL_PMP_* field encodings, HAL_PMP_MAX */

/** Kind of access, with the value of the matching pmpcfg permission bit. */
enum shim_access {
	SHIM_ACCESS_READ = HAL_PMP_R,
	SHIM_ACCESS_WRITE = HAL_PMP_W,
	SHIM_ACCESS_EXEC = HAL_PMP_X,
};

/** Effective privilege of an access for PMP (VS/VU count as S/U). */
enum shim_priv {
	SHIM_PRIV_U = 0,
	SHIM_PRIV_S = 1,
	SHIM_PRIV_M = 3,
};

/* pmpaddr holds physical address bits 55:2 on RV64. */
#define SHIM_PMP_ADDR_MASK ((UINT64_C(1) << 54) - 1)

struct shim_pmp {
	unsigned int count; /* implemented entries */
	bool smepmp;	    /* mseccfg implemented */
	uint64_t mseccfg;
	uint8_t cfg[HAL_PMP_MAX];
	uint64_t addr[HAL_PMP_MAX];
	/*
	 * Derived from cfg and addr by every shim_pmp_write_* (write the
	 * registers only through those): the range [lo, hi) entry i matches, lo
	 * == hi == 0 for none. pmpaddr has 54 bits, so hi <= 2^57 fits.
	 * shim_pmp_check reads these; shim_pmp_entry_range decodes afresh.
	 */
	uint64_t lo[HAL_PMP_MAX];
	uint64_t hi[HAL_PMP_MAX];
	unsigned int active; /* entries past this one match nothing (hi == 0) */
};

/** Result of a PMP check. */
struct shim_pmp_verdict {
	bool allowed;
	int entry;    /* deciding entry, or -1 when no entry matched */
	bool partial; /* the deciding entry matched only some bytes */
};

/** Resets @pmp to the hart-reset state: @count entries, all OFF, unlocked. */
void shim_pmp_reset(struct shim_pmp *pmp, unsigned int count, bool smepmp);

/**
 * Writes pmp@i cfg as the csrw instruction would. Returns false when the
 * write was ignored (entry not implemented or locked); WARL fields are
 * legalised (reserved bits 5..6 read as zero).
 */
bool shim_pmp_write_cfg(struct shim_pmp *pmp, unsigned int i, uint8_t cfg);

/**
 * Writes pmpaddr@i. Returns false when ignored: entry not implemented, entry
 * locked, or entry i+1 locked with A = TOR.
 */
bool shim_pmp_write_addr(struct shim_pmp *pmp, unsigned int i, uint64_t addr);

/** Writes mseccfg with Smepmp's sticky-bit rules; false when not implemented. */
bool shim_pmp_write_mseccfg(struct shim_pmp *pmp, uint64_t value);

/**
 * The range [*lo, *hi) entry @i matches, as 128-bit values so that a NAPOT
 * region covering the whole address space does not wrap. Returns false for
 * an entry that matches nothing (OFF, or TOR with lo >= hi).
 */
bool shim_pmp_entry_range(const struct shim_pmp *pmp, unsigned int i, unsigned __int128 *lo,
			  unsigned __int128 *hi);

/** Whether @a and @b hold the same registers (implemented entries, mseccfg). */
bool shim_pmp_same_registers(const struct shim_pmp *a, const struct shim_pmp *b);

/** Checks an access of @len bytes (>= 1) at physical address @pa. */
struct shim_pmp_verdict shim_pmp_check(const struct shim_pmp *pmp, uint64_t pa, uint64_t len,
				       enum shim_access access, enum shim_priv priv);

/** Shorthand for shim_pmp_check(...).allowed. */
bool shim_pmp_allows(const struct shim_pmp *pmp, uint64_t pa, uint64_t len, enum shim_access access,
		     enum shim_priv priv);

/**
 * Hardware-view query for isolation invariants: is any single byte in
 * [@base, @base + @len) accessible with @access at @priv? When one is, its
 * address is stored in *@witness. Exact: it checks one address in every
 * interval between entry boundaries.
 */
bool shim_pmp_any_byte_allowed(const struct shim_pmp *pmp, uint64_t base, uint64_t len,
			       enum shim_access access, enum shim_priv priv, uint64_t *witness);
