/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The QEMU fidelity check: one fixed table of cases, run both by an M-mode
 * program on qemu-system-riscv64 -M virt (firmware/fidelity/main.c) and by a
 * host program on the shim (host-shim/fidelity/shim_fidelity.c). Each case
 * is a PMP configuration (a sequence of pmpaddr/pmpcfg/mseccfg writes) and/or
 * a G-stage mapping, plus probes: one load, store, fetch, PTE read-back or
 * CSR read-back each, made from a chosen mode. Both sides print one line per
 * probe with fid_format(), and ci/fidelity.sh diffs the two transcripts.
 *
 * Everything here is portable freestanding C: no libc, no assembly. Both
 * sides install the same bytes (probe stubs, data pattern, page tables) at
 * the same physical addresses, and "execute" the same instructions (the shim
 * program interprets the handful of encodings fid_stub_insn() and
 * fid_pattern() produce), so the transcripts differ only where the shim's
 * model of PMP, the G-stage or trap reporting differs from QEMU's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------- memory layout --- */

/* DRAM as QEMU virt with -m 128M puts it; the shim world uses the same. */
#define FID_DRAM_BASE UINT64_C(0x80000000)
#define FID_DRAM_SIZE (UINT64_C(128) << 20)
/* The firmware image: harness code (64 KiB; the last page holds the M stubs). */
#define FID_TEXT_BASE  UINT64_C(0x80000000)
#define FID_TEXT_SIZE  UINT64_C(0x10000)
#define FID_MSTUB_BASE UINT64_C(0x8000F000) /* probe stubs run in M */
#define FID_PROBE_BASE UINT64_C(0x80010000) /* probe stubs run below M (4 KiB) */
/* rodata, data, bss and stack of the firmware (128 KiB, NAPOT aligned). */
#define FID_FWDATA_BASE UINT64_C(0x80020000)
#define FID_FWDATA_SIZE UINT64_C(0x20000)
/*
 * G-stage tables: pool A holds the 16 KiB root and the tables of the stub
 * page's identity map; pool B the tables the case's own maps need, so that
 * a case can deny PMP on pool B without breaking the fetch of the stubs.
 */
#define FID_POOL_A    UINT64_C(0x80200000)
#define FID_POOL_B    UINT64_C(0x80220000)
#define FID_POOL_SIZE UINT64_C(0x20000)
/* The data window, filled with fid_pattern() before each case. */
#define FID_DATA_BASE UINT64_C(0x80400000)
#define FID_DATA_SIZE UINT64_C(0x400000)
/* Where ci/fidelity.sh has QEMU's loader device put the group to run. */
#define FID_ARG_ADDR UINT64_C(0x87FFF000)

/* ------------------------------------------ architectural constants --- */

/* pmpcfg fields (privileged spec, "Physical Memory Protection"). */
#define FID_PMP_R     0x01u
#define FID_PMP_W     0x02u
#define FID_PMP_X     0x04u
#define FID_PMP_TOR   0x08u
#define FID_PMP_NA4   0x10u
#define FID_PMP_NAPOT 0x18u
#define FID_PMP_L     0x80u
#define FID_PMP_COUNT 16u /* QEMU virt implements 16 entries */
/* mseccfg (Smepmp). */
#define FID_MSECCFG_MML	 0x1u
#define FID_MSECCFG_MMWP 0x2u
#define FID_MSECCFG_RLB	 0x4u

/* PTE bits (privileged spec, Sv39 PTE format). */
#define FID_PTE_V	  (UINT64_C(1) << 0)
#define FID_PTE_R	  (UINT64_C(1) << 1)
#define FID_PTE_W	  (UINT64_C(1) << 2)
#define FID_PTE_X	  (UINT64_C(1) << 3)
#define FID_PTE_U	  (UINT64_C(1) << 4)
#define FID_PTE_G	  (UINT64_C(1) << 5)
#define FID_PTE_A	  (UINT64_C(1) << 6)
#define FID_PTE_D	  (UINT64_C(1) << 7)
#define FID_PTE_PPN_SHIFT 10

