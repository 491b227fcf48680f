// SPDX-License-Identifier: BSD-2-Clause
/*
 * Address translation of one access by the mode running on a hart.
 *
 * Spec sections cited below (reference/specs/priv):
 *   [VATP]  supervisor.adoc "Virtual Address Translation Process" (steps 1-10)
 *   [SV39]  supervisor.adoc "Sv39: Page-Based 39-bit Virtual-Memory System"
 *           (PTE format, reserved bits; Sv48 and Sv57 differ only in LEVELS)
 *   [PTEU]  supervisor.adoc, Sv32 "Addressing and Memory Protection" (U bit,
 *           SUM, A/D update scheme, reserved D/A/U of non-leaf PTEs)
 *   [2ST]   hypervisor.adoc "Two-Stage Address Translation" (MXR, PMP)
 *   [GPAT]  hypervisor.adoc "Guest Physical Address Translation" (x4 roots,
 *           width checks, G-stage accesses are user-level)
 *   [GPF]   hypervisor.adoc "Guest-Page Faults" and the htval register
 *   [TINST] hypervisor.adoc "Transformed Instruction or Pseudoinstruction
 *           for mtinst or htinst" (table "Special pseudoinstruction values")
 *
 * Choices the spec leaves open, or simplifications of the shim:
 * - A and D are set by the walker (Svade is not implemented), as QEMU does:
 *   the update is a store to the PTE, checked as an implicit store (PMP
 *   write permission with priv S; through the G-stage as a store for
 *   VS-stage PTEs).
 * - HS and U run unpaged: a satp other than Bare there is reported as an
 *   access fault rather than walked, so a monitor that turns on HS paging
 *   is noticed instead of silently mistranslated.
 * - Svnapot and Svpbmt are not implemented, so PTE bits 63:61 are reserved
 *   like 60:54 and fault ([SV39]). D, A and U of a non-leaf PTE are
 *   "reserved for future standard use" ([PTEU]) and fault too, per step 3
 *   of [VATP] (newer QEMU does the same).
 * - MXR (sstatus.MXR overrides both stages, vsstatus.MXR the VS-stage only,
 *   [2ST]) applies to explicit loads only; implicit page-table reads need R.
 * - VSXLEN is 64: implicit VS-stage accesses use the RV64 pseudoinstructions.
 * - An hgatp or vsatp MODE the shim does not implement (the CSRs' WARL rule
 *   keeps it from being written) raises a (guest-)page fault.
 * - A fetch wider than 2 bytes may straddle a page; each part is translated
 *   on its own (as hardware does). The result is one physical address, so
 *   parts that are not physically contiguous raise a fetch access fault at
 *   the page boundary; shim_world_fetch fetches 2-byte parcels and never
 *   meets that case.
 */
#include "shim/mmu.h"

#include "shim/pmp.h"
#include "shim/tlb.h"

/* sstatus / vsstatus fields (supervisor.adoc "Supervisor Status Register"). */
#define MMU_STATUS_SUM	     (UINT64_C(1) << 18)
#define MMU_STATUS_MXR	     (UINT64_C(1) << 19)
#define MMU_STATUS_MPRV	     (UINT64_C(1) << 17)
#define MMU_STATUS_MPV	     (UINT64_C(1) << 39)
#define MMU_STATUS_MPP_SHIFT 11

/* PTE bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved bits ([SV39]). */
#define MMU_PTE_RESERVED (~UINT64_C(0) << 54)
#define MMU_PTE_SIZE	 8u
#define MMU_PAGE_SHIFT	 12u
#define MMU_PAGE_SIZE	 (UINT64_C(1) << MMU_PAGE_SHIFT)
#define MMU_VPN_BITS	 9u
#define MMU_ROOT_BITS	 9u	 /* 512-entry root of Sv39/Sv48/Sv57 */
#define MMU_ROOT_X4_BITS 11u	 /* 2048-entry (16 KiB) root of the x4 schemes ([GPAT]) */
#define MMU_VMID_MASK	 0x3FFFu /* hgatp.VMID, bits 57:44 */

