// SPDX-License-Identifier: BSD-2-Clause
/*
 * Flattened devicetree reader over untrusted blobs (see covemon/fdt.h).
 *
 * fdt_init() checks the header, the reservation block and every token once.
 * The readers then trust nothing but the struct: each token is decoded by
 * fdt_next_token(), which reads only inside the structure block, and each
 * property name only inside the strings block, so a wrong node offset or a
 * blob changed behind our back gives a wrong answer, never an access outside
 * the blob. Every loop advances by at least one 4-byte token, so every walk
 * ends.
 */
#include "covemon/fdt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"
#include "covemon/lib.h"

/* Byte offsets of the be32 header fields (DT spec v0.4 section 5.2, table 5.1). */
enum {
	FDT_HDR_MAGIC = 0,
	FDT_HDR_TOTALSIZE = 4,
	FDT_HDR_OFF_DT_STRUCT = 8,
	FDT_HDR_OFF_DT_STRINGS = 12,
	FDT_HDR_OFF_MEM_RSVMAP = 16,
	FDT_HDR_VERSION = 20,
	FDT_HDR_LAST_COMP_VERSION = 24,
	FDT_HDR_BOOT_CPUID_PHYS = 28,
	FDT_HDR_SIZE_DT_STRINGS = 32,
	FDT_HDR_SIZE_DT_STRUCT = 36,
};
_Static_assert(FDT_HDR_SIZE_DT_STRUCT + 4 == FDT_HEADER_SIZE, "header is ten be32 fields");

/* A reservation entry is two be64 values (DT spec v0.4 section 5.3.2). */
#define FDT_RSV_ENTRY_SIZE 16u

/* fdt_next_token()'s answer for a token that is unknown or does not fit. */
#define FDT_TOKEN_BAD 0u

/* fdt_init tracks "this open node has had a subnode" in one bit per level. */
_Static_assert(FDT_MAX_DEPTH >= 1 && FDT_MAX_DEPTH <= 32, "depth flags fit in a uint32_t");
_Static_assert(FDT_MAX_SIZE <= (uint32_t)INT32_MAX, "node offsets fit in an int");

/* Length of the string at @s, or @max when there is no NUL in the first @max bytes. */
static uint32_t fdt_strnlen(const uint8_t *s, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && s[n] != 0) {
		n++;
	}
	return n;
}

/* Length of a caller's (trusted) C string. */
static size_t fdt_cstrlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

/* True when the blob the struct describes lies inside its own totalsize. */
static bool fdt_sane(const struct fdt *fdt)
{
	return fdt != NULL && fdt->blob != NULL && fdt->size <= FDT_MAX_SIZE &&
	       mon_range_within(fdt->struct_off, fdt->struct_size, 0, fdt->size) &&
	       mon_range_within(fdt->strings_off, fdt->strings_size, 0, fdt->size);
}

/*
 * Decodes the token at structure-block offset @off. Returns its tag and sets
 * *@next to the offset of the token after it (name or value and padding
 * skipped), or returns FDT_TOKEN_BAD when @off is misaligned, the token or
 * its payload does not fit in the block, or the tag is unknown. Property
 * names are not looked at here (see fdt_prop_name).
 */
static uint32_t fdt_next_token(const struct fdt *fdt, uint32_t off, uint32_t *next)
{
	const uint8_t *s = fdt->blob + fdt->struct_off;
	uint32_t size = fdt->struct_size;
	uint32_t tag;
	uint32_t len;

	if (off > size || size - off < 4 || !mon_is_aligned(off, 4)) {
		return FDT_TOKEN_BAD;
	}
	tag = mon_load_be32(s + off);
	off += 4;
	switch (tag) {
	case FDT_BEGIN_NODE:
		len = fdt_strnlen(s + off, size - off);
		if (len == size - off) {
			return FDT_TOKEN_BAD; /* no NUL inside the block */
		}
		off += len + 1;
		break;
	case FDT_PROP:
		if (size - off < 8) {
			return FDT_TOKEN_BAD;
		}
		len = mon_load_be32(s + off);
		off += 8;
		if (len > size - off) {
			return FDT_TOKEN_BAD;
		}
		off += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END: break;
	default: return FDT_TOKEN_BAD;
	}
	/* Tokens are 4-aligned (section 5.4.1); the padding must fit too. */
	len = (4 - (off & 3)) & 3;
	if (size - off < len) {
		return FDT_TOKEN_BAD;
	}
	*next = off + len;
	return tag;
}

