// SPDX-License-Identifier: BSD-2-Clause
/*
 * Address translation as the emulated hart performs it
 * (host-shim/include/shim/mmu.h): G-stage (Sv39x4/Sv48x4/Sv57x4), VS-stage
 * over G-stage, PMP on table walks and final accesses, and the G-stage TLB.
 *
 * Every test builds its page tables in emulated DRAM: table pages come from
 * a bump allocator in the upper half of DRAM, data pages sit in the lower
 * half. Unless a test is about PMP, the last PMP entry allows everything so
 * that tests about PMP can put a narrower rule in front of it.
 */
#include "shim/mmu.h"

#include <string.h>

#include "shim/hart.h"
#include "shim/mem.h"
#include "shim/pmp.h"
#include "shim/tlb.h"
#include "test.h"

#define DRAM_SIZE	(UINT64_C(64) << 20)
#define TABLE_AREA	(SHIM_DRAM_BASE + (UINT64_C(32) << 20))
#define PA_DATA		(SHIM_DRAM_BASE + UINT64_C(0x200000)) /* 2 MiB aligned */
#define GPA_DATA	UINT64_C(0x40000000)		      /* 1 GiB aligned */
#define GVA_DATA	UINT64_C(0x1000000000)		      /* canonical for Sv39 */
#define VMID		5u
#define OTHER_VMID	6u
#define PMP_ALLOW_ALL	15u

#define KIB4		UINT64_C(0x1000)
#define KIB16		UINT64_C(0x4000)
#define MIB2		(UINT64_C(1) << 21)
#define GIB1		(UINT64_C(1) << 30)

#define G_RWXU		(SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_X | SHIM_PTE_U)
#define VS_RWX		(SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_X)

#define TINST_PTE_READ	0x00003000u
#define TINST_PTE_WRITE 0x00003020u
#define MSTATUS_MXR	(UINT64_C(1) << 19)
#define VSSTATUS_SUM	(UINT64_C(1) << 18)

/* The machine under test; static so a failed ASSERT leaks nothing. */
struct fixture {
	struct shim_mem mem;
	struct shim_hart hart;
	uint64_t next_table; /* bump pointer for table pages */
	uint64_t groot;	     /* G-stage root (16 KiB) */
	unsigned int glevels;
	uint64_t vsroot; /* VS-stage root, a GPA identity-mapped by the G-stage */
};

static struct fixture fx;

static unsigned int levels_of(unsigned int mode)
{
	switch (mode) {
	case SHIM_ATP_MODE_SV48: return 4;
	case SHIM_ATP_MODE_SV57: return 5;
	default: return 3;
	}
}

static uint64_t atp_of(unsigned int mode, unsigned int vmid, uint64_t root)
{
	return ((uint64_t)mode << SHIM_ATP_MODE_SHIFT) | ((uint64_t)vmid << SHIM_HGATP_VMID_SHIFT) |
	       (root >> 12);
}

static uint64_t pte_get(uint64_t pa)
{
	uint8_t b[8];
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&fx.mem, pa, b, sizeof(b)));
	for (unsigned int i = 0; i < 8; i++) {
		v |= (uint64_t)b[i] << (8 * i);
	}
	return v;
}

static void pte_put(uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	ASSERT_TRUE(shim_mem_write(&fx.mem, pa, b, sizeof(b)));
}

/* A zeroed, @align-aligned table area from the bump allocator. */
static uint64_t table_alloc(uint64_t size, uint64_t align)
{
	uint64_t t = (fx.next_table + align - 1) & ~(align - 1);

	fx.next_table = t + size;
	ASSERT_TRUE(shim_mem_is_dram(&fx.mem, t, size));
	return t;
}

static uint64_t leaf_pte(uint64_t target, uint64_t flags)
{
	return SHIM_PTE_V | flags | ((target >> 12) << SHIM_PTE_PPN_SHIFT);
}

static uint64_t table_pte(uint64_t table)
{
	return SHIM_PTE_V | ((table >> 12) << SHIM_PTE_PPN_SHIFT);
}

static uint64_t g_map(uint64_t gpa, uint64_t pa, unsigned int level, uint64_t flags);

/* A VS-stage table page, identity-mapped (GPA = PA) by the G-stage. */
static uint64_t vs_table_alloc(void)
{
	uint64_t t = table_alloc(KIB4, KIB4);

	g_map(t, t, 0, SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_U);
	return t;
}

/*
 * Maps @va to @target with a leaf at @level in the tables at @root (in
 * physical memory: for the VS-stage, GPA = PA). Returns the address of the
 * leaf PTE.
 */
static uint64_t pt_map(uint64_t root, unsigned int levels, unsigned int root_bits, bool vs,
		       uint64_t va, uint64_t target, unsigned int level, uint64_t flags)
{
	uint64_t table = root;

	for (unsigned int l = levels - 1;; l--) {
		unsigned int bits = l == levels - 1 ? root_bits : 9;
		uint64_t idx = (va >> (12 + 9 * l)) & ((UINT64_C(1) << bits) - 1);
		uint64_t at = table + idx * 8;

		if (l == level) {
			pte_put(at, leaf_pte(target, flags));
			return at;
		}
		uint64_t pte = pte_get(at);

		if (!(pte & SHIM_PTE_V)) {
			uint64_t next = vs ? vs_table_alloc() : table_alloc(KIB4, KIB4);

			pte = table_pte(next);
			pte_put(at, pte);
		}
		table = ((pte >> SHIM_PTE_PPN_SHIFT) & SHIM_PTE_PPN_MASK) << 12;
	}
}

