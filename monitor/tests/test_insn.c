// SPDX-License-Identifier: BSD-2-Clause
/*
 * Load/store decoding for MMIO emulation.
 *
 * Threat: the instruction bits come from a hostile guest (fetched from its
 * memory when mtinst is zero). A wrong decode would report the wrong access
 * to the host or write the wrong guest register; a crash or a partial write
 * of the result on rejection would break the monitor. Literal vectors below
 * come from riscv64-unknown-elf-as -march=rv64imac (rv64imafdc for the FP
 * ones) and riscv64-unknown-elf-objdump -d -M no-aliases; the encoders are
 * checked against them, then drive the sweeps, and a mask/match table in the
 * style of riscv-opcodes serves as an independent reference.
 */
#include "covemon/err.h"
#include "covemon/insn.h"
#include "test.h"

/* Transformed instructions (data register a0, no base, no immediate). */
#define T_LB  0x00000503u
#define T_LH  0x00001503u
#define T_LW  0x00002503u
#define T_LD  0x00003503u
#define T_LBU 0x00004503u
#define T_LHU 0x00005503u
#define T_LWU 0x00006503u
#define T_SB  0x00a00023u
#define T_SH  0x00a01023u
#define T_SW  0x00a02023u
#define T_SD  0x00a03023u
#define T_RVC 0x2u /* bit 1, cleared for a compressed original */

/* ---- encoders (unprivileged spec: I/S-type, RVC CL/CS/CI/CSS formats) ---- */