/*
 * The name of the FDT_PROP token at @off: NUL-terminated inside the strings
 * block, with its length in *@len. NULL when the token is not a property or
 * its nameoff or string does not fit.
 */
static const char *fdt_prop_name(const struct fdt *fdt, uint32_t off, uint32_t *len)
{
	const uint8_t *str = fdt->blob + fdt->strings_off;
	uint32_t nameoff;
	uint32_t n;

	if (off > fdt->struct_size || fdt->struct_size - off < 12) {
		return NULL;
	}
	nameoff = mon_load_be32(fdt->blob + fdt->struct_off + off + 8);
	if (nameoff >= fdt->strings_size) {
		return NULL;
	}
	n = fdt_strnlen(str + nameoff, fdt->strings_size - nameoff);
	if (n == fdt->strings_size - nameoff) {
		return NULL;
	}
	*len = n;
	return (const char *)(str + nameoff);
}

/*
 * True when the FDT_PROP token at @off is named @name (@want bytes, no NUL):
 * its name in the strings block is those bytes and a NUL, all inside the
 * block. The same answer as comparing fdt_prop_name's string, without
 * measuring names that cannot match.
 */
static bool fdt_prop_named(const struct fdt *fdt, uint32_t off, const char *name, size_t want)
{
	uint32_t nameoff;

	if (off > fdt->struct_size || fdt->struct_size - off < 12) {
		return false;
	}
	nameoff = mon_load_be32(fdt->blob + fdt->struct_off + off + 8);
	if (nameoff >= fdt->strings_size || fdt->strings_size - nameoff <= want) {
		return false;
	}
	const uint8_t *str = fdt->blob + fdt->strings_off + nameoff;
	return str[want] == 0 && mon_memcmp(str, name, want) == 0;
}

/*
 * True when @node is an in-range, aligned offset of an FDT_BEGIN_NODE token;
 * then *@body is the offset of the token after it (past the name).
 */
static bool fdt_enter_node(const struct fdt *fdt, int node, uint32_t *body)
{
	return fdt_sane(fdt) && node >= 0 &&
	       fdt_next_token(fdt, (uint32_t)node, body) == FDT_BEGIN_NODE;
}

/* The root: the first FDT_BEGIN_NODE, after any NOPs. */
static int fdt_root(const struct fdt *fdt)
{
	uint32_t off = 0;
	uint32_t next = 0;

	if (!fdt_sane(fdt)) {
		return FDT_NO_NODE;
	}
	for (;;) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE) {
			return (int)off;
		}
		if (tag != FDT_NOP) {
			return FDT_NO_NODE;
		}
		off = next;
	}
}

/*
 * Checks the structure block token by token (see fdt_init's contract). For
 * version 16, @f->struct_size is the rest of the blob on entry and is cut to
 * the end of FDT_END on success.
 */
