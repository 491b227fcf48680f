/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VM manifests: what a hypervisor builds before promote_to_tvm, written as
 * a small line-based text file (docs/tap.md, "Manifest"). Parsing reads the
 * files the manifest names, checks everything the monitor would refuse or
 * that would make the prediction ambiguous (overlaps, unmapped loads, a bad
 * FDT, a TAP window that is not mapped or not zero), and leaves a
 * description that predict.h measures and a test hypervisor can build.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define MANIFEST_PAGE_SIZE  4096u
#define MANIFEST_MAX_RANGES 64u
#define MANIFEST_MAX_LOADS  64u
#define MANIFEST_MAX_LINE   1024u
#define MANIFEST_MAX_SIZE   (1u << 20)		  /* the manifest itself */
#define MANIFEST_MAX_LOAD   (UINT64_C(256) << 20) /* one loaded file */
/* All mapped ranges together: beyond this, hashing the image takes too long to be useful. */
#define MANIFEST_MAX_MAPPED (UINT64_C(16) << 30)
/* What the monitor accepts (tsm_info.tvm_max_vcpus; its FDT bound). */
#define MANIFEST_MAX_VCPUS 8u
#define MANIFEST_MAX_FDT   (64u * 1024u)
/* Leaf permission bits as in a G-stage PTE (abi/measure.h: R 0x2, W 0x4, X 0x8). */
#define MANIFEST_PERM_R 0x2u
#define MANIFEST_PERM_W 0x4u
#define MANIFEST_PERM_X 0x8u

/** A mapped GPA range: 4 KiB aligned, all its pages with @perm. */
struct manifest_range {
	uint64_t gpa;
	uint64_t size;
	uint64_t perm; /* MANIFEST_PERM_* */
	unsigned int line;
};

/** A file's bytes at a GPA (the FDT is one of them). */
struct manifest_load {
	uint64_t gpa;
	uint8_t *data;
	size_t len;
	char *path; /* as resolved from the manifest's directory */
	unsigned int line;
};

struct manifest {
	unsigned int mode;   /* hgatp MODE: 8 Sv39x4, 9 Sv48x4, 10 Sv57x4 */
	unsigned int levels; /* 3, 4, 5 */
	uint64_t gpa_limit;  /* 2^41, 2^50, 2^59 */
	unsigned int nranges;
	struct manifest_range range[MANIFEST_MAX_RANGES]; /* ascending, disjoint */
	unsigned int nloads;
	struct manifest_load load[MANIFEST_MAX_LOADS]; /* ascending, disjoint */
	uint64_t fdt_gpa;
	uint32_t fdt_size;  /* the FDT header's totalsize */
	unsigned int vcpus; /* cpu nodes under /cpus */
	uint64_t mem_gpa;   /* the FDT's /memory */
	uint64_t mem_size;
	uint64_t entry; /* the boot vCPU's sepc */
	uint64_t x[32]; /* boot vCPU GPRs (x[0] unused) */
	uint64_t vsatp; /* as written: the monitor sanitises them (predict.h) */
	uint64_t vsstatus;
	uint64_t vstvec;
	uint8_t identity[64]; /* zero when none */
	bool have_identity;
	bool have_tap;
	uint64_t tap_gpa;
	uint64_t tap_size; /* bytes kept mapped and zero for the TAP */
	uint64_t mapped;   /* bytes in all ranges */
};

/**
 * Parses the manifest file @path into @m (which manifest_free releases,
 * also after a failure). False with "PATH:LINE: problem" (or "PATH:
 * problem" for the manifest as a whole) in @why.
 */
__attribute__((warn_unused_result)) bool manifest_parse(const char *path, struct manifest *m,
							struct util_why *why);

/** Releases the files @m holds and zeroes it. */
void manifest_free(struct manifest *m);

/**
 * The contents of the mapped page at @gpa (4 KiB aligned) as the hypervisor
 * builds it: zero, with the loaded files' bytes where they lie.
 */
void manifest_page(const struct manifest *m, uint64_t gpa, uint8_t page[MANIFEST_PAGE_SIZE]);

/**
 * Finds the GPR named @name: "x1".."x31" or an ABI name ("ra", "sp", "a0",
 * "s0"/"fp", "t6", ...). Returns 1..31, or 0 for x0/"zero" or an unknown
 * name.
 */
unsigned int manifest_gpr(const char *name);
