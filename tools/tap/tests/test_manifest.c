// SPDX-License-Identifier: BSD-2-Clause
/*
 * Manifests (manifest.h) and the registers predicted from them (predict.h).
 * A manifest the monitor would refuse, or whose measurement would be
 * ambiguous, must be refused with its line; a good one must measure to what
 * abi/measure.h says, computed here byte by byte with the monitor's own
 * SHA-384 (the tool uses OpenSSL's: two implementations, one rule).
 *
 * Threat: a tool that predicts registers for a VM the monitor measures
 * differently seals TAPs that never open (a denial of service the user
 * cannot diagnose), or hides a difference in the measurement rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "covemon/abi/measure.h"
#include "covemon/abi/tap.h"
#include "covemon/sha384.h"
#include "manifest.h"
#include "predict.h"
#include "shim/vmimage.h"
#include "test.h"

#define MAX_FILES 8

/* A temporary directory holding a manifest and the files it names. */
struct scratch {
	char dir[64];
	char files[MAX_FILES][32];
	unsigned int nfiles;
	struct manifest m;
	struct util_why why;
};

static void path_of(const struct scratch *s, const char *name, char *out, size_t cap)
{
	ASSERT_LT((size_t)snprintf(out, cap, "%s/%s", s->dir, name), cap);
}

static void put(struct scratch *s, const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	path_of(s, name, path, sizeof(path));
	f = fopen(path, "wb");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fwrite(data, 1, len, f), len);
	ASSERT_EQ(fclose(f), 0);
	for (unsigned int i = 0; i < s->nfiles; i++) {
		if (strcmp(s->files[i], name) == 0) {
			return;
		}
	}
	ASSERT_LT(s->nfiles, MAX_FILES);
	snprintf(s->files[s->nfiles++], sizeof(s->files[0]), "%s", name);
}

static void put_fdt(struct scratch *s, const char *name, unsigned int vcpus, uint64_t mem_gpa,
		    uint64_t mem_size)
{
	static uint8_t dtb[8192];
	size_t len = shim_fdt_write(dtb, sizeof(dtb), vcpus, mem_gpa, mem_size);

	ASSERT_GT(len, 0);
	put(s, name, dtb, len);
}

/* A scratch directory with guest.dtb (2 vCPUs, 1 MiB at 0x80000000) and kernel.bin. */
static void scratch_init(struct scratch *s)
{
	static uint8_t kernel[5000];

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/covemon-tap-test-XXXXXX");
	ASSERT_TRUE(mkdtemp(s->dir) != NULL);
	put_fdt(s, "guest.dtb", 2, 0x80000000, 1u << 20);
	for (size_t i = 0; i < sizeof(kernel); i++) {
		kernel[i] = (uint8_t)(i * 13 + 5);
	}
	put(s, "kernel.bin", kernel, sizeof(kernel));
}

static void scratch_fini(struct scratch *s)
{
	char path[128];

	manifest_free(&s->m);
	for (unsigned int i = 0; i < s->nfiles; i++) {
		path_of(s, s->files[i], path, sizeof(path));
		unlink(path);
	}
	rmdir(s->dir);
}

/* Writes @text as vm.manifest and parses it into s->m. */
static bool parse(struct scratch *s, const char *text)
{
	char path[128];

	put(s, "vm.manifest", text, strlen(text));
	path_of(s, "vm.manifest", path, sizeof(path));
	manifest_free(&s->m);
	return manifest_parse(path, &s->m, &s->why);
}

/* The smallest manifest the monitor accepts, for the cases below to extend. */
#define BASE                                  \
	"gstage sv39x4\n"                     \
	"map 0x80000000 64K rwx\n"            \
	"fdt 0x80008000 guest.dtb # 2 cpus\n" \
	"entry 0x80000000\n"

