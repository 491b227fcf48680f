/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Decoding of the guest loads and stores that fault on an emulated MMIO
 * region. The monitor tells the host which access happened without showing it
 * the guest's registers: it reports a transformed instruction (privileged
 * spec, hypervisor chapter, "Transformed Instruction or Pseudoinstruction for
 * mtinst or htinst") whose data register is always a0, and places a store's
 * value in the NACL slot for a0 (CoVE spec, "TSM NACL CSRs and GPRs" and the
 * TIP after it).
 *
 * The instruction bits are hostile: they come from guest memory (when mtinst
 * is zero) or describe a guest instruction. Everything not understood is
 * rejected; nothing here reads state or has side effects.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "covemon/err.h"

/** One decoded guest load or store. */
struct insn_mem_access {
	bool store;	    /* false: load */
	unsigned int width; /* bytes: 1, 2, 4 or 8 */
	bool sign_extend;   /* loads: true for LB, LH, LW; false for LBU, LHU, LWU, LD */
	unsigned int reg;   /* guest GPR x0..x31: rd of a load, rs2 of a store */
	/*
	 * The standard transformed instruction for htinst, with the data
	 * register (rd or rs2) replaced by a0, the Addr. Offset field (bits
	 * 19:15) and the immediate fields zero, and bit 1 cleared when the
	 * original instruction was compressed.
	 */
	uint32_t transformed;
	unsigned int length; /* 2 or 4: length of the guest instruction (advances sepc) */
};

/**
 * Decodes a basic integer load or store.
 *
 * @insn is either an instruction as fetched from guest memory or a
 * transformed instruction from mtinst, told apart by bits 1:0:
 *   11  a 32-bit instruction (fetched, or transformed from a 32-bit one);
 *   01  a transformed compressed instruction: bit 1 is set again and the
 *       32-bit form decoded, with length 2 (any rs1/Addr. Offset and
 *       immediate bits are ignored, as the spec allows);
 *   00, 10  a compressed instruction in its low 16 bits (bits 31:16 are
 *       ignored): C.LW, C.LD, C.SW, C.SD, C.LWSP, C.LDSP, C.SWSP, C.SDSP with
 *       their RV64 meanings.
 * The 32-bit forms accepted are LB, LH, LW, LD, LBU, LHU, LWU, SB, SH, SW, SD.
 * Because 01 is always read as a transformed instruction, callers should use
 * insn_decode_fetched() for fetched bits and insn_decode_tinst() for mtinst:
 * each rejects what cannot come from its source before calling this.
 *
 * A load to x0 decodes with @reg 0: the caller discards the value. A fetched
 * instruction may differ from the one that faulted (the guest can rewrite its
 * code): the caller checks @store against the fault cause.
 *
 * Returns MON_OK and fills @out, or MON_ERR_NOT_SUPPORTED for anything else
 * (other opcodes, FP loads and stores, AMOs, LR/SC, reserved encodings such as
 * C.LWSP or C.LDSP with rd 0, the illegal instruction 0x0000); @out is then
 * left as it was.
 */
MON_WUR mon_err_t insn_decode_mem(uint32_t insn, struct insn_mem_access *out);

/**
 * Decodes an instruction fetched from guest memory (used when mtinst is zero):
 * bits 1:0 of 01 are a compressed instruction of quadrant 1, which holds no
 * loads or stores, and must not be mistaken for a transformed instruction.
 *
 * Returns what insn_decode_mem() returns; MON_ERR_NOT_SUPPORTED for bits 1:0
 * of 01. @out is untouched on error.
 */
MON_WUR mon_err_t insn_decode_fetched(uint32_t insn, struct insn_mem_access *out);

/**
 * Decodes a nonzero mtinst/htinst value. Only a transformed standard
 * instruction (bit 0 set) is accepted; bits 63:32 must be zero (hypervisor
 * chapter: software "must also confirm that bits 63:32 of mtinst are all
 * zeros"). Pseudoinstructions (bits 1:0 of 00, for implicit VS-stage
 * translation accesses) are not loads or stores of the guest and are rejected.
 *
 * Returns what insn_decode_mem() returns; MON_ERR_NOT_SUPPORTED for bits 63:32
 * nonzero or bit 0 clear (including zero: the caller fetches the instruction
 * instead). @out is untouched on error.
 */
MON_WUR mon_err_t insn_decode_tinst(uint64_t tinst, struct insn_mem_access *out);

/**
 * Returns the value a load of @a puts in its register when the device returned
 * @raw: @raw truncated to @a->width bytes, then sign- or zero-extended as
 * @a->sign_extend says. @a must come from a successful decode (a width other
 * than 1, 2 or 4 is treated as 8).
 */
uint64_t insn_load_result(const struct insn_mem_access *a, uint64_t raw);

/**
 * Returns the value a store of @a writes, given the guest register's value
 * @reg_value: its low @a->width bytes, zero-extended, so the host sees no
 * register bits beyond the bytes the guest stores.
 */
uint64_t insn_store_value(const struct insn_mem_access *a, uint64_t reg_value);
