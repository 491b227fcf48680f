// SPDX-License-Identifier: BSD-2-Clause
/*
 * The shim side of the QEMU fidelity check (firmware/fidelity/table.h): runs
 * every case of the shared table on an emulated hart and prints the same
 * transcript firmware/fidelity/main.c prints on QEMU. It mirrors the
 * firmware step by step: one fresh world per group, the same CSR writes
 * through shim_csr_write, the same bytes in DRAM, entry into the probed mode
 * by mret (or by setting MPRV and jumping, for M), and the same instructions
 * (the stubs and the data pattern) fetched and executed until the trap that
 * returns to M.
 *
 *   shim_fidelity          the transcript, all groups
 *   shim_fidelity --plan   "plan <group> base|epmp", one line per group
 *
 * Exit status: 0 when every case ran, 1 on a harness error (a case that
 * does not fit, an unexpected trap), 2 on bad usage.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shim/hart.h"
#include "shim/mem.h"
#include "shim/tlb.h"
#include "shim/world.h"
#include "table.h"

#define HART 0u
/* A probe runs two instructions (stub or pattern); more means a runaway. */
#define MAX_INSNS 8u

/* Instruction fields and opcodes the interpreter knows (unprivileged spec). */
#define RV_OPCODE(insn) ((insn)&0x7Fu)
#define RV_RD(insn)	(((insn) >> 7) & 0x1Fu)
#define RV_FUNCT3(insn) (((insn) >> 12) & 0x7u)
#define RV_RS1(insn)	(((insn) >> 15) & 0x1Fu)
#define RV_RS2(insn)	(((insn) >> 20) & 0x1Fu)
#define RV_OP_LOAD	0x03u
#define RV_OP_STORE	0x23u
#define RV_OP_LUI	0x37u
#define RV_REG_A0	10u
#define RV_REG_A1	11u

struct harness {
	struct shim_world *w;
	bool data_dirty;
	bool failed;
};

static struct shim_hart *hart_of(struct harness *hs)
{
	return &hs->w->hart[HART];
}

static void harness_error(struct harness *hs, const char *what, const char *id)
{
	fprintf(stderr, "shim_fidelity: %s: %s\n", what, id);
	printf("fid-error %s: %s\n", what, id);
	hs->failed = true;
}

static uint64_t csr_get(struct harness *hs, unsigned int num)
{
	uint64_t v = 0;

	if (!shim_csr_read(hart_of(hs), num, &v)) {
		harness_error(hs, "csr read not implemented", "-");
	}
	return v;
}

static void csr_set(struct harness *hs, unsigned int num, uint64_t v)
{
	if (!shim_csr_write(hart_of(hs), num, v)) {
		harness_error(hs, "csr write not implemented", "-");
	}
}

