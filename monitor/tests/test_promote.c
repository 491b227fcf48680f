// SPDX-License-Identifier: BSD-2-Clause
/*
 * COVH promote_to_tvm (deployment model 3) on the emulated machine: the
 * host builds a VM (Sv39x4 tree, RAM pages, FDT, NACL with hgatp) and asks
 * the monitor to recreate it in confidential memory.
 *
 * Threat: the host controls every byte the monitor reads here (the tree,
 * the pages, the FDT, NACL). ACE accepted invalid PTEs, flattened
 * permissions to RWX, ignored superpage alignment, indexed the x4 root with
 * one bit too few, let leaves point at firmware memory and leaked pages on
 * error paths (cove-abi.md section 6, flaws 2, 5, 7, 8). Each test states
 * the ABI result and checks the effect: on success the TVM as introspection
 * and the guest see it; on error the state hash is unchanged, no page is
 * taken and confidential memory is all zero (DESIGN.md I6, I7).
 */
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"
#include "vm_image.h"

#define VM_PAGES     12u /* guest pages at VM_RAM_GPA; the FDT sits in page 8 */
#define EXTRA_GPA    (VM_RAM_GPA + VM_MEM_SIZE) /* first GPA past /memory, same L0 table */
#define REG_A4	     14u
#define REG_A5	     15u
#define MIB	     (UINT64_C(1) << 20)

#define PTE_V	     UINT64_C(0x1)
#define PTE_R	     UINT64_C(0x2)
#define PTE_W	     UINT64_C(0x4)
#define PTE_X	     UINT64_C(0x8)
#define PTE_U	     UINT64_C(0x10)
#define PTE_A	     UINT64_C(0x40)
#define PTE_D	     UINT64_C(0x80)
#define PTE_RWXU     (PTE_R | PTE_W | PTE_X | PTE_U)
#define HGATP_SV39X4 (UINT64_C(8) << 60)

/* ------------------------------------------------------------ helpers --- */

static uint64_t leaf_pte(uint64_t pa, uint64_t perm)
{
	return ((pa >> 12) << 10) | PTE_V | perm | PTE_A | PTE_D;
}

static uint64_t table_pte(uint64_t pa)
{
	return ((pa >> 12) << 10) | PTE_V;
}

static uint64_t pte_addr(uint64_t pte)
{
	return ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
}

/* The byte vm_build puts at offset @off of guest page @page. */
static uint8_t image_byte(unsigned int page, unsigned int off)
{
	return (uint8_t)(page * 31 + off * 7);
}

static uint64_t phys_read64(struct fixture *f, uint64_t pa)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_mem_read(&f->w->mem, pa, &v, sizeof(v)));
	return v;
}

static void phys_write64(struct fixture *f, uint64_t pa, uint64_t v)
{
	ASSERT_TRUE(shim_mem_write(&f->w->mem, pa, &v, sizeof(v)));
}

static void phys_fill(struct fixture *f, uint64_t pa, uint64_t len, uint8_t value)
{
	static uint8_t page[4096];

	memset(page, value, sizeof(page));
	for (uint64_t off = 0; off < len; off += sizeof(page)) {
		ASSERT_TRUE(shim_mem_write(&f->w->mem, pa + off, page, sizeof(page)));
	}
}

/* Fresh host pages after the image (never mapped by vm_build). */
static uint64_t host_take(struct vm_image *vm, unsigned int pages, uint64_t align)
{
	uint64_t pa = (vm->next_free + align - 1) & ~(align - 1);

	vm->next_free = pa + (uint64_t)pages * 4096;
	return pa;
}

/* Host PA of the level-1 and level-0 tables vm_build made for VM_RAM_GPA. */
static uint64_t host_l1(struct fixture *f, const struct vm_image *vm)
{
	return pte_addr(phys_read64(f, vm->root + 8 * ((VM_RAM_GPA >> 30) & 0x7ff)));
}

static uint64_t host_l0(struct fixture *f, const struct vm_image *vm)
{
	return pte_addr(phys_read64(f, host_l1(f, vm) + 8 * ((VM_RAM_GPA >> 21) & 0x1ff)));
}

/* The host on @hart calls promote_to_tvm with a0..a3. */
static struct shim_sbiret promote_on(struct fixture *f, unsigned int hart, uint64_t fdt_gpa,
				     uint64_t tap_gpa, uint64_t entry, uint64_t identity)
{
	uint64_t args[6] = { fdt_gpa, tap_gpa, entry, identity, 0, 0 };

	return shim_mon_ecall(f->w, f->mon, hart, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, args);
}

static struct shim_sbiret promote(struct fixture *f, const struct vm_image *vm)
{
	return promote_on(f, 0, vm->fdt_gpa, 0, vm->entry, 0);
}

static void set_hgatp(struct fixture *f, const struct vm_image *vm, uint64_t hgatp)
{
	nacl_write(f, vm->nacl, nacl_csr_offset(NACL_CSR_HGATP), hgatp);
}