static bool fdt_check_struct(struct fdt *f, bool exact_size)
{
	uint32_t off = 0;
	uint32_t next = 0;
	uint32_t depth = 0;	/* open nodes; the root is depth 1 */
	uint32_t has_child = 0; /* bit d: the open node at depth d + 1 has a subnode */
	bool root_seen = false;

	for (uint32_t tokens = 0; tokens < FDT_MAX_TOKENS; tokens++) {
		uint32_t tag = fdt_next_token(f, off, &next);
		uint32_t name_len;

		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0) {
				/* One root, named "" (section 5.4.2 and 2.2.1). */
				if (root_seen || f->blob[f->struct_off + off + 4] != 0) {
					return false;
				}
				root_seen = true;
			} else {
				has_child |= UINT32_C(1) << (depth - 1);
			}
			if (depth == FDT_MAX_DEPTH) {
				return false;
			}
			depth++;
			has_child &= ~(UINT32_C(1) << (depth - 1));
			break;
		case FDT_PROP:
			/* Properties come before subnodes (section 5.4.2). */
			if (depth == 0 || (has_child & (UINT32_C(1) << (depth - 1))) != 0) {
				return false;
			}
			if (fdt_prop_name(f, off, &name_len) == NULL) {
				return false;
			}
			break;
		case FDT_END_NODE:
			if (depth == 0) {
				return false;
			}
			depth--;
			break;
		case FDT_NOP: break;
		case FDT_END:
			if (depth != 0 || !root_seen) {
				return false;
			}
			if (exact_size) {
				return next == f->struct_size;
			}
			f->struct_size = next;
			return true;
		default: return false;
		}
		off = next;
	}
	return false; /* more than FDT_MAX_TOKENS tokens */
}

/*
 * Checks that the reservation block ends, within the blob, in a (0, 0) entry
 * and that no entry before it wraps.
 */
static bool fdt_check_rsvmap(const struct fdt *f)
{
	for (uint32_t i = 0; i < FDT_MAX_RSV_ENTRIES; i++) {
		uint64_t entry = (uint64_t)f->rsv_off + (uint64_t)i * FDT_RSV_ENTRY_SIZE;
		const uint8_t *p;
		uint64_t a;
		uint64_t s;
		uint64_t end;

		if (!mon_range_within(entry, FDT_RSV_ENTRY_SIZE, 0, f->size)) {
			return false;
		}
		p = f->blob + entry;
		a = mon_load_be64(p);
		s = mon_load_be64(p + 8);
		if (a == 0 && s == 0) {
			return true;
		}
		if (!mon_range_end(a, s, &end)) {
			return false; /* a reservation that wraps past 2^64 */
		}
	}
	return false;
}

/* True when [off, off + size) lies inside the blob and past the header. */
static bool fdt_block_ok(uint32_t off, uint32_t size, uint32_t totalsize)
{
	return mon_range_within(off, size, FDT_HEADER_SIZE, totalsize - FDT_HEADER_SIZE);
}

