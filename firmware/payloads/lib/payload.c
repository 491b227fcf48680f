// SPDX-License-Identifier: BSD-2-Clause
/*
 * Payload entry, stacks and exit (payload/payload.h).
 */
#include "payload/payload.h"

#include <stddef.h>

#include "payload/console.h"
#include "payload/csr.h"

#define PAYLOAD_GUARD_FILL UINT64_C(0x9a7d9a7d9a7d9a7d)

/*
 * Hart i's slot: PAYLOAD_STACK_GUARD bytes of guard, then its stack. Not
 * static: start.S computes the stack pointers from it.
 */
__attribute__((aligned(4096)))
uint64_t payload_stacks[PAYLOAD_MAX_HARTS][PAYLOAD_STACK_SLOT / sizeof(uint64_t)];

_Static_assert(PAYLOAD_STACK_SLOT % 4096 == 0, "stack slots keep their 4 KiB alignment");
_Static_assert(PAYLOAD_STACK_GUARD % sizeof(uint64_t) == 0, "the guard is filled in words");

extern const char payload_secondary_entry[];

unsigned long payload_hartid(void)
{
	unsigned long id;

	__asm__("mv %0, tp" : "=r"(id));
	return id;
}

unsigned long payload_secondary_entry_addr(void)
{
	return (unsigned long)payload_secondary_entry;
}

struct sbiret payload_hart_start(unsigned long hartid, unsigned long opaque)
{
	return sbi_hart_start(hartid, payload_secondary_entry_addr(), opaque);
}

static void payload_stack_guards_fill(void)
{
	for (size_t h = 0; h < PAYLOAD_MAX_HARTS; h++) {
		for (size_t i = 0; i < PAYLOAD_STACK_GUARD / sizeof(uint64_t); i++) {
			payload_stacks[h][i] = PAYLOAD_GUARD_FILL;
		}
	}
}

bool payload_stack_guards_intact(void)
{
	for (size_t h = 0; h < PAYLOAD_MAX_HARTS; h++) {
		for (size_t i = 0; i < PAYLOAD_STACK_GUARD / sizeof(uint64_t); i++) {
			if (payload_stacks[h][i] != PAYLOAD_GUARD_FILL) {
				console_printf("payload: the stack guard below hart %lu's stack "
					       "was overwritten\n",
					       (unsigned long)h);
				return false;
			}
		}
	}
	return true;
}

void payload_exit(int code)
{
	struct sbiret r;

	if (!payload_stack_guards_intact()) {
		code = 1;
	}
	r = sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN,
			     code == 0 ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_SYSTEM_FAILURE);
	/* Legacy shutdown (EID 0x08) for implementations without SRST. */
	(void)sbi_legacy_ecall(0x08, 0);
	console_printf("payload: system_reset returned error %ld; parking hart %lu\n", r.error,
		       payload_hartid());
	payload_park();
}

void payload_boot_start(unsigned long hartid, unsigned long fdt, unsigned long sstatus,
			unsigned long satp)
{
	struct payload_hart_entry entry = {
		.hartid = hartid,
		.opaque = fdt,
		.sstatus = sstatus,
		.satp = satp,
	};

	payload_stack_guards_fill();
	console_select(CONSOLE_AUTO);
	payload_exit(payload_main(&entry));
}

void payload_secondary_start(unsigned long hartid, unsigned long opaque, unsigned long sstatus,
			     unsigned long satp)
{
	struct payload_hart_entry entry = {
		.hartid = hartid,
		.opaque = opaque,
		.sstatus = sstatus,
		.satp = satp,
	};
	struct sbiret r;

	payload_secondary_main(&entry);
	csr_clear_sstatus(SSTATUS_SIE);
	csr_clear_sie(SIE_SSIE | SIE_STIE | SIE_SEIE);
	r = sbi_hart_stop();
	console_printf("payload: hart_stop on hart %lu returned error %ld\n", hartid, r.error);
	payload_park();
}
