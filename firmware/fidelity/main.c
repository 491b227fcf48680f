// SPDX-License-Identifier: BSD-2-Clause
/*
 * The QEMU side of the shim fidelity check: an M-mode -bios image for
 * qemu-system-riscv64 -M virt that runs one group of the cases in table.c
 * (the group number is put at FID_ARG_ADDR by QEMU's loader device, see
 * ci/fidelity.sh), programs the real CSRs, enters each probe's mode, catches
 * the trap that ends it in M (entry.S), and prints the canonical line of
 * every probe on the NS16550 UART. Exits through the sifive_test finisher:
 * 0 when the group ran, 1 on a harness error, 3 on an unexpected trap.
 *
 * The shim program (host-shim/fidelity/shim_fidelity.c) mirrors each step
 * here on an emulated hart; keep the two in the same order.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define UART_BASE	  UINT64_C(0x10000000)
#define UART_THR	  0
#define UART_LSR	  5
#define UART_LSR_THRE	  0x20
#define FINISHER_BASE	  UINT64_C(0x100000)
#define FINISHER_PASS	  0x5555u
#define FINISHER_FAIL(rc) (((uint32_t)(rc) << 16) | 0x3333u)
#define FID_EXIT_ERROR	  1u
#define FID_EXIT_TRAP	  3u

/* Harness context, shared with entry.S (offsets pinned below). */
struct fid_ctx {
	uint64_t ra, sp, s[12];
	uint64_t active; /* a probe is running: its trap returns from fid_enter */
	uint64_t cause, tval, tval2, mstatus, a0, a1;
};
_Static_assert(offsetof(struct fid_ctx, active) == 112, "entry.S CTX_ACTIVE");
_Static_assert(offsetof(struct fid_ctx, cause) == 120, "entry.S CTX_CAUSE");
_Static_assert(offsetof(struct fid_ctx, mstatus) == 144, "entry.S CTX_MSTATUS");
_Static_assert(offsetof(struct fid_ctx, a1) == 160, "entry.S CTX_A1");

/* Defined in entry.S. */
void fid_enter(struct fid_ctx *ctx, uint64_t a0, uint64_t a1, uint64_t pc, uint64_t mprv,
	       uint64_t mret);
/* Called from entry.S. */
void fid_main(void);
void fid_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval);

struct fid_ctx fid_ctx;

/* ------------------------------------------------------------- CSRs --- */