TEST(manifest_parse, reads_every_directive)
{
	struct scratch s;

	scratch_init(&s);
	put_fdt(&s, "three.dtb", 3, 0x80000000, 2u << 20);
	ASSERT_TRUE(parse(
		&s, "# a VM\n"
		    "gstage sv48x4\n"
		    "map 0x80010000 0x2000 r-x\n"
		    "map 0x80000000 64K rw   # listed second, sorted first\n"
		    "load 0x80010000 kernel.bin\n"
		    "fdt 0x80008000 three.dtb\n"
		    "entry 0x80010000\n"
		    "reg a0 0\n"
		    "reg a1 0x80008000\n"
		    "reg x2 12345\n"
		    "reg fp 0xffffffffffffffff\n"
		    "vsatp 0x8000000000000123\n"
		    "vsstatus 0x6000\n"
		    "vstvec 0x80010003\n"
		    "identity 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n"
		    "tap 0x80002000\n"));
	EXPECT_EQ(s.m.mode, 9);
	EXPECT_EQ(s.m.gpa_limit, UINT64_C(1) << 50);
	ASSERT_EQ(s.m.nranges, 2);
	EXPECT_EQ(s.m.range[0].gpa, 0x80000000u);
	EXPECT_EQ(s.m.range[0].perm, MANIFEST_PERM_R | MANIFEST_PERM_W);
	EXPECT_EQ(s.m.range[1].perm, MANIFEST_PERM_R | MANIFEST_PERM_X);
	EXPECT_EQ(s.m.vcpus, 3);
	EXPECT_EQ(s.m.mem_gpa, 0x80000000u);
	EXPECT_EQ(s.m.mem_size, 2u << 20);
	EXPECT_EQ(s.m.x[11], 0x80008000u);
	EXPECT_EQ(s.m.x[2], 12345);
	EXPECT_EQ(s.m.x[8], UINT64_MAX);
	EXPECT_EQ(s.m.identity[63], 0x3f);
	EXPECT_TRUE(s.m.have_tap);
	EXPECT_EQ(s.m.tap_size, COVE_TAP_MAX_SIZE);
	scratch_fini(&s);
}

TEST(manifest_page, holds_the_loaded_bytes_and_zeros_elsewhere)
{
	struct scratch s;
	static uint8_t page[MANIFEST_PAGE_SIZE];

	scratch_init(&s);
	ASSERT_TRUE(parse(&s, BASE "load 0x80000800 kernel.bin\n"));
	manifest_page(&s.m, 0x80000000, page);
	EXPECT_EQ(page[0x7ff], 0);
	EXPECT_EQ(page[0x800], 5);
	EXPECT_EQ(page[0xfff], (uint8_t)(0x7ff * 13 + 5));
	manifest_page(&s.m, 0x80001000, page);
	EXPECT_EQ(page[0], (uint8_t)(0x800 * 13 + 5));
	EXPECT_EQ(page[5000 - 0x800 - 1], (uint8_t)(4999 * 13 + 5));
	EXPECT_EQ(page[5000 - 0x800], 0);
	manifest_page(&s.m, 0x8000f000, page);
	EXPECT_EQ(page[0], 0);
	scratch_fini(&s);
}

struct bad_case {
	const char *text;
	const char *says;
};

