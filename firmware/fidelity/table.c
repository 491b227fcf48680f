// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fidelity table (see table.h) and the helpers both sides share: setup
 * steps, grouping, stub and pattern encodings, the G-stage builder and the
 * transcript format.
 *
 * Outcomes that differ between QEMU 7.2 and the shim carry a marker comment
 * "# known: <case-id>" next to their case; ci/fidelity.sh tolerates
 * differences only in the lines of the case ids so marked. Every marker
 * names its entry in README.md: S<n> a shim bug or gap (to be fixed in
 * host-shim/src), Q<n> a QEMU 7.2 quirk (the shim follows the spec).
 */
#include "table.h"

/* ------------------------------------------------------ table macros --- */

#define D(off)		  (FID_DATA_BASE + (off))
#define NAPOT(base, size) (((base) >> 2) | (((size) >> 3) - 1))
#define ADDR(pa)	  ((pa) >> 2) /* pmpaddr of a TOR bound or an NA4 entry */

#define C_R		  FID_PMP_R
#define C_W		  FID_PMP_W
#define C_X		  FID_PMP_X
#define C_L		  FID_PMP_L
#define C_TOR		  FID_PMP_TOR
#define C_NA4		  FID_PMP_NA4
#define C_NAPOT		  FID_PMP_NAPOT

#define PMP(i, cfg, addr)                        \
	{                                        \
		FID_STEP_PMP, (i), (cfg), (addr) \
	}
#define PMPADDR(i, addr)                         \
	{                                        \
		FID_STEP_PMPADDR, (i), 0, (addr) \
	}
#define MSECCFG(v)                          \
	{                                   \
		FID_STEP_MSECCFG, 0, 0, (v) \
	}

#define LD(m, sz, a)                                    \
	{                                               \
		FID_MODE_##m, FID_OP_LOAD, (sz), 0, (a) \
	}
#define ST(m, sz, a)                                     \
	{                                                \
		FID_MODE_##m, FID_OP_STORE, (sz), 0, (a) \
	}
#define FETCH(m, a)                                   \
	{                                             \
		FID_MODE_##m, FID_OP_FETCH, 4, 0, (a) \
	}
#define READ_PTE(k)                               \
	{                                         \
		FID_MODE_M, FID_OP_PTE, 8, (k), 0 \
	}
#define READ_CSR(num)                               \
	{                                           \
		FID_MODE_M, FID_OP_CSR, 8, (num), 0 \
	}

#define MAP(lvl, gpa, pa, bits)               \
	{                                     \
		(gpa), (pa), (lvl), (bits), 0 \
	}
#define MAP_PTR(lvl, gpa, pa, bits, ptr)          \
	{                                         \
		(gpa), (pa), (lvl), (bits), (ptr) \
	}

#define STEPS(...)                                         \
	.steps = (const struct fid_step[]){ __VA_ARGS__ }, \
	.nsteps = sizeof((const struct fid_step[]){ __VA_ARGS__ }) / sizeof(struct fid_step)
#define MAPS(...)                                        \
	.maps = (const struct fid_map[]){ __VA_ARGS__ }, \
	.nmaps = sizeof((const struct fid_map[]){ __VA_ARGS__ }) / sizeof(struct fid_map)
#define PROBES(...)                                          \
	.probes = (const struct fid_probe[]){ __VA_ARGS__ }, \
	.nprobes = sizeof((const struct fid_probe[]){ __VA_ARGS__ }) / sizeof(struct fid_probe)

#define PTE_V FID_PTE_V
#define PTE_R FID_PTE_R
#define PTE_W FID_PTE_W
#define PTE_X FID_PTE_X
#define PTE_U FID_PTE_U
#define PTE_G FID_PTE_G
#define PTE_A FID_PTE_A
#define PTE_D FID_PTE_D
/* Common G-stage leaves: valid, user (G-stage accesses are user-level), A and D set. */
#define LEAF_R	  (PTE_V | PTE_R | PTE_U | PTE_A | PTE_D)
#define LEAF_RW	  (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define LEAF_RWX  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define LEAF_X	  (PTE_V | PTE_X | PTE_U | PTE_A)
#define LEAF_RX	  (PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
#define GPA_4K	  UINT64_C(0x40000000)	/* root index 1 of Sv39x4 */
#define GPA_SUPER UINT64_C(0x100000000) /* root index 4: 2 MiB and 1 GiB leaves */
#define KIB4	  UINT64_C(0x1000)
#define KIB64	  UINT64_C(0x10000)

/* ------------------------------------------------------------ cases --- */

/*
 * Order matters: cases run in the order listed, one group per machine, and
 * a group ends after a case that locks something or writes mseccfg (see
 * fid_case_group), so such cases come last among those needing the same CPU.
 */
