/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The payload runtime: entry points, per-hart stacks and exit.
 *
 * Boot: the SBI implementation enters _start (0x8020_0000) on one hart with
 * a0 = hartid, a1 = FDT. start.S masks interrupts, points stvec at the trap
 * handler, lets one hart through (a lottery, in case an implementation
 * enters every hart), clears .bss, and calls payload_main() on the hart's
 * stack. Its return value goes to payload_exit().
 *
 * Secondary harts: payload_hart_start() starts a hart through SBI HSM at
 * payload_secondary_entry with a1 = opaque; it runs
 * payload_secondary_main() and then stops itself (HSM hart_stop).
 *
 * On every hart tp holds the hart id for the whole run.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "payload/layout.h"
#include "payload/sbi.h"

/* The registers a hart came in with, read before the runtime changed any. */
struct payload_hart_entry {
	unsigned long hartid;  /* a0 */
	unsigned long opaque;  /* a1: the FDT on the boot hart, hart_start's opaque otherwise */
	unsigned long sstatus; /* sstatus at the first instruction */
	unsigned long satp;    /* satp at the first instruction */
};

/**
 * The payload's main program, run on the boot hart. Provided by each
 * payload. Returns the exit code given to payload_exit().
 */
int payload_main(const struct payload_hart_entry *entry);

/**
 * The payload's code for a hart started with payload_hart_start(). Provided
 * by each payload. When it returns, the hart stops (HSM hart_stop).
 */
void payload_secondary_main(const struct payload_hart_entry *entry);

/** Returns the calling hart's id (kept in tp). */
unsigned long payload_hartid(void);

/**
 * Starts hart @hartid at payload_secondary_entry with a1 = @opaque (HSM
 * hart_start). Returns the SBI result.
 */
struct sbiret payload_hart_start(unsigned long hartid, unsigned long opaque);

/** Returns the address harts are started at (for calls made by hand). */
unsigned long payload_secondary_entry_addr(void);

/**
 * Returns true when every hart's stack guard still holds its fill pattern.
 * Prints the first overwritten guard otherwise.
 */
bool payload_stack_guards_intact(void);

/**
 * Ends the run: SRST system_reset(shutdown) with reason "none" for @code 0,
 * "system failure" otherwise (also when a stack guard was overwritten). If
 * the reset returns, tries the legacy shutdown, then parks the hart.
 */
__attribute__((noreturn)) void payload_exit(int code);

/** Parks the calling hart for good, interrupts masked (start.S). */
__attribute__((noreturn)) void payload_park(void);

/** C entry of the boot hart, called by start.S only. */
__attribute__((noreturn)) void payload_boot_start(unsigned long hartid, unsigned long fdt,
						  unsigned long sstatus, unsigned long satp);

/** C entry of a started hart, called by start.S only. */
__attribute__((noreturn)) void payload_secondary_start(unsigned long hartid, unsigned long opaque,
						       unsigned long sstatus, unsigned long satp);
