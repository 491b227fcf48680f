// SPDX-License-Identifier: BSD-2-Clause
/*
 * PMP of one emulated hart. Every rule cites the privileged spec section
 * "Physical Memory Protection" (machine.adoc) or smepmp.adoc.
 */
#include "shim/pmp.h"

#include <string.h>

typedef unsigned __int128 u128;

/* Reserved cfg bits 6:5 are WARL zero in the shim (QEMU ignores them too). */
#define PMP_CFG_WRITABLE (HAL_PMP_R | HAL_PMP_W | HAL_PMP_X | HAL_PMP_A_MASK | HAL_PMP_L)

void shim_pmp_reset(struct shim_pmp *pmp, unsigned int count, bool smepmp)
{
	memset(pmp, 0, sizeof(*pmp));
	pmp->count = count > HAL_PMP_MAX ? HAL_PMP_MAX : count;
	pmp->smepmp = smepmp;
}

/* Entry @i's range from its registers, into pmp->lo/hi (after a write that may change it). */
static void pmp_decode(struct shim_pmp *pmp, unsigned int i)
{
	u128 lo;
	u128 hi;

	if (i < pmp->count && shim_pmp_entry_range(pmp, i, &lo, &hi)) {
		pmp->lo[i] = (uint64_t)lo;
		pmp->hi[i] = (uint64_t)hi;
	} else {
		pmp->lo[i] = 0;
		pmp->hi[i] = 0;
	}
	/* The entries past the last that matches anything need no look. */
	if (pmp->hi[i] && i >= pmp->active) {
		pmp->active = i + 1;
	}
	while (pmp->active && !pmp->hi[pmp->active - 1]) {
		pmp->active--;
	}
}

static bool pmp_locked(const struct shim_pmp *pmp, unsigned int i)
{
	return (pmp->cfg[i] & HAL_PMP_L) != 0;
}

bool shim_pmp_write_cfg(struct shim_pmp *pmp, unsigned int i, uint8_t cfg)
{
	if (i >= pmp->count) {
		return false;
	}
	/* A locked entry ignores writes; with Smepmp, mseccfg.RLB lifts that. */
	bool rlb = pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_RLB);
	if (pmp_locked(pmp, i) && !rlb) {
		return false;
	}
	cfg &= PMP_CFG_WRITABLE;
	/*
	 * R=0, W=1 is reserved unless Smepmp MML gives it a meaning. The spec
	 * lets hardware legalise it; QEMU 7.2 keeps the bits as written and
	 * grants exactly them (a store succeeds, a load faults), and so does
	 * the shim: the fidelity check (firmware/fidelity, case pmp.reserved_w)
	 * compares the two.
	 */
	/*
	 * Smepmp: with MML set and RLB clear, adding a locked rule with
	 * executable privileges (M-only X or R-X, or a locked shared code region
	 * -W- or -WX) is ignored (smepmp.adoc, mseccfg.MML rules).
	 */
	if (pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_MML) && !rlb && (cfg & HAL_PMP_L)) {
		unsigned int rwx = cfg & (HAL_PMP_R | HAL_PMP_W | HAL_PMP_X);
		if (rwx == HAL_PMP_X || rwx == (HAL_PMP_R | HAL_PMP_X) || rwx == HAL_PMP_W ||
		    rwx == (HAL_PMP_W | HAL_PMP_X)) {
			return false;
		}
	}
	if (pmp->cfg[i] != cfg) {
		pmp->cfg[i] = cfg;
		pmp_decode(pmp, i);
	}
	return true;
}

bool shim_pmp_write_addr(struct shim_pmp *pmp, unsigned int i, uint64_t addr)
{
	if (i >= pmp->count) {
		return false;
	}
	bool rlb = pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_RLB);
	if (!rlb) {
		if (pmp_locked(pmp, i)) {
			return false;
		}
		/* A locked TOR entry i+1 also freezes its base, pmpaddr i. */
		if (i + 1 < pmp->count && pmp_locked(pmp, i + 1) &&
		    (pmp->cfg[i + 1] & HAL_PMP_A_MASK) == HAL_PMP_A_TOR) {
			return false;
		}
	}
	addr &= SHIM_PMP_ADDR_MASK;
	if (pmp->addr[i] != addr) {
		pmp->addr[i] = addr;
		pmp_decode(pmp, i);
		if (i + 1 < pmp->count) {
			pmp_decode(pmp, i + 1); /* a TOR entry i+1 starts at pmpaddr i */
		}
	}
	return true;
}

