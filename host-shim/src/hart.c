// SPDX-License-Identifier: BSD-2-Clause
/*
 * One emulated hart: CSR access with WARL rules, trap entry and return, and
 * interrupt selection, following the privileged spec (machine.adoc,
 * supervisor.adoc, hypervisor.adoc).
 */
#include "shim/hart.h"

#include <string.h>

void shim_hart_reset(struct shim_hart *hart, unsigned int id, unsigned int pmp_entries, bool smepmp,
		     unsigned int vmid_bits, uint64_t reset_pc)
{
	memset(hart, 0, sizeof(*hart));
	hart->id = id;
	hart->mode = SHIM_MODE_M;
	hart->pc = reset_pc;
	hart->running = true;
	hart->vmid_bits = vmid_bits > 14 ? 14 : vmid_bits;
	/* RV64 with A, C, H, I, M, S, U (misa.MXL = 2). */
	hart->csr.misa = (UINT64_C(2) << 62) | (1u << ('A' - 'A')) | (1u << ('C' - 'A')) |
			 (1u << ('H' - 'A')) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) |
			 (1u << ('S' - 'A')) | (1u << ('U' - 'A'));
	hart->csr.mtimecmp = UINT64_MAX;
	hart->csr.stimecmp = UINT64_MAX;
	hart->csr.vstimecmp = UINT64_MAX;
	shim_pmp_reset(&hart->pmp, pmp_entries, smepmp);
	shim_tlb_reset(&hart->tlb);
}

enum shim_priv shim_mode_priv(enum shim_mode mode)
{
	switch (mode) {
	case SHIM_MODE_M: return SHIM_PRIV_M;
	case SHIM_MODE_HS:
	case SHIM_MODE_VS: return SHIM_PRIV_S;
	default: return SHIM_PRIV_U;
	}
}

bool shim_mode_virt(enum shim_mode mode)
{
	return mode == SHIM_MODE_VS || mode == SHIM_MODE_VU;
}

void shim_hart_set_x(struct shim_hart *hart, unsigned int reg, uint64_t value)
{
	if (reg != 0 && reg < 32) {
		hart->x[reg] = value;
	}
}

/* sstatus is a view of these mstatus bits (SIE SPIE UBE SPP VS FS XS SUM MXR UXL SD). */
#define SSTATUS_MASK                                                                           \
	(UINT64_C(0x2) | UINT64_C(0x20) | UINT64_C(0x40) | UINT64_C(0x100) | UINT64_C(0x600) | \
	 UINT64_C(0x6000) | UINT64_C(0x18000) | UINT64_C(0x40000) | UINT64_C(0x80000) |        \
	 (UINT64_C(3) << 32) | (UINT64_C(1) << 63))
/* mstatus bits the shim lets software write (plus the sstatus ones). */
#define MSTATUS_WRITABLE                                                                    \
	(SSTATUS_MASK | SHIM_MSTATUS_MIE | SHIM_MSTATUS_MPIE | SHIM_MSTATUS_MPP |           \
	 SHIM_MSTATUS_MPRV | (UINT64_C(1) << 20) /* TVM */ | (UINT64_C(1) << 21) /* TW */ | \
	 (UINT64_C(1) << 22) /* TSR */ | SHIM_MSTATUS_GVA | SHIM_MSTATUS_MPV)
/* Interrupt groups. */
#define IRQ_BIT(n) (UINT64_C(1) << (n))
#define S_IRQS	   (IRQ_BIT(SHIM_IRQ_SSI) | IRQ_BIT(SHIM_IRQ_STI) | IRQ_BIT(SHIM_IRQ_SEI))
#define VS_IRQS	   (IRQ_BIT(SHIM_IRQ_VSSI) | IRQ_BIT(SHIM_IRQ_VSTI) | IRQ_BIT(SHIM_IRQ_VSEI))
#define HS_IRQS	   (VS_IRQS | IRQ_BIT(SHIM_IRQ_SGEI))
#define M_IRQS	   (IRQ_BIT(SHIM_IRQ_MSI) | IRQ_BIT(SHIM_IRQ_MTI) | IRQ_BIT(SHIM_IRQ_MEI))
#define ALL_IRQS   (S_IRQS | HS_IRQS | M_IRQS)
/* Exceptions that medeleg/hedeleg can delegate (privileged spec, hypervisor.adoc). */
#define MEDELEG_WRITABLE UINT64_C(0xF0B7FF) /* all but ecall-from-M (11) and 14, 16..19 */
#define HEDELEG_WRITABLE UINT64_C(0xB1FF)   /* 0..8, 12, 13, 15 */

