// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzz target: the MMIO load/store decoder (monitor/src/insn.c).
 *
 * Input (little-endian, zero-filled past the end, so a 4-byte input is an
 * instruction on its own):
 *   u32 word    the instruction: decoded as fetched bits, as a value of
 *               mtinst and with insn_decode_mem()
 *   u32 high    bits 63:32 of the mtinst value (whose bits 31:0 are word)
 *   u64 raw     what the device returns for a load
 *   u64 value   the guest register a store writes
 *
 * Oracles (a violation aborts with a message naming it):
 *   - a reference decoder written from the spec's encoding tables (the
 *     unprivileged spec's RV32I/RV64I load and store rows and the RVC
 *     quadrant 0 and 2 rows, the hypervisor chapter's transformation)
 *     accepts exactly what insn_decode_mem() accepts and gives the same
 *     access, field by field;
 *   - insn_decode_fetched() rejects bits 1:0 of 01 and otherwise agrees with
 *     insn_decode_mem(); insn_decode_tinst() rejects a nonzero high half and
 *     bit 0 clear and otherwise agrees with it; none writes its output on
 *     error;
 *   - a decoded access has width 1, 2, 4 or 8, reg < 32, length 2 or 4, a
 *     sign-extending access only for loads narrower than 8 bytes; its
 *     transformed instruction has a0 as data register and zero offset and
 *     immediate fields, and decodes again (as mtinst) to the same access on
 *     a0 with the same transformed value;
 *   - insn_load_result() keeps the low width bytes of raw and extends them
 *     as the access says; insn_store_value() keeps only the low width bytes.
 */
#include "covemon/insn.h"
#include "covemon/err.h"
#include "stream.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The data register of every transformed instruction (CoVE spec's TIP). */
#define REG_A0 10u

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_insn: oracle failure: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static uint32_t bits(uint32_t v, unsigned int hi, unsigned int lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1u);
}

/* One row of the spec's tables: a load or store and its 32-bit funct3. */
struct ref_op {
	bool valid;
	bool store;
	unsigned int width;
	bool sign_extend;
};

/* LOAD (opcode 0000011) by funct3: LB LH LW LD LBU LHU LWU; 111 is RV128's LDU. */
static const struct ref_op ref_loads[8] = {
	{ true, false, 1, true },  { true, false, 2, true },   { true, false, 4, true },
	{ true, false, 8, false }, { true, false, 1, false },  { true, false, 2, false },
	{ true, false, 4, false }, { false, false, 0, false },
};

/* STORE (opcode 0100011) by funct3: SB SH SW SD; 100 is RV128's SQ, the rest reserved. */
static const struct ref_op ref_stores[8] = {
	{ true, true, 1, false },
	{ true, true, 2, false },
	{ true, true, 4, false },
	{ true, true, 8, false },
};

/* funct3 of the 32-bit instruction that performs @op (for the transformed value). */
static uint32_t ref_funct3(const struct ref_op *op)
{
	uint32_t f = op->width == 1 ? 0 : op->width == 2 ? 1 : op->width == 4 ? 2 : 3;

	return (!op->store && !op->sign_extend && op->width < 8) ? f | 4u : f;
}

static struct insn_mem_access ref_make(const struct ref_op *op, unsigned int reg,
				       unsigned int length)
{
	struct insn_mem_access a;
	uint32_t f3 = ref_funct3(op);

	memset(&a, 0, sizeof(a));
	a.store = op->store;
	a.width = op->width;
	a.sign_extend = op->sign_extend;
	a.reg = reg;
	a.length = length;
	/* Hypervisor chapter: rd/rs2 kept (then a0 here), funct3 and opcode kept, rest zero. */
	a.transformed = op->store ? (REG_A0 << 20) | (f3 << 12) | 0x23u
				  : (f3 << 12) | (REG_A0 << 7) | 0x03u;
	if (length == 2) {
		a.transformed &= ~0x2u;
	}
	return a;
}