const struct fid_case fid_cases[] = {
	/* ------------------------------------------------ PMP, no Smepmp --- */
	{
		/* Only the background entry (S/U execute on the stub page) is on. */
		.id = "pmp.no_match",
		PROBES(LD(M, 8, D(0x0)), FETCH(M, D(0x10)), FETCH(U, D(0x40))),
	},
	{
		.id = "pmp.napot_4k",
		STEPS(PMP(0, C_NAPOT | C_R | C_W, NAPOT(D(0x1000), KIB4))),
		PROBES(LD(HS, 8, D(0x1000)), ST(HS, 8, D(0x1008)), LD(U, 8, D(0x1008)),
		       LD(U, 8, D(0x2000))),
	},
	{
		/* 8-byte, 16-byte and 2 MiB regions. */
		.id = "pmp.napot_sizes",
		STEPS(PMP(0, C_NAPOT | C_R, NAPOT(D(0x3000), 8)),
		      PMP(1, C_NAPOT | C_R, NAPOT(D(0x3010), 16)),
		      PMP(2, C_NAPOT | C_R, NAPOT(D(0x200000), UINT64_C(0x200000)))),
		PROBES(LD(U, 8, D(0x3000)), LD(U, 8, D(0x3008)), LD(U, 8, D(0x3018)),
		       LD(U, 8, D(0x1FFFF8))),
	},
	{
		/* An 8-byte access over a 4-byte region matches partially, for M too. */
		.id = "pmp.na4",
		STEPS(PMP(0, C_NA4 | C_R | C_W, ADDR(D(0x4000)))),
		PROBES(LD(U, 4, D(0x4000)), ST(HS, 1, D(0x4003)), LD(U, 8, D(0x4000)),
		       LD(M, 8, D(0x4000))),
	},
	{
		/* TOR in entry 0 starts at address 0 (and covers the stub page). */
		.id = "pmp.tor_entry0",
		STEPS(PMP(0, C_TOR | C_R | C_W | C_X, ADDR(D(0x5000)))),
		PROBES(LD(U, 8, D(0x4FF8)), LD(U, 8, D(0x5000)), FETCH(U, D(0x4000))),
	},
	{
		/* Entry 0 wins over the background entry for the stub page: no X. */
		.id = "pmp.tor_entry0_shadows_stub",
		STEPS(PMP(0, C_TOR | C_R, ADDR(D(0x5000)))),
		PROBES(LD(U, 8, D(0x0))),
	},
	{
		/* TOR takes its base from pmpaddr of the entry below, even when OFF. */
		.id = "pmp.tor_range",
		STEPS(PMPADDR(0, ADDR(D(0x6000))), PMP(1, C_TOR | C_R, ADDR(D(0x7000)))),
		PROBES(LD(U, 8, D(0x6000)), LD(U, 8, D(0x5FF8)), LD(U, 8, D(0x7000))),
	},
	{
		/* A TOR entry whose base is above its top matches nothing. */
		.id = "pmp.tor_empty",
		STEPS(PMPADDR(0, ADDR(D(0x7000))), PMP(1, C_TOR | C_R | C_W, ADDR(D(0x6000))),
		      PMP(2, C_NAPOT | C_R, NAPOT(D(0x0), KIB64))),
		PROBES(LD(U, 8, D(0x6800)), ST(U, 8, D(0x6800))),
	},
	{
		/* The lowest-numbered matching entry decides, granting or not. */
		.id = "pmp.priority",
		STEPS(PMP(0, C_NAPOT | C_R, NAPOT(D(0x8000), KIB4)),
		      PMP(1, C_NAPOT, NAPOT(D(0xA000), KIB4)),
		      PMP(2, C_NAPOT | C_R | C_W | C_X, NAPOT(D(0x0), KIB64))),
		PROBES(ST(U, 8, D(0x8010)), LD(U, 8, D(0x8010)), LD(HS, 8, D(0xA000)),
		       LD(M, 8, D(0xA000))),
	},
	{
		/*
		 * A partial match fails even when the next entries cover the
		 * rest; a full match of a lower entry decides alone.
		 */
		.id = "pmp.partial",
		STEPS(PMP(0, C_NA4 | C_R | C_W, ADDR(D(0xC000))),
		      PMP(1, C_NA4 | C_R | C_W, ADDR(D(0xC004))),
		      PMP(2, C_NAPOT | C_R, NAPOT(D(0xC010), 16)),
		      PMP(3, C_NAPOT | C_R | C_W | C_X, NAPOT(D(0xC000), KIB4))),
		PROBES(LD(U, 8, D(0xC000)), LD(U, 8, D(0xC018)), ST(U, 8, D(0xC018))),
	},
	{
		/*
		 * R=0 W=1 is reserved (machine.adoc, pmpcfg: "the combinations
		 * with R=0 and W=1 are reserved"), a WARL field, so QEMU is the
		 * reference for what it becomes. QEMU 7.2 keeps the bits as
		 * written and grants exactly them: W (and X) but not R; the
		 * shim does the same (was S1, fixed).
		 */
		.id = "pmp.reserved_w",
		STEPS(PMP(0, C_NAPOT | C_W, NAPOT(D(0xD000), KIB4)),
		      PMP(1, C_NAPOT | C_W | C_X, NAPOT(D(0xE000), KIB4)),
		      PMP(2, C_NAPOT | C_R, NAPOT(D(0x0), KIB64))),
		PROBES(READ_CSR(FID_CSR_PMPCFG0), LD(U, 8, D(0xD000)), ST(U, 8, D(0xD008)),
		       FETCH(U, D(0xE010))),
	},
	{
		/*
		 * pmpaddr = all ones: NAPOT over the whole address space. On
		 * RV64, pmpaddr bits 63:54 are zero (machine.adoc, pmpaddr
		 * format); QEMU 7.2 keeps whatever was written there.
		 * # known: pmp.napot_all_ones: QEMU quirk Q1 (pmpaddr bits 63:54)
		 */
		.id = "pmp.napot_all_ones",
		STEPS(PMP(0, C_NAPOT | C_R | C_X, ~UINT64_C(0))),
		PROBES(READ_CSR(FID_CSR_PMPADDR0), LD(U, 8, D(0xF000))),
	},
	{
		/*
		 * MPRV makes M's loads and stores use MPP's privilege; fetches
		 * stay M (machine.adoc, mstatus.MPRV).
		 */
		.id = "pmp.mprv",
		STEPS(PMP(0, C_NAPOT | C_R, NAPOT(D(0x10000), KIB4))),
		PROBES(LD(MPRV_U, 8, D(0x10000)), ST(MPRV_U, 8, D(0x10000)),
		       LD(MPRV_S, 8, D(0x11000)), FETCH(MPRV_U, D(0x11000))),
	},
	{
		/* Past the end of DRAM nothing answers: an access fault. */
		.id = "pmp.outside_dram",
		PROBES(LD(M, 8, FID_DRAM_BASE + FID_DRAM_SIZE)),
	},
	{
		/*
		 * Misaligned data accesses: the EEI may perform them or trap;
		 * QEMU performs them.
		 */
		.id = "pmp.misaligned",
		.bg = FID_BG_ALL,
		PROBES(LD(U, 4, D(0x12002))),
	},
	{
		/* VS and VU with hgatp Bare: guest physical = host physical. */
		.id = "pmp.bare_guest",
		.bg = FID_BG_ALL,
		PROBES(LD(VU, 8, D(0x13000)), FETCH(VS, D(0x13010))),
	},

	/* ------------------------------------------------------ G-stage --- */
	{
		.id = "gstage.leaf_perms",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K + 0x0000, D(0x20000), LEAF_R),
		     MAP(0, GPA_4K + 0x1000, D(0x21000), LEAF_RW),
		     MAP(0, GPA_4K + 0x2000, D(0x22000), LEAF_X),
		     MAP(0, GPA_4K + 0x3000, D(0x23000), LEAF_RX)),
		PROBES(LD(VS, 8, GPA_4K + 0x0), ST(VS, 8, GPA_4K + 0x8), ST(VS, 8, GPA_4K + 0x1000),
		       LD(VU, 8, GPA_4K + 0x1000), FETCH(VU, GPA_4K + 0x2000),
		       LD(VS, 8, GPA_4K + 0x2000), FETCH(VS, GPA_4K + 0x3008),
		       READ_CSR(FID_CSR_HGATP)),
	},
	{
		/* G-stage accesses are user-level: U=0 faults for VS too. */
		.id = "gstage.u_clear",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K + 0x5000, D(0x25000), LEAF_RWX & ~PTE_U)),
		PROBES(LD(VS, 8, GPA_4K + 0x5000), FETCH(VS, GPA_4K + 0x5010),
		       LD(VU, 8, GPA_4K + 0x5000)),
	},
	{
		.id = "gstage.invalid",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K + 0x6000, D(0x26000), LEAF_RW & ~PTE_V),
		     MAP(0, GPA_4K + 0x7000, D(0x27000), PTE_V | PTE_W | PTE_U | PTE_A | PTE_D),
		     MAP(0, GPA_4K + 0x8000, D(0x28000),
			 PTE_V | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D),
		     /* V alone at level 0: a pointer where no level is left. */
		     MAP(0, GPA_4K + 0x9000, D(0x29000), PTE_V)),
		PROBES(LD(VS, 8, GPA_4K + 0x6000), LD(VS, 8, GPA_4K + 0x7000),
		       FETCH(VS, GPA_4K + 0x8000), LD(VS, 8, GPA_4K + 0x9000),
		       /* bit 41 set: wider than Sv39x4's 41-bit GPA */
		       LD(VS, 8, UINT64_C(0x20000000000) + 0x3000)),
	},
	{
		/*
		 * Bits 63:54 are reserved without Svpbmt/Svnapot; G is unused in
		 * G-stage PTEs (hypervisor.adoc: software sets it to zero).
		 */
		.id = "gstage.reserved_bits",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K + 0xB000, D(0x2B000), LEAF_RW | (UINT64_C(1) << 54)),
		     MAP(0, GPA_4K + 0xC000, D(0x2C000), LEAF_RW | (UINT64_C(1) << 61)),
		     MAP(0, GPA_4K + 0xD000, D(0x2D000), LEAF_RW | (UINT64_C(1) << 63)),
		     MAP(0, GPA_4K + 0xE000, D(0x2E000), LEAF_RW | PTE_G)),
		PROBES(LD(VS, 8, GPA_4K + 0xB000), LD(VS, 8, GPA_4K + 0xC000),
		       LD(VS, 8, GPA_4K + 0xD000), LD(VS, 8, GPA_4K + 0xE000)),
	},
	{
		/*
		 * D, A and U of a non-leaf PTE are reserved for future standard
		 * use (supervisor.adoc); the last map is the control.
		 */
		.id = "gstage.nonleaf_dau",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP_PTR(1, UINT64_C(0x100000000), D(0x0), LEAF_RW, PTE_V | PTE_U),
		     MAP_PTR(1, UINT64_C(0x140000000), D(0x0), LEAF_RW, PTE_V | PTE_A),
		     MAP_PTR(1, UINT64_C(0x180000000), D(0x0), LEAF_RW, PTE_V | PTE_D),
		     MAP(1, UINT64_C(0x1C0000000), D(0x0), LEAF_RW)),
		PROBES(LD(VS, 8, UINT64_C(0x100000000) + 0x30000),
		       LD(VS, 8, UINT64_C(0x140000000) + 0x30000),
		       LD(VS, 8, UINT64_C(0x180000000) + 0x30000),
		       LD(VS, 8, UINT64_C(0x1C0000000) + 0x30000)),
	},
	{
		/* 2 MiB and 1 GiB leaves, and both with a misaligned PPN. */
		.id = "gstage.superpages",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(1, GPA_SUPER, D(0x0), LEAF_RWX),
		     MAP(2, UINT64_C(0x140000000), FID_DRAM_BASE, LEAF_RW),
		     MAP(1, UINT64_C(0x180000000), D(0x1000), LEAF_RW),
		     MAP(2, UINT64_C(0x1C0000000), UINT64_C(0x80200000), LEAF_RW)),
		PROBES(LD(VS, 8, GPA_SUPER + 0x1FFFF8), FETCH(VU, GPA_SUPER + 0x31000),
		       LD(VS, 8, UINT64_C(0x140000000) + 0x400000),
		       /* the 1 GiB page runs past the end of DRAM */
		       LD(VS, 8, UINT64_C(0x140000000) + FID_DRAM_SIZE),
		       LD(VS, 8, UINT64_C(0x180000000)),
		       LD(VS, 8, UINT64_C(0x1C0000000) + 0x400000)),
	},
	{
		/*
		 * Sv39x4 GPAs are 41 bits, zero-extended (hypervisor.adoc, "Guest
		 * Physical Address Translation"): root index 2047 and 1024 are
		 * valid; the same low bits sign-extended are not. QEMU 7.2
		 * checks GPAs as sign-extended 41-bit values instead.
		 * # known: gstage.sv39x4_wide_root: QEMU quirk Q2 (GPA bit 40 sign-extended)
		 */
		.id = "gstage.sv39x4_wide_root",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, UINT64_C(0x1FFC0003000), D(0x33000), LEAF_RW),
		     MAP(0, UINT64_C(0x10000000000), D(0x34000), LEAF_RW)),
		PROBES(LD(VS, 8, UINT64_C(0x1FFC0003000)), LD(VU, 8, UINT64_C(0x10000000000)),
		       LD(VS, 8, UINT64_C(0xFFFFFFFFC0003000))),
	},
	{
		/* Sv48x4: root index 512 (GPA bit 48), 1 GiB leaves, the 50-bit limit. */
		.id = "gstage.sv48x4",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV48X4,
		MAPS(MAP(0, GPA_4K, D(0x35000), LEAF_RWX),
		     MAP(0, (UINT64_C(1) << 48) + 0x1000, D(0x36000), LEAF_RW),
		     MAP(2, UINT64_C(1) << 39, FID_DRAM_BASE, LEAF_RW)),
		PROBES(LD(VS, 8, GPA_4K), LD(VS, 8, (UINT64_C(1) << 48) + 0x1000),
		       LD(VU, 8, (UINT64_C(1) << 39) + 0x400000), LD(VS, 8, UINT64_C(1) << 50)),
	},
	{
		/*
		 * Root index 1536 of Sv48x4 (GPA bits 49:48 set), like the wide
		 * Sv39x4 root above.
		 * # known: gstage.sv48x4_top_bit: QEMU quirk Q2 (GPA bit 49 sign-extended)
		 */
		.id = "gstage.sv48x4_top_bit",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV48X4,
		MAPS(MAP(0, (UINT64_C(3) << 48) + 0x2000, D(0x37000), LEAF_RW)),
		PROBES(LD(VU, 8, (UINT64_C(3) << 48) + 0x2000)),
	},
	{
		/* The walker sets A on any access and D on a store (no Svade). */
		.id = "gstage.ad_update",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K + 0x0000, D(0x38000), PTE_V | PTE_R | PTE_W | PTE_U),
		     MAP(0, GPA_4K + 0x1000, D(0x39000), PTE_V | PTE_R | PTE_W | PTE_U),
		     MAP(0, GPA_4K + 0x3000, D(0x3B000), PTE_V | PTE_R | PTE_X | PTE_U)),
		PROBES(LD(VS, 8, GPA_4K + 0x0), READ_PTE(0), ST(VU, 8, GPA_4K + 0x1000),
		       READ_PTE(1), FETCH(VS, GPA_4K + 0x3000), READ_PTE(2)),
	},
	{
		/*
		 * The A/D update is an implicit store to the PTE, which PMP
		 * checks as an S-level access (machine.adoc, "Physical Memory
		 * Protection and Paging"). QEMU 7.2 updates A/D without a PMP check.
		 * # known: gstage.ad_update_pmp: QEMU quirk Q4 (A/D update skips PMP)
		 */
		.id = "gstage.ad_update_pmp",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		STEPS(PMP(0, C_NAPOT | C_R, NAPOT(FID_POOL_B, FID_POOL_SIZE))),
		MAPS(MAP(0, GPA_4K + 0x1000, D(0x3D000), PTE_V | PTE_R | PTE_W | PTE_U),
		     MAP(0, GPA_4K + 0x2000, D(0x3E000), PTE_V | PTE_R | PTE_W | PTE_U | PTE_A)),
		PROBES(LD(VS, 8, GPA_4K + 0x1000), READ_PTE(0), ST(VS, 8, GPA_4K + 0x2000)),
	},
	{
		/*
		 * PMP denies S the case's tables: the G-stage walk takes an access
		 * fault (supervisor.adoc, step 2 of the translation process;
		 * hypervisor.adoc: "access-fault exceptions ... from either
		 * stage"). QEMU 7.2 raises a guest-page fault for any failure in
		 * the G-stage part of a translation, PMP and bus errors included.
		 * # known: gstage.pmp_walk: QEMU quirk Q3 (guest-page fault for PMP)
		 */
		.id = "gstage.pmp_walk",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		STEPS(PMP(0, C_NAPOT, NAPOT(FID_POOL_B, FID_POOL_SIZE))),
		MAPS(MAP(0, GPA_4K, D(0x3F000), LEAF_RWX)),
		PROBES(LD(VS, 8, GPA_4K), FETCH(VU, GPA_4K + 0x10)),
	},
	{
		/*
		 * The translation succeeds and PMP then denies the host address.
		 * # known: gstage.pmp_final: QEMU quirk Q3 (guest-page fault for PMP)
		 */
		.id = "gstage.pmp_final",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		STEPS(PMP(0, C_NAPOT | C_R, NAPOT(D(0x40000), KIB4))),
		MAPS(MAP(0, GPA_4K, D(0x40000), LEAF_RWX)),
		PROBES(LD(VU, 8, GPA_4K), ST(VS, 8, GPA_4K + 0x8), FETCH(VS, GPA_4K + 0x10)),
	},
	{
		/*
		 * A pointer to a table outside DRAM: the PTE read fails.
		 * # known: gstage.table_outside_dram: QEMU quirk Q3 (guest-page fault)
		 */
		.id = "gstage.table_outside_dram",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(2, GPA_SUPER, FID_DRAM_BASE + FID_DRAM_SIZE, PTE_V)),
		PROBES(LD(VS, 8, GPA_SUPER)),
	},
	{
		/*
		 * HS-level MXR makes execute-only pages readable in both stages
		 * (hypervisor.adoc, "Memory Privilege"); QEMU 7.2 consults the
		 * guest's vsstatus.MXR for the G-stage while V=1.
		 * # known: gstage.mxr: QEMU quirk Q5 (HS MXR ignored in the G-stage)
		 */
		.id = "gstage.mxr",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		.mstatus = FID_MSTATUS_MXR,
		MAPS(MAP(0, GPA_4K, D(0x41000), LEAF_X)),
		PROBES(LD(VS, 8, GPA_4K), ST(VS, 8, GPA_4K + 0x8)),
	},
	{
		/*
		 * MPRV with MPV=1: M's loads are translated as VS's.
		 */
		.id = "gstage.mprv",
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		MAPS(MAP(0, GPA_4K, D(0x42000), LEAF_RW)),
		PROBES(LD(MPRV_VS, 8, GPA_4K), LD(VS, 8, GPA_4K)),
	},
	{
		/*
		 * mstatus.GVA is written by every trap into M (hypervisor.adoc,
		 * mstatus): 1 after the guest-page fault at an empty root slot,
		 * then 0 after the faults from M and HS. QEMU 7.2 only ever sets it.
		 * # known: trap.gva: QEMU quirk Q6 (stale mstatus.GVA)
		 */
		.id = "trap.gva",
		.flags = FID_F_KEEP_GVA,
		.bg = FID_BG_ALL,
		.hgatp_mode = FID_HGATP_SV39X4,
		PROBES(LD(VS, 8, UINT64_C(0xC0000000)), LD(M, 8, FID_DRAM_BASE + FID_DRAM_SIZE),
		       LD(HS, 8, FID_DRAM_BASE + FID_DRAM_SIZE)),
	},

	/* ---------------------------------- PMP locks (each ends a group) --- */
	{
		/* L binds M: read-only for M too; unmatched addresses stay open to M. */
		.id = "pmp.locked_binds_m",
		STEPS(PMP(0, C_L | C_NAPOT | C_R, NAPOT(D(0x14000), KIB4))),
		PROBES(LD(M, 8, D(0x14000)), ST(M, 8, D(0x14008)), FETCH(M, D(0x14010)),
		       ST(M, 8, D(0x15000))),
	},
	{
		/* Writes to a locked entry are ignored, pmpcfg and pmpaddr alike. */
		.id = "pmp.locked_ignores_writes",
		STEPS(PMP(0, C_L | C_NAPOT | C_R, NAPOT(D(0x16000), KIB4)),
		      PMP(0, C_NAPOT | C_R | C_W, NAPOT(D(0x17000), KIB4))),
		PROBES(READ_CSR(FID_CSR_PMPCFG0), ST(U, 8, D(0x16000)), LD(U, 8, D(0x17000))),
	},
	{
		/* A locked TOR entry also locks pmpaddr of the entry below it. */
		.id = "pmp.locked_tor_base",
		STEPS(PMPADDR(0, ADDR(D(0x18000))), PMP(1, C_L | C_TOR | C_R, ADDR(D(0x19000))),
		      PMPADDR(0, ADDR(D(0x10000)))),
		PROBES(READ_CSR(FID_CSR_PMPADDR0), LD(U, 8, D(0x18000)), LD(U, 8, D(0x17000))),
	},

	/* ------------------------------------------------------- Smepmp --- */
	{
		/* With mseccfg zero, Smepmp changes nothing. */
		.id = "epmp.mseccfg_zero",
		.flags = FID_F_SMEPMP,
		STEPS(PMP(0, C_NAPOT | C_R | C_W, NAPOT(D(0x0), KIB4))),
		PROBES(READ_CSR(FID_CSR_MSECCFG), FETCH(M, D(0x1000))),
	},
	{
		/* MML truth table (smepmp.adoc): locked rules M-only, unlocked S/U-only. */
		.id = "epmp.mml_m_only",
		.flags = FID_F_SMEPMP | FID_F_MRULES,
		STEPS(PMP(0, C_L | C_NAPOT | C_R | C_X, NAPOT(D(0x0000), KIB4)),
		      PMP(1, C_L | C_NAPOT | C_R | C_W, NAPOT(D(0x1000), KIB4)),
		      PMP(2, C_NAPOT | C_R | C_W, NAPOT(D(0x2000), KIB4)),
		      PMP(3, C_L | C_NAPOT, NAPOT(D(0x3000), KIB4)), MSECCFG(FID_MSECCFG_MML)),
		PROBES(FETCH(M, D(0x0)), ST(M, 8, D(0x1000)), FETCH(M, D(0x1010)),
		       LD(U, 8, D(0x1000)), ST(U, 8, D(0x2000)), LD(M, 8, D(0x2000)),
		       /* no rule: M may read and write, not execute */
		       LD(M, 8, D(0x5000)), FETCH(M, D(0x5010))),
	},
	{
		/*
		 * MML shared regions (R=0 W=1 encodings, and LRWX), written while
		 * RLB lets locked executable rules in after MML is set.
		 */
		.id = "epmp.mml_shared",
		.flags = FID_F_SMEPMP | FID_F_MRULES | FID_F_RLB,
		STEPS(MSECCFG(FID_MSECCFG_RLB | FID_MSECCFG_MML),
		      PMP(0, C_NAPOT | C_W, NAPOT(D(0x0000), KIB4)),
		      PMP(1, C_NAPOT | C_W | C_X, NAPOT(D(0x1000), KIB4)),
		      PMP(2, C_L | C_NAPOT | C_W, NAPOT(D(0x2000), KIB4)),
		      PMP(3, C_L | C_NAPOT | C_W | C_X, NAPOT(D(0x3000), KIB4)),
		      PMP(4, C_L | C_NAPOT | C_R | C_W | C_X, NAPOT(D(0x4000), KIB4)),
		      MSECCFG(FID_MSECCFG_MML)),
		PROBES(READ_CSR(FID_CSR_PMPCFG0), LD(U, 8, D(0x0)), ST(U, 8, D(0x8)),
		       ST(U, 8, D(0x1000)), FETCH(U, D(0x2008)), LD(M, 8, D(0x2000)),
		       LD(M, 8, D(0x3000)), FETCH(U, D(0x3010)), LD(U, 8, D(0x4000)),
		       ST(M, 8, D(0x4000))),
	},
	{
		/*
		 * With MML set and RLB clear, a new locked rule that lets M
		 * execute, or a locked shared-code rule, is ignored; other rules
		 * are accepted (machine.adoc, mseccfg.MML rule 2). QEMU 7.2
		 * accepts a locked -W- rule and ignores an unlocked -WX one.
		 * # known: epmp.mml_rule_adding: QEMU quirk Q7 (MML rule-adding checks)
		 */
		.id = "epmp.mml_rule_adding",
		.flags = FID_F_SMEPMP | FID_F_MRULES,
		STEPS(MSECCFG(FID_MSECCFG_MML),
		      PMP(0, C_L | C_NAPOT | C_R | C_X, NAPOT(D(0x0), KIB4)),
		      PMP(1, C_L | C_NAPOT | C_R, NAPOT(D(0x1000), KIB4)),
		      PMP(2, C_L | C_NAPOT | C_W, NAPOT(D(0x2000), KIB4)),
		      PMP(3, C_NAPOT | C_W | C_X, NAPOT(D(0x3000), KIB4)),
		      PMP(4, C_NAPOT | C_R | C_X, NAPOT(D(0x4000), KIB4))),
		PROBES(READ_CSR(FID_CSR_PMPCFG0), FETCH(M, D(0x0)), LD(M, 8, D(0x1000)),
		       FETCH(U, D(0x2000)), ST(U, 8, D(0x3000)), FETCH(U, D(0x4000))),
	},
	{
		/* MMWP: M loses access to every address no rule matches. */
		.id = "epmp.mmwp",
		.flags = FID_F_SMEPMP | FID_F_MRULES,
		STEPS(MSECCFG(FID_MSECCFG_MMWP),
		      PMP(0, C_NAPOT | C_R | C_W, NAPOT(D(0x1000), KIB4))),
		PROBES(LD(M, 8, D(0x0)), FETCH(M, D(0x10)), LD(M, 8, D(0x1000)),
		       READ_CSR(FID_CSR_MSECCFG)),
	},
	{
		/*
		 * RLB lets locked entries be rewritten; once cleared it cannot be
		 * set again while an entry is locked.
		 */
		.id = "epmp.rlb",
		.flags = FID_F_SMEPMP | FID_F_RLB,
		STEPS(PMP(0, C_L | C_NAPOT | C_R, NAPOT(D(0x0), KIB4)),
		      PMP(0, C_NAPOT | C_R | C_W, NAPOT(D(0x1000), KIB4)),
		      PMP(1, C_L | C_NAPOT | C_R, NAPOT(D(0x2000), KIB4)), MSECCFG(0),
		      MSECCFG(FID_MSECCFG_RLB),
		      PMP(1, C_NAPOT | C_R | C_W, NAPOT(D(0x2000), KIB4))),
		PROBES(READ_CSR(FID_CSR_MSECCFG), READ_CSR(FID_CSR_PMPCFG0), ST(U, 8, D(0x1000)),
		       LD(U, 8, D(0x0))),
	},
};

