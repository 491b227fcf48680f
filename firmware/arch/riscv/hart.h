/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-hart state of the firmware. mscratch points at the hart's struct
 * fw_hart while it runs below M; the trap entry saves the interrupted
 * context into ctx->frame (offsets fixed for trap.S) and runs C on the
 * hart's own stack.
 */
#pragma once

#define FW_MAX_HARTS 8
#define FW_STACK_SIZE                                                                      \
	(16 * 1024)	    /* promote_to_tvm's frame alone is 7.5 KiB (gcc -fstack-usage) \
			     */
#define FW_STACK_GUARD 4096 /* between stacks: a pattern checked on every trap exit */

/* Offsets used by trap.S. */
#define FW_HART_FRAME	  0
#define FW_HART_STACK_TOP (8 * 38)
#define FW_FRAME_X(i)	  (8 * (i))
#define FW_FRAME_MEPC	  (8 * 32)
#define FW_FRAME_MSTATUS  (8 * 33)
#define FW_FRAME_MCAUSE	  (8 * 34)
#define FW_FRAME_MTVAL	  (8 * 35)
#define FW_FRAME_MTVAL2	  (8 * 36)
#define FW_FRAME_MTINST	  (8 * 37)

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/mon.h"

/* HSM states (SBI spec, "Hart State Management Extension"). */
enum fw_hsm_state {
	FW_HSM_STARTED = 0,
	FW_HSM_STOPPED = 1,
	FW_HSM_START_PENDING = 2,
	FW_HSM_STOP_PENDING = 3,
	FW_HSM_SUSPENDED = 4,
	FW_HSM_SUSPEND_PENDING = 5,
	FW_HSM_RESUME_PENDING = 6,
};

/* Work another hart asks this one to do (bits of fw_hart.requests). */
#define FW_REQ_SSIP	(1u << 0) /* the host's IPI: raise SSIP */
#define FW_REQ_FENCE_I	(1u << 1)
#define FW_REQ_SFENCE	(1u << 2)
#define FW_REQ_HFENCE_G (1u << 3) /* hfence.gvma, all */
#define FW_REQ_HFENCE_V (1u << 4) /* hfence.vvma, all */
#define FW_REQ_MON	(1u << 5) /* a fence the monitor asked for (hal_fence) */
#define FW_REQ_START	(1u << 6) /* HSM start: leave the parking loop */

struct fw_hart {
	struct mon_trap_frame frame; /* must stay first: trap.S */
	uint64_t stack_top;	     /* FW_HART_STACK_TOP */
	uint64_t hartid;
	bool present; /* listed in the FDT */
	volatile uint32_t hsm_state;
	volatile uint32_t requests; /* FW_REQ_* set by others, cleared by this hart */
	volatile uint32_t acks;	    /* completed request rounds (for waiting senders) */
	uint64_t start_addr;	    /* HSM start */
	uint64_t start_opaque;
	/* The monitor fence asked for by FW_REQ_MON (one in flight per target). */
	uint8_t mon_fence_kind;
	uint16_t mon_fence_vmid;
	uint64_t mon_fence_addr;
	uint64_t mon_fence_size;
	volatile uint32_t lock; /* serialises senders of requests to this hart */
};

_Static_assert(offsetof(struct fw_hart, frame) == FW_HART_FRAME, "frame first");
_Static_assert(offsetof(struct fw_hart, stack_top) == FW_HART_STACK_TOP, "trap.S offset");
_Static_assert(offsetof(struct mon_trap_frame, mepc) == FW_FRAME_MEPC, "trap.S offset");
_Static_assert(offsetof(struct mon_trap_frame, mtinst) == FW_FRAME_MTINST, "trap.S offset");

extern struct fw_hart fw_harts[FW_MAX_HARTS];

/** The hart executing this code (mhartid). */
uint64_t fw_hartid(void);

/** Restores @h's frame and mrets (trap.S); never returns. */
_Noreturn void fw_resume(struct fw_hart *h);

/*
 * Copy @len bytes between monitor memory and untrusted memory, the
 * untrusted side with the host's rights (S-mode under the current PMP),
 * recovering from access faults: 0, or -1 when one faulted (copy.S).
 */
int fw_copy_from_host(void *dst, const void *host_src, size_t len);
int fw_copy_to_host(void *host_dst, const void *src, size_t len);

#endif
