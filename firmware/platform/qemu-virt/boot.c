// SPDX-License-Identifier: BSD-2-Clause
/*
 * First boot stage on QEMU virt: banner on the NS16550 UART, then report
 * through the sifive_test finisher (reference/platform.md). The monitor and
 * the SBI runtime arrive with the firmware issue.
 */
#include <stdint.h>

#define UART_BASE     0x10000000UL
#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define FINISHER_BASE 0x100000UL
#define FINISHER_PASS 0x5555u

void fw_main(unsigned long hartid, unsigned long fdt);

static void uart_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

	while (!(uart[UART_LSR] & UART_LSR_THRE)) {
	}
	uart[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s)
{
	while (*s) {
		if (*s == '\n') {
			uart_putc('\r');
		}
		uart_putc(*s++);
	}
}

void fw_main(unsigned long hartid, unsigned long fdt)
{
	(void)hartid;
	(void)fdt;
	uart_puts("covemon firmware: boot stage up on qemu-virt (monitor not yet linked)\n");
	*(volatile uint32_t *)FINISHER_BASE = FINISHER_PASS;
	for (;;) {
	}
}
