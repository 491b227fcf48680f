/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The payload console: formatted output through the SBI, one byte per call,
 * under a lock so that lines from different harts do not interleave.
 */
#pragma once

#include <stdarg.h>

enum console_backend {
	/* DBCN when Base.probe_extension says it is there, else legacy. */
	CONSOLE_AUTO,
	/* DBCN.console_write_byte (SBI v2.0). */
	CONSOLE_DBCN,
	/* Legacy console_putchar, EID 0x01 (SBI v0.1). */
	CONSOLE_LEGACY,
};

/**
 * Selects how bytes leave. CONSOLE_AUTO probes DBCN (one SBI call). The
 * runtime selects CONSOLE_AUTO before payload_main(); until then output
 * goes through the legacy call.
 */
void console_select(enum console_backend backend);

/** Returns the backend in use (never CONSOLE_AUTO). */
enum console_backend console_backend_in_use(void);

/** Writes one byte. */
void console_putc(char c);

/** Writes a NUL-terminated string as it is (no newline added). */
void console_puts(const char *s);

/**
 * Writes @fmt formatted like printf, for the conversions %s %c %d %u %x and
 * %% with the length modifiers l and ll and an optional '0' flag and width
 * ("%016lx"). Anything else is written as "%?".
 */
__attribute__((format(printf, 1, 2))) void console_printf(const char *fmt, ...);

/** console_printf() with a va_list. */
__attribute__((format(printf, 1, 0))) void console_vprintf(const char *fmt, va_list ap);
