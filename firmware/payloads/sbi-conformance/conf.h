/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SBI conformance payload's shared pieces: the run's facts, the
 * transcript writer, hart naming, bounded waits and the secondary harts.
 *
 * Transcript (README.md): between the lines "sbi-conformance: begin" and
 * "sbi-conformance: end", one line per check, "<id> <verdict>". The id is
 * unique, has no spaces and names harts relative to the boot hart ("self",
 * "boot+1"), so the transcript does not depend on which hart booted. Lines
 * whose verdict is implementation-specific (ids, versions) start with
 * "impl." and are left out of comparisons.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "payload/sbi.h"

/*
 * How long a check waits for something that should happen at once (an IPI,
 * a hart starting). Waits end as soon as it happens; the margin is for CI
 * hosts that run QEMU's vCPU threads on few, busy cores.
 */
#define CONF_PATIENCE_MS 5000u

/* A function id no extension defines: NOT_SUPPORTED everywhere ("Binary Encoding"). */
#define CONF_UNKNOWN_FID 0x1000u

/* The most harts the transcript names; more are left alone. */
#define CONF_MAX_HARTS 8

/* What the run found out before the checks (main.c). */
struct conf {
	unsigned long boot_hart;
	/* Valid hart ids are 0..nharts-1 (checked contiguous by HSM). */
	unsigned long nharts;
	uint64_t dram_base;
	uint64_t dram_end;
	uint64_t timebase_hz;
	/* Reading the time CSR works in S-mode. */
	bool rdtime;
	/* Base.probe_extension says DBCN is there. */
	bool dbcn;
};

/* How conf_ret() shows a successful call's value. */
enum conf_show {
	CONF_NO_VALUE,
	CONF_HEX,
	CONF_DEC,
};

/* Writes the begin marker and starts counting lines. */
void conf_begin(void);

/* Writes the end marker with the number of lines written. */
void conf_end(void);

/** Writes one transcript line, @fmt formatted, and a newline. */
__attribute__((format(printf, 1, 2))) void conf_line(const char *fmt, ...);

/**
 * Writes the transcript line "<id> <verdict>" for the result @ret of a call:
 * "ok" (followed by the value as @show says) when ret.error is 0, else
 * "err <error>". The id is @fmt formatted.
 */
__attribute__((format(printf, 3, 4))) void conf_ret(struct sbiret ret, enum conf_show show,
						    const char *fmt, ...);

/**
 * Writes the transcript line "<id> <verdict>" for a call that the spec (in
 * one of its versions) lets either succeed or fail with @other: @verdict
 * (such as "ok-or-invalid_param") for either, "err <error>" for any other
 * error. The id is @fmt formatted.
 */
__attribute__((format(printf, 4, 5))) void
conf_ret_either(struct sbiret ret, long other, const char *verdict, const char *fmt, ...);

/**
 * Writes the id part of a line and a space (@fmt formatted) for a check that writes its
 * verdict later with conf_verdict(), because the call under test itself
 * writes to the console in between.
 */
__attribute__((format(printf, 1, 2))) void conf_id(const char *fmt, ...);

/**
 * Ends the line started by conf_id() with a space and the verdict, @fmt
 * formatted.
 */
__attribute__((format(printf, 1, 2))) void conf_verdict(const char *fmt, ...);

/* Room for a hart's name in the transcript ("self", "boot+<k>"). */
struct conf_label {
	char s[24];
};

/**
 * Writes into @l and returns the transcript's name of the hart @k harts
 * after the boot hart: "self" for k = 0, else "boot+<k>".
 */
const char *conf_hart_label(unsigned long k, struct conf_label *l);

/** Returns the name of HSM state @state ("started", ...) or "state?" when unknown. */
const char *conf_hsm_state_name(unsigned long state);

/**
 * Returns the hart id @k harts after the boot hart, wrapping around:
 * conf_hart(c, 0) is the boot hart.
 */
unsigned long conf_hart(const struct conf *c, unsigned long k);

/* A bounded wait: ends when its time (or, without rdtime, its spin budget) is up. */
struct conf_wait {
	bool use_time;
	uint64_t deadline;
	unsigned long spins;
	unsigned long max_spins;
};