const size_t fid_case_count = sizeof(fid_cases) / sizeof(fid_cases[0]);

/* ------------------------------------------------------ setup steps --- */

/* The locked M rules of FID_F_MRULES, entries 11..14 (below the background). */
static const struct fid_step fid_mrules[] = {
	PMP(11, C_L | C_NAPOT | C_R | C_W, NAPOT(UINT64_C(0x100000), KIB4)),   /* finisher */
	PMP(12, C_L | C_NAPOT | C_R | C_W, NAPOT(UINT64_C(0x10000000), KIB4)), /* UART */
	PMP(13, C_L | C_NAPOT | C_R | C_W, NAPOT(FID_FWDATA_BASE, FID_FWDATA_SIZE)),
	PMP(14, C_L | C_NAPOT | C_R | C_X, NAPOT(FID_TEXT_BASE, FID_TEXT_SIZE)),
};

size_t fid_setup_steps(const struct fid_case *c, struct fid_step *out, size_t max)
{
	size_t mrules = sizeof(fid_mrules) / sizeof(fid_mrules[0]);
	size_t need = FID_PMP_COUNT + 1 + mrules + 1 + c->nsteps;
	size_t n = 0;

	if (need > max) {
		return 0;
	}
	for (unsigned int i = 0; i < FID_PMP_COUNT; i++) {
		struct fid_step off = PMP(i, 0, 0);

		out[n++] = off;
	}
	if (c->flags & FID_F_RLB) {
		struct fid_step rlb = MSECCFG(FID_MSECCFG_RLB);

		out[n++] = rlb;
	}
	if (c->flags & FID_F_MRULES) {
		for (size_t i = 0; i < mrules; i++) {
			out[n++] = fid_mrules[i];
		}
	}
	struct fid_step bg_probe = PMP(FID_PMP_BG, C_NAPOT | C_X, NAPOT(FID_PROBE_BASE, KIB4));
	struct fid_step bg_all =
		PMP(FID_PMP_BG, C_NAPOT | C_R | C_W | C_X, NAPOT(0, FID_BG_ALL_SIZE));

	out[n++] = c->bg == FID_BG_ALL ? bg_all : bg_probe;
	for (size_t i = 0; i < c->nsteps; i++) {
		out[n++] = c->steps[i];
	}
	return n;
}

