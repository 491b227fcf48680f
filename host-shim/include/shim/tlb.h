/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-hart TLB model for G-stage translations. A successful G-stage walk
 * leaves its leaf here, tagged with the VMID of hgatp at the time; later
 * guest accesses use the cached leaf, whatever the tables now say, until an
 * hfence.gvma that covers it. A monitor that forgets a fence is therefore
 * observable: the guest still reaches the old page. Replacement is FIFO, so
 * runs are deterministic. PMP is not cached: it is checked on every access.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SHIM_TLB_ENTRIES 32

struct shim_tlb_entry {
	bool valid;
	uint16_t vmid;
	uint64_t gpa;	    /* base of the mapped region, aligned to 1 << shift */
	uint64_t hpa;	    /* base of the host-physical region */
	unsigned int shift; /* 12 (4 KiB), 21, 30, 39 or 48 */
	uint64_t pte;	    /* the leaf PTE as walked (permission bits R/W/X/U/A/D) */
};

struct shim_tlb {
	struct shim_tlb_entry entry[SHIM_TLB_ENTRIES];
	unsigned int next; /* FIFO replacement cursor */
	/*
	 * Changes with every change of entry[] to a value no TLB had before (0:
	 * just reset): equal stamps, equal entries, for any two TLBs of the
	 * process, copies included. Lets a checker skip a TLB it found good.
	 */
	uint64_t stamp;
	uint64_t hits;
	uint64_t misses;
};

/** Empties @tlb (hart reset). */
void shim_tlb_reset(struct shim_tlb *tlb);

/** Finds the entry that maps @gpa for @vmid, or NULL. */
const struct shim_tlb_entry *shim_tlb_lookup(struct shim_tlb *tlb, uint16_t vmid, uint64_t gpa);

/** Inserts a leaf (replacing any entry for the same VMID and region). */
void shim_tlb_insert(struct shim_tlb *tlb, uint16_t vmid, uint64_t gpa, uint64_t hpa,
		     unsigned int shift, uint64_t pte);

/**
 * hfence.gvma: drops entries of @vmid (all VMIDs when !@by_vmid) that map
 * @gpa (all addresses when !@by_addr).
 */
void shim_tlb_fence_gvma(struct shim_tlb *tlb, bool by_vmid, uint16_t vmid, bool by_addr,
			 uint64_t gpa);