static uint64_t hart_mip(const struct shim_hart *hart)
{
	/* mip.VSSIP/VSTIP/VSEIP include hvip's bits (hypervisor.adoc, hvip). */
	return hart->csr.mip | (hart->csr.hvip & VS_IRQS);
}

static bool atp_mode_ok(uint64_t mode)
{
	return mode == SHIM_ATP_MODE_BARE || mode == SHIM_ATP_MODE_SV39 ||
	       mode == SHIM_ATP_MODE_SV48 || mode == SHIM_ATP_MODE_SV57;
}

static uint64_t legal_hgatp(const struct shim_hart *hart, uint64_t v)
{
	uint64_t mode = v >> SHIM_ATP_MODE_SHIFT;
	uint64_t vmid_mask = (UINT64_C(1) << hart->vmid_bits) - 1;
	uint64_t vmid = (v >> SHIM_HGATP_VMID_SHIFT) & vmid_mask;
	/* PPN[1:0] read as zero: the root is 16 KiB aligned. */
	uint64_t ppn = v & SHIM_ATP_PPN_MASK & ~UINT64_C(3);

	/* hgatp fields are WARL; the shim legalises an unsupported MODE to Bare. */
	if (!atp_mode_ok(mode)) {
		mode = SHIM_ATP_MODE_BARE;
	}
	if (mode == SHIM_ATP_MODE_BARE) {
		ppn = v & SHIM_ATP_PPN_MASK & ~UINT64_C(3);
	}
	return (mode << SHIM_ATP_MODE_SHIFT) | (vmid << SHIM_HGATP_VMID_SHIFT) | ppn;
}

static bool pmpcfg_index(unsigned int num, unsigned int *first)
{
	unsigned int n = num - SHIM_CSR_PMPCFG0;

	/* RV64: only even pmpcfg registers exist, each holds eight entries. */
	if (num < SHIM_CSR_PMPCFG0 || n > 15 || (n & 1)) {
		return false;
	}
	*first = n * 4;
	return true;
}

