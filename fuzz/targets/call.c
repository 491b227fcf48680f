// SPDX-License-Identifier: BSD-2-Clause
/*
 * One SBI/COVH/NACL call (host or guest) from a prepared world state: fresh,
 * TVM promoted, vCPU running, vCPU blocked on a share. Input: CONFIG byte
 * (harts, state: see harness.h) then one operation chunk. The oracle runs
 * after the call.
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[512];
	static struct fuzz_input in;

	if (size < 2 || size > sizeof(buf) - 1) {
		return 0;
	}
	/* version byte, then the input as CONFIG + one chunk (no separator needed) */
	buf[0] = FUZZ_FORMAT_VERSION;
	for (size_t i = 0; i < size; i++) {
		buf[1 + i] = data[i];
	}
	if (fuzz_parse(buf, size + 1, &in) && in.nops >= 1) {
		in.nops = 1;
		/* only calls: host or guest ecall (kind bit 0 picks which) */
		in.op[0].kind = (in.op[0].kind & 1) ? FUZZ_OP_GUEST_ECALL : FUZZ_OP_HOST_ECALL;
		fuzz_execute(&in);
	}
	return 0;
}

/* AFL++ forks its workers after this: they start with every world booted. */
FUZZ_AFL_BOOT_WORLDS(0x3F, 0)