/* RISC-V memory is little-endian, whatever the host is. */
static void mem_put(struct harness *hs, uint64_t pa, uint64_t v, unsigned int size)
{
	uint8_t b[8];

	for (unsigned int i = 0; i < size; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
	if (!shim_mem_write(&hs->w->mem, pa, b, size)) {
		harness_error(hs, "write outside DRAM", "-");
	}
}

/* ---------------------------------------------------- the M harness --- */

static void apply_step(struct harness *hs, const struct fid_step *s)
{
	unsigned int reg = SHIM_CSR_PMPCFG0 + 2 * (s->idx / 8);
	unsigned int shift = (s->idx % 8) * 8;
	uint64_t mask = ~(UINT64_C(0xFF) << shift);

	switch (s->kind) {
	case FID_STEP_PMP:
		csr_set(hs, SHIM_CSR_PMPADDR0 + s->idx, s->val);
		csr_set(hs, reg, (csr_get(hs, reg) & mask) | ((uint64_t)s->cfg << shift));
		break;
	case FID_STEP_PMPADDR: csr_set(hs, SHIM_CSR_PMPADDR0 + s->idx, s->val); break;
	default: csr_set(hs, SHIM_CSR_MSECCFG, s->val); break;
	}
}

static void install_stubs(struct harness *hs)
{
	for (unsigned int i = 0; i < FID_STUBS; i++) {
		uint64_t off = (uint64_t)i * FID_STUB_SIZE;

		mem_put(hs, FID_MSTUB_BASE + off, fid_stub_insn(i), 4);
		mem_put(hs, FID_MSTUB_BASE + off + 4, FID_ECALL, 4);
		mem_put(hs, FID_PROBE_BASE + off, fid_stub_insn(i), 4);
		mem_put(hs, FID_PROBE_BASE + off + 4, FID_ECALL, 4);
	}
}

static void fill_data(struct harness *hs)
{
	for (uint64_t pa = FID_DATA_BASE; pa < FID_DATA_BASE + FID_DATA_SIZE; pa += 8) {
		mem_put(hs, pa, fid_pattern(pa), 8);
	}
}

static void write_tables(struct harness *hs, const struct fid_gstage *g)
{
	for (uint64_t pa = FID_POOL_A; pa < FID_POOL_B + FID_POOL_SIZE; pa += 8) {
		mem_put(hs, pa, 0, 8);
	}
	for (size_t i = 0; i < g->count; i++) {
		mem_put(hs, g->pte[i].pa, g->pte[i].pte, 8);
	}
}

/* Every translation cache, as the firmware's sfence.vma/hfence pair. */
static void fence_all(struct harness *hs)
{
	shim_tlb_fence_gvma(&hart_of(hs)->tlb, false, 0, false, 0);
}

/* --------------------------------------------------- the probed mode --- */

static uint64_t sign_extend(uint64_t v, unsigned int bits)
{
	unsigned int unused = 64 - bits;

	return (uint64_t)((int64_t)(v << unused) >> unused);
}

/* Delivers @r's fault to M (medeleg is zero, as in the firmware). */
static void take_fault(struct harness *hs, const struct shim_access_result *r)
{
	(void)shim_world_take_fault(hs->w, HART, r);
}

/* One load or store instruction; false when it trapped. */
static bool exec_mem(struct harness *hs, uint32_t insn)
{
	struct shim_hart *h = hart_of(hs);
	unsigned int f3 = RV_FUNCT3(insn);
	struct shim_access_result r;

	if (RV_OPCODE(insn) == RV_OP_LOAD) {
		/* lb lh lw ld lbu lhu lwu: funct3 0..6 */
		unsigned int size = 1u << (f3 & 3);
		uint64_t addr = h->x[RV_RS1(insn)] + sign_extend(insn >> 20, 12);
		uint64_t v = 0;

		r = shim_world_load(hs->w, HART, addr, size, &v);
		if (!r.ok) {
			take_fault(hs, &r);
			return false;
		}
		if (f3 < 3) {
			v = sign_extend(v, 8 * size);
		}
		shim_hart_set_x(h, RV_RD(insn), v);
		return true;
	}
	unsigned int size = 1u << (f3 & 3);
	uint64_t imm = ((insn >> 25) << 5) | RV_RD(insn);
	uint64_t addr = h->x[RV_RS1(insn)] + sign_extend(imm, 12);

	r = shim_world_store(hs->w, HART, addr, size, h->x[RV_RS2(insn)]);
	if (!r.ok) {
		take_fault(hs, &r);
		return false;
	}
	return true;
}

static bool insn_known(uint32_t insn)
{
	if ((insn & 3) != 3) {
		return false; /* compressed: not used by stubs or pattern */
	}
	switch (RV_OPCODE(insn)) {
	case RV_OP_LOAD: return RV_FUNCT3(insn) != 7;
	case RV_OP_STORE: return RV_FUNCT3(insn) < 4;
	case RV_OP_LUI: return true;
	default: return insn == FID_ECALL;
	}
}

/*
 * Runs the hart from its pc until something traps to M: the probe's ecall,
 * a fault, or an instruction the interpreter does not know (raised as an
 * illegal instruction, as QEMU would for the zeroes around the pattern).
 */
static void exec_until_trap(struct harness *hs, const char *id)
{
	struct shim_hart *h = hart_of(hs);

	for (unsigned int n = 0; n < MAX_INSNS; n++) {
		uint32_t insn = 0;
		struct shim_access_result r = shim_world_fetch(hs->w, HART, h->pc, &insn);

		if (!r.ok) {
			take_fault(hs, &r);
			return;
		}
		if (!insn_known(insn)) {
			(void)shim_hart_trap(h, SHIM_CAUSE_ILLEGAL_INSN, insn, 0, 0, false);
			return;
		}
		if (insn == FID_ECALL) {
			(void)shim_world_ecall(hs->w, HART);
			return;
		}
		if (RV_OPCODE(insn) == RV_OP_LUI) {
			shim_hart_set_x(h, RV_RD(insn), sign_extend(insn & 0xFFFFF000u, 32));
		} else if (!exec_mem(hs, insn)) {
			return;
		}
		h->pc += 4;
	}
	harness_error(hs, "probe ran away", id);
}

static struct fid_outcome run_access(struct harness *hs, size_t ci, size_t pi,
				     const struct fid_probe *p)
{
	struct shim_hart *h = hart_of(hs);
	struct fid_entry e = fid_mode_entry((enum fid_mode)p->mode);
	uint64_t stubs = e.mret ? FID_PROBE_BASE : FID_MSTUB_BASE;
	uint64_t pc = p->op == FID_OP_FETCH ? p->addr
					    : stubs + fid_stub_offset((enum fid_op)p->op, p->size);
	const struct fid_case *c = &fid_cases[ci];
	uint64_t ms = csr_get(hs, SHIM_CSR_MSTATUS) & ~fid_probe_clear_mask(c);

	csr_set(hs, SHIM_CSR_MSTATUS, ms | e.mstatus);
	shim_hart_set_x(h, RV_REG_A0, p->addr);
	shim_hart_set_x(h, RV_REG_A1, fid_store_value(ci, pi));
	if (e.mret) {
		csr_set(hs, SHIM_CSR_MEPC, pc);
		shim_hart_mret(h);
	} else {
		csr_set(hs, SHIM_CSR_MSTATUS, csr_get(hs, SHIM_CSR_MSTATUS) | e.mprv);
		h->pc = pc;
	}
	exec_until_trap(hs, c->id);
	if (h->mode != SHIM_MODE_M) {
		harness_error(hs, "probe did not end in M", c->id);
	}

	struct fid_trap t = {
		.cause = csr_get(hs, SHIM_CSR_MCAUSE),
		.tval = csr_get(hs, SHIM_CSR_MTVAL),
		.tval2 = csr_get(hs, SHIM_CSR_MTVAL2),
		.mstatus = csr_get(hs, SHIM_CSR_MSTATUS),
		.a0 = h->x[RV_REG_A0],
		.a1 = h->x[RV_REG_A1],
	};

	/* As fid_trap and run_access in the firmware. */
	csr_set(hs, SHIM_CSR_MSTATUS, csr_get(hs, SHIM_CSR_MSTATUS) & ~FID_MSTATUS_MPRV);
	csr_set(hs, SHIM_CSR_MSTATUS,
		csr_get(hs, SHIM_CSR_MSTATUS) & ~(FID_MSTATUS_MPP | FID_MSTATUS_MPV));
	return fid_outcome_of_trap(p, &t);
}

/* The firmware's plain M-mode load of a PTE (PMP applies, as to any M load). */
static struct fid_outcome read_pte(struct harness *hs, uint64_t pa, const char *id)
{
	uint64_t v = 0;
	struct shim_access_result r = shim_world_load(hs->w, HART, pa, 8, &v);

	if (!r.ok) {
		harness_error(hs, "PTE read faulted in M", id);
	}
	return fid_outcome_value(v);
}

static void run_case(struct harness *hs, size_t ci)
{
	static struct fid_step steps[FID_MAX_SETUP];
	static struct fid_gstage g;
	const struct fid_case *c = &fid_cases[ci];
	size_t nsteps = fid_setup_steps(c, steps, FID_MAX_SETUP);
	const char *bad = fid_case_check(c);
	char line[FID_LINE_MAX];

	if (bad) {
		harness_error(hs, bad, c->id);
		return;
	}
	if (nsteps == 0) {
		harness_error(hs, "too many setup steps", c->id);
		return;
	}
	if (!fid_gstage_build(c, &g)) {
		harness_error(hs, "G-stage tables do not fit", c->id);
		return;
	}
	csr_set(hs, SHIM_CSR_MSTATUS,
		csr_get(hs, SHIM_CSR_MSTATUS) &
			~(FID_MSTATUS_MPP | FID_MSTATUS_MPV | FID_MSTATUS_MPRV | FID_MSTATUS_MXR));
	csr_set(hs, SHIM_CSR_HGATP, 0);
	csr_set(hs, SHIM_CSR_VSATP, 0);
	csr_set(hs, SHIM_CSR_SATP, 0);
	for (size_t i = 0; i < nsteps; i++) {
		if (i == FID_SETUP_RESET_STEPS) {
			if (hs->data_dirty) {
				fill_data(hs);
				hs->data_dirty = false;
			}
			write_tables(hs, &g);
		}
		apply_step(hs, &steps[i]);
	}
	csr_set(hs, SHIM_CSR_HGATP, g.hgatp);
	fence_all(hs);
	csr_set(hs, SHIM_CSR_MSTATUS, csr_get(hs, SHIM_CSR_MSTATUS) | c->mstatus);

	for (size_t pi = 0; pi < c->nprobes && !hs->failed; pi++) {
		const struct fid_probe *p = &c->probes[pi];
		struct fid_outcome o;

		switch (p->op) {
		case FID_OP_PTE: o = read_pte(hs, g.leaf[p->arg], c->id); break;
		case FID_OP_CSR: o = fid_outcome_value(csr_get(hs, p->arg)); break;
		default:
			o = run_access(hs, ci, pi, p);
			if (p->op == FID_OP_STORE && o.ok) {
				hs->data_dirty = true;
			}
			break;
		}
		fid_format(line, sizeof(line), c, pi, &o);
		puts(line);
	}
	csr_set(hs, SHIM_CSR_MSTATUS, csr_get(hs, SHIM_CSR_MSTATUS) & ~c->mstatus);
}

/* One group on a fresh world, as one QEMU boot runs it. */
static bool run_group(unsigned int group)
{
	struct shim_world_config cfg;
	struct harness hs = { .w = NULL, .data_dirty = true, .failed = false };
	const char *why = NULL;
	char line[FID_LINE_MAX];

	shim_world_config_default(&cfg);
	cfg.dram_size = FID_DRAM_SIZE;
	cfg.pmp_entries = FID_PMP_COUNT;
	cfg.smepmp = fid_group_smepmp(group);
	hs.w = shim_world_create(&cfg, &why);
	if (!hs.w) {
		fprintf(stderr, "shim_fidelity: cannot create a world: %s\n", why ? why : "?");
		return false;
	}
	csr_set(&hs, SHIM_CSR_MEDELEG, 0);
	csr_set(&hs, SHIM_CSR_MIDELEG, 0);
	csr_set(&hs, SHIM_CSR_HEDELEG, 0);
	csr_set(&hs, SHIM_CSR_HIDELEG, 0);
	install_stubs(&hs);
	fence_all(&hs);
	for (size_t ci = 0; ci < fid_case_count && !hs.failed; ci++) {
		if (fid_case_group(ci) == group) {
			run_case(&hs, ci);
		}
	}
	fid_format_end(line, sizeof(line), group);
	puts(line);
	shim_world_destroy(hs.w);
	return !hs.failed;
}

int main(int argc, char **argv)
{
	unsigned int groups = fid_group_count();
	bool ok = true;

	if (argc == 2 && strcmp(argv[1], "--plan") == 0) {
		for (unsigned int g = 0; g < groups; g++) {
			printf("plan %u %s\n", g, fid_group_smepmp(g) ? "epmp" : "base");
		}
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: shim_fidelity [--plan]\n");
		return 2;
	}
	for (unsigned int g = 0; g < groups && ok; g++) {
		ok = run_group(g);
	}
	return ok ? 0 : 1;
}