bool shim_csr_read(const struct shim_hart *hart, unsigned int num, uint64_t *value)
{
	const struct shim_csrs *c = &hart->csr;
	unsigned int first;

	if (pmpcfg_index(num, &first)) {
		uint64_t v = 0;
		for (unsigned int i = 0; i < 8; i++) {
			if (first + i < hart->pmp.count) {
				v |= (uint64_t)hart->pmp.cfg[first + i] << (8 * i);
			}
		}
		*value = v;
		return true;
	}
	if (num >= SHIM_CSR_PMPADDR0 && num < SHIM_CSR_PMPADDR0 + HAL_PMP_MAX) {
		unsigned int i = num - SHIM_CSR_PMPADDR0;
		*value = i < hart->pmp.count ? hart->pmp.addr[i] : 0;
		return true;
	}
	switch (num) {
	case SHIM_CSR_SSTATUS: *value = c->mstatus & SSTATUS_MASK; return true;
	case SHIM_CSR_SIE: *value = c->mie & c->mideleg & S_IRQS; return true;
	case SHIM_CSR_SIP: *value = hart_mip(hart) & c->mideleg & S_IRQS; return true;
	case SHIM_CSR_STVEC: *value = c->stvec; return true;
	case SHIM_CSR_SCOUNTEREN: *value = c->scounteren; return true;
	case SHIM_CSR_SENVCFG: *value = c->senvcfg; return true;
	case SHIM_CSR_SSCRATCH: *value = c->sscratch; return true;
	case SHIM_CSR_SEPC: *value = c->sepc; return true;
	case SHIM_CSR_SCAUSE: *value = c->scause; return true;
	case SHIM_CSR_STVAL: *value = c->stval; return true;
	case SHIM_CSR_STIMECMP: *value = c->stimecmp; return true;
	case SHIM_CSR_SATP: *value = c->satp; return true;
	case SHIM_CSR_VSSTATUS: *value = c->vsstatus; return true;
	case SHIM_CSR_VSIE: *value = (c->mie & c->hideleg & VS_IRQS) >> 1; return true;
	case SHIM_CSR_VSIP: *value = (hart_mip(hart) & c->hideleg & VS_IRQS) >> 1; return true;
	case SHIM_CSR_VSTVEC: *value = c->vstvec; return true;
	case SHIM_CSR_VSSCRATCH: *value = c->vsscratch; return true;
	case SHIM_CSR_VSEPC: *value = c->vsepc; return true;
	case SHIM_CSR_VSCAUSE: *value = c->vscause; return true;
	case SHIM_CSR_VSTVAL: *value = c->vstval; return true;
	case SHIM_CSR_VSTIMECMP: *value = c->vstimecmp; return true;
	case SHIM_CSR_VSATP: *value = c->vsatp; return true;
	case SHIM_CSR_MSTATUS: *value = c->mstatus; return true;
	case SHIM_CSR_MISA: *value = c->misa; return true;
	case SHIM_CSR_MEDELEG: *value = c->medeleg; return true;
	case SHIM_CSR_MIDELEG: *value = c->mideleg; return true;
	case SHIM_CSR_MIE: *value = c->mie; return true;
	case SHIM_CSR_MTVEC: *value = c->mtvec; return true;
	case SHIM_CSR_MCOUNTEREN: *value = c->mcounteren; return true;
	case SHIM_CSR_MENVCFG: *value = c->menvcfg; return true;
	case SHIM_CSR_MSCRATCH: *value = c->mscratch; return true;
	case SHIM_CSR_MEPC: *value = c->mepc; return true;
	case SHIM_CSR_MCAUSE: *value = c->mcause; return true;
	case SHIM_CSR_MTVAL: *value = c->mtval; return true;
	case SHIM_CSR_MIP: *value = hart_mip(hart); return true;
	case SHIM_CSR_MTINST: *value = c->mtinst; return true;
	case SHIM_CSR_MTVAL2: *value = c->mtval2; return true;
	case SHIM_CSR_HSTATUS: *value = c->hstatus; return true;
	case SHIM_CSR_HEDELEG: *value = c->hedeleg; return true;
	case SHIM_CSR_HIDELEG: *value = c->hideleg; return true;
	case SHIM_CSR_HIE: *value = c->mie & HS_IRQS; return true;
	case SHIM_CSR_HIP: *value = hart_mip(hart) & HS_IRQS; return true;
	case SHIM_CSR_HVIP: *value = c->hvip; return true;
	case SHIM_CSR_HTIMEDELTA: *value = c->htimedelta; return true;
	case SHIM_CSR_HCOUNTEREN: *value = c->hcounteren; return true;
	case SHIM_CSR_HGEIE: *value = c->hgeie; return true;
	case SHIM_CSR_HENVCFG: *value = c->henvcfg; return true;
	case SHIM_CSR_HTVAL: *value = c->htval; return true;
	case SHIM_CSR_HTINST: *value = c->htinst; return true;
	case SHIM_CSR_HGATP: *value = c->hgatp; return true;
	case SHIM_CSR_MSECCFG: *value = hart->pmp.mseccfg; return hart->pmp.smepmp;
	case SHIM_CSR_MHARTID: *value = hart->id; return true;
	default: return false;
	}
}

static void set_masked(uint64_t *reg, uint64_t mask, uint64_t value)
{
	*reg = (*reg & ~mask) | (value & mask);
}