static uint64_t g_map(uint64_t gpa, uint64_t pa, unsigned int level, uint64_t flags)
{
	return pt_map(fx.groot, fx.glevels, 11, false, gpa, pa, level, flags);
}

static uint64_t vs_map(uint64_t gva, uint64_t gpa, unsigned int level, uint64_t flags)
{
	return pt_map(fx.vsroot, 3, 9, true, gva, gpa, level, flags);
}

static void pmp_napot(unsigned int i, uint64_t base, uint64_t size, uint8_t cfg)
{
	ASSERT_TRUE(shim_pmp_write_addr(&fx.hart.pmp, i, (base >> 2) | ((size >> 3) - 1)));
	ASSERT_TRUE(shim_pmp_write_cfg(&fx.hart.pmp, i, (uint8_t)(HAL_PMP_A_NAPOT | cfg)));
}

/* A hart in VS with G-stage @gmode (VMID 5), vsatp Bare, PMP allowing all. */
static void fx_setup(unsigned int gmode)
{
	if (fx.mem.dram) {
		shim_mem_fini(&fx.mem);
	}
	memset(&fx, 0, sizeof(fx));
	ASSERT_TRUE(shim_mem_init(&fx.mem, SHIM_DRAM_BASE, DRAM_SIZE));
	shim_hart_reset(&fx.hart, 0, 16, false, 14, SHIM_DRAM_BASE);
	ASSERT_TRUE(shim_pmp_write_addr(&fx.hart.pmp, PMP_ALLOW_ALL, ~UINT64_C(0)));
	ASSERT_TRUE(shim_pmp_write_cfg(&fx.hart.pmp, PMP_ALLOW_ALL,
				       HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X));
	fx.hart.mode = SHIM_MODE_VS;
	fx.next_table = TABLE_AREA;
	if (gmode != SHIM_ATP_MODE_BARE) {
		fx.glevels = levels_of(gmode);
		fx.groot = table_alloc(KIB16, KIB16);
		fx.hart.csr.hgatp = atp_of(gmode, VMID, fx.groot);
	}
}

/* Adds a VS-stage Sv39 root and turns vsatp on. */
static void vs_setup(void)
{
	fx.vsroot = vs_table_alloc();
	fx.hart.csr.vsatp = atp_of(SHIM_ATP_MODE_SV39, 0, fx.vsroot);
}

static struct shim_xlate load(uint64_t addr)
{
	return shim_mmu_translate(&fx.mem, &fx.hart, addr, 8, SHIM_ACCESS_READ);
}

static struct shim_xlate store(uint64_t addr)
{
	return shim_mmu_translate(&fx.mem, &fx.hart, addr, 8, SHIM_ACCESS_WRITE);
}

static struct shim_xlate fetch(uint64_t addr)
{
	return shim_mmu_translate(&fx.mem, &fx.hart, addr, 4, SHIM_ACCESS_EXEC);
}

static void fence_all(void)
{
	shim_tlb_fence_gvma(&fx.hart.tlb, false, 0, false, 0);
}

/* ------------------------------------------------------ G-stage schemes --- */

TEST(gstage, sv39x4_maps_a_4k_page)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate x = load(GPA_DATA + 0x18);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0x18);
}

TEST(gstage, sv48x4_maps_a_4k_page)
{
	fx_setup(SHIM_ATP_MODE_SV48);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate x = load(GPA_DATA + 0x18);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0x18);
}

TEST(gstage, sv57x4_maps_a_4k_page)
{
	fx_setup(SHIM_ATP_MODE_SV57);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate x = load(GPA_DATA + 0x18);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0x18);
}

TEST(gstage, sv39x4_extra_top_bits_index_root_entries_above_511)
{
	/* GPA bit 40 is one of the two extra bits: root index 1024 + 1. */
	uint64_t gpa = (UINT64_C(1) << 40) | GPA_DATA;

	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(gpa, PA_DATA, 0, G_RWXU);
	EXPECT_TRUE(pte_get(fx.groot + 1025 * 8) & SHIM_PTE_V);
	struct shim_xlate x = load(gpa);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA);
}

TEST(gstage, sv48x4_root_has_2048_entries)
{
	/* The highest Sv48x4 GPA page uses root entry 2047, the last 8 bytes of 16 KiB. */
	uint64_t gpa = (UINT64_C(1) << 50) - KIB4;

	fx_setup(SHIM_ATP_MODE_SV48);
	g_map(gpa, PA_DATA, 0, G_RWXU);
	EXPECT_TRUE(pte_get(fx.groot + 2047 * 8) & SHIM_PTE_V);
	struct shim_xlate x = load(gpa + 0xff8);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0xff8);
}

