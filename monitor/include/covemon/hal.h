/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hardware abstraction layer: the only way the monitor core reaches
 * hardware. Implemented twice and chosen at link time (no weak symbols, no
 * function-pointer tables):
 *   firmware/arch/riscv/hal.c   real CSRs, real memory, ACLINT
 *   host-shim/src/hal.c         the emulated machine of the host shim
 *
 * Rules of the contract (DESIGN.md section 2):
 * - Values, not registers: the core computes PMP layouts and CSR images as
 *   plain data; the HAL applies them.
 * - The core never switches worlds; it returns an action to the arch layer.
 * - Every function takes the hart it acts for (or on) explicitly. A function
 *   that changes per-hart hardware state (PMP, CSR image, timer) must be
 *   called for the hart that is executing the monitor; the firmware HAL
 *   panics otherwise.
 * - Untrusted memory can fail: hal_untrusted_read/write return an error on a
 *   fault instead of trapping. Policy checks (is this range host memory?)
 *   belong to the core's memaccess module; the HAL only reports what the
 *   hardware did.
 */
#pragma once

#include "covemon/err.h"
#include "covemon/types.h"

/* ---------------------------------------------------------------- PMP --- */

/** Most PMP entries the privileged spec allows. */
#define HAL_PMP_MAX 64

/* pmpcfg byte fields (privileged spec, "Physical Memory Protection"). */
#define HAL_PMP_R	0x01u
#define HAL_PMP_W	0x02u
#define HAL_PMP_X	0x04u
#define HAL_PMP_A_MASK	0x18u
#define HAL_PMP_A_OFF	0x00u
#define HAL_PMP_A_TOR	0x08u
#define HAL_PMP_A_NA4	0x10u
#define HAL_PMP_A_NAPOT 0x18u
#define HAL_PMP_L	0x80u

/* mseccfg bits (Smepmp). */
#define HAL_MSECCFG_MML	 0x1u
#define HAL_MSECCFG_MMWP 0x2u
#define HAL_MSECCFG_RLB	 0x4u

/** One PMP entry as the registers hold it: pmpaddr (address >> 2) and cfg. */
struct hal_pmp_entry {
	uint64_t addr;
	uint8_t cfg;
};

/**
 * A complete PMP image of one hart. Entries [0, count) are written as given;
 * every other implemented entry is written OFF with address 0. mseccfg's
 * RLB bit is written before the entries (so locked entries stay writable)
 * and the whole value after them (MML and MMWP are sticky in hardware).
 */
struct hal_pmp_layout {
	unsigned int count;
	uint64_t mseccfg;
	struct hal_pmp_entry entry[HAL_PMP_MAX];
};

/**
 * Writes the whole PMP of @hart (never a read-modify-write of single bits),
 * such that no entry is ever in force with half its new value and an entry
 * that keeps its value never goes off (with Smepmp MML, M-mode executes only
 * under its code rule), reads every entry back, and flushes the
 * address-translation caches that
 * may hold PMP results (sfence.vma + hfence.gvma + hfence.vvma, as the
 * privileged spec requires after a PMP change).
 *
 * Returns MON_OK, or MON_ERR_DENIED_LOCKED when an entry did not take the
 * value written (locked by an earlier boot stage, or @layout uses more
 * entries than the hart implements). The caller must treat that hart as
 * unusable for confidential work.
 */
MON_WUR mon_err_t hal_pmp_write(hart_t hart, const struct hal_pmp_layout *layout);

/** Number of PMP entries @hart implements (0..HAL_PMP_MAX). */
unsigned int hal_pmp_count(hart_t hart);

/* ------------------------------------------------------------ memory --- */

/**
 * Copies @len bytes of untrusted memory (host or guest physical memory that
 * the core has already validated as such) at @src into monitor memory.
 * The untrusted side is accessed with the rights of S-mode under the hart's
 * current PMP (on hardware: mstatus.MPRV with MPP = S and bare translation),
 * so an address the PMP closes to the host faults even if a check in the
 * core missed it. The core calls it only under the host's layout.
 * Returns MON_OK, or MON_ERR_FAULT when the access faulted (no memory there,
 * a bus error, a device hole, the PMP); @dst may then hold part of the data
 * and must not be used.
 */
MON_WUR mon_err_t hal_untrusted_read(hart_t hart, paddr_t src, void *dst, size_t len);

/** As hal_untrusted_read, in the other direction. A fault may leave a prefix written. */
MON_WUR mon_err_t hal_untrusted_write(hart_t hart, paddr_t dst, const void *src, size_t len);

/**
 * Returns a writable pointer to monitor-owned physical memory
 * [@pa, @pa + @len): the monitor's data region or confidential memory.
 * Mapping a range that is not RAM is a monitor bug and panics; so is, in
 * the host shim, mapping a range the hart's PMP closes to M-mode (the shim
 * checks what Smepmp enforces on hardware).
 *
 * A pointer obtained during mon_boot may be kept for the life of the
 * monitor. Any other pointer must not be kept past the return of the entry
 * point that mapped it: the host shim tracks the pages written through
 * mappings so that it can reset a world by restoring only those.
 */