#define FID_CSR_ACCESSORS(name)                                               \
	static inline uint64_t csr_read_##name(void)                          \
	{                                                                     \
		uint64_t v;                                                   \
		__asm__ volatile("csrr %0, " #name : "=r"(v));                \
		return v;                                                     \
	}                                                                     \
	static inline void csr_write_##name(uint64_t v)                       \
	{                                                                     \
		__asm__ volatile("csrw " #name ", %0" : : "r"(v) : "memory"); \
	}

FID_CSR_ACCESSORS(mstatus)
FID_CSR_ACCESSORS(medeleg)
FID_CSR_ACCESSORS(mideleg)
FID_CSR_ACCESSORS(hedeleg)
FID_CSR_ACCESSORS(hideleg)
FID_CSR_ACCESSORS(satp)
FID_CSR_ACCESSORS(vsatp)
FID_CSR_ACCESSORS(hgatp)
FID_CSR_ACCESSORS(pmpcfg0)
FID_CSR_ACCESSORS(pmpcfg2)
FID_CSR_ACCESSORS(pmpaddr0)
FID_CSR_ACCESSORS(pmpaddr1)
FID_CSR_ACCESSORS(pmpaddr2)
FID_CSR_ACCESSORS(pmpaddr3)
FID_CSR_ACCESSORS(pmpaddr4)
FID_CSR_ACCESSORS(pmpaddr5)
FID_CSR_ACCESSORS(pmpaddr6)
FID_CSR_ACCESSORS(pmpaddr7)
FID_CSR_ACCESSORS(pmpaddr8)
FID_CSR_ACCESSORS(pmpaddr9)
FID_CSR_ACCESSORS(pmpaddr10)
FID_CSR_ACCESSORS(pmpaddr11)
FID_CSR_ACCESSORS(pmpaddr12)
FID_CSR_ACCESSORS(pmpaddr13)
FID_CSR_ACCESSORS(pmpaddr14)
FID_CSR_ACCESSORS(pmpaddr15)

/* mseccfg by number: older assemblers do not know the name. */
static inline uint64_t csr_read_mseccfg(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, 0x747" : "=r"(v));
	return v;
}

static inline void csr_write_mseccfg(uint64_t v)
{
	__asm__ volatile("csrw 0x747, %0" : : "r"(v) : "memory");
}

static void pmpaddr_write(unsigned int i, uint64_t v)
{
	switch (i) {
	case 0: csr_write_pmpaddr0(v); break;
	case 1: csr_write_pmpaddr1(v); break;
	case 2: csr_write_pmpaddr2(v); break;
	case 3: csr_write_pmpaddr3(v); break;
	case 4: csr_write_pmpaddr4(v); break;
	case 5: csr_write_pmpaddr5(v); break;
	case 6: csr_write_pmpaddr6(v); break;
	case 7: csr_write_pmpaddr7(v); break;
	case 8: csr_write_pmpaddr8(v); break;
	case 9: csr_write_pmpaddr9(v); break;
	case 10: csr_write_pmpaddr10(v); break;
	case 11: csr_write_pmpaddr11(v); break;
	case 12: csr_write_pmpaddr12(v); break;
	case 13: csr_write_pmpaddr13(v); break;
	case 14: csr_write_pmpaddr14(v); break;
	case 15: csr_write_pmpaddr15(v); break;
	default: break;
	}
}

static uint64_t pmpaddr_read(unsigned int i)
{
	switch (i) {
	case 0: return csr_read_pmpaddr0();
	case 1: return csr_read_pmpaddr1();
	case 2: return csr_read_pmpaddr2();
	case 3: return csr_read_pmpaddr3();
	case 4: return csr_read_pmpaddr4();
	case 5: return csr_read_pmpaddr5();
	case 6: return csr_read_pmpaddr6();
	case 7: return csr_read_pmpaddr7();
	case 8: return csr_read_pmpaddr8();
	case 9: return csr_read_pmpaddr9();
	case 10: return csr_read_pmpaddr10();
	case 11: return csr_read_pmpaddr11();
	case 12: return csr_read_pmpaddr12();
	case 13: return csr_read_pmpaddr13();
	case 14: return csr_read_pmpaddr14();
	case 15: return csr_read_pmpaddr15();
	default: return 0;
	}
}

/* CSRs a FID_OP_CSR probe may name; anything else reads as all ones. */
static uint64_t csr_read_num(unsigned int num)
{
	if (num >= FID_CSR_PMPADDR0 && num < FID_CSR_PMPADDR0 + FID_PMP_COUNT) {
		return pmpaddr_read(num - FID_CSR_PMPADDR0);
	}
	switch (num) {
	case FID_CSR_PMPCFG0: return csr_read_pmpcfg0();
	case FID_CSR_PMPCFG2: return csr_read_pmpcfg2();
	case FID_CSR_MSECCFG: return csr_read_mseccfg();
	case FID_CSR_HGATP: return csr_read_hgatp();
	default: return ~UINT64_C(0);
	}
}

/* One pmpcfg byte, as csrr + csrw of the register holding it. */
static void pmpcfg_write_byte(unsigned int i, uint8_t cfg)
{
	unsigned int shift = (i % 8) * 8;
	uint64_t mask = ~(UINT64_C(0xFF) << shift);

	if (i < 8) {
		csr_write_pmpcfg0((csr_read_pmpcfg0() & mask) | ((uint64_t)cfg << shift));
	} else {
		csr_write_pmpcfg2((csr_read_pmpcfg2() & mask) | ((uint64_t)cfg << shift));
	}
}

static void apply_step(const struct fid_step *s)
{
	switch (s->kind) {
	case FID_STEP_PMP:
		pmpaddr_write(s->idx, s->val);
		pmpcfg_write_byte(s->idx, s->cfg);
		break;
	case FID_STEP_PMPADDR: pmpaddr_write(s->idx, s->val); break;
	default: csr_write_mseccfg(s->val); break;
	}
}

/* Every translation cache: QEMU flushes its whole TLB for each of these. */
static void fence_all(void)
{
	__asm__ volatile("sfence.vma zero, zero\n"
			 ".option push\n"
			 ".option arch, +h\n"
			 "hfence.gvma zero, zero\n"
			 "hfence.vvma zero, zero\n"
			 ".option pop\n"
			 "fence.i" ::
				 : "memory");
}

/* ----------------------------------------------------------- output --- */

static void uart_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

	while (!(uart[UART_LSR] & UART_LSR_THRE)) {
	}
	uart[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s)
{
	while (*s) {
		uart_putc(*s++);
	}
}

static void uart_line(const char *s)
{
	uart_puts(s);
	uart_putc('\r');
	uart_putc('\n');
}

static _Noreturn void finish(uint32_t code)
{
	*(volatile uint32_t *)FINISHER_BASE = code;
	for (;;) {
	}
}

static void put_hex(char *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--) {
		*p++ = hex[(v >> (4 * i)) & 0xF];
	}
	*p = '\0';
}

static _Noreturn void fail(const char *what, const char *id)
{
	uart_puts("fid-error ");
	uart_puts(what);
	uart_puts(": ");
	uart_line(id);
	finish(FINISHER_FAIL(FID_EXIT_ERROR));
}

void fid_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
	char buf[17];

	uart_line("fid-error unexpected trap in the harness: mcause mepc mtval");
	put_hex(buf, cause);
	uart_line(buf);
	put_hex(buf, epc);
	uart_line(buf);
	put_hex(buf, tval);
	uart_line(buf);
	finish(FINISHER_FAIL(FID_EXIT_TRAP));
}

