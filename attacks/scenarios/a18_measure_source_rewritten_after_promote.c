// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: right after promote returns, the host on a second hart rewrites a
 *         source page (and the FDT page) it handed over, hoping the TVM runs
 *         or is attested with the new bytes (the monitor measured or maps
 *         host memory rather than its own copy).
 * Class: 6
 * Attacker: second hart
 * Expected defence: promote copies each page once into confidential memory
 *         and measures that copy; later host stores change neither the TVM's
 *         memory nor MR0, and MR0 is exactly the hash of the copies.
 * Reference: attack-classes.md class 6 ("measure the copy"); cove-abi.md
 *         section 6 (copies every mapped page); DESIGN.md section 3 (measure).
 */
#include "attack.h"
#include "covemon/abi/measure.h"
#include "covemon/lib.h"

#define PAGES	  16u
#define VICTIM	  5u /* guest page the host rewrites */
#define OFF	  0x100u
#define PERM_RWX  UINT64_C(0xE)
#define HOST_JUNK UINT64_C(0xbadc0ffee0ddf00d)

/* The 8 bytes vm_build put at @off of guest page @page. */
static uint64_t image_u64(unsigned int page, unsigned int off)
{
	uint64_t v = 0;

	for (unsigned int b = 0; b < 8; b++) {
		v |= (uint64_t)(uint8_t)(page * 31 + (off + b) * 7) << (8 * b);
	}
	return v;
}

/* MR0 recomputed from the TVM's confidential copies, in ascending GPA order. */
static void mr0_of_copies(struct attack_env *e, uint8_t out[48])
{
	static uint8_t page[4096];
	struct mon_tvm_view v;
	struct sha384_ctx c;
	uint8_t le[16];

	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, e->tvm, &v));
	sha384_init(&c);
	for (unsigned int i = 0; i < PAGES; i++) {
		uint64_t gpa = VM_RAM_GPA + i * 4096ull;
		uint64_t pa = 0;
		uint64_t pte;
		unsigned int shift;

		ASSERT_TRUE(shim_mmu_gstage_lookup(&e->f.w->mem, v.hgatp, gpa, &pa, &pte, &shift));
		ASSERT_TRUE(pa >= e->f.conf.base && pa - e->f.conf.base < e->f.conf.size);
		ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, page, sizeof(page)));
		mon_store_le64(le, gpa);
		mon_store_le64(le + 8, PERM_RWX);
		sha384_update(&c, le, sizeof(le));
		sha384_update(&c, page, sizeof(page));
	}
	sha384_final(&c, out);
}

TEST(attack, a18_measure_source_rewritten_after_promote)
{
	struct attack_env e;
	struct mon_tvm_view before;
	struct mon_tvm_view after;
	uint8_t copies[48];
	uint64_t v = 0;
	uint64_t victim = 0;

	attack_env_init(&e, 2);
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &before));
	mr0_of_copies(&e, copies);
	EXPECT_MEM_EQ(before.measure[COVE_MEASURE_IMAGE], copies, 48);

	/* Hart 1 (the host, HS) overwrites the source page and the FDT page. */
	uint64_t src = e.vm.ram_pa + VICTIM * 4096ull;
	for (unsigned int off = 0; off < 4096; off += 8) {
		ASSERT_TRUE(host_store(&e, 1, src + off, HOST_JUNK ^ off));
	}
	ASSERT_TRUE(host_store(&e, 1, e.vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA), 0));
	ASSERT_TRUE(host_load(&e, 1, src + OFF, &v));
	EXPECT_EQ(v, HOST_JUNK ^ OFF); /* the store reached host memory */

	/* (1) The attestation is unchanged and still the hash of the copies. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &after));
	EXPECT_MEM_EQ(after.measure[COVE_MEASURE_IMAGE], before.measure[COVE_MEASURE_IMAGE], 48);
	EXPECT_MEM_EQ(after.measure[COVE_MEASURE_CONFIG], before.measure[COVE_MEASURE_CONFIG], 48);
	mr0_of_copies(&e, copies);
	EXPECT_MEM_EQ(after.measure[COVE_MEASURE_IMAGE], copies, 48);
	EXPECT_EQ(after.vcpu_count, 2); /* parsed from the copied FDT */

	/* (2) The guest on hart 0 reads the bytes that were measured. */
	ASSERT_TRUE(host_run(&e, 0, 0));
	ASSERT_EQ(guest_load(&e, 0, VM_RAM_GPA + VICTIM * 4096ull + OFF, &victim), SHIM_GUEST_DONE);
	EXPECT_EQ(victim, image_u64(VICTIM, OFF));
	ASSERT_EQ(guest_load(&e, 0, VM_FDT_GPA, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v & 0xffffffffu, UINT64_C(0xedfe0dd0)); /* FDT magic, big endian */
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
