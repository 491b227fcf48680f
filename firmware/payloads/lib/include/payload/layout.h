/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Layout of a payload's per-hart stacks, shared by start.S and C (so only
 * plain #defines: this header is also assembled).
 *
 * Hart i's stack is slot i of payload_stacks: PAYLOAD_STACK_GUARD bytes of
 * guard, filled with a pattern that payload_stack_guards_intact() checks,
 * then PAYLOAD_STACK_SIZE bytes of stack growing down from the slot's end.
 * S-mode has no PMP, so a guard only detects an overflow afterwards; it
 * keeps one hart's overflow from silently landing in its neighbour's frames.
 */
#pragma once

/* Hart ids at or above this park at entry (start.S); QEMU virt has at most 8 per socket. */
#define PAYLOAD_MAX_HARTS   16
#define PAYLOAD_STACK_SIZE  16384
#define PAYLOAD_STACK_GUARD 4096
#define PAYLOAD_STACK_SLOT  (PAYLOAD_STACK_SIZE + PAYLOAD_STACK_GUARD)
