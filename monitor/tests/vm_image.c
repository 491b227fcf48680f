// SPDX-License-Identifier: BSD-2-Clause
#include "vm_image.h"

#include <stdio.h>
#include <string.h>

#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"
#include "shim/vmimage.h"

#define PTE_V 0x1u
#define PTE_R 0x2u
#define PTE_W 0x4u
#define PTE_X 0x8u
#define PTE_U 0x10u
#define PTE_A 0x40u
#define PTE_D 0x80u

static uint64_t take(struct vm_image *vm, unsigned int n, uint64_t align)
{
	uint64_t pa = (vm->next_free + align - 1) & ~(align - 1);

	vm->next_free = pa + (uint64_t)n * 4096;
	return pa;
}

static void wr64(struct fixture *f, uint64_t pa, uint64_t v)
{
	ASSERT_TRUE(shim_mem_write(&f->w->mem, pa, &v, 8));
}

void vm_set_pte(struct fixture *f, struct vm_image *vm, uint64_t gpa, unsigned int level,
		uint64_t pte)
{
	/* The shared builder (shim/vmimage.h) adds tables from this image's bump pointer. */
	struct shim_vm_builder b = {
		.mem = &f->w->mem,
		.next = vm->next_free,
		.limit = f->conf.base,
		.root = vm->root,
		.mode = 8,
		.levels = 3,
	};

	ASSERT_TRUE(shim_vm_set_pte(&b, gpa, level, pte));
	vm->next_free = b.next;
}

size_t vm_fdt(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa, uint64_t mem_size)
{
	return shim_fdt_write(buf, cap, vcpus, mem_gpa, mem_size);
}

/* ------------------------------------------------------------- image --- */

uint64_t nacl_read(struct fixture *f, uint64_t nacl, unsigned int offset)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&f->w->mem, nacl + offset, &v, 8));
	return v;
}

void nacl_write(struct fixture *f, uint64_t nacl, unsigned int offset, uint64_t value)
{
	wr64(f, nacl + offset, value);
}

uint64_t vm_nacl(struct fixture *f, struct vm_image *vm, unsigned int hart)
{
	uint64_t pa = take(vm, 3, 4096);

	ASSERT_EQ(host_call(f, hart, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, pa, 0, 0).error, 0);
	return pa;
}

void vm_build(struct fixture *f, unsigned int vcpus, unsigned int pages, struct vm_image *vm)
{
	uint8_t fdt[4096];
	uint8_t page[4096];

	memset(vm, 0, sizeof(*vm));
	vm->next_free = host_page(f, 16);
	vm->root = take(vm, 4, 16384);
	vm->pages = pages;
	vm->ram_pa = take(vm, pages, 4096);
	for (unsigned int i = 0; i < pages; i++) {
		for (unsigned int b = 0; b < sizeof(page); b++) {
			page[b] = (uint8_t)(i * 31 + b * 7);
		}
		ASSERT_TRUE(
			shim_mem_write(&f->w->mem, vm->ram_pa + i * 4096ull, page, sizeof(page)));
		vm_set_pte(f, vm, VM_RAM_GPA + i * 4096ull, 0,
			   (((vm->ram_pa + i * 4096ull) >> 12) << 10) | PTE_V | PTE_R | PTE_W |
				   PTE_X | PTE_U | PTE_A | PTE_D);
	}
	size_t len = vm_fdt(fdt, sizeof(fdt), vcpus, VM_RAM_GPA, VM_MEM_SIZE);
	ASSERT_GT(len, 0);
	ASSERT_LE(VM_FDT_GPA + len, VM_RAM_GPA + pages * 4096ull);
	ASSERT_TRUE(shim_mem_write(&f->w->mem, vm->ram_pa + (VM_FDT_GPA - VM_RAM_GPA), fdt, len));
	vm->fdt_gpa = VM_FDT_GPA;
	vm->entry = VM_ENTRY;
	vm->hgatp = (UINT64_C(8) << 60) | (vm->root >> 12);
	vm->nacl = vm_nacl(f, vm, 0);
	nacl_write(f, vm->nacl, nacl_csr_offset(NACL_CSR_HGATP), vm->hgatp);
	nacl_write(f, vm->nacl, NACL_SCRATCH_GPR_OFFSET(10), 0);
	nacl_write(f, vm->nacl, NACL_SCRATCH_GPR_OFFSET(11), vm->fdt_gpa);
}