static uint32_t enc_load(uint32_t funct3, uint32_t rd, uint32_t rs1, int32_t imm)
{
	return (((uint32_t)imm & 0xfffu) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x03u;
}

static uint32_t enc_store(uint32_t funct3, uint32_t rs2, uint32_t rs1, int32_t imm)
{
	uint32_t u = (uint32_t)imm & 0xfffu;

	return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((u & 0x1fu) << 7) |
	       0x23u;
}

static uint32_t bit(uint32_t v, unsigned int n)
{
	return (v >> n) & 1u;
}

/* C.LW / C.SW: uimm[5:3] at 12:10, uimm[2] at 6, uimm[6] at 5; x8..x15. */
static uint32_t enc_cw(uint32_t funct3, uint32_t reg, uint32_t rs1, uint32_t uimm)
{
	return (funct3 << 13) | (((uimm >> 3) & 7u) << 10) | ((rs1 - 8u) << 7) |
	       (bit(uimm, 2) << 6) | (bit(uimm, 6) << 5) | ((reg - 8u) << 2);
}

/* C.LD / C.SD: uimm[5:3] at 12:10, uimm[7:6] at 6:5; x8..x15. */
static uint32_t enc_cd(uint32_t funct3, uint32_t reg, uint32_t rs1, uint32_t uimm)
{
	return (funct3 << 13) | (((uimm >> 3) & 7u) << 10) | ((rs1 - 8u) << 7) |
	       (((uimm >> 6) & 3u) << 5) | ((reg - 8u) << 2);
}

static uint32_t enc_c_lw(uint32_t rd, uint32_t rs1, uint32_t uimm)
{
	return enc_cw(2u, rd, rs1, uimm);
}

static uint32_t enc_c_ld(uint32_t rd, uint32_t rs1, uint32_t uimm)
{
	return enc_cd(3u, rd, rs1, uimm);
}

static uint32_t enc_c_sw(uint32_t rs2, uint32_t rs1, uint32_t uimm)
{
	return enc_cw(6u, rs2, rs1, uimm);
}

static uint32_t enc_c_sd(uint32_t rs2, uint32_t rs1, uint32_t uimm)
{
	return enc_cd(7u, rs2, rs1, uimm);
}

/* C.LWSP: uimm[5] at 12, rd 11:7, uimm[4:2] at 6:4, uimm[7:6] at 3:2. */
static uint32_t enc_c_lwsp(uint32_t rd, uint32_t uimm)
{
	return (2u << 13) | (bit(uimm, 5) << 12) | (rd << 7) | (((uimm >> 2) & 7u) << 4) |
	       (((uimm >> 6) & 3u) << 2) | 2u;
}

/* C.LDSP: uimm[5] at 12, rd 11:7, uimm[4:3] at 6:5, uimm[8:6] at 4:2. */
static uint32_t enc_c_ldsp(uint32_t rd, uint32_t uimm)
{
	return (3u << 13) | (bit(uimm, 5) << 12) | (rd << 7) | (((uimm >> 3) & 3u) << 5) |
	       (((uimm >> 6) & 7u) << 2) | 2u;
}

/* C.SWSP: uimm[5:2] at 12:9, uimm[7:6] at 8:7, rs2 6:2. */
static uint32_t enc_c_swsp(uint32_t rs2, uint32_t uimm)
{
	return (6u << 13) | (((uimm >> 2) & 0xfu) << 9) | (((uimm >> 6) & 3u) << 7) | (rs2 << 2) |
	       2u;
}

/* C.SDSP: uimm[5:3] at 12:10, uimm[8:6] at 9:7, rs2 6:2. */
static uint32_t enc_c_sdsp(uint32_t rs2, uint32_t uimm)
{
	return (7u << 13) | (((uimm >> 3) & 7u) << 10) | (((uimm >> 6) & 7u) << 7) | (rs2 << 2) |
	       2u;
}

/*
 * What hardware writes to mtinst for a 32-bit load or store (hypervisor
 * chapter: loads keep funct3, rd and opcode; stores keep rs2, funct3 and
 * opcode; bits 19:15 hold the Addr. Offset, nonzero only when misaligned).
 */
static uint32_t hw_transform(uint32_t insn, uint32_t addr_offset)
{
	uint32_t keep;

	if ((insn & 0x7fu) == 0x03u) {
		keep = 0x00007fffu; /* funct3, rd, opcode */
	} else {
		keep = 0x01f0707fu; /* rs2, funct3, opcode */
	}
	return (insn & keep) | ((addr_offset & 0x1fu) << 15);
}

/* ---- helpers ---- */

static const struct insn_mem_access sentinel_access = {
	.store = true,
	.width = 0x5a5a,
	.sign_extend = true,
	.reg = 0xa5a5,
	.transformed = 0xdeadbeefu,
	.length = 0x77,
};

static struct insn_mem_access decode_ok(uint32_t insn)
{
	struct insn_mem_access a = sentinel_access;

	ASSERT_EQ(insn_decode_mem(insn, &a), MON_OK);
	return a;
}

static void expect_access(struct insn_mem_access a, bool store, unsigned int width, bool sign,
			  unsigned int reg, uint32_t transformed, unsigned int length)
{
	EXPECT_EQ(a.store, store);
	EXPECT_EQ(a.width, width);
	EXPECT_EQ(a.sign_extend, sign);
	EXPECT_EQ(a.reg, reg);
	EXPECT_EQ(a.transformed, transformed);
	EXPECT_EQ(a.length, length);
}

static bool same_access(const struct insn_mem_access *a, const struct insn_mem_access *b)
{
	return a->store == b->store && a->width == b->width && a->sign_extend == b->sign_extend &&
	       a->reg == b->reg && a->transformed == b->transformed && a->length == b->length;
}

/* Field by field: struct assignment need not copy padding, so no memcmp. */
static bool is_sentinel(const struct insn_mem_access *a)
{
	return same_access(a, &sentinel_access);
}

/* Rejected, and the output left exactly as it was. */
static bool rejected(uint32_t insn)
{
	struct insn_mem_access a = sentinel_access;

	return insn_decode_mem(insn, &a) == MON_ERR_NOT_SUPPORTED && is_sentinel(&a);
}

/*
 * Independent reference: riscv-opcodes-style mask/match for each supported
 * instruction, with where its data register sits.
 */
struct ref_insn {
	uint32_t mask;
	uint32_t match;
	bool store;
	unsigned int width;
	bool sign;
	unsigned int reg_lo;   /* bit position of the data register field */
	unsigned int reg_bits; /* 5, or 3 for x8..x15 */
	uint32_t transformed;
	unsigned int length;
};

static const struct ref_insn ref_table[] = {
	{ 0x707f, 0x0003, false, 1, true, 7, 5, T_LB, 4 },
	{ 0x707f, 0x1003, false, 2, true, 7, 5, T_LH, 4 },
	{ 0x707f, 0x2003, false, 4, true, 7, 5, T_LW, 4 },
	{ 0x707f, 0x3003, false, 8, false, 7, 5, T_LD, 4 },
	{ 0x707f, 0x4003, false, 1, false, 7, 5, T_LBU, 4 },
	{ 0x707f, 0x5003, false, 2, false, 7, 5, T_LHU, 4 },
	{ 0x707f, 0x6003, false, 4, false, 7, 5, T_LWU, 4 },
	{ 0x707f, 0x0023, true, 1, false, 20, 5, T_SB, 4 },
	{ 0x707f, 0x1023, true, 2, false, 20, 5, T_SH, 4 },
	{ 0x707f, 0x2023, true, 4, false, 20, 5, T_SW, 4 },
	{ 0x707f, 0x3023, true, 8, false, 20, 5, T_SD, 4 },
	{ 0xe003, 0x4000, false, 4, true, 2, 3, T_LW & ~T_RVC, 2 },  /* c.lw */
	{ 0xe003, 0x6000, false, 8, false, 2, 3, T_LD & ~T_RVC, 2 }, /* c.ld */
	{ 0xe003, 0xc000, true, 4, false, 2, 3, T_SW & ~T_RVC, 2 },  /* c.sw */
	{ 0xe003, 0xe000, true, 8, false, 2, 3, T_SD & ~T_RVC, 2 },  /* c.sd */
	{ 0xe003, 0x4002, false, 4, true, 7, 5, T_LW & ~T_RVC, 2 },  /* c.lwsp, rd != 0 */
	{ 0xe003, 0x6002, false, 8, false, 7, 5, T_LD & ~T_RVC, 2 }, /* c.ldsp, rd != 0 */
	{ 0xe003, 0xc002, true, 4, false, 2, 5, T_SW & ~T_RVC, 2 },  /* c.swsp */
	{ 0xe003, 0xe002, true, 8, false, 2, 5, T_SD & ~T_RVC, 2 },  /* c.sdsp */
};

/* The reference decode of a fetched instruction (16-bit ones in the low half). */
static bool ref_decode(uint32_t insn, struct insn_mem_access *out)
{
	uint32_t v = (insn & 3u) == 3u ? insn : (insn & 0xffffu);

	for (size_t i = 0; i < sizeof(ref_table) / sizeof(ref_table[0]); i++) {
		const struct ref_insn *r = &ref_table[i];
		unsigned int reg;

		if ((v & r->mask) != r->match) {
			continue;
		}
		reg = (v >> r->reg_lo) & ((1u << r->reg_bits) - 1u);
		if (r->reg_bits == 3) {
			reg += 8;
		}
		if (r->length == 2 && !r->store && r->reg_lo == 7 && reg == 0) {
			return false; /* reserved C.LWSP/C.LDSP rd = 0 */
		}
		*out = (struct insn_mem_access){ r->store, r->width,	   r->sign,
						 reg,	   r->transformed, r->length };
		return true;
	}
	return false;
}

/* A small deterministic generator for the random sweep (test-local state). */
static uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- encoders agree with the assembler ---- */

TEST(insn_test_encoders, match_assembler_for_32_bit_loads_and_stores)
{
	EXPECT_EQ(enc_load(2, 15, 10, 8), 0x00852783u);	    /* lw a5,8(a0) */
	EXPECT_EQ(enc_load(0, 5, 8, -1), 0xfff40283u);	    /* lb t0,-1(s0) */
	EXPECT_EQ(enc_load(5, 27, 31, -2048), 0x800fdd83u); /* lhu s11,-2048(t6) */
	EXPECT_EQ(enc_store(3, 9, 2, -16), 0xfe913823u);    /* sd s1,-16(sp) */
	EXPECT_EQ(enc_store(1, 6, 18, -4), 0xfe691e23u);    /* sh t1,-4(s2) */
	EXPECT_EQ(enc_store(2, 1, 2, 2044), 0x7e112e23u);   /* sw ra,2044(sp) */
}

TEST(insn_test_encoders, match_assembler_for_compressed_loads_and_stores)
{
	EXPECT_EQ(enc_c_lw(14, 15, 4), 0x43d8u);  /* c.lw a4,4(a5) */
	EXPECT_EQ(enc_c_lw(15, 10, 8), 0x451cu);  /* c.lw a5,8(a0) */
	EXPECT_EQ(enc_c_ld(8, 9, 248), 0x7ce0u);  /* c.ld s0,248(s1) */
	EXPECT_EQ(enc_c_sw(15, 8, 124), 0xdc7cu); /* c.sw a5,124(s0) */
	EXPECT_EQ(enc_c_sw(9, 15, 64), 0xc3a4u);  /* c.sw s1,64(a5) */
	EXPECT_EQ(enc_c_sd(12, 13, 8), 0xe690u);  /* c.sd a2,8(a3) */
	EXPECT_EQ(enc_c_lwsp(5, 252), 0x52feu);	  /* c.lwsp t0,252(sp) */
	EXPECT_EQ(enc_c_lwsp(31, 4), 0x4f92u);	  /* c.lwsp t6,4(sp) */
	EXPECT_EQ(enc_c_ldsp(9, 504), 0x74feu);	  /* c.ldsp s1,504(sp) */
	EXPECT_EQ(enc_c_swsp(0, 0), 0xc002u);	  /* c.swsp zero,0(sp) */
	EXPECT_EQ(enc_c_sdsp(1, 8), 0xe406u);	  /* c.sdsp ra,8(sp) */
}

/* ---- every supported 32-bit instruction (assembler vectors) ---- */

TEST(insn_decode_mem, lw_becomes_lw_a0_with_no_base_or_offset)
{
	/* lw a5,8(a0) */
	expect_access(decode_ok(0x00852783u), false, 4, true, 15, T_LW, 4);
}

TEST(insn_decode_mem, lb_is_a_sign_extending_byte_load)
{
	/* lb t0,-1(s0) */
	expect_access(decode_ok(0xfff40283u), false, 1, true, 5, T_LB, 4);
}

TEST(insn_decode_mem, lh_is_a_sign_extending_halfword_load)
{
	/* lh t6,2047(ra) */
	expect_access(decode_ok(0x7ff09f83u), false, 2, true, 31, T_LH, 4);
}

TEST(insn_decode_mem, ld_is_a_doubleword_load_without_sign_extension)
{
	/* ld a0,0(a0) */
	expect_access(decode_ok(0x00053503u), false, 8, false, 10, T_LD, 4);
}

TEST(insn_decode_mem, lbu_is_a_zero_extending_byte_load)
{
	/* lbu ra,5(sp) */
	expect_access(decode_ok(0x00514083u), false, 1, false, 1, T_LBU, 4);
}

TEST(insn_decode_mem, lhu_is_a_zero_extending_halfword_load)
{
	/* lhu s11,-2048(t6) */
	expect_access(decode_ok(0x800fdd83u), false, 2, false, 27, T_LHU, 4);
}

TEST(insn_decode_mem, lwu_is_a_zero_extending_word_load)
{
	/* lwu a7,12(a3) */
	expect_access(decode_ok(0x00c6e883u), false, 4, false, 17, T_LWU, 4);
}

TEST(insn_decode_mem, load_to_x0_reports_register_0)
{
	/* lw zero,0(a0): legal; the caller discards the value. */
	expect_access(decode_ok(0x00052003u), false, 4, true, 0, T_LW, 4);
}

TEST(insn_decode_mem, sb_becomes_sb_from_a0_with_no_base_or_offset)
{
	/* sb zero,3(a0) */
	expect_access(decode_ok(0x000501a3u), true, 1, false, 0, T_SB, 4);
}

TEST(insn_decode_mem, sh_is_a_halfword_store)
{
	/* sh t1,-4(s2) */
	expect_access(decode_ok(0xfe691e23u), true, 2, false, 6, T_SH, 4);
}

TEST(insn_decode_mem, sw_is_a_word_store)
{
	/* sw ra,2044(sp) */
	expect_access(decode_ok(0x7e112e23u), true, 4, false, 1, T_SW, 4);
}

TEST(insn_decode_mem, sd_is_a_doubleword_store)
{
	/* sd s1,-16(sp) */
	expect_access(decode_ok(0xfe913823u), true, 8, false, 9, T_SD, 4);
}

/* ---- every supported compressed instruction (assembler vectors) ---- */

TEST(insn_decode_mem, c_lw_maps_rd_prime_to_x8_x15_and_clears_bit_1)
{
	/* c.lw a4,4(a5) */
	expect_access(decode_ok(0x43d8u), false, 4, true, 14, T_LW & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_ld_is_a_doubleword_load_on_rv64)
{
	/* c.ld s0,248(s1) */
	expect_access(decode_ok(0x7ce0u), false, 8, false, 8, T_LD & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_sw_maps_rs2_prime_to_x8_x15)
{
	/* c.sw a5,124(s0) */
	expect_access(decode_ok(0xdc7cu), true, 4, false, 15, T_SW & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_sd_is_a_doubleword_store_on_rv64)
{
	/* c.sd a2,8(a3) */
	expect_access(decode_ok(0xe690u), true, 8, false, 12, T_SD & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_lwsp_takes_rd_from_bits_11_7)
{
	/* c.lwsp t0,252(sp) */
	expect_access(decode_ok(0x52feu), false, 4, true, 5, T_LW & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_ldsp_is_a_doubleword_load_on_rv64)
{
	/* c.ldsp s1,504(sp) */
	expect_access(decode_ok(0x74feu), false, 8, false, 9, T_LD & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_swsp_takes_rs2_from_bits_6_2_and_allows_x0)
{
	/* c.swsp zero,0(sp) */
	expect_access(decode_ok(0xc002u), true, 4, false, 0, T_SW & ~T_RVC, 2);
}

TEST(insn_decode_mem, c_sdsp_is_a_doubleword_store_on_rv64)
{
	/* c.sdsp ra,8(sp) */
	expect_access(decode_ok(0xe406u), true, 8, false, 1, T_SD & ~T_RVC, 2);
}

TEST(insn_decode_mem, compressed_ignores_bits_31_16)
{
	struct insn_mem_access plain = decode_ok(0x43d8u);
	struct insn_mem_access noisy = decode_ok(0xffff43d8u);

	EXPECT_TRUE(same_access(&plain, &noisy));
}

/* ---- sweeps over registers, bases and immediates ---- */

TEST(insn_decode_mem, every_load_register_base_and_offset_decodes)
{
	static const int32_t imms[] = { 0, 1, -1, 8, 2047, -2048, 0x555, -0x556 };
	unsigned long bad = 0;

	for (uint32_t funct3 = 0; funct3 <= 6; funct3++) {
		for (uint32_t rd = 0; rd < 32; rd++) {
			for (uint32_t rs1 = 0; rs1 < 32; rs1++) {
				for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
					struct insn_mem_access a = sentinel_access;
					uint32_t insn = enc_load(funct3, rd, rs1, imms[i]);

					if (insn_decode_mem(insn, &a) != MON_OK || a.store ||
					    a.reg != rd || a.width != 1u << (funct3 & 3) ||
					    a.sign_extend != (funct3 < 3) ||
					    a.transformed != (T_LB | (funct3 << 12)) ||
					    a.length != 4) {
						bad++;
					}
				}
			}
		}
	}
	EXPECT_EQ(bad, 0);
}

TEST(insn_decode_mem, every_store_register_base_and_offset_decodes)
{
	static const int32_t imms[] = { 0, 1, -1, 31, 32, 2047, -2048, 0x555 };
	unsigned long bad = 0;

	for (uint32_t funct3 = 0; funct3 <= 3; funct3++) {
		for (uint32_t rs2 = 0; rs2 < 32; rs2++) {
			for (uint32_t rs1 = 0; rs1 < 32; rs1++) {
				for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
					struct insn_mem_access a = sentinel_access;
					uint32_t insn = enc_store(funct3, rs2, rs1, imms[i]);

					if (insn_decode_mem(insn, &a) != MON_OK || !a.store ||
					    a.reg != rs2 || a.width != 1u << funct3 ||
					    a.sign_extend ||
					    a.transformed != (T_SB | (funct3 << 12)) ||
					    a.length != 4) {
						bad++;
					}
				}
			}
		}
	}
	EXPECT_EQ(bad, 0);
}

TEST(insn_decode_mem, every_compressed_register_base_and_offset_decodes)
{
	unsigned long bad = 0;
	unsigned long n = 0;

	for (uint32_t reg = 8; reg < 16; reg++) {
		for (uint32_t rs1 = 8; rs1 < 16; rs1++) {
			for (uint32_t uimm = 0; uimm < 128; uimm += 4) {
				struct insn_mem_access lw = decode_ok(enc_c_lw(reg, rs1, uimm));
				struct insn_mem_access sw = decode_ok(enc_c_sw(reg, rs1, uimm));

				bad += !(lw.reg == reg && !lw.store && lw.width == 4);
				bad += !(sw.reg == reg && sw.store && sw.width == 4);
				n += 2;
			}
			for (uint32_t uimm = 0; uimm < 256; uimm += 8) {
				struct insn_mem_access ld = decode_ok(enc_c_ld(reg, rs1, uimm));
				struct insn_mem_access sd = decode_ok(enc_c_sd(reg, rs1, uimm));

				bad += !(ld.reg == reg && !ld.store && ld.width == 8);
				bad += !(sd.reg == reg && sd.store && sd.width == 8);
				n += 2;
			}
		}
	}
	for (uint32_t reg = 0; reg < 32; reg++) {
		for (uint32_t uimm = 0; uimm < 256; uimm += 4) {
			struct insn_mem_access sw = decode_ok(enc_c_swsp(reg, uimm));

			bad += !(sw.reg == reg && sw.store && sw.width == 4);
			if (reg != 0) {
				struct insn_mem_access lw = decode_ok(enc_c_lwsp(reg, uimm));

				bad += !(lw.reg == reg && !lw.store && lw.width == 4);
			}
		}
		for (uint32_t uimm = 0; uimm < 512; uimm += 8) {
			struct insn_mem_access sd = decode_ok(enc_c_sdsp(reg, uimm));

			bad += !(sd.reg == reg && sd.store && sd.width == 8);
			if (reg != 0) {
				struct insn_mem_access ld = decode_ok(enc_c_ldsp(reg, uimm));

				bad += !(ld.reg == reg && !ld.store && ld.width == 8);
			}
		}
	}
	EXPECT_GT(n, 0);
	EXPECT_EQ(bad, 0);
}

/* ---- transformed inputs (mtinst) ---- */

TEST(insn_decode_mem, hardware_transformed_32_bit_input_decodes_like_the_original)
{
	static const uint32_t originals[] = {
		0xfff40283u, 0x7ff09f83u, 0x00852783u, 0x00053503u, 0x00514083u, 0x800fdd83u,
		0x00c6e883u, 0x000501a3u, 0xfe691e23u, 0x7e112e23u, 0xfe913823u,
	};
	unsigned long bad = 0;

	for (size_t i = 0; i < sizeof(originals) / sizeof(originals[0]); i++) {
		struct insn_mem_access want = decode_ok(originals[i]);

		for (uint32_t offset = 0; offset < 8; offset++) {
			struct insn_mem_access got = decode_ok(hw_transform(originals[i], offset));

			bad += !same_access(&want, &got);
		}
	}
	EXPECT_EQ(bad, 0);
}

TEST(insn_decode_mem, transformed_compressed_input_has_length_2)
{
	/* c.lw a4,4(a5) expands to lw a4,4(a5); transformed: rd a4, bit 1 clear. */
	uint32_t tinst = (hw_transform(enc_load(2, 14, 15, 4), 0)) & ~T_RVC;

	EXPECT_EQ(tinst, 0x00002701u);
	expect_access(decode_ok(tinst), false, 4, true, 14, T_LW & ~T_RVC, 2);
}

TEST(insn_decode_mem, transformed_compressed_input_decodes_like_the_compressed_original)
{
	struct {
		uint32_t compressed;
		uint32_t expansion;
	} pairs[] = {
		{ 0x43d8u, enc_load(2, 14, 15, 4) },   /* c.lw a4,4(a5) */
		{ 0x7ce0u, enc_load(3, 8, 9, 248) },   /* c.ld s0,248(s1) */
		{ 0xdc7cu, enc_store(2, 15, 8, 124) }, /* c.sw a5,124(s0) */
		{ 0xe690u, enc_store(3, 12, 13, 8) },  /* c.sd a2,8(a3) */
		{ 0x52feu, enc_load(2, 5, 2, 252) },   /* c.lwsp t0,252(sp) */
		{ 0x74feu, enc_load(3, 9, 2, 504) },   /* c.ldsp s1,504(sp) */
		{ 0xc002u, enc_store(2, 0, 2, 0) },    /* c.swsp zero,0(sp) */
		{ 0xe406u, enc_store(3, 1, 2, 8) },    /* c.sdsp ra,8(sp) */
	};
	unsigned long bad = 0;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct insn_mem_access want = decode_ok(pairs[i].compressed);

		for (uint32_t offset = 0; offset < 8; offset++) {
			uint32_t tinst = hw_transform(pairs[i].expansion, offset) & ~T_RVC;
			struct insn_mem_access got = decode_ok(tinst);

			bad += !same_access(&want, &got);
		}
	}
	EXPECT_EQ(bad, 0);
}

TEST(insn_decode_mem, own_transformed_output_decodes_to_a0_with_the_same_access)
{
	unsigned long bad = 0;
	unsigned long n = 0;
	uint32_t state = 0x13579bdfu;

	for (int i = 0; i < 200000; i++) {
		uint32_t insn = xorshift32(&state);
		struct insn_mem_access a = sentinel_access;
		struct insn_mem_access again;

		/* Bias towards loads and stores so the loop checks something. */
		insn = (insn & ~0x5fu) | ((i & 1) ? 0x03u : 0x23u);
		if (insn_decode_mem(insn, &a) != MON_OK) {
			continue;
		}
		again = decode_ok(a.transformed);
		bad += !(again.store == a.store && again.width == a.width &&
			 again.sign_extend == a.sign_extend && again.reg == 10 &&
			 again.transformed == a.transformed && again.length == a.length);
		n++;
	}
	EXPECT_GT(n, 100000);
	EXPECT_EQ(bad, 0);
}

/* ---- rejections ---- */

TEST(insn_decode_mem, rejects_every_other_major_opcode)
{
	static const uint32_t upper[] = { 0x00000000u, 0x00852000u, 0xfe913000u,
					  0xffffff80u, 0x00007000u, 0x12345000u };
	unsigned long accepted = 0;

	for (uint32_t opcode = 0; opcode < 128; opcode++) {
		if ((opcode & 3u) != 3u || opcode == 0x03u || opcode == 0x23u) {
			continue;
		}
		for (size_t i = 0; i < sizeof(upper) / sizeof(upper[0]); i++) {
			accepted += !rejected(upper[i] | opcode);
		}
	}
	EXPECT_EQ(accepted, 0);
}

TEST(insn_decode_mem, rejects_load_funct3_7)
{
	/* LDU in RV128, reserved in RV64. */
	EXPECT_TRUE(rejected(enc_load(7, 15, 10, 8)));
}

TEST(insn_decode_mem, rejects_store_funct3_4_to_7)
{
	/* SQ in RV128 (4); 5..7 are reserved. */
	unsigned long accepted = 0;

	for (uint32_t funct3 = 4; funct3 < 8; funct3++) {
		accepted += !rejected(enc_store(funct3, 9, 2, -16));
	}
	EXPECT_EQ(accepted, 0);
}

TEST(insn_decode_mem, rejects_floating_point_loads_and_stores)
{
	EXPECT_TRUE(rejected(0x00452507u)); /* flw fa0,4(a0) */
	EXPECT_TRUE(rejected(0x00b5b427u)); /* fsd fa1,8(a1) */
	EXPECT_TRUE(rejected(0x0085b507u)); /* fld fa0,8(a1) */
	EXPECT_TRUE(rejected(0x00a5a227u)); /* fsw fa0,4(a1) */
}

TEST(insn_decode_mem, rejects_amo_and_lr_sc)
{
	EXPECT_TRUE(rejected(0x00b6252fu)); /* amoadd.w a0,a1,(a2) */
	EXPECT_TRUE(rejected(0x1005b52fu)); /* lr.d a0,(a1) */
	EXPECT_TRUE(rejected(0x18b6352fu)); /* sc.d a0,a1,(a2) */
}

TEST(insn_decode_mem, rejects_compressed_floating_point_loads_and_stores)
{
	EXPECT_TRUE(rejected(0x2588u)); /* c.fld fa0,8(a1) */
	EXPECT_TRUE(rejected(0xa588u)); /* c.fsd fa0,8(a1) */
	EXPECT_TRUE(rejected(0x2522u)); /* c.fldsp fa0,8(sp) */
	EXPECT_TRUE(rejected(0xa42au)); /* c.fsdsp fa0,8(sp) */
}

TEST(insn_decode_mem, rejects_reserved_c_lwsp_and_c_ldsp_with_rd_0)
{
	unsigned long accepted = 0;

	for (uint32_t uimm = 0; uimm < 256; uimm += 4) {
		accepted += !rejected(enc_c_lwsp(0, uimm));
	}
	for (uint32_t uimm = 0; uimm < 512; uimm += 8) {
		accepted += !rejected(enc_c_ldsp(0, uimm));
	}
	EXPECT_EQ(accepted, 0);
}

TEST(insn_decode_mem, rejects_all_zero_instruction)
{
	EXPECT_TRUE(rejected(0x00000000u));
}

TEST(insn_decode_mem, rejects_compressed_illegal_instruction_with_noise_above)
{
	/* 0x0000 is the defined illegal instruction; bits 31:16 do not matter. */
	EXPECT_TRUE(rejected(0xffff0000u));
}

TEST(insn_decode_mem, rejects_all_ones_instruction)
{
	EXPECT_TRUE(rejected(0xffffffffu));
}

TEST(insn_decode_mem, every_16_bit_value_matches_the_reference_and_leaves_out_on_failure)
{
	/* Quadrants 0 and 2 (quadrant 1 is a transformed form here; see below). */
	unsigned long wrong = 0;
	unsigned long ok = 0;

	for (uint32_t v = 0; v < 0x10000u; v++) {
		for (uint32_t noise = 0; noise < 2; noise++) {
			uint32_t insn = v | (noise ? 0xa5a50000u : 0u);
			struct insn_mem_access got = sentinel_access;
			struct insn_mem_access want;
			mon_err_t err;

			if ((v & 3u) == 3u || (v & 3u) == 1u) {
				continue;
			}
			err = insn_decode_mem(insn, &got);
			if (ref_decode(insn, &want)) {
				wrong += !(err == MON_OK && same_access(&got, &want));
				ok += err == MON_OK;
			} else {
				wrong += !(err == MON_ERR_NOT_SUPPORTED && is_sentinel(&got));
			}
		}
	}
	/* 8 forms of 2^11 encodings, less 2^6 with rd = 0 for two, for 2 noise patterns. */
	EXPECT_EQ(ok, 2u * (8u * 2048u - 2u * 64u));
	EXPECT_EQ(wrong, 0);
}

TEST(insn_decode_mem, random_32_bit_values_match_the_reference)
{
	unsigned long wrong = 0;
	uint32_t state = 0x2545f491u;

	for (int i = 0; i < 1000000; i++) {
		uint32_t insn = xorshift32(&state) | 3u;
		struct insn_mem_access got = sentinel_access;
		struct insn_mem_access want;
		mon_err_t err;

		if (i & 1) {
			/* Half of them with a load or store opcode, any other bits. */
			insn = (insn & ~0x7fu) | ((i & 2) ? 0x03u : 0x23u);
		}
		err = insn_decode_mem(insn, &got);
		if (ref_decode(insn, &want)) {
			wrong += !(err == MON_OK && same_access(&got, &want));
		} else {
			wrong += !(err == MON_ERR_NOT_SUPPORTED && is_sentinel(&got));
		}
	}
	EXPECT_EQ(wrong, 0);
}

TEST(insn_decode_mem, every_transformed_compressed_value_is_a_basic_load_or_store_of_length_2)
{
	/* Bits 1:0 == 01: anything accepted must be LOAD/STORE with bit 1 set again. */
	unsigned long wrong = 0;

	for (uint32_t v = 1; v < 0x10000u; v += 4) {
		struct insn_mem_access got = sentinel_access;
		struct insn_mem_access want;
		mon_err_t err = insn_decode_mem(v, &got);

		if (ref_decode(v | T_RVC, &want)) {
			want.transformed &= ~T_RVC;
			want.length = 2;
			wrong += !(err == MON_OK && same_access(&got, &want));
		} else {
			wrong += !(err == MON_ERR_NOT_SUPPORTED && is_sentinel(&got));
		}
	}
	EXPECT_EQ(wrong, 0);
}

/* ---- insn_decode_fetched ---- */

TEST(insn_decode_fetched, rejects_every_quadrant_1_instruction)
{
	/* 0x2501 is c.addiw a0,0; insn_decode_mem would read it as a transformed LW. */
	unsigned long accepted = 0;
	struct insn_mem_access a = sentinel_access;

	EXPECT_EQ(insn_decode_mem(0x2501u, &a), MON_OK);
	for (uint32_t v = 1; v < 0x10000u; v += 4) {
		struct insn_mem_access b = sentinel_access;

		accepted +=
			!(insn_decode_fetched(v, &b) == MON_ERR_NOT_SUPPORTED && is_sentinel(&b));
	}
	EXPECT_EQ(accepted, 0);
}

TEST(insn_decode_fetched, decodes_32_bit_and_compressed_instructions)
{
	struct insn_mem_access a = sentinel_access;
	struct insn_mem_access c = sentinel_access;

	ASSERT_EQ(insn_decode_fetched(0x00852783u, &a), MON_OK); /* lw a5,8(a0) */
	ASSERT_EQ(insn_decode_fetched(0xe406u, &c), MON_OK);	 /* c.sdsp ra,8(sp) */
	expect_access(a, false, 4, true, 15, T_LW, 4);
	expect_access(c, true, 8, false, 1, T_SD & ~T_RVC, 2);
}

/* ---- insn_decode_tinst ---- */

TEST(insn_decode_tinst, accepts_transformed_32_bit_and_compressed_values)
{
	struct insn_mem_access a = sentinel_access;
	struct insn_mem_access c = sentinel_access;

	ASSERT_EQ(insn_decode_tinst(0x00002783u, &a), MON_OK); /* lw a5 */
	ASSERT_EQ(insn_decode_tinst(0x00903021u, &c), MON_OK); /* c.sd s1 */
	expect_access(a, false, 4, true, 15, T_LW, 4);
	expect_access(c, true, 8, false, 9, T_SD & ~T_RVC, 2);
}

TEST(insn_decode_tinst, rejects_nonzero_bits_63_32)
{
	struct insn_mem_access a = sentinel_access;

	EXPECT_EQ(insn_decode_tinst(0x0000000100002783ull, &a), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(insn_decode_tinst(0x8000000000002783ull, &a), MON_ERR_NOT_SUPPORTED);
	EXPECT_TRUE(is_sentinel(&a));
}

TEST(insn_decode_tinst, rejects_zero_and_vs_stage_pseudoinstructions)
{
	static const uint64_t values[] = { 0, 0x2000, 0x2020, 0x3000, 0x3020 };
	unsigned long accepted = 0;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct insn_mem_access a = sentinel_access;

		accepted += !(insn_decode_tinst(values[i], &a) == MON_ERR_NOT_SUPPORTED &&
			      is_sentinel(&a));
	}
	EXPECT_EQ(accepted, 0);
}

TEST(insn_decode_tinst, rejects_values_with_bits_1_0_of_10)
{
	/* Excluded by the spec; would otherwise read as c.lwsp a5 / c.sdsp ra. */
	struct insn_mem_access a = sentinel_access;

	EXPECT_EQ(insn_decode_tinst(0x47b2u, &a), MON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(insn_decode_tinst(0xe406u, &a), MON_ERR_NOT_SUPPORTED);
	EXPECT_TRUE(is_sentinel(&a));
}

/* ---- insn_load_result and insn_store_value ---- */

static uint64_t load_result(uint32_t insn, uint64_t raw)
{
	struct insn_mem_access a = decode_ok(insn);

	return insn_load_result(&a, raw);
}

TEST(insn_load_result, lb_sign_extends_bit_7)
{
	EXPECT_EQ(load_result(enc_load(0, 5, 0, 0), 0x1234567890abcd80ull), 0xffffffffffffff80ull);
	EXPECT_EQ(load_result(enc_load(0, 5, 0, 0), 0xffffffffffffff7full), 0x7full);
}

TEST(insn_load_result, lbu_zero_extends_a_byte)
{
	EXPECT_EQ(load_result(enc_load(4, 5, 0, 0), 0xffffffffffffff80ull), 0x80ull);
}

TEST(insn_load_result, lh_sign_extends_bit_15)
{
	EXPECT_EQ(load_result(enc_load(1, 5, 0, 0), 0x000000000012abcdull), 0xffffffffffffabcdull);
	EXPECT_EQ(load_result(enc_load(1, 5, 0, 0), 0xffffffffffff7bcdull), 0x7bcdull);
}

TEST(insn_load_result, lhu_zero_extends_a_halfword)
{
	EXPECT_EQ(load_result(enc_load(5, 5, 0, 0), 0xffffffffffffabcdull), 0xabcdull);
}

TEST(insn_load_result, lw_and_c_lw_sign_extend_bit_31)
{
	EXPECT_EQ(load_result(enc_load(2, 5, 0, 0), 0x1234567880000001ull), 0xffffffff80000001ull);
	EXPECT_EQ(load_result(0x43d8u, 0x1234567880000001ull), 0xffffffff80000001ull);
	EXPECT_EQ(load_result(enc_load(2, 5, 0, 0), 0xffffffff7fffffffull), 0x7fffffffull);
}

TEST(insn_load_result, lwu_zero_extends_a_word)
{
	EXPECT_EQ(load_result(enc_load(6, 5, 0, 0), 0xffffffff80000001ull), 0x80000001ull);
}

TEST(insn_load_result, ld_returns_all_64_bits)
{
	EXPECT_EQ(load_result(enc_load(3, 5, 0, 0), 0x8000000000000001ull), 0x8000000000000001ull);
	EXPECT_EQ(load_result(0x74feu, 0xfedcba9876543210ull), 0xfedcba9876543210ull);
}

static uint64_t store_value(uint32_t insn, uint64_t reg_value)
{
	struct insn_mem_access a = decode_ok(insn);

	return insn_store_value(&a, reg_value);
}

TEST(insn_store_value, shows_the_host_only_the_stored_bytes)
{
	/* A byte store must not leak the other seven bytes of the register. */
	EXPECT_EQ(store_value(enc_store(0, 5, 0, 0), 0x1122334455667788ull), 0x88ull);
	EXPECT_EQ(store_value(enc_store(1, 5, 0, 0), 0x1122334455667788ull), 0x7788ull);
	EXPECT_EQ(store_value(0xdc7cu, 0x1122334455667788ull), 0x55667788ull); /* c.sw */
	EXPECT_EQ(store_value(enc_store(3, 5, 0, 0), 0x1122334455667788ull), 0x1122334455667788ull);
}
