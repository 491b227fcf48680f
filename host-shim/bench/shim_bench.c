// SPDX-License-Identifier: BSD-2-Clause
/*
 * Shim benchmarks (./covemon bench shim). Prints figures; asserts nothing.
 *   1. world create + destroy per second (64 MiB, 4 harts)
 *   2. fast reset of a 64 MiB world after writing 16 pages, per second
 *      (target > 100 k/s, DESIGN.md section 4), warm and cold-cache cases
 *   3. a full 64 MiB copy per second, for comparison
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shim/world.h"

#define MIB	    (UINT64_C(1) << 20)
#define WORLD_DRAM  (64 * MIB)
#define MIN_SECONDS 1.0

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct shim_world *make_world(void)
{
	struct shim_world_config cfg;
	const char *why = "?";

	shim_world_config_default(&cfg);
	cfg.harts = 4;
	cfg.dram_size = WORLD_DRAM;
	struct shim_world *w = shim_world_create(&cfg, &why);
	if (!w) {
		fprintf(stderr, "shim_bench: cannot create a world: %s\n", why);
		exit(1);
	}
	return w;
}

static void bench_create_destroy(void)
{
	unsigned long n = 0;
	double t0 = now();
	double t;

	do {
		for (int i = 0; i < 256; i++) {
			shim_world_destroy(make_world());
		}
		n += 256;
		t = now() - t0;
	} while (t < MIN_SECONDS);
	printf("  world create+destroy (64 MiB, 4 harts)   %12.0f /s   (%.2f us each)\n", n / t,
	       t / n * 1e6);
}

/*
 * Writes 16 pages, then resets. With @scatter the 16 pages move over the
 * whole 64 MiB every round (cold caches: bound by memory bandwidth); without,
 * the same 16 pages each round, as in a fuzz loop where inputs keep hitting
 * the monitor's data and the same guest pages.
 */
static void bench_reset(bool scatter)
{
	struct shim_world *w = make_world();
	uint8_t page[4096];

	/* A realistic snapshot: 2 MiB of initialised state (image, tables, data). */
	memset(page, 0xa5, sizeof(page));
	for (uint64_t off = 0; off < 2 * MIB; off += sizeof(page)) {
		shim_mem_write(&w->mem, SHIM_DRAM_BASE + off, page, sizeof(page));
	}
	if (!shim_world_snapshot(w)) {
		fprintf(stderr, "shim_bench: snapshot failed\n");
		exit(1);
	}
	unsigned long n = 0;
	double t0 = now();
	double t;
	uint64_t v = 0;

	do {
		for (uint64_t i = 0; i < 4096; i++) {
			uint64_t shift = scatter ? (n + i) * 7 : 0;
			for (uint64_t p = 0; p < 16; p++) {
				uint64_t pa = SHIM_DRAM_BASE +
					      ((p * 1021 + shift) % (WORLD_DRAM / 4096)) * 4096;
				v++;
				shim_mem_write(&w->mem, pa, &v, sizeof(v));
			}
			shim_world_reset(w);
		}
		n += 4096;
		t = now() - t0;
	} while (t < MIN_SECONDS);
	printf("  %-40s %12.0f /s   (%.2f us each)\n",
	       scatter ? "reset, 16 pages scattered anew (cold)"
		       : "reset after writing 16 pages (64 MiB)",
	       n / t, t / n * 1e6);
	shim_world_destroy(w);
}

static void bench_full_copy(void)
{
	uint8_t *a = malloc(WORLD_DRAM);
	uint8_t *b = malloc(WORLD_DRAM);

	if (!a || !b) {
		fprintf(stderr, "shim_bench: out of memory\n");
		exit(1);
	}
	memset(a, 1, WORLD_DRAM);
	memset(b, 2, WORLD_DRAM);
	unsigned long n = 0;
	double t0 = now();
	double t;

	do {
		memcpy(b, a, WORLD_DRAM);
		a[n % WORLD_DRAM] ^= b[(n * 7) % WORLD_DRAM]; /* keep the copy observable */
		n++;
		t = now() - t0;
	} while (t < MIN_SECONDS);
	printf("  full 64 MiB copy (for comparison)        %12.0f /s   (%.2f ms each)\n", n / t,
	       t / n * 1e3);
	free(a);
	free(b);
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: shim_bench\n");
		return 2;
	}
	printf("covemon shim benchmarks (one core, release build)\n");
	bench_create_destroy();
	bench_reset(false);
	bench_reset(true);
	bench_full_copy();
	return 0;
}
