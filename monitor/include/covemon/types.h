/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opaque address types. A host physical address, a guest physical address and
 * a plain integer are different types, so mixing them is a compile error
 * (Hafnium's paddr_t/ipaddr_t idea). Untrusted register values become these
 * types only in the validation module, after their checks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Host physical address (what PMP and the G-stage output speak). */
typedef struct {
	uint64_t bits;
} paddr_t;

/** Guest physical address (the G-stage input). */
typedef struct {
	uint64_t bits;
} gpa_t;

static inline paddr_t pa_init(uint64_t v)
{
	return (paddr_t){ v };
}

static inline uint64_t pa_addr(paddr_t pa)
{
	return pa.bits;
}

static inline gpa_t gpa_init(uint64_t v)
{
	return (gpa_t){ v };
}

static inline uint64_t gpa_addr(gpa_t gpa)
{
	return gpa.bits;
}

/** Index of a physical hart as the platform numbers them (mhartid). */
typedef unsigned int hart_t;

/** A set of harts, bit i = hart i (the monitor supports up to 64 harts). */
typedef uint64_t hartmask_t;

#define MON_PAGE_SHIFT 12
#define MON_PAGE_SIZE  (UINT64_C(1) << MON_PAGE_SHIFT)
#define MON_MAX_HARTS  16 /* per-hart state is kept for this many harts */
