// SPDX-License-Identifier: BSD-2-Clause
/*
 * Tests of the emulated PMP (host-shim/include/shim/pmp.h) against the
 * privileged spec, section "Physical Memory Protection" (machine.adoc), the
 * mseccfg section of machine.adoc and smepmp.adoc.
 *
 * The shim's PMP is the hardware every isolation invariant of the fuzzer is
 * checked against: a rule it gets wrong in the permissive direction hides a
 * monitor bug that would let the host or a TVM reach confidential memory.
 */
#include "shim/pmp.h"

#include <stddef.h>

#include "test.h"

#define PMP_TEST_ENTRIES 16u

/* verdict.entry when no entry matched. */
enum { NO_ENTRY = -1 };

static struct shim_pmp pmp_fresh(unsigned int count, bool smepmp)
{
	struct shim_pmp pmp;

	shim_pmp_reset(&pmp, count, smepmp);
	return pmp;
}

/* Programs entry @i; the address goes first so a locking cfg cannot block it. */
static void pmp_set(struct shim_pmp *pmp, unsigned int i, uint8_t cfg, uint64_t pmpaddr)
{
	ASSERT_TRUE(shim_pmp_write_addr(pmp, i, pmpaddr));
	ASSERT_TRUE(shim_pmp_write_cfg(pmp, i, cfg));
}

/* pmpaddr holding physical address @pa (a TOR top or an NA4 base). */
static uint64_t pmpaddr_of(uint64_t pa)
{
	return pa >> 2;
}

/* pmpaddr of the NAPOT region [@base, @base + @size), @size a power of two >= 8. */
static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

/* The entry deciding a one-byte S-mode read at @pa, or NO_ENTRY. */
static int decider(const struct shim_pmp *pmp, uint64_t pa)
{
	return shim_pmp_check(pmp, pa, 1, SHIM_ACCESS_READ, SHIM_PRIV_S).entry;
}

static uint64_t entry_of(int entry)
{
	return (uint64_t)(int64_t)entry;
}

/*
 * The bytes around [@lo, @hi) that entry @i decides for: EDGE_BEFORE is
 * @lo - 1 (never set when @lo is 0), EDGE_FIRST @lo, EDGE_LAST @hi - 1 and
 * EDGE_AFTER @hi. An exact match is EDGES_INSIDE.
 */
enum {
	EDGE_BEFORE = 1,
	EDGE_FIRST = 2,
	EDGE_LAST = 4,
	EDGE_AFTER = 8,
	EDGES_INSIDE = EDGE_FIRST | EDGE_LAST,
};

static unsigned int edges_decided_by(const struct shim_pmp *pmp, int i, uint64_t lo, uint64_t hi)
{
	unsigned int edges = 0;

	if (lo != 0 && decider(pmp, lo - 1) == i) {
		edges |= EDGE_BEFORE;
	}
	if (decider(pmp, lo) == i) {
		edges |= EDGE_FIRST;
	}
	if (decider(pmp, hi - 1) == i) {
		edges |= EDGE_LAST;
	}
	if (decider(pmp, hi) == i) {
		edges |= EDGE_AFTER;
	}
	return edges;
}

/* ------------------------------------------------------ address matching --- */

TEST(pmp, off_entry_matches_nothing)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x1000, 0x2000), 0);
}

TEST(pmp, tor_matches_from_previous_pmpaddr_up_to_its_own)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x2000));
	EXPECT_EQ(edges_decided_by(&pmp, 1, 0x1000, 0x2000), EDGES_INSIDE);
}

TEST(pmp, tor_bottom_is_previous_pmpaddr_whatever_its_mode)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	/*
	 * Entry 0 is NA4 on [0x3000, 0x3004) and wins there; its pmpaddr still
	 * is entry 1's bottom, so entry 1 matches from 0x3004 but not below 0x3000.
	 */
	pmp_set(&pmp, 0, HAL_PMP_A_NA4, pmpaddr_of(0x3000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x5000));
	EXPECT_EQ(edges_decided_by(&pmp, 1, 0x3004, 0x5000), EDGES_INSIDE);
	EXPECT_EQ(entry_of(decider(&pmp, 0x2fff)), entry_of(NO_ENTRY));
}

TEST(pmp, tor_in_entry_0_uses_zero_as_lower_bound)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x1000));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0, 0x1000), EDGES_INSIDE);
}

TEST(pmp, tor_in_entry_0_with_zero_top_matches_nothing)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_TOR | HAL_PMP_R, 0);
	EXPECT_EQ(entry_of(decider(&pmp, 0)), entry_of(NO_ENTRY));
}

TEST(pmp, tor_with_bottom_equal_to_top_matches_nothing)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x1000));
	EXPECT_EQ(edges_decided_by(&pmp, 1, 0x1000, 0x1004), 0);
}

