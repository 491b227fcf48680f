/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * S-mode trap handling for payloads. stvec points at trap_entry.S on every
 * hart from its first instruction (start.S). Interrupts are counted per hart
 * and acknowledged:
 *  - supervisor software (IPI): sip.SSIP cleared;
 *  - supervisor timer: sie.STIE cleared (the SBI owns the timer; the payload
 *    re-enables STIE when it programs the next event), the time recorded;
 *  - supervisor external: sie.SEIE cleared.
 * A synchronous exception is fatal (its cause is printed and the payload
 * exits with a failure) unless the hart armed trap_expect_arm(), in which
 * case the faulting instruction is skipped and the cause recorded.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "payload/trap_frame.h"

/* The registers at a trap, as trap_entry.S saves them. */
struct trap_frame {
	unsigned long regs[32];
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
};
_Static_assert(offsetof(struct trap_frame, regs) == TRAP_FRAME_REGS, "trap_entry.S layout");
_Static_assert(offsetof(struct trap_frame, sepc) == TRAP_FRAME_SEPC, "trap_entry.S layout");
_Static_assert(offsetof(struct trap_frame, sstatus) == TRAP_FRAME_SSTATUS, "trap_entry.S layout");
_Static_assert(offsetof(struct trap_frame, scause) == TRAP_FRAME_SCAUSE, "trap_entry.S layout");
_Static_assert(offsetof(struct trap_frame, stval) == TRAP_FRAME_STVAL, "trap_entry.S layout");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap_entry.S layout");
_Static_assert(TRAP_FRAME_SIZE % 16 == 0, "the trap frame keeps sp 16-byte aligned");

/* What trap_expect_disarm() returns when nothing trapped. */
#define TRAP_NONE (~0UL)

/* Interrupts counted by the handler. */
enum trap_irq {
	TRAP_IRQ_SOFT,
	TRAP_IRQ_TIMER,
	TRAP_IRQ_EXT,
	TRAP_IRQ_COUNT,
};

/**
 * Handles the trap described by @frame (called by trap_entry.S only; the
 * frame's sepc and sstatus are written back on return).
 */
void trap_handle(struct trap_frame *frame);

/**
 * Returns how many interrupts of kind @irq hart @hartid has taken (0 for a
 * hart id at or above PAYLOAD_MAX_HARTS). Safe to call from any hart.
 */
unsigned long trap_irq_count(unsigned long hartid, enum trap_irq irq);

/**
 * Returns the time CSR as read by hart @hartid's handler when it last took
 * a supervisor timer interrupt (0 before the first one).
 */
uint64_t trap_last_timer_time(unsigned long hartid);

/**
 * Arms the calling hart: its next synchronous exception is absorbed (the
 * faulting instruction is skipped) instead of being fatal. For probing a
 * CSR or a load/store; not for a fetch fault (skipping needs to read the
 * faulting instruction).
 */
void trap_expect_arm(void);

/**
 * Disarms the calling hart. Returns the scause of the exception absorbed
 * since trap_expect_arm(), or TRAP_NONE when there was none.
 */
unsigned long trap_expect_disarm(void);
