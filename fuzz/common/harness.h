/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure-aware fuzzing harness: a versioned input format (a sequence
 * of typed operations), the engine that performs them on an emulated world
 * running the monitor, and the oracle that checks the isolation invariants
 * (DESIGN.md section 5) after every operation.
 *
 * Input format, version 2 (all integers little endian):
 *
 *   input  := VERSION CONFIG chunk (SEP chunk)*
 *   VERSION = 0x02; 0x01 is still read as it was written: version 1 had no
 *             TAP argument, its arg TAGs are taken mod 11
 *   CONFIG  : bits 1:0 harts - 1 (1..4), bit 2 Smepmp, bit 3 VMIDLEN 2 (else 14),
 *             bits 5:4 the prepared state the input starts from (snapshotted
 *             once per process): 0 fresh, 1 a TVM promoted (NACL on every
 *             hart, VM in slot 0, TVM #0), 2 as 1 with vCPU 0 running on
 *             hart 0, 3 as 2 with vCPU 0 blocked on a share request
 *   SEP     = C0 7E 5E C0  (separates operations, so mutating one operation
 *             does not shift the meaning of the others)
 *   chunk  := KIND HART body    (missing bytes read as zero)
 *
 * KIND (mod FUZZ_OP_COUNT):
 *   0 BUILD_VM    slot:u8 pages:u8 vcpus:u8 mode:u8 flaw:u8 param:u16
 *                 build a VM image in host memory (tables, pages, FDT) and
 *                 reflect its hgatp/boot registers in HART's NACL area; flaw
 *                 plants one defect (enum fuzz_flaw); mode bits 1:0 the hgatp
 *                 mode (Sv39x4, Sv48x4, Sv57x4, an unsupported one), bit 2 the
 *                 guest's own Sv39 tables in its first pages, in vsatp, bit 3
 *                 a TAP (sealed for the shim's platform key, one secret) in
 *                 one more page after the FDT's (version 2; version 1 ignores
 *                 the bit, as it did), bits 5:4 its digests: 0 none (refused:
 *                 a TAP binds a measurement), 1 MR0 as the monitor will
 *                 measure the image, 2 that MR0 with a byte flipped, 3 an MR1
 *                 (never the measured one); bit 6 two TAP pages, the TAP
 *                 starting 128 bytes before the first one ends
 *   1 HOST_ECALL  ext:u8 fid:u16 arg*6     the host on HART calls SBI
 *   2 GUEST_ECALL ext:u8 fid:u16 arg*6     the guest on HART calls SBI
 *   3 GUEST_ACCESS flags:u8 reg:u8 addr:arg   load/store by the guest on HART
 *                 (flags bit 0 store, bits 2:1 size log2, bit 3 no mtinst)
 *   4 IRQ         kind:u8                  raise an interrupt on HART and let
 *                                          whoever takes it handle it
 *   5 HOST_WRITE  size:u8 addr:arg value   the host on HART stores into
 *                                          memory (NACL slots, page tables...);
 *                 size bits 1:0 log2 of the width; bit 2 clear: value is a
 *                 raw u64, set: value is an arg (a host page, a GPA, a
 *                 confidential page... as the host would answer a share)
 *   6 FAULTS      kind:u8 mask:u64         fault plan: the n-th operation of
 *                                          kind fails when bit n is set
 *   7 RUN         tvm:u8 vcpu:u8           the host on HART runs a vCPU
 *   8 TRAP        cause:u8 tval:u64 tinst:u32   whoever runs on HART takes
 *                                          exception cause (mod 24) with these
 *                                          values; the monitor gets it if M does
 *                                          (virtual instructions, misdelegated
 *                                          traps, odd mtinst values)
 *
 * ext (mod count): an index into fuzz_exts (Base, NACL, COVH, COVG, HSM, IPI,
 * RFENCE, SRST, DBCN, TIME, COVI); values >= 0xF0 use a raw 32-bit EID that
 * follows (the low-probability raw fallback).
 *
 * arg := TAG payload, TAG mod FUZZ_ARG_COUNT:
 *   0 RAW u64 | 1 TVM k:u8 (id of the k-th TVM created) | 2 SMALL u8 |
 *   3 HOST page:u16 off:u16 | 4 GPA slot:u8 page:u16 off:u16 |
 *   5 CONF page:u16 off:u16 | 6 MON which:u8 off:u16 | 7 NACL hart:u8 |
 *   8 FDT slot:u8 | 9 ENTRY slot:u8 | 10 SPECIAL k:u8 (edge values) |
 *   11 TAP slot:u8 (the GPA of the slot's TAP, 0 when it has none)
 *
 * The text form (fuzz-decode / fuzz-encode) prints one operation per line.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covemon/mon.h"
#include "shim/monitor.h"

#define FUZZ_FORMAT_VERSION	2 /* what new inputs are written as */
#define FUZZ_FORMAT_VERSION_MIN 1 /* the oldest still read, with its meaning */
#define FUZZ_SEP_LEN		4
extern const uint8_t fuzz_sep[FUZZ_SEP_LEN];

#define FUZZ_MAX_OPS   64
#define FUZZ_VM_SLOTS  4
#define FUZZ_MAX_HARTS 4

enum fuzz_op_kind {
	FUZZ_OP_BUILD_VM,
	FUZZ_OP_HOST_ECALL,
	FUZZ_OP_GUEST_ECALL,
	FUZZ_OP_GUEST_ACCESS,
	FUZZ_OP_IRQ,
	FUZZ_OP_HOST_WRITE,
	FUZZ_OP_FAULTS,
	FUZZ_OP_RUN,
	FUZZ_OP_TRAP,
	FUZZ_OP_COUNT,
};

enum fuzz_arg_tag {
	FUZZ_ARG_RAW,
	FUZZ_ARG_TVM,
	FUZZ_ARG_SMALL,
	FUZZ_ARG_HOST,
	FUZZ_ARG_GPA,
	FUZZ_ARG_CONF,
	FUZZ_ARG_MON,
	FUZZ_ARG_NACL,
	FUZZ_ARG_FDT,
	FUZZ_ARG_ENTRY,
	FUZZ_ARG_SPECIAL,
	FUZZ_ARG_TAP,
	FUZZ_ARG_COUNT,
};

/* Defects BUILD_VM can plant in the host's G-stage tree or FDT. */
enum fuzz_flaw {
	FUZZ_FLAW_NONE,
	FUZZ_FLAW_W_WITHOUT_R,	   /* a leaf with W but not R */
	FUZZ_FLAW_RESERVED_BITS,   /* reserved PTE bits set */
	FUZZ_FLAW_NO_U,		   /* a leaf without U */
	FUZZ_FLAW_MISALIGNED_HUGE, /* a misaligned 2 MiB leaf */
	FUZZ_FLAW_CYCLE,	   /* a table pointing at the root */
	FUZZ_FLAW_LEAF_TO_CONF,	   /* a leaf onto confidential memory */
	FUZZ_FLAW_LEAF_TO_MON,	   /* a leaf onto monitor data */
	FUZZ_FLAW_FDT_MAGIC,	   /* broken FDT header */
	FUZZ_FLAW_FDT_NO_CPUS,	   /* FDT without cpus */
	FUZZ_FLAW_INVALID_V0,	   /* V=0 leaf with RWX (must stay unmapped) */
	FUZZ_FLAW_HIGH_ROOT,	   /* a page behind root index >= 512 */
	FUZZ_FLAW_COUNT,
};

struct fuzz_arg {
	uint8_t tag;
	uint64_t raw; /* RAW value, or the first payload field */
	uint16_t page;
	uint16_t off;
	uint8_t k;
};

struct fuzz_op {
	uint8_t kind; /* enum fuzz_op_kind */
	uint8_t hart;
	/* BUILD_VM */
	uint8_t slot, pages, vcpus, mode, flaw;
	uint16_t param;
	/* ECALLs */
	uint8_t ext;
	uint32_t raw_eid;
	uint16_t fid;
	struct fuzz_arg arg[6];
	/* GUEST_ACCESS, HOST_WRITE, IRQ, FAULTS, RUN */
	uint8_t flags, reg, size, irq, fault_kind, tvm, vcpu, cause;
	uint32_t tinst;
	struct fuzz_arg addr;
	uint64_t value;
	/* HOST_WRITE with FUZZ_WRITE_SYMBOLIC in flags: the value stored is this arg's */
	struct fuzz_arg val;
};

/* HOST_WRITE's flags (the size byte's bit 2): the value is an arg, not a raw u64. */
#define FUZZ_WRITE_SYMBOLIC 0x4u

struct fuzz_input {
	uint8_t version;
	uint8_t config;
	unsigned int nops;
	struct fuzz_op op[FUZZ_MAX_OPS];
};

/** The SBI extensions an `ext` index selects. */
#define FUZZ_EXT_COUNT 11
extern const uint32_t fuzz_exts[FUZZ_EXT_COUNT];
extern const char *const fuzz_ext_names[FUZZ_EXT_COUNT];

/**
 * Parses @data into @in. Never fails: unknown values wrap, missing bytes
 * are zero. Returns false only when the version byte is not 1 (the input is
 * then ignored by the targets). Only in->op[0 .. in->nops) is written.
 */
bool fuzz_parse(const uint8_t *data, size_t size, struct fuzz_input *in);

/** Serialises @in back into bytes; returns the length (<= cap). */
size_t fuzz_serialize(const struct fuzz_input *in, uint8_t *out, size_t cap);

/** Prints @in in the text form, one operation per line. */
void fuzz_print(const struct fuzz_input *in, void *file);

/**
 * Parses the text form (as fuzz_print writes it) into @in. Returns 0, or
 * the 1-based line number of the first line it cannot read (with a message
 * in *@why).
 */
unsigned int fuzz_parse_text(const char *text, struct fuzz_input *in, const char **why);

/* ------------------------------------------------------------- engine --- */

/** What the engine prints while it runs an input (replay --trace). */
extern bool fuzz_trace;

/**
 * Runs @in on the process's world (created on first use; reset to the
 * booted snapshot before every input), checking the oracle after every
 * operation. An oracle failure prints which invariant broke at which
 * operation and aborts (a crash for the fuzzer).
 */
void fuzz_execute(const struct fuzz_input *in);

/**
 * Reports an oracle failure and aborts: "covemon-oracle: INVARIANT violated
 * at operation N: DETAIL", the line campaigns deduplicate crashes by.
 */
_Noreturn void fuzz_fail(unsigned int op_index, const char *invariant, const char *detail);

/**
 * Boots now, instead of on first use, the world of every configuration byte
 * (c & @keep) | @set, c = 0..63. AFL++ builds call it from
 * LLVMFuzzerInitialize: the fork server then hands its workers booted worlds,
 * and booting never shows up as coverage of some input (unstable edges).
 */
void fuzz_boot_worlds(uint8_t keep, uint8_t set);

/*
 * A target's LLVMFuzzerInitialize under AFL++ (afl-clang-fast defines
 * __AFL_COMPILER): boots the worlds its inputs can name before the fork
 * server forks the workers. Elsewhere it expands to nothing.
 */
#ifdef __AFL_COMPILER
#define FUZZ_AFL_BOOT_WORLDS(keep, set)                    \
	int LLVMFuzzerInitialize(int *argc, char ***argv); \
	int LLVMFuzzerInitialize(int *argc, char ***argv)  \
	{                                                  \
		(void)argc;                                \
		(void)argv;                                \
		fuzz_boot_worlds((keep), (set));           \
		return 0;                                  \
	}
#else
#define FUZZ_AFL_BOOT_WORLDS(keep, set)
#endif

/* ------------------------------------------------------------- oracle --- */

struct fuzz_world;

/**
 * Checks invariants I1-I6, I9 and I10 on the hardware view of @fw (only what
 * changed since the last check, unless COVEMON_FUZZ_ORACLE says full or
 * cross); aborts naming the invariant and operation @op_index when one fails.
 */
void fuzz_oracle_check(struct fuzz_world *fw, unsigned int op_index);