/* Rewrites the DTB in guest page 8 (where vm_build put it). */
static void write_fdt(struct fixture *f, const struct vm_image *vm, unsigned int vcpus,
		      uint64_t mem_gpa, uint64_t mem_size)
{
	uint8_t fdt[4096];
	size_t len = vm_fdt(fdt, sizeof(fdt), vcpus, mem_gpa, mem_size);

	ASSERT_GT(len, 0);
	ASSERT_TRUE(shim_mem_write(&f->w->mem, vm->ram_pa + (VM_FDT_GPA - VM_RAM_GPA), fdt, len));
}

static bool is_promote_error(int64_t err)
{
	return err == SBI_ERR_INVALID_ADDRESS || err == COVE_ERR_AUTH ||
	       err == COVE_ERR_OUT_OF_MEMORY || err == SBI_ERR_FAILED;
}

/* A refused promote changed nothing: same state, no TVM, no page, all zero. */
static void expect_no_trace(struct fixture *f, const uint8_t before[SHA384_DIGEST_SIZE])
{
	uint8_t after[SHA384_DIGEST_SIZE];
	struct mon_tvm_view view;

	state_hash(f, after);
	EXPECT_MEM_EQ(after, before, SHA384_DIGEST_SIZE);
	EXPECT_EQ(mon_introspect_pages_in_use(f->mon), 0);
	EXPECT_FALSE(mon_introspect_tvm(f->mon, 1, &view));
	EXPECT_TRUE(confidential_all_zero(f));
}

/* Promotes @vm as the test left it; expects error @err and no trace of the attempt. */
static void expect_refused(struct fixture *f, const struct vm_image *vm, int64_t err)
{
	uint8_t before[SHA384_DIGEST_SIZE];

	state_hash(f, before);
	struct shim_sbiret r = promote(f, vm);
	EXPECT_EQ(r.error, err);
	expect_no_trace(f, before);
}

/* Promotes @vm and requires success; returns the id. */
static uint64_t promote_ok(struct fixture *f, const struct vm_image *vm)
{
	struct shim_sbiret r = promote(f, vm);

	ASSERT_EQ(r.error, SBI_SUCCESS);
	return r.value;
}

static void view_of(struct fixture *f, uint64_t id, struct mon_tvm_view *view)
{
	ASSERT_TRUE(mon_introspect_tvm(f->mon, id, view));
}

/* The host runs vCPU 0 of @id on hart 0. */
static void enter_vcpu0(struct fixture *f, uint64_t id)
{
	(void)host_call(f, 0, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0);
	ASSERT_EQ(f->w->hart[0].mode, SHIM_MODE_VS);
}

/* The guest on hart 0 loads the byte at @gpa into a5. */
static enum shim_guest_outcome guest_load8(struct fixture *f, uint64_t gpa, uint64_t *value)
{
	enum shim_guest_outcome o =
		shim_mon_guest_access(f->w, f->mon, 0, false, gpa, 1, REG_A5, true);

	*value = o == SHIM_GUEST_DONE ? f->w->hart[0].x[REG_A5] : UINT64_MAX;
	return o;
}

/* Confidential pages in @state owned by TVM @id. */
static uint64_t pages_owned(struct fixture *f, uint64_t id, unsigned int state)
{
	uint64_t n = 0;
	struct mon_page_view pv;

	for (uint64_t off = 0; off < f->conf.size; off += 4096) {
		ASSERT_TRUE(mon_introspect_page(f->mon, f->conf.base + off, &pv));
		n += pv.state == state && pv.owner == id;
	}
	return n;
}

static void measures_of(struct fixture *f, uint64_t id, uint8_t out[6][48])
{
	struct mon_tvm_view view;

	view_of(f, id, &view);
	memcpy(out, view.measure, sizeof(view.measure));
}

/* MR0..MR5 of a fresh fixture's promote of the standard VM after @tweak. */
static void measure_fresh(void (*tweak)(struct fixture *, struct vm_image *), uint8_t out[6][48])
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	if (tweak) {
		tweak(&f, &vm);
	}
	measures_of(&f, promote_ok(&f, &vm), out);
	fixture_fini(&f);
}

/* ------------------------------------------------------------ success --- */

TEST(promote_to_tvm, first_promote_returns_id_1_runnable)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	struct shim_sbiret r = promote(&f, &vm);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 1);
	view_of(&f, 1, &view);
	EXPECT_EQ(view.id, 1);
	EXPECT_EQ(view.state, COVE_TVM_RUNNABLE);
	EXPECT_EQ(view.hgatp_mode, 8); /* Sv39x4, as the host's */
	fixture_fini(&f);
}

TEST(promote_to_tvm, vcpu_count_comes_from_fdt_cpus)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 3, VM_PAGES, &vm);
	view_of(&f, promote_ok(&f, &vm), &view);
	EXPECT_EQ(view.vcpu_count, 3);
	fixture_fini(&f);
}