bool shim_csr_write(struct shim_hart *hart, unsigned int num, uint64_t value)
{
	struct shim_csrs *c = &hart->csr;
	unsigned int first;

	if (pmpcfg_index(num, &first)) {
		for (unsigned int i = 0; i < 8; i++) {
			(void)shim_pmp_write_cfg(&hart->pmp, first + i,
						 (uint8_t)(value >> (8 * i)));
		}
		return true;
	}
	if (num >= SHIM_CSR_PMPADDR0 && num < SHIM_CSR_PMPADDR0 + HAL_PMP_MAX) {
		(void)shim_pmp_write_addr(&hart->pmp, num - SHIM_CSR_PMPADDR0, value);
		return true;
	}
	switch (num) {
	case SHIM_CSR_SSTATUS: set_masked(&c->mstatus, SSTATUS_MASK, value); return true;
	case SHIM_CSR_SIE: set_masked(&c->mie, c->mideleg & S_IRQS, value); return true;
	case SHIM_CSR_SIP:
		set_masked(&c->mip, c->mideleg & IRQ_BIT(SHIM_IRQ_SSI), value);
		return true;
	case SHIM_CSR_STVEC: c->stvec = value & ~UINT64_C(2); return true;
	case SHIM_CSR_SCOUNTEREN: c->scounteren = value & 0xffffffffu; return true;
	case SHIM_CSR_SENVCFG: c->senvcfg = value; return true;
	case SHIM_CSR_SSCRATCH: c->sscratch = value; return true;
	case SHIM_CSR_SEPC: c->sepc = value & ~UINT64_C(1); return true;
	case SHIM_CSR_SCAUSE: c->scause = value; return true;
	case SHIM_CSR_STVAL: c->stval = value; return true;
	case SHIM_CSR_STIMECMP: c->stimecmp = value; return true;
	case SHIM_CSR_SATP:
		/* satp: a write with an unsupported MODE has no effect. */
		if (atp_mode_ok(value >> SHIM_ATP_MODE_SHIFT)) {
			c->satp = value;
		}
		return true;
	case SHIM_CSR_VSSTATUS: c->vsstatus = value & SSTATUS_MASK; return true;
	case SHIM_CSR_VSIE: set_masked(&c->mie, c->hideleg & VS_IRQS, value << 1); return true;
	case SHIM_CSR_VSIP:
		set_masked(&c->hvip, c->hideleg & IRQ_BIT(SHIM_IRQ_VSSI), value << 1);
		return true;
	case SHIM_CSR_VSTVEC: c->vstvec = value & ~UINT64_C(2); return true;
	case SHIM_CSR_VSSCRATCH: c->vsscratch = value; return true;
	case SHIM_CSR_VSEPC: c->vsepc = value & ~UINT64_C(1); return true;
	case SHIM_CSR_VSCAUSE: c->vscause = value; return true;
	case SHIM_CSR_VSTVAL: c->vstval = value; return true;
	case SHIM_CSR_VSTIMECMP: c->vstimecmp = value; return true;
	case SHIM_CSR_VSATP:
		/* The shim ignores a vsatp write with an unsupported MODE (allowed when V=0). */
		if (atp_mode_ok(value >> SHIM_ATP_MODE_SHIFT)) {
			c->vsatp = value;
		}
		return true;
	case SHIM_CSR_MSTATUS: set_masked(&c->mstatus, MSTATUS_WRITABLE, value); return true;
	case SHIM_CSR_MISA: return true; /* WARL, read-only in the shim */
	case SHIM_CSR_MEDELEG: c->medeleg = value & MEDELEG_WRITABLE; return true;
	case SHIM_CSR_MIDELEG:
		/* VS-level interrupts and SGEI are read-only one (hypervisor.adoc, mideleg). */
		c->mideleg = (value & S_IRQS) | HS_IRQS;
		return true;
	case SHIM_CSR_MIE: c->mie = value & ALL_IRQS; return true;
	case SHIM_CSR_MTVEC: c->mtvec = value & ~UINT64_C(2); return true;
	case SHIM_CSR_MCOUNTEREN: c->mcounteren = value & 0xffffffffu; return true;
	case SHIM_CSR_MENVCFG: c->menvcfg = value; return true;
	case SHIM_CSR_MSCRATCH: c->mscratch = value; return true;
	case SHIM_CSR_MEPC: c->mepc = value & ~UINT64_C(1); return true;
	case SHIM_CSR_MCAUSE: c->mcause = value; return true;
	case SHIM_CSR_MTVAL: c->mtval = value; return true;
	case SHIM_CSR_MIP:
		/* M-mode may write SSIP, STIP and SEIP; MSIP/MTIP/MEIP come from devices. */
		set_masked(&c->mip, S_IRQS, value);
		return true;
	case SHIM_CSR_MTINST: c->mtinst = value; return true;
	case SHIM_CSR_MTVAL2: c->mtval2 = value; return true;
	case SHIM_CSR_HSTATUS: c->hstatus = value; return true;
	case SHIM_CSR_HEDELEG: c->hedeleg = value & HEDELEG_WRITABLE; return true;
	case SHIM_CSR_HIDELEG: c->hideleg = value & VS_IRQS; return true;
	case SHIM_CSR_HIE: set_masked(&c->mie, HS_IRQS, value); return true;
	case SHIM_CSR_HIP: set_masked(&c->hvip, IRQ_BIT(SHIM_IRQ_VSSI), value); return true;
	case SHIM_CSR_HVIP: c->hvip = value & VS_IRQS; return true;
	case SHIM_CSR_HTIMEDELTA: c->htimedelta = value; return true;
	case SHIM_CSR_HCOUNTEREN: c->hcounteren = value & 0xffffffffu; return true;
	case SHIM_CSR_HGEIE: c->hgeie = 0; return true; /* GEILEN = 0 */
	case SHIM_CSR_HENVCFG: c->henvcfg = value; return true;
	case SHIM_CSR_HTVAL: c->htval = value; return true;
	case SHIM_CSR_HTINST: c->htinst = value; return true;
	case SHIM_CSR_HGATP: c->hgatp = legal_hgatp(hart, value); return true;
	case SHIM_CSR_MSECCFG: return shim_pmp_write_mseccfg(&hart->pmp, value);
	case SHIM_CSR_MHARTID: return true; /* read-only; the write is ignored */
	default: return false;
	}
}

