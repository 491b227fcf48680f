// SPDX-License-Identifier: BSD-2-Clause
/*
 * Local attestation: the TAP opener (monitor/lib/tap.c) over crafted bytes,
 * and promote_to_tvm with a TAP, retrieve_secret and destroy on the emulated
 * machine.
 *
 * Threat: the host writes the TAP, its address and everything around it; a
 * TVM image that is not the one the TAP's creator measured must get no
 * secret and no TVM. ACE had a hard-coded key, an all-zero payload key, a
 * parser without bounds and created the TVM when the check failed (issue 7,
 * cove-abi.md section 6 flaw 4). Each check of the opener and of promote has
 * a test here that fails without it; every refused promote leaves no trace.
 */
#include <string.h>

#include "../src/core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/sbi.h"
#include "covemon/tap.h"
#include "tap_build.h"
#include "vm_image.h"

#define PAGE	   4096u
#define VM_PAGES   12u /* the FDT sits in page 8; pages 10 and 11 are zero (TAP area) */
#define TAP_GPA	   (VM_RAM_GPA + 10 * PAGE + 4088) /* header split across two pages */
#define SECRET_GPA (VM_RAM_GPA + 9 * PAGE)
#define OTHER_ROOT "another-platform-root-secret-32b"
#define DEV_ROOT   ((const uint8_t *)SHIM_DEV_ATTESTATION_ROOT)
#define TAP_BUF	   8192u

static const char secret_a[] = "disk-key: 5e1f0c";
static const uint8_t secret_b[3] = { 0x00, 0xff, 0x7f };

/* ------------------------------------------------------- the opener ----- */

static struct tap_platform_key dev_key(void)
{
	struct tap_platform_key k;

	ASSERT_EQ(tap_derive_platform_key(DEV_ROOT, &k), MON_OK);
	return k;
}

static void spec_full(struct tap_spec *s)
{
	tap_spec_init(s, DEV_ROOT);
	s->digest_mask = 3;
	memset(s->digest[0], 0x11, 48);
	memset(s->digest[1], 0x22, 48);
	s->secret[0] = (struct tap_secret){ 7, secret_a, (uint16_t)strlen(secret_a) };
	s->secret[1] = (struct tap_secret){ UINT64_C(0x8000000000000001), secret_b, 3 };
	s->nsecrets = 2;
}

/* Opens @tap (a copy) with the dev key; on error checks that nothing leaked out. */
static mon_err_t open_copy(const uint8_t *tap, size_t len, struct tap_contents *out,
			   uint8_t *secrets)
{
	static uint8_t copy[TAP_BUF];
	struct tap_platform_key k = dev_key();

	ASSERT_LE(len, sizeof(copy));
	memcpy(copy, tap, len);
	memset(secrets, 0xee, COVE_TAP_MAX_SECRETS);
	mon_err_t err = tap_open(&k, copy, len, out, secrets);
	if (err != MON_OK) {
		static const uint8_t zero[COVE_TAP_MAX_SECRETS];
		EXPECT_EQ(out->digest_mask, 0);
		EXPECT_EQ(out->secrets_len, 0);
		EXPECT_MEM_EQ(secrets, zero, COVE_TAP_MAX_SECRETS);
	}
	return err;
}

static mon_err_t open_spec(const struct tap_spec *s)
{
	static uint8_t tap[TAP_BUF];
	static uint8_t secrets[COVE_TAP_MAX_SECRETS];
	struct tap_contents out;
	size_t len = tap_build(s, tap, sizeof(tap));

	ASSERT_GT(len, 0);
	return open_copy(tap, len, &out, secrets);
}

