// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiled like the monitor's code in the libFuzzer build (ASan, with every
 * access through the tracking callbacks of track.c; CMakeLists.txt): each
 * mode makes one bad access, which ASan must still report, with the frame of
 * the function that made it first (the callbacks pass the check on as a tail
 * call). ci/tests/test_track_asan.sh runs every mode; "none" must run clean.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void probe_store(uint64_t *p, int i)
{
	p[i] = 1;
}

__attribute__((noinline)) static uint64_t probe_load(const uint64_t *p, int i)
{
	return p[i];
}

__attribute__((noinline)) static void probe_increment(uint64_t *p)
{
	*p += 1;
}

__attribute__((noinline)) static void probe_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
}

int main(int argc, char **argv)
{
	/* volatile: the compiler cannot see the index is out of bounds. */
	volatile int two = 2;
	uint8_t src[64] = { 0 };
	uint64_t *p = malloc(2 * sizeof(*p));
	const char *mode = argc > 1 ? argv[1] : "none";

	if (!p) {
		return 2;
	}
	p[0] = p[1] = 0;
	if (!strcmp(mode, "store")) {
		probe_store(p, two);
	} else if (!strcmp(mode, "load")) {
		printf("%llu\n", (unsigned long long)probe_load(p, two));
	} else if (!strcmp(mode, "increment")) {
		free(p);
		probe_increment(p); /* use after free: the load and the store of one address */
		return 0;
	} else if (!strcmp(mode, "copy")) {
		probe_copy((uint8_t *)p, src, 16 + (size_t)two);
	} else if (strcmp(mode, "none")) {
		return 2;
	} else {
		probe_store(p, 1);
		probe_increment(p);
		probe_copy((uint8_t *)p, src, 16);
		printf("%llu\n", (unsigned long long)probe_load(p, 0));
	}
	free(p);
	return 0;
}