mon_err_t fdt_init(struct fdt *fdt, const void *blob, size_t len)
{
	const uint8_t *b = blob;
	struct fdt f;
	uint32_t version;
	uint32_t last_comp;
	bool v17;

	if (fdt == NULL || b == NULL || len < FDT_HEADER_SIZE) {
		return MON_ERR_INVALID_PARAM;
	}
	if (mon_load_be32(b + FDT_HDR_MAGIC) != FDT_MAGIC) {
		return MON_ERR_INVALID_PARAM;
	}
	f.blob = b;
	f.size = mon_load_be32(b + FDT_HDR_TOTALSIZE);
	if (f.size < FDT_HEADER_SIZE || f.size > len || f.size > FDT_MAX_SIZE) {
		return MON_ERR_INVALID_PARAM;
	}
	version = mon_load_be32(b + FDT_HDR_VERSION);
	last_comp = mon_load_be32(b + FDT_HDR_LAST_COMP_VERSION);
	if (version < FDT_MIN_VERSION || last_comp > FDT_MAX_COMP_VERSION || last_comp > version) {
		return MON_ERR_INVALID_PARAM;
	}
	v17 = version >= 17;
	f.struct_off = mon_load_be32(b + FDT_HDR_OFF_DT_STRUCT);
	f.strings_off = mon_load_be32(b + FDT_HDR_OFF_DT_STRINGS);
	f.strings_size = mon_load_be32(b + FDT_HDR_SIZE_DT_STRINGS);
	f.rsv_off = mon_load_be32(b + FDT_HDR_OFF_MEM_RSVMAP);
	if (v17) {
		f.struct_size = mon_load_be32(b + FDT_HDR_SIZE_DT_STRUCT);
	} else if (f.struct_off <= f.size) {
		/* Version 16 has no size_dt_struct: the walk finds the end. */
		f.struct_size = f.size - f.struct_off;
	} else {
		return MON_ERR_INVALID_PARAM;
	}
	if (!fdt_block_ok(f.struct_off, f.struct_size, f.size) ||
	    !fdt_block_ok(f.strings_off, f.strings_size, f.size) ||
	    !fdt_block_ok(f.rsv_off, 0, f.size)) {
		return MON_ERR_INVALID_PARAM;
	}
	/* Alignment of the blocks (sections 5.3.1 and 5.4.1). */
	if (!mon_is_aligned(f.struct_off, 4) || !mon_is_aligned(f.rsv_off, 8)) {
		return MON_ERR_INVALID_PARAM;
	}
	if (!fdt_check_rsvmap(&f) || !fdt_check_struct(&f, v17)) {
		return MON_ERR_INVALID_PARAM;
	}
	*fdt = f;
	return MON_OK;
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	uint32_t off = 0;
	uint32_t next = 0;

	if (!fdt_enter_node(fdt, node, &off)) {
		return FDT_NO_NODE;
	}
	/* The first FDT_BEGIN_NODE before the node's end is a direct child. */
	for (;;) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE) {
			return (int)off;
		}
		if (tag != FDT_PROP && tag != FDT_NOP) {
			return FDT_NO_NODE;
		}
		off = next;
	}
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	uint32_t off = 0;
	uint32_t next = 0;
	uint32_t depth = 1;

	if (!fdt_enter_node(fdt, node, &off)) {
		return FDT_NO_NODE;
	}
	/* Skip @node's whole subtree: depth returns to 0 at its FDT_END_NODE. */
	while (depth != 0) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (tag == FDT_END_NODE) {
			depth--;
		} else if (tag != FDT_PROP && tag != FDT_NOP) {
			return FDT_NO_NODE;
		}
		off = next;
	}
	for (;;) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE) {
			return (int)off;
		}
		if (tag != FDT_NOP) {
			return FDT_NO_NODE; /* the parent ends (or the blob is bad) */
		}
		off = next;
	}
}

const char *fdt_node_name(const struct fdt *fdt, int node, uint32_t *len)
{
	const char *name;
	uint32_t next = 0;

	if (!fdt_enter_node(fdt, node, &next)) {
		return NULL;
	}
	/* fdt_next_token found the NUL before @next; measure up to it. */
	name = (const char *)(fdt->blob + fdt->struct_off + (uint32_t)node + 4);
	if (len != NULL) {
		*len = fdt_strnlen((const uint8_t *)name, next - (uint32_t)node - 4);
	}
	return name;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	size_t want;
	uint32_t off = 0;
	uint32_t next = 0;

	if (name == NULL || !fdt_enter_node(fdt, node, &off)) {
		return NULL;
	}
	want = fdt_cstrlen(name);
	/* A node's properties come before its subnodes (checked by fdt_init). */
	for (;;) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_PROP) {
			if (fdt_prop_named(fdt, off, name, want)) {
				const uint8_t *p = fdt->blob + fdt->struct_off + off + 4;

				if (len != NULL) {
					*len = mon_load_be32(p);
				}
				return p + 8;
			}
		} else if (tag != FDT_NOP) {
			return NULL;
		}
		off = next;
	}
}

bool fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len != 4) {
		return false;
	}
	*out = mon_load_be32(p);
	return true;
}

/* True when @node's @name property is exactly the string @value. */
static bool fdt_prop_is_string(const struct fdt *fdt, int node, const char *name, const char *value)
{
	uint32_t len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	size_t vlen = fdt_cstrlen(value);

	return p != NULL && len == vlen + 1 && mon_memcmp(p, value, vlen + 1) == 0;
}

