// SPDX-License-Identifier: BSD-2-Clause
/*
 * hal.h implemented over an emulated world (the firmware's counterpart is
 * firmware/arch/riscv/hal.c). The monitor's accesses are checked the way
 * hardware checks them: untrusted copies with S-mode's rights (the
 * firmware's MPRV copy), its own mappings with M-mode's (locked entries and
 * Smepmp bind M), then DRAM presence. Faults can be injected by the world's
 * fault plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/hal.h"
#include "shim/world.h"

/* The bound world, or a panic: the monitor ran without a machine. */
static struct shim_world *world(void)
{
	struct shim_world *w = shim_hal_world();

	if (!w) {
		hal_panic("shim HAL used with no world bound (shim_hal_bind)");
	}
	return w;
}

static struct shim_hart *hart_of(hart_t hart)
{
	struct shim_world *w = world();

	if (hart >= w->cfg.harts) {
		hal_panic("HAL call for a hart the world does not have");
	}
	return &w->hart[hart];
}

/* ---------------------------------------------------------------- PMP --- */

mon_err_t hal_pmp_write(hart_t hart, const struct hal_pmp_layout *layout)
{
	struct shim_hart *h = hart_of(hart);
	struct shim_pmp *pmp = &h->pmp;
	mon_err_t err = MON_OK;

	if (layout->count > pmp->count) {
		return MON_ERR_DENIED_LOCKED;
	}
	/* RLB first, so entries locked by an earlier write stay writable. */
	if (pmp->smepmp && (layout->mseccfg & HAL_MSECCFG_RLB)) {
		(void)shim_pmp_write_mseccfg(pmp, pmp->mseccfg | HAL_MSECCFG_RLB);
	}
	/* Address before configuration: a lock in cfg would freeze the address. An
	 * entry that already holds its value is passed over: writing it would change
	 * nothing, whatever the locks (most entries, on every entry and exit). */
	uint64_t written = 0; /* entries written (HAL_PMP_MAX is 64) */
	for (unsigned int i = 0; i < pmp->count; i++) {
		uint64_t addr = i < layout->count ? layout->entry[i].addr : 0;
		uint8_t cfg = i < layout->count ? layout->entry[i].cfg : 0;
		if (pmp->addr[i] == (addr & SHIM_PMP_ADDR_MASK) && pmp->cfg[i] == cfg) {
			continue;
		}
		(void)shim_pmp_write_addr(pmp, i, addr);
		(void)shim_pmp_write_cfg(pmp, i, cfg);
		written |= UINT64_C(1) << i;
	}
	if (layout->mseccfg || pmp->smepmp) {
		if (!shim_pmp_write_mseccfg(pmp, layout->mseccfg) && layout->mseccfg) {
			err = MON_ERR_DENIED_LOCKED;
		}
	}
	/* Read back: a locked entry (or WARL) that kept another value is an error.
	 * The entries not written held their values already, and writing mseccfg
	 * changes no entry. */
	_Static_assert(HAL_PMP_MAX <= 64, "one bit per entry");
	while (written) {
		unsigned int i = (unsigned int)__builtin_ctzll(written);
		written &= written - 1;
		uint64_t want_addr = i < layout->count ? layout->entry[i].addr : 0;
		uint8_t want_cfg = i < layout->count ? layout->entry[i].cfg : 0;
		if (pmp->addr[i] != (want_addr & SHIM_PMP_ADDR_MASK) || pmp->cfg[i] != want_cfg) {
			err = MON_ERR_DENIED_LOCKED;
		}
	}
	if (pmp->smepmp && (pmp->mseccfg & layout->mseccfg) != layout->mseccfg) {
		err = MON_ERR_DENIED_LOCKED;
	}
	/* A PMP change requires flushing cached translations (privileged spec). */
	shim_tlb_fence_gvma(&h->tlb, false, 0, false, 0);
	return err;
}

unsigned int hal_pmp_count(hart_t hart)
{
	return hart_of(hart)->pmp.count;
}

/* ------------------------------------------------------------ memory --- */

