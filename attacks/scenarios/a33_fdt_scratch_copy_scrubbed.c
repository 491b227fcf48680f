// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: promote_to_tvm parses the FDT from a scratch copy in confidential
 *         memory; the host hopes the scratch page survives (after a good
 *         promote, or after one it made fail at FDT parsing) so that the next
 *         TVM's pages, or a later bug, carry the parsed configuration.
 * Class: 11
 * Attacker: malicious host
 * Expected defence: the scratch copy is taken as a monitor page of the TVM
 *         being built and scrubbed on every path, success and error; only the
 *         TVM's own mapped copy of the FDT holds its bytes; a failed promote
 *         leaves confidential memory exactly as it was.
 * Reference: cove-abi.md section 6 (promote; flaw 5, pages leaked on error
 *         paths); DESIGN.md section 5 (I6, I7, I10).
 */
#include <string.h>

#include "attack.h"

#define FDT_MAGIC_BE UINT32_C(0xedfe0dd0) /* 0xd00dfeed as it sits in memory, read LE */

/* Confidential pages that hold an FDT header (magic at any 8-byte boundary). */
static unsigned int pages_with_fdt(struct attack_env *e, uint64_t *where)
{
	uint8_t page[4096];
	unsigned int found = 0;

	for (uint64_t off = 0; off < e->f.conf.size; off += 4096) {
		ASSERT_TRUE(shim_mem_read(&e->f.w->mem, e->f.conf.base + off, page, sizeof(page)));
		for (size_t b = 0; b + 4 <= sizeof(page); b += 8) {
			uint32_t w;
			memcpy(&w, page + b, 4);
			if (w == FDT_MAGIC_BE) {
				*where = e->f.conf.base + off;
				found++;
				break;
			}
		}
	}
	return found;
}

TEST(attack, a33_fdt_scratch_copy_scrubbed)
{
	struct attack_env e;
	struct mon_tvm_view t;
	struct mon_page_view pv;
	uint8_t before[48];
	uint8_t fdt[4096];
	uint64_t at = 0;
	uint64_t pa = 0;
	uint64_t pte = 0;
	unsigned int shift = 0;

	attack_env_init(&e, 1);
	/* After the good promote: exactly one confidential page holds the FDT, the
	 * TVM's own data page mapped at the FDT's GPA. No scratch page is left. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e.f.w->mem, t.hgatp, e.vm.fdt_gpa, &pa, &pte, &shift));
	EXPECT_EQ(pages_with_fdt(&e, &at), 1u);
	EXPECT_EQ(at, pa & ~UINT64_C(0xfff));
	ASSERT_TRUE(mon_introspect_page(e.f.mon, at, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, e.tvm);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), t.pages);
	/* The first free page (where the scratch copy was taken) is zero. */
	uint64_t n = 0;
	const struct mon_page_view *rec = mon_introspect_pages(e.f.mon, &n);
	uint64_t first_free = 0;
	while (first_free < n && rec[first_free].state != MON_PAGE_FREE) {
		first_free++;
	}
	ASSERT_LT(first_free, n);
	expect_page_zero(&e, e.f.conf.base + first_free * 4096);
	attack_check(&e, 1);

	/* The host rewrites its image's FDT to name 9 vCPUs (more than a TVM may
	 * have): promote copies the image, copies the FDT to scratch, parses it and
	 * fails. Nothing of it may survive. */
	size_t len = vm_fdt(fdt, sizeof(fdt), 9, VM_RAM_GPA, VM_MEM_SIZE);
	ASSERT_GT(len, 0);
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA), fdt, len));
	state_hash(&e.f, before);
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	struct shim_sbiret r =
		host_attack(&e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(r.value, 0);
	expect_state_unchanged(&e, before);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
	EXPECT_EQ(pages_with_fdt(&e, &at), 1u); /* still only the first TVM's own copy */
	EXPECT_EQ(at, pa & ~UINT64_C(0xfff));
	for (uint64_t p = first_free; p < n; p++) {
		if (rec[p].state == MON_PAGE_FREE) {
			expect_page_zero(&e, e.f.conf.base + p * 4096);
		}
	}
	EXPECT_FALSE(mon_introspect_tvm(e.f.mon, e.tvm + 1, &t));

	/* Destroy the first TVM too: no FDT byte is left in confidential memory. */
	EXPECT_EQ(host_attack(&e, 0, SBI_EXT_COVH, COVH_DESTROY_TVM, e.tvm, 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_EQ(pages_with_fdt(&e, &at), 0u);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), 0);
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	attack_env_fini(&e);
}
