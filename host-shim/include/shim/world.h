/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A world: N emulated harts and physical memory laid out like QEMU virt
 * (DRAM at 0x8000_0000, every other address a hole that faults), plus the
 * machine-level devices the monitor uses (ACLINT timer and software
 * interrupts). Tests, fuzz targets and attack scenarios create worlds,
 * act on them as whoever runs on a hart, and reset them between inputs.
 *
 * The structures are visible so that oracles can read the hardware view
 * (PMP registers, TLBs, memory); change state only through the functions.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/hart.h"
#include "shim/mem.h"
#include "shim/mmu.h"
#include "shim/pmp.h"

#define SHIM_MAX_HARTS	  8
#define SHIM_CONSOLE_SIZE 4096

struct shim_world_config {
	unsigned int harts;	  /* 1..SHIM_MAX_HARTS */
	uint64_t dram_size;	  /* bytes, multiple of 4 KiB, 64 KiB..64 GiB */
	unsigned int pmp_entries; /* implemented PMP entries per hart, 0..64 */
	bool smepmp;		  /* mseccfg implemented */
	unsigned int vmid_bits;	  /* VMIDLEN, 0..14 */
	uint64_t entropy_seed;	  /* seeds hal_entropy's deterministic generator */
};

/** Things that can be made to fail, each with its own counter. */
enum shim_fault_kind {
	SHIM_FAULT_UNTRUSTED_READ,  /* hal_untrusted_read faults */
	SHIM_FAULT_UNTRUSTED_WRITE, /* hal_untrusted_write faults */
	SHIM_FAULT_ENTROPY,	    /* hal_entropy fails */
	SHIM_FAULT_ALLOC,	    /* hal_alloc_should_fail answers true */
	SHIM_FAULT_KINDS,
};

/**
 * A fault plan: the n-th operation of kind k (counted from 0 since the plan
 * was set or the world reset) fails when bit n of fail[k] is set. Operations
 * past the 64th never fail. A fuzz input carries the plan as plain bytes.
 */
struct shim_fault_plan {
	uint64_t fail[SHIM_FAULT_KINDS];
};

struct shim_world {
	struct shim_world_config cfg;
	struct shim_mem mem;
	struct shim_hart hart[SHIM_MAX_HARTS];
	uint64_t mtime;
	struct shim_fault_plan faults;
	unsigned int fault_count[SHIM_FAULT_KINDS]; /* operations seen per kind */
	uint64_t entropy_state;
	uint64_t monitor_entries;	 /* traps delivered to the monitor (shim_mon_deliver) */
	int in_monitor;			 /* the hart whose trap mon_trap handles, else -1 */
	char console[SHIM_CONSOLE_SIZE]; /* monitor console output (truncated) */
	size_t console_len;
	/* Saved by shim_world_snapshot, restored by shim_world_reset. */
	bool have_snapshot;
	struct shim_hart hart_snap[SHIM_MAX_HARTS];
	uint64_t mtime_snap;
	uint64_t entropy_snap;
};

/** Fills @cfg with the defaults: 1 hart, 64 MiB, 16 PMP entries, no Smepmp, 14 VMID bits. */
void shim_world_config_default(struct shim_world_config *cfg);

/**
 * Creates a world. Returns NULL and stores a reason in @why (may be NULL)
 * for a configuration out of range or when memory cannot be had. Every hart
 * starts in M-mode at the DRAM base, PMP all OFF, TLB empty.
 */
struct shim_world *shim_world_create(const struct shim_world_config *cfg, const char **why);

/** Destroys @world (NULL is fine). */
void shim_world_destroy(struct shim_world *world);

/** Saves the whole machine state; false when memory for it cannot be had. */
bool shim_world_snapshot(struct shim_world *world);

/**
 * Returns the machine to the last snapshot (or to creation state when none
 * was taken): harts, timer, entropy, fault counters, console, and the DRAM
 * pages written since. The fault plan is cleared.
 */
void shim_world_reset(struct shim_world *world);

/** Installs a fault plan and restarts the per-kind counters. */
void shim_world_set_faults(struct shim_world *world, const struct shim_fault_plan *plan);

/** Consumes one operation of @kind from the plan; true when it must fail. */
bool shim_world_fault(struct shim_world *world, enum shim_fault_kind kind);

/* ------------------------------------------------ acting on a hart --- */

/**
 * Result of an operation performed by the software running on a hart.
 * When !ok, the exception the hardware would raise (the hart's state is not
 * changed: pass it to shim_world_take_fault to deliver it).
 */
struct shim_access_result {
	bool ok;
	uint64_t pa; /* physical address accessed, when ok */
	uint64_t cause;
	uint64_t tval;
	uint64_t tval2;
	uint64_t tinst;
	bool gva;
};

/** Loads @size bytes (1, 2, 4, 8) at @addr as the mode running on @hart. */
struct shim_access_result shim_world_load(struct shim_world *world, unsigned int hart,
					  uint64_t addr, unsigned int size, uint64_t *value);

/** Stores @size bytes at @addr as the mode running on @hart. */
struct shim_access_result shim_world_store(struct shim_world *world, unsigned int hart,
					   uint64_t addr, unsigned int size, uint64_t value);

/**
 * Fetches the instruction at @addr as the mode running on @hart: 2 bytes,
 * then 2 more when the low bits say it is not compressed (each half is
 * translated on its own, so a 4-byte instruction may straddle pages).
 */
struct shim_access_result shim_world_fetch(struct shim_world *world, unsigned int hart,
					   uint64_t addr, uint32_t *insn);

/** Delivers a failed access as the exception it raises; returns the mode it went to. */
enum shim_mode shim_world_take_fault(struct shim_world *world, unsigned int hart,
				     const struct shim_access_result *r);

/**
 * Executes ecall on @hart: raises the environment-call exception of its
 * current mode (cause 8 U, 9 HS, 10 VS, 11 M; VU raises 8) with mepc at the
 * hart's pc. Returns the mode that took it (M for the monitor unless
 * medeleg delegates it). Arguments are the caller's a0..a7 in hart->x.
 */
enum shim_mode shim_world_ecall(struct shim_world *world, unsigned int hart);

/* ---------------------------------------------- interrupts and time --- */

/** Sets (@pending) or clears interrupt @irq in @hart's mip. */
void shim_world_set_irq(struct shim_world *world, unsigned int hart, enum shim_irq irq,
			bool pending);

/** An ACLINT MSWI write: sets MSIP on @target. */
void shim_world_send_ipi(struct shim_world *world, unsigned int target);

/**
 * Advances mtime by @ticks and updates every hart's timer interrupts:
 * MTIP from mtimecmp, STIP from stimecmp (Sstc, when menvcfg.STCE), VSTIP
 * from vstimecmp against mtime + htimedelta (when henvcfg.STCE).
 */
void shim_world_advance_time(struct shim_world *world, uint64_t ticks);

/** Recomputes the timer-driven pending bits of every hart after a compare write. */
void shim_world_update_timers(struct shim_world *world);

/**
 * Delivers the highest-priority pending, enabled interrupt of @hart, if
 * any: returns true and stores the mode it was taken into.
 */
bool shim_world_take_interrupt(struct shim_world *world, unsigned int hart, enum shim_mode *target);

/* ------------------------------------------ binding the HAL to a world --- */

/**
 * Makes @world the machine the shim's hal.h implementation acts on, for the
 * calling thread. NULL unbinds. The monitor code linked into a shim program
 * sees exactly one world at a time.
 */
void shim_hal_bind(struct shim_world *world);

/** The world bound to the calling thread, or NULL. */
struct shim_world *shim_hal_world(void);