/*
 * True when @priv on @h may access every byte of [pa, pa + len): DRAM, and
 * the PMP allows it as hardware would check a copy (naturally aligned pieces
 * of at most 8 bytes, each judged by its own matching entry).
 */
static bool access_ok(const struct shim_hart *h, const struct shim_mem *mem, uint64_t pa,
		      size_t len, enum shim_access access, enum shim_priv priv)
{
	const struct shim_pmp *pmp = &h->pmp;

	if (!shim_mem_is_dram(mem, pa, len)) {
		return false;
	}
	if (priv == SHIM_PRIV_M) {
		/* Every entry's L bit at once: no early exit, so the compiler vectorises it. */
		uint8_t any = 0;
		for (unsigned int i = 0; i < pmp->count; i++) {
			any |= pmp->cfg[i];
		}
		bool m_bound =
			(pmp->smepmp && (pmp->mseccfg & (HAL_MSECCFG_MML | HAL_MSECCFG_MMWP))) ||
			(any & HAL_PMP_L);
		if (!m_bound) {
			return true; /* no rule binds M-mode: every DRAM access succeeds */
		}
	}
	/* One entry deciding the whole range answers for every piece of it. */
	struct shim_pmp_verdict v = shim_pmp_check(pmp, pa, len, access, priv);
	if (!v.partial) {
		return v.allowed;
	}
	uint64_t at = pa;
	uint64_t end = pa + len;
	while (at < end) {
		uint64_t piece = 8 - (at & 7);
		if (piece > end - at) {
			piece = end - at;
		}
		if (!shim_pmp_allows(pmp, at, piece, access, priv)) {
			return false;
		}
		at += piece;
	}
	return true;
}

mon_err_t hal_untrusted_read(hart_t hart, paddr_t src, void *dst, size_t len)
{
	struct shim_world *w = world();
	struct shim_hart *h = hart_of(hart);

	if (shim_world_fault(w, SHIM_FAULT_UNTRUSTED_READ)) {
		return MON_ERR_FAULT;
	}
	if (len == 0) {
		return MON_OK;
	}
	if (!access_ok(h, &w->mem, pa_addr(src), len, SHIM_ACCESS_READ, SHIM_PRIV_S)) {
		return MON_ERR_FAULT;
	}
	if (!shim_mem_read(&w->mem, pa_addr(src), dst, len)) {
		return MON_ERR_FAULT;
	}
	shim_track_write(dst, len); /* the monitor's buffer */
	return MON_OK;
}

mon_err_t hal_untrusted_write(hart_t hart, paddr_t dst, const void *src, size_t len)
{
	struct shim_world *w = world();
	struct shim_hart *h = hart_of(hart);

	if (shim_world_fault(w, SHIM_FAULT_UNTRUSTED_WRITE)) {
		return MON_ERR_FAULT;
	}
	if (len == 0) {
		return MON_OK;
	}
	if (!access_ok(h, &w->mem, pa_addr(dst), len, SHIM_ACCESS_WRITE, SHIM_PRIV_S)) {
		return MON_ERR_FAULT;
	}
	return shim_mem_write(&w->mem, pa_addr(dst), src, len) ? MON_OK : MON_ERR_FAULT;
}

/*
 * The monitor's own accesses on the hart whose trap it handles: with Smepmp
 * MML (or a locked rule) the PMP binds M-mode, and a mapping it forbids is
 * a monitor bug that hardware would turn into an access fault in M-mode.
 */
static void check_mon_access(struct shim_world *w, uint64_t pa, size_t len, enum shim_access access,
			     const char *what)
{
	if (w->in_monitor < 0 || (unsigned int)w->in_monitor >= w->cfg.harts) {
		return; /* boot: the monitor has not written any PMP yet */
	}
	if (!access_ok(&w->hart[w->in_monitor], &w->mem, pa, len, access, SHIM_PRIV_M)) {
		hal_panic(what);
	}
}