/* [TINST]: 64-bit read / write for VS-stage address translation (RV64). */
#define MMU_TINST_PTE_READ  UINT64_C(0x00003000)
#define MMU_TINST_PTE_WRITE UINT64_C(0x00003020)

/*
 * Step 9 of [VATP] restarts at step 2 when the PTE changed between its read
 * and its update. Single-threaded, only the walker's own G-stage A/D update
 * of a VS-stage PTE's page can do that (when a G-stage PTE and a VS-stage
 * PTE share memory), and it can do so at most twice (A, then D).
 */
#define MMU_AD_RETRIES 4u

enum mmu_status {
	MMU_OK,
	MMU_MISALIGNED,
	MMU_ACCESS_FAULT,
	MMU_PAGE_FAULT,
	MMU_GUEST_PAGE_FAULT,
};

/* Exception for each failure kind, indexed by mmu_access_index(). */
static const uint64_t mmu_causes[][3] = {
	[MMU_MISALIGNED] = { SHIM_CAUSE_FETCH_MISALIGNED, SHIM_CAUSE_LOAD_MISALIGNED,
			     SHIM_CAUSE_STORE_MISALIGNED },
	[MMU_ACCESS_FAULT] = { SHIM_CAUSE_FETCH_ACCESS, SHIM_CAUSE_LOAD_ACCESS,
			       SHIM_CAUSE_STORE_ACCESS },
	[MMU_PAGE_FAULT] = { SHIM_CAUSE_FETCH_PAGE, SHIM_CAUSE_LOAD_PAGE, SHIM_CAUSE_STORE_PAGE },
	[MMU_GUEST_PAGE_FAULT] = { SHIM_CAUSE_FETCH_GUEST_PAGE, SHIM_CAUSE_LOAD_GUEST_PAGE,
				   SHIM_CAUSE_STORE_GUEST_PAGE },
};

/* A failed step: its kind, and for guest-page faults the GPA and tinst. */
struct mmu_fault {
	enum mmu_status status;
	uint64_t gpa;
	uint64_t tinst;
};

/* Geometry of a translation scheme. */
struct mmu_scheme {
	unsigned int levels;	/* LEVELS: 3 (Sv39), 4 (Sv48), 5 (Sv57) */
	unsigned int root_bits; /* VPN bits indexing the root table */
};

/* What a leaf must allow ([PTEU], steps 6 and 8 of [VATP]). */
struct mmu_perm {
	enum shim_access access;
	bool user; /* made at U level: needs U=1; else U=1 needs SUM and no exec */
	bool sum;
	bool mxr;
};

/* A leaf PTE found by a walk. */
struct mmu_leaf {
	uint64_t pte;
	uint64_t pte_addr;
	unsigned int level;
};

enum mmu_step {
	MMU_STEP_NEXT,
	MMU_STEP_LEAF,
	MMU_STEP_FAULT,
};

static struct mmu_fault mmu_fault_of(enum mmu_status status)
{
	struct mmu_fault f = { .status = status, .gpa = 0, .tinst = 0 };

	return f;
}

static unsigned int mmu_access_index(enum shim_access access)
{
	switch (access) {
	case SHIM_ACCESS_EXEC: return 0;
	case SHIM_ACCESS_READ: return 1;
	default: return 2;
	}
}

static bool mmu_scheme_of(uint64_t atp, unsigned int root_bits, struct mmu_scheme *s)
{
	switch (atp >> SHIM_ATP_MODE_SHIFT) {
	case SHIM_ATP_MODE_SV39: s->levels = 3; break;
	case SHIM_ATP_MODE_SV48: s->levels = 4; break;
	case SHIM_ATP_MODE_SV57: s->levels = 5; break;
	default: return false;
	}
	s->root_bits = root_bits;
	return true;
}

static bool mmu_atp_bare(uint64_t atp)
{
	return (atp >> SHIM_ATP_MODE_SHIFT) == SHIM_ATP_MODE_BARE;
}

