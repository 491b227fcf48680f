/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bounded reader of flattened devicetrees (DTB, Devicetree Specification
 * v0.4 chapter 5). The blobs it reads are untrusted: a confidential VM's FDT
 * comes from the hypervisor (copied during promote_to_tvm) and the host FDT
 * from the boot stage. fdt_init() validates the whole blob once, with no side
 * effects until it succeeds; every other function still bounds-checks each
 * read, so none of them reads outside [blob, blob + size) whatever the bytes
 * or the node offsets passed in.
 *
 * Nodes are named by the offset of their FDT_BEGIN_NODE token from the start
 * of the structure block, as in libfdt. No function recurses: walks are
 * linear and their depth is bounded by FDT_MAX_DEPTH.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"

/* Header magic and structure block tokens (DT spec v0.4 sections 5.2, 5.4.1). */
#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE   0x2u
#define FDT_PROP       0x3u
#define FDT_NOP	       0x4u
#define FDT_END	       0x9u

/* The header of versions 16 and 17 as read by fdt_init (ten be32 fields). */
#define FDT_HEADER_SIZE 40u

/* Versions this reader understands (DT spec v0.4 section 5.2). */
#define FDT_MIN_VERSION	     16u
#define FDT_MAX_COMP_VERSION 17u

/*
 * Limits on untrusted blobs, checked by fdt_init. Depth counts the root as 1;
 * the QEMU virt tree is 5 deep. The token bound caps the validation walk
 * (tokens are at least 4 bytes, so the buffer length bounds it anyway; this
 * caps a hostile blob's cost independently of how much memory it was given).
 */
#define FDT_MAX_DEPTH	    16u
#define FDT_MAX_TOKENS	    65536u
#define FDT_MAX_RSV_ENTRIES 256u
/* Node offsets are ints, so a blob may not be larger than INT32_MAX. */
#define FDT_MAX_SIZE 0x7fffffffu

/* What the node-returning functions return when there is no such node. */
#define FDT_NO_NODE (-1)

/**
 * A validated blob. Filled only by fdt_init(); the blob itself is not copied
 * and must stay unchanged for as long as the struct is used (copy untrusted
 * memory into monitor memory first). Offsets are from the start of the blob;
 * sizes are in bytes. @size is the header's totalsize.
 */
struct fdt {
	const uint8_t *blob;
	uint32_t size;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsv_off;
};

/**
 * Validates the blob at @blob (@len bytes readable) and describes it in @fdt.
 *
 * Checks the header (magic, totalsize <= @len and <= FDT_MAX_SIZE, version
 * >= 16 with last_comp_version <= 17, every block inside totalsize and past the
 * header, structure block 4-aligned, reservation block 8-aligned), the memory
 * reservation block (terminated within totalsize after at most
 * FDT_MAX_RSV_ENTRIES entries), and every token of the structure block: names
 * terminated inside the block, property values inside the block, property
 * names inside the strings block and terminated there, properties only inside
 * a node and before its subnodes, nesting at most FDT_MAX_DEPTH, one root
 * with an empty name, balanced nodes, FDT_END as the last token of the block
 * (of the blob for version 16, which has no size_dt_struct), and at most
 * FDT_MAX_TOKENS tokens.
 *
 * Returns MON_OK, or MON_ERR_INVALID_PARAM when any check fails or an
 * argument is NULL; @fdt is written only on success.
 */
MON_WUR mon_err_t fdt_init(struct fdt *fdt, const void *blob, size_t len);

/**
 * Finds the node at the absolute @path ("/", "/cpus", "/soc/serial@10000000").
 * A path component without '@' also matches a node named with a unit address
 * ("/memory" matches "memory@80000000"); the first match in blob order wins.
 * Empty components ("//", a trailing '/') are ignored. Aliases are not
 * supported.
 *
 * Returns the node's offset, or FDT_NO_NODE when @path is not absolute, the
 * node does not exist, or @fdt is not a validated blob.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);

/**
 * Returns the offset of the first subnode of @node, or FDT_NO_NODE when it
 * has none or @node is not the offset of a node.
 */
