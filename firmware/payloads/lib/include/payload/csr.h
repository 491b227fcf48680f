/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor CSRs a payload touches (RISC-V privileged spec v1.12,
 * chapter 4), as inline accessors. Only what the runtime and the payloads
 * use; stimecmp is Sstc's (it traps unless the firmware set menvcfg.STCE).
 */
#pragma once

#include <stdint.h>

#define SSTATUS_SIE  (UINT64_C(1) << 1)
#define SSTATUS_SPIE (UINT64_C(1) << 5)
#define SSTATUS_SPP  (UINT64_C(1) << 8)

/* Interrupt numbers (scause with the interrupt bit; bits of sip and sie). */
#define IRQ_S_SOFT	 1
#define IRQ_S_TIMER	 5
#define IRQ_S_EXT	 9
#define SIP_SSIP	 (UINT64_C(1) << IRQ_S_SOFT)
#define SIP_STIP	 (UINT64_C(1) << IRQ_S_TIMER)
#define SIP_SEIP	 (UINT64_C(1) << IRQ_S_EXT)
#define SIE_SSIE	 SIP_SSIP
#define SIE_STIE	 SIP_STIP
#define SIE_SEIE	 SIP_SEIP

#define SCAUSE_INTERRUPT (UINT64_C(1) << 63)

/* Exception codes (privileged spec table 4.2). */
#define EXC_INSN_MISALIGNED  0
#define EXC_INSN_ACCESS	     1
#define EXC_ILLEGAL_INSN     2
#define EXC_BREAKPOINT	     3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS	     5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U	     8
#define EXC_ECALL_S	     9
#define EXC_INSN_PAGE	     12
#define EXC_LOAD_PAGE	     13
#define EXC_STORE_PAGE	     15

static inline uint64_t csr_read_sstatus(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, sstatus" : "=r"(v));
	return v;
}

static inline void csr_set_sstatus(uint64_t bits)
{
	__asm__ volatile("csrs sstatus, %0" : : "r"(bits) : "memory");
}

static inline void csr_clear_sstatus(uint64_t bits)
{
	__asm__ volatile("csrc sstatus, %0" : : "r"(bits) : "memory");
}

static inline uint64_t csr_read_sie(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, sie" : "=r"(v));
	return v;
}

static inline void csr_set_sie(uint64_t bits)
{
	__asm__ volatile("csrs sie, %0" : : "r"(bits) : "memory");
}

static inline void csr_clear_sie(uint64_t bits)
{
	__asm__ volatile("csrc sie, %0" : : "r"(bits) : "memory");
}

static inline uint64_t csr_read_sip(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, sip" : "=r"(v) : : "memory");
	return v;
}

static inline void csr_clear_sip(uint64_t bits)
{
	__asm__ volatile("csrc sip, %0" : : "r"(bits) : "memory");
}

static inline uint64_t csr_read_satp(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, satp" : "=r"(v));
	return v;
}

/* The time CSR; traps unless the firmware set mcounteren.TM. */
static inline uint64_t csr_read_time(void)
{
	uint64_t v;
	__asm__ volatile("rdtime %0" : "=r"(v) : : "memory");
	return v;
}

static inline void csr_write_stimecmp(uint64_t v)
{
	__asm__ volatile("csrw stimecmp, %0" : : "r"(v) : "memory");
}

/* Waits for an interrupt that is pending and enabled in sie, whatever sstatus.SIE says. */
static inline void cpu_wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

/* Zihintpause's PAUSE (fence w,0: a plain fence where Zihintpause is absent). */
static inline void cpu_relax(void)
{
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" : : : "memory");
}
