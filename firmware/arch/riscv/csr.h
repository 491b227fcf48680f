/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CSR access for the firmware (the only place besides the .S files where
 * CSR instructions appear; monitor/ reaches them through hal.h). CSRs whose
 * names binutils 2.40 may not know are used by number.
 */
#pragma once

#include <stdint.h>

#define CSR_SENVCFG   0x10a
#define CSR_STIMECMP  0x14d
#define CSR_MENVCFG   0x30a
#define CSR_MSECCFG   0x747
#define CSR_HENVCFG   0x60a
#define CSR_VSTIMECMP 0x24d

/* Two levels, so that CSR_* numbers expand before they are stringified. */
#define csr_read(csr) csr_read_(csr)
#define csr_read_(csr)                                                      \
	({                                                                  \
		uint64_t v_;                                                \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory"); \
		v_;                                                         \
	})

#define csr_write(csr, val) csr_write_(csr, val)
#define csr_write_(csr, val)                                                   \
	do {                                                                   \
		uint64_t v_ = (uint64_t)(val);                                 \
		__asm__ volatile("csrw " #csr ", %0" : : "rK"(v_) : "memory"); \
	} while (0)

#define csr_set(csr, val) csr_set_(csr, val)
#define csr_set_(csr, val)                                                     \
	do {                                                                   \
		uint64_t v_ = (uint64_t)(val);                                 \
		__asm__ volatile("csrs " #csr ", %0" : : "rK"(v_) : "memory"); \
	} while (0)

#define csr_clear(csr, val) csr_clear_(csr, val)
#define csr_clear_(csr, val)                                                   \
	do {                                                                   \
		uint64_t v_ = (uint64_t)(val);                                 \
		__asm__ volatile("csrc " #csr ", %0" : : "rK"(v_) : "memory"); \
	} while (0)

/* mstatus / mip / mie bits the firmware uses. */
#define MSTATUS_MPP_S	 (UINT64_C(1) << 11)
#define MSTATUS_MPP_M	 (UINT64_C(3) << 11)
#define MSTATUS_MPV	 (UINT64_C(1) << 39)

#define IRQ_S_SOFT	 1
#define IRQ_M_SOFT	 3
#define IRQ_S_TIMER	 5
#define IRQ_M_TIMER	 7
#define IRQ_S_EXT	 9
#define MIP_SSIP	 (UINT64_C(1) << IRQ_S_SOFT)
#define MIP_STIP	 (UINT64_C(1) << IRQ_S_TIMER)
#define MIP_SEIP	 (UINT64_C(1) << IRQ_S_EXT)
#define MIP_VSSIP	 (UINT64_C(1) << 2)
#define MIP_VSTIP	 (UINT64_C(1) << 6)
#define MIP_VSEIP	 (UINT64_C(1) << 10)
#define MIP_SGEIP	 (UINT64_C(1) << 12)

#define MCAUSE_INTERRUPT (UINT64_C(1) << 63)
#define CAUSE_ECALL_HS	 9

#define ENVCFG_STCE	 (UINT64_C(1) << 63)

static inline void fw_wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void fw_fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

static inline void fw_sfence_vma(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void fw_hfence_gvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\nhfence.gvma zero, zero\n.option pop" ::
				 : "memory");
}

static inline void fw_hfence_gvma_vmid(uint64_t vmid)
{
	__asm__ volatile(
		".option push\n.option arch, +h\nhfence.gvma zero, %0\n.option pop" ::"r"(vmid)
		: "memory");
}

static inline void fw_hfence_gvma_gpa(uint64_t gpa_shr2, uint64_t vmid)
{
	__asm__ volatile(
		".option push\n.option arch, +h\nhfence.gvma %0, %1\n.option pop" ::"r"(gpa_shr2),
		"r"(vmid)
		: "memory");
}

static inline void fw_hfence_vvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\nhfence.vvma zero, zero\n.option pop" ::
				 : "memory");
}
