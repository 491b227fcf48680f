// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target: the devicetree reader (monitor/lib/fdt.c) over untrusted blobs.
 *
 * Input: the whole input is the blob, as the hypervisor or the boot stage
 * would hand it over (no framing, so real DTBs are seeds as they are).
 *
 * Oracles, besides ASan/UBSan (the blob is an exact-size heap copy, so any
 * read past it is caught):
 *   - fdt_init() accepts exactly the blobs its contract in covemon/fdt.h
 *     describes: a reference validator written from that contract, by token
 *     walk with 64-bit arithmetic, must agree with it both ways; it records
 *     every node and property of an accepted blob (the reference tree);
 *   - fdt_init() writes its output only on success; a blob accepted with
 *     bytes after its totalsize is validated and read again through an
 *     exact copy of its first totalsize bytes, so ASan sees any read past
 *     totalsize;
 *   - walking with fdt_first_child()/fdt_next_sibling() visits exactly the
 *     reference nodes, in blob order, with the right parents; every node
 *     offset returned is a 4-aligned FDT_BEGIN_NODE token inside the
 *     structure block, every name and property value lies inside it;
 *   - fdt_getprop(), fdt_prop_u32(), fdt_read_reg(), fdt_path_offset(),
 *     fdt_count_cpus(), fdt_memory(), fdt_initrd() and fdt_rsv_entry() give
 *     what a model of their documented behaviour over the reference tree
 *     gives, including the error code, and leave outputs alone where the
 *     header promises it;
 *   - any offset at all (misaligned, inside a property, negative, huge) given
 *     to the node readers yields a node-shaped answer inside the blob or none.
 * A violation aborts with a message naming it.
 */
#include "covemon/fdt.h"
#include "covemon/err.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nodes whose reg and properties are checked one by one (each check walks the tree). */
#define DEEP_NODES 256u
/* Properties per node looked up by their own name. */
#define DEEP_PROPS 32u
/* Structure-block offsets, from 0, handed to the node readers as arbitrary values. */
#define RAW_OFFSETS 512u
/* Reservation entries asked for (past FDT_MAX_RSV_ENTRIES on purpose). */
#define RSV_QUERIES 300u
/* Entries of "reg" read per node. */
#define REG_INDICES 4u

/* Every token is at least 4 bytes and there are at most FDT_MAX_TOKENS of them. */
#define REF_MAX FDT_MAX_TOKENS

struct ref_node {
	uint32_t off;	     /* of its FDT_BEGIN_NODE, from the structure block */
	uint32_t name_len;   /* without the NUL */
	int parent;	     /* index into ref_tree.nodes; -1 for the root */
	uint32_t first_prop; /* index into ref_tree.props */
	uint32_t nprops;
};

struct ref_prop {
	uint32_t val_off; /* of the value, from the structure block */
	uint32_t len;
	uint32_t nameoff; /* into the strings block */
};

/* Header fields of the blob as the reference validator reads them. */
struct ref_header {
	uint32_t totalsize, struct_off, struct_size, strings_off, strings_size, rsv_off;
	uint32_t rsv_count; /* entries before the (0, 0) terminator */
};

/* An accepted blob as the reference sees it; static because it is large. */
static struct ref_tree {
	const uint8_t *blob;
	struct ref_header h;
	uint32_t nnodes, nprops;
	struct ref_node nodes[REF_MAX];
	struct ref_prop props[REF_MAX];
} ref;

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_fdt: oracle failure: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* Whether [off, off + len) lies within [lo, hi), in 64-bit arithmetic that cannot wrap here. */
static bool within(uint64_t off, uint64_t len, uint64_t lo, uint64_t hi)
{
	return off >= lo && off <= hi && len <= hi - off;
}

/* Length of the NUL-terminated string at blob[off], or -1 when no NUL before blob[end]. */
static int64_t ref_strlen(const uint8_t *blob, uint64_t off, uint64_t end)
{
	for (uint64_t i = off; i < end; i++) {
		if (blob[i] == 0) {
			return (int64_t)(i - off);
		}
	}
	return -1;
}

/* ---- Reference validator, written from fdt_init()'s contract ---- */