/* hgatp.MODE values. */
#define FID_HGATP_BARE	 0u
#define FID_HGATP_SV39X4 8u
#define FID_HGATP_SV48X4 9u
#define FID_HGATP_VMID	 UINT64_C(1) /* every G-stage case runs with VMID 1 */

/* mstatus fields the harness touches. */
#define FID_MSTATUS_MPP_SHIFT 11
#define FID_MSTATUS_MPP	      (UINT64_C(3) << 11)
#define FID_MSTATUS_MPP_S     (UINT64_C(1) << 11)
#define FID_MSTATUS_MPRV      (UINT64_C(1) << 17)
#define FID_MSTATUS_MXR	      (UINT64_C(1) << 19)
#define FID_MSTATUS_GVA	      (UINT64_C(1) << 38)
#define FID_MSTATUS_MPV	      (UINT64_C(1) << 39)

/* CSRs a probe can read back. */
#define FID_CSR_PMPCFG0	 0x3A0u
#define FID_CSR_PMPCFG2	 0x3A2u
#define FID_CSR_PMPADDR0 0x3B0u
#define FID_CSR_MSECCFG	 0x747u
#define FID_CSR_HGATP	 0x680u

/* ------------------------------------------------------------ cases --- */

/** The mode a probe runs in (the harness itself always runs in M). */
enum fid_mode {
	FID_MODE_M,	  /* M, mstatus.MPRV = 0 */
	FID_MODE_MPRV_S,  /* M with MPRV = 1, MPP = S, MPV = 0 */
	FID_MODE_MPRV_U,  /* M with MPRV = 1, MPP = U, MPV = 0 */
	FID_MODE_MPRV_VS, /* M with MPRV = 1, MPP = S, MPV = 1 */
	FID_MODE_HS,
	FID_MODE_U,
	FID_MODE_VS,
	FID_MODE_VU,
	FID_MODES,
};

enum fid_op {
	FID_OP_LOAD,  /* stub "l{bu,hu,wu,d} a1, 0(a0); ecall" in the mode */
	FID_OP_STORE, /* stub "s{b,h,w,d} a1, 0(a0); ecall" in the mode */
	FID_OP_FETCH, /* jump to addr: the pattern there is "lui a0, ...; ecall" */
	FID_OP_PTE,   /* M reads the leaf PTE of map arg (A/D after earlier probes) */
	FID_OP_CSR,   /* M reads CSR arg */
};

struct fid_probe {
	uint8_t mode; /* enum fid_mode */
	uint8_t op;   /* enum fid_op */
	uint8_t size; /* load and store: 1, 2, 4 or 8 bytes */
	uint16_t arg; /* FID_OP_PTE: map index; FID_OP_CSR: CSR number */
	uint64_t addr;
};

enum fid_step_kind {
	FID_STEP_PMP,	  /* pmpaddr[idx] = val, then pmpcfg byte idx = cfg */
	FID_STEP_PMPADDR, /* pmpaddr[idx] = val only */
	FID_STEP_MSECCFG, /* mseccfg = val */
};

/** One CSR write of a case's setup, applied in order with csrw semantics. */
struct fid_step {
	uint8_t kind; /* enum fid_step_kind */
	uint8_t idx;
	uint8_t cfg;
	uint64_t val;
};

/**
 * One G-stage mapping: the PTE at @level (0: 4 KiB leaf, 1: 2 MiB, 2: 1 GiB,
 * 3: 512 GiB) on the walk of @gpa holds PPN(@pa) | @bits. @bits need not
 * make a valid leaf (V only makes a pointer to @pa). The pointers above it
 * that the builder creates hold @ptr_bits (0: V alone); pointers that
 * already exist, from an earlier map or the stub page's map, are shared.
 */
struct fid_map {
	uint64_t gpa;
	uint64_t pa;
	uint8_t level;
	uint64_t bits;
	uint64_t ptr_bits;
};