TEST(tap_open, a_sealed_tap_opens_with_its_digests_and_secret_records)
{
	static uint8_t tap[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS], want[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;

	spec_full(&s);
	size_t len = tap_build(&s, tap, sizeof(tap));
	ASSERT_EQ(open_copy(tap, len, &out, secrets), MON_OK);
	EXPECT_EQ(out.digest_mask, 3);
	EXPECT_MEM_EQ(out.digest[0], s.digest[0], 48);
	EXPECT_MEM_EQ(out.digest[1], s.digest[1], 48);
	size_t n = tap_build_secrets(&s, want, sizeof(want));
	EXPECT_EQ(out.secrets_len, n);
	EXPECT_EQ(n, 2 * 12 + strlen(secret_a) + 3);
	EXPECT_MEM_EQ(secrets, want, n);
}

TEST(tap_open, the_lockbox_for_this_platform_is_found_among_others)
{
	struct tap_spec s;

	spec_full(&s);
	s.roots[0] = (const uint8_t *)OTHER_ROOT;
	s.roots[1] = DEV_ROOT;
	s.nroots = 2;
	EXPECT_EQ(open_spec(&s), MON_OK);
}

TEST(tap_open, a_tap_for_another_platform_is_auth)
{
	struct tap_spec s;

	spec_full(&s);
	s.roots[0] = (const uint8_t *)OTHER_ROOT;
	EXPECT_EQ(open_spec(&s), MON_ERR_AUTH);
}

TEST(tap_open, a_lockbox_with_our_key_id_but_sealed_under_another_key_is_auth)
{
	static uint8_t tap[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;
	struct tap_platform_key k = dev_key();

	spec_full(&s);
	s.roots[0] = (const uint8_t *)OTHER_ROOT;
	size_t len = tap_build(&s, tap, sizeof(tap));
	memcpy(tap + COVE_TAP_HEADER_SIZE, k.key_id, COVE_TAP_KEY_ID_SIZE);
	EXPECT_EQ(open_copy(tap, len, &out, secrets), MON_ERR_AUTH);
}

TEST(tap_open, an_all_zero_payload_key_is_auth)
{
	struct tap_spec s;

	spec_full(&s);
	memset(s.payload_key, 0, sizeof(s.payload_key));
	EXPECT_EQ(open_spec(&s), MON_ERR_AUTH);
}

/* Every single bit flipped anywhere in the TAP is refused, with the right error. */
TEST(tap_open, every_flipped_bit_is_refused)
{
	static uint8_t tap[TAP_BUF], bad[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;

	spec_full(&s);
	size_t len = tap_build(&s, tap, sizeof(tap));
	size_t p = COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE; /* the payload's iv */
	for (size_t i = 0; i < len; i++) {
		for (unsigned int b = 0; b < 8; b++) {
			memcpy(bad, tap, len);
			bad[i] ^= (uint8_t)(1u << b);
			mon_err_t err = open_copy(bad, len, &out, secrets);
			/* Structure is checked first (header, payload length), the rest is
			 * authenticated. */
			if (i < COVE_TAP_HEADER_SIZE || (i >= p + 12 && i < p + 16)) {
				EXPECT_EQ(err, MON_ERR_INVALID_PARAM);
			} else {
				EXPECT_EQ(err, MON_ERR_AUTH);
			}
		}
	}
}

TEST(tap_open, truncated_or_extended_buffers_are_malformed)
{
	static uint8_t tap[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;

	spec_full(&s);
	size_t len = tap_build(&s, tap, sizeof(tap));
	for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : 37)) {
		EXPECT_EQ(open_copy(tap, cut, &out, secrets), MON_ERR_INVALID_PARAM);
	}
	EXPECT_EQ(open_copy(tap, len + 1, &out, secrets), MON_ERR_INVALID_PARAM);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

TEST(tap_open, lengths_pointing_past_the_end_are_malformed)
{
	static uint8_t tap[TAP_BUF], bad[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;
	uint32_t huge[] = { 0x7fffffffu, 0xffffffffu, COVE_TAP_MAX_SIZE + 1 };

	spec_full(&s);
	size_t len = tap_build(&s, tap, sizeof(tap));
	size_t p = COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE;
	for (unsigned int i = 0; i < 3; i++) {
		memcpy(bad, tap, len);
		put_le32(bad + 8, huge[i]); /* total length */
		EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
		memcpy(bad, tap, len);
		put_le32(bad + p + 12, huge[i]); /* payload length */
		EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
	}
	/* More lockboxes than the TAP holds; more than the format allows. */
	memcpy(bad, tap, len);
	bad[6] = 8;
	EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
	bad[6] = 9;
	EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
	bad[6] = 0;
	EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
	/* The payload length one short, with the total still matching the buffer. */
	memcpy(bad, tap, len);
	put_le32(bad + p + 12, (uint32_t)(len - p - 32 - 1));
	EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
}

TEST(tap_open, header_fields_are_checked)
{
	static uint8_t tap[TAP_BUF], bad[TAP_BUF], secrets[COVE_TAP_MAX_SECRETS];
	struct tap_spec s;
	struct tap_contents out;
	uint32_t total = 0;

	spec_full(&s);
	size_t len = tap_build(&s, tap, sizeof(tap));
	ASSERT_EQ(tap_header(tap, &total), MON_OK);
	EXPECT_EQ(total, len);
	const unsigned int offsets[] = { 0, 3, 4, 5, 12, 15 }; /* magic, version, reserved */
	for (unsigned int i = 0; i < 6; i++) {
		memcpy(bad, tap, len);
		bad[offsets[i]] ^= 0x40;
		EXPECT_EQ(tap_header(bad, &total), MON_ERR_INVALID_PARAM);
		EXPECT_EQ(open_copy(bad, len, &out, secrets), MON_ERR_INVALID_PARAM);
	}
}

/* A TAP whose plaintext is @pt: what the opener makes of it. */
static mon_err_t open_plaintext(const uint8_t *pt, size_t len)
{
	struct tap_spec s;

	tap_spec_init(&s, DEV_ROOT);
	s.plaintext = pt;
	s.plaintext_len = len;
	return open_spec(&s);
}

static size_t digest_record(uint8_t *p, unsigned int reg, unsigned int alg)
{
	memset(p, 0, 56);
	p[0] = COVE_TAP_DIGEST;
	p[2] = COVE_TAP_DIGEST_BODY;
	p[4] = (uint8_t)reg;
	p[5] = (uint8_t)alg;
	memset(p + 8, 0x33, 48);
	return 56;
}

TEST(tap_open, plaintext_records_are_checked)
{
	uint8_t pt[COVE_TAP_MAX_PAYLOAD + 64];
	size_t n;

	n = digest_record(pt, 0, COVE_HASH_SHA384);
	EXPECT_EQ(open_plaintext(pt, n), MON_OK);
	n = digest_record(pt, 2, COVE_HASH_SHA384); /* a runtime register */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 0, COVE_HASH_SHA384 + 1); /* another algorithm */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	pt[6] = 1; /* reserved */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	n += digest_record(pt + n, 1, COVE_HASH_SHA384); /* the same register twice */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	pt[2] = 51; /* short digest body */
	EXPECT_EQ(open_plaintext(pt, n - 1), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	pt[0] = 3; /* unknown type */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	pt[2] = 53; /* record longer than the plaintext */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	memset(pt + n, 0, 13);
	pt[n] = COVE_TAP_SECRET; /* a secret running past the plaintext by one byte */
	pt[n + 2] = 10;
	EXPECT_EQ(open_plaintext(pt, n + 13), MON_ERR_INVALID_PARAM);
	pt[n + 2] = 9;
	EXPECT_EQ(open_plaintext(pt, n + 13), MON_OK);
	n = digest_record(pt, 1, COVE_HASH_SHA384);
	pt[n++] = COVE_TAP_SECRET; /* a trailing partial record head */
	EXPECT_EQ(open_plaintext(pt, n), MON_ERR_INVALID_PARAM);

	/* Secrets only: no digest, nothing bound to the image. */
	memset(pt, 0, 16);
	pt[0] = COVE_TAP_SECRET;
	pt[2] = 12;
	EXPECT_EQ(open_plaintext(pt, 16), MON_ERR_INVALID_PARAM);
}

TEST(tap_open, secret_records_are_bounded)
{
	static uint8_t pt[COVE_TAP_MAX_PAYLOAD];
	size_t n = digest_record(pt, 0, COVE_HASH_SHA384);

	/* A secret needs a name and at least one byte. */
	memset(pt + n, 0, 12);
	pt[n] = COVE_TAP_SECRET;
	pt[n + 2] = 8;
	EXPECT_EQ(open_plaintext(pt, n + 12), MON_ERR_INVALID_PARAM);
	pt[n + 2] = 9;
	EXPECT_EQ(open_plaintext(pt, n + 13), MON_OK);
	/* Exactly 4096 bytes of records, then one more byte. */
	size_t body = COVE_TAP_MAX_SECRETS - COVE_TAP_RECORD_HEAD;
	pt[n + 2] = (uint8_t)body;
	pt[n + 3] = (uint8_t)(body >> 8);
	EXPECT_EQ(open_plaintext(pt, n + COVE_TAP_MAX_SECRETS), MON_OK);
	pt[n + 2] = (uint8_t)(body + 1);
	EXPECT_EQ(open_plaintext(pt, n + COVE_TAP_MAX_SECRETS + 1), MON_ERR_INVALID_PARAM);
	/* Two records: 4096 bytes in total passes, 4097 does not. */
	size_t first = 100;
	pt[n + 2] = (uint8_t)(first - COVE_TAP_RECORD_HEAD);
	pt[n + 3] = 0;
	size_t second = n + first;
	size_t body2 = COVE_TAP_MAX_SECRETS - first - COVE_TAP_RECORD_HEAD;
	memset(pt + second, 0, 4);
	pt[second] = COVE_TAP_SECRET;
	pt[second + 2] = (uint8_t)body2;
	pt[second + 3] = (uint8_t)(body2 >> 8);
	EXPECT_EQ(open_plaintext(pt, n + COVE_TAP_MAX_SECRETS), MON_OK);
	body2++;
	pt[second + 2] = (uint8_t)body2;
	pt[second + 3] = (uint8_t)(body2 >> 8);
	EXPECT_EQ(open_plaintext(pt, n + COVE_TAP_MAX_SECRETS + 1), MON_ERR_INVALID_PARAM);
}

TEST(tap_open, key_derivation_separates_platforms)
{
	struct tap_platform_key a = dev_key(), b;

	ASSERT_EQ(tap_derive_platform_key((const uint8_t *)OTHER_ROOT, &b), MON_OK);
	EXPECT_FALSE(memcmp(a.key_id, b.key_id, sizeof(a.key_id)) == 0);
	EXPECT_FALSE(memcmp(a.lockbox_key, b.lockbox_key, sizeof(a.lockbox_key)) == 0);
	EXPECT_FALSE(memcmp(a.lockbox_key, a.key_id, sizeof(a.key_id)) == 0);
}

/* ------------------------------------------------ promote with a TAP ---- */

struct att_env {
	struct fixture f;
	struct vm_image vm;
	uint8_t mr[2][48]; /* what promote measures for this image (TAP area zero) */
	struct tap_spec spec;
	uint8_t tap[TAP_BUF];
	size_t tap_len;
};

static struct shim_sbiret promote_tap(struct att_env *e, uint64_t tap_gpa)
{
	return host_call(&e->f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa, tap_gpa,
			 e->vm.entry);
}

static void destroy(struct att_env *e, uint64_t id)
{
	ASSERT_EQ(host_call(&e->f, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, id, 0, 0).error, SBI_SUCCESS);
}

/* Writes @len bytes of TAP at @gpa into the host's image (pages are contiguous). */
static void place(struct att_env *e, uint64_t gpa, const uint8_t *tap, size_t len)
{
	ASSERT_TRUE(shim_mem_write(&e->f.w->mem, e->vm.ram_pa + (gpa - VM_RAM_GPA), tap, len));
}

/*
 * Boots a world with @mc, builds the VM with zero pages 10 and 11, promotes
 * it once without a TAP to learn MR0/MR1 (what its creator would compute with
 * covemon-tap measure), destroys that TVM, and seals a TAP for those values
 * with two secrets.
 */
static void att_init_with(struct att_env *e, const struct shim_mon_config *mc)
{
	static const uint8_t zero[2 * PAGE];
	struct mon_tvm_view view;

	memset(e, 0, sizeof(*e));
	fixture_init_with(&e->f, 1, mc);
	vm_build(&e->f, 1, VM_PAGES, &e->vm);
	ASSERT_TRUE(shim_mem_write(&e->f.w->mem, e->vm.ram_pa + 10 * PAGE, zero, sizeof(zero)));
	struct shim_sbiret r = promote_tap(e, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, r.value, &view));
	memcpy(e->mr, view.measure, sizeof(e->mr));
	destroy(e, r.value);
	spec_full(&e->spec);
	memcpy(e->spec.digest, e->mr, sizeof(e->mr));
	e->tap_len = tap_build(&e->spec, e->tap, sizeof(e->tap));
	ASSERT_GT(e->tap_len, 0);
}

static void att_init(struct att_env *e)
{
	struct shim_mon_config mc;

	shim_mon_config_default(&mc);
	att_init_with(e, &mc);
}

/* Re-seals the env's TAP after the test changed its spec. */
static void reseal(struct att_env *e)
{
	e->tap_len = tap_build(&e->spec, e->tap, sizeof(e->tap));
	ASSERT_GT(e->tap_len, 0);
}

/* Promote with the TAP at @gpa must fail with @err and leave no trace. */
static void expect_refused(struct att_env *e, uint64_t gpa, int64_t err)
{
	uint8_t before[SHA384_DIGEST_SIZE], after[SHA384_DIGEST_SIZE];
	struct mon_tvm_view view;

	state_hash(&e->f, before);
	struct shim_sbiret r = promote_tap(e, gpa);
	EXPECT_EQ(r.error, err);
	EXPECT_EQ(r.value, 0);
	state_hash(&e->f, after);
	EXPECT_MEM_EQ(after, before, SHA384_DIGEST_SIZE);
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), 0);
	for (uint64_t id = 1; id <= MON_MAX_TVMS; id++) {
		EXPECT_FALSE(mon_introspect_tvm(e->f.mon, id, &view));
	}
	EXPECT_TRUE(confidential_all_zero(&e->f));
}

/* The guest of @id runs on hart 0 and calls retrieve_secret(@gpa, @size). */
static struct shim_sbiret guest_retrieve(struct att_env *e, uint64_t id, uint64_t gpa,
					 uint64_t size)
{
	uint64_t args[6] = { gpa, size, 0, 0, 0, 0 };

	if (e->f.w->hart[0].mode != SHIM_MODE_VS) {
		(void)host_call(&e->f, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0);
		ASSERT_EQ(e->f.w->hart[0].mode, SHIM_MODE_VS);
	}
	return shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_COVG, COVG_RETRIEVE_SECRET, args);
}