/*
 * Whether @node's name matches the path component @c (@clen bytes): exactly,
 * or, when @c has no '@', as the name before a unit address.
 */
static bool fdt_name_matches(const struct fdt *fdt, int node, const char *c, size_t clen,
			     bool has_unit)
{
	uint32_t nlen;
	const char *name = fdt_node_name(fdt, node, &nlen);

	if (name == NULL || nlen < clen || mon_memcmp(name, c, clen) != 0) {
		return false;
	}
	return nlen == clen || (!has_unit && name[clen] == '@');
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	int node;
	size_t i = 0;

	if (path == NULL || path[0] != '/') {
		return FDT_NO_NODE;
	}
	node = fdt_root(fdt);
	while (node >= 0) {
		size_t start;
		bool has_unit = false;
		int child;

		while (path[i] == '/') {
			i++;
		}
		if (path[i] == '\0') {
			return node;
		}
		start = i;
		while (path[i] != '/' && path[i] != '\0') {
			has_unit |= path[i] == '@';
			i++;
		}
		child = fdt_first_child(fdt, node);
		while (child >= 0 &&
		       !fdt_name_matches(fdt, child, path + start, i - start, has_unit)) {
			child = fdt_next_sibling(fdt, child);
		}
		node = child;
	}
	return FDT_NO_NODE;
}

/*
 * The parent of @node, found by walking from the root with a stack of open
 * nodes (bounded by FDT_MAX_DEPTH). FDT_NO_NODE for the root, or when @node
 * is not the offset of a node of this tree.
 */
static int fdt_parent(const struct fdt *fdt, int node)
{
	uint32_t stack[FDT_MAX_DEPTH];
	uint32_t depth = 0;
	uint32_t off = 0;
	uint32_t next = 0;

	if (!fdt_enter_node(fdt, node, &next)) {
		return FDT_NO_NODE;
	}
	for (;;) {
		uint32_t tag = fdt_next_token(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE) {
			if (off == (uint32_t)node) {
				return depth == 0 ? FDT_NO_NODE : (int)stack[depth - 1];
			}
			if (depth == FDT_MAX_DEPTH) {
				return FDT_NO_NODE;
			}
			stack[depth++] = off;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0) {
				return FDT_NO_NODE;
			}
			depth--;
		} else if (tag != FDT_PROP && tag != FDT_NOP) {
			return FDT_NO_NODE; /* FDT_END: @node is not a node of the tree */
		}
		off = next;
	}
}

/* Reads @cells (1 or 2) big-endian cells at @p. */
static uint64_t fdt_load_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? mon_load_be64(p) : mon_load_be32(p);
}

/* fdt_read_reg() of @node whose parent is @parent (FDT_NO_NODE for the root). */
static mon_err_t fdt_read_reg_below(const struct fdt *fdt, int parent, int node, unsigned int index,
				    uint64_t *addr, uint64_t *size)
{
	uint32_t ac = 2;
	uint32_t sc = 1;
	uint32_t len;
	uint32_t entry;
	const uint8_t *reg;
	uint64_t a;
	uint64_t s;
	uint64_t end;

	if (parent < 0) {
		return MON_ERR_INVALID_PARAM;
	}
	/* Absent cells properties take the defaults (section 2.3.5). */
	if (fdt_getprop(fdt, parent, "#address-cells", NULL) != NULL &&
	    !fdt_prop_u32(fdt, parent, "#address-cells", &ac)) {
		return MON_ERR_INVALID_PARAM;
	}
	if (fdt_getprop(fdt, parent, "#size-cells", NULL) != NULL &&
	    !fdt_prop_u32(fdt, parent, "#size-cells", &sc)) {
		return MON_ERR_INVALID_PARAM;
	}
	if (ac < 1 || ac > 2 || sc > 2) {
		return MON_ERR_INVALID_PARAM;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL) {
		return MON_ERR_NOT_SUPPORTED;
	}
	entry = (ac + sc) * 4;
	if (len % entry != 0) {
		return MON_ERR_INVALID_PARAM;
	}
	if (index >= len / entry) {
		return MON_ERR_NOT_SUPPORTED;
	}
	reg += (size_t)index * entry;
	a = fdt_load_cells(reg, ac);
	s = sc == 0 ? 0 : fdt_load_cells(reg + ac * 4, sc);
	if (!mon_range_end(a, s, &end)) {
		return MON_ERR_INVALID_PARAM;
	}
	*addr = a;
	*size = s;
	return MON_OK;
}