TEST(gstage, sv57x4_extra_top_bits_index_root_entries_above_511)
{
	uint64_t gpa = (UINT64_C(1) << 58) | KIB4;

	fx_setup(SHIM_ATP_MODE_SV57);
	g_map(gpa, PA_DATA, 0, G_RWXU);
	EXPECT_TRUE(pte_get(fx.groot + 1024 * 8) & SHIM_PTE_V);
	struct shim_xlate x = load(gpa);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA);
}

TEST(gstage, sv39x4_gpa_with_bit_41_set_is_a_guest_page_fault)
{
	uint64_t gpa = UINT64_C(1) << 41;

	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(gpa & ((UINT64_C(1) << 41) - 1), PA_DATA, 0, G_RWXU); /* the wrapped address */
	struct shim_xlate x = load(gpa);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(x.tval2, gpa >> 2);
}

TEST(gstage, sv48x4_gpa_with_bit_50_set_is_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV48);
	g_map(0, PA_DATA, 0, G_RWXU); /* what the address would wrap to */
	struct shim_xlate x = store(UINT64_C(1) << 50);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_STORE_GUEST_PAGE);
}

TEST(gstage, sv57x4_gpa_with_bit_59_set_is_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV57);
	g_map(0, PA_DATA, 0, G_RWXU); /* what the address would wrap to */
	struct shim_xlate x = load(UINT64_C(1) << 59);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, root_ppn_low_two_bits_are_ignored)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	fx.hart.csr.hgatp |= 3;
	struct shim_xlate x = load(GPA_DATA);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA);
}

TEST(gstage, bare_hgatp_passes_gpa_through_unchanged)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	struct shim_xlate x = load(PA_DATA + 0x40);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0x40);
}

/* ------------------------------------------------------------ superpages --- */

TEST(gstage, megapage_maps_the_offset_within_2_mib)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 1, G_RWXU);
	struct shim_xlate x = load(GPA_DATA + MIB2 - 8);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + MIB2 - 8);
}

TEST(gstage, gigapage_maps_the_offset_within_1_gib)
{
	fx_setup(SHIM_ATP_MODE_SV48);
	g_map(GPA_DATA, SHIM_DRAM_BASE, 2, G_RWXU);
	struct shim_xlate x = load(GPA_DATA + 0x123458);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, SHIM_DRAM_BASE + 0x123458);
}

TEST(gstage, misaligned_megapage_is_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA + KIB4, 1, G_RWXU);
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, misaligned_gigapage_is_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, SHIM_DRAM_BASE + MIB2, 2, G_RWXU);
	struct shim_xlate x = fetch(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_FETCH_GUEST_PAGE);
}

/* ------------------------------------------------------------- PTE rules --- */

TEST(gstage, invalid_leaf_is_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	pte_put(at, pte_get(at) & ~SHIM_PTE_V);
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, writable_but_unreadable_leaf_is_reserved_and_faults_even_for_stores)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_W | SHIM_PTE_U);
	struct shim_xlate x = store(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_STORE_GUEST_PAGE);
}

TEST(gstage, reserved_pte_bits_60_54_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	pte_put(at, pte_get(at) | (UINT64_C(1) << 54));
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, pbmt_and_napot_bits_fault_without_svpbmt_and_svnapot)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	uint64_t good = pte_get(at);
	unsigned int faults = 0;

	for (unsigned int bit = 61; bit <= 63; bit++) {
		pte_put(at, good | (UINT64_C(1) << bit));
		faults += load(GPA_DATA).cause == SHIM_CAUSE_LOAD_GUEST_PAGE;
	}
	EXPECT_EQ(faults, 3);
}

TEST(gstage, non_leaf_pte_at_level_0_faults)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, 0); /* V only: a pointer where a leaf must be */
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, non_leaf_pte_with_reserved_u_bit_faults)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	uint64_t root_pte = fx.groot + (GPA_DATA >> 30) * 8;

	pte_put(root_pte, pte_get(root_pte) | SHIM_PTE_U);
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage, leaf_without_u_faults_because_gstage_accesses_are_user_level)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_X);
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

/* ----------------------------------------------- permissions and reports --- */

TEST(gstage, load_from_execute_only_page_reports_gva_and_gpa)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_X | SHIM_PTE_U);
	struct shim_xlate x = load(GPA_DATA + 0x128);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(x.tval, GPA_DATA + 0x128);
	EXPECT_EQ(x.tval2, (GPA_DATA + 0x128) >> 2);
	EXPECT_EQ(x.tinst, 0);
	EXPECT_TRUE(x.gva);
}

TEST(gstage, store_to_read_only_page_reports_gva_and_gpa)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_R | SHIM_PTE_U);
	struct shim_xlate x = store(GPA_DATA + 0x130);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_STORE_GUEST_PAGE);
	EXPECT_EQ(x.tval, GPA_DATA + 0x130);
	EXPECT_EQ(x.tval2, (GPA_DATA + 0x130) >> 2);
	EXPECT_TRUE(x.gva);
}