TEST(promote_to_tvm, vcpu0_is_runnable_and_the_others_stopped)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_vcpu_view v;

	fixture_init(&f, 1);
	vm_build(&f, 3, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	ASSERT_TRUE(mon_introspect_vcpu(f.mon, id, 0, &v));
	EXPECT_EQ(v.state, MON_VCPU_RUNNABLE);
	for (unsigned int i = 1; i < 3; i++) {
		ASSERT_TRUE(mon_introspect_vcpu(f.mon, id, i, &v));
		EXPECT_EQ(v.state, MON_VCPU_STOPPED);
	}
	EXPECT_FALSE(mon_introspect_vcpu(f.mon, id, 3, &v)); /* not in the FDT */
	fixture_fini(&f);
}

TEST(promote_to_tvm, memory_range_comes_from_fdt_memory_node)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	view_of(&f, promote_ok(&f, &vm), &view);
	EXPECT_EQ(view.mem_gpa, VM_RAM_GPA);
	EXPECT_EQ(view.mem_size, VM_MEM_SIZE);
	fixture_fini(&f);
}

TEST(promote_to_tvm, boot_vcpu_starts_at_entry_with_nacl_registers)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	enter_vcpu0(&f, promote_ok(&f, &vm));
	EXPECT_EQ(f.w->hart[0].pc, vm.entry);
	EXPECT_EQ(f.w->hart[0].x[11], vm.fdt_gpa); /* a1 as the host left it in NACL */
	fixture_fini(&f);
}

TEST(promote_to_tvm, guest_reads_the_bytes_of_the_host_image)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	enter_vcpu0(&f, promote_ok(&f, &vm));
	for (unsigned int page = 0; page < VM_PAGES; page += 5) {
		ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + page * 4096ull + 77, &v), SHIM_GUEST_DONE);
		EXPECT_EQ(v, image_byte(page, 77));
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, data_pages_are_confidential_copies_owned_by_the_tvm)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	view_of(&f, id, &view);
	EXPECT_EQ(pages_owned(&f, id, MON_PAGE_TVM_DATA), VM_PAGES);
	EXPECT_EQ(pages_owned(&f, id, MON_PAGE_TVM_META), 0);	   /* the FDT scratch is gone */
	EXPECT_EQ(mon_introspect_pages_in_use(f.mon), view.pages); /* I10 */
	fixture_fini(&f);
}

/*
 * I3 on the hardware view: walk the monitor's tables from the TVM's root as
 * the MMU would; every table page is a PT page of the TVM, every leaf one of
 * its data pages, and nothing else is a PT page of it.
 */
TEST(promote_to_tvm, tvm_tables_live_in_confidential_memory_it_owns)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;
	struct mon_page_view pv;
	uint64_t tables = 4; /* the 16 KiB root */
	uint64_t leaves = 0;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	view_of(&f, id, &view);
	ASSERT_EQ(view.root & 0x3fff, 0);
	for (unsigned int k = 0; k < 4; k++) {
		ASSERT_TRUE(mon_introspect_page(f.mon, view.root + k * 4096ull, &pv));
		EXPECT_EQ(pv.state, MON_PAGE_TVM_PT);
		EXPECT_EQ(pv.owner, id);
	}
	for (uint64_t i = 0; i < 2048; i++) {
		uint64_t e2 = phys_read64(&f, view.root + 8 * i);
		if (!(e2 & PTE_V)) {
			continue;
		}
		uint64_t l1 = pte_addr(e2);
		ASSERT_EQ(e2 & (PTE_R | PTE_W | PTE_X), 0);
		ASSERT_TRUE(mon_introspect_page(f.mon, l1, &pv));
		EXPECT_EQ(pv.state, MON_PAGE_TVM_PT);
		EXPECT_EQ(pv.owner, id);
		tables++;
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t e1 = phys_read64(&f, l1 + 8 * j);
			if (!(e1 & PTE_V)) {
				continue;
			}
			uint64_t l0 = pte_addr(e1);
			ASSERT_EQ(e1 & (PTE_R | PTE_W | PTE_X), 0);
			ASSERT_TRUE(mon_introspect_page(f.mon, l0, &pv));
			EXPECT_EQ(pv.state, MON_PAGE_TVM_PT);
			EXPECT_EQ(pv.owner, id);
			tables++;
			for (uint64_t k = 0; k < 512; k++) {
				uint64_t e0 = phys_read64(&f, l0 + 8 * k);
				if (!(e0 & PTE_V)) {
					continue;
				}
				ASSERT_TRUE(mon_introspect_page(f.mon, pte_addr(e0), &pv));
				EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
				EXPECT_EQ(pv.owner, id);
				leaves++;
			}
		}
	}
	EXPECT_EQ(leaves, VM_PAGES);
	EXPECT_EQ(pages_owned(&f, id, MON_PAGE_TVM_PT), tables);
	fixture_fini(&f);
}

/* TOCTOU: the TVM's memory is a copy; later host writes to its pages do not reach it. */
TEST(promote_to_tvm, host_writes_to_its_pages_after_promote_do_not_reach_the_tvm)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	phys_fill(&f, vm.ram_pa + 3 * 4096ull, 4096, 0xee);
	enter_vcpu0(&f, id);
	ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + 3 * 4096 + 5, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, image_byte(3, 5));
	fixture_fini(&f);
}

