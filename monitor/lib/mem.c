// SPDX-License-Identifier: BSD-2-Clause
/* Memory helpers that must not be optimised into something else. */
#include "covemon/lib.h"

bool mon_memeq_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *pa = a;
	const volatile uint8_t *pb = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++) {
		diff |= (uint8_t)(pa[i] ^ pb[i]);
	}
	return diff == 0;
}

/*
 * Where mon_memzero_explicit's buffers escape to. The volatile store of the
 * pointer must be made, and once the buffer's address is out the compiler
 * must assume it is read through it: the zeroing before the store cannot be
 * dropped as dead, even inlined into a caller whose buffer dies next. (The
 * pointer is never read.) The zeroing itself is one memset: on the shim one
 * reported write, where the volatile stores word by word this replaced were
 * one report each.
 */
static void *volatile zeroed_last;

void mon_memzero_explicit(void *p, size_t n)
{
	mon_memset(p, 0, n);
	zeroed_last = p;
}

uint64_t mon_word_bits(const uint64_t *w, size_t n, unsigned int bit)
{
	uint64_t any = 0;
	uint64_t bits = 0;

	for (size_t j = 0; j < n; j++) {
		any |= w[j];
	}
	if (!((any >> bit) & 1)) {
		return 0; /* most runs of page table entries: one OR per word */
	}
	for (size_t j = 0; j < n; j++) {
		bits |= ((w[j] >> bit) & 1) << j;
	}
	return bits;
}