TEST(pmp, tor_with_bottom_above_top_matches_nothing)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	/* A wrapped interpretation would match below 0x1000 or from 0x2000 up. */
	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x2000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x1000));
	EXPECT_EQ(edges_decided_by(&pmp, 1, 0x1000, 0x2000) |
			  edges_decided_by(&pmp, 1, 0x0, 0x1000) |
			  edges_decided_by(&pmp, 1, 0x2000, 0x3000),
		  0);
}

TEST(pmp, na4_matches_exactly_four_bytes)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0x1004));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x1004, 0x1008), EDGES_INSIDE);
}

TEST(pmp, napot_of_8_bytes_matches_exactly_its_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1008, 8));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x1008, 0x1010), EDGES_INSIDE);
}

TEST(pmp, napot_of_16_bytes_matches_exactly_its_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1010, 16));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x1010, 0x1020), EDGES_INSIDE);
}

TEST(pmp, napot_of_4_kib_matches_exactly_its_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x80001000, 0x1000));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x80001000, 0x80002000), EDGES_INSIDE);
}

TEST(pmp, napot_of_2_mib_matches_exactly_its_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x80200000, 0x200000));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x80200000, 0x80400000), EDGES_INSIDE);
}

TEST(pmp, napot_of_1_gib_matches_exactly_its_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x40000000, 0x40000000));
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0x40000000, 0x80000000), EDGES_INSIDE);
}

TEST(pmp, napot_with_53_trailing_ones_matches_the_low_2_pow_56_bytes)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	const uint64_t size = UINT64_C(1) << 56;

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, (UINT64_C(1) << 53) - 1);
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0, size), EDGES_INSIDE);
}

TEST(pmp, napot_with_all_ones_pmpaddr_covers_the_whole_physical_address_space)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	unsigned __int128 lo = 1;
	unsigned __int128 hi = 0;

	/*
	 * 54 ones: a 2^57-byte region (the 2^(XLEN+3) row of the NAPOT table,
	 * for RV64's 54-bit pmpaddr), which holds every 56-bit physical address.
	 */
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, UINT64_MAX);
	ASSERT_TRUE(shim_pmp_entry_range(&pmp, 0, &lo, &hi));
	EXPECT_TRUE(lo == 0);
	EXPECT_TRUE(hi == (unsigned __int128)1 << 57);
	EXPECT_EQ(edges_decided_by(&pmp, 0, 0, UINT64_C(1) << 56) & EDGES_INSIDE, EDGES_INSIDE);
}

/* -------------------------------------------------------------- priority --- */

TEST(pmp, lower_numbered_deny_entry_overrides_later_allow_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 4, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, lower_numbered_allow_entry_overrides_later_deny_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_L, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x1000, 4, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, verdict_names_the_lowest_numbered_matching_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 3, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x0, 0x10000));
	pmp_set(&pmp, 5, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	pmp_set(&pmp, 7, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0x1000));
	EXPECT_EQ(entry_of(decider(&pmp, 0x1000)), 3);
}

/* --------------------------------------------------------- partial match --- */

/*
 * Threat: an 8-byte access that straddles the end of a small allowed window
 * must not reach the bytes beyond it just because a later, broader entry
 * would have allowed them.
 */
TEST(pmp, access_straddling_deciding_entry_fails_though_later_entry_allows_all_bytes)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0x1004));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, partial_match_is_reported_with_the_deciding_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0x1004));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	struct shim_pmp_verdict v = shim_pmp_check(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_S);
	EXPECT_TRUE(v.partial && v.entry == 0 && !v.allowed);
}

TEST(pmp, partial_match_fails_m_mode_through_unlocked_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	/* "irrespective of the L, R, W, and X bits": L=0 does not save M. */
	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X, pmpaddr_of(0x100c));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1008, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_M));
}

TEST(pmp, access_wider_than_its_na4_entry_fails_as_in_the_spec_example)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	/* The spec's example: entry on 0xC-0xF, 8-byte access to 0x8-0xF. */
	pmp_set(&pmp, 0, HAL_PMP_A_NA4 | HAL_PMP_R, pmpaddr_of(0xc));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x8, 8, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, access_spanning_two_adjacent_allowing_entries_fails)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1ffc, 8, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, access_inside_its_entry_is_not_partial)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	struct shim_pmp_verdict v = shim_pmp_check(&pmp, 0x1ff8, 8, SHIM_ACCESS_READ, SHIM_PRIV_S);
	EXPECT_TRUE(!v.partial && v.entry == 0 && v.allowed);
}

/* ------------------------------------------------- R/W/X for S and U mode --- */

/* The R/W/X encodings that are not reserved (R=0 with W=1 is reserved). */
static const uint8_t legal_rwx[] = {
	0,
	HAL_PMP_R,
	HAL_PMP_X,
	HAL_PMP_R | HAL_PMP_X,
	HAL_PMP_R | HAL_PMP_W,
	HAL_PMP_R | HAL_PMP_W | HAL_PMP_X,
};

static unsigned int rwx_set(unsigned int rwx)
{
	return 1u << rwx;
}

