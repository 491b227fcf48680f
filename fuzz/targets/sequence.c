// SPDX-License-Identifier: BSD-2-Clause
/*
 * The main target: multi-hart host + guest operation sequences against the
 * monitor on an emulated machine, with the invariant oracle after every
 * operation (fuzz/common/harness.h describes the input format).
 */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;

	if (fuzz_parse(data, size, &in)) {
		fuzz_execute(&in);
	}
	return 0;
}

/* AFL++ forks its workers after this: they start with every world booted. */
FUZZ_AFL_BOOT_WORLDS(0x3F, 0)
