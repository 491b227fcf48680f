// SPDX-License-Identifier: BSD-2-Clause
/*
 * The devicetree reader (covemon/fdt.h).
 *
 * Threat: a confidential VM's FDT comes from an untrusted hypervisor and is
 * parsed by the monitor during promote_to_tvm. Whatever the bytes, fdt_init
 * must reject a malformed blob with MON_ERR_INVALID_PARAM and no function may
 * read outside the blob. Every blob here ends at the end of its array, so an
 * over-read is caught by AddressSanitizer, not just by an assertion.
 *
 * Valid and malformed blobs come from the small builder below; the real
 * QEMU virt tree is in fdt_qemu_virt_dtb.h.
 */
#include "covemon/fdt.h"

#include <stdlib.h>
#include <string.h>

#include "covemon/err.h"
#include "covemon/lib.h"
#include "fdt_qemu_virt_dtb.h"
#include "test.h"

/* Header field offsets (DT spec v0.4 table 5.1). */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_DT_STRUCT = 8,
	HDR_OFF_DT_STRINGS = 12,
	HDR_OFF_MEM_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP_VERSION = 24,
	HDR_SIZE_DT_STRINGS = 32,
	HDR_SIZE_DT_STRUCT = 36,
};

/* ---- A tiny DTB builder -------------------------------------------------- */

#define B_STRUCT_CAP  4096u
#define B_STRINGS_CAP 512u
#define B_RSV_CAP     8u
#define B_OUT_CAP     8192u

struct fdt_builder {
	uint8_t st[B_STRUCT_CAP];
	uint32_t st_len;
	char strs[B_STRINGS_CAP];
	uint32_t str_len;
	uint64_t rsv[B_RSV_CAP][2];
	unsigned int nrsv;
	uint8_t *blob; /* inside out[], ending where out[] ends */
	uint32_t len;
	/* Last, so a read past the blob leaves the struct: an ASan error. */
	uint8_t out[B_OUT_CAP];
};

static void b_start(struct fdt_builder *b)
{
	memset(b, 0, sizeof(*b));
}

static void put32(struct fdt_builder *b, uint32_t v)
{
	ASSERT_LE(b->st_len + 4, B_STRUCT_CAP);
	mon_store_be32(b->st + b->st_len, v);
	b->st_len += 4;
}

/* Appends @n bytes and zero padding to the next multiple of 4. */
static void put_padded(struct fdt_builder *b, const void *p, uint32_t n)
{
	uint32_t padded = (n + 3) & ~3u;

	ASSERT_LE(b->st_len + padded, B_STRUCT_CAP);
	memcpy(b->st + b->st_len, p, n);
	memset(b->st + b->st_len + n, 0, padded - n);
	b->st_len += padded;
}

/* Offset of @name in the strings block, added once. */
static uint32_t string_off(struct fdt_builder *b, const char *name)
{
	uint32_t n = (uint32_t)strlen(name) + 1;

	for (uint32_t off = 0; off < b->str_len; off += (uint32_t)strlen(b->strs + off) + 1) {
		if (strcmp(b->strs + off, name) == 0) {
			return off;
		}
	}
	ASSERT_LE(b->str_len + n, B_STRINGS_CAP);
	memcpy(b->strs + b->str_len, name, n);
	b->str_len += n;
	return b->str_len - n;
}

static void begin_node(struct fdt_builder *b, const char *name)
{
	put32(b, FDT_BEGIN_NODE);
	put_padded(b, name, (uint32_t)strlen(name) + 1);
}

static void end_node(struct fdt_builder *b)
{
	put32(b, FDT_END_NODE);
}

static void prop_raw(struct fdt_builder *b, uint32_t nameoff, const void *data, uint32_t len)
{
	put32(b, FDT_PROP);
	put32(b, len);
	put32(b, nameoff);
	put_padded(b, data, len);
}

static void prop_bytes(struct fdt_builder *b, const char *name, const void *data, uint32_t len)
{
	prop_raw(b, string_off(b, name), data, len);
}

static void prop_u32(struct fdt_builder *b, const char *name, uint32_t v)
{
	uint8_t cell[4];

	mon_store_be32(cell, v);
	prop_bytes(b, name, cell, sizeof(cell));
}

static void prop_u64(struct fdt_builder *b, const char *name, uint64_t v)
{
	uint8_t cells[8];

	mon_store_be64(cells, v);
	prop_bytes(b, name, cells, sizeof(cells));
}

static void prop_str(struct fdt_builder *b, const char *name, const char *s)
{
	prop_bytes(b, name, s, (uint32_t)strlen(s) + 1);
}

static void prop_cells(struct fdt_builder *b, const char *name, const uint32_t *cells, uint32_t n)
{
	uint8_t buf[64];

	ASSERT_LE(n * 4, sizeof(buf));
	for (uint32_t i = 0; i < n; i++) {
		mon_store_be32(buf + 4 * i, cells[i]);
	}
	prop_bytes(b, name, buf, n * 4);
}

