/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What a hypervisor prepares in its own memory before promote_to_tvm: G-stage
 * tables of any x4 mode, guest pages and a devicetree blob. Used by tests,
 * fuzz targets (which plant defects in what they build) and attack scenarios.
 * Writes go straight into emulated DRAM, as the host's own stores would.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/mem.h"

struct shim_vm_builder {
	struct shim_mem *mem;
	uint64_t next;	     /* next free byte of the region */
	uint64_t limit;	     /* end of the region */
	uint64_t root;	     /* 16 KiB root table */
	unsigned int mode;   /* hgatp MODE: 8 Sv39x4, 9 Sv48x4, 10 Sv57x4 */
	unsigned int levels; /* 3, 4 or 5 (3 for an unsupported mode) */
};

/**
 * Starts an image in [@base, @base + @size) of @mem: a zeroed 16 KiB root.
 * Returns false when the region is too small or not DRAM.
 */
bool shim_vm_begin(struct shim_vm_builder *b, struct shim_mem *mem, uint64_t base, uint64_t size,
		   unsigned int mode);

/** A zeroed 4 KiB page from the region (0 when it is exhausted). */
uint64_t shim_vm_page(struct shim_vm_builder *b);

/**
 * Writes @pte as the entry for @gpa at @level (0 = 4 KiB leaves), adding
 * pointer tables on the way. Returns false when the region is exhausted.
 */
bool shim_vm_set_pte(struct shim_vm_builder *b, uint64_t gpa, unsigned int level, uint64_t pte);

/** Host address of the table entry for @gpa at @level, or 0 when no table leads there. */
uint64_t shim_vm_pte_addr(struct shim_vm_builder *b, uint64_t gpa, unsigned int level);

/** hgatp for the image (MODE, VMID @vmid, root). */
uint64_t shim_vm_hgatp(const struct shim_vm_builder *b, uint16_t vmid);

/**
 * Writes a DTB with @vcpus cpu nodes under /cpus, a memory node for
 * [@mem_gpa, @mem_gpa + @mem_size) and an empty /chosen into @buf.
 * Returns its length, or 0 when @cap is too small.
 */
size_t shim_fdt_write(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa,
		      uint64_t mem_size);