/* Case flags. */
#define FID_F_SMEPMP 0x1u /* needs Smepmp: -cpu rv64,x-epmp=true; a shim world with mseccfg */
#define FID_F_MRULES 0x2u /* harness adds locked M rules for its code, data and MMIO */
#define FID_F_RLB    0x4u /* mseccfg.RLB is set before anything is locked */
/*
 * The harness clears mstatus.GVA before each probe, so that a trap that
 * does not write it shows; with this flag it leaves GVA as the last trap
 * left it (cases about GVA itself).
 */
#define FID_F_KEEP_GVA 0x8u

/* What PMP entry 15, the harness's background entry, allows. */
enum fid_bg {
	FID_BG_PROBE, /* S/U execute on the stub page only */
	FID_BG_ALL,   /* R/W/X below FID_BG_ALL_SIZE (DRAM, MMIO, holes) for every mode */
};

/*
 * FID_BG_ALL covers more than DRAM so that an access past the end of DRAM
 * tests the missing memory, not PMP.
 */
#define FID_BG_ALL_SIZE (UINT64_C(1) << 36)

struct fid_case {
	const char *id;
	uint8_t flags;
	uint8_t bg;	    /* enum fid_bg */
	uint8_t hgatp_mode; /* FID_HGATP_* */
	uint64_t mstatus;   /* extra mstatus bits while the probes run (MXR) */
	const struct fid_step *steps;
	size_t nsteps;
	const struct fid_map *maps;
	size_t nmaps;
	const struct fid_probe *probes;
	size_t nprobes;
};

extern const struct fid_case fid_cases[];
extern const size_t fid_case_count;

/* ------------------------------------------------- the common steps --- */

/* PMP entries the harness owns: 15 the background, 11..14 the M rules. */
#define FID_PMP_BG	   15u
#define FID_PMP_MRULES	   11u
#define FID_CASE_PMP_LIMIT 11u /* cases use entries 0..10 */

/* Harness-defined steps before a case's own: at most 16 + 1 + 5. */
#define FID_MAX_SETUP	      64u
#define FID_SETUP_RESET_STEPS FID_PMP_COUNT

/**
 * The whole ordered list of CSR writes that sets up case @c: every PMP entry
 * reset to OFF/0 (the first FID_SETUP_RESET_STEPS), mseccfg.RLB (FID_F_RLB),
 * the harness's M rules (FID_F_MRULES), the background entry, then the
 * case's steps. Both sides write the case's memory (data window, tables)
 * after the reset steps and before the rest: an entry of the previous case
 * that an 8-byte store matches partially would stop even M. Returns the
 * number stored in @out, or 0 when they do not fit in @max.
 */
size_t fid_setup_steps(const struct fid_case *c, struct fid_step *out, size_t max);

/**
 * Checks case @c against the harness's rules: known modes, ops and sizes;
 * PTE read-backs only of existing maps of a G-stage case; PMP steps only on
 * entries the case owns (0..10 with FID_F_MRULES, 0..14 otherwise); fetches
 * 8-byte aligned (they land on the pattern's "lui; ecall" pair). Returns
 * NULL when it is fine, else what is wrong.
 */
const char *fid_case_check(const struct fid_case *c);

/** True when case @c leaves state that only a reset clears (locks, mseccfg). */
bool fid_case_dirties(const struct fid_case *c);

/*
 * Cases run in groups, one machine (QEMU boot, shim world) per group: a
 * group ends after a case that dirties the machine and where the need for
 * Smepmp changes.
 */
unsigned int fid_group_count(void);
unsigned int fid_case_group(size_t index);
bool fid_group_smepmp(unsigned int group);

/* Probe stubs: 8 bytes each (one access, then ecall) at a fixed offset. */
#define FID_STUB_SIZE 8u
#define FID_ECALL     UINT32_C(0x00000073)

/** Offset of the stub for a @op (load or store) of @size bytes in the stub page. */
uint64_t fid_stub_offset(enum fid_op op, unsigned int size);