/* The set of legal R/W/X encodings under which @priv may perform @access. */
static unsigned int rwx_granting(enum shim_access access, enum shim_priv priv)
{
	unsigned int granting = 0;

	for (size_t k = 0; k < sizeof(legal_rwx) / sizeof(legal_rwx[0]); k++) {
		struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

		pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | legal_rwx[k], napot(0x1000, 0x1000));
		if (shim_pmp_allows(&pmp, 0x1000, 8, access, priv)) {
			granting |= rwx_set(legal_rwx[k]);
		}
	}
	return granting;
}

static unsigned int with_r(void)
{
	return rwx_set(HAL_PMP_R) | rwx_set(HAL_PMP_R | HAL_PMP_X) |
	       rwx_set(HAL_PMP_R | HAL_PMP_W) | rwx_set(HAL_PMP_R | HAL_PMP_W | HAL_PMP_X);
}

static unsigned int with_w(void)
{
	return rwx_set(HAL_PMP_R | HAL_PMP_W) | rwx_set(HAL_PMP_R | HAL_PMP_W | HAL_PMP_X);
}

static unsigned int with_x(void)
{
	return rwx_set(HAL_PMP_X) | rwx_set(HAL_PMP_R | HAL_PMP_X) |
	       rwx_set(HAL_PMP_R | HAL_PMP_W | HAL_PMP_X);
}

TEST(pmp, s_mode_read_needs_r)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_READ, SHIM_PRIV_S), with_r());
}

TEST(pmp, s_mode_write_needs_w)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_WRITE, SHIM_PRIV_S), with_w());
}

TEST(pmp, s_mode_execute_needs_x)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_EXEC, SHIM_PRIV_S), with_x());
}

TEST(pmp, u_mode_read_needs_r)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_READ, SHIM_PRIV_U), with_r());
}

TEST(pmp, u_mode_write_needs_w)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_WRITE, SHIM_PRIV_U), with_w());
}

TEST(pmp, u_mode_execute_needs_x)
{
	EXPECT_EQ(rwx_granting(SHIM_ACCESS_EXEC, SHIM_PRIV_U), with_x());
}

TEST(pmp, locked_entry_binds_s_mode_like_an_unlocked_one)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_S));
}

/* ---------------------------------------------------------------- M mode --- */

TEST(pmp, m_mode_access_matching_no_entry_succeeds)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x2000, 8, SHIM_ACCESS_EXEC, SHIM_PRIV_M));
}

TEST(pmp, m_mode_access_through_unlocked_entry_succeeds_whatever_its_rwx)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_M) &&
		    shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_M) &&
		    shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_EXEC, SHIM_PRIV_M));
}

TEST(pmp, locked_entry_denies_m_mode_the_permissions_it_lacks)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_M) ||
		     shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_EXEC, SHIM_PRIV_M));
}

TEST(pmp, locked_entry_grants_m_mode_the_permissions_it_has)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_M));
}

/* ---------------------------------------------------- S/U with no match --- */

TEST(pmp, s_mode_access_matching_no_entry_fails)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x2000, 8, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, s_and_u_access_fails_when_every_implemented_entry_is_off)
{
	struct shim_pmp pmp = pmp_fresh(1, false);

	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_S) ||
		     shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_U));
}

TEST(pmp, s_and_u_access_succeeds_when_no_entry_is_implemented)
{
	struct shim_pmp pmp = pmp_fresh(0, false);

	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_S) &&
		    shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_EXEC, SHIM_PRIV_U));
}

/* ----------------------------------------------------- locks and WARL --- */

TEST(pmp, write_to_locked_cfg_is_ignored)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	const uint8_t locked = HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R;

	pmp_set(&pmp, 0, locked, napot(0x1000, 0x1000));
	EXPECT_TRUE(!shim_pmp_write_cfg(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W) &&
		    pmp.cfg[0] == locked);
}

TEST(pmp, write_to_locked_pmpaddr_is_ignored)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_TRUE(!shim_pmp_write_addr(&pmp, 0, napot(0, 0x10000)) &&
		    pmp.addr[0] == napot(0x1000, 0x1000));
}

TEST(pmp, locked_tor_entry_freezes_the_previous_pmpaddr)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_L | HAL_PMP_R, pmpaddr_of(0x2000));
	EXPECT_TRUE(!shim_pmp_write_addr(&pmp, 0, 0) && pmp.addr[0] == pmpaddr_of(0x1000));
}

TEST(pmp, locked_napot_entry_leaves_the_previous_pmpaddr_writable)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x2000, 0x1000));
	EXPECT_TRUE(shim_pmp_write_addr(&pmp, 0, 0) && pmp.addr[0] == 0);
}

TEST(pmp, unlocked_tor_entry_leaves_the_previous_pmpaddr_writable)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_R, pmpaddr_of(0x2000));
	EXPECT_TRUE(shim_pmp_write_addr(&pmp, 0, 0) && pmp.addr[0] == 0);
}