void *hal_mon_map(paddr_t pa, size_t len)
{
	struct shim_world *w = world();
	/* With exact line sets each store through the pointer is reported (shim/track.h):
	 * marking the whole range would make the reset and the oracle redo lines never
	 * written. Otherwise the range counts as written. */
	uint8_t *p = shim_mem_ptr(&w->mem, pa_addr(pa), len, !w->mem.lines_exact);

	if (!p) {
		hal_panic("hal_mon_map of a range that is not RAM");
	}
	check_mon_access(w, pa_addr(pa), len, SHIM_ACCESS_WRITE,
			 "hal_mon_map of a range the PMP closes to M-mode");
	/* The monitor takes the page: usable again if an oracle had poisoned it. */
	shim_mem_unpoison(&world()->mem, pa_addr(pa), len);
	return p;
}

const void *hal_mon_map_ro(paddr_t pa, size_t len)
{
	struct shim_world *w = world();
	const uint8_t *p = shim_mem_ptr(&w->mem, pa_addr(pa), len, false);

	if (!p) {
		hal_panic("hal_mon_map_ro of a range that is not RAM");
	}
	check_mon_access(w, pa_addr(pa), len, SHIM_ACCESS_READ,
			 "hal_mon_map_ro of a range the PMP closes to M-mode");
	shim_mem_unpoison(&world()->mem, pa_addr(pa), len);
	return p;
}

/* ------------------------------------------------------------ fences --- */

void hal_fence(hart_t self, hartmask_t targets, const struct hal_fence *fence)
{
	struct shim_world *w = world();

	(void)hart_of(self);
	for (unsigned int i = 0; i < w->cfg.harts; i++) {
		struct shim_tlb *tlb = &w->hart[i].tlb;

		if (!((targets >> i) & 1) || !w->hart[i].running) {
			continue;
		}
		switch (fence->kind) {
		case HAL_FENCE_GVMA_ALL: shim_tlb_fence_gvma(tlb, false, 0, false, 0); break;
		case HAL_FENCE_GVMA_VMID:
			shim_tlb_fence_gvma(tlb, true, fence->vmid, false, 0);
			break;
		case HAL_FENCE_GVMA_GPA: {
			/*
			 * One hfence.gvma per 4 KiB page, as the firmware does; past
			 * HAL_FENCE_RANGE_MAX_PAGES both fall back to the whole VMID.
			 */
			uint64_t pages = (fence->size + MON_PAGE_SIZE - 1) / MON_PAGE_SIZE;
			if (pages == 0 || pages > HAL_FENCE_RANGE_MAX_PAGES) {
				shim_tlb_fence_gvma(tlb, true, fence->vmid, false, 0);
				break;
			}
			for (uint64_t p = 0; p < pages; p++) {
				shim_tlb_fence_gvma(tlb, true, fence->vmid, true,
						    fence->addr + p * MON_PAGE_SIZE);
			}
			break;
		}
		case HAL_FENCE_VVMA_VMID:
		case HAL_FENCE_I:
			/* The shim caches neither VS-stage translations nor instructions. */
			break;
		}
	}
}

/* ------------------------------------------------------ world switch --- */

void hal_csr_load(hart_t hart, const struct hal_csr_image *img)
{
	struct shim_csrs *c = &hart_of(hart)->csr;

	c->medeleg = img->medeleg;
	c->mideleg = img->mideleg;
	c->mie = img->mie;
	c->mcounteren = img->mcounteren;
	c->menvcfg = img->menvcfg;
	c->stvec = img->stvec;
	c->sscratch = img->sscratch;
	c->sepc = img->sepc;
	c->scause = img->scause;
	c->stval = img->stval;
	c->satp = img->satp;
	c->scounteren = img->scounteren;
	c->senvcfg = img->senvcfg;
	c->stimecmp = img->stimecmp;
	c->hstatus = img->hstatus;
	c->hedeleg = img->hedeleg;
	c->hideleg = img->hideleg;
	c->hvip = img->hvip;
	c->hcounteren = img->hcounteren;
	c->hgeie = img->hgeie;
	c->htval = img->htval;
	c->htinst = img->htinst;
	c->henvcfg = img->henvcfg;
	c->htimedelta = img->htimedelta;
	c->vsstatus = img->vsstatus;
	c->vstvec = img->vstvec;
	c->vsscratch = img->vsscratch;
	c->vsepc = img->vsepc;
	c->vscause = img->vscause;
	c->vstval = img->vstval;
	c->vsatp = img->vsatp;
	c->vstimecmp = img->vstimecmp;
	/* hgatp goes through its WARL rules, as csrw would. */
	(void)shim_csr_write(hart_of(hart), SHIM_CSR_HGATP, img->hgatp);
	shim_world_update_timers(world());
}

