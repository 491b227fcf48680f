// SPDX-License-Identifier: BSD-2-Clause
/*
 * The sealer (OpenSSL) against the monitor's opener (covemon/tap.h): what
 * covemon-tap seals, tap_open must open to exactly the records sealed; what
 * breaks a limit of abi/tap.h is refused before anything is written; and
 * no single altered bit of a sealed TAP opens.
 *
 * Threat: a sealer that disagrees with the monitor on one byte of the
 * format (key derivation, AAD, record layout) fails every attestation, or
 * worse, a lenient opener that accepts what the sealer never produced.
 */
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/tap.h"
#include "keys.h"
#include "tapfile.h"
#include "test.h"

#define DEV_ROOT "covemon-shim-insecure-dev-root!!"

static uint8_t roots[COVE_TAP_MAX_LOCKBOXES + 1][KEYS_ROOT_SIZE];
static uint8_t tap[COVE_TAP_MAX_SIZE];
static uint8_t secrets[COVE_TAP_MAX_SECRETS];

static void make_roots(void)
{
	memcpy(roots[0], DEV_ROOT, KEYS_ROOT_SIZE);
	for (unsigned int i = 1; i < sizeof(roots) / sizeof(roots[0]); i++) {
		for (unsigned int b = 0; b < KEYS_ROOT_SIZE; b++) {
			roots[i][b] = (uint8_t)(i * 37 + b * 11 + 1);
		}
	}
}

/* A request for @nroots roots, both digests (0x11.., 0x22..), no secrets. */
static struct tapfile_request request(unsigned int nroots)
{
	struct tapfile_request r = { .roots = roots, .nroots = nroots, .digest_mask = 3 };

	make_roots();
	memset(r.digest[0], 0x11, sizeof(r.digest[0]));
	memset(r.digest[1], 0x22, sizeof(r.digest[1]));
	return r;
}

static mon_err_t open_with(const uint8_t root[KEYS_ROOT_SIZE], uint8_t *t, size_t len,
			   struct tap_contents *c)
{
	struct tap_platform_key key;

	ASSERT_EQ(tap_derive_platform_key(root, &key), MON_OK);
	return tap_open(&key, t, len, c, secrets);
}

TEST(keys_derive, agrees_with_the_monitor)
{
	struct tap_platform_key theirs;
	struct keys_platform mine;
	struct util_why why;

	make_roots();
	for (unsigned int i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		ASSERT_TRUE(keys_derive(roots[i], &mine, &why));
		ASSERT_EQ(tap_derive_platform_key(roots[i], &theirs), MON_OK);
		EXPECT_MEM_EQ(mine.lockbox_key, theirs.lockbox_key, sizeof(mine.lockbox_key));
		EXPECT_MEM_EQ(mine.key_id, theirs.key_id, sizeof(mine.key_id));
	}
}

TEST(tapfile_seal, opens_with_the_monitor_to_the_records_sealed)
{
	static const uint8_t bin[] = { 0, 1, 2, 0xff, 0x80 };
	const struct tapfile_secret s[2] = {
		{ 0x1, (const uint8_t *)"hello", 5 },
		{ UINT64_C(0xfedcba9876543210), bin, sizeof(bin) },
	};
	/* What retrieve_secret hands the TVM: the records, heads and names included. */
	static const uint8_t expect[] = {
		2,    0,    13,	  0,	1,    0, 0, 0,	0,    0,    0,	  0,
		'h',  'e',  'l',  'l',	'o',  2, 0, 13, 0,    0x10, 0x32, 0x54,
		0x76, 0x98, 0xba, 0xdc, 0xfe, 0, 1, 2,	0xff, 0x80,
	};
	struct tapfile_request r = request(1);
	struct tap_contents c;
	struct util_why why;
	size_t len = 0;

	r.secrets = s;
	r.nsecrets = 2;
	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	ASSERT_EQ(open_with(roots[0], tap, len, &c), MON_OK);
	EXPECT_EQ(c.digest_mask, 3);
	EXPECT_MEM_EQ(c.digest[0], r.digest[0], 48);
	EXPECT_MEM_EQ(c.digest[1], r.digest[1], 48);
	ASSERT_EQ(c.secrets_len, sizeof(expect));
	EXPECT_MEM_EQ(secrets, expect, sizeof(expect));
}