static bool ref_header(const uint8_t *b, size_t len, struct ref_header *h)
{
	uint32_t version, last_comp;

	if (len < FDT_HEADER_SIZE || be32(b) != FDT_MAGIC) {
		return false;
	}
	h->totalsize = be32(b + 4);
	if (h->totalsize < FDT_HEADER_SIZE || h->totalsize > len || h->totalsize > FDT_MAX_SIZE) {
		return false;
	}
	version = be32(b + 20);
	last_comp = be32(b + 24);
	/*
	 * The contract says version >= 16 and last_comp_version <= 17; the
	 * reader also refuses last_comp_version > version, which no real blob
	 * has (a version is always compatible with itself).
	 */
	if (version < FDT_MIN_VERSION || last_comp > FDT_MAX_COMP_VERSION || last_comp > version) {
		return false;
	}
	h->struct_off = be32(b + 8);
	h->strings_off = be32(b + 12);
	h->rsv_off = be32(b + 16);
	h->strings_size = be32(b + 32);
	if (version >= 17) {
		h->struct_size = be32(b + 36);
	} else if (h->struct_off <= h->totalsize) {
		h->struct_size = h->totalsize - h->struct_off; /* cut at FDT_END below */
	} else {
		return false;
	}
	/* Every block inside totalsize and past the header. */
	if (!within(h->struct_off, h->struct_size, FDT_HEADER_SIZE, h->totalsize) ||
	    !within(h->strings_off, h->strings_size, FDT_HEADER_SIZE, h->totalsize) ||
	    !within(h->rsv_off, 0, FDT_HEADER_SIZE, h->totalsize)) {
		return false;
	}
	return h->struct_off % 4 == 0 && h->rsv_off % 8 == 0;
}

/*
 * The reservation block ends in a (0, 0) entry inside totalsize after at
 * most FDT_MAX_RSV_ENTRIES entries in all. The reader also refuses an entry
 * whose range wraps past 2^64, which the contract of fdt_init() leaves out.
 */
static bool ref_rsvmap(const uint8_t *b, struct ref_header *h)
{
	for (uint32_t i = 0; i < FDT_MAX_RSV_ENTRIES; i++) {
		uint64_t e = (uint64_t)h->rsv_off + 16u * (uint64_t)i;
		uint64_t a, s, end;

		if (!within(e, 16, 0, h->totalsize)) {
			return false;
		}
		a = be64(b + e);
		s = be64(b + e + 8);
		if (a == 0 && s == 0) {
			h->rsv_count = i;
			return true;
		}
		if (__builtin_add_overflow(a, s, &end)) {
			return false;
		}
	}
	return false;
}

/* Pads @off (relative to the block) to 4 and checks the padding fits in @size. */
static bool ref_pad(uint64_t *off, uint64_t size)
{
	uint64_t padded = (*off + 3) & ~(uint64_t)3;

	if (padded > size) {
		return false;
	}
	*off = padded;
	return true;
}

/*
 * Walks the structure block token by token, checking the grammar of the
 * contract, and records the tree. On success for version 16 the block size
 * is cut to the end of FDT_END.
 */
static bool ref_struct(const uint8_t *b, bool v17)
{
	struct ref_header *h = &ref.h;
	const uint8_t *s = b + h->struct_off;
	uint64_t size = h->struct_size;
	uint64_t off = 0;
	int stack[FDT_MAX_DEPTH];
	bool has_child[FDT_MAX_DEPTH];
	uint32_t depth = 0;

	ref.nnodes = 0;
	ref.nprops = 0;
	for (uint32_t tokens = 0; tokens < FDT_MAX_TOKENS; tokens++) {
		uint32_t tag;

		if (!within(off, 4, 0, size)) {
			return false;
		}
		tag = be32(s + off);
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			int64_t n = ref_strlen(s, off, size);
			struct ref_node *node = &ref.nodes[ref.nnodes];

			if (n < 0 || depth == FDT_MAX_DEPTH) {
				return false;
			}
			if (depth == 0 && (ref.nnodes != 0 || n != 0)) {
				return false; /* a second root, or a root with a name */
			}
			if (depth > 0) {
				has_child[depth - 1] = true;
			}
			node->off = (uint32_t)(off - 4);
			node->name_len = (uint32_t)n;
			node->parent = depth == 0 ? -1 : stack[depth - 1];
			node->first_prop = ref.nprops;
			node->nprops = 0;
			stack[depth] = (int)ref.nnodes;
			has_child[depth] = false;
			depth++;
			ref.nnodes++;
			off += (uint64_t)n + 1;
		} else if (tag == FDT_PROP) {
			struct ref_prop *p = &ref.props[ref.nprops];
			uint64_t nameoff;

			if (depth == 0 || has_child[depth - 1] || !within(off, 8, 0, size)) {
				return false;
			}
			p->len = be32(s + off);
			nameoff = be32(s + off + 4);
			off += 8;
			if (!within(off, p->len, 0, size) || nameoff >= h->strings_size ||
			    ref_strlen(b, h->strings_off + nameoff,
				       (uint64_t)h->strings_off + h->strings_size) < 0) {
				return false;
			}
			p->val_off = (uint32_t)off;
			p->nameoff = (uint32_t)nameoff;
			ref.nodes[stack[depth - 1]].nprops++;
			ref.nprops++;
			off += p->len;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0) {
				return false;
			}
			depth--;
		} else if (tag == FDT_END) {
			if (depth != 0 || ref.nnodes == 0) {
				return false;
			}
			if (v17) {
				return off == size;
			}
			h->struct_size = (uint32_t)off;
			return true;
		} else if (tag != FDT_NOP) {
			return false;
		}
		if (!ref_pad(&off, size)) {
			return false;
		}
	}
	return false;
}