mon_err_t fdt_read_reg(const struct fdt *fdt, int node, unsigned int index, uint64_t *addr,
		       uint64_t *size)
{
	return fdt_read_reg_below(fdt, fdt_parent(fdt, node), node, index, addr, size);
}

/* True for "cpu" and "cpu@...": not "cpu-map" or "cpus". */
static bool fdt_is_cpu_name(const struct fdt *fdt, int node)
{
	uint32_t len;
	const char *name = fdt_node_name(fdt, node, &len);

	return name != NULL && len >= 3 && mon_memcmp(name, "cpu", 3) == 0 &&
	       (len == 3 || name[3] == '@');
}

unsigned int fdt_count_cpus(const struct fdt *fdt)
{
	unsigned int n = 0;
	int cpus = fdt_path_offset(fdt, "/cpus");

	for (int c = fdt_first_child(fdt, cpus); c >= 0; c = fdt_next_sibling(fdt, c)) {
		if (fdt_is_cpu_name(fdt, c) && fdt_prop_is_string(fdt, c, "device_type", "cpu")) {
			n++;
		}
	}
	return n;
}

/* True when the FDT_PROP token at @off holds exactly @value (@size bytes, its NUL included). */
static bool fdt_prop_value_is(const struct fdt *fdt, uint32_t off, const char *value, uint32_t size)
{
	const uint8_t *p = fdt->blob + fdt->struct_off + off + 4;

	return mon_load_be32(p) == size && mon_memcmp(p + 8, value, size) == 0;
}

/*
 * One walk of the tokens with a stack of open nodes. A node's properties
 * come before its subnodes (checked by fdt_init), so the first node in blob
 * order whose first device_type property is "memory" is met at that
 * property, with its parent on the stack for the cells of its "reg". The
 * cpu nodes are counted on the way, right below the first node named as
 * /cpus is: at depth 2, the root's children in order, as fdt_path_offset
 * finds it.
 */
mon_err_t fdt_vm_layout(const struct fdt *fdt, unsigned int *cpus, uint64_t *base, uint64_t *size)
{
	static const char type[] = "device_type";
	static const char memory[] = "memory";
	static const char cpu[] = "cpu";
	uint32_t stack[FDT_MAX_DEPTH];
	uint32_t depth = 0;
	uint32_t typed = 0; /* bit d: the open node at depth d + 1 had its device_type */
	uint32_t off = 0;
	uint32_t next = 0;
	int cpus_node = FDT_NO_NODE;
	int mem_node = FDT_NO_NODE;
	int mem_parent = FDT_NO_NODE;
	bool walking = true;

	*cpus = 0;
	if (!fdt_sane(fdt)) {
		return MON_ERR_INVALID_PARAM;
	}
	while (walking) {
		uint32_t tag = fdt_next_token(fdt, off, &next);
		uint32_t bit = depth ? UINT32_C(1) << (depth - 1) : 0;

		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == FDT_MAX_DEPTH) {
				/* Deeper than fdt_init allows: changed since. */
				if (mem_node == FDT_NO_NODE) {
					return MON_ERR_INVALID_PARAM;
				}
				walking = false;
				break;
			}
			stack[depth++] = off;
			typed &= ~(UINT32_C(1) << (depth - 1));
			if (depth == 2 && cpus_node == FDT_NO_NODE &&
			    fdt_name_matches(fdt, (int)off, "cpus", 4, false)) {
				cpus_node = (int)off;
			}
			break;
		case FDT_END_NODE:
			walking = depth != 0;
			depth -= walking;
			break;
		case FDT_PROP:
			if (depth == 0 || (typed & bit) ||
			    !fdt_prop_named(fdt, off, type, sizeof(type) - 1)) {
				break;
			}
			typed |= bit;
			if (mem_node == FDT_NO_NODE &&
			    fdt_prop_value_is(fdt, off, memory, sizeof(memory))) {
				mem_node = (int)stack[depth - 1];
				mem_parent = depth >= 2 ? (int)stack[depth - 2] : FDT_NO_NODE;
			}
			if (depth == 3 && cpus_node != FDT_NO_NODE &&
			    stack[1] == (uint32_t)cpus_node &&
			    fdt_prop_value_is(fdt, off, cpu, sizeof(cpu)) &&
			    fdt_is_cpu_name(fdt, (int)stack[2])) {
				(*cpus)++;
			}
			break;
		case FDT_NOP: break;
		default: walking = false; /* FDT_END, or a bad token */
		}
		off = next;
	}
	if (mem_node == FDT_NO_NODE) {
		return MON_ERR_NOT_SUPPORTED;
	}
	return fdt_read_reg_below(fdt, mem_parent, mem_node, 0, base, size);
}