/* Width of the translated address: 39/48/57, or 41/50/59 for x4 ([GPAT]). */
static unsigned int mmu_va_bits(const struct mmu_scheme *s)
{
	return MMU_PAGE_SHIFT + MMU_VPN_BITS * (s->levels - 1) + s->root_bits;
}

/* log2 of the region a leaf at @level maps: 12, 21, 30, 39, 48. */
static unsigned int mmu_level_shift(unsigned int level)
{
	return MMU_PAGE_SHIFT + MMU_VPN_BITS * level;
}

/* va.vpn[level]; the root index is two bits wider for x4 ([GPAT]). */
static uint64_t mmu_vpn(const struct mmu_scheme *s, uint64_t va, unsigned int level)
{
	unsigned int bits = level + 1 == s->levels ? s->root_bits : MMU_VPN_BITS;

	return (va >> mmu_level_shift(level)) & ((UINT64_C(1) << bits) - 1);
}

/* pte.ppn x PAGESIZE. */
static uint64_t mmu_pte_target(uint64_t pte)
{
	return ((pte >> SHIM_PTE_PPN_SHIFT) & SHIM_PTE_PPN_MASK) << MMU_PAGE_SHIFT;
}

/* Physical address of the root of the G-stage tables; hgatp.PPN[1:0] act as zero ([GPAT]). */
static uint64_t mmu_gstage_root(uint64_t hgatp)
{
	return (hgatp & SHIM_ATP_PPN_MASK & ~UINT64_C(3)) << MMU_PAGE_SHIFT;
}

/* Steps 3 to 5 of [VATP] for @pte read at @level. */
static enum mmu_step mmu_pte_step(uint64_t pte, unsigned int level)
{
	if (!(pte & SHIM_PTE_V) || (!(pte & SHIM_PTE_R) && (pte & SHIM_PTE_W)) ||
	    (pte & MMU_PTE_RESERVED)) {
		return MMU_STEP_FAULT;
	}
	if (!(pte & (SHIM_PTE_R | SHIM_PTE_X))) {
		/* Non-leaf: D, A and U are reserved ([PTEU]); no table below level 0. */
		if ((pte & (SHIM_PTE_D | SHIM_PTE_A | SHIM_PTE_U)) || level == 0) {
			return MMU_STEP_FAULT;
		}
		return MMU_STEP_NEXT;
	}
	/* Step 5: a superpage's pte.ppn[level-1:0] must be zero. */
	uint64_t low_ppn = (UINT64_C(1) << (MMU_VPN_BITS * level)) - 1;

	if ((pte >> SHIM_PTE_PPN_SHIFT) & low_ppn) {
		return MMU_STEP_FAULT;
	}
	return MMU_STEP_LEAF;
}

/* Steps 6 and 8 of [VATP]: the U bit, then R/W/X. */
static bool mmu_leaf_allows(uint64_t pte, const struct mmu_perm *p)
{
	if (p->user) {
		if (!(pte & SHIM_PTE_U)) {
			return false;
		}
	} else if (pte & SHIM_PTE_U) {
		/* Supervisor on a user page: data only with SUM, never execute. */
		if (p->access == SHIM_ACCESS_EXEC || !p->sum) {
			return false;
		}
	}
	switch (p->access) {
	case SHIM_ACCESS_READ: return (pte & SHIM_PTE_R) || (p->mxr && (pte & SHIM_PTE_X));
	case SHIM_ACCESS_WRITE: return (pte & SHIM_PTE_W) != 0;
	case SHIM_ACCESS_EXEC: return (pte & SHIM_PTE_X) != 0;
	}
	return false;
}

/* Step 9 of [VATP]: A on every access, D as well on a store. */
static uint64_t mmu_pte_with_ad(uint64_t pte, enum shim_access access)
{
	return pte | SHIM_PTE_A | (access == SHIM_ACCESS_WRITE ? SHIM_PTE_D : 0);
}

