/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Architectural field encodings the core computes with, as plain constants
 * (privileged spec: machine.adoc, supervisor.adoc, hypervisor.adoc). Values
 * only: the core never touches a CSR itself.
 */
#pragma once

#include <stdint.h>

/* Page-table entries (Sv39/48/57 and the x4 G-stage formats). */
#define PTE_V	      (UINT64_C(1) << 0)
#define PTE_R	      (UINT64_C(1) << 1)
#define PTE_W	      (UINT64_C(1) << 2)
#define PTE_X	      (UINT64_C(1) << 3)
#define PTE_U	      (UINT64_C(1) << 4)
#define PTE_A	      (UINT64_C(1) << 6)
#define PTE_D	      (UINT64_C(1) << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  ((UINT64_C(1) << 44) - 1)
#define PTE_RESERVED  (~((UINT64_C(1) << 54) - 1)) /* 63:54: no Svpbmt/Svnapot */
#define PTE_PPN(pte)  ((((pte) >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << 12)

/* hgatp / vsatp */
#define ATP_MODE_SHIFT 60
#define ATP_PPN_MASK   ((UINT64_C(1) << 44) - 1)

/* Physical addresses are 56 bits on RV64: all a PTE's PPN or a pmpaddr (bits 55:2) can name. */
#define PA_LIMIT (UINT64_C(1) << 56)

/* mstatus / vsstatus fields */
#define MSTATUS_SIE	  (UINT64_C(1) << 1)
#define MSTATUS_SPIE	  (UINT64_C(1) << 5)
#define MSTATUS_MPIE	  (UINT64_C(1) << 7)
#define MSTATUS_SPP	  (UINT64_C(1) << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP	  (UINT64_C(3) << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPP_S	  (UINT64_C(1) << MSTATUS_MPP_SHIFT)
#define MSTATUS_VS	  (UINT64_C(3) << 9)  /* vector state */
#define MSTATUS_FS	  (UINT64_C(3) << 13) /* floating-point state */
#define MSTATUS_GVA	  (UINT64_C(1) << 38)
#define MSTATUS_MPV	  (UINT64_C(1) << 39)
#define PRIV_U		  0u
#define PRIV_S		  1u

/* hstatus, envcfg, counteren */
#define HSTATUS_GVA	(UINT64_C(1) << 6)
#define HSTATUS_SPV	(UINT64_C(1) << 7)
#define HSTATUS_SPVP	(UINT64_C(1) << 8)
#define HSTATUS_VTW	(UINT64_C(1) << 21)
#define HSTATUS_VSXL_64 (UINT64_C(2) << 32)
#define ENVCFG_STCE	(UINT64_C(1) << 63)
#define COUNTEREN_TM	(UINT64_C(1) << 1)

/* Trap causes */
#define CAUSE_INTERRUPT	       (UINT64_C(1) << 63)
#define CAUSE_ILLEGAL_INSN     2u
#define CAUSE_LOAD_ACCESS      5u
#define CAUSE_STORE_ACCESS     7u
#define CAUSE_ECALL_HS	       9u
#define CAUSE_ECALL_VS	       10u
#define CAUSE_FETCH_GUEST_PAGE 20u
#define CAUSE_LOAD_GUEST_PAGE  21u
#define CAUSE_VIRTUAL_INSN     22u
#define CAUSE_STORE_GUEST_PAGE 23u

/* Interrupts */
#define IRQ_MSI	     3u
#define IRQ_VSSI_BIT (UINT64_C(1) << 2)