/* TOCTOU: each PTE was read once; rewriting the host tree later changes nothing. */
TEST(promote_to_tvm, host_table_rewrites_after_promote_do_not_reach_the_tvm)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	uint64_t other = host_take(&vm, 1, 4096);
	phys_fill(&f, other, 4096, 0xee);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 3 * 4096, 0, leaf_pte(other, PTE_RWXU));
	vm_set_pte(&f, &vm, VM_RAM_GPA + 4 * 4096, 0, 0); /* and unmaps page 4 */
	enter_vcpu0(&f, id);
	ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + 3 * 4096 + 5, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, image_byte(3, 5));
	ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + 4 * 4096 + 6, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, image_byte(4, 6));
	fixture_fini(&f);
}

TEST(promote_to_tvm, vcpu_runs_on_the_monitor_root_not_the_host_root)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t id = promote_ok(&f, &vm);
	view_of(&f, id, &view);
	EXPECT_NE(view.root, vm.root);
	EXPECT_GE(view.root, f.conf.base);
	EXPECT_LE(view.root + 16384, f.conf.base + f.conf.size);
	enter_vcpu0(&f, id);
	EXPECT_EQ(f.w->hart[0].csr.hgatp, view.hgatp);
	fixture_fini(&f);
}

/* ------------------------------------------------------- measurements --- */

TEST(promote_to_tvm, same_image_gives_same_mr0_and_mr1)
{
	uint8_t a[6][48];
	uint8_t b[6][48];

	measure_fresh(NULL, a);
	measure_fresh(NULL, b);
	EXPECT_MEM_EQ(a[COVE_MEASURE_IMAGE], b[COVE_MEASURE_IMAGE], 48);
	EXPECT_MEM_EQ(a[COVE_MEASURE_CONFIG], b[COVE_MEASURE_CONFIG], 48);
	EXPECT_FALSE(memcmp(a[COVE_MEASURE_IMAGE], (uint8_t[48]){ 0 }, 48) == 0);
}

static void flip_one_byte(struct fixture *f, struct vm_image *vm)
{
	uint8_t b = (uint8_t)(image_byte(5, 100) ^ 1);

	ASSERT_TRUE(shim_mem_write(&f->w->mem, vm->ram_pa + 5 * 4096 + 100, &b, 1));
}

TEST(promote_to_tvm, one_changed_byte_changes_mr0)
{
	uint8_t a[6][48];
	uint8_t b[6][48];

	measure_fresh(NULL, a);
	measure_fresh(flip_one_byte, b);
	EXPECT_TRUE(memcmp(a[COVE_MEASURE_IMAGE], b[COVE_MEASURE_IMAGE], 48) != 0);
}

static void page2_read_execute(struct fixture *f, struct vm_image *vm)
{
	vm_set_pte(f, vm, VM_RAM_GPA + 2 * 4096, 0,
		   leaf_pte(vm->ram_pa + 2 * 4096, PTE_R | PTE_X | PTE_U));
}

TEST(promote_to_tvm, page_permissions_are_part_of_mr0)
{
	uint8_t a[6][48];
	uint8_t b[6][48];

	measure_fresh(NULL, a);
	measure_fresh(page2_read_execute, b);
	EXPECT_TRUE(memcmp(a[COVE_MEASURE_IMAGE], b[COVE_MEASURE_IMAGE], 48) != 0);
}

static void move_entry(struct fixture *f, struct vm_image *vm)
{
	(void)f;
	vm->entry += 4;
}

TEST(promote_to_tvm, entry_point_changes_mr1_not_mr0)
{
	uint8_t a[6][48];
	uint8_t b[6][48];

	measure_fresh(NULL, a);
	measure_fresh(move_entry, b);
	EXPECT_MEM_EQ(a[COVE_MEASURE_IMAGE], b[COVE_MEASURE_IMAGE], 48);
	EXPECT_TRUE(memcmp(a[COVE_MEASURE_CONFIG], b[COVE_MEASURE_CONFIG], 48) != 0);
}

TEST(promote_to_tvm, identity_is_measured_into_mr1)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t a[6][48];
	uint8_t b[6][48];

	measure_fresh(NULL, a);
	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t identity = host_take(&vm, 1, 4096);
	phys_fill(&f, identity, 4096, 0x42);
	struct shim_sbiret r = promote_on(&f, 0, vm.fdt_gpa, 0, vm.entry, identity);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	measures_of(&f, r.value, b);
	fixture_fini(&f);
	EXPECT_MEM_EQ(a[COVE_MEASURE_IMAGE], b[COVE_MEASURE_IMAGE], 48);
	EXPECT_TRUE(memcmp(a[COVE_MEASURE_CONFIG], b[COVE_MEASURE_CONFIG], 48) != 0);
}