static const char *fid_probe_check(const struct fid_case *c, const struct fid_probe *p)
{
	if (p->mode >= FID_MODES) {
		return "unknown mode";
	}
	switch (p->op) {
	case FID_OP_LOAD:
	case FID_OP_STORE:
		if (p->size != 1 && p->size != 2 && p->size != 4 && p->size != 8) {
			return "access size not 1, 2, 4 or 8";
		}
		return NULL;
	case FID_OP_FETCH: return (p->addr & 7) ? "fetch not 8-byte aligned" : NULL;
	case FID_OP_PTE:
		if (c->hgatp_mode == FID_HGATP_BARE || p->arg >= c->nmaps) {
			return "PTE read-back of a map the case does not have";
		}
		return NULL;
	case FID_OP_CSR: return NULL;
	default: return "unknown op";
	}
}

const char *fid_case_check(const struct fid_case *c)
{
	unsigned int limit = (c->flags & FID_F_MRULES) ? FID_CASE_PMP_LIMIT : FID_PMP_BG;

	if (c->hgatp_mode != FID_HGATP_BARE && c->hgatp_mode != FID_HGATP_SV39X4 &&
	    c->hgatp_mode != FID_HGATP_SV48X4) {
		return "hgatp mode not Bare, Sv39x4 or Sv48x4";
	}
	if (c->nmaps > FID_MAX_MAPS) {
		return "too many maps";
	}
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct fid_step *s = &c->steps[i];

		if (s->kind != FID_STEP_MSECCFG && s->idx >= limit) {
			return "PMP step on an entry the harness owns";
		}
		if (s->kind == FID_STEP_MSECCFG && !(c->flags & FID_F_SMEPMP)) {
			return "mseccfg write without FID_F_SMEPMP";
		}
	}
	for (size_t i = 0; i < c->nprobes; i++) {
		const char *why = fid_probe_check(c, &c->probes[i]);

		if (why) {
			return why;
		}
	}
	return NULL;
}

