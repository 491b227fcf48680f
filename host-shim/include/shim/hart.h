/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One emulated hart: privilege mode, GPRs, the CSRs the monitor uses, its
 * PMP and its TLB, and the trap/return mechanics of the privileged spec
 * (trap entry into M, HS or VS according to medeleg/mideleg and
 * hedeleg/hideleg; mret/sret). No instructions are executed: callers act on
 * a hart through the world's access API (host-shim/include/shim/world.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "shim/pmp.h"
#include "shim/tlb.h"

/** Privilege mode including virtualization (V) state. */
enum shim_mode {
	SHIM_MODE_U,  /* U, V=0 */
	SHIM_MODE_HS, /* S, V=0 */
	SHIM_MODE_M,
	SHIM_MODE_VU, /* U, V=1 */
	SHIM_MODE_VS, /* S, V=1 */
};

/* mstatus fields used by the shim (privileged spec, "Machine Status"). */
#define SHIM_MSTATUS_SIE       (UINT64_C(1) << 1)
#define SHIM_MSTATUS_MIE       (UINT64_C(1) << 3)
#define SHIM_MSTATUS_SPIE      (UINT64_C(1) << 5)
#define SHIM_MSTATUS_MPIE      (UINT64_C(1) << 7)
#define SHIM_MSTATUS_SPP       (UINT64_C(1) << 8)
#define SHIM_MSTATUS_MPP_SHIFT 11
#define SHIM_MSTATUS_MPP       (UINT64_C(3) << 11)
#define SHIM_MSTATUS_MPRV      (UINT64_C(1) << 17)
#define SHIM_MSTATUS_GVA       (UINT64_C(1) << 38)
#define SHIM_MSTATUS_MPV       (UINT64_C(1) << 39)
/* hstatus fields */
#define SHIM_HSTATUS_GVA  (UINT64_C(1) << 6)
#define SHIM_HSTATUS_SPV  (UINT64_C(1) << 7)
#define SHIM_HSTATUS_SPVP (UINT64_C(1) << 8)

/* hgatp / satp MODE values */
#define SHIM_ATP_MODE_SHIFT   60
#define SHIM_ATP_MODE_BARE    0u
#define SHIM_ATP_MODE_SV39    8u
#define SHIM_ATP_MODE_SV48    9u
#define SHIM_ATP_MODE_SV57    10u
#define SHIM_HGATP_VMID_SHIFT 44
#define SHIM_ATP_PPN_MASK     ((UINT64_C(1) << 44) - 1)

/* Exception causes (privileged spec, mcause table). */
enum shim_cause {
	SHIM_CAUSE_FETCH_MISALIGNED = 0,
	SHIM_CAUSE_FETCH_ACCESS = 1,
	SHIM_CAUSE_ILLEGAL_INSN = 2,
	SHIM_CAUSE_BREAKPOINT = 3,
	SHIM_CAUSE_LOAD_MISALIGNED = 4,
	SHIM_CAUSE_LOAD_ACCESS = 5,
	SHIM_CAUSE_STORE_MISALIGNED = 6,
	SHIM_CAUSE_STORE_ACCESS = 7,
	SHIM_CAUSE_ECALL_U = 8,
	SHIM_CAUSE_ECALL_HS = 9,
	SHIM_CAUSE_ECALL_VS = 10,
	SHIM_CAUSE_ECALL_M = 11,
	SHIM_CAUSE_FETCH_PAGE = 12,
	SHIM_CAUSE_LOAD_PAGE = 13,
	SHIM_CAUSE_STORE_PAGE = 15,
	SHIM_CAUSE_FETCH_GUEST_PAGE = 20,
	SHIM_CAUSE_LOAD_GUEST_PAGE = 21,
	SHIM_CAUSE_VIRTUAL_INSN = 22,
	SHIM_CAUSE_STORE_GUEST_PAGE = 23,
};

#define SHIM_CAUSE_INTERRUPT (UINT64_C(1) << 63)

/* Interrupt numbers (mip/mie bits). */
enum shim_irq {
	SHIM_IRQ_SSI = 1,
	SHIM_IRQ_VSSI = 2,
	SHIM_IRQ_MSI = 3,
	SHIM_IRQ_STI = 5,
	SHIM_IRQ_VSTI = 6,
	SHIM_IRQ_MTI = 7,
	SHIM_IRQ_SEI = 9,
	SHIM_IRQ_VSEI = 10,
	SHIM_IRQ_MEI = 11,
	SHIM_IRQ_SGEI = 12,
};

