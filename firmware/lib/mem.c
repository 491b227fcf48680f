// SPDX-License-Identifier: BSD-2-Clause
/*
 * The four functions GCC may call in a freestanding program (it emits them
 * for struct copies and for the monitor's __builtin_mem* when not inlined).
 */
#include <stddef.h>
#include <stdint.h>

/* Doubleword accesses to memory of any type (the compiler may not assume otherwise). */
typedef uint64_t __attribute__((may_alias)) word_t;

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Doublewords while both are aligned (page copies and scrubs), then bytes. */
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
		}
	}
	while (n--) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--) {
			*d++ = *s++;
		}
	} else {
		while (n--) {
			d[n] = s[n];
		}
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (((uintptr_t)d & 7) == 0) {
		uint64_t v = (unsigned char)c * UINT64_C(0x0101010101010101);
		/* Four stores per round: the boot scrubs all of confidential memory. */
		for (; n >= 32; n -= 32, d += 32) {
			((word_t *)(void *)d)[0] = v;
			((word_t *)(void *)d)[1] = v;
			((word_t *)(void *)d)[2] = v;
			((word_t *)(void *)d)[3] = v;
		}
		for (; n >= 8; n -= 8, d += 8) {
			*(word_t *)(void *)d = v;
		}
	}
	while (n--) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}
