// SPDX-License-Identifier: BSD-2-Clause
/*
 * Monitor-owned G-stage tables of a TVM (privileged spec, "Two-Stage Address
 * Translation"): a 16 KiB root of 2048 entries for every x4 mode (ACE's root
 * index was one bit short: cove-abi.md section 6, flaw 7), 4 KiB lower
 * levels, 4 KiB leaves only. Leaves keep the permissions they were given
 * (never flattened to RWX) and carry U (G-stage accesses are user-level),
 * A and D. Table pages come from the TVM's confidential pages.
 */
#include "core.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

unsigned int gstage_levels(unsigned int mode)
{
	switch (mode) {
	case 8: return 3;  /* Sv39x4 */
	case 9: return 4;  /* Sv48x4 */
	case 10: return 5; /* Sv57x4 */
	default: return 0;
	}
}

uint64_t gstage_gpa_limit(unsigned int mode)
{
	unsigned int levels = gstage_levels(mode);

	return levels ? UINT64_C(1) << (12 + 9 * (levels - 1) + 11) : 0;
}

/* Index of @gpa in a table of @level (the root has 2 extra bits). */
static uint64_t vpn(uint64_t gpa, unsigned int level, unsigned int levels)
{
	uint64_t mask = level == levels - 1 ? 0x7ff : 0x1ff;

	return (gpa >> (12 + 9 * level)) & mask;
}

static uint64_t *pte_at(uint64_t table, uint64_t index)
{
	uint64_t *t = hal_mon_map(pa_init(table), index < 512 ? MON_PAGE_SIZE : 4 * MON_PAGE_SIZE);

	return &t[index];
}

static uint64_t pte_pa(uint64_t pte)
{
	return ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << 12;
}

mon_err_t gstage_init(struct mon *mon, hart_t hart, struct tvm *tvm, unsigned int mode)
{
	uint64_t root;

	if (!gstage_levels(mode)) {
		return MON_ERR_INVALID_PARAM;
	}
	if (pages_alloc(mon, hart, tvm, PAGE_TVM_PT, 4, 4 * MON_PAGE_SIZE, &root) != MON_OK) {
		return MON_ERR_OUT_OF_PTPAGES;
	}
	tvm->root = root;
	tvm->mode = (uint8_t)mode;
	return MON_OK;
}

mon_err_t gstage_map(struct mon *mon, hart_t hart, struct tvm *tvm, uint64_t gpa, uint64_t pa,
		     uint64_t perm)
{
	unsigned int levels = gstage_levels(tvm->mode);
	uint64_t new_tables[5];
	uint64_t *new_links[5];
	unsigned int made = 0;
	uint64_t table = tvm->root;

	if (!levels || gpa >= gstage_gpa_limit(tvm->mode) ||
	    !mon_is_aligned(gpa | pa, MON_PAGE_SIZE)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	for (unsigned int level = levels - 1; level > 0; level--) {
		uint64_t *link = pte_at(table, vpn(gpa, level, levels));

		if (!(*link & PTE_V)) {
			uint64_t next;
			if (pages_alloc(mon, hart, tvm, PAGE_TVM_PT, 1, MON_PAGE_SIZE, &next) !=
			    MON_OK) {
				/* Undo the tables this call linked: an error changes nothing. */
				while (made--) {
					*new_links[made] = 0;
					pages_free(mon, tvm, new_tables[made], 1);
				}
				return MON_ERR_OUT_OF_PTPAGES;
			}
			*link = ((next >> 12) << PTE_PPN_SHIFT) | PTE_V;
			new_tables[made] = next;
			new_links[made] = link;
			made++;
		} else if (*link & (PTE_R | PTE_W | PTE_X)) {
			return MON_ERR_FAILED; /* the monitor never builds superpages */
		}
		table = pte_pa(*link);
	}
	uint64_t *leaf = pte_at(table, vpn(gpa, 0, levels));
	if (*leaf & PTE_V) {
		return MON_ERR_ALREADY_AVAILABLE;
	}
	*leaf = ((pa >> 12) << PTE_PPN_SHIFT) | PTE_V | (perm & (PTE_R | PTE_W | PTE_X)) | PTE_U |
		PTE_A | PTE_D;
	return MON_OK;
}

/* The level-0 PTE slot of @gpa, or NULL when a table on the way is missing. */
static uint64_t *leaf_slot(const struct tvm *tvm, uint64_t gpa)
{
	unsigned int levels = gstage_levels(tvm->mode);
	uint64_t table = tvm->root;

	if (!levels || !tvm->root || gpa >= gstage_gpa_limit(tvm->mode)) {
		return NULL;
	}
	for (unsigned int level = levels - 1; level > 0; level--) {
		uint64_t link = *pte_at(table, vpn(gpa, level, levels));

		if (!(link & PTE_V) || (link & (PTE_R | PTE_W | PTE_X))) {
			return NULL;
		}
		table = pte_pa(link);
	}
	return pte_at(table, vpn(gpa, 0, levels));
}

bool gstage_lookup(const struct mon *mon, const struct tvm *tvm, uint64_t gpa, uint64_t *pa,
		   uint64_t *pte)
{
	uint64_t *slot = leaf_slot(tvm, gpa);

	(void)mon;
	if (!slot || !(*slot & PTE_V)) {
		return false;
	}
	*pa = pte_pa(*slot) | (gpa & (MON_PAGE_SIZE - 1));
	*pte = *slot;
	return true;
}

bool gstage_unmap(struct mon *mon, struct tvm *tvm, uint64_t gpa, uint64_t *pa, uint64_t *perm)
{
	uint64_t *slot = leaf_slot(tvm, gpa);

	(void)mon;
	if (!slot || !(*slot & PTE_V)) {
		return false;
	}
	*pa = pte_pa(*slot);
	*perm = *slot & (PTE_R | PTE_W | PTE_X);
	*slot = 0;
	return true;
}

void gstage_remap(struct mon *mon, hart_t hart, struct tvm *tvm, uint64_t gpa, uint64_t pa,
		  uint64_t perm)
{
	if (gstage_map(mon, hart, tvm, gpa, pa, perm) != MON_OK) {
		hal_panic("G-stage table vanished under a remap");
	}
}
