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

void mon_memzero_explicit(void *p, size_t n)
{
	volatile uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		b[i] = 0;
	}
}