static void add_rsv(struct fdt_builder *b, uint64_t addr, uint64_t size)
{
	ASSERT_LT(b->nrsv, B_RSV_CAP);
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

static void set_hdr(struct fdt_builder *b, uint32_t field, uint32_t v)
{
	mon_store_be32(b->blob + field, v);
}

static uint32_t get_hdr(const struct fdt_builder *b, uint32_t field)
{
	return mon_load_be32(b->blob + field);
}

/*
 * Lays the blob out as dtc does (header, reservations, structure, strings)
 * without adding FDT_END, at the end of out[].
 */
static void layout(struct fdt_builder *b)
{
	uint32_t rsv_size = (b->nrsv + 1) * 16;
	uint32_t struct_off = FDT_HEADER_SIZE + rsv_size;
	uint32_t strings_off = struct_off + b->st_len;

	b->len = strings_off + b->str_len;
	ASSERT_LE(b->len, B_OUT_CAP);
	b->blob = b->out + B_OUT_CAP - b->len;
	memset(b->blob, 0, b->len);
	set_hdr(b, HDR_MAGIC, FDT_MAGIC);
	set_hdr(b, HDR_TOTALSIZE, b->len);
	set_hdr(b, HDR_OFF_DT_STRUCT, struct_off);
	set_hdr(b, HDR_OFF_DT_STRINGS, strings_off);
	set_hdr(b, HDR_OFF_MEM_RSVMAP, FDT_HEADER_SIZE);
	set_hdr(b, HDR_VERSION, 17);
	set_hdr(b, HDR_LAST_COMP_VERSION, 16);
	set_hdr(b, HDR_SIZE_DT_STRINGS, b->str_len);
	set_hdr(b, HDR_SIZE_DT_STRUCT, b->st_len);
	for (unsigned int i = 0; i < b->nrsv; i++) {
		mon_store_be64(b->blob + FDT_HEADER_SIZE + 16 * i, b->rsv[i][0]);
		mon_store_be64(b->blob + FDT_HEADER_SIZE + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(b->blob + struct_off, b->st, b->st_len);
	memcpy(b->blob + strings_off, b->strs, b->str_len);
}

static void finish(struct fdt_builder *b)
{
	put32(b, FDT_END);
	layout(b);
}

static mon_err_t b_parse(struct fdt_builder *b, struct fdt *f)
{
	return fdt_init(f, b->blob, b->len);
}

/*
 * / { #address-cells = 2; #size-cells = 2; model = "test";
 *     chosen { linux,initrd-start = <0x88000000>; linux,initrd-end = <0x88100000>; };
 *     cpus { #address-cells = 1; #size-cells = 0;
 *            cpu@0 { device_type = "cpu"; reg = <0>; intc { }; };
 *            cpu@1 { device_type = "cpu"; reg = <1>; };
 *            cpu-map { cluster0 { }; }; };
 *     memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x10000000>; };
 *     soc { #address-cells = 1; #size-cells = 1;
 *           uart@10000000 { reg = <0x10000000 0x100 0x10001000 0x100>; }; }; }
 */
static void build_sample(struct fdt_builder *b)
{
	static const uint32_t mem_reg[] = { 0, 0x80000000u, 0, 0x10000000u };
	static const uint32_t uart_reg[] = { 0x10000000u, 0x100, 0x10001000u, 0x100 };

	b_start(b);
	begin_node(b, "");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	prop_str(b, "model", "test");
	begin_node(b, "chosen");
	prop_u32(b, "linux,initrd-start", 0x88000000u);
	prop_u32(b, "linux,initrd-end", 0x88100000u);
	end_node(b);
	begin_node(b, "cpus");
	prop_u32(b, "#address-cells", 1);
	prop_u32(b, "#size-cells", 0);
	begin_node(b, "cpu@0");
	prop_str(b, "device_type", "cpu");
	prop_u32(b, "reg", 0);
	begin_node(b, "intc");
	end_node(b);
	end_node(b);
	begin_node(b, "cpu@1");
	prop_str(b, "device_type", "cpu");
	prop_u32(b, "reg", 1);
	end_node(b);
	begin_node(b, "cpu-map");
	begin_node(b, "cluster0");
	end_node(b);
	end_node(b);
	end_node(b);
	begin_node(b, "memory@80000000");
	prop_str(b, "device_type", "memory");
	prop_cells(b, "reg", mem_reg, 4);
	end_node(b);
	begin_node(b, "soc");
	prop_u32(b, "#address-cells", 1);
	prop_u32(b, "#size-cells", 1);
	begin_node(b, "uart@10000000");
	prop_cells(b, "reg", uart_reg, 4);
	end_node(b);
	end_node(b);
	end_node(b);
	finish(b);
}

/* Root with the given extra properties in "/node": for reg and cells tests. */
static void build_reg_case(struct fdt_builder *b, int parent_ac, int parent_sc, const uint32_t *reg,
			   uint32_t ncells)
{
	b_start(b);
	begin_node(b, "");
	begin_node(b, "bus");
	if (parent_ac >= 0) {
		prop_u32(b, "#address-cells", (uint32_t)parent_ac);
	}
	if (parent_sc >= 0) {
		prop_u32(b, "#size-cells", (uint32_t)parent_sc);
	}
	begin_node(b, "dev");
	/* The node's own cells must not be used for its reg. */
	prop_u32(b, "#address-cells", 1);
	prop_u32(b, "#size-cells", 1);
	prop_cells(b, "reg", reg, ncells);
	end_node(b);
	end_node(b);
	end_node(b);
	finish(b);
}

/* Copies @n bytes to the end of @buf (of @cap bytes) so over-reads hit ASan. */
static const uint8_t *at_end(uint8_t *buf, size_t cap, const void *p, size_t n)
{
	memcpy(buf + cap - n, p, n);
	return buf + cap - n;
}

/*
 * Calls every reader on a validated blob, walking all nodes without recursion;
 * returns the number of nodes visited and counts the successful fallible
 * calls in *@answered. With @with_reg, also decodes each node's first reg
 * entry (a walk from the root per node: keep blobs small).
 */
static unsigned int exercise(const struct fdt *f, bool with_reg, unsigned int *answered)
{
	int stack[FDT_MAX_DEPTH];
	unsigned int depth = 0;
	unsigned int visited = 0;
	int node = fdt_path_offset(f, "/");
	uint64_t a;
	uint64_t s;
	uint32_t v;

	*answered = 0;
	/* fdt_vm_layout answers both questions as the two readers do. */
	unsigned int cpus = fdt_count_cpus(f);
	mon_err_t mem = fdt_memory(f, &a, &s);
	uint64_t a2 = ~a;
	uint64_t s2 = ~s;
	unsigned int cpus2 = cpus + 1;
	EXPECT_EQ(fdt_vm_layout(f, &cpus2, &a2, &s2), mem);
	EXPECT_EQ(cpus2, cpus);
	if (mem == MON_OK) {
		EXPECT_EQ(a2, a);
		EXPECT_EQ(s2, s);
	}
	*answered += mem == MON_OK;
	*answered += fdt_initrd(f, &a, &s) == MON_OK;
	*answered += fdt_rsv_entry(f, 0, &a, &s) == MON_OK;
	*answered += fdt_rsv_entry(f, 1, &a, &s) == MON_OK;
	(void)fdt_path_offset(f, "/soc/serial@10000000");
	(void)fdt_path_offset(f, "/cpus/cpu@3/interrupt-controller");
	while (node >= 0 && visited < FDT_MAX_TOKENS) {
		uint32_t len;
		int child;

		visited++;
		(void)fdt_node_name(f, node, &len);
		(void)fdt_getprop(f, node, "compatible", &len);
		*answered += fdt_prop_u32(f, node, "#address-cells", &v);
		if (with_reg) {
			*answered += fdt_read_reg(f, node, 0, &a, &s) == MON_OK;
		}
		child = fdt_first_child(f, node);
		if (child >= 0 && depth < FDT_MAX_DEPTH) {
			stack[depth++] = node;
			node = child;
			continue;
		}
		/* Next sibling, or the next sibling of the nearest ancestor. */
		for (;;) {
			int sib = depth == 0 ? FDT_NO_NODE : fdt_next_sibling(f, node);

			if (sib >= 0 || depth == 0) {
				node = sib;
				break;
			}
			node = stack[--depth];
		}
	}
	return visited;
}

/* ---- The real QEMU virt tree ---------------------------------------------- */

static void init_qemu(struct fdt *f)
{
	ASSERT_EQ(fdt_init(f, fdt_qemu_virt_dtb, sizeof(fdt_qemu_virt_dtb)), MON_OK);
}

TEST(fdt_qemu_virt, is_accepted_whole)
{
	struct fdt f;

	EXPECT_EQ(fdt_init(&f, fdt_qemu_virt_dtb, sizeof(fdt_qemu_virt_dtb)), MON_OK);
	EXPECT_EQ(f.size, sizeof(fdt_qemu_virt_dtb));
}

TEST(fdt_qemu_virt, has_four_cpus)
{
	struct fdt f;

	init_qemu(&f);
	EXPECT_EQ(fdt_count_cpus(&f), 4);
}

TEST(fdt_qemu_virt, has_256_mib_of_memory_at_0x80000000)
{
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	init_qemu(&f);
	ASSERT_EQ(fdt_memory(&f, &base, &size), MON_OK);
	EXPECT_EQ(base, 0x80000000u);
	EXPECT_EQ(size, 256u << 20);
}

TEST(fdt_qemu_virt, hart_ids_are_read_with_size_cells_0)
{
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 1;

	init_qemu(&f);
	ASSERT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/cpus/cpu@2"), 0, &addr, &size), MON_OK);
	EXPECT_EQ(addr, 2);
	EXPECT_EQ(size, 0);
}

TEST(fdt_qemu_virt, uart_reg_uses_the_soc_cells)
{
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	init_qemu(&f);
	ASSERT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/soc/serial@10000000"), 0, &addr, &size),
		  MON_OK);
	EXPECT_EQ(addr, 0x10000000u);
	EXPECT_EQ(size, 0x100);
}

TEST(fdt_qemu_virt, memory_path_matches_without_unit_address)
{
	struct fdt f;
	uint32_t len = 0;
	const char *name;

	init_qemu(&f);
	name = fdt_node_name(&f, fdt_path_offset(&f, "/memory"), &len);
	ASSERT_TRUE(name != NULL);
	EXPECT_EQ(len, strlen("memory@80000000"));
	EXPECT_TRUE(strcmp(name, "memory@80000000") == 0);
}

TEST(fdt_qemu_virt, chosen_stdout_path_is_a_string)
{
	struct fdt f;
	uint32_t len = 0;
	const char *p;

	init_qemu(&f);
	p = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", &len);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(len, sizeof("/soc/serial@10000000"));
	EXPECT_TRUE(strcmp(p, "/soc/serial@10000000") == 0);
}

TEST(fdt_qemu_virt, has_no_initrd_and_no_reservations)
{
	struct fdt f;
	uint64_t a;
	uint64_t b;

	init_qemu(&f);
	EXPECT_EQ(fdt_initrd(&f, &a, &b), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fdt_rsv_entry(&f, 0, &a, &b), MON_ERR_INVALID_PARAM);
}

TEST(fdt_qemu_virt, walk_visits_every_node)
{
	struct fdt f;

	unsigned int answered;

	init_qemu(&f);
	/* `dtc -I dtb -O dts` shows 39 nodes, the root included. */
	EXPECT_EQ(exercise(&f, true, &answered), 39);
}

/*
 * Threat: a hypervisor truncates the blob it hands over. Every prefix is
 * refused, both as given (totalsize > length) and with totalsize rewritten
 * to the prefix length (the strings block then runs past totalsize).
 */
TEST(fdt_qemu_virt, every_truncation_is_rejected)
{
	static uint8_t buf[sizeof(fdt_qemu_virt_dtb)];
	struct fdt f;
	unsigned int accepted = 0;

	for (size_t n = 0; n < sizeof(fdt_qemu_virt_dtb); n++) {
		const uint8_t *p = at_end(buf, sizeof(buf), fdt_qemu_virt_dtb, n);

		accepted += fdt_init(&f, p, n) == MON_OK;
		if (n >= FDT_HEADER_SIZE) {
			mon_store_be32(buf + sizeof(buf) - n + HDR_TOTALSIZE, (uint32_t)n);
			accepted += fdt_init(&f, p, n) == MON_OK;
		}
	}
	EXPECT_EQ(accepted, 0);
}

/*
 * Threat: arbitrary corruption of a real tree. Each byte is set to four
 * other values; the parser must never read out of bounds (ASan) and every
 * reader runs on each variant it accepts. A changed magic byte is always
 * refused; property values are not structure, so many variants are accepted.
 */
TEST(fdt_qemu_virt, single_byte_corruption_never_reads_out_of_bounds)
{
	static uint8_t buf[sizeof(fdt_qemu_virt_dtb)];
	const size_t n = sizeof(fdt_qemu_virt_dtb);
	unsigned int accepted = 0;
	unsigned int magic_accepted = 0;
	unsigned int answered;

	for (size_t i = 0; i < n; i++) {
		const uint8_t orig = fdt_qemu_virt_dtb[i];
		const uint8_t values[] = { (uint8_t)(orig ^ 0x01), (uint8_t)(orig ^ 0x80), 0x00,
					   0xff };

		for (size_t v = 0; v < sizeof(values); v++) {
			struct fdt f;

			if (values[v] == orig) {
				continue;
			}
			memcpy(buf, fdt_qemu_virt_dtb, n);
			buf[i] = values[v];
			if (fdt_init(&f, buf, n) != MON_OK) {
				continue;
			}
			accepted++;
			magic_accepted += i < 4;
			(void)exercise(&f, false, &answered);
		}
	}
	EXPECT_EQ(magic_accepted, 0);
	EXPECT_GT(accepted, 0);
}

/* ---- fdt_init: valid blobs ------------------------------------------------ */

TEST(fdt_init, accepts_a_root_only_tree)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_OK);
}