static const struct bad_case bad_cases[] = {
	{ BASE "frob 1\n", "vm.manifest:5: unknown directive \"frob\"" },
	{ BASE "gstage sv48x4\n", "vm.manifest:5: gstage is already given on line 1" },
	{ "gstage sv32\n", "unknown G-stage mode" },
	{ BASE "map 0x8000f000 8K rwx\n", "vm.manifest:5: the range overlaps the one on line 2" },
	{ BASE "map 0x90000000 4K w\n", "write without read" },
	{ BASE "map 0x90000000 4K wx\n", "write without read" },
	{ BASE "map 0x90000800 4K r\n", "multiples of 4 KiB" },
	{ BASE "map 0x90000000 0 r\n", "multiples of 4 KiB" },
	{ BASE "map 0x90000000 4K rwxr\n", "permissions" },
	{ BASE "map 0x1fffffff000 8K r\n", "GPA limit" },
	{ BASE "map 0xfffffffffffff000 8K r\n", "wraps" },
	{ BASE "load 0x90000000 kernel.bin\n", "vm.manifest:5: " },
	{ BASE "load 0x8000f000 kernel.bin\n", "does not lie inside mapped ranges" },
	{ BASE "load 0x80007000 kernel.bin\n", "overlaps" },
	{ BASE "load 0x80000000 nothere.bin\n", "cannot open" },
	{ BASE "tap 0x80002004\n", "not 8-byte aligned" },
	{ BASE "tap 0\n", "no TAP" },
	{ BASE "tap 0x8000f000\n", "is not mapped" },
	{ BASE "tap 0x8000f000 0x1000\n", NULL }, /* a smaller window fits */
	{ BASE "tap 0x80007000\n", "overlaps" },
	{ BASE "tap 0x80002000 64\n", "TAP size" },
	{ "gstage sv39x4\nmap 0x80000000 64K x\nfdt 0x80008000 guest.dtb\nentry 0\n", "readable" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008004 guest.dtb\nentry 0\n",
	  "not 8-byte aligned" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008000 kernel.bin\nentry 0\n",
	  "not an FDT" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008000 none.dtb\nentry 0\n",
	  "cpu nodes under /cpus" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008000 nine.dtb\nentry 0\n",
	  "9 cpu nodes" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008000 far.dtb\nentry 0\n", "memory node" },
	{ "gstage sv39x4\nmap 0x80000000 64K r\nfdt 0x80008000 guest.dtb\n", "no \"entry\" line" },
	{ "gstage sv39x4\nfdt 0x80008000 guest.dtb\nentry 0\n", "no \"map\" line" },
	{ "map 0x80000000 64K r\nfdt 0x80008000 guest.dtb\nentry 0\n", "no \"gstage\" line" },
	{ BASE "reg x0 1\n", "unknown register" },
	{ BASE "reg zero 1\n", "unknown register" },
	{ BASE "reg a0 1\nreg x10 2\n", "vm.manifest:6: x10 is already set on line 5" },
	{ BASE "reg a0 -1\n", "not a number" },
	{ BASE "identity 00ff\n", "128 hex digits" },
	{ BASE "identity-file kernel.bin\n", "larger than 64 bytes" },
	{ BASE "identity-file two.bin\n", "holds 2 bytes; an identity is exactly 64" },
	{ BASE "vsatp 1 2\n", "usage: vsatp VALUE" },
	{ BASE "map 1 2 3 4 5\n", "too many fields" },
	{ BASE "entry 0x80000000\n", "already given" },
};

TEST(manifest_parse, refuses_with_the_line_and_the_problem)
{
	struct scratch s;

	scratch_init(&s);
	put_fdt(&s, "none.dtb", 0, 0x80000000, 1u << 20);
	put_fdt(&s, "nine.dtb", 9, 0x80000000, 1u << 20);
	put(&s, "two.bin", "ab", 2);
	put_fdt(&s, "far.dtb", 1, UINT64_C(1) << 41, 1u << 20); /* past the Sv39x4 limit */
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		bool ok = parse(&s, c->text);

		if (!c->says) {
			EXPECT_TRUE(ok);
			continue;
		}
		if (ok) {
			fprintf(stderr, "case %zu is accepted\n", i);
		}
		EXPECT_FALSE(ok);
		if (!ok && !strstr(s.why.text, c->says)) {
			fprintf(stderr, "case %zu: \"%s\" does not say \"%s\"\n", i, s.why.text,
				c->says);
			EXPECT_TRUE(false);
		}
	}
	scratch_fini(&s);
}

TEST(manifest_parse, refuses_binary_and_overlong_lines)
{
	static char line[MANIFEST_MAX_LINE + 2];
	struct scratch s;

	scratch_init(&s);
	put(&s, "vm.manifest", "gstage\0sv39x4\n", 14);
	char path[128];
	path_of(&s, "vm.manifest", path, sizeof(path));
	EXPECT_FALSE(manifest_parse(path, &s.m, &s.why));
	EXPECT_TRUE(strstr(s.why.text, "NUL byte") != NULL);
	memset(line, '#', sizeof(line) - 1);
	EXPECT_FALSE(parse(&s, line));
	EXPECT_TRUE(strstr(s.why.text, "longer than") != NULL);
	scratch_fini(&s);
}

