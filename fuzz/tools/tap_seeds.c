// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz-tap-seeds DIR: writes the seed corpus of the tap target, deterministic
 * byte for byte (fixed keys and IVs, tests/tap_build.c): sealed TAPs for the
 * shim's development key (so the raw path opens them), one for another
 * platform, and bare plaintexts (for the sealed path). ci/check-tap-seeds
 * (CTest fuzz.tap_seeds_current) compares fuzz/corpus/tap/ with a fresh run.
 */
#include "shim/monitor.h"
#include "tap_build.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define DEV_ROOT   ((const uint8_t *)SHIM_DEV_ATTESTATION_ROOT)
#define OTHER_ROOT ((const uint8_t *)"another-platform-root-secret-32b")

static const char *dir;

static int write_file(const char *name, const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz-tap-seeds: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int seal(const char *name, const struct tap_spec *s)
{
	static uint8_t tap[COVE_TAP_MAX_SIZE];
	size_t len = tap_build(s, tap, sizeof(tap));

	if (len == 0) {
		fprintf(stderr, "fuzz-tap-seeds: %s does not fit a TAP\n", name);
		return 1;
	}
	return write_file(name, tap, len);
}

static int plain(const char *name, const struct tap_spec *s)
{
	static uint8_t pt[COVE_TAP_MAX_PAYLOAD];
	size_t len = tap_build_plaintext(s, pt, sizeof(pt));

	return len ? write_file(name, pt, len) : 1;
}

int main(int argc, char **argv)
{
	static uint8_t big[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-tap-seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	tap_spec_init(&s, DEV_ROOT);
	s.digest_mask = 3;
	for (unsigned int i = 0; i < 48; i++) {
		s.digest[0][i] = (uint8_t)(i * 3);
		s.digest[1][i] = (uint8_t)(0xff - i);
	}
	err |= seal("digests.bin", &s);
	err |= plain("plain-digests.bin", &s);
	s.secret[0] = (struct tap_secret){ 1, "disk-key:0123456789abcdef", 25 };
	s.secret[1] = (struct tap_secret){ UINT64_C(0xfeedface00000002), "\x00\x01\x02", 3 };
	s.nsecrets = 2;
	err |= seal("digests-secrets.bin", &s);
	err |= plain("plain-digests-secrets.bin", &s);
	s.digest_mask = 2;
	err |= seal("mr1-secrets.bin", &s);
	s.roots[0] = OTHER_ROOT;
	s.roots[1] = DEV_ROOT;
	s.nroots = 2;
	err |= seal("two-lockboxes.bin", &s);
	s.nroots = 1;
	err |= seal("other-platform.bin", &s);
	s.roots[0] = DEV_ROOT;
	memset(big, 'S', sizeof(big));
	s.secret[0] = (struct tap_secret){ 3, big, COVE_TAP_MAX_SECRETS - 12 };
	s.nsecrets = 1;
	err |= seal("max-secrets.bin", &s);
	err |= plain("plain-max-secrets.bin", &s);
	return err ? 1 : 0;
}