TEST(pmp, lock_on_an_off_entry_still_locks_it)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF | HAL_PMP_L, pmpaddr_of(0x1000));
	EXPECT_FALSE(shim_pmp_write_cfg(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R) ||
		     shim_pmp_write_addr(&pmp, 0, napot(0, 0x10000)));
}

TEST(pmp, writes_to_unimplemented_entries_are_ignored)
{
	struct shim_pmp pmp = pmp_fresh(8, false);

	EXPECT_FALSE(shim_pmp_write_cfg(&pmp, 8, HAL_PMP_A_NAPOT | HAL_PMP_R) ||
		     shim_pmp_write_addr(&pmp, 8, napot(0, 0x1000)) || pmp.cfg[8] != 0 ||
		     pmp.addr[8] != 0);
}

TEST(pmp, writes_past_the_last_possible_entry_are_ignored)
{
	struct shim_pmp pmp = pmp_fresh(HAL_PMP_MAX, false);

	EXPECT_FALSE(shim_pmp_write_cfg(&pmp, HAL_PMP_MAX, HAL_PMP_R) ||
		     shim_pmp_write_addr(&pmp, HAL_PMP_MAX, 1) ||
		     shim_pmp_write_cfg(&pmp, UINT32_MAX, HAL_PMP_R));
}

TEST(pmp, reset_implements_at_most_64_entries)
{
	struct shim_pmp pmp = pmp_fresh(HAL_PMP_MAX + 1, false);

	EXPECT_EQ(pmp.count, HAL_PMP_MAX);
}

TEST(pmp, reserved_cfg_bits_5_and_6_read_as_zero)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, 0x60 | HAL_PMP_A_NA4 | HAL_PMP_R, 0);
	EXPECT_EQ(pmp.cfg[0], HAL_PMP_A_NA4 | HAL_PMP_R);
}

TEST(pmp, pmpaddr_keeps_only_physical_address_bits_55_to_2)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, UINT64_MAX);
	EXPECT_EQ(pmp.addr[0], (UINT64_C(1) << 54) - 1);
}

TEST(pmp, reset_unlocks_every_entry)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L, napot(0x1000, 0x1000));
	shim_pmp_reset(&pmp, PMP_TEST_ENTRIES, false);
	EXPECT_TRUE(shim_pmp_write_cfg(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R));
}

/* --------------------------------------------------- Smepmp: MML table --- */

/* One row of smepmp.adoc "Truth table when mseccfg.MML is set". */
struct mml_row {
	unsigned char l, r, w, x;
	const char *m_mode;  /* "rwx" with '-' for a denied access */
	const char *su_mode; /* the same for S and U */
};

static unsigned int perm_bits(const char *rwx)
{
	return (rwx[0] == 'r' ? 4u : 0u) | (rwx[1] == 'w' ? 2u : 0u) | (rwx[2] == 'x' ? 1u : 0u);
}

static unsigned int lrwx_bits(const struct mml_row *row)
{
	return (unsigned int)row->l << 3 | (unsigned int)row->r << 2 | (unsigned int)row->w << 1 |
	       row->x;
}

/* Access kinds @priv may perform in a region, as perm_bits() encodes them. */
static unsigned int perms_of(const struct shim_pmp *pmp, uint64_t pa, enum shim_priv priv)
{
	return (shim_pmp_allows(pmp, pa, 8, SHIM_ACCESS_READ, priv) ? 4u : 0u) |
	       (shim_pmp_allows(pmp, pa, 8, SHIM_ACCESS_WRITE, priv) ? 2u : 0u) |
	       (shim_pmp_allows(pmp, pa, 8, SHIM_ACCESS_EXEC, priv) ? 1u : 0u);
}

/*
 * Checks every row: the value compared is 0xLMSU, L the row's LRWX and M, S,
 * U the permissions of each mode, so a failure names its row.
 */
static void expect_mml_rows(const struct mml_row *rows, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct mml_row *row = &rows[k];
		struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);
		uint8_t cfg = (uint8_t)(HAL_PMP_A_NAPOT | (row->l ? HAL_PMP_L : 0) |
					(row->r ? HAL_PMP_R : 0) | (row->w ? HAL_PMP_W : 0) |
					(row->x ? HAL_PMP_X : 0));
		unsigned int lrwx = lrwx_bits(row);

		/*
		 * As boot firmware does: MML with RLB, so that any rule can be
		 * added under the MML encoding, then RLB cleared.
		 */
		ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MML | HAL_MSECCFG_RLB));
		pmp_set(&pmp, 0, cfg, napot(0x80000000, 0x1000));
		ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MML));
		ASSERT_EQ(pmp.mseccfg, HAL_MSECCFG_MML);
		unsigned int seen = lrwx << 12 | perms_of(&pmp, 0x80000000, SHIM_PRIV_M) << 8 |
				    perms_of(&pmp, 0x80000000, SHIM_PRIV_S) << 4 |
				    perms_of(&pmp, 0x80000000, SHIM_PRIV_U);
		unsigned int want = lrwx << 12 | perm_bits(row->m_mode) << 8 |
				    perm_bits(row->su_mode) << 4 | perm_bits(row->su_mode);
		EXPECT_EQ(seen, want);
	}
}

