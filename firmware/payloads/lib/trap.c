// SPDX-License-Identifier: BSD-2-Clause
/*
 * S-mode trap handling (payload/trap.h). State is per hart, indexed by the
 * hart id in tp; counters are written only by their own hart and read by
 * any, so they are atomics.
 */
#include "payload/trap.h"

#include <stdbool.h>

#include "payload/console.h"
#include "payload/csr.h"
#include "payload/payload.h"

struct trap_hart {
	unsigned long irq_count[TRAP_IRQ_COUNT];
	uint64_t last_timer_time;
	bool expecting;
	unsigned long expected_cause;
};

static struct trap_hart trap_harts[PAYLOAD_MAX_HARTS];

static const char *const trap_exception_names[] = {
	[EXC_INSN_MISALIGNED] = "instruction address misaligned",
	[EXC_INSN_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INSN] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "environment call from U-mode",
	[EXC_ECALL_S] = "environment call from S-mode",
	[EXC_INSN_PAGE] = "instruction page fault",
	[EXC_LOAD_PAGE] = "load page fault",
	[EXC_STORE_PAGE] = "store page fault",
};

static struct trap_hart *trap_this_hart(void)
{
	/* start.S parks harts whose id is out of range, so tp is a valid index. */
	return &trap_harts[payload_hartid()];
}

static const char *trap_cause_name(unsigned long scause)
{
	size_t n = sizeof(trap_exception_names) / sizeof(trap_exception_names[0]);

	if ((scause & SCAUSE_INTERRUPT) != 0) {
		return "interrupt";
	}
	if (scause < n && trap_exception_names[scause] != NULL) {
		return trap_exception_names[scause];
	}
	return "reserved";
}

__attribute__((noreturn)) static void trap_fatal(const struct trap_frame *frame)
{
	console_printf("payload: unexpected trap on hart %lu: scause 0x%lx (%s), sepc 0x%lx, "
		       "stval 0x%lx, sp 0x%lx\n",
		       payload_hartid(), frame->scause, trap_cause_name(frame->scause), frame->sepc,
		       frame->stval, frame->regs[2]);
	payload_exit(1);
}

static void trap_count(struct trap_hart *h, enum trap_irq irq)
{
	__atomic_fetch_add(&h->irq_count[irq], 1, __ATOMIC_RELEASE);
}

static void trap_interrupt(struct trap_frame *frame, struct trap_hart *h)
{
	switch (frame->scause & ~SCAUSE_INTERRUPT) {
	case IRQ_S_SOFT:
		csr_clear_sip(SIP_SSIP);
		trap_count(h, TRAP_IRQ_SOFT);
		break;
	case IRQ_S_TIMER:
		/* The SBI (or stimecmp) owns the timer: mask it until it is programmed again. */
		csr_clear_sie(SIE_STIE);
		__atomic_store_n(&h->last_timer_time, csr_read_time(), __ATOMIC_RELAXED);
		trap_count(h, TRAP_IRQ_TIMER);
		break;
	case IRQ_S_EXT:
		csr_clear_sie(SIE_SEIE);
		trap_count(h, TRAP_IRQ_EXT);
		break;
	default: trap_fatal(frame);
	}
}

void trap_handle(struct trap_frame *frame)
{
	struct trap_hart *h = trap_this_hart();
	uint16_t insn;

	if ((frame->scause & SCAUSE_INTERRUPT) != 0) {
		trap_interrupt(frame, h);
		return;
	}
	if (!h->expecting) {
		trap_fatal(frame);
	}
	h->expecting = false;
	h->expected_cause = frame->scause;
	/* Skip the faulting instruction: 2 bytes if compressed, else 4. */
	insn = *(const volatile uint16_t *)frame->sepc;
	frame->sepc += ((insn & 3u) == 3u) ? 4u : 2u;
}

unsigned long trap_irq_count(unsigned long hartid, enum trap_irq irq)
{
	if (hartid >= PAYLOAD_MAX_HARTS || irq >= TRAP_IRQ_COUNT) {
		return 0;
	}
	return __atomic_load_n(&trap_harts[hartid].irq_count[irq], __ATOMIC_ACQUIRE);
}

uint64_t trap_last_timer_time(unsigned long hartid)
{
	if (hartid >= PAYLOAD_MAX_HARTS) {
		return 0;
	}
	return __atomic_load_n(&trap_harts[hartid].last_timer_time, __ATOMIC_RELAXED);
}

void trap_expect_arm(void)
{
	struct trap_hart *h = trap_this_hart();

	h->expected_cause = TRAP_NONE;
	__atomic_store_n(&h->expecting, true, __ATOMIC_SEQ_CST);
}

unsigned long trap_expect_disarm(void)
{
	struct trap_hart *h = trap_this_hart();

	__atomic_store_n(&h->expecting, false, __ATOMIC_SEQ_CST);
	return h->expected_cause;
}
