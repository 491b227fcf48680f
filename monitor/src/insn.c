// SPDX-License-Identifier: BSD-2-Clause
/*
 * Load/store decoding for MMIO emulation. Every path first decodes into a
 * local and writes the caller's struct only on success.
 *
 * Encodings: unprivileged spec, "RV32I Base Integer Instruction Set" (I- and
 * S-type loads and stores), "RV64I" (LD, LWU, SD) and the RVC chapter (CL, CS,
 * CI and CSS formats). Transformation: privileged spec, hypervisor chapter,
 * "Transformed Instruction or Pseudoinstruction for mtinst or htinst".
 */
#include "covemon/insn.h"

#include <stdbool.h>
#include <stdint.h>

#include "covemon/err.h"

#define INSN_OPCODE_MASK  0x7fu
#define INSN_OPCODE_LOAD  0x03u /* LOAD major opcode */
#define INSN_OPCODE_STORE 0x23u /* STORE major opcode */

/* Bits 1:0: 11 is a 32-bit instruction, anything else a 16-bit one. */
#define INSN_LEN_MASK	     0x3u
#define INSN_LEN_32	     0x3u
#define INSN_TRANSFORMED_RVC 0x1u /* bits 1:0 of a transformed compressed instruction */
#define INSN_BIT1	     0x2u
#define INSN_RVC_QUADRANT_0  0x0u
#define INSN_RVC_QUADRANT_2  0x2u

/* funct3 values (bits 14:12); LOAD 7 (LDU) and STORE 4 (SQ) belong to RV128. */
#define INSN_FUNCT3_LW	2u
#define INSN_FUNCT3_LD	3u /* funct3 below this: LB, LH, LW, which sign-extend */
#define INSN_FUNCT3_LWU 6u /* highest RV64 load: LBU, LHU, LWU are 4, 5, 6 */
#define INSN_FUNCT3_SD	3u /* highest RV64 store: SB, SH, SW, SD are 0..3 */

/* RVC funct3 values (bits 15:13) of the supported loads and stores. */
#define INSN_CFUNCT3_LW 2u /* quadrant 0: C.LW;  quadrant 2: C.LWSP */
#define INSN_CFUNCT3_LD 3u /* quadrant 0: C.LD;  quadrant 2: C.LDSP (RV64) */
#define INSN_CFUNCT3_SW 6u /* quadrant 0: C.SW;  quadrant 2: C.SWSP */
#define INSN_CFUNCT3_SD 7u /* quadrant 0: C.SD;  quadrant 2: C.SDSP (RV64) */

/* The RVC 3-bit register fields name x8..x15. */
#define INSN_RVC_REG_BASE 8u

/* The data register of every transformed instruction (CoVE spec's TIP). */
#define INSN_REG_A0 10u

static uint32_t field(uint32_t insn, unsigned int lo, unsigned int width)
{
	return (insn >> lo) & ((1u << width) - 1u);
}

/*
 * The access of a basic load or store with @funct3, data register @reg and
 * original length @length (funct3 already checked). The transformed load
 * keeps funct3, rd and opcode; the transformed store keeps rs2, funct3 and
 * opcode; all other fields are zero (Addr. Offset 0, immediates 0), then rd or
 * rs2 becomes a0. A compressed original clears bit 1.
 */
static struct insn_mem_access make_access(bool store, uint32_t funct3, uint32_t reg,
					  unsigned int length)
{
	struct insn_mem_access a;

	a.store = store;
	a.width = 1u << (funct3 & 3u);
	a.sign_extend = !store && funct3 < INSN_FUNCT3_LD;
	a.reg = reg;
	if (store) {
		a.transformed = (INSN_REG_A0 << 20) | (funct3 << 12) | INSN_OPCODE_STORE;
	} else {
		a.transformed = (funct3 << 12) | (INSN_REG_A0 << 7) | INSN_OPCODE_LOAD;
	}
	if (length == 2) {
		a.transformed &= ~INSN_BIT1;
	}
	a.length = length;
	return a;
}

/* A 32-bit load or store (bits 1:0 == 11), reported with @length. */
static bool decode_32(uint32_t insn, unsigned int length, struct insn_mem_access *a)
{
	uint32_t opcode = insn & INSN_OPCODE_MASK;
	uint32_t funct3 = field(insn, 12, 3);

	if (opcode == INSN_OPCODE_LOAD && funct3 <= INSN_FUNCT3_LWU) {
		*a = make_access(false, funct3, field(insn, 7, 5), length);
		return true;
	}
	if (opcode == INSN_OPCODE_STORE && funct3 <= INSN_FUNCT3_SD) {
		*a = make_access(true, funct3, field(insn, 20, 5), length);
		return true;
	}
	return false;
}