TEST(pmp, mml_unlocked_rules_are_enforced_on_s_u_and_denied_to_m)
{
	static const struct mml_row rows[] = {
		{ 0, 0, 0, 0, "---", "---" }, { 0, 0, 0, 1, "---", "--x" },
		{ 0, 1, 0, 0, "---", "r--" }, { 0, 1, 0, 1, "---", "r-x" },
		{ 0, 1, 1, 0, "---", "rw-" }, { 0, 1, 1, 1, "---", "rwx" },
	};

	expect_mml_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(pmp, mml_locked_rules_are_enforced_on_m_and_denied_to_s_u)
{
	static const struct mml_row rows[] = {
		{ 1, 0, 0, 0, "---", "---" }, { 1, 0, 0, 1, "--x", "---" },
		{ 1, 1, 0, 0, "r--", "---" }, { 1, 1, 0, 1, "r-x", "---" },
		{ 1, 1, 1, 0, "rw-", "---" },
	};

	expect_mml_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(pmp, mml_unlocked_write_only_encodings_are_shared_data)
{
	static const struct mml_row rows[] = {
		{ 0, 0, 1, 0, "rw-", "r--" },
		{ 0, 0, 1, 1, "rw-", "rw-" },
	};

	expect_mml_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(pmp, mml_locked_write_only_encodings_are_shared_code)
{
	static const struct mml_row rows[] = {
		{ 1, 0, 1, 0, "--x", "--x" },
		{ 1, 0, 1, 1, "r-x", "--x" },
	};

	expect_mml_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

TEST(pmp, mml_locked_rwx_is_shared_read_only_data)
{
	static const struct mml_row rows[] = {
		{ 1, 1, 1, 1, "r--", "r--" },
	};

	expect_mml_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* ------------------------------------------------ Smepmp: mseccfg rules --- */

TEST(pmp, mmwp_denies_m_mode_access_matching_no_rule)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MMWP));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_M));
}

TEST(pmp, mml_denies_m_mode_execute_matching_no_rule)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MML));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_EXEC, SHIM_PRIV_M));
}

TEST(pmp, mml_without_mmwp_lets_m_mode_read_and_write_where_no_rule_matches)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MML));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_READ, SHIM_PRIV_M) &&
		    shim_pmp_allows(&pmp, 0x1000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_M));
}

TEST(pmp, mml_and_mmwp_cannot_be_cleared)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_MML | HAL_MSECCFG_MMWP));
	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, 0));
	EXPECT_EQ(pmp.mseccfg, HAL_MSECCFG_MML | HAL_MSECCFG_MMWP);
}

TEST(pmp, mseccfg_write_is_refused_without_smepmp)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	EXPECT_TRUE(!shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB) && pmp.mseccfg == 0);
}

TEST(pmp, rlb_lets_a_locked_cfg_be_rewritten)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_write_cfg(&pmp, 0, HAL_PMP_A_OFF) && pmp.cfg[0] == HAL_PMP_A_OFF);
}

TEST(pmp, rlb_lets_a_locked_pmpaddr_be_rewritten)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	EXPECT_TRUE(shim_pmp_write_addr(&pmp, 0, napot(0x2000, 0x1000)) &&
		    pmp.addr[0] == napot(0x2000, 0x1000));
}

TEST(pmp, rlb_lets_the_bottom_of_a_locked_tor_rule_be_rewritten)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR | HAL_PMP_L | HAL_PMP_R, pmpaddr_of(0x2000));
	EXPECT_TRUE(shim_pmp_write_addr(&pmp, 0, 0) && pmp.addr[0] == 0);
}

TEST(pmp, rlb_can_be_set_while_no_entry_is_locked)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x1000, 0x1000));
	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	EXPECT_EQ(pmp.mseccfg, HAL_MSECCFG_RLB);
}

TEST(pmp, rlb_cannot_be_set_again_once_cleared_while_an_entry_is_locked)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L | HAL_PMP_R, napot(0x1000, 0x1000));
	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, 0));
	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	EXPECT_EQ(pmp.mseccfg, 0);
}

TEST(pmp, rlb_cannot_be_set_while_a_disabled_entry_is_locked)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);

	pmp_set(&pmp, 5, HAL_PMP_A_OFF | HAL_PMP_L, 0);
	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, HAL_MSECCFG_RLB));
	EXPECT_EQ(pmp.mseccfg, 0);
}

/* Outcome of a pmpcfg write: the return value must agree with the register. */
enum rule_write {
	RULE_TAKEN,	   /* returned true, pmpcfg holds the new value */
	RULE_IGNORED,	   /* returned false, pmpcfg unchanged */
	RULE_INCONSISTENT, /* return value and register disagree */
};