/*
 * Properties of a node must be contiguous in ref.props: a node's properties
 * all precede its first subnode, so no other node's property is recorded in
 * between. The walk above relies on that; this says so.
 */
static void ref_check_prop_layout(void)
{
	for (uint32_t i = 0; i + 1 < ref.nnodes; i++) {
		const struct ref_node *n = &ref.nodes[i];

		if (n->first_prop + n->nprops > ref.nodes[i + 1].first_prop) {
			fail("reference tree: properties of node %u interleave", i);
		}
	}
}

static bool ref_validate(const uint8_t *b, size_t len)
{
	memset(&ref.h, 0, sizeof(ref.h));
	ref.blob = b;
	if (!ref_header(b, len, &ref.h) || !ref_rsvmap(b, &ref.h)) {
		return false;
	}
	return ref_struct(b, be32(b + 20) >= 17);
}

/* ---- Models of the readers over the reference tree ---- */

static const char *ref_prop_name(const struct ref_prop *p)
{
	return (const char *)ref.blob + ref.h.strings_off + p->nameoff;
}

static const uint8_t *ref_prop_val(const struct ref_prop *p)
{
	return ref.blob + ref.h.struct_off + p->val_off;
}

static const char *ref_node_name(const struct ref_node *n)
{
	return (const char *)ref.blob + ref.h.struct_off + n->off + 4;
}

/* The node's own first property called @name, or NULL. */
static const struct ref_prop *ref_getprop(int node, const char *name)
{
	const struct ref_node *n = &ref.nodes[node];

	for (uint32_t i = 0; i < n->nprops; i++) {
		const struct ref_prop *p = &ref.props[n->first_prop + i];

		if (strcmp(ref_prop_name(p), name) == 0) {
			return p;
		}
	}
	return NULL;
}

static bool ref_prop_is_string(int node, const char *name, const char *value)
{
	const struct ref_prop *p = ref_getprop(node, name);

	return p != NULL && p->len == strlen(value) + 1 &&
	       memcmp(ref_prop_val(p), value, p->len) == 0;
}

