// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz-text: the text form of fuzz inputs.
 *   fuzz-text decode FILE         print a binary input as text
 *   fuzz-text encode TEXT OUT     turn text back into a binary input
 * Bad files and flags: a message and a non-zero exit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_FILE (1u << 20)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f) {
		fprintf(stderr, "fuzz-text: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_FILE + 1);
	*len = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!buf || *len > MAX_FILE) {
		fprintf(stderr, "fuzz-text: %s: larger than 1 MiB\n", path);
		free(buf);
		return NULL;
	}
	buf[*len] = 0;
	return buf;
}

static int decode(const char *path)
{
	static struct fuzz_input in;
	size_t len;
	char *buf = slurp(path, &len);

	if (!buf) {
		return 1;
	}
	if (!fuzz_parse((const uint8_t *)buf, len, &in)) {
		fprintf(stderr, "fuzz-text: %s: not a version %d..%d input (first byte 0x%02x)\n",
			path, FUZZ_FORMAT_VERSION_MIN, FUZZ_FORMAT_VERSION,
			len ? (unsigned char)buf[0] : 0);
		free(buf);
		return 1;
	}
	fuzz_print(&in, stdout);
	free(buf);
	return 0;
}

static int encode(const char *path, const char *out_path)
{
	static struct fuzz_input in;
	static uint8_t out[1u << 16];
	const char *why = "?";
	size_t len;
	char *text = slurp(path, &len);

	if (!text) {
		return 1;
	}
	unsigned int line = fuzz_parse_text(text, &in, &why);
	free(text);
	if (line) {
		fprintf(stderr, "fuzz-text: %s:%u: %s\n", path, line, why);
		return 1;
	}
	size_t n = fuzz_serialize(&in, out, sizeof(out));
	FILE *f = fopen(out_path, "wb");
	if (!f || n > sizeof(out) || fwrite(out, 1, n, f) != n) {
		fprintf(stderr, "fuzz-text: cannot write %s\n", out_path);
		if (f) {
			fclose(f);
		}
		return 1;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "decode") == 0) {
		return decode(argv[2]);
	}
	if (argc == 4 && strcmp(argv[1], "encode") == 0) {
		return encode(argv[2], argv[3]);
	}
	fprintf(stderr, "usage: fuzz-text decode FILE | fuzz-text encode TEXT OUT\n");
	return 2;
}
