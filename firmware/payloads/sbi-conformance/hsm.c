// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hart State Management (SBI spec, "Hart State Management Extension").
 *
 * Roles, relative to the boot hart ("self"): boot+1 and boot+2 are started
 * as workers (workers.c) and stay up for the IPI and RFENCE checks; boot+3
 * stays stopped and is the target of the bad start requests. With fewer
 * harts the checks that need a missing one say "skipped".
 */
#include "conf.h"
#include "payload/csr.h"
#include "payload/payload.h"

/* Hart ids probed with hart_get_status to count the harts. */
#define CONF_HART_SCAN 64u

/* Where QEMU virt's -bios firmware (the SBI implementation itself) lives. */
#define CONF_FIRMWARE_ADDR UINT64_C(0x80000000)

/* No RISC-V physical address has more than 56 bits (Sv57), so this is none. */
#define CONF_BEYOND_PA (UINT64_C(1) << 56)

/* A suspend type in the "reserved for future use" range (HSM suspend types table). */
#define CONF_SUSPEND_RESERVED UINT32_C(0x00000001)
/* A platform-specific retentive type that QEMU virt does not implement. */
#define CONF_SUSPEND_PLATFORM UINT32_C(0x10000000)

/* Writes "hsm.hart_get_status(<hart>)<when><what> ok <state>" (or "err <code>"). */
static void conf_hsm_status_line(unsigned long k, unsigned long hartid, const char *when,
				 const char *what)
{
	struct sbiret r = sbi_hart_get_status(hartid);
	struct conf_label l;

	if (r.error != SBI_SUCCESS) {
		conf_line("hsm.hart_get_status(%s)%s%s err %ld", conf_hart_label(k, &l), when, what,
			  r.error);
	} else {
		conf_line("hsm.hart_get_status(%s)%s%s ok %s", conf_hart_label(k, &l), when, what,
			  conf_hsm_state_name(r.value));
	}
}

