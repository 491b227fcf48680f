/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * covemon's in-tree test framework for host tests.
 *
 *   TEST(pmp, lowest_numbered_entry_wins) { EXPECT_EQ(a, b); ASSERT_TRUE(p); }
 *
 * Every TEST registers itself at load time. A test binary built from one or
 * more test files links testing/test_main.c and understands:
 *   --list             print "suite.name" for every test, one per line
 *   --run suite.name   run one test
 *   (no argument)      run every test
 * CTest runs each test in its own process (see cmake/CovemonTest.cmake).
 *
 * EXPECT_* records a failure and continues; ASSERT_* records a failure and
 * ends the test at once (through test_fail_fatal(), a noreturn function, so no
 * macro hides a return). Each failure prints file:line and both values.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** splitmix64: a test's random cases, the same on every run for one seed. */
static inline uint64_t test_rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/** @len bytes of test_rng_next into @buf. */
static inline void test_rng_fill(uint64_t *state, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)test_rng_next(state);
	}
}

struct test_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

/** Adds a test to the registry; called from TEST's constructor. */
void test_register(struct test_case *tc);

/** Records a failed check; returns nothing, the test goes on. */
void test_fail(const char *file, int line, const char *what, const char *detail);

/** Records a failed check and ends the current test. */
_Noreturn void test_fail_fatal(const char *file, int line, const char *what, const char *detail);

/** Records a failed comparison of two unsigned 64-bit values. */
void test_fail_u64(const char *file, int line, const char *expr, const char *op, uint64_t a,
		   uint64_t b, bool fatal);

/** Number of checks evaluated in the current test (a test with none fails). */
extern unsigned long test_checks;

#define TEST(suite, name)                                                                    \
	static void test_##suite##__##name(void);                                            \
	static struct test_case test_case_##suite##__##name = { #suite, #name,               \
								test_##suite##__##name, 0 }; \
	__attribute__((constructor)) static void test_reg_##suite##__##name(void)            \
	{                                                                                    \
		test_register(&test_case_##suite##__##name);                                 \
	}                                                                                    \
	static void test_##suite##__##name(void)

#define TEST_CMP_(a, op, b, fatal)                                                         \
	do {                                                                               \
		uint64_t test_a_ = (uint64_t)(a);                                          \
		uint64_t test_b_ = (uint64_t)(b);                                          \
		test_checks++;                                                             \
		if (!(test_a_ op test_b_)) {                                               \
			test_fail_u64(__FILE__, __LINE__, #a " " #op " " #b, #op, test_a_, \
				      test_b_, fatal);                                     \
		}                                                                          \
	} while (0)

#define TEST_TRUE_(c, fatal)                                                         \
	do {                                                                         \
		test_checks++;                                                       \
		if (!(c)) {                                                          \
			if (fatal) {                                                 \
				test_fail_fatal(__FILE__, __LINE__, #c, "is false"); \
			} else {                                                     \
				test_fail(__FILE__, __LINE__, #c, "is false");       \
			}                                                            \
		}                                                                    \
	} while (0)

#define EXPECT_EQ(a, b) TEST_CMP_(a, ==, b, false)
#define EXPECT_NE(a, b) TEST_CMP_(a, !=, b, false)
#define EXPECT_LT(a, b) TEST_CMP_(a, <, b, false)
#define EXPECT_LE(a, b) TEST_CMP_(a, <=, b, false)
#define EXPECT_GT(a, b) TEST_CMP_(a, >, b, false)
#define EXPECT_GE(a, b) TEST_CMP_(a, >=, b, false)
#define EXPECT_TRUE(c)	TEST_TRUE_((c), false)
#define EXPECT_FALSE(c) TEST_TRUE_(!(c), false)
#define ASSERT_EQ(a, b) TEST_CMP_(a, ==, b, true)
#define ASSERT_NE(a, b) TEST_CMP_(a, !=, b, true)
#define ASSERT_LT(a, b) TEST_CMP_(a, <, b, true)
#define ASSERT_LE(a, b) TEST_CMP_(a, <=, b, true)
#define ASSERT_GT(a, b) TEST_CMP_(a, >, b, true)
#define ASSERT_GE(a, b) TEST_CMP_(a, >=, b, true)
#define ASSERT_TRUE(c)	TEST_TRUE_((c), true)
#define ASSERT_FALSE(c) TEST_TRUE_(!(c), true)

/** Byte-wise comparison of two buffers; prints the first differing offset. */
#define EXPECT_MEM_EQ(a, b, n) test_expect_mem_eq(__FILE__, __LINE__, #a, (a), (b), (n))
void test_expect_mem_eq(const char *file, int line, const char *what, const void *a, const void *b,
			size_t n);

/**
 * Runs @fn(@arg) in a child process; true when the child aborted (SIGABRT)
 * with @message in what it wrote to stderr. For code that must abort: a
 * panic, an oracle's verdict.
 */
bool test_child_aborts(void (*fn)(void *), void *arg, const char *message);
