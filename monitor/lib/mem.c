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

/* A word that may alias any object (the zeroing below stores into objects of every type). */
typedef uint64_t __attribute__((may_alias)) any_word;

/*
 * Volatile stores the compiler may not drop or merge, a word at a time where
 * aligned: byte-wide, scrubbing a page or a TVM record took 4096 or 7344
 * separate stores.
 */
void mon_memzero_explicit(void *p, size_t n)
{
	volatile uint8_t *b = p;
	size_t i = 0;

	for (; i < n && ((uintptr_t)p + i) % sizeof(any_word) != 0; i++) {
		b[i] = 0;
	}
	for (; n - i >= sizeof(any_word); i += sizeof(any_word)) {
		*(volatile any_word *)(void *)(b + i) = 0;
	}
	for (; i < n; i++) {
		b[i] = 0;
	}
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