int fdt_first_child(const struct fdt *fdt, int node);

/**
 * Returns the offset of the next subnode of @node's parent after @node, or
 * FDT_NO_NODE when @node is the last one (or the root) or is not the offset
 * of a node.
 */
int fdt_next_sibling(const struct fdt *fdt, int node);

/**
 * Returns @node's name ("cpu@0"; "" for the root), NUL-terminated inside the
 * blob, and its length without the NUL in *@len (when @len is not NULL).
 * Returns NULL when @node is not the offset of a node.
 */
const char *fdt_node_name(const struct fdt *fdt, int node, uint32_t *len);

/**
 * Finds @node's own property called @name (subnodes are not searched).
 *
 * Returns a pointer to the value inside the blob, with its length in *@len
 * (when @len is not NULL); the value has no alignment. Returns NULL when the
 * node has no such property or @node is not the offset of a node.
 */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len);

/**
 * Reads @node's property @name as one big-endian 32-bit cell into *@out.
 * Returns true on success; false (and leaves *@out alone) when the property
 * is absent or its length is not 4.
 */
MON_WUR bool fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);

/**
 * Reads entry @index of @node's "reg" property, decoded with the PARENT's
 * #address-cells and #size-cells (2 and 1 when absent, DT spec v0.4 section
 * 2.3.5). #address-cells must be 1 or 2; #size-cells 1 or 2, or 0 as under
 * /cpus (then *@size is 0).
 *
 * Returns MON_OK with *@addr and *@size set; MON_ERR_NOT_SUPPORTED when the
 * node has no "reg" or @index is past its last entry; MON_ERR_INVALID_PARAM
 * when @node is not a node or is the root, a cells value is outside the
 * above, "reg" is not a whole number of entries, or [addr, addr + size)
 * wraps past 2^64. The outputs are written only on success.
 */
MON_WUR mon_err_t fdt_read_reg(const struct fdt *fdt, int node, unsigned int index, uint64_t *addr,
			       uint64_t *size);

/**
 * Returns the number of subnodes of /cpus whose device_type is "cpu" and
 * whose name is "cpu" or starts with "cpu@" (so "cpu-map" never counts);
 * 0 when there is no /cpus.
 */
unsigned int fdt_count_cpus(const struct fdt *fdt);

/**
 * Reads the first "reg" entry of the first node, in blob order, whose
 * device_type is "memory".
 *
 * Returns MON_OK with *@base and *@size set; MON_ERR_NOT_SUPPORTED when no
 * node has device_type "memory" or that node has no "reg"; otherwise the
 * errors of fdt_read_reg().
 */
MON_WUR mon_err_t fdt_memory(const struct fdt *fdt, uint64_t *base, uint64_t *size);

/**
 * fdt_count_cpus() into *@cpus and fdt_memory() as the result, in one walk
 * of the tokens instead of one per question (promote asks both of every
 * TVM's devicetree). fdt_memory is this walk; fdt_count_cpus finds /cpus
 * by path, independently (the tests compare the two).
 */
MON_WUR mon_err_t fdt_vm_layout(const struct fdt *fdt, unsigned int *cpus, uint64_t *base,
				uint64_t *size);

/**
 * Reads entry @index of the memory reservation block (DT spec v0.4 section
 * 5.3). Returns MON_OK with *@addr and *@size set, or MON_ERR_INVALID_PARAM
 * when @index is at or past the terminating (0, 0) entry or @fdt is not a
 * validated blob.
 */
MON_WUR mon_err_t fdt_rsv_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr,
				uint64_t *size);

/**
 * Reads /chosen's linux,initrd-start and linux,initrd-end (each 32 or 64
 * bits; the end is exclusive).
 *
 * Returns MON_OK with *@start and *@end set; MON_ERR_NOT_SUPPORTED when
 * there is no /chosen or neither property is present; MON_ERR_INVALID_PARAM
 * when only one is present, either has another length, or end < start.
 */
MON_WUR mon_err_t fdt_initrd(const struct fdt *fdt, uint64_t *start, uint64_t *end);
