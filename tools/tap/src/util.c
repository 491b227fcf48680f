// SPDX-License-Identifier: BSD-2-Clause
/* Helpers of covemon-tap: see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

void util_why_set(struct util_why *why, const char *fmt, ...)
{
	va_list ap;

	if (!why) {
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Digits of @s (up to @end) in @base into *@out; false on overflow or a bad digit. */
static bool parse_digits(const char *s, const char *end, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;

	if (s == end) {
		return false;
	}
	for (; s < end; s++) {
		int d = hex_value(*s);

		if (d < 0 || (unsigned int)d >= base) {
			return false;
		}
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v)) {
			return false;
		}
	}
	*out = v;
	return true;
}

bool util_parse_u64(const char *s, uint64_t *out)
{
	const char *end = s + strlen(s);

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		return parse_digits(s + 2, end, 16, out);
	}
	return parse_digits(s, end, 10, out);
}

bool util_parse_size(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		return parse_digits(s + 2, s + n, 16, out); /* hex: no suffix */
	}
	if (n > 1) {
		switch (s[n - 1]) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		default: break;
		}
	}
	if (!parse_digits(s, s + n - (shift ? 1 : 0), 10, &v) || v > (UINT64_MAX >> shift)) {
		return false;
	}
	*out = v << shift;
	return true;
}

bool util_hex_decode(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(s[2 * i]);
		int lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			return false;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void util_hex_print(FILE *f, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		fprintf(f, "%02x", p[i]);
	}
}

bool util_is_printable(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e) {
			return false;
		}
	}
	return len > 0;
}

bool util_read_file(const char *path, size_t max, uint8_t **data, size_t *len, struct util_why *why)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t have = 0;
	size_t cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		util_why_set(why, "cannot open %s: %s", path, strerror(errno));
		return false;
	}
	/* FIFOs are fine (process substitution for secrets); directories and devices are not. */
	if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		util_why_set(why, "%s: not a regular file", path);
		close(fd);
		return false;
	}
	for (;;) {
		if (have == cap) {
			size_t grow = cap ? cap * 2 : 4096;
			uint8_t *more;

			if (cap > max) {
				break; /* already holds more than max */
			}
			more = realloc(buf, grow);
			if (!more) {
				util_why_set(why, "%s: out of memory", path);
				goto fail;
			}
			buf = more;
			cap = grow;
		}
		ssize_t n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			util_why_set(why, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0) {
			break;
		}
		have += (size_t)n;
		if (have > max) {
			break;
		}
	}
	if (have > max) {
		util_why_set(why, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf) {
			util_why_set(why, "%s: out of memory", path);
			goto fail;
		}
	}
	close(fd);
	*data = buf;
	*len = have;
	return true;
fail:
	if (buf) {
		util_wipe(buf, cap); /* the file may have been a key or a secret */
	}
	free(buf);
	close(fd);
	return false;
}

bool util_write_file(const char *path, const void *data, size_t len, mode_t mode, bool exclusive,
		     struct util_why *why)
{
	const uint8_t *p = data;
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
	int fd = open(path, flags, mode);

	if (fd < 0) {
		util_why_set(why, "cannot create %s: %s", path, strerror(errno));
		return false;
	}
	if (fchmod(fd, mode) != 0) {
		util_why_set(why, "cannot set the mode of %s: %s", path, strerror(errno));
		goto fail;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			util_why_set(why, "cannot write %s: %s", path, strerror(errno));
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0) {
		util_why_set(why, "cannot write %s: %s", path, strerror(errno));
		(void)unlink(path);
		return false;
	}
	return true;
fail:
	close(fd);
	(void)unlink(path);
	return false;
}

char *util_path_beside(const char *file, const char *rel)
{
	const char *slash = strrchr(file, '/');
	size_t dir = slash ? (size_t)(slash - file) + 1 : 0;
	size_t rlen = strlen(rel);
	char *out;

	if (rel[0] == '/') {
		dir = 0;
	}
	out = malloc(dir + rlen + 1);
	if (!out) {
		return NULL;
	}
	memcpy(out, file, dir);
	memcpy(out + dir, rel, rlen + 1);
	return out;
}

void util_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
