// SPDX-License-Identifier: BSD-2-Clause
/*
 * Stack protector support for payloads (the firmware preset builds with
 * -fstack-protector-strong). Payloads are test programs without an entropy
 * source of their own, so the canary is a constant: it catches overflows by
 * accident, which is what a test payload needs, not by an attacker.
 */
#include <stdint.h>

#include "payload/console.h"
#include "payload/payload.h"

uintptr_t __stack_chk_guard = UINT64_C(0x5e1f7e57c0a7a900);

_Noreturn void __stack_chk_fail(void);

_Noreturn void __stack_chk_fail(void)
{
	console_printf("payload: stack smashing detected on hart %lu\n", payload_hartid());
	payload_exit(1);
}