/* Writes @cfg as a NAPOT rule to entry 0 after setting mseccfg to @mseccfg. */
static enum rule_write mml_add_rule(uint8_t cfg, uint64_t mseccfg)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, true);
	const uint8_t want = (uint8_t)(HAL_PMP_A_NAPOT | cfg);

	ASSERT_TRUE(shim_pmp_write_mseccfg(&pmp, mseccfg));
	ASSERT_TRUE(shim_pmp_write_addr(&pmp, 0, napot(0x1000, 0x1000)));
	bool taken = shim_pmp_write_cfg(&pmp, 0, want);

	if (taken && pmp.cfg[0] == want) {
		return RULE_TAKEN;
	}
	if (!taken && pmp.cfg[0] == 0) {
		return RULE_IGNORED;
	}
	return RULE_INCONSISTENT;
}

TEST(pmp, mml_ignores_adding_a_locked_executable_m_only_rule)
{
	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_X, HAL_MSECCFG_MML), RULE_IGNORED);
	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_R | HAL_PMP_X, HAL_MSECCFG_MML), RULE_IGNORED);
}

TEST(pmp, mml_ignores_adding_a_locked_shared_code_rule)
{
	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_W, HAL_MSECCFG_MML), RULE_IGNORED);
	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_W | HAL_PMP_X, HAL_MSECCFG_MML), RULE_IGNORED);
}

TEST(pmp, mml_accepts_rules_that_give_m_mode_no_execute)
{
	static const uint8_t cfgs[] = {
		HAL_PMP_L,
		HAL_PMP_L | HAL_PMP_R,
		HAL_PMP_L | HAL_PMP_R | HAL_PMP_W,
		HAL_PMP_L | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X,
		HAL_PMP_X,
		HAL_PMP_R | HAL_PMP_W | HAL_PMP_X,
		HAL_PMP_W | HAL_PMP_X,
	};

	for (size_t k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
		/* cfg in the high byte so that a failure names it */
		EXPECT_EQ((unsigned int)cfgs[k] << 8 | mml_add_rule(cfgs[k], HAL_MSECCFG_MML),
			  (unsigned int)cfgs[k] << 8 | RULE_TAKEN);
	}
}

TEST(pmp, rlb_lifts_the_mml_ban_on_locked_executable_rules)
{
	const uint64_t mml_rlb = HAL_MSECCFG_MML | HAL_MSECCFG_RLB;

	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_X, mml_rlb), RULE_TAKEN);
	EXPECT_EQ(mml_add_rule(HAL_PMP_L | HAL_PMP_W, mml_rlb), RULE_TAKEN);
}

/* ---------------------------------------------- shim_pmp_any_byte_allowed --- */

TEST(pmp, any_byte_allowed_finds_a_witness_where_an_allowing_entry_covers_the_range_end)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	uint64_t witness = 0;

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&pmp, 0x1000, 0x1800, SHIM_ACCESS_READ, SHIM_PRIV_S,
					      &witness));
	EXPECT_TRUE(witness >= 0x2000 && witness < 0x2800 &&
		    shim_pmp_allows(&pmp, witness, 1, SHIM_ACCESS_READ, SHIM_PRIV_S));
}

TEST(pmp, any_byte_allowed_finds_bytes_a_higher_priority_deny_entry_leaves_open)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	uint64_t witness = 0;

	pmp_set(&pmp, 0, HAL_PMP_A_NA4, pmpaddr_of(0x2000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 8));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&pmp, 0x2000, 8, SHIM_ACCESS_READ, SHIM_PRIV_S,
					      &witness));
	EXPECT_TRUE(witness >= 0x2004 && witness < 0x2008);
}

TEST(pmp, any_byte_allowed_is_false_when_the_whole_range_is_denied)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x0, 0x10000));
	EXPECT_FALSE(shim_pmp_any_byte_allowed(&pmp, 0x1000, 0x3000, SHIM_ACCESS_WRITE, SHIM_PRIV_S,
					       NULL));
}

TEST(pmp, any_byte_allowed_is_false_for_a_range_ending_where_an_allowing_region_starts)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	EXPECT_FALSE(shim_pmp_any_byte_allowed(&pmp, 0x1000, 0x1000, SHIM_ACCESS_READ, SHIM_PRIV_S,
					       NULL));
}

TEST(pmp, any_byte_allowed_is_false_for_a_range_starting_where_an_allowing_region_ends)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	EXPECT_FALSE(shim_pmp_any_byte_allowed(&pmp, 0x3000, 0x1000, SHIM_ACCESS_READ, SHIM_PRIV_S,
					       NULL));
}

TEST(pmp, any_byte_allowed_sees_a_single_allowed_byte_at_the_range_end)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	uint64_t witness = 0;

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&pmp, 0x1000, 0x1001, SHIM_ACCESS_READ, SHIM_PRIV_S,
					      &witness));
	EXPECT_EQ(witness, 0x2000);
}

TEST(pmp, any_byte_allowed_is_false_for_an_empty_range)
{
	struct shim_pmp pmp = pmp_fresh(0, false);

	/* With no entries every byte is allowed, yet no byte is in the range. */
	EXPECT_FALSE(
		shim_pmp_any_byte_allowed(&pmp, 0x1000, 0, SHIM_ACCESS_READ, SHIM_PRIV_S, NULL));
}