/* Index of the node at structure offset @off, or -1. */
static int ref_find(int off)
{
	uint32_t lo = 0;
	uint32_t hi = ref.nnodes;

	/* Nodes are recorded in blob order, so offsets increase. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if ((int64_t)ref.nodes[mid].off == off) {
			return (int)mid;
		}
		if ((int64_t)ref.nodes[mid].off < off) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -1;
}

static int ref_off(int node)
{
	return node < 0 ? FDT_NO_NODE : (int)ref.nodes[node].off;
}

/* fdt_read_reg() as covemon/fdt.h documents it. */
static mon_err_t ref_read_reg(int node, unsigned int index, uint64_t *addr, uint64_t *size)
{
	const struct ref_prop *p;
	int parent = node < 0 ? -1 : ref.nodes[node].parent;
	uint32_t ac = 2, sc = 1, entry;
	uint64_t a, s, end;
	const uint8_t *r;

	if (parent < 0) {
		return MON_ERR_INVALID_PARAM;
	}
	p = ref_getprop(parent, "#address-cells");
	if (p != NULL) {
		if (p->len != 4) {
			return MON_ERR_INVALID_PARAM;
		}
		ac = be32(ref_prop_val(p));
	}
	p = ref_getprop(parent, "#size-cells");
	if (p != NULL) {
		if (p->len != 4) {
			return MON_ERR_INVALID_PARAM;
		}
		sc = be32(ref_prop_val(p));
	}
	if (ac < 1 || ac > 2 || sc > 2) {
		return MON_ERR_INVALID_PARAM;
	}
	p = ref_getprop(node, "reg");
	if (p == NULL) {
		return MON_ERR_NOT_SUPPORTED;
	}
	entry = 4 * (ac + sc);
	if (p->len % entry != 0) {
		return MON_ERR_INVALID_PARAM;
	}
	if (index >= p->len / entry) {
		return MON_ERR_NOT_SUPPORTED;
	}
	r = ref_prop_val(p) + (size_t)index * entry;
	a = ac == 2 ? be64(r) : be32(r);
	s = sc == 0 ? 0 : sc == 2 ? be64(r + 4 * ac) : be32(r + 4 * ac);
	if (__builtin_add_overflow(a, s, &end)) {
		return MON_ERR_INVALID_PARAM;
	}
	*addr = a;
	*size = s;
	return MON_OK;
}

/* Whether node @i matches the path component [c, c + clen). */
static bool ref_component_matches(int i, const char *c, size_t clen)
{
	const struct ref_node *n = &ref.nodes[i];
	const char *name = ref_node_name(n);
	bool has_unit = memchr(c, '@', clen) != NULL;

	if (n->name_len < clen || memcmp(name, c, clen) != 0) {
		return false;
	}
	return n->name_len == clen || (!has_unit && name[clen] == '@');
}

/* First child of @parent, in blob order, matching the component; -1 when none. */
static int ref_child(int parent, const char *c, size_t clen)
{
	for (uint32_t i = (uint32_t)parent + 1; i < ref.nnodes; i++) {
		if (ref.nodes[i].parent == parent && ref_component_matches((int)i, c, clen)) {
			return (int)i;
		}
	}
	return -1;
}

static int ref_path(const char *path)
{
	int node = 0;
	size_t i = 0;

	if (path[0] != '/') {
		return -1;
	}
	while (node >= 0) {
		size_t start;

		while (path[i] == '/') {
			i++;
		}
		if (path[i] == '\0') {
			return node;
		}
		start = i;
		while (path[i] != '/' && path[i] != '\0') {
			i++;
		}
		node = ref_child(node, path + start, i - start);
	}
	return -1;
}

static unsigned int ref_count_cpus(void)
{
	int cpus = ref_path("/cpus");
	unsigned int n = 0;

	if (cpus < 0) {
		return 0;
	}
	for (uint32_t i = (uint32_t)cpus + 1; i < ref.nnodes; i++) {
		const struct ref_node *c = &ref.nodes[i];
		const char *name = ref_node_name(c);

		if (c->parent == cpus && c->name_len >= 3 && memcmp(name, "cpu", 3) == 0 &&
		    (c->name_len == 3 || name[3] == '@') &&
		    ref_prop_is_string((int)i, "device_type", "cpu")) {
			n++;
		}
	}
	return n;
}

static mon_err_t ref_memory(uint64_t *base, uint64_t *size)
{
	for (uint32_t i = 0; i < ref.nnodes; i++) {
		if (ref_prop_is_string((int)i, "device_type", "memory")) {
			return ref_read_reg((int)i, 0, base, size);
		}
	}
	return MON_ERR_NOT_SUPPORTED;
}

static bool ref_u32_or_u64(const struct ref_prop *p, uint64_t *v)
{
	if (p->len == 4) {
		*v = be32(ref_prop_val(p));
		return true;
	}
	if (p->len == 8) {
		*v = be64(ref_prop_val(p));
		return true;
	}
	return false;
}

static mon_err_t ref_initrd(uint64_t *start, uint64_t *end)
{
	int chosen = ref_path("/chosen");
	const struct ref_prop *s, *e;

	if (chosen < 0) {
		return MON_ERR_NOT_SUPPORTED;
	}
	s = ref_getprop(chosen, "linux,initrd-start");
	e = ref_getprop(chosen, "linux,initrd-end");
	if (s == NULL && e == NULL) {
		return MON_ERR_NOT_SUPPORTED;
	}
	if (s == NULL || e == NULL || !ref_u32_or_u64(s, start) || !ref_u32_or_u64(e, end) ||
	    *end < *start) {
		return MON_ERR_INVALID_PARAM;
	}
	return MON_OK;
}

/* ---- Checks of the real reader against the reference ---- */

/* A pointer the reader returned must lie, with @len bytes after it, in the structure block. */
static void check_in_struct(const struct fdt *f, const void *p, uint64_t len, const char *what)
{
	uintptr_t lo = (uintptr_t)f->blob + f->struct_off;
	uintptr_t q = (uintptr_t)p;

	if (q < lo || !within(q - lo, len, 0, f->struct_size)) {
		fail("%s: %llu bytes at struct offset %lld lie outside the structure block (%u "
		     "bytes)",
		     what, (unsigned long long)len, (long long)(q - lo), f->struct_size);
	}
}

/* Whatever offset it was asked about, a node reader returns a node token or FDT_NO_NODE. */
static void check_node_shape(const struct fdt *f, int node, const char *what)
{
	if (node == FDT_NO_NODE) {
		return;
	}
	if (node < 0 || node % 4 != 0 || !within((uint64_t)node, 8, 0, f->struct_size) ||
	    be32(f->blob + f->struct_off + node) != FDT_BEGIN_NODE) {
		fail("%s returned %d, not FDT_NO_NODE or an FDT_BEGIN_NODE token", what, node);
	}
}

static void check_name(const struct fdt *f, int node, const char *what)
{
	uint32_t len = UINT32_MAX;
	const char *name = fdt_node_name(f, node, &len);

	if (name == NULL) {
		return;
	}
	check_in_struct(f, name, (uint64_t)len + 1, what);
	if (name[len] != '\0' || memchr(name, 0, len) != NULL) {
		fail("%s: name of node %d is not %u bytes then NUL", what, node, len);
	}
}

static void check_prop(const struct fdt *f, const void *p, uint32_t len, const char *what)
{
	if (p == NULL) {
		return;
	}
	check_in_struct(f, p, len, what);
	/* The value follows FDT_PROP, len and nameoff. */
	check_in_struct(f, (const uint8_t *)p - 12, 12, what);
	if (be32((const uint8_t *)p - 12) != FDT_PROP || be32((const uint8_t *)p - 8) != len) {
		fail("%s: value is not preceded by its FDT_PROP header", what);
	}
}

/* What fdt_getprop() and fdt_prop_u32() give for @name must match the model. */
static void check_getprop(const struct fdt *f, int i, const char *name)
{
	int node = ref_off(i);
	const struct ref_prop *want = ref_getprop(i, name);
	uint32_t len = UINT32_MAX;
	const void *got = fdt_getprop(f, node, name, &len);
	uint32_t v = 0x5eed5eedu;
	bool ok;

	if (want == NULL ? got != NULL
			 : got != (const void *)ref_prop_val(want) || len != want->len) {
		fail("fdt_getprop(node %d, \"%s\") = %p/%u, expected %p/%u", node, name, got, len,
		     want ? (const void *)ref_prop_val(want) : NULL, want ? want->len : 0);
	}
	check_prop(f, got, len, "fdt_getprop");
	if (fdt_getprop(f, node, name, NULL) != got) {
		fail("fdt_getprop(node %d, \"%s\") depends on whether len is asked for", node,
		     name);
	}
	ok = fdt_prop_u32(f, node, name, &v);
	if (ok != (want != NULL && want->len == 4)) {
		fail("fdt_prop_u32(node %d, \"%s\") = %d for a %u-byte value", node, name, ok,
		     want ? want->len : 0);
	}
	if (ok ? v != be32(ref_prop_val(want)) : v != 0x5eed5eedu) {
		fail("fdt_prop_u32(node %d, \"%s\") read %#x", node, name, v);
	}
}

static void check_read_reg(const struct fdt *f, int i, unsigned int index)
{
	uint64_t a = 0xa5a5a5a5a5a5a5a5u, s = 0x5a5a5a5a5a5a5a5au;
	uint64_t wa = 0, ws = 0;
	mon_err_t got = fdt_read_reg(f, ref_off(i), index, &a, &s);
	mon_err_t want = ref_read_reg(i, index, &wa, &ws);

	if (got != want) {
		fail("fdt_read_reg(node %d, %u) = %d, expected %d", ref_off(i), index, got, want);
	}
	if (got == MON_OK ? a != wa || s != ws
			  : a != 0xa5a5a5a5a5a5a5a5u || s != 0x5a5a5a5a5a5a5a5au) {
		fail("fdt_read_reg(node %d, %u) gave %#llx+%#llx, expected %#llx+%#llx", ref_off(i),
		     index, (unsigned long long)a, (unsigned long long)s, (unsigned long long)wa,
		     (unsigned long long)ws);
	}
}

static const char *const prop_names[] = {
	"reg",	      "#address-cells", "#size-cells",	      "device_type",
	"compatible", "status",		"linux,initrd-start", "linux,initrd-end",
	"bootargs",   "riscv,isa",	"stdout-path",	      "",
};

/* Everything about reference node @i the readers can be asked. */
static void check_node(const struct fdt *f, int i)
{
	const struct ref_node *n = &ref.nodes[i];
	uint32_t len = UINT32_MAX;
	const char *name = fdt_node_name(f, (int)n->off, &len);

	if (name != ref_node_name(n) || len != n->name_len) {
		fail("fdt_node_name(%u) = %p/%u, expected %p/%u", n->off, (const void *)name, len,
		     (const void *)ref_node_name(n), n->name_len);
	}
	if (fdt_node_name(f, (int)n->off, NULL) != name) {
		fail("fdt_node_name(%u) depends on whether len is asked for", n->off);
	}
	for (size_t k = 0; k < sizeof(prop_names) / sizeof(prop_names[0]); k++) {
		check_getprop(f, i, prop_names[k]);
	}
	/* Every property by its own name: the first one so named must come back. */
	for (uint32_t k = 0; k < n->nprops && k < DEEP_PROPS; k++) {
		check_getprop(f, i, ref_prop_name(&ref.props[n->first_prop + k]));
	}
	for (unsigned int idx = 0; idx < REG_INDICES; idx++) {
		check_read_reg(f, i, idx);
	}
}

/*
 * Pre-order walk with fdt_first_child()/fdt_next_sibling(): must visit the
 * reference nodes in order, each under its reference parent. Bounded by the
 * reference node count and FDT_MAX_DEPTH, whatever the reader answers.
 */
static void check_walk(const struct fdt *f)
{
	int stack[FDT_MAX_DEPTH];
	uint32_t depth = 0;
	uint32_t seen = 0;
	int node = fdt_path_offset(f, "/");

	if (node != (int)ref.nodes[0].off) {
		fail("fdt_path_offset(\"/\") = %d, root is at %u", node, ref.nodes[0].off);
	}
	for (;;) {
		int parent = depth == 0 ? FDT_NO_NODE : stack[depth - 1];
		int child;

		check_node_shape(f, node, "walk");
		if (seen >= ref.nnodes || node != (int)ref.nodes[seen].off) {
			fail("walk: node #%u is %d, expected %d", seen, node,
			     seen < ref.nnodes ? (int)ref.nodes[seen].off : FDT_NO_NODE);
		}
		if (parent != ref_off(ref.nodes[seen].parent)) {
			fail("walk: node %d found under %d, its parent is %d", node, parent,
			     ref_off(ref.nodes[seen].parent));
		}
		seen++;
		child = fdt_first_child(f, node);
		if (child >= 0) {
			if (depth == FDT_MAX_DEPTH) {
				fail("walk: node %d has a child deeper than FDT_MAX_DEPTH", node);
			}
			stack[depth++] = node;
			node = child;
			continue;
		}
		check_node_shape(f, child, "fdt_first_child");
		for (;;) {
			int sib = fdt_next_sibling(f, node);

			check_node_shape(f, sib, "fdt_next_sibling");
			if (sib >= 0 && depth == 0) {
				fail("walk: the root has a sibling at %d", sib);
			}
			if (sib >= 0) {
				node = sib;
				break;
			}
			if (depth == 0) {
				if (seen != ref.nnodes) {
					fail("walk visited %u nodes of %u", seen, ref.nnodes);
				}
				return;
			}
			node = stack[--depth];
		}
	}
}

static const char *const paths[] = {
	"/",
	"/cpus",
	"/memory",
	"/chosen",
	"/soc",
	"/cpus/cpu",
	"/cpus/cpu@0",
	"/cpus/cpu@1/interrupt-controller",
	"//chosen/",
	"/memory@80000000",
	"/soc/serial@10000000",
	"/cpus/cpu-map",
	"/nonexistent",
	"cpus",
	"",
	"/@",
	"/cpus@",
};

static void check_paths(const struct fdt *f)
{
	for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
		int got = fdt_path_offset(f, paths[k]);
		int want = ref_off(ref_path(paths[k]));

		if (got != want) {
			fail("fdt_path_offset(\"%s\") = %d, expected %d", paths[k], got, want);
		}
	}
	/* Every node's own name as a path component below its parent, when the parent is the root.
	 */
	for (uint32_t i = 1; i < ref.nnodes && i < DEEP_NODES; i++) {
		char path[256];
		const struct ref_node *n = &ref.nodes[i];

		if (n->parent != 0 || n->name_len + 2 > sizeof(path)) {
			continue;
		}
		path[0] = '/';
		memcpy(path + 1, ref_node_name(n), n->name_len + 1);
		if (fdt_path_offset(f, path) != ref_off(ref_path(path))) {
			fail("fdt_path_offset(\"%s\") = %d, expected %d", path,
			     fdt_path_offset(f, path), ref_off(ref_path(path)));
		}
	}
}