bool fid_case_dirties(const struct fid_case *c)
{
	if (c->flags & (FID_F_MRULES | FID_F_RLB)) {
		return true;
	}
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct fid_step *s = &c->steps[i];

		if (s->kind == FID_STEP_MSECCFG || (s->kind == FID_STEP_PMP && (s->cfg & C_L))) {
			return true;
		}
	}
	return false;
}

static bool fid_case_smepmp(size_t i)
{
	return (fid_cases[i].flags & FID_F_SMEPMP) != 0;
}

unsigned int fid_case_group(size_t index)
{
	unsigned int g = 0;

	for (size_t i = 1; i <= index && i < fid_case_count; i++) {
		if (fid_case_dirties(&fid_cases[i - 1]) ||
		    fid_case_smepmp(i - 1) != fid_case_smepmp(i)) {
			g++;
		}
	}
	return g;
}

unsigned int fid_group_count(void)
{
	return fid_case_count ? fid_case_group(fid_case_count - 1) + 1 : 0;
}

bool fid_group_smepmp(unsigned int group)
{
	for (size_t i = 0; i < fid_case_count; i++) {
		if (fid_case_group(i) == group) {
			return fid_case_smepmp(i);
		}
	}
	return false;
}

/* -------------------------------------------------- stubs, pattern --- */