/* Step 10 of [VATP]: pa.ppn[LEVELS-1:level] from the PTE, the rest from @va. */
static uint64_t mmu_leaf_pa(const struct mmu_leaf *leaf, uint64_t va)
{
	uint64_t mask = (UINT64_C(1) << mmu_level_shift(leaf->level)) - 1;

	return mmu_pte_target(leaf->pte) | (va & mask);
}

/*
 * Reads the PTE at physical @pa (RISC-V memory is little-endian). With
 * @pmp, the read is an implicit S-level load that PMP must allow (step 2
 * of [VATP]); without, it is the pure view for invariant checks. False:
 * access fault.
 */
static bool mmu_phys_read_pte(const struct shim_mem *mem, const struct shim_pmp *pmp, uint64_t pa,
			      uint64_t *pte)
{
	uint8_t b[MMU_PTE_SIZE];

	if (pmp && !shim_pmp_allows(pmp, pa, MMU_PTE_SIZE, SHIM_ACCESS_READ, SHIM_PRIV_S)) {
		return false;
	}
	if (!shim_mem_read(mem, pa, b, sizeof(b))) {
		return false;
	}
	uint64_t v = 0;

	for (unsigned int i = 0; i < MMU_PTE_SIZE; i++) {
		v |= (uint64_t)b[i] << (8 * i);
	}
	*pte = v;
	return true;
}

/*
 * The atomic update of step 9 of [VATP] at physical @pa: the store must be
 * allowed by PMP (implicit S-level store), then @desired is written when
 * the PTE still holds @expected (*@swapped tells which). False: access fault.
 */
static bool mmu_phys_update_pte(struct shim_mem *mem, const struct shim_pmp *pmp, uint64_t pa,
				uint64_t expected, uint64_t desired, bool *swapped)
{
	uint64_t now;
	uint8_t b[MMU_PTE_SIZE];

	*swapped = false;
	if (!shim_pmp_allows(pmp, pa, MMU_PTE_SIZE, SHIM_ACCESS_WRITE, SHIM_PRIV_S)) {
		return false;
	}
	/* The read half of the atomic operation is covered by the store check. */
	if (!mmu_phys_read_pte(mem, NULL, pa, &now)) {
		return false;
	}
	if (now != expected) {
		return true;
	}
	for (unsigned int i = 0; i < MMU_PTE_SIZE; i++) {
		b[i] = (uint8_t)(desired >> (8 * i));
	}
	/* shim_mem_write marks the page written, so a world reset restores it. */
	if (!shim_mem_write(mem, pa, b, sizeof(b))) {
		return false;
	}
	*swapped = true;
	return true;
}

/*
 * Steps 2 to 5 of [VATP] over tables in physical memory (the G-stage):
 * finds the leaf for @va below @root. Returns MMU_OK, MMU_ACCESS_FAULT (a
 * table read outside DRAM or denied by @pmp) or MMU_PAGE_FAULT (the
 * tables map nothing there). Reads only.
 */
static enum mmu_status mmu_walk_phys(const struct shim_mem *mem, const struct shim_pmp *pmp,
				     const struct mmu_scheme *s, uint64_t root, uint64_t va,
				     struct mmu_leaf *leaf)
{
	uint64_t table = root;
	unsigned int level = s->levels - 1;

	for (;;) {
		uint64_t pte_addr = table + mmu_vpn(s, va, level) * MMU_PTE_SIZE;
		uint64_t pte;

		if (!mmu_phys_read_pte(mem, pmp, pte_addr, &pte)) {
			return MMU_ACCESS_FAULT;
		}
		switch (mmu_pte_step(pte, level)) {
		case MMU_STEP_FAULT: return MMU_PAGE_FAULT;
		case MMU_STEP_NEXT:
			/* mmu_pte_step never continues below level 0. */
			table = mmu_pte_target(pte);
			level--;
			continue;
		case MMU_STEP_LEAF: break;
		}
		leaf->pte = pte;
		leaf->pte_addr = pte_addr;
		leaf->level = level;
		return MMU_OK;
	}
}