TEST(gstage, fetch_from_non_executable_page_reports_gva_and_gpa)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_U);
	struct shim_xlate x = fetch(GPA_DATA + 0x134);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_FETCH_GUEST_PAGE);
	EXPECT_EQ(x.tval, GPA_DATA + 0x134);
	EXPECT_EQ(x.tval2, (GPA_DATA + 0x134) >> 2);
	EXPECT_TRUE(x.gva);
}

TEST(gstage, each_permission_bit_grants_its_own_access_kind)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_R | SHIM_PTE_U);
	g_map(GPA_DATA + KIB4, PA_DATA + KIB4, 0, SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_U);
	g_map(GPA_DATA + 2 * KIB4, PA_DATA + 2 * KIB4, 0, SHIM_PTE_X | SHIM_PTE_U);
	EXPECT_TRUE(load(GPA_DATA).ok);
	EXPECT_TRUE(store(GPA_DATA + KIB4).ok);
	EXPECT_TRUE(fetch(GPA_DATA + 2 * KIB4).ok);
}

TEST(gstage, hs_level_mxr_makes_execute_only_pages_readable)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_X | SHIM_PTE_U);
	fx.hart.csr.mstatus |= MSTATUS_MXR;
	EXPECT_TRUE(load(GPA_DATA).ok);
}

/* ------------------------------------------------------------ A/D bits --- */

TEST(gstage, load_sets_a_and_leaves_d_clear)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	ASSERT_TRUE(load(GPA_DATA).ok);
	EXPECT_TRUE(pte_get(at) & SHIM_PTE_A);
	EXPECT_FALSE(pte_get(at) & SHIM_PTE_D);
}

TEST(gstage, store_sets_a_and_d)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	ASSERT_TRUE(store(GPA_DATA).ok);
	EXPECT_EQ(pte_get(at) & (SHIM_PTE_A | SHIM_PTE_D), SHIM_PTE_A | SHIM_PTE_D);
}

TEST(gstage, a_d_update_marks_the_table_page_written)
{
	/* A world reset must restore PTEs the walker changed. */
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(shim_mem_snapshot(&fx.mem));
	ASSERT_TRUE(load(GPA_DATA).ok);
	EXPECT_EQ(shim_mem_dirty_pages(&fx.mem), 1);
}

/* ------------------------------------------------------ PMP and memory --- */

TEST(gstage, pmp_denial_of_the_final_access_is_an_access_fault_not_a_guest_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	pmp_napot(0, PA_DATA, KIB4, 0);
	struct shim_xlate l = load(GPA_DATA + 8);
	struct shim_xlate s = store(GPA_DATA + 8);
	struct shim_xlate f = fetch(GPA_DATA + 8);

	EXPECT_EQ(l.cause, SHIM_CAUSE_LOAD_ACCESS);
	EXPECT_EQ(s.cause, SHIM_CAUSE_STORE_ACCESS);
	EXPECT_EQ(f.cause, SHIM_CAUSE_FETCH_ACCESS);
	EXPECT_EQ(l.tval, GPA_DATA + 8);
	EXPECT_EQ(l.tval2, 0);
}

TEST(gstage, pmp_denial_of_a_table_page_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	pmp_napot(0, at & ~(KIB4 - 1), KIB4, 0); /* the last-level table */
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_ACCESS);
}

TEST(gstage, table_walk_reads_are_supervisor_level_for_pmp)
{
	/*
	 * An unlocked entry without permissions: M may read the tables, S may
	 * not. The walk fails, so it is not made with M's privilege.
	 */
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	pmp_napot(0, fx.groot, KIB16, 0);
	EXPECT_TRUE(shim_pmp_allows(&fx.hart.pmp, fx.groot, 8, SHIM_ACCESS_READ, SHIM_PRIV_M));
	EXPECT_EQ(store(GPA_DATA).cause, SHIM_CAUSE_STORE_ACCESS);
}

TEST(gstage, a_d_update_needs_pmp_write_permission_on_the_table)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	pmp_napot(0, at & ~(KIB4 - 1), KIB4, HAL_PMP_R);
	EXPECT_EQ(load(GPA_DATA).cause, SHIM_CAUSE_LOAD_ACCESS);
	/* With A already set the walk writes nothing and succeeds. */
	pte_put(at, pte_get(at) | SHIM_PTE_A);
	EXPECT_TRUE(load(GPA_DATA).ok);
}

TEST(gstage, leaf_pointing_outside_dram_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, UINT64_C(0x10000000), 0, G_RWXU); /* below DRAM: an MMIO hole */
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_ACCESS);
}

TEST(gstage, table_pointer_outside_dram_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	pte_put(fx.groot + (GPA_DATA >> 30) * 8, table_pte(UINT64_C(0x1000)));
	struct shim_xlate x = store(GPA_DATA);

	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.cause, SHIM_CAUSE_STORE_ACCESS);
}

/* ------------------------------------------------- pure lookup for oracles --- */

TEST(gstage_lookup, reports_leaf_address_pte_and_superpage_shift)
{
	uint64_t pa;
	uint64_t pte;
	unsigned int shift;

	fx_setup(SHIM_ATP_MODE_SV48);
	g_map(GPA_DATA, PA_DATA, 1, G_RWXU);
	ASSERT_TRUE(shim_mmu_gstage_lookup(&fx.mem, fx.hart.csr.hgatp, GPA_DATA + 0x1234, &pa, &pte,
					   &shift));
	EXPECT_EQ(pa, PA_DATA + 0x1234);
	EXPECT_EQ(shift, 21);
	EXPECT_EQ(pte, leaf_pte(PA_DATA, G_RWXU));
}