/* Register fields of the stubs: the address in a0 (x10), the data in a1 (x11). */
#define RV_LOAD_A1_0_A0	 UINT32_C(0x00050583) /* l? a1, 0(a0) without funct3 */
#define RV_STORE_A1_0_A0 UINT32_C(0x00B50023) /* s? a1, 0(a0) without funct3 */
#define RV_LUI_A0	 UINT32_C(0x00000537) /* lui a0, 0 */

static unsigned int fid_log2_size(unsigned int size)
{
	switch (size) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	default: return 3;
	}
}

uint64_t fid_stub_offset(enum fid_op op, unsigned int size)
{
	unsigned int i = (op == FID_OP_STORE ? 4u : 0u) + fid_log2_size(size);

	return (uint64_t)i * FID_STUB_SIZE;
}

uint32_t fid_stub_insn(unsigned int i)
{
	/* funct3 of lbu, lhu, lwu, ld and of sb, sh, sw, sd. */
	static const uint32_t load_funct3[4] = { 4, 5, 6, 3 };

	if (i < 4) {
		return RV_LOAD_A1_0_A0 | (load_funct3[i] << 12);
	}
	return RV_STORE_A1_0_A0 | ((uint32_t)(i - 4) << 12);
}

uint64_t fid_pattern(uint64_t pa)
{
	uint32_t lui = RV_LUI_A0 | (uint32_t)(pa & UINT64_C(0xFFFFF000));

	return ((uint64_t)FID_ECALL << 32) | lui;
}