void *hal_mon_map(paddr_t pa, size_t len);

/** Read-only variant of hal_mon_map; reading does not mark pages written. */
const void *hal_mon_map_ro(paddr_t pa, size_t len);

/* ------------------------------------------------------------ fences --- */

enum hal_fence_kind {
	HAL_FENCE_GVMA_ALL,  /* hfence.gvma x0, x0: every VMID, every GPA */
	HAL_FENCE_GVMA_VMID, /* hfence.gvma x0, vmid: every GPA of one VMID */
	HAL_FENCE_GVMA_GPA,  /* hfence.gvma for [addr, addr + size) of one VMID */
	HAL_FENCE_VVMA_VMID, /* hfence.vvma for the VS-stage of one VMID (hgatp.VMID = vmid) */
	HAL_FENCE_I,	     /* fence.i */
};

/** A GPA-range fence longer than this many pages fences the whole VMID instead. */
#define HAL_FENCE_RANGE_MAX_PAGES 64

struct hal_fence {
	enum hal_fence_kind kind;
	uint16_t vmid;
	uint64_t addr; /* GPA, HAL_FENCE_GVMA_GPA only */
	uint64_t size; /* bytes, HAL_FENCE_GVMA_GPA only */
};

/**
 * Performs @fence on every hart in @targets (which may include @self) and
 * returns only when every one of them has completed it: a synchronous TLB
 * shootdown. Harts that are not running (HSM stopped) are skipped; they
 * flush when they start.
 */
void hal_fence(hart_t self, hartmask_t targets, const struct hal_fence *fence);

/* ------------------------------------------------------ world switch --- */

/**
 * The CSR state of one execution context on a hart: the host (HS/U) or a
 * vCPU (VS/VU). The core builds and keeps these as data; the HAL moves them
 * into and out of the hart. Views (sstatus, sie, sip, hip, vsip, vsie) are not
 * listed: they are parts of the registers below. mepc and mstatus are not
 * here either: they belong to the trap frame, which the arch layer writes
 * back last on the way out of the monitor (they decide where mret goes).
 */
struct hal_csr_image {
	/* Machine-level state that differs per context. */
	uint64_t medeleg;
	uint64_t mideleg;
	uint64_t mie;
	uint64_t mcounteren;
	uint64_t menvcfg;
	/* Supervisor (HS) */
	uint64_t stvec;
	uint64_t sscratch;
	uint64_t sepc;
	uint64_t scause;
	uint64_t stval;
	uint64_t satp;
	uint64_t scounteren;
	uint64_t senvcfg;
	uint64_t stimecmp; /* Sstc */
	/* Hypervisor */
	uint64_t hstatus;
	uint64_t hedeleg;
	uint64_t hideleg;
	uint64_t hvip;
	uint64_t hcounteren;
	uint64_t hgeie;
	uint64_t htval;
	uint64_t htinst;
	uint64_t hgatp;
	uint64_t henvcfg;
	uint64_t htimedelta;
	/* Virtual supervisor */
	uint64_t vsstatus;
	uint64_t vstvec;
	uint64_t vsscratch;
	uint64_t vsepc;
	uint64_t vscause;
	uint64_t vstval;
	uint64_t vsatp;
	uint64_t vstimecmp; /* Sstc */
	/* Floating point, when the hart has F/D (fp_valid set by hal_csr_save). */
	uint64_t fp_valid;
	uint64_t fcsr;
	uint64_t f[32];
};

/** Loads @image into @hart's CSRs (and FP registers when image->fp_valid). */
void hal_csr_load(hart_t hart, const struct hal_csr_image *image);

/** Saves @hart's CSRs (and FP registers when present) into @image. */
void hal_csr_save(hart_t hart, struct hal_csr_image *image);

/* ------------------------------------------------- interrupts, time --- */

/** Sends a machine software interrupt (MSIP) to @target. */
void hal_ipi_send(hart_t self, hart_t target);

/** Clears @hart's pending machine software interrupt. */
void hal_ipi_clear(hart_t hart);

/** The platform timer (mtime), in ticks. */
uint64_t hal_time_now(void);

/** Sets @hart's machine timer compare; UINT64_MAX disables it. */
void hal_timer_set(hart_t hart, uint64_t deadline);

/* ------------------------------------------------------------- misc --- */

/**
 * Fills @buf with @len bytes from the platform entropy source.
 * Returns MON_OK or MON_ERR_FAILED when no entropy could be had.
 */
MON_WUR mon_err_t hal_entropy(void *buf, size_t len);

/**
 * Test seam for the monitor's error paths: true when this allocation must
 * fail as if the pool were exhausted. The firmware HAL always answers false;
 * the host shim answers from the fault plan of the fuzz input, so that every
 * allocation failure path is exercised (and checked to leave no trace).
 */
bool hal_alloc_should_fail(hart_t hart);

/** Writes @len bytes to the monitor's console (may drop output, never fails). */
void hal_console_write(const char *s, size_t len);

/**
 * Stops the machine: a monitor invariant is broken. Never reachable from
 * host or guest input; the fuzzers treat a call as a crash.
 */
_Noreturn void hal_panic(const char *msg);
