// SPDX-License-Identifier: BSD-2-Clause
/* Measurement registers of a TVM (covemon/abi/measure.h). */
#include "core.h"
#include "covemon/sha384.h"

void measure_extend(struct tvm *tvm, unsigned int reg, const void *data, size_t len)
{
	struct sha384_ctx ctx;

	sha384_init(&ctx);
	sha384_update(&ctx, tvm->measure[reg], sizeof(tvm->measure[reg]));
	sha384_update(&ctx, data, len);
	sha384_final(&ctx, tvm->measure[reg]);
}