bool shim_pmp_write_mseccfg(struct shim_pmp *pmp, uint64_t value)
{
	if (!pmp->smepmp) {
		return false;
	}
	uint64_t old = pmp->mseccfg;
	uint64_t next = value & (HAL_MSECCFG_MML | HAL_MSECCFG_MMWP | HAL_MSECCFG_RLB);

	/* MML and MMWP are sticky: once set they stay set until reset. */
	next |= old & (HAL_MSECCFG_MML | HAL_MSECCFG_MMWP);
	/* RLB cannot be set again once cleared while any entry is locked. */
	if ((next & HAL_MSECCFG_RLB) && !(old & HAL_MSECCFG_RLB)) {
		for (unsigned int i = 0; i < pmp->count; i++) {
			if (pmp_locked(pmp, i)) {
				next &= ~(uint64_t)HAL_MSECCFG_RLB;
				break;
			}
		}
	}
	pmp->mseccfg = next;
	return true;
}

bool shim_pmp_entry_range(const struct shim_pmp *pmp, unsigned int i, u128 *lo, u128 *hi)
{
	if (i >= pmp->count) {
		return false;
	}
	/* Mask again: the struct is public and a fuzzer may write it directly. */
	uint64_t a = pmp->addr[i] & SHIM_PMP_ADDR_MASK;

	switch (pmp->cfg[i] & HAL_PMP_A_MASK) {
	case HAL_PMP_A_TOR:
		/* Entry 0 with TOR uses 0 as its lower bound. */
		*lo = i == 0 ? 0 : (u128)pmp->addr[i - 1] << 2;
		*hi = (u128)a << 2;
		return *lo < *hi;
	case HAL_PMP_A_NA4:
		*lo = (u128)a << 2;
		*hi = *lo + 4;
		return true;
	case HAL_PMP_A_NAPOT: {
		/* k trailing ones in pmpaddr: a 2^(k+3)-byte region. */
		unsigned int k = (unsigned int)__builtin_ctzll(~a);
		u128 size = (u128)1 << (k + 3);
		*lo = ((u128)a << 2) & ~(size - 1);
		*hi = *lo + size;
		return true;
	}
	default: return false;
	}
}

/*
 * Permission of a matching entry. Without Smepmp MML: L=0 lets M through,
 * otherwise the R/W/X bit decides. With MML, the truth table of smepmp.adoc
 * ("Truth table when mseccfg.MML is set").
 */
static bool pmp_entry_allows(const struct shim_pmp *pmp, unsigned int i, enum shim_access access,
			     enum shim_priv priv)
{
	uint8_t cfg = pmp->cfg[i];
	bool l = cfg & HAL_PMP_L;
	bool m = priv == SHIM_PRIV_M;
	unsigned int rwx = cfg & (HAL_PMP_R | HAL_PMP_W | HAL_PMP_X);

	if (!(pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_MML))) {
		if (!l && m) {
			return true;
		}
		return (rwx & (unsigned int)access) != 0;
	}

	/* MML: the encoding R=0, W=1 marks shared regions. */
	if (rwx == HAL_PMP_W || rwx == (HAL_PMP_W | HAL_PMP_X)) {
		if (!l) {
			/* Shared data: M read/write; S/U read, plus write when X. */
			if (m) {
				return access != SHIM_ACCESS_EXEC;
			}
			return access == SHIM_ACCESS_READ ||
			       (access == SHIM_ACCESS_WRITE && rwx == (HAL_PMP_W | HAL_PMP_X));
		}
		/* Locked shared code: L,-,W,- executes everywhere; L,-,W,X executes for
		 * S/U and reads+executes for M. */
		if (rwx == HAL_PMP_W) {
			return access == SHIM_ACCESS_EXEC;
		}
		return access == SHIM_ACCESS_EXEC || (m && access == SHIM_ACCESS_READ);
	}
	if (rwx == (HAL_PMP_R | HAL_PMP_W | HAL_PMP_X) && l) {
		/* Locked RWX: shared read-only for every mode. */
		return access == SHIM_ACCESS_READ;
	}
	/* Otherwise the rule applies to M when L=1 and to S/U when L=0. */
	if (l != m) {
		return false;
	}
	return (rwx & (unsigned int)access) != 0;
}