TEST(promote_to_tvm, runtime_measurements_start_zero)
{
	uint8_t m[6][48];
	uint8_t zero[48] = { 0 };

	measure_fresh(NULL, m);
	for (unsigned int i = COVE_MEASURE_RUNTIME_FIRST; i < COVE_MEASURE_COUNT; i++) {
		EXPECT_MEM_EQ(m[i], zero, 48);
	}
}

/* ------------------------------------------------ errors: arguments --- */

TEST(promote_to_tvm, rejects_fdt_gpa_not_8_aligned)
{
	struct fixture f;
	struct vm_image vm;

	uint8_t fdt[4096];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	/* A valid DTB at a 4-aligned GPA: only the alignment rule refuses it. */
	size_t len = vm_fdt(fdt, sizeof(fdt), 1, VM_RAM_GPA, VM_MEM_SIZE);
	ASSERT_GT(len, 0);
	vm.fdt_gpa += 4;
	ASSERT_TRUE(shim_mem_write(&f.w->mem, vm.ram_pa + (vm.fdt_gpa - VM_RAM_GPA), fdt, len));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_unmapped_fdt_gpa)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm.fdt_gpa = VM_RAM_GPA + VM_PAGES * 4096ull; /* inside /memory, not mapped */
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* TAPs in full: test_attestation.c. */
TEST(promote_to_tvm, rejects_a_tap_address_that_holds_no_tap_and_creates_no_tvm)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	state_hash(&f, before);
	struct shim_sbiret r = promote_on(&f, 0, vm.fdt_gpa, VM_RAM_GPA, vm.entry, 0);
	EXPECT_EQ(r.error, COVE_ERR_AUTH);
	expect_no_trace(&f, before);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_misaligned_identity)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t identity = host_take(&vm, 1, 4096) + 8;
	state_hash(&f, before);
	struct shim_sbiret r = promote_on(&f, 0, vm.fdt_gpa, 0, vm.entry, identity);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	expect_no_trace(&f, before);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_identity_outside_host_memory)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	const uint64_t where[] = { f.conf.base, mon_introspect_data(f.mon).base,
				   f.plat.dram[0].base + f.plat.dram[0].size };
	for (unsigned int i = 0; i < 3; i++) {
		state_hash(&f, before);
		struct shim_sbiret r = promote_on(&f, 0, vm.fdt_gpa, 0, vm.entry, where[i]);
		EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
		expect_no_trace(&f, before);
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_hart_without_nacl_area)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];

	fixture_init(&f, 2);
	vm_build(&f, 1, VM_PAGES, &vm); /* NACL on hart 0 only */
	state_hash(&f, before);
	struct shim_sbiret r = promote_on(&f, 1, vm.fdt_gpa, 0, vm.entry, 0);
	EXPECT_EQ(r.error, SBI_ERR_FAILED);
	expect_no_trace(&f, before);
	fixture_fini(&f);
}

/* ----------------------------------------------------- errors: hgatp --- */

TEST(promote_to_tvm, rejects_bare_hgatp)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	set_hgatp(&f, &vm, vm.root >> 12); /* MODE 0 */
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_reserved_hgatp_modes)
{
	struct fixture f;
	struct vm_image vm;
	static const uint64_t modes[] = { 1, 7, 11, 15 };

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	for (unsigned int i = 0; i < 4; i++) {
		set_hgatp(&f, &vm, (modes[i] << 60) | (vm.root >> 12));
		expect_refused(&f, &vm, SBI_ERR_FAILED);
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_root_not_16k_aligned)
{
	struct fixture f;
	struct vm_image vm;

	uint8_t root[16384];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	/* A copy of the valid root at an address that is 4 KiB but not 16 KiB aligned. */
	uint64_t moved = host_take(&vm, 5, 16384) + 4096;
	ASSERT_TRUE(shim_mem_read(&f.w->mem, vm.root, root, sizeof(root)));
	ASSERT_TRUE(shim_mem_write(&f.w->mem, moved, root, sizeof(root)));
	set_hgatp(&f, &vm, HGATP_SV39X4 | (moved >> 12));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_root_in_confidential_memory)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	set_hgatp(&f, &vm, HGATP_SV39X4 | (f.conf.base >> 12));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* ACE flaw 2: the firmware image is not host memory. */
TEST(promote_to_tvm, rejects_root_in_monitor_image_or_data)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	set_hgatp(&f, &vm, HGATP_SV39X4 | (mon_introspect_image(f.mon).base >> 12));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	set_hgatp(&f, &vm, HGATP_SV39X4 | (mon_introspect_data(f.mon).base >> 12));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_root_beyond_dram)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	set_hgatp(&f, &vm, HGATP_SV39X4 | ((f.plat.dram[0].base + f.plat.dram[0].size) >> 12));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* ------------------------------------ errors: where the tree points (flaw 2) --- */

