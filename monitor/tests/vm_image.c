// SPDX-License-Identifier: BSD-2-Clause
#include "vm_image.h"

#include <stdio.h>
#include <string.h>

#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"

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

static uint64_t rd64(struct fixture *f, uint64_t pa)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&f->w->mem, pa, &v, 8));
	return v;
}

static void wr64(struct fixture *f, uint64_t pa, uint64_t v)
{
	ASSERT_TRUE(shim_mem_write(&f->w->mem, pa, &v, 8));
}

void vm_set_pte(struct fixture *f, struct vm_image *vm, uint64_t gpa, unsigned int level,
		uint64_t pte)
{
	uint64_t table = vm->root;

	/* Sv39x4: levels 2 (root, 11-bit index), 1, 0 */
	for (unsigned int l = 2; l > level; l--) {
		uint64_t idx = (gpa >> (12 + 9 * l)) & (l == 2 ? 0x7ff : 0x1ff);
		uint64_t e = rd64(f, table + 8 * idx);
		if (!(e & PTE_V)) {
			uint64_t next = take(vm, 1, 4096);
			e = ((next >> 12) << 10) | PTE_V;
			wr64(f, table + 8 * idx, e);
		}
		table = ((e >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
	}
	uint64_t idx = (gpa >> (12 + 9 * level)) & (level == 2 ? 0x7ff : 0x1ff);
	wr64(f, table + 8 * idx, pte);
}

/* -------------------------------------------------------- FDT writer --- */

struct fdtw {
	uint8_t *s;
	size_t n;
	size_t cap;
	char strings[256];
	size_t slen;
};

static void put32(struct fdtw *w, uint32_t v)
{
	if (w->n + 4 <= w->cap) {
		mon_store_be32(w->s + w->n, v);
	}
	w->n += 4;
}

static void put_bytes(struct fdtw *w, const void *p, size_t len)
{
	if (w->n + len <= w->cap) {
		memcpy(w->s + w->n, p, len);
	}
	w->n += len;
	while (w->n % 4) {
		if (w->n < w->cap) {
			w->s[w->n] = 0;
		}
		w->n++;
	}
}

static uint32_t string_off(struct fdtw *w, const char *name)
{
	for (size_t i = 0; i < w->slen; i += strlen(w->strings + i) + 1) {
		if (strcmp(w->strings + i, name) == 0) {
			return (uint32_t)i;
		}
	}
	size_t off = w->slen;
	memcpy(w->strings + off, name, strlen(name) + 1);
	w->slen += strlen(name) + 1;
	return (uint32_t)off;
}

static void begin(struct fdtw *w, const char *name)
{
	put32(w, 1);
	put_bytes(w, name, strlen(name) + 1);
}

static void prop(struct fdtw *w, const char *name, const void *val, uint32_t len)
{
	put32(w, 3);
	put32(w, len);
	put32(w, string_off(w, name));
	put_bytes(w, val, len);
}

static void prop_u32(struct fdtw *w, const char *name, uint32_t v)
{
	uint8_t b[4];

	mon_store_be32(b, v);
	prop(w, name, b, 4);
}

static void end(struct fdtw *w)
{
	put32(w, 2);
}

size_t vm_fdt(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa, uint64_t mem_size)
{
	uint8_t tmp[4096];
	struct fdtw w = { .s = tmp, .cap = sizeof(tmp) };
	char name[32];
	uint8_t reg[16];

	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	begin(&w, "cpus");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 0);
	for (unsigned int i = 0; i < vcpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		begin(&w, name);
		prop(&w, "device_type", "cpu", 4);
		prop_u32(&w, "reg", i);
		end(&w);
	}
	end(&w);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)mem_gpa);
	begin(&w, name);
	prop(&w, "device_type", "memory", 7);
	mon_store_be64(reg, mem_gpa);
	mon_store_be64(reg + 8, mem_size);
	prop(&w, "reg", reg, 16);
	end(&w);
	begin(&w, "chosen");
	end(&w);
	end(&w);
	put32(&w, 9);

	size_t struct_size = w.n;
	size_t rsv_off = 40;
	size_t struct_off = rsv_off + 16;
	size_t strings_off = struct_off + struct_size;
	size_t total = strings_off + w.slen;
	if (total > cap) {
		return 0;
	}
	memset(buf, 0, total);
	mon_store_be32(buf + 0, 0xd00dfeed);
	mon_store_be32(buf + 4, (uint32_t)total);
	mon_store_be32(buf + 8, (uint32_t)struct_off);
	mon_store_be32(buf + 12, (uint32_t)strings_off);
	mon_store_be32(buf + 16, (uint32_t)rsv_off);
	mon_store_be32(buf + 20, 17);
	mon_store_be32(buf + 24, 16);
	mon_store_be32(buf + 28, 0);
	mon_store_be32(buf + 32, (uint32_t)w.slen);
	mon_store_be32(buf + 36, (uint32_t)struct_size);
	memcpy(buf + struct_off, tmp, struct_size);
	memcpy(buf + strings_off, w.strings, w.slen);
	return total;
}

/* ------------------------------------------------------------- image --- */

uint64_t nacl_read(struct fixture *f, uint64_t nacl, unsigned int offset)
{
	return rd64(f, nacl + offset);
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