TEST(gstage_lookup, ignores_pmp_and_leaves_a_d_untouched)
{
	uint64_t pa;
	uint64_t pte;
	unsigned int shift;

	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	pmp_napot(0, fx.groot, KIB16, 0);
	EXPECT_TRUE(
		shim_mmu_gstage_lookup(&fx.mem, fx.hart.csr.hgatp, GPA_DATA, &pa, &pte, &shift));
	EXPECT_FALSE(pte_get(at) & SHIM_PTE_A);
}

TEST(gstage_lookup, unmapped_gpa_is_not_found)
{
	uint64_t pa;
	uint64_t pte;
	unsigned int shift;

	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	EXPECT_FALSE(shim_mmu_gstage_lookup(&fx.mem, fx.hart.csr.hgatp, GPA_DATA + KIB4, &pa, &pte,
					    &shift));
}

TEST(gstage_lookup, bare_hgatp_is_the_identity)
{
	uint64_t pa = 0;
	uint64_t pte = 1;
	unsigned int shift = 1;

	fx_setup(SHIM_ATP_MODE_BARE);
	EXPECT_TRUE(shim_mmu_gstage_lookup(&fx.mem, 0, PA_DATA, &pa, &pte, &shift));
	EXPECT_EQ(pa, PA_DATA);
	EXPECT_EQ(pte, 0);
}

/* --------------------------------------------------- VS-stage over G-stage --- */

TEST(vsstage, sv39_over_sv39x4_translates_end_to_end)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX);
	struct shim_xlate x = load(GVA_DATA + 0x10);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + 0x10);
}

TEST(vsstage, unmapped_gva_is_a_page_fault_with_no_gpa)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	struct shim_xlate l = load(GVA_DATA);
	struct shim_xlate s = store(GVA_DATA);
	struct shim_xlate f = fetch(GVA_DATA);

	EXPECT_EQ(l.cause, SHIM_CAUSE_LOAD_PAGE);
	EXPECT_EQ(s.cause, SHIM_CAUSE_STORE_PAGE);
	EXPECT_EQ(f.cause, SHIM_CAUSE_FETCH_PAGE);
	EXPECT_EQ(l.tval, GVA_DATA);
	EXPECT_EQ(l.tval2, 0);
	EXPECT_TRUE(l.gva);
}

TEST(vsstage, gstage_fault_on_final_gpa_reports_gva_in_tval_and_gpa_in_tval2)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX);
	struct shim_xlate x = load(GVA_DATA + 0x20);

	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(x.tval, GVA_DATA + 0x20);
	EXPECT_EQ(x.tval2, (GPA_DATA + 0x20) >> 2);
	EXPECT_EQ(x.tinst, 0);
}

TEST(vsstage, gstage_fault_on_pte_read_reports_pte_gpa_and_read_pseudoinstruction)
{
	/* The level-1 VS table sits at a GPA the G-stage does not map. */
	uint64_t table_gpa = UINT64_C(0x20000000);
	uint64_t pte_gpa = table_gpa + ((GVA_DATA >> 21) & 0x1ff) * 8;

	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	pte_put(fx.vsroot + ((GVA_DATA >> 30) & 0x1ff) * 8, table_pte(table_gpa));
	struct shim_xlate x = store(GVA_DATA);

	EXPECT_EQ(x.cause, SHIM_CAUSE_STORE_GUEST_PAGE); /* the original access type */
	EXPECT_EQ(x.tval, GVA_DATA);
	EXPECT_EQ(x.tval2, pte_gpa >> 2);
	EXPECT_EQ(x.tinst, TINST_PTE_READ);
	EXPECT_TRUE(x.gva);
}

TEST(vsstage, gstage_fault_on_a_d_update_reports_write_pseudoinstruction)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	uint64_t leaf = vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX); /* A clear */
	uint64_t page = leaf & ~(KIB4 - 1);

	g_map(page, page, 0, SHIM_PTE_R | SHIM_PTE_U); /* the leaf's table is read-only */
	struct shim_xlate x = fetch(GVA_DATA);

	EXPECT_EQ(x.cause, SHIM_CAUSE_FETCH_GUEST_PAGE);
	EXPECT_EQ(x.tval2, leaf >> 2);
	EXPECT_EQ(x.tinst, TINST_PTE_WRITE);
}

TEST(vsstage, access_sets_a_and_d_in_the_vs_pte)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	uint64_t leaf = vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX);

	ASSERT_TRUE(store(GVA_DATA).ok);
	EXPECT_EQ(pte_get(leaf) & (SHIM_PTE_A | SHIM_PTE_D), SHIM_PTE_A | SHIM_PTE_D);
}