TEST(fdt_init, accepts_nops_anywhere)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	put32(&b, FDT_NOP);
	begin_node(&b, "");
	put32(&b, FDT_NOP);
	prop_u32(&b, "x", 1);
	put32(&b, FDT_NOP);
	begin_node(&b, "a");
	end_node(&b);
	put32(&b, FDT_NOP);
	end_node(&b);
	put32(&b, FDT_NOP);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_GE(fdt_path_offset(&f, "/a"), 0);
}

TEST(fdt_init, reads_a_version_16_blob_without_size_dt_struct)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_VERSION, 16);
	set_hdr(&b, HDR_SIZE_DT_STRUCT, 0xffffffffu); /* not a v16 field */
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(f.struct_size, b.st_len);
	EXPECT_EQ(fdt_count_cpus(&f), 2);
}

TEST(fdt_init, leaves_the_struct_alone_on_failure)
{
	struct fdt_builder b;
	struct fdt f;
	struct fdt before;

	build_sample(&b);
	set_hdr(&b, HDR_MAGIC, 0xd00dfeeeu);
	memset(&f, 0x5a, sizeof(f));
	before = f;
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
	EXPECT_MEM_EQ(&f, &before, sizeof(f));
}

/* ---- fdt_init: malformed headers ---------------------------------------- */

