/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * QEMU virt: fixed device addresses (reference/platform.md) and the
 * firmware's services to the rest of the image (console, finisher, the
 * monitor instance).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "covemon/mon.h"

#define PLAT_UART_BASE	   UINT64_C(0x10000000)
#define PLAT_UART_SIZE	   UINT64_C(0x100)
#define PLAT_FINISHER_BASE UINT64_C(0x100000)
#define PLAT_FINISHER_SIZE UINT64_C(0x1000)
#define PLAT_ACLINT_BASE   UINT64_C(0x2000000) /* MSWI, then MTIMER */
#define PLAT_ACLINT_SIZE   UINT64_C(0x10000)
#define PLAT_MSWI_BASE	   UINT64_C(0x2000000)
#define PLAT_MTIMECMP_BASE UINT64_C(0x2004000)
#define PLAT_MTIME	   UINT64_C(0x200bff8)
#define PLAT_PMP_ENTRIES   16u
#define PLAT_NEXT_STAGE	   UINT64_C(0x80200000) /* -kernel images and the payloads */
#define PLAT_FDT_SLOT	   (UINT64_C(64) << 10) /* the next stage's FDT, below confidential memory */

#define FINISHER_PASS	   0x5555u
#define FINISHER_FAIL	   0x3333u
#define FINISHER_RESET	   0x7777u

void uart_init(void);
void uart_putc(char c);
/** One byte from the UART, or -1 when none is waiting. */
int uart_getc(void);
void uart_write(const char *s, size_t len);
void uart_puts(const char *s);

/** Exits QEMU: code 0 passes, anything else fails with that code. */
_Noreturn void plat_exit(unsigned int code);
_Noreturn void plat_reset(void);

/** The monitor instance (after boot). */
extern struct mon *fw_mon;
/** Harts listed in the FDT (bit i: mhartid i). */
extern uint64_t fw_hart_mask;
