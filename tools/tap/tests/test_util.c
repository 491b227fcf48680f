// SPDX-License-Identifier: BSD-2-Clause
/*
 * covemon-tap's parsers of user input (util.h, manifest_gpr): numbers,
 * sizes, hex and register names are taken whole or refused, never
 * truncated or wrapped.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "test.h"
#include "util.h"

TEST(util_parse_u64, takes_decimal_and_hex)
{
	uint64_t v = 0;

	ASSERT_TRUE(util_parse_u64("0", &v));
	EXPECT_EQ(v, 0);
	ASSERT_TRUE(util_parse_u64("18446744073709551615", &v));
	EXPECT_EQ(v, UINT64_MAX);
	ASSERT_TRUE(util_parse_u64("0xFFFFffffFFFFffff", &v));
	EXPECT_EQ(v, UINT64_MAX);
	ASSERT_TRUE(util_parse_u64("0x80000000", &v));
	EXPECT_EQ(v, 0x80000000u);
}

TEST(util_parse_u64, refuses_overflow_signs_spaces_and_empty_digits)
{
	static const char *const bad[] = {
		"",
		"18446744073709551616",
		"0x10000000000000000",
		"-1",
		"+1",
		" 1",
		"1 ",
		"0x",
		"0xg",
		"12a",
		"1e3",
		"0b1",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_FALSE(util_parse_u64(bad[i], &v));
	}
	EXPECT_EQ(v, 42); /* untouched */
}

TEST(util_parse_size, takes_binary_suffixes)
{
	uint64_t v = 0;

	ASSERT_TRUE(util_parse_size("4K", &v));
	EXPECT_EQ(v, 4096);
	ASSERT_TRUE(util_parse_size("2M", &v));
	EXPECT_EQ(v, 2u << 20);
	ASSERT_TRUE(util_parse_size("1G", &v));
	EXPECT_EQ(v, 1u << 30);
	ASSERT_TRUE(util_parse_size("0x1000", &v));
	EXPECT_EQ(v, 4096);
}

TEST(util_parse_size, refuses_overflow_and_bare_suffixes)
{
	uint64_t v;

	EXPECT_FALSE(util_parse_size("17179869184G", &v)); /* 2^34 GiB = 2^64 */
	EXPECT_FALSE(util_parse_size("K", &v));
	EXPECT_FALSE(util_parse_size("4k", &v));
	EXPECT_FALSE(util_parse_size("4KK", &v));
	EXPECT_FALSE(util_parse_size("0x1000K", &v));
}

TEST(util_hex_decode, takes_exactly_the_length_asked)
{
	uint8_t out[3];

	ASSERT_TRUE(util_hex_decode("00aBff", out, sizeof(out)));
	EXPECT_EQ(out[0], 0x00);
	EXPECT_EQ(out[1], 0xab);
	EXPECT_EQ(out[2], 0xff);
	EXPECT_FALSE(util_hex_decode("00abf", out, sizeof(out)));
	EXPECT_FALSE(util_hex_decode("00abff00", out, sizeof(out)));
	EXPECT_FALSE(util_hex_decode("00abfg", out, sizeof(out)));
}

TEST(util_path_beside, resolves_relative_to_the_manifest_directory)
{
	char *p = util_path_beside("dir/sub/vm.manifest", "kernel.bin");

	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(strcmp(p, "dir/sub/kernel.bin"), 0);
	free(p);
	p = util_path_beside("vm.manifest", "kernel.bin");
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(strcmp(p, "kernel.bin"), 0);
	free(p);
	p = util_path_beside("dir/vm.manifest", "/abs/kernel.bin");
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(strcmp(p, "/abs/kernel.bin"), 0);
	free(p);
}

TEST(util_read_file, refuses_a_file_past_its_limit)
{
	struct util_why why;
	uint8_t *data = NULL;
	size_t len = 0;
	char path[] = "/tmp/covemon-tap-test-XXXXXX";
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "12345", 5), 5);
	close(fd);
	EXPECT_FALSE(util_read_file(path, 4, &data, &len, &why));
	EXPECT_TRUE(strstr(why.text, "larger than 4 bytes") != NULL);
	ASSERT_TRUE(util_read_file(path, 5, &data, &len, &why));
	EXPECT_EQ(len, 5);
	EXPECT_MEM_EQ(data, "12345", 5);
	free(data);
	unlink(path);
}

TEST(util_read_file, refuses_a_directory)
{
	struct util_why why;
	uint8_t *data;
	size_t len;

	EXPECT_FALSE(util_read_file("/", 4096, &data, &len, &why));
	EXPECT_TRUE(strstr(why.text, "not a regular file") != NULL);
}

TEST(manifest_gpr, knows_abi_and_numeric_names)
{
	EXPECT_EQ(manifest_gpr("ra"), 1);
	EXPECT_EQ(manifest_gpr("sp"), 2);
	EXPECT_EQ(manifest_gpr("fp"), 8);
	EXPECT_EQ(manifest_gpr("s0"), 8);
	EXPECT_EQ(manifest_gpr("a0"), 10);
	EXPECT_EQ(manifest_gpr("a1"), 11);
	EXPECT_EQ(manifest_gpr("s2"), 18);
	EXPECT_EQ(manifest_gpr("s11"), 27);
	EXPECT_EQ(manifest_gpr("t3"), 28);
	EXPECT_EQ(manifest_gpr("t6"), 31);
	EXPECT_EQ(manifest_gpr("x1"), 1);
	EXPECT_EQ(manifest_gpr("x31"), 31);
}

TEST(manifest_gpr, refuses_x0_and_unknown_names)
{
	static const char *const bad[] = { "zero", "x0", "x32", "x01", "x", "a8", "X1", "pc", "" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(manifest_gpr(bad[i]), 0);
	}
}