/* ----------------------------------------------------------- memory --- */

/*
 * GCC emits calls to these for struct copies and initialisers, as freestanding
 * C allows; the volatile stores keep it from turning the loops back into calls.
 */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile uint8_t *d = dst;
	const uint8_t *s = src;

	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	volatile uint8_t *d = dst;

	for (size_t i = 0; i < n; i++) {
		d[i] = (uint8_t)c;
	}
	return dst;
}

static void store64(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)pa = v;
}

static void store32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)pa = v;
}

static void install_stubs(void)
{
	for (unsigned int i = 0; i < FID_STUBS; i++) {
		uint64_t off = (uint64_t)i * FID_STUB_SIZE;

		store32(FID_MSTUB_BASE + off, fid_stub_insn(i));
		store32(FID_MSTUB_BASE + off + 4, FID_ECALL);
		store32(FID_PROBE_BASE + off, fid_stub_insn(i));
		store32(FID_PROBE_BASE + off + 4, FID_ECALL);
	}
}

static void fill_data(void)
{
	for (uint64_t pa = FID_DATA_BASE; pa < FID_DATA_BASE + FID_DATA_SIZE; pa += 8) {
		store64(pa, fid_pattern(pa));
	}
}

static void write_tables(const struct fid_gstage *g)
{
	for (uint64_t pa = FID_POOL_A; pa < FID_POOL_B + FID_POOL_SIZE; pa += 8) {
		store64(pa, 0);
	}
	for (size_t i = 0; i < g->count; i++) {
		store64(g->pte[i].pa, g->pte[i].pte);
	}
}

/* ----------------------------------------------------------- probes --- */