/* The guest shuts its TVM down (back to the host), then the host destroys it. */
static void shutdown_and_destroy(struct att_env *e, uint64_t id)
{
	uint64_t args[6] = { SBI_SRST_TYPE_SHUTDOWN, 0, 0, 0, 0, 0 };

	if (e->f.w->hart[0].mode == SHIM_MODE_VS) {
		(void)shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
				     args);
	}
	ASSERT_EQ(e->f.w->hart[0].mode, SHIM_MODE_HS);
	destroy(e, id);
}

static void guest_read(struct att_env *e, uint64_t id, uint64_t gpa, void *dst, size_t len)
{
	uint64_t pa = 0, pte = 0;

	ASSERT_TRUE(gstage_lookup(e->f.mon, tvm_get(e->f.mon, id), gpa, &pa, &pte));
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, dst, len));
}

TEST(promote_tap, a_matching_tap_releases_its_secrets_byte_for_byte)
{
	static struct att_env e;
	static uint8_t want[PAGE], got[PAGE], area[2 * PAGE];
	struct mon_tvm_view view;

	att_init(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	struct shim_sbiret r = promote_tap(&e, TAP_GPA);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t id = r.value;
	/* The registers are those of the image without the TAP: its bytes count as zero. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, id, &view));
	EXPECT_MEM_EQ(view.measure[0], e.mr[0], 48);
	EXPECT_MEM_EQ(view.measure[1], e.mr[1], 48);
	/* The TVM's copy of the TAP area is zero: the TAP is not in its memory. */
	guest_read(&e, id, VM_RAM_GPA + 10 * PAGE, area, PAGE);
	guest_read(&e, id, VM_RAM_GPA + 11 * PAGE, area + PAGE, PAGE);
	static const uint8_t zero[2 * PAGE];
	EXPECT_MEM_EQ(area, zero, sizeof(area));
	/* One secret page, owned by the TVM, mapped nowhere in its G-stage. */
	uint64_t secret_pages = 0;
	uint64_t nrec;
	const struct mon_page_view *rec = mon_introspect_pages(e.f.mon, &nrec);
	uint64_t secret_pa = 0;
	for (uint64_t p = 0; p < nrec; p++) {
		if (rec[p].state == MON_PAGE_TVM_SECRET && rec[p].owner == id) {
			secret_pages++;
			secret_pa = e.f.conf.base + p * PAGE;
		}
	}
	EXPECT_EQ(secret_pages, 1);
	EXPECT_EQ(view.secret, secret_pa); /* the page the view names */
	for (uint64_t p = 0; p < nrec; p++) {
		EXPECT_NE(rec[p].state, MON_PAGE_TVM_META); /* the TAP's scratch is gone */
	}
	/* The guest gets the secret records. */
	size_t n = tap_build_secrets(&e.spec, want, sizeof(want));
	r = guest_retrieve(&e, id, SECRET_GPA, PAGE);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, n);
	guest_read(&e, id, SECRET_GPA, got, PAGE);
	EXPECT_MEM_EQ(got, want, n);
	/* A buffer of exactly that size works; one byte less is too small, unchanged. */
	r = guest_retrieve(&e, id, SECRET_GPA, n);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	memset(got, 0, sizeof(got));
	guest_read(&e, id, SECRET_GPA, got, PAGE);
	EXPECT_MEM_EQ(got, want, n);
	shutdown_and_destroy(&e, id);
	/* Destroy scrubbed the secrets with everything else. */
	EXPECT_TRUE(confidential_all_zero(&e.f));
	fixture_fini(&e.f);
}

