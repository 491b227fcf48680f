// SPDX-License-Identifier: BSD-2-Clause
/* Predicted measurement registers: see predict.h and covemon/abi/measure.h. */
#include "predict.h"

#include <string.h>

#include <openssl/evp.h>

#include "covemon/abi/measure.h"

/*
 * vsstatus bits the monitor keeps, from the names measure.h lists (privileged
 * spec, sstatus): SIE 1, SPIE 5, UBE 6, SPP 8, SUM 18, MXR 19, UXL 33:32.
 * Checked against the header's constant, so prose and number agree.
 */
#define VSSTATUS_KEPT                                                                        \
	((UINT64_C(1) << 1) | (UINT64_C(1) << 5) | (UINT64_C(1) << 6) | (UINT64_C(1) << 8) | \
	 (UINT64_C(1) << 18) | (UINT64_C(1) << 19) | (UINT64_C(3) << 32))
_Static_assert(VSSTATUS_KEPT == COVE_MEASURE_VSSTATUS_MASK, "measure.h: mask matches its names");

#define MR1_TAG "covemon-mr1-v1"
_Static_assert(sizeof(MR1_TAG) - 1 == 14, "the MR1 tag is 14 bytes");

void predict_csrs(const struct manifest *m, struct predict_csrs *out)
{
	uint64_t mode = m->vsatp >> 60;

	/* vsatp: Bare, Sv39, Sv48 or Sv57, else the TSM makes it Bare (0). */
	out->vsatp = (mode == 0 || mode == 8 || mode == 9 || mode == 10) ? m->vsatp : 0;
	out->vsstatus = m->vsstatus & VSSTATUS_KEPT;
	/* vstvec MODE values 2 and 3 are reserved: bit 1 is dropped. */
	out->vstvec = m->vstvec & ~UINT64_C(2);
}

static void le64(uint8_t out[8], uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(v >> (8 * i));
	}
}

static bool hash_le64(EVP_MD_CTX *ctx, uint64_t v)
{
	uint8_t b[8];

	le64(b, v);
	return EVP_DigestUpdate(ctx, b, sizeof(b)) == 1;
}

/* MR0: the mapped pages in ascending GPA order (ranges are sorted and disjoint). */
static bool image(EVP_MD_CTX *ctx, const struct manifest *m, uint8_t out[PREDICT_DIGEST_SIZE])
{
	static uint8_t page[MANIFEST_PAGE_SIZE];
	unsigned int len = 0;

	if (EVP_DigestInit_ex(ctx, EVP_sha384(), NULL) != 1) {
		return false;
	}
	for (unsigned int i = 0; i < m->nranges; i++) {
		const struct manifest_range *r = &m->range[i];

		for (uint64_t off = 0; off < r->size; off += MANIFEST_PAGE_SIZE) {
			/* The TAP window holds no loaded bytes (manifest.h): zero, as measured. */
			manifest_page(m, r->gpa + off, page);
			if (!hash_le64(ctx, r->gpa + off) || !hash_le64(ctx, r->perm) ||
			    EVP_DigestUpdate(ctx, page, sizeof(page)) != 1) {
				return false;
			}
		}
	}
	return EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == PREDICT_DIGEST_SIZE;
}

/* MR1: the boot configuration. */
static bool config(EVP_MD_CTX *ctx, const struct manifest *m, uint8_t out[PREDICT_DIGEST_SIZE])
{
	struct predict_csrs csrs;
	unsigned int len = 0;
	bool ok;

	predict_csrs(m, &csrs);
	ok = EVP_DigestInit_ex(ctx, EVP_sha384(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, MR1_TAG, sizeof(MR1_TAG) - 1) == 1 && hash_le64(ctx, m->entry) &&
	     hash_le64(ctx, m->fdt_gpa) && hash_le64(ctx, m->vcpus);
	for (unsigned int r = 1; ok && r < 32; r++) {
		ok = hash_le64(ctx, m->x[r]);
	}
	return ok && hash_le64(ctx, csrs.vsatp) && hash_le64(ctx, csrs.vsstatus) &&
	       hash_le64(ctx, csrs.vstvec) &&
	       EVP_DigestUpdate(ctx, m->identity, sizeof(m->identity)) == 1 &&
	       EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == PREDICT_DIGEST_SIZE;
}

bool predict_registers(const struct manifest *m, uint8_t mr0[PREDICT_DIGEST_SIZE],
		       uint8_t mr1[PREDICT_DIGEST_SIZE], struct util_why *why)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && image(ctx, m, mr0) && config(ctx, m, mr1);

	EVP_MD_CTX_free(ctx);
	if (!ok) {
		util_why_set(why, "OpenSSL SHA-384 failed");
	}
	return ok;
}