void hal_csr_save(hart_t hart, struct hal_csr_image *img)
{
	const struct shim_csrs *c = &hart_of(hart)->csr;

	memset(img, 0, sizeof(*img));
	img->medeleg = c->medeleg;
	img->mideleg = c->mideleg;
	img->mie = c->mie;
	img->mcounteren = c->mcounteren;
	img->menvcfg = c->menvcfg;
	img->stvec = c->stvec;
	img->sscratch = c->sscratch;
	img->sepc = c->sepc;
	img->scause = c->scause;
	img->stval = c->stval;
	img->satp = c->satp;
	img->scounteren = c->scounteren;
	img->senvcfg = c->senvcfg;
	img->stimecmp = c->stimecmp;
	img->hstatus = c->hstatus;
	img->hedeleg = c->hedeleg;
	img->hideleg = c->hideleg;
	img->hvip = c->hvip;
	img->hcounteren = c->hcounteren;
	img->hgeie = c->hgeie;
	img->htval = c->htval;
	img->htinst = c->htinst;
	img->hgatp = c->hgatp;
	img->henvcfg = c->henvcfg;
	img->htimedelta = c->htimedelta;
	img->vsstatus = c->vsstatus;
	img->vstvec = c->vstvec;
	img->vsscratch = c->vsscratch;
	img->vsepc = c->vsepc;
	img->vscause = c->vscause;
	img->vstval = c->vstval;
	img->vsatp = c->vsatp;
	img->vstimecmp = c->vstimecmp;
	img->fp_valid = 0; /* the shim's harts have no F/D */
	shim_track_write(img, sizeof(*img));
}

/* ------------------------------------------------- interrupts, time --- */

void hal_ipi_send(hart_t self, hart_t target)
{
	(void)hart_of(self);
	(void)hart_of(target);
	shim_world_send_ipi(world(), target);
}

void hal_ipi_clear(hart_t hart)
{
	(void)hart_of(hart);
	shim_world_set_irq(world(), hart, SHIM_IRQ_MSI, false);
}

uint64_t hal_time_now(void)
{
	return world()->mtime;
}

void hal_timer_set(hart_t hart, uint64_t deadline)
{
	hart_of(hart)->csr.mtimecmp = deadline;
	shim_world_update_timers(world());
}

/* ------------------------------------------------------------- misc --- */

mon_err_t hal_entropy(void *buf, size_t len)
{
	struct shim_world *w = world();
	uint8_t *out = buf;

	if (shim_world_fault(w, SHIM_FAULT_ENTROPY)) {
		return MON_ERR_FAILED;
	}
	/* Deterministic (xorshift64*): fuzz runs must replay exactly. */
	for (size_t i = 0; i < len; i++) {
		uint64_t x = w->entropy_state;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		w->entropy_state = x;
		out[i] = (uint8_t)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 56);
	}
	shim_track_write(buf, len);
	return MON_OK;
}

bool hal_alloc_should_fail(hart_t hart)
{
	(void)hart_of(hart);
	return shim_world_fault(world(), SHIM_FAULT_ALLOC);
}

void hal_console_write(const char *s, size_t len)
{
	struct shim_world *w = world();
	size_t room = SHIM_CONSOLE_SIZE - w->console_len;
	size_t n = len < room ? len : room;

	memcpy(w->console + w->console_len, s, n);
	w->console_len += n;
	if (getenv("COVEMON_SHIM_CONSOLE")) {
		fwrite(s, 1, len, stderr);
	}
}

_Noreturn void hal_panic(const char *msg)
{
	fprintf(stderr, "covemon: monitor panic: %s\n", msg);
	fflush(stderr);
	abort();
}
