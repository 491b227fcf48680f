// SPDX-License-Identifier: BSD-2-Clause
/*
 * The VM image a hypervisor prepares before promote_to_tvm (cove-abi.md
 * section 6; monitor/tests/vm_image.c builds the same on the host shim):
 * guest pages in host memory, an Sv39x4 G-stage tree mapping them
 * (privileged spec, "Hypervisor Extension", guest physical address
 * translation: a 16 KiB root of 2048 entries indexed by GPA bits 40:30,
 * then two levels of 512), and the guest's FDT.
 */
#include "hv.h"

#include "covemon/abi/measure.h"
#include "covemon/sha384.h"
#include "guest_layout.h"
#include "payload/mem.h"

#define PTE_V	       UINT64_C(0x1)
#define PTE_R	       UINT64_C(0x2)
#define PTE_W	       UINT64_C(0x4)
#define PTE_X	       UINT64_C(0x8)
#define PTE_U	       UINT64_C(0x10)
#define PTE_A	       UINT64_C(0x40)
#define PTE_D	       UINT64_C(0x80)
#define PTE_PPN_SHIFT  10
#define PTE_PPN_MASK   ((UINT64_C(1) << 44) - 1)
#define HGATP_SV39X4   (UINT64_C(8) << 60)
#define ROOT_SIZE      (4 * VM_PAGE_SIZE)
#define LEVELS	       3u
#define ROOT_INDEX_MAX 0x7FFu
#define INDEX_MAX      0x1FFu

_Static_assert(VM_PERM_RWX == (PTE_R | PTE_W | PTE_X), "vm_map takes the PTE's R, W, X bits");

extern char __payload_end[];

bool vm_pool_init(struct vm_pool *pool, const void *fdt, uint64_t *base, uint64_t *size)
{
	uint64_t start = (uint64_t)(uintptr_t)__payload_end;

	if (!dtb_memory(fdt, base, size) || start < *base || start >= *base + *size) {
		return false;
	}
	pool->next = start;
	pool->end = *base + *size;
	return true;
}

uint64_t vm_pool_alloc(struct vm_pool *pool, uint64_t size, uint64_t align)
{
	uint64_t pa = (pool->next + align - 1) & ~(align - 1);

	if (pa < pool->next || pa > pool->end || size > pool->end - pa) {
		return 0;
	}
	pool->next = pa + size;
	memset((void *)(uintptr_t)pa, 0, size);
	return pa;
}

static uint64_t *table_of(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << 12);
}

static unsigned int index_of(uint64_t gpa, unsigned int level)
{
	unsigned int mask = level == LEVELS - 1 ? ROOT_INDEX_MAX : INDEX_MAX;

	return (unsigned int)(gpa >> (12 + 9 * level)) & mask;
}

bool vm_map(struct vm_image *vm, uint64_t gpa, uint64_t pa, uint64_t perm)
{
	uint64_t *table = (uint64_t *)(uintptr_t)vm->root;

	for (unsigned int level = LEVELS - 1; level > 0; level--) {
		uint64_t *slot = &table[index_of(gpa, level)];
		if (!(*slot & PTE_V)) {
			uint64_t next = vm_pool_alloc(vm->pool, VM_PAGE_SIZE, VM_PAGE_SIZE);
			if (!next) {
				return false;
			}
			vm->tables++;
			/* A pointer to the next level: V only (A, D, U must be zero). */
			*slot = ((next >> 12) << PTE_PPN_SHIFT) | PTE_V;
		}
		table = table_of(*slot);
	}
	/* G-stage leaves are user pages (the guest's accesses are checked as U). */
	table[index_of(gpa, 0)] = ((pa >> 12) << PTE_PPN_SHIFT) | (perm & (PTE_R | PTE_W | PTE_X)) |
				  PTE_V | PTE_U | PTE_A | PTE_D;
	return true;
}

