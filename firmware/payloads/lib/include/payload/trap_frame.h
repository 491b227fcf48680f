/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Offsets into struct trap_frame (payload/trap.h), shared with
 * trap_entry.S; trap.h pins them with _Static_assert.
 */
#pragma once

/* regs[i] holds xi at the trap (regs[0] is unused; regs[2] is the trapped sp). */
#define TRAP_FRAME_REGS	   0
#define TRAP_FRAME_SEPC	   256
#define TRAP_FRAME_SSTATUS 264
#define TRAP_FRAME_SCAUSE  272
#define TRAP_FRAME_STVAL   280
#define TRAP_FRAME_SIZE	   288
