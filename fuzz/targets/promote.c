// SPDX-License-Identifier: BSD-2-Clause
/*
 * promote_to_tvm with crafted G-stage trees, FDTs and TAPs. The host builds
 * a valid VM (slot 1, geometry from the input; mode as BUILD_VM's, so bit 3
 * adds a sealed TAP), then the input rewrites raw words of its page tables,
 * FDT and TAP (any PTE value, any byte), then the host calls promote with the
 * image's TAP if it has one; the oracle checks the result. Input layout:
 *   pages:u8 vcpus:u8 mode:u8, then patches of 11 bytes each:
 *   where:u8 (bit 7: FDT byte, else table word) index:u16 value:u64
 */
#include <string.h>

#include "harness.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	struct fuzz_stream s;

	fuzz_stream_init(&s, data, size);
	memset(&in, 0, sizeof(in));
	in.version = FUZZ_FORMAT_VERSION;
	in.config = 0x10; /* NACL set on every hart, one TVM already promoted */
	struct fuzz_op *b = &in.op[in.nops++];
	b->kind = FUZZ_OP_BUILD_VM;
	b->slot = 1;
	b->pages = fuzz_u8(&s);
	b->vcpus = fuzz_u8(&s);
	b->mode = fuzz_u8(&s);
	while (fuzz_stream_left(&s) >= 11 && in.nops < FUZZ_MAX_OPS - 1) {
		uint8_t where = fuzz_u8(&s);
		uint16_t index = fuzz_u16(&s);
		uint64_t value = fuzz_u64(&s);
		struct fuzz_op *w = &in.op[in.nops++];
		/* A host store into its own image: slot 1's pages (tables first, then data). */
		w->kind = FUZZ_OP_HOST_WRITE;
		w->size = (where & 0x80) ? 0 : 3;
		w->addr.tag = FUZZ_ARG_HOST;
		w->addr.page = (uint16_t)(16 + 96 + (index >> 9) % 96); /* slot 1, see vmbuild.c */
		w->addr.off = (uint16_t)((index & 0x1FF) * ((where & 0x80) ? 1 : 8));
		w->value = value;
	}
	struct fuzz_op *p = &in.op[in.nops++];
	p->kind = FUZZ_OP_HOST_ECALL;
	p->ext = 2; /* COVH */
	p->fid = 7; /* promote_to_tvm */
	p->arg[0].tag = FUZZ_ARG_FDT;
	p->arg[0].k = 1;
	p->arg[1].tag = FUZZ_ARG_TAP; /* 0 when the image has none */
	p->arg[1].k = 1;
	p->arg[2].tag = FUZZ_ARG_ENTRY;
	p->arg[2].k = 1;
	fuzz_execute(&in);
	return 0;
}

/* AFL++ forks its workers after this: they start with every world booted. */
FUZZ_AFL_BOOT_WORLDS(0, 0x10)