/* The 32-bit form (bits 1:0 forced to 11), reported with @length. */
static bool ref_decode_32(uint32_t insn, unsigned int length, struct insn_mem_access *out)
{
	uint32_t opcode = bits(insn, 6, 0) | 0x3u;
	uint32_t funct3 = bits(insn, 14, 12);

	if (opcode == 0x03u && ref_loads[funct3].valid) {
		*out = ref_make(&ref_loads[funct3], bits(insn, 11, 7), length);
		return true;
	}
	if (opcode == 0x23u && ref_stores[funct3].valid) {
		*out = ref_make(&ref_stores[funct3], bits(insn, 24, 20), length);
		return true;
	}
	return false;
}

/*
 * RVC quadrant 0 (CL/CS: C.LW 010, C.LD 011, C.SW 110, C.SD 111, data
 * register rd'/rs2' in bits 4:2 naming x8..x15) and quadrant 2 (CI: C.LWSP
 * 010, C.LDSP 011 with rd in 11:7, rd = 0 reserved; CSS: C.SWSP 110, C.SDSP
 * 111 with rs2 in 6:2). Everything else in those quadrants is not an integer
 * load or store.
 */
static bool ref_decode_16(uint32_t insn, struct insn_mem_access *out)
{
	static const struct ref_op lw = { true, false, 4, true };
	static const struct ref_op ld = { true, false, 8, false };
	static const struct ref_op sw = { true, true, 4, false };
	static const struct ref_op sd = { true, true, 8, false };
	uint32_t q = bits(insn, 1, 0);
	uint32_t f3 = bits(insn, 15, 13);
	const struct ref_op *op;
	unsigned int reg;

	switch (f3) {
	case 2: op = &lw; break;
	case 3: op = &ld; break;
	case 6: op = &sw; break;
	case 7: op = &sd; break;
	default: return false;
	}
	if (q == 0) {
		reg = 8 + bits(insn, 4, 2);
	} else if (op->store) {
		reg = bits(insn, 6, 2);
	} else {
		reg = bits(insn, 11, 7);
		if (reg == 0) {
			return false;
		}
	}
	*out = ref_make(op, reg, 2);
	return true;
}

static bool ref_decode_mem(uint32_t insn, struct insn_mem_access *out)
{
	switch (insn & 3u) {
	case 3: return ref_decode_32(insn, 4, out);
	case 1: return ref_decode_32(insn, 2, out);
	default: return ref_decode_16(insn, out);
	}
}

/* Compares what a decoder returned with what it should have returned. */
static void check_same(const char *what, uint64_t in, mon_err_t got,
		       const struct insn_mem_access *a, bool want_ok,
		       const struct insn_mem_access *w)
{
	if (got != MON_OK && got != MON_ERR_NOT_SUPPORTED) {
		fail("%s(%#llx) returned %d", what, (unsigned long long)in, got);
	}
	if ((got == MON_OK) != want_ok) {
		fail("%s(%#llx) %s it, the spec tables %s it", what, (unsigned long long)in,
		     got == MON_OK ? "accepts" : "rejects", want_ok ? "accept" : "reject");
	}
	if (got == MON_OK &&
	    (a->store != w->store || a->width != w->width || a->sign_extend != w->sign_extend ||
	     a->reg != w->reg || a->length != w->length || a->transformed != w->transformed)) {
		fail("%s(%#llx) = {store %d width %u sign %d reg %u len %u tinst %#x}, expected "
		     "{store %d width %u sign %d reg %u len %u tinst %#x}",
		     what, (unsigned long long)in, a->store, a->width, a->sign_extend, a->reg,
		     a->length, a->transformed, w->store, w->width, w->sign_extend, w->reg,
		     w->length, w->transformed);
	}
}

/* The output struct must be untouched on error: it starts as this pattern. */
static void poison(struct insn_mem_access *a)
{
	memset(a, 0xa5, sizeof(*a));
}

static void check_untouched(const char *what, mon_err_t got, const struct insn_mem_access *a)
{
	struct insn_mem_access p;

	poison(&p);
	if (got != MON_OK && memcmp(a, &p, sizeof(p)) != 0) {
		fail("%s wrote its output on error", what);
	}
}