static bool map_copy(struct vm_image *vm, uint64_t gpa, const uint8_t *src, size_t len)
{
	for (size_t off = 0; off < len; off += VM_PAGE_SIZE) {
		uint64_t page = vm_pool_alloc(vm->pool, VM_PAGE_SIZE, VM_PAGE_SIZE);
		size_t n = len - off < VM_PAGE_SIZE ? len - off : VM_PAGE_SIZE;

		if (!page) {
			return false;
		}
		if (vm->mapped == VM_MAX_PAGES) {
			return false;
		}
		memcpy((void *)(uintptr_t)page, src + off, n);
		if (!vm_map(vm, gpa + off, page, VM_PERM_RWX)) {
			return false;
		}
		vm->page[vm->mapped++] = (struct vm_page){ gpa + off, page, VM_PERM_RWX };
	}
	return true;
}

bool vm_init(struct vm_image *vm, struct vm_pool *pool, unsigned int vcpus)
{
	memset(vm, 0, sizeof(*vm));
	vm->pool = pool;
	vm->vcpus = vcpus;
	vm->root = vm_pool_alloc(pool, ROOT_SIZE, ROOT_SIZE);
	if (!vm->root) {
		return false;
	}
	vm->tables = 4;
	vm->hgatp = HGATP_SV39X4 | (vm->root >> 12);
	return true;
}

bool vm_build(struct vm_image *vm, struct vm_pool *pool, const uint8_t *image, size_t len,
	      unsigned int vcpus)
{
	static uint8_t fdt[VM_PAGE_SIZE];

	if (len == 0 || len > GUEST_IMAGE_MAX || !vm_init(vm, pool, vcpus)) {
		return false;
	}
	size_t fdt_len = dtb_write_guest(fdt, sizeof(fdt), vcpus, GUEST_RAM_GPA, GUEST_MEM_SIZE);
	if (fdt_len == 0 || !map_copy(vm, GUEST_RAM_GPA, image, len) ||
	    !map_copy(vm, GUEST_FDT_GPA, fdt, fdt_len)) {
		return false;
	}
	vm->fdt_gpa = GUEST_FDT_GPA;
	vm->entry = GUEST_RAM_GPA;
	return true;
}

/* ------------------------------------------------------ measurement --- */

static void hash_le64(struct sha384_ctx *c, uint64_t v)
{
	uint8_t le[8];

	for (unsigned int i = 0; i < 8; i++) {
		le[i] = (uint8_t)(v >> (8 * i));
	}
	sha384_update(c, le, sizeof(le));
}

void vm_measure(const struct vm_image *vm, uint8_t mr0[VM_MEASUREMENT_BYTES],
		uint8_t mr1[VM_MEASUREMENT_BYTES])
{
	static const uint8_t no_identity[64];
	struct sha384_ctx c;

	_Static_assert(VM_MEASUREMENT_BYTES == SHA384_DIGEST_SIZE, "SHA-384 registers");
	/* MR0: LE64(gpa) || LE64(perm) || the page, in ascending GPA order. */
	sha384_init(&c);
	for (unsigned int i = 0; i < vm->mapped; i++) {
		hash_le64(&c, vm->page[i].gpa);
		hash_le64(&c, vm->page[i].perm);
		sha384_update(&c, (const void *)(uintptr_t)vm->page[i].pa, VM_PAGE_SIZE);
	}
	sha384_final(&c, mr0);
	/* MR1: tag, entry, FDT, vCPUs, x1..x31 (a1 = the FDT, the rest 0), vsatp, vsstatus, vstvec.
	 */
	sha384_init(&c);
	sha384_update(&c, COVE_MEASURE_MR1_TAG, sizeof(COVE_MEASURE_MR1_TAG) - 1);
	hash_le64(&c, vm->entry);
	hash_le64(&c, vm->fdt_gpa);
	hash_le64(&c, vm->vcpus);
	for (unsigned int r = 1; r < 32; r++) {
		hash_le64(&c, r == 11 ? vm->fdt_gpa : 0);
	}
	for (unsigned int i = 0; i < 3; i++) {
		hash_le64(&c, 0);
	}
	sha384_update(&c, no_identity, sizeof(no_identity));
	sha384_final(&c, mr1);
}
