/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal to fuzz/common: the engine's per-configuration world. */
#pragma once

#include "harness.h"

struct fuzz_slot {
	bool built;
	uint64_t fdt_gpa;
	uint64_t entry;
};

struct fuzz_world {
	struct shim_world *w;
	struct mon *mon;
	struct mon_platform plat;
	struct mon_region conf;
	uint64_t host_base;
	unsigned int harts;
	uint64_t nacl[FUZZ_MAX_HARTS];
	struct fuzz_slot slot[FUZZ_VM_SLOTS];
	uint64_t tvm_ids[8];
	unsigned int ntvm;
	struct shim_fault_plan plan;
	bool host_saved[FUZZ_MAX_HARTS];
	uint64_t host_x[FUZZ_MAX_HARTS][32];
	/* What the prepared state left (restored before every input). */
	struct fuzz_slot prep_slot[FUZZ_VM_SLOTS];
	uint64_t prep_tvm_ids[8];
	unsigned int prep_ntvm;
	bool prep_host_saved[FUZZ_MAX_HARTS];
	uint64_t prep_host_x[FUZZ_MAX_HARTS][32];
	/* Oracle caches: what was last found good. */
	uint64_t checked_writes; /* mem.watch_writes at the last table walk */
	bool checked_valid;
	struct fuzz_pmp_ok {
		bool valid;
		bool virt;
		struct shim_pmp pmp;
	} pmp_ok[4]; /* PMP images already found good, by context (host or guest) */
	unsigned int pmp_ok_next;
	size_t state_len;
	uint8_t state_before[256 * 1024];
};

/** The value an argument names in @fw (see harness.h for the tags). */
uint64_t fuzz_arg_value(const struct fuzz_world *fw, const struct fuzz_arg *a);

/** BUILD_VM: an image in slot op->slot with defect op->flaw, reflected in hart @h's NACL. */
void fuzz_build_vm(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h);

/** Prints one operation in the text form. */
void fuzz_print_op(const struct fuzz_op *op, void *file);

/** ASan-poisons every free confidential page (after the records may have changed). */
void fuzz_poison_free_pages(struct fuzz_world *fw);

/** Reports an oracle failure and aborts. */
_Noreturn void fuzz_fail(unsigned int op_index, const char *invariant, const char *detail);