/** Number of stubs; fid_stub_insn(i) is the access instruction of stub i. */
#define FID_STUBS 8u
uint32_t fid_stub_insn(unsigned int i);

/** The data-window doubleword at @pa: "lui a0, pa[31:12]; ecall". */
uint64_t fid_pattern(uint64_t pa);

/** The value a store probe writes. */
uint64_t fid_store_value(size_t case_index, size_t probe_index);

/* ------------------------------------------------- G-stage builder --- */

#define FID_MAX_MAPS 16u
#define FID_MAX_PTES 80u

struct fid_pte_write {
	uint64_t pa;
	uint64_t pte;
	uint64_t table; /* a pointer made by the builder: the table it points to, else 0 */
};

struct fid_gstage {
	uint64_t hgatp; /* 0: the case keeps the G-stage Bare */
	size_t count;
	struct fid_pte_write pte[FID_MAX_PTES];
	uint64_t leaf[FID_MAX_MAPS]; /* physical address of each map's PTE */
	uint64_t next_a, next_b;     /* allocation cursors in pool A and pool B */
};

/**
 * Lays out the G-stage tables of case @c in pools A and B: the stub page
 * identity-mapped first (4 KiB, R X U A), then the case's maps. The pools
 * are zero apart from the writes in @g. Returns false when the case needs
 * more maps, PTEs or table pages than there is room for.
 */
__attribute__((warn_unused_result)) bool fid_gstage_build(const struct fid_case *c,
							  struct fid_gstage *g);

/* ------------------------------------------------------- outcomes --- */

/** What the harness saw when the probe trapped back to M. */
struct fid_trap {
	uint64_t cause;	  /* mcause */
	uint64_t tval;	  /* mtval */
	uint64_t tval2;	  /* mtval2 */
	uint64_t mstatus; /* after the trap (GVA) */
	uint64_t a0, a1;  /* of the probed mode at the trap */
};

struct fid_outcome {
	bool ok;
	uint64_t value; /* ok: loaded value, a0 of the fetched code, the PTE or the CSR */
	uint64_t cause; /* !ok */
	uint64_t tval;
	uint64_t gpa; /* guest-page faults: mtval2 << 2 */
	bool gva;
};

/** How the harness enters a mode: mstatus.MPP/MPV/MPRV, and mret or a plain jump. */
struct fid_entry {
	uint64_t mstatus; /* MPP and MPV bits, set before entering */
	uint64_t mprv;	  /* FID_MSTATUS_MPRV for the MPRV modes, set just before the jump */
	bool mret;	  /* true: mret to the mode; false: stay in M and jump */
};

/** The way into @mode. */
struct fid_entry fid_mode_entry(enum fid_mode mode);

/** mstatus bits the harness clears before entering a probe of case @c. */
uint64_t fid_probe_clear_mask(const struct fid_case *c);

/** ecall cause a probe in @mode ends with when its access succeeds. */
uint64_t fid_mode_ecall_cause(enum fid_mode mode);

/** The outcome of a load, store or fetch probe @p that trapped with @t. */
struct fid_outcome fid_outcome_of_trap(const struct fid_probe *p, const struct fid_trap *t);

/** A successful outcome with @value (PTE and CSR read-backs). */
struct fid_outcome fid_outcome_value(uint64_t value);

/** Longest line fid_format() writes, including the terminating NUL. */
#define FID_LINE_MAX 192u

/**
 * Writes the canonical transcript line of probe @n of case @c with outcome
 * @o into @buf (NUL terminated, no newline) and returns its length:
 *   fid <case> #<n> <mode> <op> <addr> => ok [<value>]
 *   fid <case> #<n> <mode> <op> <addr> => trap <cause> tval=<hex> gva=<0|1> [gpa=<hex>]
 */
size_t fid_format(char *buf, size_t len, const struct fid_case *c, size_t n,
		  const struct fid_outcome *o);

/** Writes "fid-end <group>" into @buf; returns its length. */
size_t fid_format_end(char *buf, size_t len, unsigned int group);