TEST(tapfile_seal, every_lockbox_opens)
{
	struct tapfile_request r = request(COVE_TAP_MAX_LOCKBOXES);
	struct tap_contents c;
	struct util_why why;
	static uint8_t copy[COVE_TAP_MAX_SIZE];
	size_t len = 0;

	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	for (unsigned int i = 0; i < COVE_TAP_MAX_LOCKBOXES; i++) {
		memcpy(copy, tap, len);
		EXPECT_EQ(open_with(roots[i], copy, len, &c), MON_OK);
	}
	memcpy(copy, tap, len);
	EXPECT_EQ(open_with(roots[COVE_TAP_MAX_LOCKBOXES], copy, len, &c), MON_ERR_AUTH);
}

TEST(tapfile_seal, draws_fresh_keys_and_ivs)
{
	static uint8_t again[COVE_TAP_MAX_SIZE];
	struct tapfile_request r = request(1);
	struct util_why why;
	size_t len = 0;
	size_t len2 = 0;

	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	ASSERT_TRUE(tapfile_seal(&r, again, &len2, &why));
	ASSERT_EQ(len, len2);
	EXPECT_TRUE(memcmp(tap, again, len) != 0);
}

TEST(tapfile_seal, no_single_bit_flip_opens)
{
	static uint8_t copy[COVE_TAP_MAX_SIZE];
	const struct tapfile_secret s = { 7, (const uint8_t *)"x", 1 };
	struct tapfile_request r = request(2);
	struct tap_contents c;
	struct util_why why;
	size_t len = 0;
	unsigned int opened = 0;

	r.secrets = &s;
	r.nsecrets = 1;
	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	for (size_t i = 0; i < len; i++) {
		memcpy(copy, tap, len);
		copy[i] ^= (uint8_t)(1u << (i % 8));
		mon_err_t err = open_with(roots[0], copy, len, &c);
		opened += err == MON_OK;
		EXPECT_TRUE(err == MON_ERR_AUTH || err == MON_ERR_INVALID_PARAM);
	}
	EXPECT_EQ(opened, 0);
}

/* inspect prints what tap_open leaves: after a failure that must be nothing (covemon/tap.h). */
TEST(tapfile_seal, a_refused_tap_leaves_nothing_in_the_outputs)
{
	static const uint8_t zero[COVE_TAP_MAX_SECRETS];
	const struct tapfile_secret s = { 3, (const uint8_t *)"secret", 6 };
	struct tapfile_request r = request(1);
	struct tap_contents c;
	struct util_why why;
	size_t len = 0;

	r.secrets = &s;
	r.nsecrets = 1;
	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	memset(secrets, 0xaa, sizeof(secrets));
	memset(&c, 0xaa, sizeof(c));
	EXPECT_EQ(open_with(roots[1], tap, len, &c), MON_ERR_AUTH);
	EXPECT_MEM_EQ(secrets, zero, sizeof(secrets));
	EXPECT_EQ(c.digest_mask, 0);
	EXPECT_EQ(c.secrets_len, 0);
	EXPECT_MEM_EQ(c.digest, zero, sizeof(c.digest));
}

TEST(tapfile_seal, fills_the_secret_limit_exactly)
{
	static uint8_t value[COVE_TAP_MAX_SECRETS];
	struct tapfile_secret s = { 1, value, COVE_TAP_MAX_SECRETS - 12 };
	struct tapfile_request r = request(1);
	struct tap_contents c;
	struct util_why why;
	size_t len = 0;

	memset(value, 'v', sizeof(value));
	r.secrets = &s;
	r.nsecrets = 1;
	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	ASSERT_EQ(open_with(roots[0], tap, len, &c), MON_OK);
	EXPECT_EQ(c.secrets_len, COVE_TAP_MAX_SECRETS);
	s.len++;
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	EXPECT_TRUE(strstr(why.text, "more than 4096 bytes") != NULL);
}

