// SPDX-License-Identifier: BSD-2-Clause
/*
 * Replay driver: the same LLVMFuzzerTestOneInput built with the normal
 * compiler, run on files. Used by CI (seeds and regressions) and by
 * ./covemon replay. A crash or oracle failure ends the process (abort), so
 * the caller learns the verdict from the exit status; a clean run prints
 * one line per file and exits 0. A file that cannot be read is a usage
 * error (exit 2).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Targets initialise lazily on their first input (no LLVMFuzzerInitialize). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX (16u << 20)

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 2;
	}
	buf = malloc(REPLAY_MAX);
	if (!buf) {
		fclose(f);
		fprintf(stderr, "replay: out of memory\n");
		return 2;
	}
	n = fread(buf, 1, REPLAY_MAX, f);
	if (ferror(f) || (n == REPLAY_MAX && fgetc(f) != EOF)) {
		fprintf(stderr, "replay: %s is unreadable or larger than 16 MiB\n", path);
		fclose(f);
		free(buf);
		return 2;
	}
	fclose(f);
	/* Give the target an exact-size heap copy so ASan sees overreads. */
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, buf, n);
	free(buf);
	(void)LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	printf("replay: %s: ok (%zu bytes)\n", path, n);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int r = replay_file(argv[i]);
		if (r) {
			rc = r;
		}
	}
	return rc;
}
