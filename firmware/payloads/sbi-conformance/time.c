// SPDX-License-Identifier: BSD-2-Clause
/*
 * TIME extension (SBI spec, "Timer Extension"). The runtime's trap handler
 * counts supervisor timer interrupts, records the time of the last one and
 * masks sie.STIE (payload/trap.h), so each check re-enables STIE.
 *
 * Whether S-mode may write stimecmp itself (Sstc, with menvcfg.STCE set by
 * the firmware) is the firmware's choice: impl. lines.
 */
#include "conf.h"
#include "payload/csr.h"
#include "payload/trap.h"

/* Waits up to @ms for boot's timer interrupt count to pass @before. Returns the new count. */
static unsigned long conf_time_wait_irq(const struct conf *c, unsigned long before,
					unsigned long ms)
{
	unsigned long now = before;
	struct conf_wait wait;

	conf_wait_start(c, &wait, ms);
	while (!conf_wait_over(&wait)) {
		now = trap_irq_count(c->boot_hart, TRAP_IRQ_TIMER);
		if (now != before) {
			break;
		}
	}
	return now;
}

/* Waits up to @ms for sip.STIP. Returns whether it became pending. */
static bool conf_time_wait_pending(const struct conf *c, unsigned long ms)
{
	struct conf_wait wait;

	conf_wait_start(c, &wait, ms);
	while (!conf_wait_over(&wait)) {
		if ((csr_read_sip() & SIP_STIP) != 0) {
			return true;
		}
	}
	return (csr_read_sip() & SIP_STIP) != 0;
}

/* An interrupt from set_timer(now + 10 ms), taken no earlier than asked. */
static void conf_time_interrupt(const struct conf *c)
{
	unsigned long before = trap_irq_count(c->boot_hart, TRAP_IRQ_TIMER);
	uint64_t deadline = conf_time_after(c, 10);
	unsigned long after;
	struct sbiret r;

	/*
	 * Program first, enable second: the timer's state at the hand-over is
	 * unspecified (it may be pending), and set_timer clears a pending one.
	 */
	r = sbi_set_timer(deadline);
	csr_set_sie(SIE_STIE);
	csr_set_sstatus(SSTATUS_SIE);
	conf_ret(r, CONF_NO_VALUE, "time.set_timer(now+10ms)");
	after = conf_time_wait_irq(c, before, CONF_PATIENCE_MS);
	conf_line("time.set_timer(now+10ms).interrupts %lu", after - before);
	conf_line("time.set_timer(now+10ms).not_early %s",
		  after != before && trap_last_timer_time(c->boot_hart) >= deadline ? "yes" : "no");
	csr_clear_sstatus(SSTATUS_SIE);
}

/* A past time makes STIP pending; a future one clears it, masked or not. */
static void conf_time_pending(const struct conf *c)
{
	struct sbiret r;
	bool pending;

	csr_clear_sie(SIE_STIE);
	r = sbi_set_timer(0);
	pending = conf_time_wait_pending(c, CONF_PATIENCE_MS);
	conf_ret(r, CONF_NO_VALUE, "time.set_timer(past)");
	conf_line("time.set_timer(past).pending %s", pending ? "yes" : "no");
	r = sbi_set_timer(conf_time_after(c, 60000));
	pending = (csr_read_sip() & SIP_STIP) != 0;
	conf_ret(r, CONF_NO_VALUE, "time.set_timer(future)");
	conf_line("time.set_timer(future).clears_pending %s", pending ? "no" : "yes");
}

/*
 * set_timer((uint64_t)-1) cancels an event already programmed. Interrupts
 * are enabled only after the cancel: on a loaded host the 5 ms can pass
 * before the cancel, and the event would then be taken, correctly. Due or
 * not, the cancel must leave nothing to take (set_timer clears a pending
 * one), and the wait runs well past the old deadline.
 */
static void conf_time_cancel(const struct conf *c)
{
	unsigned long before = trap_irq_count(c->boot_hart, TRAP_IRQ_TIMER);
	unsigned long after;
	struct sbiret r;

	csr_clear_sie(SIE_STIE);
	(void)sbi_set_timer(conf_time_after(c, 5));
	r = sbi_set_timer(UINT64_MAX);
	csr_set_sie(SIE_STIE);
	csr_set_sstatus(SSTATUS_SIE);
	conf_ret(r, CONF_NO_VALUE, "time.set_timer(max)");
	after = conf_time_wait_irq(c, before, 30);
	conf_line("time.set_timer(max).interrupts %lu", after - before);
	conf_line("time.set_timer(max).pending %s",
		  (csr_read_sip() & SIP_STIP) != 0 ? "yes" : "no");
	csr_clear_sstatus(SSTATUS_SIE);
	csr_clear_sie(SIE_STIE);
}

/* Sstc: a direct stimecmp write, if the firmware lets S-mode make one. */
static void conf_time_sstc(const struct conf *c)
{
	unsigned long before = trap_irq_count(c->boot_hart, TRAP_IRQ_TIMER);
	unsigned long after;

	trap_expect_arm();
	csr_write_stimecmp(UINT64_MAX);
	if (trap_expect_disarm() != TRAP_NONE) {
		conf_line("impl.time.stimecmp_write traps");
		return;
	}
	conf_line("impl.time.stimecmp_write works");
	csr_set_sie(SIE_STIE);
	csr_set_sstatus(SSTATUS_SIE);
	csr_write_stimecmp(conf_time_after(c, 5));
	after = conf_time_wait_irq(c, before, CONF_PATIENCE_MS);
	csr_clear_sstatus(SSTATUS_SIE);
	csr_write_stimecmp(UINT64_MAX);
	conf_line("impl.time.stimecmp_write.interrupts %lu", after - before);
	/* Hand the timer back to the SBI in a known state. */
	(void)sbi_set_timer(UINT64_MAX);
	csr_clear_sie(SIE_STIE);
}

void conf_time_run(const struct conf *c)
{
	struct sbiret r;

	conf_line("time.rdtime %s", c->rdtime ? "works" : "traps");
	if (c->rdtime) {
		conf_time_interrupt(c);
		conf_time_pending(c);
		conf_time_cancel(c);
	} else {
		conf_line("time.set_timer skipped");
	}
	r = sbi_ecall(SBI_EXT_TIME, CONF_UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "time.unknown_fid");
	if (c->rdtime) {
		conf_time_sstc(c);
	}
}
