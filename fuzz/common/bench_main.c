// SPDX-License-Identifier: BSD-2-Clause
/*
 * Benchmark driver: the target's LLVMFuzzerTestOneInput in a timed loop over
 * the given files (round robin) on one core, built with the same sanitizers
 * and instrumentation as the fuzzing build. Prints executions per second.
 * Usage: bench_<target> SECONDS FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blob {
	uint8_t *data;
	size_t size;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct blob b[256];
	int n = 0;

	if (argc < 3 || atof(argv[1]) <= 0) {
		fprintf(stderr, "usage: %s SECONDS FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc && n < 256; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[i]);
			return 2;
		}
		b[n].data = malloc(1u << 20);
		b[n].size = fread(b[n].data, 1, 1u << 20, f);
		fclose(f);
		n++;
	}
	double seconds = atof(argv[1]);
	unsigned long runs = 0;
	double t0 = now();
	double t;
	do {
		for (int k = 0; k < 64; k++) {
			(void)LLVMFuzzerTestOneInput(b[runs % (unsigned long)n].data,
						     b[runs % (unsigned long)n].size);
			runs++;
		}
		t = now() - t0;
	} while (t < seconds);
	printf("%.0f exec/s (%lu executions of %d input(s) in %.1f s)\n", runs / t, runs, n, t);
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		free(b[i].data);
	}
	return 0;
}