TEST(pmp, any_byte_allowed_does_not_wrap_a_range_past_the_top_of_the_address_space)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	/* Wrapped, [2^64 - 8, 2^64 + 8) would include the allowed bytes at 0. */
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x0, 0x1000));
	EXPECT_FALSE(shim_pmp_any_byte_allowed(&pmp, UINT64_MAX - 7, 16, SHIM_ACCESS_READ,
					       SHIM_PRIV_S, NULL));
}

TEST(pmp, any_byte_allowed_reaches_the_last_byte_of_the_address_space)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	uint64_t witness = 0;

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_L, napot(0x0, 0x1000));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&pmp, UINT64_MAX, 1, SHIM_ACCESS_READ, SHIM_PRIV_M,
					      &witness));
	EXPECT_EQ(witness, UINT64_MAX);
}

TEST(pmp, any_byte_allowed_keeps_the_part_of_an_overlong_range_below_2_pow_64)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);
	uint64_t witness = 0;

	/* base + len is 2^64 + 0xfff: truncated, the range would look empty. */
	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_R, napot(0x2000, 0x1000));
	ASSERT_TRUE(shim_pmp_any_byte_allowed(&pmp, 0x1000, UINT64_MAX, SHIM_ACCESS_READ,
					      SHIM_PRIV_S, &witness));
	EXPECT_TRUE(witness >= 0x2000 && witness < 0x3000);
}

/* ------------------------------------------------- shim_pmp_entry_range --- */

/* Bounds of entry @i truncated to 64 bits, or UINT64_MAX when it matches nothing. */
static uint64_t range_lo(const struct shim_pmp *pmp, unsigned int i)
{
	unsigned __int128 lo = 0;
	unsigned __int128 hi = 0;

	if (!shim_pmp_entry_range(pmp, i, &lo, &hi)) {
		return UINT64_MAX;
	}
	return (uint64_t)lo;
}

static uint64_t range_hi(const struct shim_pmp *pmp, unsigned int i)
{
	unsigned __int128 lo = 0;
	unsigned __int128 hi = 0;

	if (!shim_pmp_entry_range(pmp, i, &lo, &hi)) {
		return UINT64_MAX;
	}
	return (uint64_t)hi;
}

TEST(pmp, entry_range_of_tor_runs_from_previous_pmpaddr_to_its_own)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x1000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR, pmpaddr_of(0x3000));
	EXPECT_TRUE(range_lo(&pmp, 1) == 0x1000 && range_hi(&pmp, 1) == 0x3000);
}

TEST(pmp, entry_range_of_tor_in_entry_0_starts_at_zero)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_TOR, pmpaddr_of(0x3000));
	EXPECT_TRUE(range_lo(&pmp, 0) == 0 && range_hi(&pmp, 0) == 0x3000);
}

TEST(pmp, entry_range_of_na4_is_four_bytes)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NA4, pmpaddr_of(0x1234));
	EXPECT_TRUE(range_lo(&pmp, 0) == 0x1234 && range_hi(&pmp, 0) == 0x1238);
}

TEST(pmp, entry_range_of_napot_is_its_aligned_power_of_two_region)
{
	struct shim_pmp pmp = pmp_fresh(PMP_TEST_ENTRIES, false);

	pmp_set(&pmp, 0, HAL_PMP_A_NAPOT, napot(0x80200000, 0x200000));
	EXPECT_TRUE(range_lo(&pmp, 0) == 0x80200000 && range_hi(&pmp, 0) == 0x80400000);
}

TEST(pmp, entry_range_is_empty_for_off_empty_tor_and_unimplemented_entries)
{
	struct shim_pmp pmp = pmp_fresh(4, false);
	unsigned __int128 lo = 0;
	unsigned __int128 hi = 0;

	pmp_set(&pmp, 0, HAL_PMP_A_OFF, pmpaddr_of(0x2000));
	pmp_set(&pmp, 1, HAL_PMP_A_TOR, pmpaddr_of(0x1000));
	EXPECT_FALSE(shim_pmp_entry_range(&pmp, 0, &lo, &hi) ||
		     shim_pmp_entry_range(&pmp, 1, &lo, &hi) ||
		     shim_pmp_entry_range(&pmp, 4, &lo, &hi));
}