TEST(promote_to_tvm, rejects_leaf_into_monitor_image)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0, leaf_pte(mon_introspect_image(f.mon).base, PTE_RWXU));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_leaf_into_monitor_data)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_region data;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	data = mon_introspect_data(f.mon);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0, leaf_pte(data.base + data.size - 4096, PTE_RWXU));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_leaf_into_confidential_memory)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0, leaf_pte(f.conf.base, PTE_R | PTE_U));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_leaf_beyond_dram)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0,
		   leaf_pte(f.plat.dram[0].base + f.plat.dram[0].size, PTE_RWXU));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* A superpage that starts in the monitor and ends in host memory is not host memory. */
TEST(promote_to_tvm, rejects_superpage_covering_the_monitor)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, leaf_pte(f.plat.dram[0].base, PTE_RWXU));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_table_in_confidential_memory)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, table_pte(f.conf.base));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_table_in_monitor_image)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, table_pte(mon_introspect_image(f.mon).base));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* ----------------------------------------- errors: PTE encodings (flaw 8) --- */

TEST(promote_to_tvm, rejects_leaf_writable_without_read)
{
	struct fixture f;
	struct vm_image vm;
	static const uint64_t perms[] = { PTE_W | PTE_U, PTE_W | PTE_X | PTE_U };

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	for (unsigned int i = 0; i < 2; i++) {
		vm_set_pte(&f, &vm, VM_RAM_GPA + 4096, 0, leaf_pte(vm.ram_pa + 4096, perms[i]));
		expect_refused(&f, &vm, SBI_ERR_FAILED);
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_pte_with_reserved_bits_63_to_54)
{
	struct fixture f;
	struct vm_image vm;
	static const unsigned int bits[] = { 54, 58, 61, 62, 63 };

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	for (unsigned int i = 0; i < 5; i++) {
		vm_set_pte(&f, &vm, VM_RAM_GPA + 4096, 0,
			   leaf_pte(vm.ram_pa + 4096, PTE_RWXU) | (UINT64_C(1) << bits[i]));
		expect_refused(&f, &vm, SBI_ERR_FAILED);
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_table_pointer_with_reserved_bits)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA, 2, table_pte(host_l1(&f, &vm)) | (UINT64_C(1) << 63));
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

/* Non-leaf PTEs must have A, D and U clear (privileged spec, "Sv32"). */
TEST(promote_to_tvm, rejects_table_pointer_with_a_d_or_u)
{
	struct fixture f;
	struct vm_image vm;
	static const uint64_t bits[] = { PTE_A, PTE_D, PTE_U };

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t l1 = host_l1(&f, &vm);
	for (unsigned int i = 0; i < 3; i++) {
		vm_set_pte(&f, &vm, VM_RAM_GPA, 2, table_pte(l1) | bits[i]);
		expect_refused(&f, &vm, SBI_ERR_FAILED);
	}
	vm_set_pte(&f, &vm, VM_RAM_GPA, 2, table_pte(l1));
	EXPECT_EQ(promote(&f, &vm).error, SBI_SUCCESS); /* the bits were the only problem */
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_table_pointer_at_level_0)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0, table_pte(host_take(&vm, 1, 4096)));
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

/* G-stage accesses are user-level: a leaf without U could never be used. */
TEST(promote_to_tvm, rejects_leaf_without_u)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 4096, 0,
		   leaf_pte(vm.ram_pa + 4096, PTE_R | PTE_W | PTE_X));
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

/* Flaw 8: V=0 means "not mapped", whatever R/W/X say. */
TEST(promote_to_tvm, invalid_pte_with_rwx_is_not_mapped)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t page = host_take(&vm, 1, 4096);
	phys_fill(&f, page, 4096, 0x77);
	vm_set_pte(&f, &vm, EXTRA_GPA, 0, leaf_pte(page, PTE_RWXU) & ~PTE_V);
	uint64_t id = promote_ok(&f, &vm);
	EXPECT_EQ(pages_owned(&f, id, MON_PAGE_TVM_DATA), VM_PAGES);
	enter_vcpu0(&f, id);
	EXPECT_EQ(guest_load8(&f, EXTRA_GPA + 1, &v), SHIM_GUEST_EXITED);
	EXPECT_EQ(f.w->hart[0].csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	fixture_fini(&f);
}

/* Flaw 8: permissions are kept, not flattened to RWX. */
TEST(promote_to_tvm, read_execute_page_stays_read_only_for_the_guest)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;
	uint64_t gpa = VM_RAM_GPA + 2 * 4096 + 9;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	page2_read_execute(&f, &vm);
	uint64_t id = promote_ok(&f, &vm);
	enter_vcpu0(&f, id);
	shim_hart_set_x(&f.w->hart[0], REG_A4, 0x5a);
	EXPECT_NE(shim_mon_guest_access(f.w, f.mon, 0, true, gpa, 1, REG_A4, true),
		  SHIM_GUEST_DONE);
	if (f.w->hart[0].mode != SHIM_MODE_VS) {
		enter_vcpu0(&f, id);
	}
	ASSERT_EQ(guest_load8(&f, gpa, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, image_byte(2, 9));
	fixture_fini(&f);
}

/* ------------------------------------------------- superpages (flaw 8) --- */