static void check_summaries(const struct fdt *f)
{
	uint64_t a = 0, s = 0, wa = 0, ws = 0;
	unsigned int cpus = fdt_count_cpus(f);
	mon_err_t got, want;
	bool ended = false;

	if (cpus != ref_count_cpus()) {
		fail("fdt_count_cpus = %u, expected %u", cpus, ref_count_cpus());
	}
	got = fdt_memory(f, &a, &s);
	want = ref_memory(&wa, &ws);
	if (got != want || (got == MON_OK && (a != wa || s != ws))) {
		fail("fdt_memory = %d %#llx+%#llx, expected %d %#llx+%#llx", got,
		     (unsigned long long)a, (unsigned long long)s, want, (unsigned long long)wa,
		     (unsigned long long)ws);
	}
	got = fdt_initrd(f, &a, &s);
	want = ref_initrd(&wa, &ws);
	if (got != want || (got == MON_OK && (a != wa || s != ws))) {
		fail("fdt_initrd = %d [%#llx, %#llx), expected %d [%#llx, %#llx)", got,
		     (unsigned long long)a, (unsigned long long)s, want, (unsigned long long)wa,
		     (unsigned long long)ws);
	}
	for (unsigned int i = 0; i < RSV_QUERIES; i++) {
		got = fdt_rsv_entry(f, i, &a, &s);
		want = i < ref.h.rsv_count ? MON_OK : MON_ERR_INVALID_PARAM;
		if (got != want ||
		    (got == MON_OK && (a != be64(f->blob + f->rsv_off + 16u * i) ||
				       s != be64(f->blob + f->rsv_off + 16u * i + 8)))) {
			fail("fdt_rsv_entry(%u) = %d, expected %d (%u entries)", i, got, want,
			     ref.h.rsv_count);
		}
		ended |= got != MON_OK;
	}
	if (!ended && RSV_QUERIES > FDT_MAX_RSV_ENTRIES) {
		fail("fdt_rsv_entry returned more than FDT_MAX_RSV_ENTRIES entries");
	}
}

