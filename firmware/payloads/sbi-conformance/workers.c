// SPDX-License-Identifier: BSD-2-Clause
/*
 * Secondary harts of the conformance run ("workers"). The boot hart starts
 * one through HSM; it records what it found at entry, then sleeps with
 * supervisor software interrupts enabled (so IPIs are counted by the
 * runtime's trap handler) and follows commands left in its mailbox, each
 * delivered with an IPI: stop, or wake the boot hart from a suspend.
 */
#include "conf.h"
#include "payload/csr.h"
#include "payload/payload.h"

#define CONF_OPAQUE_TAG UINT64_C(0xc0ffee0000000000)

enum conf_worker_cmd {
	CONF_WORKER_IDLE,
	CONF_WORKER_STOP,
	CONF_WORKER_WAKE,
};

/* One mailbox per hart id; the worker writes its fields, the boot hart reads them. */
struct conf_worker {
	unsigned long entered;
	unsigned long a0, a1, sstatus, satp;
	unsigned long cmd;
	unsigned long target;
	unsigned long seen_status;
	unsigned long wake_done;
	unsigned long stop_returned;
};

static struct conf_worker conf_workers[PAYLOAD_MAX_HARTS];

/* The run's facts, for the workers' own bounded waits (set before the first start). */
static const struct conf *conf_workers_run;

unsigned long conf_worker_opaque(unsigned long hartid)
{
	return CONF_OPAQUE_TAG | hartid;
}

static unsigned long conf_load(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void conf_store(unsigned long *p, unsigned long v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* The status HSM reports for @hartid, or ~0 when the call fails. */
static unsigned long conf_status(unsigned long hartid)
{
	struct sbiret r = sbi_hart_get_status(hartid);

	return r.error == SBI_SUCCESS ? r.value : ~0UL;
}

static void conf_worker_wake(struct conf_worker *w)
{
	unsigned long target = conf_load(&w->target);
	unsigned long seen = ~0UL;
	struct conf_wait wait;

	conf_wait_start(conf_workers_run, &wait, CONF_PATIENCE_MS);
	while (!conf_wait_over(&wait)) {
		seen = conf_status(target);
		if (seen == SBI_HSM_STATE_SUSPENDED) {
			break;
		}
	}
	conf_store(&w->seen_status, seen);
	/* Wake the target whatever was seen, so a wrong status cannot hang the run. */
	(void)sbi_send_ipi(1, target);
	conf_store(&w->wake_done, 1);
}

__attribute__((noreturn)) static void conf_worker_halt(struct conf_worker *w)
{
	csr_clear_sstatus(SSTATUS_SIE);
	csr_clear_sie(SIE_SSIE | SIE_STIE | SIE_SEIE);
	(void)sbi_hart_stop();
	conf_store(&w->stop_returned, 1);
	payload_park();
}

void payload_secondary_main(const struct payload_hart_entry *entry)
{
	/* start.S parks harts whose id is not below PAYLOAD_MAX_HARTS. */
	struct conf_worker *w = &conf_workers[entry->hartid];

	w->a0 = entry->hartid;
	w->a1 = entry->opaque;
	w->sstatus = entry->sstatus;
	w->satp = entry->satp;
	conf_store(&w->entered, 1);
	csr_set_sie(SIE_SSIE);
	for (;;) {
		unsigned long cmd;

		/*
		 * Check for a command with SIE clear, so an IPI arriving between
		 * the check and WFI stays pending and WFI returns at once.
		 */
		csr_clear_sstatus(SSTATUS_SIE);
		cmd = conf_load(&w->cmd);
		if (cmd == CONF_WORKER_IDLE) {
			cpu_wfi();
		}
		csr_set_sstatus(SSTATUS_SIE);
		if (cmd == CONF_WORKER_STOP) {
			conf_worker_halt(w);
		}
		if (cmd == CONF_WORKER_WAKE) {
			conf_worker_wake(w);
			conf_store(&w->cmd, CONF_WORKER_IDLE);
		}
	}
}

/* @hartid's mailbox, or NULL for a hart id the runtime cannot run (start.S parks it). */
static struct conf_worker *conf_worker(unsigned long hartid)
{
	return hartid < PAYLOAD_MAX_HARTS ? &conf_workers[hartid] : NULL;
}

static void conf_worker_command(struct conf_worker *w, unsigned long hartid,
				enum conf_worker_cmd cmd)
{
	conf_store(&w->cmd, cmd);
	(void)sbi_send_ipi(1, hartid);
}

struct sbiret conf_worker_start(const struct conf *c, unsigned long hartid)
{
	struct conf_worker *w = conf_worker(hartid);
	struct sbiret fail = { .error = SBI_ERR_FAILED };

	if (w == NULL) {
		return fail;
	}
	conf_workers_run = c;
	conf_store(&w->entered, 0);
	conf_store(&w->cmd, CONF_WORKER_IDLE);
	conf_store(&w->wake_done, 0);
	conf_store(&w->stop_returned, 0);
	return payload_hart_start(hartid, conf_worker_opaque(hartid));
}

bool conf_worker_wait_entered(const struct conf *c, unsigned long hartid)
{
	struct conf_worker *w = conf_worker(hartid);
	struct conf_wait wait;

	if (w == NULL) {
		return false;
	}
	conf_wait_start(c, &wait, CONF_PATIENCE_MS);
	while (conf_load(&w->entered) == 0) {
		if (conf_wait_over(&wait)) {
			return false;
		}
	}
	return true;
}

void conf_worker_entry(unsigned long hartid, unsigned long *a0, unsigned long *a1,
		       unsigned long *sstatus, unsigned long *satp)
{
	const struct conf_worker *w = conf_worker(hartid);

	if (w == NULL) {
		*a0 = *a1 = *sstatus = *satp = ~0UL;
		return;
	}
	*a0 = w->a0;
	*a1 = w->a1;
	*sstatus = w->sstatus;
	*satp = w->satp;
}

unsigned long conf_worker_stop(const struct conf *c, unsigned long hartid)
{
	struct conf_worker *w = conf_worker(hartid);
	unsigned long status = ~0UL;
	struct conf_wait wait;

	if (w == NULL) {
		return status;
	}
	conf_worker_command(w, hartid, CONF_WORKER_STOP);
	conf_wait_start(c, &wait, CONF_PATIENCE_MS);
	while (!conf_wait_over(&wait)) {
		status = conf_status(hartid);
		if (status == SBI_HSM_STATE_STOPPED) {
			break;
		}
	}
	return status;
}

bool conf_worker_stop_returned(unsigned long hartid)
{
	const struct conf_worker *w = conf_worker(hartid);

	return w != NULL && conf_load(&w->stop_returned) != 0;
}

void conf_worker_wake_when_suspended(unsigned long hartid, unsigned long target)
{
	struct conf_worker *w = conf_worker(hartid);

	if (w == NULL) {
		return;
	}
	conf_store(&w->target, target);
	conf_store(&w->wake_done, 0);
	conf_worker_command(w, hartid, CONF_WORKER_WAKE);
}

unsigned long conf_worker_seen_status(const struct conf *c, unsigned long hartid)
{
	const struct conf_worker *w = conf_worker(hartid);
	struct conf_wait wait;

	if (w == NULL) {
		return ~0UL;
	}
	conf_wait_start(c, &wait, CONF_PATIENCE_MS);
	while (conf_load(&w->wake_done) == 0) {
		if (conf_wait_over(&wait)) {
			return ~0UL;
		}
	}
	return conf_load(&w->seen_status);
}