bool shim_pmp_same_registers(const struct shim_pmp *a, const struct shim_pmp *b)
{
	uint64_t diff = 0;

	if (a->count != b->count || a->smepmp != b->smepmp || a->mseccfg != b->mseccfg) {
		return false;
	}
	/* A loop, not memcmp: the fuzz oracle asks after every operation, and under ASan
	 * each memcmp call checks both ranges' shadow. */
	for (unsigned int i = 0; i < a->count; i++) {
		diff |= (a->cfg[i] ^ b->cfg[i]) | (a->addr[i] ^ b->addr[i]);
	}
	return diff == 0;
}

struct shim_pmp_verdict shim_pmp_check(const struct shim_pmp *pmp, uint64_t pa, uint64_t len,
				       enum shim_access access, enum shim_priv priv)
{
	struct shim_pmp_verdict v = { .allowed = false, .entry = -1, .partial = false };
	u128 a = pa;
	u128 e = a + (len ? len : 1);

	for (unsigned int i = 0; i < pmp->active; i++) {
		u128 lo = pmp->lo[i];
		u128 hi = pmp->hi[i]; /* 0 for an entry that matches nothing */

		if (!(a < hi && lo < e)) {
			continue;
		}
		/* Lowest-numbered entry matching any byte decides; it must match all. */
		v.entry = (int)i;
		if (!(lo <= a && e <= hi)) {
			v.partial = true;
			return v;
		}
		v.allowed = pmp_entry_allows(pmp, i, access, priv);
		return v;
	}
	/* No match: M succeeds (unless Smepmp MMWP); S/U fail if any entry exists. */
	if (priv == SHIM_PRIV_M) {
		bool mmwp = pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_MMWP);
		/* With MML, M may not execute from an unmatched region either. */
		bool mml_exec = pmp->smepmp && (pmp->mseccfg & HAL_MSECCFG_MML) &&
				access == SHIM_ACCESS_EXEC;
		v.allowed = !mmwp && !mml_exec;
	} else {
		v.allowed = pmp->count == 0;
	}
	return v;
}

bool shim_pmp_allows(const struct shim_pmp *pmp, uint64_t pa, uint64_t len, enum shim_access access,
		     enum shim_priv priv)
{
	return shim_pmp_check(pmp, pa, len, access, priv).allowed;
}

bool shim_pmp_any_byte_allowed(const struct shim_pmp *pmp, uint64_t base, uint64_t len,
			       enum shim_access access, enum shim_priv priv, uint64_t *witness)
{
	if (len == 0) {
		return false;
	}
	u128 start = base;
	u128 end = start + len;
	/*
	 * The deciding entry can only change at an entry boundary, so one probe
	 * at the start of the range and one at every boundary inside it covers
	 * every byte.
	 */
	u128 probe[1 + 2 * HAL_PMP_MAX];
	unsigned int n = 0;

	probe[n++] = start;
	for (unsigned int i = 0; i < pmp->count; i++) {
		u128 lo;
		u128 hi;

		if (!shim_pmp_entry_range(pmp, i, &lo, &hi)) {
			continue;
		}
		if (lo > start && lo < end) {
			probe[n++] = lo;
		}
		if (hi > start && hi < end) {
			probe[n++] = hi;
		}
	}
	for (unsigned int j = 0; j < n; j++) {
		if (probe[j] >> 64) {
			continue;
		}
		uint64_t at = (uint64_t)probe[j];
		if (shim_pmp_allows(pmp, at, 1, access, priv)) {
			if (witness) {
				*witness = at;
			}
			return true;
		}
	}
	return false;
}