void conf_hsm_run_status(struct conf *c)
{
	unsigned long n = 0;
	bool contiguous = true;
	struct sbiret r;

	for (unsigned long h = 0; h < CONF_HART_SCAN; h++) {
		r = sbi_hart_get_status(h);
		if (r.error == SBI_SUCCESS) {
			contiguous = contiguous && h == n;
			n++;
		}
	}
	conf_line("hsm.hart_count %lu", n);
	conf_line("hsm.hart_ids %s", contiguous ? "contiguous" : "sparse");
	/* Hart masks are one word here: at most 63 harts, so that bit "count" exists. */
	if (contiguous && n > c->boot_hart && n < 64) {
		c->nharts = n;
	}
	for (unsigned long k = 0; k < c->nharts && k < CONF_MAX_HARTS; k++) {
		conf_hsm_status_line(k, conf_hart(c, k), "", "");
	}
	r = sbi_hart_get_status(n);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_get_status(hart=count)");
	r = sbi_hart_get_status(~0UL);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_get_status(hart=-1)");
	r = sbi_ecall(SBI_EXT_HSM, CONF_UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.unknown_fid");
}

/* Starts worker boot+@k and checks its entry state (HSM "Hart start register state"). */
static void conf_hsm_start_worker(const struct conf *c, unsigned long k, const char *when)
{
	unsigned long hartid = conf_hart(c, k);
	unsigned long a0, a1, sstatus, satp;
	struct conf_label l;
	struct sbiret r;
	bool entered;

	conf_hart_label(k, &l);
	r = conf_worker_start(c, hartid);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(%s)%s", l.s, when);
	entered = r.error == SBI_SUCCESS && conf_worker_wait_entered(c, hartid);
	conf_line("hsm.hart_start(%s)%s.entered %s", l.s, when, entered ? "yes" : "no");
	if (!entered) {
		return;
	}
	conf_worker_entry(hartid, &a0, &a1, &sstatus, &satp);
	conf_line("hsm.hart_start(%s)%s.a0_hartid %s", l.s, when, a0 == hartid ? "yes" : "no");
	conf_line("hsm.hart_start(%s)%s.a1_opaque %s", l.s, when,
		  a1 == conf_worker_opaque(hartid) ? "yes" : "no");
	conf_line("hsm.hart_start(%s)%s.satp %s", l.s, when, satp == 0 ? "zero" : "nonzero");
	conf_line("hsm.hart_start(%s)%s.sstatus_sie %s", l.s, when,
		  (sstatus & SSTATUS_SIE) == 0 ? "clear" : "set");
	conf_hsm_status_line(k, hartid, when, ".after_start");
}

void conf_hsm_run_start(const struct conf *c)
{
	unsigned long entry = payload_secondary_entry_addr();
	struct sbiret r;

	r = sbi_hart_start(c->boot_hart, entry, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(self)");
	r = sbi_hart_start(c->nharts, entry, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(hart=count)");
	r = sbi_hart_start(~0UL, entry, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(hart=-1)");
	if (c->nharts >= 4) {
		/* Executing the SBI implementation's own memory is not allowed to S-mode. */
		r = sbi_hart_start(conf_hart(c, 3), CONF_FIRMWARE_ADDR, 0);
		conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(boot+3,addr=firmware)");
		conf_hsm_status_line(3, conf_hart(c, 3), "", ".after_bad_start");
	} else {
		conf_line("hsm.hart_start(boot+3,addr=firmware) skipped");
		conf_line("hsm.hart_get_status(boot+3).after_bad_start skipped");
	}
	if (c->nharts < 2) {
		conf_line("hsm.hart_start(boot+1) skipped");
		return;
	}
	conf_hsm_start_worker(c, 1, "");
	r = conf_worker_start(c, conf_hart(c, 1));
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(boot+1).again");
	if (c->nharts >= 3) {
		conf_hsm_start_worker(c, 2, "");
	} else {
		conf_line("hsm.hart_start(boot+2) skipped");
	}
}

/* A retentive suspend of the boot hart, woken by its own timer. */
static void conf_hsm_suspend_timer(const struct conf *c)
{
	uint64_t deadline;
	uint64_t woke;
	bool pending;
	struct sbiret r;

	if (!c->rdtime) {
		conf_line("hsm.hart_suspend(retentive,timer) skipped");
		return;
	}
	csr_clear_sstatus(SSTATUS_SIE);
	deadline = conf_time_after(c, 20);
	(void)sbi_set_timer(deadline);
	csr_set_sie(SIE_STIE);
	r = sbi_hart_suspend(SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0);
	woke = csr_read_time();
	pending = (csr_read_sip() & SIP_STIP) != 0;
	(void)sbi_set_timer(UINT64_MAX);
	csr_clear_sie(SIE_STIE);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_suspend(retentive,timer)");
	conf_line("hsm.hart_suspend(retentive,timer).timer_pending %s", pending ? "yes" : "no");
	conf_line("hsm.hart_suspend(retentive,timer).after_deadline %s",
		  woke >= deadline ? "yes" : "no");
}

/* A retentive suspend of the boot hart, woken by boot+1's IPI once HSM shows it SUSPENDED. */
static void conf_hsm_suspend_ipi(const struct conf *c)
{
	unsigned long waker = conf_hart(c, 1);
	unsigned long seen;
	bool pending;
	struct sbiret r;

	if (c->nharts < 2) {
		conf_line("hsm.hart_suspend(retentive,ipi) skipped");
		return;
	}
	csr_clear_sstatus(SSTATUS_SIE);
	csr_clear_sip(SIP_SSIP);
	csr_set_sie(SIE_SSIE);
	conf_worker_wake_when_suspended(waker, c->boot_hart);
	r = sbi_hart_suspend(SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0);
	pending = (csr_read_sip() & SIP_SSIP) != 0;
	seen = conf_worker_seen_status(c, waker);
	csr_clear_sip(SIP_SSIP);
	csr_clear_sie(SIE_SSIE);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_suspend(retentive,ipi)");
	conf_line("hsm.hart_suspend(retentive,ipi).ipi_pending %s", pending ? "yes" : "no");
	conf_line("hsm.hart_suspend(retentive,ipi).state_seen_by_boot+1 %s",
		  seen == ~0UL ? "none" : conf_hsm_state_name(seen));
	conf_hsm_status_line(0, c->boot_hart, "", ".after_suspend");
}

void conf_hsm_run_suspend(const struct conf *c)
{
	struct sbiret r;

	r = sbi_hart_suspend(CONF_SUSPEND_RESERVED, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_suspend(type=0x1)");
	r = sbi_hart_suspend(CONF_SUSPEND_PLATFORM, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "hsm.hart_suspend(type=0x10000000)");
	conf_hsm_suspend_timer(c);
	conf_hsm_suspend_ipi(c);
}

/* Stops worker boot+@k and checks that HSM reports it STOPPED and hart_stop did not return. */
static void conf_hsm_stop_worker(const struct conf *c, unsigned long k, const char *when)
{
	unsigned long hartid = conf_hart(c, k);
	unsigned long status = conf_worker_stop(c, hartid);
	struct conf_label l;

	conf_hart_label(k, &l);
	conf_line("hsm.hart_stop(%s)%s.state %s", l.s, when,
		  status == ~0UL ? "none" : conf_hsm_state_name(status));
	conf_line("hsm.hart_stop(%s)%s.returned %s", l.s, when,
		  conf_worker_stop_returned(hartid) ? "yes" : "no");
}

void conf_hsm_run_stop(const struct conf *c)
{
	struct sbiret r;

	if (c->nharts < 2) {
		conf_line("hsm.hart_stop(boot+1) skipped");
		return;
	}
	conf_hsm_stop_worker(c, 1, "");
	/* A stopped hart can be started again. */
	conf_hsm_start_worker(c, 1, ".restart");
	conf_hsm_stop_worker(c, 1, ".restart");
	if (c->nharts >= 3) {
		conf_hsm_stop_worker(c, 2, "");
	}
	for (unsigned long k = 0; k < c->nharts && k < CONF_MAX_HARTS; k++) {
		conf_hsm_status_line(k, conf_hart(c, k), "", ".at_end");
	}
	/*
	 * Last, because an implementation that wrongly accepts this start
	 * leaves boot+3 faulting wherever it lands.
	 */
	if (c->nharts >= 4) {
		r = sbi_hart_start(conf_hart(c, 3), CONF_BEYOND_PA, 0);
		conf_ret(r, CONF_NO_VALUE, "hsm.hart_start(boot+3,addr=beyond_pa)");
	} else {
		conf_line("hsm.hart_start(boot+3,addr=beyond_pa) skipped");
	}
}