/*
 * A compressed load or store in quadrant 0 (CL/CS: data register rd'/rs2' in
 * bits 4:2) or quadrant 2 (CI: rd in bits 11:7; CSS: rs2 in bits 6:2). The
 * base register, sp or rs1', is irrelevant: the transformed instruction has no
 * base. Funct3 001 and 101 (C.FLD/C.FSD, C.FLDSP/C.FSDSP) and 0x0000 fall out.
 */
static bool decode_16(uint32_t insn, struct insn_mem_access *a)
{
	uint32_t quadrant = insn & INSN_LEN_MASK;
	uint32_t cfunct3 = field(insn, 13, 3);
	bool store;
	uint32_t reg;

	switch (cfunct3) {
	case INSN_CFUNCT3_LW:
	case INSN_CFUNCT3_LD: store = false; break;
	case INSN_CFUNCT3_SW:
	case INSN_CFUNCT3_SD: store = true; break;
	default: return false;
	}

	if (quadrant == INSN_RVC_QUADRANT_0) {
		reg = INSN_RVC_REG_BASE + field(insn, 2, 3);
	} else if (quadrant == INSN_RVC_QUADRANT_2) {
		reg = store ? field(insn, 2, 5) : field(insn, 7, 5);
		/* C.LWSP and C.LDSP with rd = x0 are reserved (RVC chapter). */
		if (!store && reg == 0) {
			return false;
		}
	} else {
		return false;
	}

	/* C.LW/C.LWSP/C.SW/C.SWSP are word accesses, the others doublewords. */
	*a = make_access(store, (cfunct3 & 1u) ? INSN_FUNCT3_LD : INSN_FUNCT3_LW, reg, 2);
	return true;
}

mon_err_t insn_decode_mem(uint32_t insn, struct insn_mem_access *out)
{
	struct insn_mem_access a;
	bool ok;

	switch (insn & INSN_LEN_MASK) {
	case INSN_LEN_32: ok = decode_32(insn, 4, &a); break;
	/* Hypervisor chapter: bits 1:0 of 01 mark a transformed compressed one. */
	case INSN_TRANSFORMED_RVC: ok = decode_32(insn | INSN_BIT1, 2, &a); break;
	default: ok = decode_16(insn, &a); break;
	}
	if (!ok) {
		return MON_ERR_NOT_SUPPORTED;
	}
	*out = a;
	return MON_OK;
}

mon_err_t insn_decode_fetched(uint32_t insn, struct insn_mem_access *out)
{
	/* Quadrant 1 holds no loads or stores; never read it as a transformed value. */
	if ((insn & INSN_LEN_MASK) == INSN_TRANSFORMED_RVC) {
		return MON_ERR_NOT_SUPPORTED;
	}
	return insn_decode_mem(insn, out);
}

mon_err_t insn_decode_tinst(uint64_t tinst, struct insn_mem_access *out)
{
	/*
	 * A transformed standard instruction has bit 0 set; zero means "no
	 * information" and 00 marks a pseudoinstruction. Bits 63:32 must be
	 * zero: a future value may reuse the low bits of a standard encoding.
	 */
	if ((tinst >> 32) != 0 || (tinst & 1u) == 0) {
		return MON_ERR_NOT_SUPPORTED;
	}
	return insn_decode_mem((uint32_t)tinst, out);
}

/* All ones in the low @width bytes; 8 (or anything unexpected) is all 64 bits. */
static uint64_t width_mask(unsigned int width)
{
	switch (width) {
	case 1: return 0xffu;
	case 2: return 0xffffu;
	case 4: return 0xffffffffu;
	default: return UINT64_MAX;
	}
}

uint64_t insn_load_result(const struct insn_mem_access *a, uint64_t raw)
{
	uint64_t mask = width_mask(a->width);
	uint64_t value = raw & mask;
	uint64_t sign_bit = (mask >> 1) + 1u;

	if (a->sign_extend && (value & sign_bit) != 0) {
		value |= ~mask;
	}
	return value;
}

uint64_t insn_store_value(const struct insn_mem_access *a, uint64_t reg_value)
{
	return reg_value & width_mask(a->width);
}