TEST(fdt_init, rejects_a_buffer_shorter_than_the_header)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	/* The last 39 bytes of the blob: any header read past them is an ASan error. */
	EXPECT_EQ(fdt_init(&f, b.blob + b.len - (FDT_HEADER_SIZE - 1), FDT_HEADER_SIZE - 1),
		  MON_ERR_INVALID_PARAM);
	EXPECT_EQ(fdt_init(&f, b.blob, 0), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(fdt_init(&f, NULL, b.len), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_bad_magic)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_MAGIC, 0xedfe0dd0u); /* little-endian magic */
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_totalsize_larger_than_the_buffer)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_TOTALSIZE, b.len + 1);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_unsupported_versions)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_VERSION, 15);
	set_hdr(&b, HDR_LAST_COMP_VERSION, 15);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
	set_hdr(&b, HDR_VERSION, 18);
	set_hdr(&b, HDR_LAST_COMP_VERSION, 18);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_structure_block_past_the_end)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_SIZE_DT_STRUCT, get_hdr(&b, HDR_SIZE_DT_STRUCT) + b.str_len + 4);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_block_offsets_that_wrap_when_added)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	/* 0xfffffff0 + 0x40 wraps to 0x30, inside the blob. */
	set_hdr(&b, HDR_OFF_DT_STRUCT, 0xfffffff0u);
	set_hdr(&b, HDR_SIZE_DT_STRUCT, 0x40);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);

	build_sample(&b);
	set_hdr(&b, HDR_OFF_DT_STRINGS, 0xffffff00u);
	set_hdr(&b, HDR_SIZE_DT_STRINGS, 0x140);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_blocks_overlapping_the_header)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_OFF_DT_STRINGS, 0);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_misaligned_blocks)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	set_hdr(&b, HDR_OFF_DT_STRUCT, get_hdr(&b, HDR_OFF_DT_STRUCT) + 2);
	set_hdr(&b, HDR_SIZE_DT_STRUCT, get_hdr(&b, HDR_SIZE_DT_STRUCT) - 4);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);

	build_sample(&b);
	set_hdr(&b, HDR_OFF_MEM_RSVMAP, FDT_HEADER_SIZE + 4);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_reservation_block_without_terminator)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	/* The last 8-aligned offset with fewer than 16 bytes of blob after it. */
	set_hdr(&b, HDR_OFF_MEM_RSVMAP, (b.len - 8) & ~7u);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_reservation_that_wraps)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	add_rsv(&b, UINT64_MAX - 0xfff, 0x2000);
	begin_node(&b, "");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

/* ---- fdt_init: malformed structure blocks -------------------------------- */

/* The structure block is last here, so a scan past it leaves the array (ASan). */
TEST(fdt_init, rejects_an_unterminated_node_name)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	put32(&b, FDT_BEGIN_NODE);
	put32(&b, 0x61626364); /* "abcd", no NUL before the end of the block */
	layout(&b);
	ASSERT_EQ(b.str_len, 0);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_property_longer_than_the_block)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t nameoff;

	b_start(&b);
	nameoff = string_off(&b, "big");
	begin_node(&b, "");
	put32(&b, FDT_PROP);
	put32(&b, 12); /* the value would need 12 bytes; 8 remain */
	put32(&b, nameoff);
	end_node(&b);
	put32(&b, FDT_END);
	layout(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_property_length_that_wraps)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t nameoff;

	b_start(&b);
	nameoff = string_off(&b, "big");
	begin_node(&b, "");
	put32(&b, FDT_PROP);
	put32(&b, 0xfffffffcu);
	put32(&b, nameoff);
	end_node(&b);
	put32(&b, FDT_END);
	layout(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

/* The strings block is last, so reading a name past it leaves the array (ASan). */
TEST(fdt_init, rejects_a_nameoff_past_the_strings_block)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t one = 0x01000000u;

	b_start(&b);
	(void)string_off(&b, "reg");
	begin_node(&b, "");
	prop_raw(&b, b.str_len + 8, &one, 4);
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_nameoff_at_the_end_of_the_strings_block)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t one = 0x01000000u;

	b_start(&b);
	(void)string_off(&b, "reg");
	begin_node(&b, "");
	prop_raw(&b, b.str_len, &one, 4);
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_property_name_unterminated_in_the_strings_block)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	prop_u32(&b, "reg", 1);
	end_node(&b);
	finish(&b);
	/* "reg\0" -> "reg": the NUL is now outside the block. */
	set_hdr(&b, HDR_SIZE_DT_STRINGS, 3);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_an_unbalanced_end_node)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	end_node(&b);
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_node_left_open)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	begin_node(&b, "a");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_missing_fdt_end)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	end_node(&b);
	layout(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_tokens_after_fdt_end)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	end_node(&b);
	put32(&b, FDT_END);
	put32(&b, FDT_NOP);
	layout(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_an_unknown_token)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	put32(&b, 5);
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

static void build_nested(struct fdt_builder *b, unsigned int depth)
{
	b_start(b);
	begin_node(b, "");
	for (unsigned int i = 1; i < depth; i++) {
		begin_node(b, "n");
	}
	for (unsigned int i = 0; i < depth; i++) {
		end_node(b);
	}
	finish(b);
}

TEST(fdt_init, accepts_nesting_up_to_the_depth_limit)
{
	struct fdt_builder b;
	struct fdt f;

	build_nested(&b, FDT_MAX_DEPTH);
	EXPECT_EQ(b_parse(&b, &f), MON_OK);
}

