/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the parts of the firmware (boot, SBI runtime, riscv HAL) give each
 * other. The monitor core sees none of this: it reaches the firmware only
 * through hal.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/err.h"
#include "covemon/mon.h"
#include "hart.h"

/** Work posted to another hart (sbi.c: fw_request). */
struct fw_request {
	uint32_t bits; /* FW_REQ_* */
	uint8_t mon_kind;
	uint16_t mon_vmid;
	uint64_t mon_addr;
	uint64_t mon_size;
};

/**
 * Posts @req to hart @target and raises its MSIP; with @wait, returns only
 * once @target has done it. A hart that is not running (HSM stopped) is
 * skipped: it flushes everything when it starts. While waiting, @self keeps
 * serving requests posted to it, so two harts fencing each other progress.
 */
void fw_request(unsigned int self, unsigned int target, const struct fw_request *req, bool wait);

/**
 * A spinlock whose waiter keeps serving the requests posted to @self, so a
 * holder that waits for this hart (a fence) cannot deadlock with it.
 */
void fw_lock(volatile uint32_t *l, struct fw_hart *self);
void fw_unlock(volatile uint32_t *l);

/** Does what other harts posted to this one (on MSIP, and while waiting). */
void fw_process_requests(struct fw_hart *h);

/** One hal_fence kind, on this hart. */
void fw_do_mon_fence(unsigned int kind, uint16_t vmid, uint64_t addr, uint64_t size);

/** An SBI call of the host that the firmware serves (sbi.c); false: the monitor's. */
bool fw_sbi_owns(uint64_t eid);

/** Serves the host's SBI call in @h's frame (a0/a1 written, mepc advanced). */
void fw_sbi_handle(struct fw_hart *h);

/** True when [@base, @base + @len) is DRAM. */
bool fw_is_ram(uint64_t base, uint64_t len);

/** Bytes from the Zkr seed CSR, or the documented fallback (boot.c). */
mon_err_t fw_entropy(void *buf, size_t len);

/** True when fw_entropy draws on the Zkr seed CSR. */
bool fw_entropy_is_hardware(void);

/** Chooses this boot's stack canary; true when it came from hardware entropy (ssp.c). */
bool fw_canary_init(void);

/* CSR probes that survive the CSR's absence (probe.S): 0, or -1 when it trapped. */
int fw_probe_seed(uint64_t *out);
int fw_probe_mseccfg(uint64_t *out);
int fw_probe_stimecmp(uint64_t *out);
int fw_probe_load(const void *p);
int fw_probe_store(void *p);
int fw_probe_exec(const void *p);

/** Puts the hart into host context and mrets into S-mode at @pc (boot.c). */
_Noreturn void fw_enter_host(struct fw_hart *h, uint64_t pc, uint64_t a0, uint64_t a1);

/** Parks a stopped hart until HSM starts it (boot.c). */
_Noreturn void fw_park(struct fw_hart *h);

extern bool fw_has_sstc;
extern bool fw_has_smepmp;