/* QEMU 7.2's choice, measured by the fidelity check (case pmp.reserved_w). */
TEST(pmp, reserved_write_only_encoding_is_kept_and_grants_exactly_its_bits_without_mml)
{
	struct shim_pmp pmp;

	shim_pmp_reset(&pmp, 16, false);
	ASSERT_TRUE(shim_pmp_write_addr(&pmp, 0, UINT64_MAX));
	ASSERT_TRUE(shim_pmp_write_cfg(&pmp, 0, HAL_PMP_A_NAPOT | HAL_PMP_W | HAL_PMP_X));
	EXPECT_EQ(pmp.cfg[0], HAL_PMP_A_NAPOT | HAL_PMP_W | HAL_PMP_X);
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x80000000, 8, SHIM_ACCESS_WRITE, SHIM_PRIV_U));
	EXPECT_FALSE(shim_pmp_allows(&pmp, 0x80000000, 8, SHIM_ACCESS_READ, SHIM_PRIV_U));
	EXPECT_TRUE(shim_pmp_allows(&pmp, 0x80000000, 4, SHIM_ACCESS_EXEC, SHIM_PRIV_U));
}

TEST(pmp, entry_range_ignores_address_bits_above_55_written_directly)
{
	struct shim_pmp pmp;
	unsigned __int128 lo;
	unsigned __int128 hi;

	shim_pmp_reset(&pmp, 16, false);
	pmp.cfg[0] = HAL_PMP_A_NAPOT | HAL_PMP_R;
	pmp.addr[0] = UINT64_MAX; /* bypassing the CSR write's mask */
	ASSERT_TRUE(shim_pmp_entry_range(&pmp, 0, &lo, &hi));
	EXPECT_EQ((uint64_t)lo, 0);
	EXPECT_EQ((uint64_t)(hi >> 57), 1);
}

/*
 * shim_pmp_check reads ranges decoded when the registers were written: after
 * any sequence of writes (ignored ones, locks, RLB, TOR bases, resets) every
 * entry's cached range is what its registers decode to now.
 */
TEST(pmp, cached_ranges_follow_every_write)
{
	struct shim_pmp pmp;
	uint64_t x = 0x9E3779B97F4A7C15u;
	unsigned int mismatches = 0;

	shim_pmp_reset(&pmp, 16, true);
	for (unsigned int step = 0; step < 20000; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned int i = (unsigned int)(x >> 8) % 18; /* 16, 17: not implemented */
		uint64_t v = x >> 20;
		switch (x % 8) {
		case 0:
		case 1:
		case 2: (void)shim_pmp_write_cfg(&pmp, i, (uint8_t)(x >> 32)); break;
		case 3:
		case 4: (void)shim_pmp_write_addr(&pmp, i, v); break;
		case 5:
			(void)shim_pmp_write_addr(&pmp, i,
						  (v & 0xFFFF) | ((UINT64_C(1) << (x % 40)) - 1));
			break;
		case 6: (void)shim_pmp_write_mseccfg(&pmp, x >> 40); break;
		default:
			if (x % 64 == 7) {
				shim_pmp_reset(&pmp, 8 + (unsigned int)(x >> 50) % 9,
					       (x >> 49) & 1);
			}
		}
		for (unsigned int e = 0; e < HAL_PMP_MAX; e++) {
			unsigned __int128 lo = 0;
			unsigned __int128 hi = 0;
			if (!shim_pmp_entry_range(&pmp, e, &lo, &hi)) {
				lo = hi = 0;
			}
			mismatches += pmp.lo[e] != (uint64_t)lo || pmp.hi[e] != (uint64_t)hi ||
				      (hi >> 64) != 0;
		}
	}
	EXPECT_EQ(mismatches, 0);
}

/*
 * shim_pmp_same_registers stands for "the same PMP" in the fuzz oracle's I1
 * shortcut: a register it ignored would let a changed PMP keep an old verdict.
 * Each register of each implemented entry, the count and mseccfg must count.
 */
TEST(pmp, same_registers_tells_apart_a_change_of_any_register)
{
	struct shim_pmp a = pmp_fresh(PMP_TEST_ENTRIES, true);
	struct shim_pmp b = a;

	EXPECT_TRUE(shim_pmp_same_registers(&a, &b));
	for (unsigned int i = 0; i < PMP_TEST_ENTRIES; i++) {
		b = a;
		ASSERT_TRUE(shim_pmp_write_addr(&b, i, 0x1234));
		EXPECT_FALSE(shim_pmp_same_registers(&a, &b));
		b = a;
		ASSERT_TRUE(shim_pmp_write_cfg(&b, i, HAL_PMP_R));
		EXPECT_FALSE(shim_pmp_same_registers(&a, &b));
	}
	b = a;
	ASSERT_TRUE(shim_pmp_write_mseccfg(&b, 4)); /* RLB */
	EXPECT_FALSE(shim_pmp_same_registers(&a, &b));
	b = pmp_fresh(PMP_TEST_ENTRIES - 1, true);
	EXPECT_FALSE(shim_pmp_same_registers(&a, &b));
	b = pmp_fresh(PMP_TEST_ENTRIES, false);
	EXPECT_FALSE(shim_pmp_same_registers(&a, &b));
	/* Registers past the implemented count are not part of the PMP. */
	b = a;
	b.addr[PMP_TEST_ENTRIES] = 0x5678;
	b.cfg[PMP_TEST_ENTRIES] = 0xFF;
	EXPECT_TRUE(shim_pmp_same_registers(&a, &b));
}