uint64_t fid_store_value(size_t case_index, size_t probe_index)
{
	return UINT64_C(0x5700000000000000) | ((uint64_t)(case_index & 0xFFFF) << 16) |
	       (probe_index & 0xFFFF);
}

/* ------------------------------------------------- G-stage builder --- */

#define FID_PAGE_SHIFT 12u
#define FID_ROOT_SIZE  UINT64_C(0x4000) /* 2048 entries of an x4 root */

static unsigned int fid_levels(unsigned int hgatp_mode)
{
	return hgatp_mode == FID_HGATP_SV48X4 ? 4u : 3u;
}

/* Index of @gpa's PTE in a table at @level; the root index is two bits wider. */
static uint64_t fid_vpn(unsigned int levels, uint64_t gpa, unsigned int level)
{
	unsigned int bits = level + 1 == levels ? 11u : 9u;

	return (gpa >> (FID_PAGE_SHIFT + 9u * level)) & ((UINT64_C(1) << bits) - 1);
}

static uint64_t fid_ppn_field(uint64_t pa)
{
	return ((pa >> FID_PAGE_SHIFT) & ((UINT64_C(1) << 44) - 1)) << FID_PTE_PPN_SHIFT;
}

/* Stores @pte at @pa, replacing an earlier write there. */
static bool fid_gstage_put(struct fid_gstage *g, uint64_t pa, uint64_t pte, uint64_t table)
{
	for (size_t i = 0; i < g->count; i++) {
		if (g->pte[i].pa == pa) {
			g->pte[i].pte = pte;
			g->pte[i].table = table;
			return true;
		}
	}
	if (g->count >= FID_MAX_PTES) {
		return false;
	}
	g->pte[g->count].pa = pa;
	g->pte[g->count].pte = pte;
	g->pte[g->count].table = table;
	g->count++;
	return true;
}

/* The table a builder-made pointer at @pa leads to, or 0. */
static uint64_t fid_gstage_table_at(const struct fid_gstage *g, uint64_t pa)
{
	for (size_t i = 0; i < g->count; i++) {
		if (g->pte[i].pa == pa) {
			return g->pte[i].table;
		}
	}
	return 0;
}

static bool fid_gstage_map(struct fid_gstage *g, unsigned int levels, const struct fid_map *m,
			   bool pool_a, uint64_t *leaf)
{
	uint64_t table = FID_POOL_A;
	uint64_t *cursor = pool_a ? &g->next_a : &g->next_b;
	uint64_t limit = (pool_a ? FID_POOL_A : FID_POOL_B) + FID_POOL_SIZE;

	if (m->level >= levels) {
		return false;
	}
	for (unsigned int level = levels - 1; level > m->level; level--) {
		uint64_t slot = table + fid_vpn(levels, m->gpa, level) * 8;
		uint64_t next = fid_gstage_table_at(g, slot);

		if (next) {
			table = next;
			continue;
		}
		if (*cursor >= limit) {
			return false;
		}
		next = *cursor;
		*cursor += UINT64_C(1) << FID_PAGE_SHIFT;
		uint64_t ptr = fid_ppn_field(next) | (m->ptr_bits ? m->ptr_bits : FID_PTE_V);

		if (!fid_gstage_put(g, slot, ptr, next)) {
			return false;
		}
		table = next;
	}
	uint64_t slot = table + fid_vpn(levels, m->gpa, m->level) * 8;

	*leaf = slot;
	return fid_gstage_put(g, slot, fid_ppn_field(m->pa) | m->bits, 0);
}

