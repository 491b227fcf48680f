// SPDX-License-Identifier: BSD-2-Clause
/* Host-side VM images: see shim/vmimage.h. */
#include "shim/vmimage.h"

#include <stdio.h>
#include <string.h>

#define PTE_V	 UINT64_C(1)
#define PPN_MASK ((UINT64_C(1) << 44) - 1)

static uint64_t rd64(struct shim_mem *mem, uint64_t pa)
{
	uint64_t v = 0;

	(void)shim_mem_read(mem, pa, &v, 8);
	return v;
}

bool shim_vm_begin(struct shim_vm_builder *b, struct shim_mem *mem, uint64_t base, uint64_t size,
		   unsigned int mode)
{
	memset(b, 0, sizeof(*b));
	b->mem = mem;
	b->next = (base + 0x3FFF) & ~UINT64_C(0x3FFF);
	b->limit = base + size;
	b->mode = mode;
	b->levels = mode == 9 ? 4 : mode == 10 ? 5 : 3;
	if (b->next + 0x4000 > b->limit || !shim_mem_zero(mem, b->next, 4 * SHIM_PAGE_SIZE)) {
		return false;
	}
	b->root = b->next;
	b->next += 0x4000;
	return true;
}

uint64_t shim_vm_page(struct shim_vm_builder *b)
{
	uint64_t pa = b->next;

	if (pa + SHIM_PAGE_SIZE > b->limit || !shim_mem_zero(b->mem, pa, SHIM_PAGE_SIZE)) {
		return 0;
	}
	b->next += SHIM_PAGE_SIZE;
	return pa;
}

static uint64_t index_of(const struct shim_vm_builder *b, uint64_t gpa, unsigned int level)
{
	uint64_t mask = level == b->levels - 1 ? 0x7FF : 0x1FF;

	return (gpa >> (12 + 9 * level)) & mask;
}

static uint64_t walk(struct shim_vm_builder *b, uint64_t gpa, unsigned int level, bool create)
{
	uint64_t table = b->root;

	for (unsigned int l = b->levels - 1; l > level; l--) {
		uint64_t slot = table + 8 * index_of(b, gpa, l);
		uint64_t e = rd64(b->mem, slot);
		if (!(e & PTE_V) || (e & 0xE)) {
			if (!create) {
				return 0;
			}
			uint64_t next = shim_vm_page(b);
			if (!next) {
				return 0;
			}
			e = ((next >> 12) << 10) | PTE_V;
			(void)shim_mem_write(b->mem, slot, &e, 8);
		}
		table = ((e >> 10) & PPN_MASK) << 12;
	}
	return table + 8 * index_of(b, gpa, level);
}

bool shim_vm_set_pte(struct shim_vm_builder *b, uint64_t gpa, unsigned int level, uint64_t pte)
{
	uint64_t slot = walk(b, gpa, level, true);

	return slot && shim_mem_write(b->mem, slot, &pte, 8);
}

uint64_t shim_vm_pte_addr(struct shim_vm_builder *b, uint64_t gpa, unsigned int level)
{
	return walk(b, gpa, level, false);
}

uint64_t shim_vm_hgatp(const struct shim_vm_builder *b, uint16_t vmid)
{
	return ((uint64_t)b->mode << 60) | ((uint64_t)vmid << 44) | (b->root >> 12);
}

/* ---------------------------------------------------------- the DTB --- */

struct dtb {
	uint8_t s[4096];
	size_t n;
	char strings[128];
	size_t slen;
};

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put32(struct dtb *d, uint32_t v)
{
	if (d->n + 4 <= sizeof(d->s)) {
		be32(d->s + d->n, v);
	}
	d->n += 4;
}

static void put_padded(struct dtb *d, const void *p, size_t len)
{
	if (d->n + len <= sizeof(d->s)) {
		memcpy(d->s + d->n, p, len);
	}
	d->n += len;
	while (d->n % 4) {
		if (d->n < sizeof(d->s)) {
			d->s[d->n] = 0;
		}
		d->n++;
	}
}

static uint32_t name_off(struct dtb *d, const char *name)
{
	for (size_t i = 0; i < d->slen; i += strlen(d->strings + i) + 1) {
		if (strcmp(d->strings + i, name) == 0) {
			return (uint32_t)i;
		}
	}
	size_t off = d->slen;
	memcpy(d->strings + off, name, strlen(name) + 1);
	d->slen += strlen(name) + 1;
	return (uint32_t)off;
}

static void node(struct dtb *d, const char *name)
{
	put32(d, 1);
	put_padded(d, name, strlen(name) + 1);
}

static void prop(struct dtb *d, const char *name, const void *val, uint32_t len)
{
	put32(d, 3);
	put32(d, len);
	put32(d, name_off(d, name));
	put_padded(d, val, len);
}

static void prop_u32(struct dtb *d, const char *name, uint32_t v)
{
	uint8_t b[4];

	be32(b, v);
	prop(d, name, b, 4);
}

size_t shim_fdt_write(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa,
		      uint64_t mem_size)
{
	static struct dtb d; /* large: not on the stack */
	char name[32];
	uint8_t reg[16];

	memset(&d, 0, sizeof(d));
	node(&d, "");
	prop_u32(&d, "#address-cells", 2);
	prop_u32(&d, "#size-cells", 2);
	node(&d, "cpus");
	prop_u32(&d, "#address-cells", 1);
	prop_u32(&d, "#size-cells", 0);
	for (unsigned int i = 0; i < vcpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		node(&d, name);
		prop(&d, "device_type", "cpu", 4);
		prop_u32(&d, "reg", i);
		put32(&d, 2);
	}
	put32(&d, 2);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)mem_gpa);
	node(&d, name);
	prop(&d, "device_type", "memory", 7);
	be32(reg, (uint32_t)(mem_gpa >> 32));
	be32(reg + 4, (uint32_t)mem_gpa);
	be32(reg + 8, (uint32_t)(mem_size >> 32));
	be32(reg + 12, (uint32_t)mem_size);
	prop(&d, "reg", reg, 16);
	put32(&d, 2);
	node(&d, "chosen");
	put32(&d, 2);
	put32(&d, 2);
	put32(&d, 9);

	size_t struct_off = 40 + 16; /* header, then one empty reservation entry */
	size_t strings_off = struct_off + d.n;
	size_t total = strings_off + d.slen;
	if (d.n > sizeof(d.s) || total > cap) {
		return 0;
	}
	memset(buf, 0, total);
	be32(buf + 0, 0xd00dfeed);
	be32(buf + 4, (uint32_t)total);
	be32(buf + 8, (uint32_t)struct_off);
	be32(buf + 12, (uint32_t)strings_off);
	be32(buf + 16, 40);
	be32(buf + 20, 17);
	be32(buf + 24, 16);
	be32(buf + 32, (uint32_t)d.slen);
	be32(buf + 36, (uint32_t)d.n);
	memcpy(buf + struct_off, d.s, d.n);
	memcpy(buf + strings_off, d.strings, d.slen);
	return total;
}
