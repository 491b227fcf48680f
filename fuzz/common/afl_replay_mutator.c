// SPDX-License-Identifier: BSD-2-Clause
/*
 * An AFL++ custom mutator that does not mutate: each call hands afl-fuzz the
 * next file of a fixed list, round robin, whatever queue entry afl-fuzz is
 * working on. `./covemon bench fuzz` runs afl-fuzz with it (and
 * AFL_CUSTOM_MUTATOR_ONLY, AFL_DISABLE_TRIM) so that the AFL++ figure is
 * measured on a fixed workload, the seed corpus, as the libFuzzer figure
 * is (bench_main.c loops over the same files): every execution still goes
 * through afl-fuzz's whole path (test case into shared memory, the fork
 * server's protocol with our driver, the coverage map's classification),
 * but what is executed no longer depends on where afl-fuzz's mutations and
 * its scheduler lead. A live run from the seeds drifts within seconds to
 * inputs with several promotes of large images, and two random seeds of
 * afl-fuzz differ by 1.6 times in exec/s; the bench prints that figure too.
 *
 * COVEMON_AFL_REPLAY_DIR names the directory; its regular files are taken
 * in name order (at most REPLAY_MAX, each at most 1 MiB; dot files and
 * directories are passed over). Without it, or when no file can be read,
 * init says why and ends afl-fuzz with exit status 1: afl-fuzz 4.04 does
 * not check what init returns, and would crash in the first fuzz call. It
 * sets up its mutators before it starts the target, so nothing is left.
 *
 * The API is AFL++'s (docs/custom_mutators.md): init, fuzz_count, fuzz,
 * deinit. Built as a shared object by the bench (no AFL++ headers needed).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX  4096
#define REPLAY_SIZE (1u << 20)

struct replay {
	unsigned char *data[REPLAY_MAX];
	size_t size[REPLAY_MAX];
	unsigned int count;
	unsigned int next;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads @path whole into a new buffer; false when it is not a readable file of at most 1 MiB. */
static bool load(const char *path, unsigned char **data, size_t *size)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > REPLAY_SIZE) {
		return false;
	}
	f = fopen(path, "rb");
	if (!f) {
		return false;
	}
	*data = malloc(st.st_size ? (size_t)st.st_size : 1);
	*size = *data ? fread(*data, 1, (size_t)st.st_size, f) : 0;
	bool ok = *data && !ferror(f) && *size == (size_t)st.st_size;
	fclose(f);
	if (!ok) {
		free(*data);
	}
	return ok;
}

static void release(struct replay *r)
{
	for (unsigned int i = 0; i < r->count; i++) {
		free(r->data[i]);
	}
	free(r);
}

void *afl_custom_init(void *afl, unsigned int seed);
void *afl_custom_init(void *afl, unsigned int seed)
{
	const char *dir = getenv("COVEMON_AFL_REPLAY_DIR");
	char *names[REPLAY_MAX];
	unsigned int n = 0;
	struct replay *r;
	struct dirent *e;
	DIR *d;

	(void)afl;
	(void)seed;
	if (!dir || !*dir || !(d = opendir(dir))) {
		fprintf(stderr,
			"covemon replay mutator: COVEMON_AFL_REPLAY_DIR names no directory\n");
		exit(1);
	}
	while ((e = readdir(d)) && n < REPLAY_MAX) {
		if (e->d_name[0] != '.' && (names[n] = strdup(e->d_name))) {
			n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "covemon replay mutator: out of memory\n");
		exit(1);
	}
	for (unsigned int i = 0; i < n; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) < sizeof(path) &&
		    load(path, &r->data[r->count], &r->size[r->count])) {
			r->count++;
		}
		free(names[i]);
	}
	if (!r->count) {
		fprintf(stderr, "covemon replay mutator: no readable file in %s\n", dir);
		exit(1);
	}
	return r;
}

/* Many executions per queue entry: afl-fuzz's scheduling stays out of the figure. */
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf, size_t buf_size);
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf, size_t buf_size)
{
	(void)data;
	(void)buf;
	(void)buf_size;
	return 1u << 16;
}

size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size, unsigned char **out_buf,
		       unsigned char *add_buf, size_t add_buf_size, size_t max_size);
size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size, unsigned char **out_buf,
		       unsigned char *add_buf, size_t add_buf_size, size_t max_size)
{
	struct replay *r = data;
	unsigned int i = r->next;

	(void)buf;
	(void)buf_size;
	(void)add_buf;
	(void)add_buf_size;
	r->next = (i + 1) % r->count;
	*out_buf = r->data[i];
	return r->size[i] <= max_size ? r->size[i] : max_size;
}

void afl_custom_deinit(void *data);
void afl_custom_deinit(void *data)
{
	release(data);
}