/*
 * Arbitrary offsets: misaligned, inside names and values, past the block,
 * negative. The readers may give a wrong answer for a non-node, but only a
 * node-shaped one inside the blob.
 */
static void check_raw_offset(const struct fdt *f, int off)
{
	uint32_t len = UINT32_MAX;
	uint64_t a = 0, s = 0;
	const void *p;
	uint32_t v;

	check_node_shape(f, fdt_first_child(f, off), "fdt_first_child(raw)");
	check_node_shape(f, fdt_next_sibling(f, off), "fdt_next_sibling(raw)");
	check_name(f, off, "fdt_node_name(raw)");
	p = fdt_getprop(f, off, "reg", &len);
	check_prop(f, p, len, "fdt_getprop(raw)");
	if (fdt_prop_u32(f, off, "#address-cells", &v) &&
	    (fdt_getprop(f, off, "#address-cells", &len) == NULL || len != 4)) {
		fail("fdt_prop_u32(raw %d) read a property fdt_getprop does not see as 4 bytes",
		     off);
	}
	if (ref_find(off) < 0 && fdt_read_reg(f, off, 0, &a, &s) != MON_ERR_INVALID_PARAM) {
		fail("fdt_read_reg accepted %d, which is not a node of the tree", off);
	}
}

static void check_raw_offsets(const struct fdt *f)
{
	static const int extremes[] = { -1, -4, INT_MIN, INT_MAX, INT_MAX - 3 };
	uint32_t end = f->struct_size < RAW_OFFSETS ? f->struct_size + 8 : RAW_OFFSETS;

	for (uint32_t off = 0; off < end; off++) {
		check_raw_offset(f, (int)off);
	}
	for (size_t k = 0; k < sizeof(extremes) / sizeof(extremes[0]); k++) {
		check_raw_offset(f, extremes[k]);
	}
	check_raw_offset(f, (int)f->struct_size);
	check_raw_offset(f, (int)f->struct_size - 4);
}