/** Starts a wait of @ms milliseconds. */
void conf_wait_start(const struct conf *c, struct conf_wait *w, unsigned long ms);

/** Returns true once the wait @w is over; spins briefly when it is not. */
bool conf_wait_over(struct conf_wait *w);

/** Returns the time CSR plus @ms milliseconds (needs c->rdtime). */
uint64_t conf_time_after(const struct conf *c, unsigned long ms);

/**
 * Returns true when S-mode can load the 32-bit word at @addr (the fault of
 * a denied load is absorbed).
 */
bool conf_readable(uint64_t addr);

/* Secondary harts ("workers", workers.c). */

/** Clears @hartid's mailbox and starts it (HSM hart_start). Returns the SBI result. */
struct sbiret conf_worker_start(const struct conf *c, unsigned long hartid);

/** Returns the opaque value conf_worker_start() passes to @hartid. */
unsigned long conf_worker_opaque(unsigned long hartid);

/** Waits up to CONF_PATIENCE_MS for @hartid to reach C. Returns true if it did. */
bool conf_worker_wait_entered(const struct conf *c, unsigned long hartid);

/** Returns what @hartid found at entry (only after conf_worker_wait_entered()). */
void conf_worker_entry(unsigned long hartid, unsigned long *a0, unsigned long *a1,
		       unsigned long *sstatus, unsigned long *satp);

/**
 * Asks worker @hartid to stop (HSM hart_stop) and waits up to CONF_PATIENCE_MS for
 * HSM to report it STOPPED. Returns the last status read (an SBI_HSM_STATE_*,
 * or ~0 when hart_get_status failed).
 */
unsigned long conf_worker_stop(const struct conf *c, unsigned long hartid);

/** Returns true when @hartid's hart_stop call returned (it must not). */
bool conf_worker_stop_returned(unsigned long hartid);

/**
 * Asks worker @hartid to wait until HSM reports hart @target SUSPENDED and
 * then to send it an IPI. Returns at once; conf_worker_seen_status() tells
 * what the worker saw.
 */
void conf_worker_wake_when_suspended(unsigned long hartid, unsigned long target);

/**
 * Waits up to CONF_PATIENCE_MS for the request of conf_worker_wake_when_suspended()
 * to finish. Returns the last HSM state the worker read for the target (~0
 * when hart_get_status failed or it did not finish).
 */
unsigned long conf_worker_seen_status(const struct conf *c, unsigned long hartid);

/*
 * The checks, one file per extension, called by payload_main() in this
 * order; each writes its lines and leaves interrupts masked.
 */

/** Base: versions, ids, probe_extension of every standard EID (base.c). */
void conf_base_run(const struct conf *c);

/** HSM: counts the harts into c->nharts and reads every hart's status (hsm.c). */
void conf_hsm_run_status(struct conf *c);

/** HSM: bad starts, then starts the workers boot+1 and boot+2 (hsm.c). */
void conf_hsm_run_start(const struct conf *c);

/** IPI: delivery to self, workers and all harts; invalid hart lists (ipi.c). */
void conf_ipi_run(const struct conf *c);

/** RFENCE: the three remote fences over the same hart lists and ranges (rfence.c). */
void conf_rfence_run(const struct conf *c);

/** TIME: interrupt, pending bit, cancel, and Sstc as impl. lines (time.c). */
void conf_time_run(const struct conf *c);

/** HSM: bad suspend types, retentive suspends woken by timer and by IPI (hsm.c). */
void conf_hsm_run_suspend(const struct conf *c);

/** HSM: stops the workers, restarts one, then a start at an impossible address (hsm.c). */
void conf_hsm_run_stop(const struct conf *c);

/** DBCN: writes, reads, and ranges S-mode may not hand over (dbcn.c). */
void conf_dbcn_run(const struct conf *c);

/** Legacy console_putchar (legacy.c). */
void conf_legacy_run(const struct conf *c);

/** SRST: reserved and unimplemented types and reasons (srst.c). */
void conf_srst_run(const struct conf *c);
