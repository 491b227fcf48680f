// SPDX-License-Identifier: BSD-2-Clause
/*
 * Flattened devicetrees (Devicetree Specification v0.4, chapter 5) for the
 * demo hypervisor: the /memory node of the FDT the firmware handed over, and
 * a small writer for the guest's FDT (the model is host-shim/src/vmimage.c:
 * shim_fdt_write). The firmware's FDT is trusted here (it is the payload's
 * own platform description); the reader still stays inside totalsize.
 */
#include "hv.h"

#include "payload/mem.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u
#define FDT_HEADER     40u
#define FDT_VERSION    17u
#define FDT_LAST_COMP  16u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool name_is(const char *name, const char *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		if (name[i] != want[i]) {
			return false;
		}
	}
	return name[i] == 0 || name[i] == '@';
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool dtb_memory(const void *blob, uint64_t *base, uint64_t *size)
{
	const uint8_t *fdt = blob;

	if (be32(fdt) != FDT_MAGIC) {
		return false;
	}
	uint32_t total = be32(fdt + 4);
	uint32_t off = be32(fdt + 8);
	uint32_t strings = be32(fdt + 12);
	unsigned int depth = 0;
	bool in_memory = false;

	while (off + 4 <= total) {
		uint32_t tag = be32(fdt + off);
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = (const char *)fdt + off;
			size_t len = 0;
			while (off + len < total && name[len]) {
				len++;
			}
			depth++;
			in_memory = depth == 2 && name_is(name, "memory");
			off += (uint32_t)((len + 4) & ~(size_t)3);
		} else if (tag == FDT_END_NODE) {
			depth--;
			in_memory = false;
		} else if (tag == FDT_PROP) {
			if (off + 8 > total) {
				return false;
			}
			uint32_t len = be32(fdt + off);
			const char *pname = (const char *)fdt + strings + be32(fdt + off + 4);
			off += 8;
			if (in_memory && str_eq(pname, "reg") && len >= 16 && off + 16 <= total) {
				/* The root's #address-cells and #size-cells are 2 on QEMU virt. */
				*base = be64(fdt + off);
				*size = be64(fdt + off + 8);
				return true;
			}
			off += (len + 3) & ~UINT32_C(3);
		} else if (tag != FDT_NOP) {
			return false; /* FDT_END or garbage: no /memory */
		}
	}
	return false;
}

/* ---------------------------------------------------------- writer --- */

struct dtb_writer {
	uint8_t structs[1024];
	size_t n;
	char strings[128];
	size_t slen;
	bool overflow;
};

static void put32(struct dtb_writer *w, uint32_t v)
{
	if (w->n + 4 > sizeof(w->structs)) {
		w->overflow = true;
		return;
	}
	put_be32(w->structs + w->n, v);
	w->n += 4;
}

static void put_padded(struct dtb_writer *w, const void *p, size_t len)
{
	if (w->n + len + 3 > sizeof(w->structs)) {
		w->overflow = true;
		return;
	}
	memcpy(w->structs + w->n, p, len);
	w->n += len;
	while (w->n % 4) {
		w->structs[w->n++] = 0;
	}
}

static uint32_t name_offset(struct dtb_writer *w, const char *name)
{
	size_t len = str_len(name) + 1;

	for (size_t i = 0; i < w->slen; i += str_len(w->strings + i) + 1) {
		if (str_eq(w->strings + i, name)) {
			return (uint32_t)i;
		}
	}
	if (w->slen + len > sizeof(w->strings)) {
		w->overflow = true;
		return 0;
	}
	memcpy(w->strings + w->slen, name, len);
	w->slen += len;
	return (uint32_t)(w->slen - len);
}

static void begin_node(struct dtb_writer *w, const char *name)
{
	put32(w, FDT_BEGIN_NODE);
	put_padded(w, name, str_len(name) + 1);
}

static void prop(struct dtb_writer *w, const char *name, const void *val, uint32_t len)
{
	put32(w, FDT_PROP);
	put32(w, len);
	put32(w, name_offset(w, name));
	put_padded(w, val, len);
}

static void prop_u32(struct dtb_writer *w, const char *name, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	prop(w, name, b, sizeof(b));
}

/* "name@<hex>" without a libc. */
static void unit_name(char *out, size_t cap, const char *name, uint64_t addr)
{
	size_t n = 0;
	int shift = 60;

	while (*name && n + 1 < cap) {
		out[n++] = *name++;
	}
	if (n + 1 < cap) {
		out[n++] = '@';
	}
	while (shift > 0 && ((addr >> shift) & 15) == 0) {
		shift -= 4;
	}
	for (; shift >= 0 && n + 1 < cap; shift -= 4) {
		out[n++] = "0123456789abcdef"[(addr >> shift) & 15];
	}
	out[n] = 0;
}

size_t dtb_write_guest(uint8_t *buf, size_t cap, unsigned int vcpus, uint64_t mem_gpa,
		       uint64_t mem_size)
{
	static struct dtb_writer w; /* large: not on the stack */
	char name[32];
	uint8_t reg[16];

	memset(&w, 0, sizeof(w));
	begin_node(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop(&w, "compatible", "covemon,demo-tvm", sizeof("covemon,demo-tvm"));
	begin_node(&w, "cpus");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 0);
	prop_u32(&w, "timebase-frequency", 10000000);
	for (unsigned int i = 0; i < vcpus; i++) {
		unit_name(name, sizeof(name), "cpu", i);
		begin_node(&w, name);
		prop(&w, "device_type", "cpu", sizeof("cpu"));
		prop_u32(&w, "reg", i);
		prop(&w, "riscv,isa", "rv64imac", sizeof("rv64imac"));
		put32(&w, FDT_END_NODE);
	}
	put32(&w, FDT_END_NODE);
	unit_name(name, sizeof(name), "memory", mem_gpa);
	begin_node(&w, name);
	prop(&w, "device_type", "memory", sizeof("memory"));
	put_be32(reg, (uint32_t)(mem_gpa >> 32));
	put_be32(reg + 4, (uint32_t)mem_gpa);
	put_be32(reg + 8, (uint32_t)(mem_size >> 32));
	put_be32(reg + 12, (uint32_t)mem_size);
	prop(&w, "reg", reg, sizeof(reg));
	put32(&w, FDT_END_NODE);
	begin_node(&w, "chosen");
	put32(&w, FDT_END_NODE);
	put32(&w, FDT_END_NODE);
	put32(&w, FDT_END);

	size_t struct_off = FDT_HEADER + 16; /* the header, then an empty reservation map */
	size_t strings_off = struct_off + w.n;
	size_t total = strings_off + w.slen;
	if (w.overflow || total > cap) {
		return 0;
	}
	memset(buf, 0, total);
	put_be32(buf + 0, FDT_MAGIC);
	put_be32(buf + 4, (uint32_t)total);
	put_be32(buf + 8, (uint32_t)struct_off);
	put_be32(buf + 12, (uint32_t)strings_off);
	put_be32(buf + 16, FDT_HEADER);
	put_be32(buf + 20, FDT_VERSION);
	put_be32(buf + 24, FDT_LAST_COMP);
	put_be32(buf + 32, (uint32_t)w.slen);
	put_be32(buf + 36, (uint32_t)w.n);
	memcpy(buf + struct_off, w.structs, w.n);
	memcpy(buf + strings_off, w.strings, w.slen);
	return total;
}