/* A struct fdt that fdt_init() never filled: every reader must refuse it. */
static void check_unvalidated(void)
{
	struct fdt z;
	uint64_t a, s;

	memset(&z, 0, sizeof(z));
	if (fdt_path_offset(&z, "/") != FDT_NO_NODE || fdt_first_child(&z, 0) != FDT_NO_NODE ||
	    fdt_node_name(&z, 0, NULL) != NULL || fdt_getprop(&z, 0, "reg", NULL) != NULL ||
	    fdt_count_cpus(&z) != 0 || fdt_memory(&z, &a, &s) == MON_OK ||
	    fdt_rsv_entry(&z, 0, &a, &s) != MON_ERR_INVALID_PARAM ||
	    fdt_initrd(&z, &a, &s) != MON_ERR_NOT_SUPPORTED) {
		fail("a zeroed struct fdt was read as a blob");
	}
}

static void check_fields(const struct fdt *f, const uint8_t *blob)
{
	const struct ref_header *h = &ref.h;

	if (f->blob != blob || f->size != h->totalsize || f->struct_off != h->struct_off ||
	    f->struct_size != h->struct_size || f->strings_off != h->strings_off ||
	    f->strings_size != h->strings_size || f->rsv_off != h->rsv_off) {
		fail("fdt_init described the blob as size %u struct %u+%u strings %u+%u rsv %u, "
		     "expected %u %u+%u %u+%u %u",
		     f->size, f->struct_off, f->struct_size, f->strings_off, f->strings_size,
		     f->rsv_off, h->totalsize, h->struct_off, h->struct_size, h->strings_off,
		     h->strings_size, h->rsv_off);
	}
}