TEST(fdt_init, rejects_nesting_beyond_the_depth_limit)
{
	struct fdt_builder b;
	struct fdt f;

	build_nested(&b, FDT_MAX_DEPTH + 1);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_two_roots)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	end_node(&b);
	begin_node(&b, "");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_root_with_a_name)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "root");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_property_outside_the_root)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	prop_u32(&b, "x", 1);
	begin_node(&b, "");
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

TEST(fdt_init, rejects_a_property_after_a_subnode)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	begin_node(&b, "a");
	end_node(&b);
	prop_u32(&b, "x", 1); /* section 5.4.2: properties precede subnodes */
	end_node(&b);
	finish(&b);
	EXPECT_EQ(b_parse(&b, &f), MON_ERR_INVALID_PARAM);
}

/* A root holding @nops NOPs: 3 + @nops tokens, built by hand on the heap. */
static mon_err_t parse_nops(uint32_t nops)
{
	const uint32_t struct_off = FDT_HEADER_SIZE + 16;
	const uint32_t struct_size = 8 + 4 * nops + 4 + 4;
	const uint32_t total = struct_off + struct_size;
	uint8_t *p = calloc(1, total);
	uint8_t *s = p + struct_off;
	struct fdt f;
	mon_err_t err;

	ASSERT_TRUE(p != NULL);
	mon_store_be32(p + HDR_MAGIC, FDT_MAGIC);
	mon_store_be32(p + HDR_TOTALSIZE, total);
	mon_store_be32(p + HDR_OFF_DT_STRUCT, struct_off);
	mon_store_be32(p + HDR_OFF_DT_STRINGS, total);
	mon_store_be32(p + HDR_OFF_MEM_RSVMAP, FDT_HEADER_SIZE);
	mon_store_be32(p + HDR_VERSION, 17);
	mon_store_be32(p + HDR_LAST_COMP_VERSION, 16);
	mon_store_be32(p + HDR_SIZE_DT_STRUCT, struct_size);
	mon_store_be32(s, FDT_BEGIN_NODE); /* name "" and padding are already 0 */
	for (uint32_t i = 0; i < nops; i++) {
		mon_store_be32(s + 8 + 4 * i, FDT_NOP);
	}
	mon_store_be32(s + 8 + 4 * nops, FDT_END_NODE);
	mon_store_be32(s + 12 + 4 * nops, FDT_END);
	err = fdt_init(&f, p, total);
	free(p);
	return err;
}

TEST(fdt_init, accepts_exactly_the_token_limit)
{
	EXPECT_EQ(parse_nops(FDT_MAX_TOKENS - 3), MON_OK);
}

TEST(fdt_init, rejects_one_token_over_the_limit)
{
	EXPECT_EQ(parse_nops(FDT_MAX_TOKENS - 2), MON_ERR_INVALID_PARAM);
}

/* ---- Readers --------------------------------------------------------------- */

TEST(fdt_path_offset, finds_root_and_nested_nodes)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t len = 1;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_path_offset(&f, "/"), 0);
	ASSERT_TRUE(fdt_node_name(&f, 0, &len) != NULL);
	EXPECT_EQ(len, 0);
	EXPECT_TRUE(strcmp(fdt_node_name(&f, fdt_path_offset(&f, "/cpus/cpu@1"), NULL), "cpu@1") ==
		    0);
	EXPECT_EQ(fdt_path_offset(&f, "//cpus/"), fdt_path_offset(&f, "/cpus"));
}

TEST(fdt_path_offset, reports_missing_and_relative_paths)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_path_offset(&f, "/nope"), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, "/cpus/cpu@2"), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, "cpus"), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, ""), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, NULL), FDT_NO_NODE);
}

TEST(fdt_path_offset, unit_address_is_optional_only_when_absent_from_the_path)
{
	struct fdt_builder b;
	struct fdt f;
	int mem;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	mem = fdt_path_offset(&f, "/memory@80000000");
	ASSERT_GE(mem, 0);
	EXPECT_EQ(fdt_path_offset(&f, "/memory"), mem);
	EXPECT_EQ(fdt_path_offset(&f, "/memory@9"), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, "/mem"), FDT_NO_NODE);
	/* "cpu" must not match "cpus" or "cpu-map". */
	EXPECT_EQ(fdt_path_offset(&f, "/cpu"), FDT_NO_NODE);
	EXPECT_EQ(fdt_path_offset(&f, "/cpus/cpu"), fdt_path_offset(&f, "/cpus/cpu@0"));
}

TEST(fdt_first_child, iterates_children_and_skips_grandchildren)
{
	struct fdt_builder b;
	struct fdt f;
	const char *want[] = { "cpu@0", "cpu@1", "cpu-map" };
	unsigned int n = 0;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	for (int c = fdt_first_child(&f, fdt_path_offset(&f, "/cpus")); c >= 0;
	     c = fdt_next_sibling(&f, c)) {
		ASSERT_LT(n, 3);
		EXPECT_TRUE(strcmp(fdt_node_name(&f, c, NULL), want[n]) == 0);
		n++;
	}
	EXPECT_EQ(n, 3);
}

TEST(fdt_first_child, reports_a_leaf_and_the_root_has_no_sibling)
{
	struct fdt_builder b;
	struct fdt f;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_first_child(&f, fdt_path_offset(&f, "/chosen")), FDT_NO_NODE);
	EXPECT_EQ(fdt_next_sibling(&f, 0), FDT_NO_NODE);
	EXPECT_EQ(fdt_next_sibling(&f, fdt_path_offset(&f, "/soc")), FDT_NO_NODE);
}

TEST(fdt_getprop, finds_own_properties_only)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t len = 0;
	const char *model;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	model = fdt_getprop(&f, 0, "model", &len);
	ASSERT_TRUE(model != NULL);
	EXPECT_EQ(len, 5);
	EXPECT_TRUE(strcmp(model, "test") == 0);
	EXPECT_TRUE(fdt_getprop(&f, 0, "device_type", NULL) == NULL); /* only in subnodes */
	EXPECT_TRUE(fdt_getprop(&f, 0, "mode", NULL) == NULL);	      /* prefix of a name */
	EXPECT_TRUE(fdt_getprop(&f, 0, "models", NULL) == NULL);
}

TEST(fdt_prop_u32, requires_exactly_four_bytes)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t v = 7;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_TRUE(fdt_prop_u32(&f, fdt_path_offset(&f, "/cpus"), "#address-cells", &v));
	EXPECT_EQ(v, 1);
	v = 7;
	EXPECT_FALSE(fdt_prop_u32(&f, 0, "model", &v)); /* 5 bytes */
	EXPECT_FALSE(fdt_prop_u32(&f, 0, "absent", &v));
	EXPECT_EQ(v, 7);
}

