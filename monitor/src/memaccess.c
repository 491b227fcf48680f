// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one door to untrusted memory (DESIGN.md section 2): every host range
 * is validated as host memory (overflow-safe) before the HAL touches it,
 * and is read exactly once into monitor memory.
 */
#include "core.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

mon_err_t memaccess_host_read(const struct mon *mon, hart_t hart, uint64_t pa, void *dst,
			      size_t len)
{
	if (!memmap_is_host(&mon->map, pa, len)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if (hal_untrusted_read(hart, pa_init(pa), dst, len) != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	return MON_OK;
}

mon_err_t memaccess_host_write(const struct mon *mon, hart_t hart, uint64_t pa, const void *src,
			       size_t len)
{
	if (!memmap_is_host(&mon->map, pa, len)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if (hal_untrusted_write(hart, pa_init(pa), src, len) != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	return MON_OK;
}

/*
 * The host address of guest page @gpa if it is one of @tvm's confidential
 * data pages with permission @perm (shared pages are host memory: the
 * monitor never reads or writes them on the guest's behalf).
 */
static bool guest_page(const struct mon *mon, const struct tvm *tvm, uint64_t gpa, uint64_t perm,
		       uint64_t *pa)
{
	uint64_t pte;

	if (!gstage_lookup(mon, tvm, gpa, pa, &pte) || (pte & perm) != perm) {
		return false;
	}
	const struct page_rec *rec = pages_rec(mon, *pa);
	return rec && rec->state == PAGE_TVM_DATA && rec->owner == tvm->id;
}

mon_err_t memaccess_guest_read(const struct mon *mon, const struct tvm *tvm, uint64_t gpa,
			       void *dst, uint64_t len)
{
	uint8_t *out = dst;
	uint64_t end;

	if (!mon_range_end(gpa, len, &end)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	while (len) {
		uint64_t pa;
		uint64_t chunk = MON_PAGE_SIZE - (gpa & (MON_PAGE_SIZE - 1));

		chunk = chunk < len ? chunk : len;
		if (!guest_page(mon, tvm, gpa, PTE_R, &pa)) {
			return MON_ERR_INVALID_ADDRESS;
		}
		mon_memcpy(out, hal_mon_map_ro(pa_init(pa), chunk), chunk);
		out += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return MON_OK;
}

mon_err_t memaccess_guest_write(struct mon *mon, const struct tvm *tvm, uint64_t gpa,
				const void *src, uint64_t len)
{
	const uint8_t *in = src;
	uint64_t end;
	uint64_t pa;

	if (!mon_range_end(gpa, len, &end)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	/* Check every page before writing any: an error writes nothing. */
	for (uint64_t at = gpa & ~(MON_PAGE_SIZE - 1); at < end; at += MON_PAGE_SIZE) {
		if (!guest_page(mon, tvm, at, PTE_R | PTE_W, &pa)) {
			return MON_ERR_INVALID_ADDRESS;
		}
	}
	while (len) {
		uint64_t chunk = MON_PAGE_SIZE - (gpa & (MON_PAGE_SIZE - 1));

		chunk = chunk < len ? chunk : len;
		(void)guest_page(mon, tvm, gpa, PTE_R | PTE_W, &pa);
		mon_memcpy(hal_mon_map(pa_init(pa), chunk), in, chunk);
		in += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return MON_OK;
}

/* VS-stage walk of guest virtual address @va (Sv39/48/57 in vsatp), for an instruction fetch. */
static bool vs_translate(const struct mon *mon, const struct tvm *tvm, uint64_t vsatp, uint64_t va,
			 uint64_t *gpa)
{
	unsigned int mode = (unsigned int)(vsatp >> 60);
	unsigned int levels = gstage_levels(mode);
	uint64_t table = (vsatp & ((UINT64_C(1) << 44) - 1)) << 12;

	if (mode == 0) {
		*gpa = va;
		return true;
	}
	if (!levels) {
		return false;
	}
	for (unsigned int level = levels; level-- > 0;) {
		uint64_t pte;
		uint64_t idx = (va >> (12 + 9 * level)) & 0x1ff;

		if (memaccess_guest_read(mon, tvm, table + 8 * idx, &pte, sizeof(pte)) != MON_OK ||
		    !(pte & PTE_V) || ((pte & (PTE_R | PTE_W)) == PTE_W)) {
			return false;
		}
		uint64_t ppn_pa = ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
		if (pte & (PTE_R | PTE_X)) {
			uint64_t size = UINT64_C(1) << (12 + 9 * level);
			if (!(pte & PTE_X) || !mon_is_aligned(ppn_pa, size)) {
				return false;
			}
			*gpa = ppn_pa | (va & (size - 1));
			return true;
		}
		table = ppn_pa;
	}
	return false;
}

static bool fetch16(const struct mon *mon, const struct tvm *tvm, uint64_t vsatp, uint64_t va,
		    uint16_t *half)
{
	uint64_t gpa;
	uint64_t pa;
	uint8_t b[2];

	if (!vs_translate(mon, tvm, vsatp, va, &gpa) || !guest_page(mon, tvm, gpa, PTE_X, &pa)) {
		return false;
	}
	mon_memcpy(b, hal_mon_map_ro(pa_init(pa), 2), 2);
	*half = (uint16_t)(b[0] | (b[1] << 8));
	return true;
}

mon_err_t memaccess_guest_fetch(const struct mon *mon, const struct tvm *tvm, const struct vcpu *v,
				uint64_t va, uint32_t *insn)
{
	uint16_t lo;
	uint16_t hi;

	/* Instructions are 2-byte aligned; a 4-byte one may straddle a page. */
	if ((va & 1) || !fetch16(mon, tvm, v->csr.vsatp, va, &lo)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if ((lo & 3) != 3) {
		*insn = lo;
		return MON_OK;
	}
	if (!fetch16(mon, tvm, v->csr.vsatp, va + 2, &hi)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	*insn = (uint32_t)lo | ((uint32_t)hi << 16);
	return MON_OK;
}
