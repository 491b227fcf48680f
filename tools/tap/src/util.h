/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small helpers of covemon-tap: numbers and hex from the command line and
 * manifests, bounded whole-file reads, writes with a chosen mode, and the
 * message a failing function leaves for the user. Every input here comes
 * from a user or a file: parsers reject rather than truncate, and no read
 * goes past the limit its caller sets.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/** What went wrong, in words for the user; filled by the function that failed. */
struct util_why {
	char text[512];
};

/** Formats @fmt into @why (truncated to fit; @why may be NULL). */
void util_why_set(struct util_why *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Parses @s as an unsigned 64-bit number: decimal, or hexadecimal after
 * "0x"/"0X". No sign, no spaces, no empty digits. True with *@out set, false
 * (and *@out untouched) for anything else, including overflow.
 */
__attribute__((warn_unused_result)) bool util_parse_u64(const char *s, uint64_t *out);

/**
 * As util_parse_u64, with an optional binary suffix K, M or G (KiB, MiB,
 * GiB). False on overflow.
 */
__attribute__((warn_unused_result)) bool util_parse_size(const char *s, uint64_t *out);

/**
 * Decodes exactly 2 * @len hex digits (either case) of @s into @out.
 * False (with @out partly written) when @s has another length or a non-hex
 * character.
 */
__attribute__((warn_unused_result)) bool util_hex_decode(const char *s, uint8_t *out, size_t len);

/** Writes @len bytes of @p as lower-case hex to @f. */
void util_hex_print(FILE *f, const uint8_t *p, size_t len);

/** True when every byte of @p is printable ASCII (0x20..0x7e) and @len > 0. */
bool util_is_printable(const uint8_t *p, size_t len);

/**
 * Reads the whole file @path, at most @max bytes, into a fresh buffer
 * (*@data, free it with free(); never NULL on success, even for an empty
 * file) of *@len bytes. False with a message naming @path in @why when the
 * file cannot be opened or read, is not a regular file, or is larger than
 * @max.
 */
__attribute__((warn_unused_result)) bool
util_read_file(const char *path, size_t max, uint8_t **data, size_t *len, struct util_why *why);

/**
 * Writes @len bytes to @path, created with @mode (the mode is set
 * explicitly, whatever the umask). With @exclusive an existing file is an
 * error; without, it is replaced. A partly written file is removed. False
 * with a message naming @path in @why.
 */
__attribute__((warn_unused_result)) bool util_write_file(const char *path, const void *data,
							 size_t len, mode_t mode, bool exclusive,
							 struct util_why *why);

/**
 * @rel relative to the directory holding @file ("dir/manifest" and
 * "kernel.bin" give "dir/kernel.bin"); an absolute @rel is kept as it is.
 * Returns a malloc'd string, or NULL when memory cannot be had.
 */
char *util_path_beside(const char *file, const char *rel);

/** Zeroes @len bytes at @p in a way the compiler keeps (keys, secrets). */
void util_wipe(void *p, size_t len);
