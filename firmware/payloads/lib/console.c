// SPDX-License-Identifier: BSD-2-Clause
/*
 * The payload console (payload/console.h). A hart holds the lock for a whole
 * console_printf(), so lines from different harts do not mix; a hart that
 * traps while holding it (the fatal-trap report) writes without waiting.
 */
#include "payload/console.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "payload/csr.h"
#include "payload/payload.h"
#include "payload/sbi.h"

#define CONSOLE_NO_OWNER (~0UL)

static enum console_backend console_out = CONSOLE_LEGACY;
static uint32_t console_lock_word;
static unsigned long console_owner = CONSOLE_NO_OWNER;

void console_select(enum console_backend backend)
{
	if (backend == CONSOLE_AUTO) {
		struct sbiret r = sbi_probe_extension(SBI_EXT_DBCN);

		backend = (r.error == SBI_SUCCESS && r.value != 0) ? CONSOLE_DBCN : CONSOLE_LEGACY;
	}
	console_out = backend;
}

enum console_backend console_backend_in_use(void)
{
	return console_out;
}

/* Returns true when the lock was taken here (false: this hart already holds it). */
static bool console_lock(void)
{
	unsigned long me = payload_hartid();

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me) {
		return false;
	}
	while (__atomic_exchange_n(&console_lock_word, 1, __ATOMIC_ACQUIRE) != 0) {
		cpu_relax();
	}
	__atomic_store_n(&console_owner, me, __ATOMIC_RELAXED);
	return true;
}

static void console_unlock(bool taken)
{
	if (!taken) {
		return;
	}
	__atomic_store_n(&console_owner, CONSOLE_NO_OWNER, __ATOMIC_RELAXED);
	__atomic_store_n(&console_lock_word, 0, __ATOMIC_RELEASE);
}

static void console_emit(char c)
{
	if (console_out == CONSOLE_DBCN) {
		(void)sbi_dbcn_write_byte((uint8_t)c);
	} else {
		(void)sbi_legacy_putchar(c);
	}
}

void console_putc(char c)
{
	bool taken = console_lock();

	console_emit(c);
	console_unlock(taken);
}

void console_puts(const char *s)
{
	bool taken = console_lock();

	while (*s != '\0') {
		console_emit(*s++);
	}
	console_unlock(taken);
}

/* Writes @v in @base, at least @width digits, padded with @pad. */
static void console_emit_number(unsigned long long v, unsigned int base, unsigned int width,
				char pad)
{
	static const char digits[] = "0123456789abcdef";
	char buf[24];
	unsigned int n = 0;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v != 0 && n < sizeof(buf));
	while (width > n) {
		console_emit(pad);
		width--;
	}
	while (n > 0) {
		console_emit(buf[--n]);
	}
}

/* Emits one conversion; @fmt points just past the '%'. Returns the next format character. */
static const char *console_convert(const char *fmt, va_list *ap)
{
	char pad = ' ';
	unsigned int width = 0;
	unsigned int longs = 0;
	unsigned long long u;
	long long s;

	if (*fmt == '0') {
		pad = '0';
		fmt++;
	}
	while (*fmt >= '0' && *fmt <= '9' && width < 64) {
		width = width * 10 + (unsigned int)(*fmt - '0');
		fmt++;
	}
	while (*fmt == 'l' && longs < 2) {
		longs++;
		fmt++;
	}
	switch (*fmt) {
	case 'd':
		if (longs == 2) {
			s = va_arg(*ap, long long);
		} else if (longs == 1) {
			s = va_arg(*ap, long);
		} else {
			s = va_arg(*ap, int);
		}
		if (s < 0) {
			console_emit('-');
			/* Negate in unsigned arithmetic: LLONG_MIN has no positive twin. */
			u = 0ULL - (unsigned long long)s;
		} else {
			u = (unsigned long long)s;
		}
		console_emit_number(u, 10, width, pad);
		break;
	case 'u':
	case 'x':
		if (longs == 2) {
			u = va_arg(*ap, unsigned long long);
		} else if (longs == 1) {
			u = va_arg(*ap, unsigned long);
		} else {
			u = va_arg(*ap, unsigned int);
		}
		console_emit_number(u, *fmt == 'x' ? 16 : 10, width, pad);
		break;
	case 's': {
		const char *str = va_arg(*ap, const char *);

		if (str == NULL) {
			str = "(null)";
		}
		while (*str != '\0') {
			console_emit(*str++);
		}
		break;
	}
	case 'c': console_emit((char)va_arg(*ap, int)); break;
	case '%': console_emit('%'); break;
	default:
		console_emit('%');
		console_emit('?');
		if (*fmt == '\0') {
			return fmt;
		}
		break;
	}
	return fmt + 1;
}

void console_vprintf(const char *fmt, va_list ap)
{
	bool taken = console_lock();
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			console_emit(*fmt++);
			continue;
		}
		fmt = console_convert(fmt + 1, &args);
	}
	va_end(args);
	console_unlock(taken);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}