/*
 * Threat: a guest whose VS-stage leaf PTE is the very G-stage PTE that maps
 * it (the G-stage tables leaked into guest memory). The walker's own G-stage
 * D update changes the VS PTE between its read and its update; the walk
 * must restart (step 9 of the translation algorithm) and finish.
 */
TEST(vsstage, a_d_update_restarts_when_the_walk_changed_the_pte)
{
	uint64_t alias_gpa = UINT64_C(0x50000000); /* level-0 index 0, like GVA_DATA */

	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	uint64_t at = g_map(alias_gpa, PA_DATA, 0, 0);
	uint64_t gtable = at & ~(KIB4 - 1);

	ASSERT_EQ(at, gtable); /* entry 0 of its table */
	g_map(alias_gpa, gtable, 0, SHIM_PTE_R | SHIM_PTE_W | SHIM_PTE_U);
	g_map(gtable, gtable, 0, G_RWXU);
	uint64_t l1 = vs_table_alloc();

	pte_put(fx.vsroot + ((GVA_DATA >> 30) & 0x1ff) * 8, table_pte(l1));
	pte_put(l1 + ((GVA_DATA >> 21) & 0x1ff) * 8, table_pte(alias_gpa));
	fx.hart.csr.vsstatus |= VSSTATUS_SUM; /* the G-stage PTE has U set */
	struct shim_xlate x = store(GVA_DATA);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, gtable);
	EXPECT_EQ(pte_get(at) & (SHIM_PTE_A | SHIM_PTE_D), SHIM_PTE_A | SHIM_PTE_D);
}

TEST(vsstage, pmp_denial_of_a_vs_table_page_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX);
	pmp_napot(0, fx.vsroot, KIB4, 0);
	struct shim_xlate x = load(GVA_DATA);

	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_ACCESS);
	EXPECT_EQ(x.tval, GVA_DATA);
}

TEST(vsstage, vu_cannot_access_a_supervisor_page)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX);
	fx.hart.mode = SHIM_MODE_VU;
	EXPECT_EQ(load(GVA_DATA).cause, SHIM_CAUSE_LOAD_PAGE);
}

TEST(vsstage, vs_reads_a_user_page_only_with_sum)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX | SHIM_PTE_U);
	EXPECT_EQ(load(GVA_DATA).cause, SHIM_CAUSE_LOAD_PAGE);
	fx.hart.csr.vsstatus |= VSSTATUS_SUM;
	EXPECT_TRUE(load(GVA_DATA).ok);
}

TEST(vsstage, vs_never_executes_a_user_page_even_with_sum)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX | SHIM_PTE_U);
	fx.hart.csr.vsstatus |= VSSTATUS_SUM;
	EXPECT_EQ(fetch(GVA_DATA).cause, SHIM_CAUSE_FETCH_PAGE);
}

TEST(vsstage, non_canonical_sv39_address_is_a_page_fault)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	struct shim_xlate x = load(UINT64_C(1) << 39);

	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_PAGE);
	EXPECT_EQ(x.tval, UINT64_C(1) << 39);
}

/* ---------------------------------------------------------- other modes --- */

TEST(modes, hs_is_physical_ignores_hgatp_and_is_pmp_checked_as_s)
{
	fx_setup(SHIM_ATP_MODE_SV39); /* hgatp on, nothing mapped */
	pmp_napot(0, PA_DATA, KIB4, HAL_PMP_R);
	fx.hart.mode = SHIM_MODE_HS;
	struct shim_xlate l = load(PA_DATA);
	struct shim_xlate s = store(PA_DATA);

	ASSERT_TRUE(l.ok);
	EXPECT_EQ(l.pa, PA_DATA);
	EXPECT_EQ(s.cause, SHIM_CAUSE_STORE_ACCESS);
	EXPECT_FALSE(s.gva);
}

TEST(modes, hs_with_paged_satp_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	fx.hart.mode = SHIM_MODE_HS;
	fx.hart.csr.satp = atp_of(SHIM_ATP_MODE_SV39, 0, TABLE_AREA);
	EXPECT_EQ(load(PA_DATA).cause, SHIM_CAUSE_LOAD_ACCESS);
}

TEST(modes, m_bypasses_pmp_when_no_entry_is_locked)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	pmp_napot(0, PA_DATA, KIB4, 0);
	fx.hart.mode = SHIM_MODE_M;
	EXPECT_TRUE(store(PA_DATA).ok);
}

TEST(modes, m_obeys_a_locked_entry)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	pmp_napot(0, PA_DATA, KIB4, HAL_PMP_L | HAL_PMP_R);
	fx.hart.mode = SHIM_MODE_M;
	EXPECT_TRUE(load(PA_DATA).ok);
	EXPECT_EQ(store(PA_DATA).cause, SHIM_CAUSE_STORE_ACCESS);
}

TEST(modes, m_access_outside_dram_is_an_access_fault)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	fx.hart.mode = SHIM_MODE_M;
	EXPECT_EQ(load(UINT64_C(0x10000000)).cause, SHIM_CAUSE_LOAD_ACCESS);
}

/* ------------------------------------------------------------ alignment --- */

