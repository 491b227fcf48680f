// SPDX-License-Identifier: BSD-2-Clause
/* The NS16550 UART of QEMU virt and the sifive_test finisher. */
#include "platform.h"

#define UART_RBR      0
#define UART_THR      0
#define UART_IER      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_LSR      5
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20

static volatile uint8_t *const uart = (volatile uint8_t *)PLAT_UART_BASE;

void uart_init(void)
{
	uart[UART_IER] = 0;    /* polled */
	uart[UART_LCR] = 0x03; /* 8N1 */
	uart[UART_FCR] = 0x07; /* FIFOs on and cleared */
}

void uart_putc(char c)
{
	while (!(uart[UART_LSR] & UART_LSR_THRE)) {
	}
	uart[UART_THR] = (uint8_t)c;
}

int uart_getc(void)
{
	return (uart[UART_LSR] & UART_LSR_DR) ? uart[UART_RBR] : -1;
}

void uart_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			uart_putc('\r');
		}
		uart_putc(s[i]);
	}
}

void uart_puts(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	uart_write(s, n);
}

_Noreturn void plat_exit(unsigned int code)
{
	volatile uint32_t *fin = (volatile uint32_t *)PLAT_FINISHER_BASE;

	*fin = code ? (FINISHER_FAIL | (code << 16)) : FINISHER_PASS;
	for (;;) {
		__asm__ volatile("wfi");
	}
}

_Noreturn void plat_reset(void)
{
	volatile uint32_t *fin = (volatile uint32_t *)PLAT_FINISHER_BASE;

	*fin = FINISHER_RESET;
	for (;;) {
		__asm__ volatile("wfi");
	}
}