/* Vector address for a trap: vectored mode applies to interrupts only. */
static uint64_t trap_vector(uint64_t tvec, uint64_t cause)
{
	uint64_t base = tvec & ~UINT64_C(3);

	if ((tvec & 3) == 1 && (cause & SHIM_CAUSE_INTERRUPT)) {
		return base + 4 * (cause & ~SHIM_CAUSE_INTERRUPT);
	}
	return base;
}

/* Where a trap from the current mode goes (privileged spec, medeleg/hedeleg, mideleg/hideleg). */
static enum shim_mode trap_target(const struct shim_hart *hart, uint64_t cause)
{
	const struct shim_csrs *c = &hart->csr;
	bool irq = cause & SHIM_CAUSE_INTERRUPT;
	unsigned int code = (unsigned int)(cause & 63);
	uint64_t mdeleg = irq ? c->mideleg : c->medeleg;
	uint64_t hdeleg = irq ? c->hideleg : c->hedeleg;

	/* Traps never go to a less-privileged mode than the current one. */
	if (hart->mode == SHIM_MODE_M || !((mdeleg >> code) & 1)) {
		return SHIM_MODE_M;
	}
	if (shim_mode_virt(hart->mode) && ((hdeleg >> code) & 1)) {
		return SHIM_MODE_VS;
	}
	return SHIM_MODE_HS;
}