TEST(promote_tap, retrieve_secret_checks_size_and_buffer)
{
	static struct att_env e;
	static uint8_t got[PAGE], before_page[PAGE];
	uint8_t before[SHA384_DIGEST_SIZE], after[SHA384_DIGEST_SIZE];

	att_init(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	struct shim_sbiret r = promote_tap(&e, TAP_GPA);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	uint64_t id = r.value;
	size_t n = tap_build_secrets(&e.spec, got, sizeof(got));
	(void)guest_retrieve(&e, id, SECRET_GPA + PAGE, 0); /* enter the guest */
	guest_read(&e, id, SECRET_GPA, before_page, PAGE);
	state_hash(&e.f, before);
	r = guest_retrieve(&e, id, SECRET_GPA, n - 1);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	r = guest_retrieve(&e, id, SECRET_GPA, PAGE + 1);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	r = guest_retrieve(&e, id, SECRET_GPA + 8, PAGE);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	/* Past /memory: not confidential memory of the TVM. */
	r = guest_retrieve(&e, id, VM_RAM_GPA + VM_MEM_SIZE, PAGE);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	state_hash(&e.f, after);
	EXPECT_MEM_EQ(after, before, SHA384_DIGEST_SIZE);
	guest_read(&e, id, SECRET_GPA, got, PAGE);
	EXPECT_MEM_EQ(got, before_page, PAGE);
	fixture_fini(&e.f);
}

TEST(promote_tap, one_wrong_digest_is_auth_and_no_tvm)
{
	static struct att_env e;

	att_init(&e);
	for (unsigned int reg = 0; reg < 2; reg++) {
		memcpy(e.spec.digest, e.mr, sizeof(e.mr));
		e.spec.digest[reg][47] ^= 1;
		reseal(&e);
		place(&e, TAP_GPA, e.tap, e.tap_len);
		expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	}
	/* A digest for MR1 alone binds the configuration only; it must still match. */
	memcpy(e.spec.digest, e.mr, sizeof(e.mr));
	e.spec.digest_mask = 2;
	reseal(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	struct shim_sbiret r = promote_tap(&e, TAP_GPA);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	fixture_fini(&e.f);
}

TEST(promote_tap, a_changed_image_byte_is_auth)
{
	static struct att_env e;

	att_init(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	uint8_t b = 0x5a;
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + 3 * PAGE + 100, &b, 1));
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	fixture_fini(&e.f);
}

TEST(promote_tap, flipped_bits_wrong_keys_and_bad_lengths_create_no_tvm)
{
	static struct att_env e;
	static uint8_t bad[TAP_BUF];
	const size_t payload = COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE;

	att_init(&e);
	/* A flipped ciphertext bit, a flipped wrapped-key bit, a flipped tag bit. */
	const size_t flips[] = { payload + 16 + 5, COVE_TAP_HEADER_SIZE + 30, e.tap_len - 1 };
	for (unsigned int i = 0; i < 3; i++) {
		memcpy(bad, e.tap, e.tap_len);
		bad[flips[i]] ^= 0x10;
		place(&e, TAP_GPA, bad, e.tap_len);
		expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	}
	/* Sealed for another platform. */
	e.spec.roots[0] = (const uint8_t *)OTHER_ROOT;
	reseal(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	e.spec.roots[0] = DEV_ROOT;
	reseal(&e);
	/* Malformed (a failed attestation too): the total length one short of the parts,
	 * the parts past the end. */
	memcpy(bad, e.tap, e.tap_len);
	put_le32(bad + 8, (uint32_t)e.tap_len - 1);
	place(&e, TAP_GPA, bad, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	memcpy(bad, e.tap, e.tap_len);
	put_le32(bad + payload + 12, 0xfffffff0u);
	place(&e, TAP_GPA, bad, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	memcpy(bad, e.tap, e.tap_len);
	put_le32(bad + 8, COVE_TAP_MAX_SIZE + 1);
	place(&e, TAP_GPA, bad, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	/* Not a TAP at all (the image's own bytes). */
	expect_refused(&e, VM_RAM_GPA + PAGE, COVE_ERR_AUTH);
	fixture_fini(&e.f);
}

TEST(promote_tap, a_tap_not_fully_mapped_or_misplaced_is_invalid_address)
{
	static struct att_env e;

	att_init(&e);
	/* Running off the last mapped page. */
	uint64_t last = VM_RAM_GPA + VM_PAGES * (uint64_t)PAGE - 64;
	place(&e, last, e.tap, 64);
	expect_refused(&e, last, SBI_ERR_INVALID_ADDRESS);
	/* Only the header mapped (it ends exactly at the last mapped byte). */
	last = VM_RAM_GPA + VM_PAGES * (uint64_t)PAGE - COVE_TAP_HEADER_SIZE;
	place(&e, last, e.tap, COVE_TAP_HEADER_SIZE);
	expect_refused(&e, last, SBI_ERR_INVALID_ADDRESS);
	/* Inside /memory but not mapped; misaligned; wrapping. */
	expect_refused(&e, VM_RAM_GPA + 0x80000, SBI_ERR_INVALID_ADDRESS);
	expect_refused(&e, TAP_GPA + 4, SBI_ERR_INVALID_ADDRESS);
	expect_refused(&e, UINT64_MAX - 7, SBI_ERR_INVALID_ADDRESS);
	expect_refused(&e, UINT64_MAX - COVE_TAP_MAX_SIZE + 2 - 7, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&e.f);
}

TEST(promote_tap, a_refused_tap_can_be_retried_without_one_and_gets_no_secret)
{
	static struct att_env e;

	att_init(&e);
	memcpy(e.spec.digest, e.mr, sizeof(e.mr));
	e.spec.digest[0][0] ^= 1;
	reseal(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	struct shim_sbiret r = promote_tap(&e, 0);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	struct mon_tvm_view view;
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, r.value, &view));
	EXPECT_EQ(view.secret, 0); /* no secrets page */
	r = guest_retrieve(&e, r.value, SECRET_GPA, PAGE);
	EXPECT_EQ(r.error, COVE_ERR_AUTH);
	fixture_fini(&e.f);
}

static uint64_t tsm_caps(struct att_env *e)
{
	struct cove_tsm_info info;
	uint64_t buf = e->vm.next_free;

	ASSERT_EQ(host_call(&e->f, 0, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, sizeof(info), 0).error,
		  SBI_SUCCESS);
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, buf, &info, sizeof(info)));
	return info.tsm_capabilities;
}

TEST(promote_tap, a_platform_without_a_root_secret_refuses_every_tap)
{
	static struct att_env e;
	struct shim_mon_config mc;

	shim_mon_config_default(&mc);
	memset(mc.attestation_root, 0, sizeof(mc.attestation_root));
	att_init_with(&e, &mc);
	EXPECT_EQ(tsm_caps(&e) & COVE_TSM_CAP_ATTESTATION_LOCAL, 0);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	/* Nor one sealed for the all-zero key such a platform would otherwise hold. */
	static const struct tap_platform_key zero_key;
	e.spec.roots[0] = NULL;
	e.spec.keys[0] = &zero_key;
	reseal(&e);
	place(&e, TAP_GPA, e.tap, e.tap_len);
	expect_refused(&e, TAP_GPA, COVE_ERR_AUTH);
	fixture_fini(&e.f);

	att_init(&e);
	EXPECT_NE(tsm_caps(&e) & COVE_TSM_CAP_ATTESTATION_LOCAL, 0);
	fixture_fini(&e.f);
}

TEST(promote_tap, the_monitor_keeps_no_copy_of_the_root_secret)
{
	static struct att_env e;

	att_init(&e);
	/* Monitor data (struct mon and the records) never holds the root's bytes. */
	struct mon_region data = mon_introspect_data(e.f.mon);
	static uint8_t buf[1 << 18];
	ASSERT_LE(data.size, sizeof(buf));
	ASSERT_TRUE(shim_mem_read(&e.f.w->mem, data.base, buf, data.size));
	for (uint64_t i = 0; i + 32 <= data.size; i++) {
		EXPECT_FALSE(memcmp(buf + i, DEV_ROOT, 32) == 0);
	}
	fixture_fini(&e.f);
}