TEST(alignment, misaligned_loads_and_stores_are_performed_as_on_qemu_virt)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate l =
		shim_mmu_translate(&fx.mem, &fx.hart, GPA_DATA + 2, 4, SHIM_ACCESS_READ);
	struct shim_xlate s = store(GPA_DATA + 4);

	EXPECT_TRUE(l.ok);
	EXPECT_EQ(l.pa, PA_DATA + 2);
	EXPECT_TRUE(s.ok);
	/* Across a page boundary onto an unmapped page: the fault names the boundary. */
	struct shim_xlate x =
		shim_mmu_translate(&fx.mem, &fx.hart, GPA_DATA + 4094, 4, SHIM_ACCESS_READ);
	EXPECT_FALSE(x.ok);
	EXPECT_EQ(x.tval, GPA_DATA + 4096);
}

TEST(mprv, m_loads_and_stores_take_mpps_privilege_and_fetches_do_not)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	fx.hart.mode = SHIM_MODE_M;
	/* PA_DATA's page read-only for S/U, the next one closed, the rest open. */
	pmp_napot(0, PA_DATA, KIB4, HAL_PMP_R);
	pmp_napot(1, PA_DATA + KIB4, KIB4, 0);
	EXPECT_TRUE(store(PA_DATA).ok); /* M, MPRV clear: unlocked rules do not bind it */
	fx.hart.csr.mstatus |= (UINT64_C(1) << 17) | (UINT64_C(1) << 11); /* MPRV, MPP = S */
	EXPECT_TRUE(load(PA_DATA).ok);
	EXPECT_EQ(store(PA_DATA).cause, SHIM_CAUSE_STORE_ACCESS);
	EXPECT_EQ(load(PA_DATA + KIB4).cause, SHIM_CAUSE_LOAD_ACCESS);
	EXPECT_TRUE(fetch(PA_DATA + KIB4).ok);	  /* fetches stay M */
	fx.hart.csr.mstatus |= UINT64_C(3) << 11; /* MPP = M */
	EXPECT_TRUE(store(PA_DATA).ok);
	EXPECT_EQ(fx.hart.mode, SHIM_MODE_M);
}

TEST(alignment, unsupported_size_is_misaligned)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	fx.hart.mode = SHIM_MODE_M;
	struct shim_xlate x = shim_mmu_translate(&fx.mem, &fx.hart, PA_DATA, 3, SHIM_ACCESS_READ);

	EXPECT_EQ(x.cause, SHIM_CAUSE_LOAD_MISALIGNED);
}

TEST(alignment, fetch_needs_only_two_byte_alignment)
{
	fx_setup(SHIM_ATP_MODE_BARE);
	fx.hart.mode = SHIM_MODE_M;
	EXPECT_TRUE(fetch(PA_DATA + 2).ok);
	EXPECT_EQ(fetch(PA_DATA + 1).cause, SHIM_CAUSE_FETCH_MISALIGNED);
}

TEST(alignment, fetch_straddling_into_an_unmapped_page_faults_at_the_boundary)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate x = fetch(GPA_DATA + KIB4 - 2);

	EXPECT_EQ(x.cause, SHIM_CAUSE_FETCH_GUEST_PAGE);
	EXPECT_EQ(x.tval, GPA_DATA + KIB4);
	EXPECT_EQ(x.tval2, (GPA_DATA + KIB4) >> 2);
}

TEST(alignment, fetch_straddling_contiguous_pages_succeeds)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	g_map(GPA_DATA + KIB4, PA_DATA + KIB4, 0, G_RWXU);
	struct shim_xlate x = fetch(GPA_DATA + KIB4 - 2);

	ASSERT_TRUE(x.ok);
	EXPECT_EQ(x.pa, PA_DATA + KIB4 - 2);
}

/* ------------------------------------------------------ G-stage TLB use --- */

TEST(gstage_tlb, second_access_is_served_from_the_tlb)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	struct shim_xlate first = load(GPA_DATA);
	struct shim_xlate second = load(GPA_DATA + 8);

	ASSERT_TRUE(first.ok && second.ok);
	EXPECT_FALSE(first.from_tlb);
	EXPECT_TRUE(second.from_tlb);
	EXPECT_EQ(second.pa, PA_DATA + 8);
}

/*
 * Threat: a monitor reclaims a page from a TVM, clears its G-stage PTE and
 * forgets hfence.gvma. The guest must still reach the page, so the oracle
 * can see the missing fence.
 */
TEST(gstage_tlb, stale_translation_survives_until_hfence_gvma)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	ASSERT_TRUE(load(GPA_DATA).ok);
	pte_put(at, 0);
	struct shim_xlate stale = load(GPA_DATA);

	EXPECT_TRUE(stale.ok);
	EXPECT_EQ(stale.pa, PA_DATA);
	fence_all();
	EXPECT_EQ(load(GPA_DATA).cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}

TEST(gstage_tlb, fence_by_vmid_drops_the_stale_translation)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	g_map(GPA_DATA, PA_DATA + KIB4, 0, G_RWXU);
	EXPECT_EQ(load(GPA_DATA).pa, PA_DATA);
	shim_tlb_fence_gvma(&fx.hart.tlb, true, VMID, false, 0);
	EXPECT_EQ(load(GPA_DATA).pa, PA_DATA + KIB4);
}