enum shim_mode shim_hart_trap(struct shim_hart *hart, uint64_t cause, uint64_t tval, uint64_t tval2,
			      uint64_t tinst, bool gva)
{
	struct shim_csrs *c = &hart->csr;
	enum shim_mode target = trap_target(hart, cause);
	enum shim_mode from = hart->mode;
	uint64_t prev_priv = (uint64_t)shim_mode_priv(from);
	bool virt = shim_mode_virt(from);

	switch (target) {
	case SHIM_MODE_M: {
		uint64_t ms = c->mstatus;
		c->mepc = hart->pc;
		c->mcause = cause;
		c->mtval = tval;
		c->mtval2 = tval2;
		c->mtinst = tinst;
		ms = (ms & ~SHIM_MSTATUS_MPIE) | ((ms & SHIM_MSTATUS_MIE) ? SHIM_MSTATUS_MPIE : 0);
		ms &= ~(SHIM_MSTATUS_MIE | SHIM_MSTATUS_MPP | SHIM_MSTATUS_MPV | SHIM_MSTATUS_GVA);
		ms |= prev_priv << SHIM_MSTATUS_MPP_SHIFT;
		ms |= virt ? SHIM_MSTATUS_MPV : 0;
		ms |= gva ? SHIM_MSTATUS_GVA : 0;
		c->mstatus = ms;
		hart->pc = trap_vector(c->mtvec, cause);
		break;
	}
	case SHIM_MODE_HS: {
		uint64_t ms = c->mstatus;
		c->sepc = hart->pc;
		c->scause = cause;
		c->stval = tval;
		c->htval = tval2;
		c->htinst = tinst;
		ms = (ms & ~SHIM_MSTATUS_SPIE) | ((ms & SHIM_MSTATUS_SIE) ? SHIM_MSTATUS_SPIE : 0);
		ms &= ~(SHIM_MSTATUS_SIE | SHIM_MSTATUS_SPP);
		ms |= prev_priv ? SHIM_MSTATUS_SPP : 0;
		c->mstatus = ms;
		/* hstatus.SPV records V; SPVP the guest's privilege; GVA the tval kind. */
		c->hstatus &= ~(SHIM_HSTATUS_SPV | SHIM_HSTATUS_GVA);
		c->hstatus |= virt ? SHIM_HSTATUS_SPV : 0;
		c->hstatus |= gva ? SHIM_HSTATUS_GVA : 0;
		if (virt) {
			c->hstatus = (c->hstatus & ~SHIM_HSTATUS_SPVP) |
				     (prev_priv ? SHIM_HSTATUS_SPVP : 0);
		}
		hart->pc = trap_vector(c->stvec, cause);
		break;
	}
	default: {
		/* VS-level trap: vs* registers; VS-level interrupt causes shift down by 1. */
		uint64_t vcause = cause;
		uint64_t vs = c->vsstatus;
		if (cause & SHIM_CAUSE_INTERRUPT) {
			vcause = SHIM_CAUSE_INTERRUPT | ((cause & 63) - 1);
		}
		c->vsepc = hart->pc;
		c->vscause = vcause;
		c->vstval = tval;
		vs = (vs & ~SHIM_MSTATUS_SPIE) | ((vs & SHIM_MSTATUS_SIE) ? SHIM_MSTATUS_SPIE : 0);
		vs &= ~(SHIM_MSTATUS_SIE | SHIM_MSTATUS_SPP);
		vs |= prev_priv ? SHIM_MSTATUS_SPP : 0;
		c->vsstatus = vs;
		hart->pc = trap_vector(c->vstvec, vcause);
		break;
	}
	}
	hart->mode = target;
	return target;
}

void shim_hart_mret(struct shim_hart *hart)
{
	struct shim_csrs *c = &hart->csr;
	uint64_t ms = c->mstatus;
	unsigned int mpp = (unsigned int)((ms & SHIM_MSTATUS_MPP) >> SHIM_MSTATUS_MPP_SHIFT);
	bool mpv = (ms & SHIM_MSTATUS_MPV) && mpp != SHIM_PRIV_M;

	switch (mpp) {
	case SHIM_PRIV_M: hart->mode = SHIM_MODE_M; break;
	case SHIM_PRIV_S: hart->mode = mpv ? SHIM_MODE_VS : SHIM_MODE_HS; break;
	default: hart->mode = mpv ? SHIM_MODE_VU : SHIM_MODE_U; break;
	}
	ms = (ms & ~SHIM_MSTATUS_MIE) | ((ms & SHIM_MSTATUS_MPIE) ? SHIM_MSTATUS_MIE : 0);
	ms |= SHIM_MSTATUS_MPIE;
	ms &= ~(SHIM_MSTATUS_MPP | SHIM_MSTATUS_MPV); /* MPP := U (least privileged) */
	if (mpp != SHIM_PRIV_M) {
		ms &= ~SHIM_MSTATUS_MPRV;
	}
	c->mstatus = ms;
	hart->pc = c->mepc;
}