mon_err_t fdt_memory(const struct fdt *fdt, uint64_t *base, uint64_t *size)
{
	unsigned int cpus;

	return fdt_vm_layout(fdt, &cpus, base, size);
}

mon_err_t fdt_rsv_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr, uint64_t *size)
{
	if (!fdt_sane(fdt)) {
		return MON_ERR_INVALID_PARAM;
	}
	/* Entries before @index must not be the terminator either. */
	for (unsigned int i = 0; i <= index && i < FDT_MAX_RSV_ENTRIES; i++) {
		uint64_t entry = (uint64_t)fdt->rsv_off + (uint64_t)i * FDT_RSV_ENTRY_SIZE;
		const uint8_t *p;
		uint64_t a;
		uint64_t s;
		uint64_t end;

		if (!mon_range_within(entry, FDT_RSV_ENTRY_SIZE, 0, fdt->size)) {
			return MON_ERR_INVALID_PARAM;
		}
		p = fdt->blob + entry;
		a = mon_load_be64(p);
		s = mon_load_be64(p + 8);
		if ((a == 0 && s == 0) || !mon_range_end(a, s, &end)) {
			return MON_ERR_INVALID_PARAM;
		}
		if (i == index) {
			*addr = a;
			*size = s;
			return MON_OK;
		}
	}
	return MON_ERR_INVALID_PARAM;
}

/* Reads a 32- or 64-bit property into *@out; false for any other length. */
static bool fdt_prop_u32_or_u64(const void *p, uint32_t len, uint64_t *out)
{
	if (len == 4) {
		*out = mon_load_be32(p);
		return true;
	}
	if (len == 8) {
		*out = mon_load_be64(p);
		return true;
	}
	return false;
}

mon_err_t fdt_initrd(const struct fdt *fdt, uint64_t *start, uint64_t *end)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint32_t slen = 0;
	uint32_t elen = 0;
	const void *sp;
	const void *ep;
	uint64_t s;
	uint64_t e;

	if (chosen < 0) {
		return MON_ERR_NOT_SUPPORTED;
	}
	sp = fdt_getprop(fdt, chosen, "linux,initrd-start", &slen);
	ep = fdt_getprop(fdt, chosen, "linux,initrd-end", &elen);
	if (sp == NULL && ep == NULL) {
		return MON_ERR_NOT_SUPPORTED;
	}
	if (sp == NULL || ep == NULL || !fdt_prop_u32_or_u64(sp, slen, &s) ||
	    !fdt_prop_u32_or_u64(ep, elen, &e) || e < s) {
		return MON_ERR_INVALID_PARAM;
	}
	*start = s;
	*end = e;
	return MON_OK;
}