TEST(gstage_tlb, fence_by_address_drops_the_stale_translation)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	g_map(GPA_DATA, PA_DATA + KIB4, 0, G_RWXU);
	EXPECT_EQ(load(GPA_DATA).pa, PA_DATA);
	shim_tlb_fence_gvma(&fx.hart.tlb, false, 0, true, GPA_DATA + 0x800);
	EXPECT_EQ(load(GPA_DATA).pa, PA_DATA + KIB4);
}

TEST(gstage_tlb, fence_of_another_vmid_keeps_the_stale_translation)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	g_map(GPA_DATA, PA_DATA + KIB4, 0, G_RWXU);
	shim_tlb_fence_gvma(&fx.hart.tlb, true, OTHER_VMID, false, 0);
	EXPECT_EQ(load(GPA_DATA).pa, PA_DATA);
}

TEST(gstage_tlb, another_vmid_does_not_hit_and_walks_the_tables)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	g_map(GPA_DATA, PA_DATA + KIB4, 0, G_RWXU);
	fx.hart.csr.hgatp = atp_of(SHIM_ATP_MODE_SV39, OTHER_VMID, fx.groot);
	struct shim_xlate x = load(GPA_DATA);

	EXPECT_FALSE(x.from_tlb);
	EXPECT_EQ(x.pa, PA_DATA + KIB4);
}

TEST(gstage_tlb, cached_superpage_covers_its_whole_range)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 1, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	struct shim_xlate x = load(GPA_DATA + MIB2 - 8);

	EXPECT_TRUE(x.from_tlb);
	EXPECT_EQ(x.pa, PA_DATA + MIB2 - 8);
}

TEST(gstage_tlb, stale_permissions_apply_until_fence)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, SHIM_PTE_R | SHIM_PTE_U);

	ASSERT_TRUE(load(GPA_DATA).ok);
	pte_put(at, leaf_pte(PA_DATA, G_RWXU | SHIM_PTE_A));
	EXPECT_EQ(fetch(GPA_DATA).cause, SHIM_CAUSE_FETCH_GUEST_PAGE);
	fence_all();
	EXPECT_TRUE(fetch(GPA_DATA).ok);
}

TEST(gstage_tlb, store_to_a_clean_cached_page_walks_again_and_sets_d)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	uint64_t at = g_map(GPA_DATA, PA_DATA, 0, G_RWXU);

	ASSERT_TRUE(load(GPA_DATA).ok);
	struct shim_xlate first = store(GPA_DATA);
	struct shim_xlate second = store(GPA_DATA);

	EXPECT_FALSE(first.from_tlb);
	EXPECT_TRUE(pte_get(at) & SHIM_PTE_D);
	EXPECT_TRUE(second.from_tlb);
}

TEST(gstage_tlb, pmp_is_checked_on_a_cached_translation)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	ASSERT_TRUE(load(GPA_DATA).ok);
	pmp_napot(0, PA_DATA, KIB4, 0);
	EXPECT_EQ(load(GPA_DATA).cause, SHIM_CAUSE_LOAD_ACCESS);
}

TEST(gstage_tlb, failed_walks_are_not_cached)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	ASSERT_EQ(load(GPA_DATA).cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	EXPECT_TRUE(load(GPA_DATA).ok);
}

TEST(gstage_tlb, bare_hgatp_caches_nothing)
{
	unsigned int valid = 0;

	fx_setup(SHIM_ATP_MODE_BARE);
	ASSERT_TRUE(load(PA_DATA).ok);
	for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
		valid += fx.hart.tlb.entry[i].valid;
	}
	EXPECT_EQ(valid, 0);
}

TEST(gstage_tlb, fifo_eviction_makes_the_oldest_page_walk_again)
{
	fx_setup(SHIM_ATP_MODE_SV39);
	for (uint64_t i = 0; i <= SHIM_TLB_ENTRIES; i++) {
		g_map(GPA_DATA + i * KIB4, PA_DATA + i * KIB4, 0, G_RWXU);
		ASSERT_TRUE(load(GPA_DATA + i * KIB4).ok);
	}
	EXPECT_FALSE(load(GPA_DATA).from_tlb);
}

TEST(gstage_tlb, vs_stage_pte_reads_use_cached_gstage_translations)
{
	/* A stale G-stage entry for a VS table page keeps serving the VS walk. */
	fx_setup(SHIM_ATP_MODE_SV39);
	vs_setup();
	g_map(GPA_DATA, PA_DATA, 0, G_RWXU);
	vs_map(GVA_DATA, GPA_DATA, 0, VS_RWX | SHIM_PTE_A | SHIM_PTE_D);
	ASSERT_TRUE(load(GVA_DATA).ok);
	/* Unmap the VS root's page from the G-stage without a fence. */
	uint64_t root_leaf = g_map(fx.vsroot, fx.vsroot, 0, G_RWXU);

	pte_put(root_leaf, 0);
	EXPECT_TRUE(load(GVA_DATA).ok);
	fence_all();
	EXPECT_EQ(load(GVA_DATA).cause, SHIM_CAUSE_LOAD_GUEST_PAGE);
}