/* Offsets that are not nodes: the readers answer "none", never read outside. */
TEST(fdt_node_name, refuses_offsets_that_are_not_nodes)
{
	struct fdt_builder b;
	struct fdt f;
	const int bad[] = { -1, -4, 1, 2, 3, 8, INT32_MAX, (int)0x7ffffffc };

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t a;
		uint64_t s;

		EXPECT_TRUE(fdt_node_name(&f, bad[i], NULL) == NULL);
		EXPECT_TRUE(fdt_getprop(&f, bad[i], "reg", NULL) == NULL);
		EXPECT_EQ(fdt_first_child(&f, bad[i]), FDT_NO_NODE);
		EXPECT_EQ(fdt_next_sibling(&f, bad[i]), FDT_NO_NODE);
		EXPECT_EQ(fdt_read_reg(&f, bad[i], 0, &a, &s), MON_ERR_INVALID_PARAM);
	}
}

/*
 * A property value crafted to look like a node (BEGIN_NODE "x" END_NODE):
 * readers given its offset stay inside the block, and fdt_read_reg, which
 * walks the real tree, does not take it for a node.
 */
TEST(fdt_read_reg, refuses_a_fake_node_inside_a_property_value)
{
	static const uint8_t fake[] = { 0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 2 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t a;
	uint64_t s;
	int fake_node;

	b_start(&b);
	begin_node(&b, "");
	prop_bytes(&b, "reg", fake, sizeof(fake));
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	fake_node = 8 + 12; /* root token and name, then the property header */
	EXPECT_TRUE(strcmp(fdt_node_name(&f, fake_node, NULL), "x") == 0);
	EXPECT_EQ(fdt_read_reg(&f, fake_node, 0, &a, &s), MON_ERR_INVALID_PARAM);
}

TEST(fdt_node_name, readers_refuse_an_uninitialised_struct)
{
	struct fdt f;
	uint64_t a;
	uint64_t s;

	memset(&f, 0, sizeof(f));
	EXPECT_EQ(fdt_path_offset(&f, "/"), FDT_NO_NODE);
	EXPECT_TRUE(fdt_node_name(&f, 0, NULL) == NULL);
	EXPECT_EQ(fdt_count_cpus(&f), 0);
	EXPECT_EQ(fdt_memory(&f, &a, &s), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(fdt_rsv_entry(&f, 0, &a, &s), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(fdt_initrd(&f, &a, &s), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fdt_count_cpus(NULL), 0);
}

/*
 * Threat: the blob changes after fdt_init (shared memory, a bug elsewhere).
 * The readers re-check every token, so they answer "none" rather than hand
 * out a name or value that runs past the structure or strings block.
 */
TEST(fdt_getprop, refuses_a_value_grown_past_the_block_after_init)
{
	struct fdt_builder b;
	struct fdt f;
	uint32_t len = 0;

	b_start(&b);
	begin_node(&b, "");
	prop_u32(&b, "x", 1);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_TRUE(fdt_getprop(&f, 0, "x", &len) != NULL);
	/* The length field (after root token, name, FDT_PROP): 16, where 12 bytes remain. */
	mon_store_be32(b.blob + f.struct_off + 12, 16);
	EXPECT_TRUE(fdt_getprop(&f, 0, "x", &len) == NULL);
}

TEST(fdt_getprop, refuses_a_nameoff_moved_past_the_strings_after_init)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	prop_u32(&b, "x", 1);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	/* Past the strings block, which ends the blob: an over-read is an ASan error. */
	mon_store_be32(b.blob + f.struct_off + 16, f.strings_size + 8);
	EXPECT_TRUE(fdt_getprop(&f, 0, "x", NULL) == NULL);
}

TEST(fdt_node_name, refuses_a_name_unterminated_after_init)
{
	struct fdt_builder b;
	struct fdt f;
	int node;

	b_start(&b);
	begin_node(&b, "");
	begin_node(&b, "abc");
	end_node(&b);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b.str_len, 0); /* the structure block ends the blob */
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	node = fdt_path_offset(&f, "/abc");
	ASSERT_EQ(node, 8);
	/* From the name to the end of the block: no NUL left. */
	memset(b.blob + f.struct_off + 12, 'x', f.struct_size - 12);
	EXPECT_TRUE(fdt_node_name(&f, node, NULL) == NULL);
}

TEST(fdt_read_reg, uses_the_parent_cells_not_the_node_own)
{
	static const uint32_t reg[] = { 0x1, 0x2000, 0x3000 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, 2, 1, reg, 3);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size), MON_OK);
	EXPECT_EQ(addr, UINT64_C(0x100002000));
	EXPECT_EQ(size, 0x3000);
}

TEST(fdt_read_reg, defaults_to_2_address_and_1_size_cells)
{
	static const uint32_t reg[] = { 0x0, 0x80000000u, 0x1000, 0x0, 0x90000000u, 0x2000 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, -1, -1, reg, 6);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 1, &addr, &size), MON_OK);
	EXPECT_EQ(addr, 0x90000000u);
	EXPECT_EQ(size, 0x2000);
}

TEST(fdt_read_reg, rejects_3_address_cells)
{
	static const uint32_t reg[] = { 0, 0, 0x1000, 0x100 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, 3, 1, reg, 4);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size),
		  MON_ERR_INVALID_PARAM);
}

TEST(fdt_read_reg, rejects_0_address_cells_and_3_size_cells)
{
	static const uint32_t reg[] = { 0x1000, 0, 0, 0x100 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, 0, 2, reg, 2);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size),
		  MON_ERR_INVALID_PARAM);
	build_reg_case(&b, 1, 3, reg, 4);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size),
		  MON_ERR_INVALID_PARAM);
}

TEST(fdt_read_reg, rejects_a_partial_entry)
{
	static const uint32_t reg[] = { 0x1000, 0x100, 0x2000 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, 1, 1, reg, 3);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size),
		  MON_ERR_INVALID_PARAM);
}

TEST(fdt_read_reg, reports_an_index_past_the_last_entry)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;
	int uart;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	uart = fdt_path_offset(&f, "/soc/uart");
	ASSERT_EQ(fdt_read_reg(&f, uart, 1, &addr, &size), MON_OK);
	EXPECT_EQ(addr, 0x10001000u);
	EXPECT_EQ(fdt_read_reg(&f, uart, 2, &addr, &size), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fdt_read_reg(&f, uart, UINT32_MAX, &addr, &size), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/soc"), 0, &addr, &size),
		  MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fdt_read_reg(&f, 0, 0, &addr, &size), MON_ERR_INVALID_PARAM); /* root */
}