/* CSR numbers the shim implements (privileged spec, CSR listing). */
enum shim_csr_num {
	SHIM_CSR_SSTATUS = 0x100,
	SHIM_CSR_SIE = 0x104,
	SHIM_CSR_STVEC = 0x105,
	SHIM_CSR_SCOUNTEREN = 0x106,
	SHIM_CSR_SENVCFG = 0x10A,
	SHIM_CSR_SSCRATCH = 0x140,
	SHIM_CSR_SEPC = 0x141,
	SHIM_CSR_SCAUSE = 0x142,
	SHIM_CSR_STVAL = 0x143,
	SHIM_CSR_SIP = 0x144,
	SHIM_CSR_STIMECMP = 0x14D,
	SHIM_CSR_SATP = 0x180,
	SHIM_CSR_VSSTATUS = 0x200,
	SHIM_CSR_VSIE = 0x204,
	SHIM_CSR_VSTVEC = 0x205,
	SHIM_CSR_VSSCRATCH = 0x240,
	SHIM_CSR_VSEPC = 0x241,
	SHIM_CSR_VSCAUSE = 0x242,
	SHIM_CSR_VSTVAL = 0x243,
	SHIM_CSR_VSIP = 0x244,
	SHIM_CSR_VSTIMECMP = 0x24D,
	SHIM_CSR_VSATP = 0x280,
	SHIM_CSR_MSTATUS = 0x300,
	SHIM_CSR_MISA = 0x301,
	SHIM_CSR_MEDELEG = 0x302,
	SHIM_CSR_MIDELEG = 0x303,
	SHIM_CSR_MIE = 0x304,
	SHIM_CSR_MTVEC = 0x305,
	SHIM_CSR_MCOUNTEREN = 0x306,
	SHIM_CSR_MENVCFG = 0x30A,
	SHIM_CSR_MSCRATCH = 0x340,
	SHIM_CSR_MEPC = 0x341,
	SHIM_CSR_MCAUSE = 0x342,
	SHIM_CSR_MTVAL = 0x343,
	SHIM_CSR_MIP = 0x344,
	SHIM_CSR_MTINST = 0x34A,
	SHIM_CSR_MTVAL2 = 0x34B,
	SHIM_CSR_PMPCFG0 = 0x3A0,
	SHIM_CSR_PMPADDR0 = 0x3B0,
	SHIM_CSR_HSTATUS = 0x600,
	SHIM_CSR_HEDELEG = 0x602,
	SHIM_CSR_HIDELEG = 0x603,
	SHIM_CSR_HIE = 0x604,
	SHIM_CSR_HTIMEDELTA = 0x605,
	SHIM_CSR_HCOUNTEREN = 0x606,
	SHIM_CSR_HGEIE = 0x607,
	SHIM_CSR_HENVCFG = 0x60A,
	SHIM_CSR_HTVAL = 0x643,
	SHIM_CSR_HIP = 0x644,
	SHIM_CSR_HVIP = 0x645,
	SHIM_CSR_HTINST = 0x64A,
	SHIM_CSR_HGATP = 0x680,
	SHIM_CSR_MSECCFG = 0x747,
	SHIM_CSR_MHARTID = 0xF14,
};

/** Architectural registers of one hart. Views (sstatus, sie...) are computed. */
struct shim_csrs {
	uint64_t mstatus, misa, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval,
		mtval2, mtinst, mcounteren, menvcfg;
	uint64_t stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg, stimecmp;
	uint64_t hstatus, hedeleg, hideleg, hvip, hcounteren, hgeie, htval, htinst, hgatp, henvcfg,
		htimedelta;
	uint64_t vsstatus, vsie_unused, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, vstimecmp;
	uint64_t mtimecmp; /* ACLINT MTIMER compare of this hart */
};

struct shim_hart {
	unsigned int id;
	enum shim_mode mode;
	uint64_t pc;
	uint64_t x[32]; /* x0 reads as zero: use shim_hart_set_x */
	struct shim_csrs csr;
	struct shim_pmp pmp;
	struct shim_tlb tlb;
	unsigned int vmid_bits; /* VMIDLEN (0..14) */
	bool running;		/* false: stopped (HSM), accepts no operations */
};

/** Hart reset: mode M, pc 0x1000-style reset (pc = @reset_pc), CSRs zero, PMP all OFF. */
void shim_hart_reset(struct shim_hart *hart, unsigned int id, unsigned int pmp_entries, bool smepmp,
		     unsigned int vmid_bits, uint64_t reset_pc);

/** Privilege level (0 U, 1 S, 3 M) of @mode, ignoring V. */
enum shim_priv shim_mode_priv(enum shim_mode mode);

/** True for VS and VU. */
bool shim_mode_virt(enum shim_mode mode);

/** Writes GPR @reg (x0 stays zero). */
void shim_hart_set_x(struct shim_hart *hart, unsigned int reg, uint64_t value);

/**
 * Reads CSR @num as csrr in the current mode would, ignoring privilege checks
 * (the monitor's view). Returns false for a CSR the shim does not implement.
 */
bool shim_csr_read(const struct shim_hart *hart, unsigned int num, uint64_t *value);

/**
 * Writes CSR @num with its WARL rules (hgatp: unsupported MODE keeps the old
 * value, PPN[1:0] read as zero, VMID limited to VMIDLEN; PMP: lock rules).
 * Returns false for a CSR the shim does not implement.
 */
bool shim_csr_write(struct shim_hart *hart, unsigned int num, uint64_t value);

/**
 * Takes the synchronous exception @cause in the current mode: picks the
 * target mode from medeleg/hedeleg (exceptions from M always stay in M),
 * writes the target's epc/cause/tval (and mtval2/htval, mtinst/htinst),
 * the previous-mode fields, and jumps to the target's trap vector.
 * @gva says whether @tval holds a guest virtual address. Returns the mode
 * the trap was taken into.
 */
enum shim_mode shim_hart_trap(struct shim_hart *hart, uint64_t cause, uint64_t tval, uint64_t tval2,
			      uint64_t tinst, bool gva);

/** mret: returns from M to the mode in mstatus.MPP/MPV. */
void shim_hart_mret(struct shim_hart *hart);

/** sret executed in HS (to HS/U/VS/VU per SPP and hstatus.SPV) or in VS (to VS/VU). */
void shim_hart_sret(struct shim_hart *hart);

/**
 * The interrupt the hart would take now, highest priority first, and the
 * mode it would be taken into; false when none is pending and enabled.
 * Pending = mip (with hvip's VS bits) & enable bits; global enables and
 * delegation as in the privileged spec ("Machine Interrupt Registers").
 */
bool shim_hart_pending_interrupt(const struct shim_hart *hart, uint64_t *cause,
				 enum shim_mode *target);