bool fid_gstage_build(const struct fid_case *c, struct fid_gstage *g)
{
	/* The stubs' page, identity mapped so that VS and VU can run them. */
	static const struct fid_map stub_map =
		MAP(0, FID_PROBE_BASE, FID_PROBE_BASE, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
	unsigned int levels = fid_levels(c->hgatp_mode);
	uint64_t unused;

	g->hgatp = 0;
	g->count = 0;
	g->next_a = FID_POOL_A + FID_ROOT_SIZE;
	g->next_b = FID_POOL_B;
	if (c->nmaps > FID_MAX_MAPS) {
		return false;
	}
	if (c->hgatp_mode == FID_HGATP_BARE) {
		return c->nmaps == 0;
	}
	if (!fid_gstage_map(g, levels, &stub_map, true, &unused)) {
		return false;
	}
	for (size_t i = 0; i < c->nmaps; i++) {
		if (!fid_gstage_map(g, levels, &c->maps[i], false, &g->leaf[i])) {
			return false;
		}
	}
	g->hgatp = ((uint64_t)c->hgatp_mode << 60) | (FID_HGATP_VMID << 44) |
		   (FID_POOL_A >> FID_PAGE_SHIFT);
	return true;
}

/* -------------------------------------------------------- outcomes --- */

/* Exception causes of guest-page faults (hypervisor.adoc). */
#define FID_CAUSE_FETCH_GUEST_PAGE 20u
#define FID_CAUSE_LOAD_GUEST_PAGE  21u
#define FID_CAUSE_STORE_GUEST_PAGE 23u

static bool fid_cause_is_guest_page(uint64_t cause)
{
	return cause == FID_CAUSE_FETCH_GUEST_PAGE || cause == FID_CAUSE_LOAD_GUEST_PAGE ||
	       cause == FID_CAUSE_STORE_GUEST_PAGE;
}

struct fid_entry fid_mode_entry(enum fid_mode mode)
{
	struct fid_entry e = { .mstatus = 0, .mprv = 0, .mret = false };

	switch (mode) {
	case FID_MODE_MPRV_S:
		e.mstatus = FID_MSTATUS_MPP_S;
		e.mprv = FID_MSTATUS_MPRV;
		break;
	case FID_MODE_MPRV_U: e.mprv = FID_MSTATUS_MPRV; break;
	case FID_MODE_MPRV_VS:
		e.mstatus = FID_MSTATUS_MPP_S | FID_MSTATUS_MPV;
		e.mprv = FID_MSTATUS_MPRV;
		break;
	case FID_MODE_HS:
		e.mstatus = FID_MSTATUS_MPP_S;
		e.mret = true;
		break;
	case FID_MODE_U: e.mret = true; break;
	case FID_MODE_VS:
		e.mstatus = FID_MSTATUS_MPP_S | FID_MSTATUS_MPV;
		e.mret = true;
		break;
	case FID_MODE_VU:
		e.mstatus = FID_MSTATUS_MPV;
		e.mret = true;
		break;
	default: break; /* M: MPRV clear, a plain jump */
	}
	return e;
}

uint64_t fid_probe_clear_mask(const struct fid_case *c)
{
	uint64_t mask = FID_MSTATUS_MPP | FID_MSTATUS_MPV | FID_MSTATUS_MPRV;

	return (c->flags & FID_F_KEEP_GVA) ? mask : mask | FID_MSTATUS_GVA;
}

uint64_t fid_mode_ecall_cause(enum fid_mode mode)
{
	switch (mode) {
	case FID_MODE_HS: return 9;
	case FID_MODE_U:
	case FID_MODE_VU: return 8;
	case FID_MODE_VS: return 10;
	default: return 11; /* M, with or without MPRV */
	}
}

struct fid_outcome fid_outcome_of_trap(const struct fid_probe *p, const struct fid_trap *t)
{
	struct fid_outcome o = { 0 };

	if (t->cause == fid_mode_ecall_cause((enum fid_mode)p->mode)) {
		o.ok = true;
		o.value = p->op == FID_OP_FETCH ? t->a0 : p->op == FID_OP_LOAD ? t->a1 : 0;
		return o;
	}
	o.cause = t->cause;
	o.tval = t->tval;
	o.gva = (t->mstatus & FID_MSTATUS_GVA) != 0;
	if (fid_cause_is_guest_page(t->cause)) {
		o.gpa = t->tval2 << 2;
	}
	return o;
}

struct fid_outcome fid_outcome_value(uint64_t value)
{
	struct fid_outcome o = { 0 };

	o.ok = true;
	o.value = value;
	return o;
}

/* ------------------------------------------------------ transcript --- */

struct fid_buf {
	char *p;
	size_t len;
	size_t pos;
};

static void fid_put_char(struct fid_buf *b, char c)
{
	if (b->pos + 1 < b->len) {
		b->p[b->pos++] = c;
	}
}

static void fid_put_str(struct fid_buf *b, const char *s)
{
	while (*s) {
		fid_put_char(b, *s++);
	}
}

static void fid_put_hex(struct fid_buf *b, uint64_t v, unsigned int digits)
{
	static const char hex[] = "0123456789abcdef";

	fid_put_str(b, "0x");
	for (unsigned int i = digits; i > 0; i--) {
		fid_put_char(b, hex[(v >> (4 * (i - 1))) & 0xF]);
	}
}

static void fid_put_dec(struct fid_buf *b, uint64_t v)
{
	char digits[20];
	unsigned int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(digits));
	while (n) {
		fid_put_char(b, digits[--n]);
	}
}

static const char *fid_mode_name(unsigned int mode)
{
	static const char *const names[FID_MODES] = {
		[FID_MODE_M] = "m",	      [FID_MODE_MPRV_S] = "mprv-s",
		[FID_MODE_MPRV_U] = "mprv-u", [FID_MODE_MPRV_VS] = "mprv-vs",
		[FID_MODE_HS] = "hs",	      [FID_MODE_U] = "u",
		[FID_MODE_VS] = "vs",	      [FID_MODE_VU] = "vu",
	};

	return mode < FID_MODES ? names[mode] : "?";
}

static void fid_put_probe(struct fid_buf *b, const struct fid_probe *p)
{
	fid_put_str(b, fid_mode_name(p->mode));
	switch (p->op) {
	case FID_OP_LOAD:
	case FID_OP_STORE:
		fid_put_str(b, p->op == FID_OP_LOAD ? " ld" : " st");
		fid_put_dec(b, p->size);
		fid_put_char(b, ' ');
		fid_put_hex(b, p->addr, 16);
		break;
	case FID_OP_FETCH:
		fid_put_str(b, " fetch ");
		fid_put_hex(b, p->addr, 16);
		break;
	case FID_OP_PTE:
		fid_put_str(b, " pte map");
		fid_put_dec(b, p->arg);
		break;
	default:
		fid_put_str(b, " csr ");
		fid_put_hex(b, p->arg, 3);
		break;
	}
}

size_t fid_format(char *buf, size_t len, const struct fid_case *c, size_t n,
		  const struct fid_outcome *o)
{
	struct fid_buf b = { .p = buf, .len = len, .pos = 0 };

	if (len == 0) {
		return 0;
	}
	fid_put_str(&b, "fid ");
	fid_put_str(&b, c->id);
	fid_put_str(&b, " #");
	fid_put_dec(&b, n);
	fid_put_char(&b, ' ');
	fid_put_probe(&b, &c->probes[n]);
	if (o->ok) {
		fid_put_str(&b, " => ok");
		if (c->probes[n].op != FID_OP_STORE) {
			fid_put_char(&b, ' ');
			fid_put_hex(&b, o->value, 16);
		}
	} else {
		fid_put_str(&b, " => trap ");
		fid_put_dec(&b, o->cause);
		fid_put_str(&b, " tval=");
		fid_put_hex(&b, o->tval, 16);
		fid_put_str(&b, o->gva ? " gva=1" : " gva=0");
		if (fid_cause_is_guest_page(o->cause)) {
			fid_put_str(&b, " gpa=");
			fid_put_hex(&b, o->gpa, 16);
		}
	}
	buf[b.pos] = '\0';
	return b.pos;
}

size_t fid_format_end(char *buf, size_t len, unsigned int group)
{
	struct fid_buf b = { .p = buf, .len = len, .pos = 0 };

	if (len == 0) {
		return 0;
	}
	fid_put_str(&b, "fid-end ");
	fid_put_dec(&b, group);
	buf[b.pos] = '\0';
	return b.pos;
}
