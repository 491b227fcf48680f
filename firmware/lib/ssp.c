// SPDX-License-Identifier: BSD-2-Clause
/*
 * Stack protector support (-fstack-protector-strong, set for the whole
 * M-mode image in CMakeLists.txt). The canary is chosen per boot by
 * fw_canary_init, before any hart runs protected code that returns: the
 * boot hart calls it first thing, and the others are held in entry.S until
 * boot is done.
 */
#include <stdint.h>

#include "covemon/hal.h"
#include "fw.h"

uintptr_t __stack_chk_guard = UINT64_C(0x2f8a61c3d94be705);

_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
	hal_panic("stack smashing detected");
}

bool fw_canary_init(void)
{
	uintptr_t c = 0;
	bool seeded = fw_entropy_is_hardware();

	if (fw_entropy(&c, sizeof(c)) != MON_OK) {
		return false;
	}
	c &= ~(uintptr_t)0xff; /* a zero low byte stops string overflows at the canary */
	__stack_chk_guard ^= c;
	return seeded;
}
