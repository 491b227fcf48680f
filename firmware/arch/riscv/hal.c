// SPDX-License-Identifier: BSD-2-Clause
/*
 * monitor/include/covemon/hal.h on real harts (QEMU virt): PMP and CSR images
 * through CSR instructions, untrusted memory through a fault-recovering copy,
 * fences and IPIs through the ACLINT and the per-hart request mailbox
 * (fw_request, sbi.c), mtime/mtimecmp for time.
 */
#include "covemon/hal.h"

#include <stddef.h>

#include "csr.h"
#include "fw.h"
#include "hart.h"
#include "platform.h"

/* ---------------------------------------------------------------- PMP --- */

#define PMP_CASE_W(n)                     \
	case n:                           \
		csr_write(pmpaddr##n, v); \
		break;
#define PMP_CASE_R(n) \
	case n:       \
		return csr_read(pmpaddr##n);
#define PMP_ALL(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void pmpaddr_write(unsigned int i, uint64_t v)
{
	switch (i) {
		PMP_ALL(PMP_CASE_W) default : break;
	}
}

static uint64_t pmpaddr_read(unsigned int i)
{
	switch (i) {
		PMP_ALL(PMP_CASE_R) default : return 0;
	}
}

static void pmpcfg_write(unsigned int reg, uint64_t v)
{
	if (reg == 0) {
		csr_write(pmpcfg0, v);
	} else {
		csr_write(pmpcfg2, v);
	}
}

static uint64_t pmpcfg_read(unsigned int reg)
{
	return reg == 0 ? csr_read(pmpcfg0) : csr_read(pmpcfg2);
}

_Static_assert(PLAT_PMP_ENTRIES == 16, "pmpcfg0 and pmpcfg2 hold every entry");

unsigned int hal_pmp_count(hart_t hart)
{
	(void)hart;
	return PLAT_PMP_ENTRIES;
}

static void require_self(hart_t hart, const char *what)
{
	if (hart != fw_hartid()) {
		hal_panic(what);
	}
}

#define PMPADDR_MASK ((UINT64_C(1) << 54) - 1)

static uint8_t cfg_byte(const uint64_t cfg[2], unsigned int i)
{
	return (uint8_t)(cfg[i / 8] >> (8 * (i % 8)));
}

mon_err_t hal_pmp_write(hart_t hart, const struct hal_pmp_layout *layout)
{
	uint64_t cfg[2] = { 0, 0 };
	uint64_t addr[PLAT_PMP_ENTRIES];
	uint64_t old[2] = { pmpcfg_read(0), pmpcfg_read(1) };
	uint64_t keep[2] = { 0, 0 };

	require_self(hart, "hal_pmp_write for another hart");
	if (layout->count > PLAT_PMP_ENTRIES) {
		return MON_ERR_DENIED_LOCKED;
	}
	for (unsigned int i = 0; i < PLAT_PMP_ENTRIES; i++) {
		addr[i] = i < layout->count ? layout->entry[i].addr & PMPADDR_MASK : 0;
		if (i < layout->count) {
			cfg[i / 8] |= (uint64_t)layout->entry[i].cfg << (8 * (i % 8));
		}
	}
	/*
	 * Entries that keep their whole value (cfg, address, and a TOR entry's
	 * base) stay on throughout; every other entry is OFF while its address
	 * changes, so no half-written rule is ever in force and, under Smepmp
	 * MML, M-mode never loses the rule it executes under.
	 */
	for (unsigned int i = 0; i < PLAT_PMP_ENTRIES; i++) {
		uint8_t c = cfg_byte(cfg, i);
		bool same = c == cfg_byte(old, i) && pmpaddr_read(i) == addr[i] &&
			    ((c & HAL_PMP_A_MASK) != HAL_PMP_A_TOR || i == 0 ||
			     pmpaddr_read(i - 1) == addr[i - 1]);
		keep[i / 8] |= same ? (uint64_t)c << (8 * (i % 8)) : 0;
	}
	/* RLB before the entries: the monitor's own locked rules stay writable. */
	if (layout->mseccfg & HAL_MSECCFG_RLB) {
		csr_set(CSR_MSECCFG, HAL_MSECCFG_RLB);
	}
	pmpcfg_write(0, keep[0]);
	pmpcfg_write(1, keep[1]);
	for (unsigned int i = 0; i < PLAT_PMP_ENTRIES; i++) {
		pmpaddr_write(i, addr[i]);
	}
	pmpcfg_write(0, cfg[0]);
	pmpcfg_write(1, cfg[1]);
	if (layout->mseccfg) {
		csr_write(CSR_MSECCFG, layout->mseccfg);
	}
	mon_err_t err = MON_OK;
	if (pmpcfg_read(0) != cfg[0] || pmpcfg_read(1) != cfg[1]) {
		err = MON_ERR_DENIED_LOCKED;
	}
	for (unsigned int i = 0; i < PLAT_PMP_ENTRIES && err == MON_OK; i++) {
		/* Granularity is 4 bytes on QEMU virt: every address reads back as written. */
		if (pmpaddr_read(i) != addr[i]) {
			err = MON_ERR_DENIED_LOCKED;
		}
	}
	if (layout->mseccfg && (csr_read(CSR_MSECCFG) & layout->mseccfg) != layout->mseccfg) {
		err = MON_ERR_DENIED_LOCKED;
	}
	fw_sfence_vma();
	fw_hfence_gvma_all();
	fw_hfence_vvma_all();
	return err;
}

/* ------------------------------------------------------------ memory --- */

mon_err_t hal_untrusted_read(hart_t hart, paddr_t src, void *dst, size_t len)
{
	(void)hart;
	return fw_copy_from_host(dst, (const void *)(uintptr_t)pa_addr(src), len) ? MON_ERR_FAULT
										  : MON_OK;
}

mon_err_t hal_untrusted_write(hart_t hart, paddr_t dst, const void *src, size_t len)
{
	(void)hart;
	return fw_copy_to_host((void *)(uintptr_t)pa_addr(dst), src, len) ? MON_ERR_FAULT : MON_OK;
}

void *hal_mon_map(paddr_t pa, size_t len)
{
	if (!fw_is_ram(pa_addr(pa), len)) {
		hal_panic("hal_mon_map outside RAM");
	}
	return (void *)(uintptr_t)pa_addr(pa);
}

const void *hal_mon_map_ro(paddr_t pa, size_t len)
{
	return hal_mon_map(pa, len);
}

/* ------------------------------------------------------------ fences --- */

void fw_do_mon_fence(unsigned int kind, uint16_t vmid, uint64_t addr, uint64_t size)
{
	switch (kind) {
	case HAL_FENCE_GVMA_ALL: fw_hfence_gvma_all(); break;
	case HAL_FENCE_GVMA_VMID: fw_hfence_gvma_vmid(vmid); break;
	case HAL_FENCE_GVMA_GPA:
		if (size / MON_PAGE_SIZE > HAL_FENCE_RANGE_MAX_PAGES) {
			fw_hfence_gvma_vmid(vmid);
			break;
		}
		for (uint64_t off = 0; off < size; off += MON_PAGE_SIZE) {
			fw_hfence_gvma_gpa((addr + off) >> 2, vmid);
		}
		break;
	case HAL_FENCE_VVMA_VMID: {
		/* hfence.vvma acts on the VMID in hgatp: borrow it for the fence. */
		uint64_t saved = csr_read(hgatp);
		csr_write(hgatp, (uint64_t)vmid << 44);
		fw_hfence_vvma_all();
		csr_write(hgatp, saved);
		break;
	}
	case HAL_FENCE_I: fw_fence_i(); break;
	default: hal_panic("unknown fence");
	}
}

void hal_fence(hart_t self, hartmask_t targets, const struct hal_fence *fence)
{
	struct fw_request req = {
		.bits = FW_REQ_MON,
		.mon_kind = (uint8_t)fence->kind,
		.mon_vmid = fence->vmid,
		.mon_addr = fence->addr,
		.mon_size = fence->size,
	};

	for (hart_t h = 0; h < FW_MAX_HARTS; h++) {
		if (!(targets & ((hartmask_t)1 << h))) {
			continue;
		}
		if (h == self) {
			fw_do_mon_fence(fence->kind, fence->vmid, fence->addr, fence->size);
		} else {
			fw_request(self, h, &req, true);
		}
	}
}

/* ------------------------------------------------------ world switch --- */

/*
 * The CSRs of a context, one list for loading and saving (so the two cannot
 * drift apart): X(field of struct hal_csr_image, CSR). stimecmp and
 * vstimecmp exist only with Sstc; FP is not switched (guests run with FS
 * off, monitor/src/run.c).
 */
/* clang-format off */
#define CONTEXT_CSRS(X) \
	X(medeleg, medeleg) \
	X(mideleg, mideleg) \
	X(mie, mie) \
	X(mcounteren, mcounteren) \
	X(menvcfg, CSR_MENVCFG) \
	X(stvec, stvec) \
	X(sscratch, sscratch) \
	X(sepc, sepc) \
	X(scause, scause) \
	X(stval, stval) \
	X(satp, satp) \
	X(scounteren, scounteren) \
	X(senvcfg, CSR_SENVCFG) \
	X(hstatus, hstatus) \
	X(hedeleg, hedeleg) \
	X(hideleg, hideleg) \
	X(hvip, hvip) \
	X(hcounteren, hcounteren) \
	X(hgeie, hgeie) \
	X(htval, htval) \
	X(htinst, htinst) \
	X(hgatp, hgatp) \
	X(henvcfg, CSR_HENVCFG) \
	X(htimedelta, htimedelta) \
	X(vsstatus, vsstatus) \
	X(vstvec, vstvec) \
	X(vsscratch, vsscratch) \
	X(vsepc, vsepc) \
	X(vscause, vscause) \
	X(vstval, vstval) \
	X(vsatp, vsatp)
#define SSTC_CSRS(X) X(stimecmp, CSR_STIMECMP) X(vstimecmp, CSR_VSTIMECMP)
/* clang-format on */

/* Every field of the image is in a list above, except the FP registers. */
#define COUNT_ONE(field, csr) +1
_Static_assert(sizeof(struct hal_csr_image) ==
		       8 * (0 CONTEXT_CSRS(COUNT_ONE) SSTC_CSRS(COUNT_ONE)) +
			       offsetof(struct hal_csr_image, f) +
			       sizeof(((struct hal_csr_image *)0)->f) -
			       offsetof(struct hal_csr_image, fp_valid),
	       "CONTEXT_CSRS and SSTC_CSRS cover struct hal_csr_image");

#define LOAD_ONE(field, csr)  csr_write(csr, im->field);
#define SAVE_ONE(field, csr)  im->field = csr_read(csr);
#define SAVE_NONE(field, csr) im->field = UINT64_MAX;

void hal_csr_load(hart_t hart, const struct hal_csr_image *im)
{
	require_self(hart, "hal_csr_load for another hart");
	CONTEXT_CSRS(LOAD_ONE)
	if (fw_has_sstc) {
		SSTC_CSRS(LOAD_ONE)
	}
}

void hal_csr_save(hart_t hart, struct hal_csr_image *im)
{
	require_self(hart, "hal_csr_save for another hart");
	CONTEXT_CSRS(SAVE_ONE)
	if (fw_has_sstc) {
		SSTC_CSRS(SAVE_ONE)
	} else {
		SSTC_CSRS(SAVE_NONE)
	}
	im->fp_valid = 0;
}

/* ------------------------------------------------- interrupts, time --- */

void hal_ipi_send(hart_t self, hart_t target)
{
	(void)self;
	if (target < FW_MAX_HARTS) {
		((volatile uint32_t *)PLAT_MSWI_BASE)[target] = 1;
	}
}

void hal_ipi_clear(hart_t hart)
{
	((volatile uint32_t *)PLAT_MSWI_BASE)[hart] = 0;
}

uint64_t hal_time_now(void)
{
	return *(volatile uint64_t *)PLAT_MTIME;
}

void hal_timer_set(hart_t hart, uint64_t deadline)
{
	((volatile uint64_t *)PLAT_MTIMECMP_BASE)[hart] = deadline;
}

/* ------------------------------------------------------------- misc --- */

mon_err_t hal_entropy(void *buf, size_t len)
{
	return fw_entropy(buf, len);
}

bool hal_alloc_should_fail(hart_t hart)
{
	(void)hart;
	return false;
}

void hal_console_write(const char *s, size_t len)
{
	uart_write(s, len);
}

_Noreturn void hal_panic(const char *msg)
{
	uart_puts("covemon: PANIC: ");
	uart_puts(msg);
	uart_puts("\n");
	plat_exit(0x7f);
}