TEST(fdt_read_reg, rejects_a_range_that_wraps)
{
	static const uint32_t reg[] = { 0xffffffffu, 0xfffff000u, 0x0, 0x2000 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	build_reg_case(&b, 2, 2, reg, 4);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_read_reg(&f, fdt_path_offset(&f, "/bus/dev"), 0, &addr, &size),
		  MON_ERR_INVALID_PARAM);
}

TEST(fdt_count_cpus, counts_only_cpu_nodes_of_type_cpu)
{
	struct fdt_builder b;
	struct fdt f;

	b_start(&b);
	begin_node(&b, "");
	begin_node(&b, "cpus");
	begin_node(&b, "cpu@0");
	prop_str(&b, "device_type", "cpu");
	end_node(&b);
	begin_node(&b, "cpu@1");
	prop_str(&b, "device_type", "cpux"); /* wrong type */
	end_node(&b);
	begin_node(&b, "cpu-map");
	prop_str(&b, "device_type", "cpu"); /* wrong name */
	end_node(&b);
	begin_node(&b, "cpu@2");
	prop_bytes(&b, "device_type", "cpu", 3); /* not NUL-terminated */
	end_node(&b);
	begin_node(&b, "cpu");
	prop_str(&b, "device_type", "cpu");
	end_node(&b);
	end_node(&b);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_count_cpus(&f), 2);
}

TEST(fdt_count_cpus, is_zero_without_cpus_node)
{
	struct fdt_builder b;
	struct fdt f;

	build_nested(&b, 2);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_count_cpus(&f), 0);
}

/*
 * Root (#address-cells and #size-cells 2) with, after an untyped
 * "memory@80000000" when @decoy, node @name with @ntypes device_type
 * properties and reg [0x40000000, +1 MiB).
 */
static void build_memory_tree(struct fdt_builder *b, bool decoy, const char *name,
			      const char *const *types, unsigned int ntypes)
{
	static const uint32_t reg[] = { 0x0, 0x40000000u, 0x0, 0x100000 };

	b_start(b);
	begin_node(b, "");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	if (decoy) {
		begin_node(b, "memory@80000000");
		end_node(b);
	}
	begin_node(b, name);
	for (unsigned int i = 0; i < ntypes; i++) {
		prop_str(b, "device_type", types[i]);
	}
	prop_cells(b, "reg", reg, 4);
	end_node(b);
	end_node(b);
	finish(b);
}

TEST(fdt_memory, finds_the_node_by_device_type_not_name)
{
	static const char *const types[] = { "memory" };
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	build_memory_tree(&b, true, "ram", types, 1); /* the decoy has the name, no type */
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_memory(&f, &base, &size), MON_OK);
	EXPECT_EQ(base, 0x40000000u);
	EXPECT_EQ(size, 0x100000);
}

TEST(fdt_memory, reports_a_tree_without_memory)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	build_nested(&b, 3);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_memory(&f, &base, &size), MON_ERR_NOT_SUPPORTED);
}

TEST(fdt_memory, reads_only_a_node_first_device_type)
{
	static const char *const types[] = { "cpu", "memory" };
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	/* fdt_getprop's answer is the first device_type: this node is a cpu. */
	build_memory_tree(&b, false, "odd", types, 2);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_memory(&f, &base, &size), MON_ERR_NOT_SUPPORTED);
}

/* A node with only a device_type: the decoy tree below is mostly these. */
static void typed_leaf(struct fdt_builder *b, const char *name, const char *type)
{
	begin_node(b, name);
	prop_str(b, "device_type", type);
	end_node(b);
}

/*
 * A tree built to trip a one-walk reader: a "cpus" node one level too deep
 * and before /cpus, a second /cpus, a cpu node whose first device_type is
 * not "cpu", "cpu-map", a cpu typed second; the first memory node nested
 * two deep and a later one that must not win.
 */
static void build_layout_decoys(struct fdt_builder *b)
{
	static const uint32_t reg1[] = { 0x0, 0x40000000u, 0x0, 0x200000 };
	static const uint32_t reg2[] = { 0x0, 0x80000000u, 0x0, 0x100000 };

	b_start(b);
	begin_node(b, "");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	begin_node(b, "soc");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	begin_node(b, "cpus"); /* /soc/cpus: not /cpus */
	typed_leaf(b, "cpu@0", "cpu");
	end_node(b);
	begin_node(b, "ram@40000000");
	prop_str(b, "device_type", "memory");
	prop_cells(b, "reg", reg1, 4);
	end_node(b);
	end_node(b);
	begin_node(b, "cpus@0");
	typed_leaf(b, "cpu@0", "cpu");
	begin_node(b, "cpu@1");
	prop_str(b, "device_type", "memory"); /* the first device_type decides */
	prop_str(b, "device_type", "cpu");
	end_node(b);
	typed_leaf(b, "cpu-map", "cpu");
	begin_node(b, "cpu");
	prop_str(b, "status", "okay");
	prop_str(b, "device_type", "cpu");
	typed_leaf(b, "cpu@9", "cpu"); /* a grandchild of /cpus */
	end_node(b);
	end_node(b);
	begin_node(b, "cpus"); /* a second /cpus: fdt_path_offset finds the first */
	typed_leaf(b, "cpu@2", "cpu");
	end_node(b);
	begin_node(b, "memory@80000000");
	prop_str(b, "device_type", "memory");
	prop_cells(b, "reg", reg2, 4);
	end_node(b);
	end_node(b);
	finish(b);
}

TEST(fdt_vm_layout, answers_as_the_two_readers_on_decoys)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;
	unsigned int cpus = 0;

	build_layout_decoys(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_count_cpus(&f), 2); /* cpu@0 and cpu, under cpus@0 */
	ASSERT_EQ(fdt_memory(&f, &base, &size), MON_OK);
	EXPECT_EQ(base, 0x40000000u); /* /soc/ram@40000000 comes first */
	EXPECT_EQ(size, 0x200000);
	base = size = 0;
	ASSERT_EQ(fdt_vm_layout(&f, &cpus, &base, &size), MON_OK);
	EXPECT_EQ(cpus, 2);
	EXPECT_EQ(base, 0x40000000u);
	EXPECT_EQ(size, 0x200000);
	EXPECT_EQ(fdt_vm_layout(NULL, &cpus, &base, &size), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(cpus, 0);
}