TEST(tapfile_seal, refuses_requests_outside_the_format)
{
	const struct tapfile_secret empty = { 1, (const uint8_t *)"", 0 };
	const struct tapfile_secret twice[2] = { { 5, (const uint8_t *)"a", 1 },
						 { 5, (const uint8_t *)"b", 1 } };
	struct util_why why;
	size_t len = 0;
	struct tapfile_request r;

	r = request(0);
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	r = request(COVE_TAP_MAX_LOCKBOXES + 1);
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	r = request(1);
	r.digest_mask = 0;
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	r = request(1);
	r.digest_mask = 4; /* MR2 is a runtime register */
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	r = request(1);
	r.secrets = &empty;
	r.nsecrets = 1;
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	r = request(1);
	r.secrets = twice;
	r.nsecrets = 2;
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	EXPECT_EQ(len, 0);
}

TEST(tapfile_seal, refuses_the_same_platform_twice)
{
	static uint8_t same[2][KEYS_ROOT_SIZE];
	struct tapfile_request r = request(1);
	struct util_why why;
	size_t len = 0;

	memcpy(same[0], DEV_ROOT, KEYS_ROOT_SIZE);
	memcpy(same[1], DEV_ROOT, KEYS_ROOT_SIZE);
	r.roots = same;
	r.nroots = 2;
	EXPECT_FALSE(tapfile_seal(&r, tap, &len, &why));
	EXPECT_TRUE(strstr(why.text, "same key") != NULL);
}

/* A sealed 1-lockbox TAP, for the layout tests. */
static size_t sealed(void)
{
	struct tapfile_request r = request(1);
	struct util_why why;
	size_t len = 0;

	ASSERT_TRUE(tapfile_seal(&r, tap, &len, &why));
	return len;
}

TEST(tapfile_layout, reads_what_seal_wrote)
{
	struct tapfile_layout l;
	struct util_why why;
	size_t len = sealed();

	ASSERT_TRUE(tapfile_layout(tap, len, &l, &why));
	EXPECT_EQ(l.version, 1);
	EXPECT_EQ(l.lockboxes, 1);
	EXPECT_EQ(l.total, len);
	EXPECT_EQ(l.payload_len, 2 * (COVE_TAP_RECORD_HEAD + COVE_TAP_DIGEST_BODY));
	EXPECT_EQ(l.payload_off, COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE);
}

TEST(tapfile_layout, refuses_a_truncated_tap_like_the_monitor)
{
	struct tapfile_layout l;
	struct tap_contents c;
	struct util_why why;
	size_t len = sealed();

	for (size_t cut = 0; cut < len; cut += 7) {
		EXPECT_FALSE(tapfile_layout(tap, cut, &l, &why));
		EXPECT_EQ(open_with(roots[0], tap, cut, &c), MON_ERR_INVALID_PARAM);
	}
}

TEST(tapfile_layout, refuses_counts_and_lengths_past_the_end_like_the_monitor)
{
	struct tapfile_layout l;
	struct tap_contents c;
	struct util_why why;
	size_t len = sealed();
	size_t m_at = COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE + 12;

	tap[6] = 2; /* two lockboxes in a TAP with room for one */
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	EXPECT_EQ(open_with(roots[0], tap, len, &c), MON_ERR_INVALID_PARAM);
	len = sealed();
	tap[m_at] = (uint8_t)(tap[m_at] + 16); /* a payload 16 bytes longer than the file */
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	EXPECT_EQ(open_with(roots[0], tap, len, &c), MON_ERR_INVALID_PARAM);
	len = sealed();
	tap[8] = (uint8_t)(tap[8] + 8); /* a total length past the end */
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	EXPECT_EQ(open_with(roots[0], tap, len, &c), MON_ERR_INVALID_PARAM);
}

TEST(tapfile_layout, refuses_bad_magic_version_and_reserved)
{
	struct tapfile_layout l;
	struct util_why why;
	size_t len = sealed();

	tap[0] ^= 1;
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	tap[0] ^= 1;
	tap[4] = 2;
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	tap[4] = 1;
	tap[12] = 1;
	EXPECT_FALSE(tapfile_layout(tap, len, &l, &why));
	tap[12] = 0;
	EXPECT_TRUE(tapfile_layout(tap, len, &l, &why));
}
