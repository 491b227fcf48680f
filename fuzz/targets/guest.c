// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest-side sequences against a running TVM: every input starts from the
 * prepared state "vCPU 0 running on hart 0" (harness.h), and operations are
 * limited to what a malicious guest (and the host's interrupts and reruns)
 * can do: guest ecalls (COVG, SBI), loads and stores, traps (virtual
 * instructions...), interrupts, runs.
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t guest_kinds[] = { FUZZ_OP_GUEST_ECALL, FUZZ_OP_GUEST_ACCESS,
					       FUZZ_OP_TRAP, FUZZ_OP_IRQ, FUZZ_OP_RUN };
	static struct fuzz_input in;

	if (!fuzz_parse(data, size, &in)) {
		return 0;
	}
	in.config = (uint8_t)((in.config & 0x0F) | 0x20); /* state 2: vCPU running */
	for (unsigned int i = 0; i < in.nops; i++) {
		in.op[i].kind = guest_kinds[in.op[i].kind % sizeof(guest_kinds)];
	}
	fuzz_execute(&in);
	return 0;
}

/* AFL++ forks its workers after this: they start with every world booted. */
FUZZ_AFL_BOOT_WORLDS(0x0F, 0x20)
