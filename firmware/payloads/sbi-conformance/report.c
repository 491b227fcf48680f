// SPDX-License-Identifier: BSD-2-Clause
/*
 * The transcript writer, hart naming and bounded waits (conf.h).
 */
#include <stdarg.h>
#include <stddef.h>

#include "conf.h"
#include "payload/console.h"
#include "payload/csr.h"
#include "payload/trap.h"

/* Without rdtime, a wait of one millisecond is this many spins (generous under TCG). */
#define CONF_SPINS_PER_MS 20000UL

static unsigned long conf_lines;

void conf_begin(void)
{
	conf_lines = 0;
	console_printf("sbi-conformance: begin\n");
}

void conf_end(void)
{
	console_printf("sbi-conformance: end (%lu lines)\n", conf_lines);
}

void conf_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_putc('\n');
	conf_lines++;
}

void conf_id(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_putc(' ');
}

void conf_verdict(const char *fmt, ...)
{
	va_list ap;

	console_putc(' ');
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_putc('\n');
	conf_lines++;
}

void conf_ret(struct sbiret ret, enum conf_show show, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	if (ret.error != SBI_SUCCESS) {
		console_printf(" err %ld\n", ret.error);
	} else if (show == CONF_HEX) {
		console_printf(" ok 0x%lx\n", ret.value);
	} else if (show == CONF_DEC) {
		console_printf(" ok %lu\n", ret.value);
	} else {
		console_printf(" ok\n");
	}
	conf_lines++;
}

const char *conf_hsm_state_name(unsigned long state)
{
	static const char *const names[] = {
		[SBI_HSM_STATE_STARTED] = "started",
		[SBI_HSM_STATE_STOPPED] = "stopped",
		[SBI_HSM_STATE_START_PENDING] = "start_pending",
		[SBI_HSM_STATE_STOP_PENDING] = "stop_pending",
		[SBI_HSM_STATE_SUSPENDED] = "suspended",
		[SBI_HSM_STATE_SUSPEND_PENDING] = "suspend_pending",
		[SBI_HSM_STATE_RESUME_PENDING] = "resume_pending",
	};

	if (state >= sizeof(names) / sizeof(names[0])) {
		return "state?";
	}
	return names[state];
}

void conf_ret_either(struct sbiret ret, long other, const char *verdict, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	if (ret.error == SBI_SUCCESS || ret.error == other) {
		console_printf(" %s\n", verdict);
	} else {
		console_printf(" err %ld\n", ret.error);
	}
	conf_lines++;
}

const char *conf_hart_label(unsigned long k, struct conf_label *l)
{
	static const char prefix[] = "boot+";
	char digits[20];
	size_t n = 0;
	size_t i = 0;

	if (k == 0) {
		l->s[0] = 's';
		l->s[1] = 'e';
		l->s[2] = 'l';
		l->s[3] = 'f';
		l->s[4] = '\0';
		return l->s;
	}
	do {
		digits[n++] = (char)('0' + k % 10);
		k /= 10;
	} while (k != 0 && n < sizeof(digits));
	for (; prefix[i] != '\0'; i++) {
		l->s[i] = prefix[i];
	}
	while (n > 0) {
		l->s[i++] = digits[--n];
	}
	l->s[i] = '\0';
	return l->s;
}

unsigned long conf_hart(const struct conf *c, unsigned long k)
{
	return (c->boot_hart + k) % c->nharts;
}

bool conf_readable(uint64_t addr)
{
	trap_expect_arm();
	(void)*(const volatile uint32_t *)addr;
	return trap_expect_disarm() == TRAP_NONE;
}

uint64_t conf_time_after(const struct conf *c, unsigned long ms)
{
	return csr_read_time() + c->timebase_hz / 1000u * ms;
}

void conf_wait_start(const struct conf *c, struct conf_wait *w, unsigned long ms)
{
	w->use_time = c->rdtime;
	w->deadline = c->rdtime ? conf_time_after(c, ms) : 0;
	w->spins = 0;
	/* A hard cap even with rdtime, so that a stuck time CSR cannot hang the run. */
	w->max_spins = ms * CONF_SPINS_PER_MS * (c->rdtime ? 50u : 1u);
}

bool conf_wait_over(struct conf_wait *w)
{
	if (w->spins++ >= w->max_spins) {
		return true;
	}
	if (w->use_time && csr_read_time() >= w->deadline) {
		return true;
	}
	cpu_relax();
	return false;
}
