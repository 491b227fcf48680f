/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address translation as the hardware does it for the mode running on a
 * hart (privileged spec: "Supervisor-Level ISA" page-based virtual memory,
 * "Two-Stage Address Translation" of the hypervisor extension):
 *   M            physical (MPRV is not modelled)
 *   HS, U        physical: satp must be Bare (the shim's host runs unpaged)
 *   VS, VU       VS-stage (vsatp: Bare, Sv39, Sv48, Sv57), then G-stage
 *                (hgatp: Bare, Sv39x4, Sv48x4, Sv57x4) through the TLB
 * PMP is applied to every implicit page-table access and to the final
 * access, with the privilege the hardware uses (S for table walks, the
 * mode's own for data and fetch; VS/VU count as S/U).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "shim/hart.h"
#include "shim/mem.h"

/* PTE bits (privileged spec, Sv39 PTE format). */
#define SHIM_PTE_V	   (UINT64_C(1) << 0)
#define SHIM_PTE_R	   (UINT64_C(1) << 1)
#define SHIM_PTE_W	   (UINT64_C(1) << 2)
#define SHIM_PTE_X	   (UINT64_C(1) << 3)
#define SHIM_PTE_U	   (UINT64_C(1) << 4)
#define SHIM_PTE_G	   (UINT64_C(1) << 5)
#define SHIM_PTE_A	   (UINT64_C(1) << 6)
#define SHIM_PTE_D	   (UINT64_C(1) << 7)
#define SHIM_PTE_PPN_SHIFT 10
#define SHIM_PTE_PPN_MASK  ((UINT64_C(1) << 44) - 1) /* after shifting right by 10 */

/** Outcome of translating one access. */
struct shim_xlate {
	bool ok;
	uint64_t pa;	/* when ok */
	uint64_t cause; /* when !ok: the exception to raise (enum shim_cause) */
	uint64_t tval;	/* faulting (guest) virtual address */
	uint64_t tval2; /* guest-page faults: faulting GPA >> 2, else 0 */
	uint64_t tinst; /* transformed instruction / pseudoinstruction, 0 if none */
	bool gva;	/* tval is a guest virtual address */
	bool from_tlb;	/* the G-stage leaf came from the TLB */
};

/**
 * Translates an access of @size bytes (1, 2, 4, 8; naturally aligned, else
 * an address-misaligned exception) at @addr by the mode running on @hart.
 * Walks tables in @mem; sets A/D bits in PTEs as QEMU does (hardware update)
 * and marks those pages written; fills and uses @hart's TLB for G-stage
 * leaves. Faults: page faults (VS-stage), guest-page faults (G-stage, with
 * tval2 = GPA >> 2), access faults (PMP denial or no memory, for a table
 * walk or for the final access).
 */
struct shim_xlate shim_mmu_translate(struct shim_mem *mem, struct shim_hart *hart, uint64_t addr,
				     unsigned int size, enum shim_access access);

/**
 * G-stage only, for tests and invariant checks: walks hgatp of @hart for
 * @gpa without the TLB and without touching A/D bits or PMP. On success
 * stores the leaf's host address, PTE and page shift. Returns false when the
 * tables map nothing there (or hgatp is Bare: then *pa = gpa, true).
 */
bool shim_mmu_gstage_lookup(const struct shim_mem *mem, uint64_t hgatp, uint64_t gpa, uint64_t *pa,
			    uint64_t *pte, unsigned int *shift);