void shim_hart_sret(struct shim_hart *hart)
{
	struct shim_csrs *c = &hart->csr;

	if (shim_mode_virt(hart->mode)) {
		uint64_t vs = c->vsstatus;
		hart->mode = (vs & SHIM_MSTATUS_SPP) ? SHIM_MODE_VS : SHIM_MODE_VU;
		vs = (vs & ~SHIM_MSTATUS_SIE) | ((vs & SHIM_MSTATUS_SPIE) ? SHIM_MSTATUS_SIE : 0);
		vs |= SHIM_MSTATUS_SPIE;
		vs &= ~SHIM_MSTATUS_SPP;
		c->vsstatus = vs;
		hart->pc = c->vsepc;
		return;
	}
	uint64_t ms = c->mstatus;
	bool spp = ms & SHIM_MSTATUS_SPP;
	bool spv = c->hstatus & SHIM_HSTATUS_SPV;

	if (spv) {
		hart->mode = spp ? SHIM_MODE_VS : SHIM_MODE_VU;
	} else {
		hart->mode = spp ? SHIM_MODE_HS : SHIM_MODE_U;
	}
	ms = (ms & ~SHIM_MSTATUS_SIE) | ((ms & SHIM_MSTATUS_SPIE) ? SHIM_MSTATUS_SIE : 0);
	ms |= SHIM_MSTATUS_SPIE;
	ms &= ~(SHIM_MSTATUS_SPP | SHIM_MSTATUS_MPRV);
	c->mstatus = ms;
	c->hstatus &= ~SHIM_HSTATUS_SPV;
	hart->pc = c->sepc;
}

/* Priority order of the privileged spec: MEI MSI MTI SEI SSI STI SGEI VSEI VSSI VSTI. */
static const enum shim_irq irq_priority[] = {
	SHIM_IRQ_MEI, SHIM_IRQ_MSI,  SHIM_IRQ_MTI,  SHIM_IRQ_SEI,  SHIM_IRQ_SSI,
	SHIM_IRQ_STI, SHIM_IRQ_SGEI, SHIM_IRQ_VSEI, SHIM_IRQ_VSSI, SHIM_IRQ_VSTI,
};

bool shim_hart_pending_interrupt(const struct shim_hart *hart, uint64_t *cause,
				 enum shim_mode *target)
{
	const struct shim_csrs *c = &hart->csr;
	uint64_t pend = hart_mip(hart) & c->mie;
	enum shim_priv priv = shim_mode_priv(hart->mode);
	bool virt = shim_mode_virt(hart->mode);

	for (size_t i = 0; i < sizeof(irq_priority) / sizeof(irq_priority[0]); i++) {
		unsigned int n = irq_priority[i];
		enum shim_mode to;
		bool enabled;

		if (!((pend >> n) & 1)) {
			continue;
		}
		if (!((c->mideleg >> n) & 1)) {
			to = SHIM_MODE_M;
			enabled = priv < SHIM_PRIV_M || (c->mstatus & SHIM_MSTATUS_MIE);
		} else if (!((c->hideleg >> n) & 1)) {
			to = SHIM_MODE_HS;
			/* HS takes it from V=1 always, from HS when SIE, never from M. */
			enabled = priv != SHIM_PRIV_M &&
				  (virt || priv == SHIM_PRIV_U || (c->mstatus & SHIM_MSTATUS_SIE));
		} else {
			to = SHIM_MODE_VS;
			/* Only while V=1: from VU always, from VS when vsstatus.SIE. */
			enabled = virt &&
				  (hart->mode == SHIM_MODE_VU || (c->vsstatus & SHIM_MSTATUS_SIE));
		}
		if (enabled) {
			*cause = SHIM_CAUSE_INTERRUPT | n;
			*target = to;
			return true;
		}
	}
	return false;
}