/*
 * G-stage translation of @gpa for @perm ([GPAT]), through @hart's TLB.
 * Returns MMU_OK (*@hpa set), MMU_ACCESS_FAULT or MMU_GUEST_PAGE_FAULT.
 */
static enum mmu_status mmu_gstage(struct shim_mem *mem, struct shim_hart *hart, uint64_t gpa,
				  const struct mmu_perm *perm, uint64_t *hpa, bool *from_tlb)
{
	uint64_t hgatp = hart->csr.hgatp;
	struct mmu_scheme s;
	struct mmu_leaf leaf;

	*from_tlb = false;
	/* Bare: GPA = supervisor physical address, no protection ([GPAT]). */
	if (mmu_atp_bare(hgatp)) {
		*hpa = gpa;
		return MMU_OK;
	}
	if (!mmu_scheme_of(hgatp, MMU_ROOT_X4_BITS, &s)) {
		return MMU_GUEST_PAGE_FAULT;
	}
	/* Bits above 41/50/59 must be zero, else a guest-page fault ([GPAT]). */
	if (gpa >> mmu_va_bits(&s)) {
		return MMU_GUEST_PAGE_FAULT;
	}
	uint16_t vmid = (uint16_t)((hgatp >> SHIM_HGATP_VMID_SHIFT) & MMU_VMID_MASK);
	const struct shim_tlb_entry *e = shim_tlb_lookup(&hart->tlb, vmid, gpa);

	/*
	 * A cached leaf stands in for the walk (steps 2-5), whatever the tables
	 * say now; its permissions are still checked. A/D may only be updated
	 * in memory (after [VATP]: "The address-translation cache cannot be used
	 * in step 9"), so a store to a clean cached page walks again.
	 */
	if (e && !(perm->access == SHIM_ACCESS_WRITE && !(e->pte & SHIM_PTE_D))) {
		if (!mmu_leaf_allows(e->pte, perm)) {
			return MMU_GUEST_PAGE_FAULT;
		}
		*hpa = e->hpa + (gpa - e->gpa);
		*from_tlb = true;
		return MMU_OK;
	}
	/* Table reads and A/D updates are implicit S-level accesses for PMP. */
	switch (mmu_walk_phys(mem, &hart->pmp, &s, mmu_gstage_root(hgatp), gpa, &leaf)) {
	case MMU_OK: break;
	case MMU_ACCESS_FAULT: return MMU_ACCESS_FAULT;
	default: return MMU_GUEST_PAGE_FAULT;
	}
	if (!mmu_leaf_allows(leaf.pte, perm)) {
		return MMU_GUEST_PAGE_FAULT;
	}
	uint64_t updated = mmu_pte_with_ad(leaf.pte, perm->access);

	if (updated != leaf.pte) {
		bool swapped;

		/* Nothing runs between the read and this update: it always swaps. */
		if (!mmu_phys_update_pte(mem, &hart->pmp, leaf.pte_addr, leaf.pte, updated,
					 &swapped)) {
			return MMU_ACCESS_FAULT;
		}
		leaf.pte = updated;
	}
	unsigned int shift = mmu_level_shift(leaf.level);

	shim_tlb_insert(&hart->tlb, vmid, gpa, mmu_pte_target(leaf.pte), shift, leaf.pte);
	*hpa = mmu_leaf_pa(&leaf, gpa);
	return MMU_OK;
}

/*
 * An implicit access to the VS-stage PTE at @pte_gpa: G-stage translation
 * as a user-level load or store ([GPAT]). A guest-page fault reports the
 * PTE's GPA and the pseudoinstruction of [TINST].
 */
static struct mmu_fault mmu_vs_pte_gstage(struct shim_mem *mem, struct shim_hart *hart,
					  uint64_t pte_gpa, bool write, uint64_t *hpa)
{
	struct mmu_perm perm = {
		.access = write ? SHIM_ACCESS_WRITE : SHIM_ACCESS_READ,
		.user = true,
		.sum = false,
		.mxr = false,
	};
	bool from_tlb;
	enum mmu_status st = mmu_gstage(mem, hart, pte_gpa, &perm, hpa, &from_tlb);
	struct mmu_fault f = mmu_fault_of(st);

	if (st == MMU_GUEST_PAGE_FAULT) {
		f.gpa = pte_gpa;
		f.tinst = write ? MMU_TINST_PTE_WRITE : MMU_TINST_PTE_READ;
	}
	return f;
}