TEST(promote_to_tvm, rejects_misaligned_2m_superpage)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t pa = host_take(&vm, 1024, 2 * MIB);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, leaf_pte(pa + 4096, PTE_RWXU));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, aligned_2m_superpage_is_copied_as_512_pages)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t pa = host_take(&vm, 512, 2 * MIB);
	for (unsigned int j = 0; j < 512; j++) {
		phys_fill(&f, pa + j * 4096ull, 4096, (uint8_t)(0x40 + j));
	}
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, leaf_pte(pa, PTE_RWXU));
	uint64_t id = promote_ok(&f, &vm);
	EXPECT_EQ(pages_owned(&f, id, MON_PAGE_TVM_DATA), VM_PAGES + 512);
	enter_vcpu0(&f, id);
	ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + 2 * MIB + 3, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, 0x40);
	ASSERT_EQ(guest_load8(&f, VM_RAM_GPA + 2 * MIB + 511 * 4096 + 3, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, (uint8_t)(0x40 + 511));
	fixture_fini(&f);
}

/* ------------------------------------------- tree shape: cycles, aliasing --- */

TEST(promote_to_tvm, rejects_table_linking_to_itself)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t l1 = host_l1(&f, &vm);
	phys_write64(&f, l1 + 8 * 5, table_pte(l1));
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_table_linking_to_an_ancestor)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	phys_write64(&f, host_l1(&f, &vm) + 8 * 5, table_pte(vm.root + 4096)); /* into the root */
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_two_links_to_one_table)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t l0 = host_l0(&f, &vm);
	vm_set_pte(&f, &vm, VM_RAM_GPA + 2 * MIB, 1, table_pte(l0));
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

/* The walk is bounded: a tree of more tables than the monitor tracks is refused. */
TEST(promote_to_tvm, rejects_more_than_512_host_tables)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	/* root, L1, L0 of the image plus 513 empty level-1 tables */
	for (uint64_t i = 3; i < 3 + 513; i++) {
		vm_set_pte(&f, &vm, i << 30, 2, table_pte(host_take(&vm, 1, 4096)));
	}
	expect_refused(&f, &vm, SBI_ERR_FAILED);
	fixture_fini(&f);
}

/* ------------------------------------- the x4 root has 2048 entries (flaw 7) --- */

TEST(promote_to_tvm, gpa_with_root_index_above_511_is_mapped_where_the_host_put_it)
{
	struct fixture f;
	struct vm_image vm;
	uint64_t v;
	const uint64_t gpa = UINT64_C(1) << 40; /* Sv39x4 root index 1024 */

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	uint64_t page = host_take(&vm, 1, 4096);
	phys_fill(&f, page, 4096, 0xa5);
	vm_set_pte(&f, &vm, gpa, 0, leaf_pte(page, PTE_R | PTE_W | PTE_U));
	uint64_t id = promote_ok(&f, &vm);
	enter_vcpu0(&f, id);
	ASSERT_EQ(guest_load8(&f, gpa + 0x123, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v, 0xa5);
	/* A 9-bit root index would have put it at GPA 0 instead. */
	EXPECT_EQ(guest_load8(&f, 0x123, &v), SHIM_GUEST_EXITED);
	fixture_fini(&f);
}

/* ------------------------------------------------------ errors: FDT --- */

TEST(promote_to_tvm, rejects_fdt_with_wrong_magic)
{
	struct fixture f;
	struct vm_image vm;
	uint32_t zero = 0;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	ASSERT_TRUE(shim_mem_write(&f.w->mem, vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA), &zero, 4));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_fdt_with_huge_or_tiny_totalsize)
{
	struct fixture f;
	struct vm_image vm;
	static const uint32_t sizes[] = { 0xffffffffu, 0x10000000u, 64u * 1024u + 1u, 8u };
	uint8_t be[4];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	for (unsigned int i = 0; i < 4; i++) {
		mon_store_be32(be, sizes[i]);
		ASSERT_TRUE(shim_mem_write(&f.w->mem, vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA) + 4, be,
					   4));
		expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	}
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_fdt_running_past_mapped_memory)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t fdt[4096];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	size_t len = vm_fdt(fdt, sizeof(fdt), 1, VM_RAM_GPA, VM_MEM_SIZE);
	ASSERT_GT(len, 16);
	/* The last 16 bytes of the last mapped page hold the start of a valid DTB. */
	uint64_t off = VM_PAGES * 4096ull - 16;
	ASSERT_TRUE(shim_mem_write(&f.w->mem, vm.ram_pa + off, fdt, 16));
	vm.fdt_gpa = VM_RAM_GPA + off;
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_fdt_without_cpus)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 0, VM_PAGES, &vm);
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_fdt_with_more_cpus_than_max_vcpus)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 9, VM_PAGES, &vm);
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, accepts_fdt_with_exactly_max_vcpus)
{
	struct fixture f;
	struct vm_image vm;
	struct mon_tvm_view view;

	fixture_init(&f, 1);
	vm_build(&f, 8, VM_PAGES, &vm);
	view_of(&f, promote_ok(&f, &vm), &view);
	EXPECT_EQ(view.vcpu_count, 8);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_fdt_without_memory_node)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t fdt[4096];
	bool patched = false;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	size_t len = vm_fdt(fdt, sizeof(fdt), 1, VM_RAM_GPA, VM_MEM_SIZE);
	/* device_type = "memory" becomes "memorx": no node is memory any more */
	for (size_t i = 0; i + 7 <= len; i++) {
		if (memcmp(fdt + i, "memory", 7) == 0) {
			fdt[i + 5] = 'x';
			patched = true;
		}
	}
	ASSERT_TRUE(patched);
	ASSERT_TRUE(shim_mem_write(&f.w->mem, vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA), fdt, len));
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_memory_node_beyond_the_gpa_space)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	write_fdt(&f, &vm, 1, UINT64_C(1) << 41, VM_MEM_SIZE); /* Sv39x4 ends at 2^41 */
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