static struct fid_outcome run_access(size_t ci, size_t pi, const struct fid_probe *p)
{
	struct fid_entry e = fid_mode_entry((enum fid_mode)p->mode);
	uint64_t stubs = e.mret ? FID_PROBE_BASE : FID_MSTUB_BASE;
	uint64_t pc = p->op == FID_OP_FETCH ? p->addr
					    : stubs + fid_stub_offset((enum fid_op)p->op, p->size);
	uint64_t ms = csr_read_mstatus() & ~fid_probe_clear_mask(&fid_cases[ci]);

	csr_write_mstatus(ms | e.mstatus);
	fid_enter(&fid_ctx, p->addr, fid_store_value(ci, pi), pc, e.mprv, e.mret);

	struct fid_trap t = {
		.cause = fid_ctx.cause,
		.tval = fid_ctx.tval,
		.tval2 = fid_ctx.tval2,
		.mstatus = fid_ctx.mstatus,
		.a0 = fid_ctx.a0,
		.a1 = fid_ctx.a1,
	};

	csr_write_mstatus(csr_read_mstatus() & ~(FID_MSTATUS_MPP | FID_MSTATUS_MPV));
	return fid_outcome_of_trap(p, &t);
}

/* Set when a store probe may have changed the data window. */
static bool data_dirty = true;

static void run_case(size_t ci)
{
	static struct fid_step steps[FID_MAX_SETUP];
	static struct fid_gstage g;
	const struct fid_case *c = &fid_cases[ci];
	size_t nsteps = fid_setup_steps(c, steps, FID_MAX_SETUP);
	const char *bad = fid_case_check(c);
	char line[FID_LINE_MAX];

	if (bad) {
		fail(bad, c->id);
	}
	if (nsteps == 0) {
		fail("too many setup steps", c->id);
	}
	if (!fid_gstage_build(c, &g)) {
		fail("G-stage tables do not fit", c->id);
	}
	/* Neutral M state, PMP reset, memory, then the CSRs of the case. */
	csr_write_mstatus(csr_read_mstatus() & ~(FID_MSTATUS_MPP | FID_MSTATUS_MPV |
						 FID_MSTATUS_MPRV | FID_MSTATUS_MXR));
	csr_write_hgatp(0);
	csr_write_vsatp(0);
	csr_write_satp(0);
	for (size_t i = 0; i < nsteps; i++) {
		if (i == FID_SETUP_RESET_STEPS) {
			if (data_dirty) {
				fill_data();
				data_dirty = false;
			}
			write_tables(&g);
		}
		apply_step(&steps[i]);
	}
	csr_write_hgatp(g.hgatp);
	fence_all();
	csr_write_mstatus(csr_read_mstatus() | c->mstatus);

	for (size_t pi = 0; pi < c->nprobes; pi++) {
		const struct fid_probe *p = &c->probes[pi];
		struct fid_outcome o;

		switch (p->op) {
		case FID_OP_PTE: o = fid_outcome_value(*(volatile uint64_t *)g.leaf[p->arg]); break;
		case FID_OP_CSR: o = fid_outcome_value(csr_read_num(p->arg)); break;
		default:
			o = run_access(ci, pi, p);
			if (p->op == FID_OP_STORE && o.ok) {
				data_dirty = true;
			}
			break;
		}
		fid_format(line, sizeof(line), c, pi, &o);
		uart_line(line);
	}
	csr_write_mstatus(csr_read_mstatus() & ~c->mstatus);
}

void fid_main(void)
{
	unsigned int group = *(volatile uint32_t *)FID_ARG_ADDR;
	char line[FID_LINE_MAX];

	/* Every trap goes to M, where fid_trap records it. */
	csr_write_medeleg(0);
	csr_write_mideleg(0);
	csr_write_hedeleg(0);
	csr_write_hideleg(0);
	install_stubs();
	fence_all();
	if (group >= fid_group_count()) {
		fail("no such group", "-");
	}
	for (size_t ci = 0; ci < fid_case_count; ci++) {
		if (fid_case_group(ci) == group) {
			run_case(ci);
		}
	}
	fid_format_end(line, sizeof(line), group);
	uart_line(line);
	finish(FINISHER_PASS);
}