/*
 * VS-stage translation of @gva ([VATP] over vsatp; [2ST]): every PTE read
 * and update is a guest-physical access through the G-stage, then PMP.
 */
static struct mmu_fault mmu_vsstage(struct shim_mem *mem, struct shim_hart *hart, uint64_t gva,
				    enum shim_access access, uint64_t *gpa)
{
	uint64_t vsatp = hart->csr.vsatp;
	struct mmu_scheme s;

	if (mmu_atp_bare(vsatp)) {
		*gpa = gva;
		return mmu_fault_of(MMU_OK);
	}
	if (!mmu_scheme_of(vsatp, MMU_ROOT_BITS, &s)) {
		return mmu_fault_of(MMU_PAGE_FAULT);
	}
	/* Bits 63:VABITS must all equal bit VABITS-1 ([SV39] and its Sv48/Sv57 twins). */
	unsigned int unused = 64 - mmu_va_bits(&s);

	if ((uint64_t)((int64_t)(gva << unused) >> unused) != gva) {
		return mmu_fault_of(MMU_PAGE_FAULT);
	}
	struct mmu_perm perm = {
		.access = access,
		.user = hart->mode == SHIM_MODE_VU,
		.sum = (hart->csr.vsstatus & MMU_STATUS_SUM) != 0,
		.mxr = access == SHIM_ACCESS_READ &&
		       ((hart->csr.vsstatus | hart->csr.mstatus) & MMU_STATUS_MXR),
	};
	uint64_t table = (vsatp & SHIM_ATP_PPN_MASK) << MMU_PAGE_SHIFT;
	unsigned int level = s.levels - 1;
	unsigned int retries = 0;

	for (;;) {
		uint64_t pte_gpa = table + mmu_vpn(&s, gva, level) * MMU_PTE_SIZE;
		uint64_t hpa;
		uint64_t pte;
		struct mmu_fault f = mmu_vs_pte_gstage(mem, hart, pte_gpa, false, &hpa);

		if (f.status != MMU_OK) {
			return f;
		}
		if (!mmu_phys_read_pte(mem, &hart->pmp, hpa, &pte)) {
			return mmu_fault_of(MMU_ACCESS_FAULT);
		}
		switch (mmu_pte_step(pte, level)) {
		case MMU_STEP_FAULT: return mmu_fault_of(MMU_PAGE_FAULT);
		case MMU_STEP_NEXT:
			table = mmu_pte_target(pte);
			level--;
			continue;
		case MMU_STEP_LEAF: break;
		}
		if (!mmu_leaf_allows(pte, &perm)) {
			return mmu_fault_of(MMU_PAGE_FAULT);
		}
		uint64_t updated = mmu_pte_with_ad(pte, access);

		if (updated != pte) {
			bool swapped;

			f = mmu_vs_pte_gstage(mem, hart, pte_gpa, true, &hpa);
			if (f.status != MMU_OK) {
				return f;
			}
			if (!mmu_phys_update_pte(mem, &hart->pmp, hpa, pte, updated, &swapped)) {
				return mmu_fault_of(MMU_ACCESS_FAULT);
			}
			if (!swapped) {
				/* Step 9: the PTE changed under us, go back to step 2. */
				if (++retries > MMU_AD_RETRIES) {
					return mmu_fault_of(MMU_ACCESS_FAULT);
				}
				continue;
			}
		}
		struct mmu_leaf leaf = { .pte = updated, .pte_addr = pte_gpa, .level = level };

		*gpa = mmu_leaf_pa(&leaf, gva);
		return mmu_fault_of(MMU_OK);
	}
}