TEST(promote_to_tvm, rejects_empty_memory_node)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	write_fdt(&f, &vm, 1, VM_RAM_GPA, 0);
	expect_refused(&f, &vm, SBI_ERR_INVALID_ADDRESS);
	fixture_fini(&f);
}

/* --------------------------------------------- error paths (flaw 5) --- */

/*
 * Fails the n-th page allocation for every n until a promote succeeds
 * (there are no more allocations to fail): each failure is clean.
 */
TEST(promote_to_tvm, every_failed_allocation_leaves_no_trace)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];
	struct shim_fault_plan none = { { 0 } };
	unsigned int n;

	fixture_init(&f, 1);
	vm_build(&f, 1, 9, &vm);
	for (n = 0; n < 64; n++) {
		struct shim_fault_plan plan = { { 0 } };

		plan.fail[SHIM_FAULT_ALLOC] = UINT64_C(1) << n;
		state_hash(&f, before);
		shim_world_set_faults(f.w, &plan);
		struct shim_sbiret r = promote(&f, &vm);
		unsigned int seen = f.w->fault_count[SHIM_FAULT_ALLOC];
		shim_world_set_faults(f.w, &none);
		if (r.error == SBI_SUCCESS) {
			EXPECT_LE(seen, n); /* allocation n never happened */
			break;
		}
		EXPECT_EQ(r.error, COVE_ERR_OUT_OF_MEMORY);
		expect_no_trace(&f, before);
	}
	/* root, two tables, nine pages, FDT scratch: at least 13 allocations were tried */
	EXPECT_GE(n, 13);
	EXPECT_LT(n, 64);
	fixture_fini(&f);
}

/* Every host read among the first 64 (hgatp, PTEs, page copies) failing is clean. */
TEST(promote_to_tvm, every_failed_host_read_leaves_no_trace)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];
	struct shim_fault_plan none = { { 0 } };

	fixture_init(&f, 1);
	vm_build(&f, 1, 9, &vm);
	unsigned int n;
	for (n = 0; n < 64; n++) {
		struct shim_fault_plan plan = { { 0 } };

		plan.fail[SHIM_FAULT_UNTRUSTED_READ] = UINT64_C(1) << n;
		state_hash(&f, before);
		shim_world_set_faults(f.w, &plan);
		struct shim_sbiret r = promote(&f, &vm);
		shim_world_set_faults(f.w, &none);
		if (r.error == SBI_SUCCESS) {
			break; /* read n is past the promote's last: every read failed once */
		}
		EXPECT_TRUE(is_promote_error(r.error));
		expect_no_trace(&f, before);
	}
	/* Tables in chunks, the pages, the FDT: dozens of reads, each one failed alone. */
	EXPECT_TRUE(n >= 16 && n < 64);
	fixture_fini(&f);
}

/* ------------------------------------------------------- exhaustion --- */

TEST(promote_to_tvm, ninth_tvm_is_out_of_memory)
{
	struct fixture f;
	struct vm_image vm;
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	fixture_init(&f, 1);
	vm_build(&f, 1, VM_PAGES, &vm);
	for (uint64_t id = 1; id <= 8; id++) {
		EXPECT_EQ(promote_ok(&f, &vm), id);
	}
	uint64_t in_use = mon_introspect_pages_in_use(f.mon);
	state_hash(&f, before);
	EXPECT_EQ(promote(&f, &vm).error, COVE_ERR_OUT_OF_MEMORY);
	state_hash(&f, after);
	EXPECT_MEM_EQ(after, before, SHA384_DIGEST_SIZE);
	EXPECT_EQ(mon_introspect_pages_in_use(f.mon), in_use);
	fixture_fini(&f);
}

TEST(promote_to_tvm, vm_larger_than_confidential_memory_is_out_of_memory)
{
	struct fixture f;
	struct vm_image vm;

	fixture_init(&f, 1);
	unsigned int pages = (unsigned int)(f.conf.size / 4096) + 64;
	vm_build(&f, 1, pages, &vm);
	expect_refused(&f, &vm, COVE_ERR_OUT_OF_MEMORY);
	fixture_fini(&f);
}
