/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo hypervisor's modules: devicetrees (dtb.c), the VM image (vm.c:
 * host memory pool, Sv39x4 G-stage tables, the guest's pages and FDT), the
 * NACL areas (nacl.c) and the TVM's vCPUs on the harts (sched.c:
 * run_tvm_vcpu and the exits of cove-abi.md section 7).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ dtb.c --- */

/**
 * Reads the first (base, size) pair of the /memory node of the FDT at
 * @blob (#address-cells = #size-cells = 2). Returns false when there is none.
 */
bool dtb_memory(const void *blob, uint64_t *base, uint64_t *size);

/**
 * Writes the guest's FDT into @buf: /cpus with @vcpus cpu nodes and
 * /memory for [@mem_gpa, @mem_gpa + @mem_size). Returns its length, or 0
 * when it does not fit in @cap bytes.
 */
size_t dtb_write_guest(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa,
		       uint64_t mem_size);

/* ------------------------------------------------------------- vm.c --- */

#define VM_PAGE_SIZE 4096u

/** Host memory the hypervisor hands out: [next, end), never given back. */
struct vm_pool {
	uint64_t next;
	uint64_t end;
};

/**
 * Starts a pool over the FDT's /memory from the end of the payload image on;
 * the region in *@base, *@size. False when the FDT has no memory node that
 * holds the payload's end.
 */
bool vm_pool_init(struct vm_pool *pool, const void *fdt, uint64_t *base, uint64_t *size);

/** @size zeroed bytes aligned to @align (a power of two), or 0 when the pool is empty. */
uint64_t vm_pool_alloc(struct vm_pool *pool, uint64_t size, uint64_t align);

/* G-stage leaf permissions for vm_map: the PTE's R, W and X bits. */
#define VM_PERM_RWX	     UINT64_C(0xE)

#define VM_MAX_PAGES	     64u
#define VM_MEASUREMENT_BYTES 48u /* SHA-384 */

/** One guest page the G-stage tree maps. */
struct vm_page {
	uint64_t gpa;
	uint64_t pa;
	uint64_t perm; /* the leaf's R, W, X bits in place */
};

/** What promote_to_tvm needs, built in host memory. */
struct vm_image {
	struct vm_pool *pool;
	uint64_t root;			   /* host PA of the 16 KiB Sv39x4 root */
	uint64_t hgatp;			   /* Sv39x4, VMID 0, root */
	uint64_t fdt_gpa;		   /* the guest's FDT */
	uint64_t entry;			   /* the guest's first instruction */
	unsigned int vcpus;		   /* cpu nodes in the guest's FDT */
	unsigned int mapped;		   /* 4 KiB pages mapped for the guest */
	unsigned int tables;		   /* G-stage table pages (the root counts 4) */
	struct vm_page page[VM_MAX_PAGES]; /* the mapped pages, ascending GPAs */
};

/**
 * Starts an empty guest in @vm: a fresh G-stage root from @pool (hgatp set),
 * @vcpus vCPUs, nothing mapped. Pages then mapped with vm_map alone are not
 * in @vm->page (vm_measure covers only those). Returns false when the pool
 * runs out.
 */
bool vm_init(struct vm_image *vm, struct vm_pool *pool, unsigned int vcpus);

/**
 * Builds the guest: copies the program @image (@len bytes, linked at
 * GUEST_RAM_GPA) into fresh pages mapped from GUEST_RAM_GPA, writes an FDT
 * for @vcpus vCPUs at GUEST_FDT_GPA, and the G-stage tables mapping both.
 * Returns false when the pool runs out or the image is too large.
 */
bool vm_build(struct vm_image *vm, struct vm_pool *pool, const uint8_t *image, size_t len,
	      unsigned int vcpus);

/**
 * Maps guest page @gpa to host page @pa with the G-stage permissions @perm
 * (R/W/X bits; V, U, A, D are added), allocating tables from the pool.
 * Returns false when the pool runs out.
 */
bool vm_map(struct vm_image *vm, uint64_t gpa, uint64_t pa, uint64_t perm);

/**
 * Predicts the TVM's initial measurement registers as covemon defines them
 * (covemon/abi/measure.h) for @vm promoted with its boot state
 * (nacl_set_boot_state) and no identity: MR0 over the mapped pages, MR1 over
 * the entry point, FDT address, vCPU count and boot registers.
 */
void vm_measure(const struct vm_image *vm, uint8_t mr0[VM_MEASUREMENT_BYTES],
		uint8_t mr1[VM_MEASUREMENT_BYTES]);

/* ---------------------------------------------------------- nacl.c --- */

/** Reads the 64-bit NACL slot at byte @offset of the area at @area. */
uint64_t nacl_read(uint64_t area, unsigned int offset);

/** Writes the 64-bit NACL slot at byte @offset of the area at @area. */
void nacl_write(uint64_t area, unsigned int offset, uint64_t value);

/**
 * Registers the NACL area at @area for the calling hart (SBI NACL
 * set_shmem). Returns the SBI error.
 */
long nacl_register(uint64_t area);

/**
 * Puts the boot vCPU's state for promote_to_tvm into @area: hgatp, a0 = 0
 * (its hart id) and a1 = @fdt_gpa, every other register and VS CSR zero.
 */
void nacl_set_boot_state(uint64_t area, uint64_t hgatp, uint64_t fdt_gpa);

/* --------------------------------------------------------- sched.c --- */

/** A promoted TVM and what the hypervisor has for running it. */
struct sched_tvm {
	uint64_t id;
	unsigned int vcpus;
	unsigned int harts;		     /* the hypervisor's harts: 0 .. harts - 1 */
	const uint64_t *nacl;		     /* one NACL area per hart */
	struct vm_pool *pool;		     /* host memory for pages the guest shares */
	uint8_t mr[2][VM_MEASUREMENT_BYTES]; /* MR0, MR1 as vm_measure predicts them */
};

/**
 * Runs @tvm until it shuts down: vCPU 0 on the calling (boot) hart, vCPU i
 * on hart (boot + i) % harts once the guest starts it (SBI HSM on that hart,
 * which registers its NACL area and calls sched_secondary). Serves every
 * exit. Returns true when the guest shut down, every hart came back and no
 * exit was one the demo does not expect; sched_report says what was seen.
 */
bool sched_run(const struct sched_tvm *tvm);

/** The loop of a hart started by sched_run (payload_secondary_main). */
void sched_secondary(unsigned int hart);

/** Prints what the demo counted (exits by kind) and whether each check passed. */
bool sched_report(void);