/* Both stages for an access from VS or VU. */
static struct mmu_fault mmu_translate_virt(struct shim_mem *mem, struct shim_hart *hart,
					   uint64_t gva, enum shim_access access, uint64_t *hpa,
					   bool *from_tlb)
{
	uint64_t gpa = 0;
	struct mmu_fault f = mmu_vsstage(mem, hart, gva, access, &gpa);

	if (f.status != MMU_OK) {
		return f;
	}
	/* The G-stage is user-level; only HS-level MXR overrides it ([2ST]). */
	struct mmu_perm perm = {
		.access = access,
		.user = true,
		.sum = false,
		.mxr = access == SHIM_ACCESS_READ && (hart->csr.mstatus & MMU_STATUS_MXR),
	};
	enum mmu_status st = mmu_gstage(mem, hart, gpa, &perm, hpa, from_tlb);

	f = mmu_fault_of(st);
	if (st == MMU_GUEST_PAGE_FAULT) {
		f.gpa = gpa;
	}
	return f;
}

static struct shim_xlate mmu_xlate_fault(const struct shim_hart *hart, enum shim_access access,
					 uint64_t addr, const struct mmu_fault *f)
{
	struct shim_xlate x = { 0 };

	x.ok = false;
	x.cause = mmu_causes[f->status][mmu_access_index(access)];
	x.tval = addr;
	/* htval/mtval2 hold GPA >> 2 for guest-page faults only ([GPF]). */
	x.tval2 = f->status == MMU_GUEST_PAGE_FAULT ? f->gpa >> 2 : 0;
	x.tinst = f->tinst;
	/* With V=1 every address fault reports a guest virtual address. */
	x.gva = shim_mode_virt(hart->mode);
	return x;
}

/*
 * The mode an access is translated and checked in: M-mode's loads and
 * stores take MPP's (with MPV) while mstatus.MPRV is set; fetches never do
 * (machine.adoc, mstatus.MPRV).
 */
static enum shim_mode mmu_effective_mode(const struct shim_hart *hart, enum shim_access access)
{
	uint64_t ms = hart->csr.mstatus;

	if (hart->mode != SHIM_MODE_M || access == SHIM_ACCESS_EXEC || !(ms & MMU_STATUS_MPRV)) {
		return hart->mode;
	}
	bool v = (ms & MMU_STATUS_MPV) != 0;
	switch ((ms >> MMU_STATUS_MPP_SHIFT) & 3) {
	case 0: return v ? SHIM_MODE_VU : SHIM_MODE_U;
	case 1: return v ? SHIM_MODE_VS : SHIM_MODE_HS;
	default: return SHIM_MODE_M; /* MPV is ignored when MPP = M */
	}
}

static struct shim_xlate mmu_translate_in_mode(struct shim_mem *mem, struct shim_hart *hart,
					       uint64_t addr, unsigned int len,
					       enum shim_access access);

/* One access that stays within a 4 KiB page, in the mode MPRV may give it. */
static struct shim_xlate mmu_translate_part(struct shim_mem *mem, struct shim_hart *hart,
					    uint64_t addr, unsigned int len,
					    enum shim_access access)
{
	enum shim_mode mode = hart->mode;

	/* The walk and the fault report read the mode from the hart: lend it MPP's. */
	hart->mode = mmu_effective_mode(hart, access);
	struct shim_xlate x = mmu_translate_in_mode(mem, hart, addr, len, access);
	hart->mode = mode;
	return x;
}

static struct shim_xlate mmu_translate_in_mode(struct shim_mem *mem, struct shim_hart *hart,
					       uint64_t addr, unsigned int len,
					       enum shim_access access)
{
	struct mmu_fault f = mmu_fault_of(MMU_OK);
	uint64_t pa = addr;
	bool from_tlb = false;