static void check_blob(const struct fdt *f)
{
	check_walk(f);
	for (uint32_t i = 0; i < ref.nnodes && i < DEEP_NODES; i++) {
		check_node(f, (int)i);
	}
	check_paths(f);
	check_summaries(f);
	check_raw_offsets(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt f, untouched;
	bool want;
	mon_err_t got;

	memset(&f, 0xa5, sizeof(f));
	memcpy(&untouched, &f, sizeof(f));
	got = fdt_init(&f, data, size);
	want = ref_validate(data, size);
	if ((got == MON_OK) != want || (got != MON_OK && got != MON_ERR_INVALID_PARAM)) {
		fail("fdt_init = %d, but the contract says the blob is %s", got,
		     want ? "valid" : "invalid");
	}
	if (got != MON_OK) {
		if (memcmp(&f, &untouched, sizeof(f)) != 0) {
			fail("fdt_init wrote its output on failure");
		}
		return 0;
	}
	ref_check_prop_layout();
	check_fields(&f, data);
	check_unvalidated();

	if (f.size < size) {
		/* Everything again on an exact copy of totalsize bytes: ASan sees any read past it.
		 */
		uint8_t *copy = malloc(f.size);
		struct fdt g;

		if (copy == NULL) {
			return 0;
		}
		memcpy(copy, data, f.size);
		if (fdt_init(&g, copy, f.size) != MON_OK || !ref_validate(copy, f.size)) {
			fail("the blob's first totalsize bytes are not a valid blob on their own");
		}
		check_fields(&g, copy);
		check_blob(&g);
		free(copy);
	} else {
		check_blob(&f);
	}
	return 0;
}