/* Invariants of any access a decoder accepted. */
static void check_access(uint32_t insn, const struct insn_mem_access *a)
{
	uint32_t t = a->transformed;
	struct insn_mem_access again;

	if ((a->width != 1 && a->width != 2 && a->width != 4 && a->width != 8) || a->reg >= 32 ||
	    (a->length != 2 && a->length != 4)) {
		fail("%#x decoded to width %u reg %u length %u", insn, a->width, a->reg, a->length);
	}
	if (a->sign_extend && (a->store || a->width == 8)) {
		fail("%#x decoded to a sign-extending %s of %u bytes", insn,
		     a->store ? "store" : "load", a->width);
	}
	if ((a->length == 4) != ((insn & 3u) == 3u)) {
		fail("%#x decoded with length %u", insn, a->length);
	}
	/* Transformed: data register a0, Addr. Offset (19:15) and immediates zero. */
	if (bits(t, 19, 15) != 0 ||
	    bits(t, 6, 0) != (a->store ? 0x23u : 0x03u) - (a->length == 2 ? 2u : 0u) ||
	    (a->store ? bits(t, 24, 20) != REG_A0 || bits(t, 31, 25) != 0 || bits(t, 11, 7) != 0
		      : bits(t, 11, 7) != REG_A0 || bits(t, 31, 20) != 0)) {
		fail("%#x transformed to %#x", insn, t);
	}
	poison(&again);
	if (insn_decode_tinst(t, &again) != MON_OK || again.store != a->store ||
	    again.width != a->width || again.sign_extend != a->sign_extend || again.reg != REG_A0 ||
	    again.length != a->length || again.transformed != t) {
		fail("%#x transformed to %#x, which does not decode to the same access on a0", insn,
		     t);
	}
}

/* Load extension and store truncation for one access. */
static void check_values(const struct insn_mem_access *a, uint64_t raw, uint64_t value)
{
	unsigned int shift = 64 - 8 * a->width;
	uint64_t mask = a->width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * a->width)) - 1;
	uint64_t got = insn_load_result(a, raw);
	uint64_t want = raw & mask;

	if (a->sign_extend && a->width < 8) {
		/* Arithmetic right shift of the value moved to the top. */
		want = (uint64_t)((int64_t)(want << shift) >> shift);
	}
	if (got != want) {
		fail("insn_load_result(width %u sign %d, %#llx) = %#llx, expected %#llx", a->width,
		     a->sign_extend, (unsigned long long)raw, (unsigned long long)got,
		     (unsigned long long)want);
	}
	if ((got & mask) != (raw & mask)) {
		fail("insn_load_result changed the loaded bytes");
	}
	got = insn_store_value(a, value);
	if (got != (value & mask) || (a->width < 8 && (got >> (8 * a->width)) != 0)) {
		fail("insn_store_value(width %u, %#llx) = %#llx", a->width,
		     (unsigned long long)value, (unsigned long long)got);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };
	struct fuzz_stream s;
	struct insn_mem_access a, w;
	uint32_t word;
	uint64_t tinst, raw, value;
	bool want_ok;
	mon_err_t got;

	fuzz_stream_init(&s, data, size);
	word = fuzz_u32(&s);
	tinst = word | ((uint64_t)fuzz_u32(&s) << 32);
	raw = fuzz_u64(&s);
	value = fuzz_u64(&s);

	memset(&w, 0, sizeof(w));
	want_ok = ref_decode_mem(word, &w);

	poison(&a);
	got = insn_decode_mem(word, &a);
	check_same("insn_decode_mem", word, got, &a, want_ok, &w);
	check_untouched("insn_decode_mem", got, &a);
	if (got == MON_OK) {
		check_access(word, &a);
		check_values(&a, raw, value);
	}

	poison(&a);
	got = insn_decode_fetched(word, &a);
	check_same("insn_decode_fetched", word, got, &a, want_ok && (word & 3u) != 1u, &w);
	check_untouched("insn_decode_fetched", got, &a);

	poison(&a);
	got = insn_decode_tinst(tinst, &a);
	check_same("insn_decode_tinst", tinst, got, &a,
		   want_ok && (tinst >> 32) == 0 && (tinst & 1u), &w);
	check_untouched("insn_decode_tinst", got, &a);

	/* The value helpers on every width, whatever the decoder said. */
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		memset(&a, 0, sizeof(a));
		a.width = widths[i];
		a.sign_extend = false;
		check_values(&a, raw, value);
		if (widths[i] < 8) {
			a.sign_extend = true;
			check_values(&a, raw, value);
		}
	}
	return 0;
}
