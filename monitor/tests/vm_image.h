/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a hypervisor prepares before promote_to_tvm, built in the host memory
 * of a test world: guest RAM pages, an Sv39x4 G-stage tree mapping them,
 * an FDT (with /cpus and /memory), the NACL area with hgatp and the boot
 * vCPU's registers. Deterministic, so measurements repeat.
 */
#pragma once

#include "fixture.h"

#define VM_RAM_GPA  UINT64_C(0x80000000)
#define VM_MEM_SIZE (UINT64_C(1) << 20)	  /* /memory: 1 MiB of confidential GPA space */
#define VM_FDT_GPA  (VM_RAM_GPA + 0x8000) /* inside the mapped pages */
#define VM_ENTRY    (VM_RAM_GPA + 0x1000)

struct vm_image {
	uint64_t hgatp;
	uint64_t root;	    /* host PA of the 16 KiB root */
	uint64_t ram_pa;    /* host PA backing the first mapped guest page */
	unsigned int pages; /* mapped guest pages starting at VM_RAM_GPA */
	uint64_t nacl;	    /* host PA of hart 0's NACL area */
	uint64_t fdt_gpa;
	uint64_t entry;
	uint64_t next_free; /* first unused host page after the image */
};

/**
 * Builds a VM with @vcpus CPUs in the FDT and @pages mapped RAM pages, and
 * registers the NACL area on hart 0 (the boot hart of the test host).
 */
void vm_build(struct fixture *f, unsigned int vcpus, unsigned int pages, struct vm_image *vm);

/** Sets NACL for @hart at a fresh host page; returns its PA. */
uint64_t vm_nacl(struct fixture *f, struct vm_image *vm, unsigned int hart);

/** Writes @len bytes of a DTB for @vcpus CPUs and 1 MiB of memory at VM_RAM_GPA into @buf. */
size_t vm_fdt(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa, uint64_t mem_size);

/** The host maps/unmaps: writes PTE @pte for @gpa at @level into the tree (tables as needed). */
void vm_set_pte(struct fixture *f, struct vm_image *vm, uint64_t gpa, unsigned int level,
		uint64_t pte);

/** Reads/writes NACL slots as the host does. */
uint64_t nacl_read(struct fixture *f, uint64_t nacl, unsigned int offset);
void nacl_write(struct fixture *f, uint64_t nacl, unsigned int offset, uint64_t value);