TEST(fdt_memory, refuses_a_root_typed_memory)
{
	static const uint32_t reg[] = { 0x0, 0x40000000u, 0x0, 0x100000 };
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	/* The root has no parent to give the cells of its reg. */
	b_start(&b);
	begin_node(&b, "");
	prop_str(&b, "device_type", "memory");
	prop_cells(&b, "reg", reg, 4);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_memory(&f, &base, &size), MON_ERR_INVALID_PARAM);
}

/* Threat: the blob changes after fdt_init; the walk's stack of open nodes stays in bounds. */
TEST(fdt_memory, refuses_nesting_deepened_after_init)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	build_nested(&b, FDT_MAX_DEPTH);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	/* The first FDT_END_NODE (after 16 nodes of 8 bytes) opens a node named by the
	 * next one's first byte, 0: one level past the limit. */
	uint32_t at = 8 * FDT_MAX_DEPTH;
	ASSERT_EQ(mon_load_be32(b.blob + f.struct_off + at), FDT_END_NODE);
	mon_store_be32(b.blob + f.struct_off + at, FDT_BEGIN_NODE);
	EXPECT_EQ(fdt_memory(&f, &base, &size), MON_ERR_INVALID_PARAM);
}

TEST(fdt_memory, refuses_a_node_closed_before_opened_after_init)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t base = 0;
	uint64_t size = 0;

	build_nested(&b, 2);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	/* The root's token and name become FDT_END_NODE, FDT_NOP: a close with nothing open. */
	mon_store_be32(b.blob + f.struct_off, FDT_END_NODE);
	mon_store_be32(b.blob + f.struct_off + 4, FDT_NOP);
	EXPECT_EQ(fdt_memory(&f, &base, &size), MON_ERR_NOT_SUPPORTED);
}

TEST(fdt_rsv_entry, reads_entries_up_to_the_terminator)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t addr = 0;
	uint64_t size = 0;

	b_start(&b);
	add_rsv(&b, 0x80000000u, 0x200000);
	add_rsv(&b, UINT64_C(0x1000000000), 0x1000);
	begin_node(&b, "");
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_rsv_entry(&f, 1, &addr, &size), MON_OK);
	EXPECT_EQ(addr, UINT64_C(0x1000000000));
	EXPECT_EQ(size, 0x1000);
	EXPECT_EQ(fdt_rsv_entry(&f, 2, &addr, &size), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(fdt_rsv_entry(&f, UINT32_MAX, &addr, &size), MON_ERR_INVALID_PARAM);
}

static void build_initrd(struct fdt_builder *b, int start_bytes, uint64_t start, int end_bytes,
			 uint64_t end)
{
	b_start(b);
	begin_node(b, "");
	begin_node(b, "chosen");
	if (start_bytes == 4) {
		prop_u32(b, "linux,initrd-start", (uint32_t)start);
	} else if (start_bytes == 8) {
		prop_u64(b, "linux,initrd-start", start);
	}
	if (end_bytes == 4) {
		prop_u32(b, "linux,initrd-end", (uint32_t)end);
	} else if (end_bytes == 8) {
		prop_u64(b, "linux,initrd-end", end);
	}
	end_node(b);
	end_node(b);
	finish(b);
}

TEST(fdt_initrd, reads_32_bit_values)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t start = 0;
	uint64_t end = 0;

	build_sample(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_initrd(&f, &start, &end), MON_OK);
	EXPECT_EQ(start, 0x88000000u);
	EXPECT_EQ(end, 0x88100000u);
}

TEST(fdt_initrd, reads_64_bit_and_mixed_values)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t start = 0;
	uint64_t end = 0;

	build_initrd(&b, 8, UINT64_C(0x100000000), 8, UINT64_C(0x100200000));
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	ASSERT_EQ(fdt_initrd(&f, &start, &end), MON_OK);
	EXPECT_EQ(start, UINT64_C(0x100000000));
	EXPECT_EQ(end, UINT64_C(0x100200000));
	build_initrd(&b, 4, 0x1000, 8, UINT64_C(0x100000000));
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_initrd(&f, &start, &end), MON_OK);
}

TEST(fdt_initrd, rejects_end_before_start)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t start = 0;
	uint64_t end = 0;

	build_initrd(&b, 4, 0x88100000u, 4, 0x88000000u);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_initrd(&f, &start, &end), MON_ERR_INVALID_PARAM);
	EXPECT_EQ(start, 0);
}

TEST(fdt_initrd, reports_absence_and_rejects_half_or_odd_sized_values)
{
	struct fdt_builder b;
	struct fdt f;
	uint64_t start = 0;
	uint64_t end = 0;

	build_initrd(&b, 0, 0, 0, 0);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_initrd(&f, &start, &end), MON_ERR_NOT_SUPPORTED);
	build_initrd(&b, 4, 0x1000, 0, 0);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_initrd(&f, &start, &end), MON_ERR_INVALID_PARAM);

	b_start(&b);
	begin_node(&b, "");
	begin_node(&b, "chosen");
	prop_bytes(&b, "linux,initrd-start", "\0\0\0\0\0\0", 6);
	prop_u32(&b, "linux,initrd-end", 0x1000);
	end_node(&b);
	end_node(&b);
	finish(&b);
	ASSERT_EQ(b_parse(&b, &f), MON_OK);
	EXPECT_EQ(fdt_initrd(&f, &start, &end), MON_ERR_INVALID_PARAM);
}

/*
 * Threat as above, on the builder's tree (small enough to decode every
 * node's reg for each variant): every byte set to four other values.
 */
TEST(fdt_init, sample_tree_corruption_never_reads_out_of_bounds)
{
	struct fdt_builder b;
	uint8_t copy[1024];
	unsigned int accepted = 0;
	unsigned int answered;

	build_sample(&b);
	ASSERT_LE(b.len, sizeof(copy));
	for (uint32_t i = 0; i < b.len; i++) {
		const uint8_t orig = b.blob[i];
		const uint8_t values[] = { (uint8_t)(orig ^ 0x01), (uint8_t)(orig ^ 0x80),
					   (uint8_t)(orig + 4), 0xff };

		for (size_t v = 0; v < sizeof(values); v++) {
			uint8_t *p = copy + sizeof(copy) - b.len;
			struct fdt f;

			memcpy(p, b.blob, b.len);
			p[i] = values[v];
			if (fdt_init(&f, p, b.len) == MON_OK) {
				accepted++;
				EXPECT_LE(exercise(&f, true, &answered),
					  b.len / 12); /* a node takes >= 12 bytes */
			}
		}
	}
	EXPECT_GT(accepted, 0);
}
