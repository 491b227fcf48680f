/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The four string functions GCC may call in a freestanding program (GCC
 * manual, "Standards": memcpy, memmove, memset, memcmp), for payloads and
 * for the covemon libraries they link (covemon_lib's fdt reader).
 */
#pragma once

#include <stddef.h>

/** Copies @n bytes from @src to @dst (which must not overlap). Returns @dst. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

/** Copies @n bytes from @src to @dst, which may overlap. Returns @dst. */
void *memmove(void *dst, const void *src, size_t n);

/** Fills @n bytes at @dst with the byte @c. Returns @dst. */
void *memset(void *dst, int c, size_t n);

/**
 * Compares @n bytes. Returns 0 when equal, else the difference of the first
 * differing bytes as unsigned chars.
 */
int memcmp(const void *a, const void *b, size_t n);
