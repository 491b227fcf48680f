// SPDX-License-Identifier: BSD-2-Clause
/*
 * Per-hart cache of G-stage leaves (the "address-translation cache" of the
 * privileged spec, supervisor.adoc "Virtual Address Translation Process",
 * and hypervisor.adoc "Memory-Management Fences" / HFENCE.GVMA).
 *
 * Replacement is a FIFO ring: the cursor advances on every insert of a new
 * region, whether or not the slot it lands on is valid, so the contents
 * depend only on the sequence of inserts and fences. The spec lets an
 * implementation drop cached entries at any time, so every simplification
 * below only ever drops entries, never invents them.
 */
#include "shim/tlb.h"

#include <string.h>

/* Largest region an entry may describe (Sv57x4 level 4 leaf: 2^48 bytes). */
#define TLB_MIN_SHIFT 12u
#define TLB_MAX_SHIFT 48u

/* The last stamp given out (shim_tlb.stamp), for all TLBs of the process. */
static uint64_t stamps;

void shim_tlb_reset(struct shim_tlb *tlb)
{
	memset(tlb, 0, sizeof(*tlb));
}

static void tlb_changed(struct shim_tlb *tlb)
{
	tlb->stamp = ++stamps;
}

/* True when the (aligned) region of @e contains @gpa. */
static bool tlb_entry_covers(const struct shim_tlb_entry *e, uint64_t gpa)
{
	return (gpa >> e->shift) == (e->gpa >> e->shift);
}

/* True when the aligned regions [a, a + 2^sa) and [b, b + 2^sb) overlap. */
static bool tlb_regions_overlap(uint64_t a, unsigned int sa, uint64_t b, unsigned int sb)
{
	unsigned int s = sa > sb ? sa : sb;

	return (a >> s) == (b >> s);
}

const struct shim_tlb_entry *shim_tlb_lookup(struct shim_tlb *tlb, uint16_t vmid, uint64_t gpa)
{
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		const struct shim_tlb_entry *e = &tlb->entry[i];

		if (e->valid && e->vmid == vmid && tlb_entry_covers(e, gpa)) {
			tlb->hits++;
			return e;
		}
	}
	tlb->misses++;
	return NULL;
}

void shim_tlb_insert(struct shim_tlb *tlb, uint16_t vmid, uint64_t gpa, uint64_t hpa,
		     unsigned int shift, uint64_t pte)
{
	/* A region the walker cannot produce is not cached (dropping is always allowed). */
	if (shift < TLB_MIN_SHIFT || shift > TLB_MAX_SHIFT) {
		return;
	}
	uint64_t mask = (UINT64_C(1) << shift) - 1;
	struct shim_tlb_entry fresh = {
		.valid = true,
		.vmid = vmid,
		.gpa = gpa & ~mask,
		.hpa = hpa & ~mask,
		.shift = shift,
		.pte = pte,
	};
	struct shim_tlb_entry *same = NULL;

	/*
	 * Keep at most one entry per VMID and address, so lookups are
	 * unambiguous: the entry for the same region is updated in place and any
	 * other overlapping entry of this VMID (a page now covered by a
	 * superpage, or the reverse) is dropped.
	 */
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		struct shim_tlb_entry *e = &tlb->entry[i];

		if (!e->valid || e->vmid != vmid ||
		    !tlb_regions_overlap(e->gpa, e->shift, fresh.gpa, fresh.shift)) {
			continue;
		}
		if (!same && e->gpa == fresh.gpa && e->shift == fresh.shift) {
			same = e;
		} else {
			e->valid = false;
		}
	}
	tlb_changed(tlb);
	if (same) {
		*same = fresh;
		return;
	}
	unsigned int slot = tlb->next % SHIM_TLB_ENTRIES;

	tlb->entry[slot] = fresh;
	tlb->next = (slot + 1) % SHIM_TLB_ENTRIES;
}

void shim_tlb_fence_gvma(struct shim_tlb *tlb, bool by_vmid, uint16_t vmid, bool by_addr,
			 uint64_t gpa)
{
	/* hypervisor.adoc "Hypervisor Memory-Management Fence Instructions". */
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		struct shim_tlb_entry *e = &tlb->entry[i];

		if (!e->valid) {
			continue;
		}
		if (by_vmid && e->vmid != vmid) {
			continue;
		}
		if (by_addr && !tlb_entry_covers(e, gpa)) {
			continue;
		}
		e->valid = false;
		tlb_changed(tlb);
	}
}