	switch (hart->mode) {
	case SHIM_MODE_M: break; /* physical */
	case SHIM_MODE_HS:
	case SHIM_MODE_U:
		/* The shim's host runs unpaged; paging there is not emulated. */
		if (!mmu_atp_bare(hart->csr.satp)) {
			f = mmu_fault_of(MMU_ACCESS_FAULT);
		}
		break;
	case SHIM_MODE_VS:
	case SHIM_MODE_VU: f = mmu_translate_virt(mem, hart, addr, access, &pa, &from_tlb); break;
	default: f = mmu_fault_of(MMU_ACCESS_FAULT); break;
	}
	/* The final access: DRAM (PMA) and PMP with the mode's privilege ([2ST]). */
	if (f.status == MMU_OK &&
	    (!shim_mem_is_dram(mem, pa, len) ||
	     !shim_pmp_allows(&hart->pmp, pa, len, access, shim_mode_priv(hart->mode)))) {
		f = mmu_fault_of(MMU_ACCESS_FAULT);
	}
	if (f.status != MMU_OK) {
		return mmu_xlate_fault(hart, access, addr, &f);
	}
	struct shim_xlate x = { 0 };

	x.ok = true;
	x.pa = pa;
	x.from_tlb = from_tlb;
	return x;
}

/*
 * Sizes 1, 2, 4, 8. Instructions need IALIGN = 16; misaligned loads and
 * stores are performed, as QEMU virt performs them (the EEI may choose).
 */
static bool mmu_size_aligned(uint64_t addr, unsigned int size, enum shim_access access)
{
	if (size != 1 && size != 2 && size != 4 && size != 8) {
		return false;
	}
	return access != SHIM_ACCESS_EXEC || (addr & 1) == 0;
}

struct shim_xlate shim_mmu_translate(struct shim_mem *mem, struct shim_hart *hart, uint64_t addr,
				     unsigned int size, enum shim_access access)
{
	if (!mmu_size_aligned(addr, size, access)) {
		struct mmu_fault f = mmu_fault_of(MMU_MISALIGNED);

		return mmu_xlate_fault(hart, access, addr, &f);
	}
	uint64_t room = MMU_PAGE_SIZE - (addr & (MMU_PAGE_SIZE - 1));

	if (size <= room) {
		return mmu_translate_part(mem, hart, addr, size, access);
	}
	/*
	 * A fetch or a misaligned load or store across a page boundary: each
	 * page is translated on its own; a fault in the second reports the
	 * page-boundary address ([GPF], "straddles a page").
	 */
	uint64_t next = addr + room;
	struct shim_xlate first = mmu_translate_part(mem, hart, addr, (unsigned int)room, access);

	if (!first.ok) {
		return first;
	}
	struct shim_xlate second =
		mmu_translate_part(mem, hart, next, size - (unsigned int)room, access);

	if (!second.ok) {
		return second;
	}
	if (second.pa != first.pa + room) {
		struct mmu_fault f = mmu_fault_of(MMU_ACCESS_FAULT);

		return mmu_xlate_fault(hart, access, next, &f);
	}
	first.from_tlb = first.from_tlb && second.from_tlb;
	return first;
}

bool shim_mmu_gstage_lookup(const struct shim_mem *mem, uint64_t hgatp, uint64_t gpa, uint64_t *pa,
			    uint64_t *pte, unsigned int *shift)
{
	struct mmu_scheme s;
	struct mmu_leaf leaf;

	if (mmu_atp_bare(hgatp)) {
		/* Identity, no PTE: *pte = 0 and *shift = 0 say so. */
		*pa = gpa;
		*pte = 0;
		*shift = 0;
		return true;
	}
	if (!mmu_scheme_of(hgatp, MMU_ROOT_X4_BITS, &s) || (gpa >> mmu_va_bits(&s))) {
		return false;
	}
	/*
	 * Any well-formed leaf counts as a mapping, whatever its permissions
	 * (U, R, W, X): the caller judges those from *pte.
	 */
	if (mmu_walk_phys(mem, NULL, &s, mmu_gstage_root(hgatp), gpa, &leaf) != MMU_OK) {
		return false;
	}
	*pa = mmu_leaf_pa(&leaf, gpa);
	*pte = leaf.pte;
	*shift = mmu_level_shift(leaf.level);
	return true;
}