TEST(predict_csrs, applies_the_sanitising_rules_of_measure_h)
{
	struct manifest m;
	struct predict_csrs c;

	memset(&m, 0, sizeof(m));
	m.vsatp = UINT64_C(9) << 60 | 0x123; /* Sv48: kept */
	m.vsstatus = UINT64_MAX;
	m.vstvec = 0x80000003; /* MODE 3 is reserved: bit 1 goes */
	predict_csrs(&m, &c);
	EXPECT_EQ(c.vsatp, UINT64_C(9) << 60 | 0x123);
	EXPECT_EQ(c.vsstatus, UINT64_C(0x3000c0162));
	EXPECT_EQ(c.vstvec, 0x80000001);
	for (uint64_t mode = 0; mode < 16; mode++) {
		bool kept = mode == 0 || mode == 8 || mode == 9 || mode == 10;

		m.vsatp = mode << 60 | 0x42;
		predict_csrs(&m, &c);
		EXPECT_EQ(c.vsatp, kept ? m.vsatp : 0);
	}
}

static void le64(struct sha384_ctx *c, uint64_t v)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	sha384_update(c, b, 8);
}

TEST(predict_registers, equals_the_rules_computed_with_the_monitors_sha384)
{
	static uint8_t page[4096];
	struct scratch s;
	struct sha384_ctx c;
	uint8_t want0[48];
	uint8_t want1[48];
	uint8_t mr0[48];
	uint8_t mr1[48];
	uint8_t dtb[8192];

	scratch_init(&s);
	put(&s, "two.bin", "\xaa\xbb", 2);
	ASSERT_TRUE(parse(&s, "gstage sv39x4\n"
			      "map 0x80001000 4K r-x\n"
			      "map 0x80000000 4K rw\n"
			      "fdt 0x80000100 guest.dtb\n"
			      "load 0x80001ffe two.bin\n"
			      "entry 0x80001000\n"
			      "reg a1 0x80000100\n"
			      "reg t6 7\n"
			      "vsstatus 0xffffffffffffffff\n"
			      "vstvec 0x2\n"
			      "vsatp 0xc000000000000001\n"
			      "tap 0x80000f00 0x100\n"));
	ASSERT_TRUE(predict_registers(&s.m, mr0, mr1, &s.why));

	/* MR0: page 0x80000000 (rw, the FDT at 0x100), then 0x80001000 (rx, aa bb at the end). */
	size_t dlen = shim_fdt_write(dtb, sizeof(dtb), 2, 0x80000000, 1u << 20);
	sha384_init(&c);
	memset(page, 0, sizeof(page));
	memcpy(page + 0x100, dtb, dlen);
	le64(&c, 0x80000000);
	le64(&c, 0x2 | 0x4);
	sha384_update(&c, page, sizeof(page));
	memset(page, 0, sizeof(page));
	page[0xffe] = 0xaa;
	page[0xfff] = 0xbb;
	le64(&c, 0x80001000);
	le64(&c, 0x2 | 0x8);
	sha384_update(&c, page, sizeof(page));
	sha384_final(&c, want0);

	/* MR1: tag, sepc, FDT, vCPUs, x1..x31, sanitised CSRs, zero identity. */
	static const uint8_t identity[64];
	sha384_init(&c);
	sha384_update(&c, "covemon-mr1-v1", 14);
	le64(&c, 0x80001000);
	le64(&c, 0x80000100);
	le64(&c, 2);
	for (unsigned int r = 1; r < 32; r++) {
		le64(&c, r == 11 ? 0x80000100 : r == 31 ? 7 : 0);
	}
	le64(&c, 0);	       /* vsatp MODE 12 is not supported: Bare */
	le64(&c, 0x3000c0162); /* vsstatus: the kept bits */
	le64(&c, 0);	       /* vstvec: bit 1 dropped */
	sha384_update(&c, identity, sizeof(identity));
	sha384_final(&c, want1);

	EXPECT_MEM_EQ(mr0, want0, 48);
	EXPECT_MEM_EQ(mr1, want1, 48);
	scratch_fini(&s);
}
