/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal to fuzz/common: the engine's per-configuration world. */
#pragma once

#include "harness.h"

#define FUZZ_CONF_PAGES_MAX 2048u /* 8 MiB of confidential memory */
#define FUZZ_TVMS	    8u	  /* TVM ids 1..8 */

struct fuzz_slot {
	bool built;
	uint64_t fdt_gpa;
	uint64_t entry;
	uint64_t tap_gpa; /* 0: the image has no TAP */
};

/* What one walk of every TVM's tables found (see oracle.c). */
struct fuzz_walk {
	bool valid;
	struct fuzz_walk_key {
		uint64_t root; /* 0: no TVM with this id */
		unsigned int mode;
	} key[FUZZ_TVMS];		    /* by TVM id - 1 */
	uint64_t data[FUZZ_TVMS + 1];	    /* distinct confidential data pages each TVM reaches */
	uint64_t tables[FUZZ_TVMS + 1];	    /* table pages each TVM's walk went through */
	uint8_t state[FUZZ_CONF_PAGES_MAX]; /* MON_PAGE_TVM_DATA / _PT where reached, else 0 */
	uint8_t owner[FUZZ_CONF_PAGES_MAX]; /* the TVM that reaches it */
	/* Per TVM id, [first, end) of the page indexes its walk reached (a superset of
	 * its pages in owner[]): what forgetting it must clear. */
	uint16_t span[FUZZ_TVMS + 1][2];
};

/*
 * What the incremental oracle last found good, so that after an operation it
 * recomputes only what that operation could have changed. Restored to the
 * prepared state's copy before every input (the world's memory is too).
 */
struct fuzz_oracle_cache {
	bool valid; /* false: recompute everything, then fill the cache */
	uint64_t rec[FUZZ_CONF_PAGES_MAX / 2]; /* page records as last checked (two per word) */
	/* Of those records, per owner (a TVM id): data, table, secret and scratch pages. */
	uint32_t owned[FUZZ_TVMS + 1][4];
	struct fuzz_walk walk;
	uint64_t walk_gen; /* bumped when the tables may have changed (TLB verdicts go stale) */
	uint64_t entries;  /* w->monitor_entries when the records were last compared */
	struct fuzz_tlb_ok {
		bool valid;
		bool guest;
		uint64_t hgatp;
		uint64_t walk_gen;
		uint64_t stamp; /* shim_tlb.stamp */
	} tlb[FUZZ_MAX_HARTS];	/* per hart: TLB contents found good, in that context */
};

/* One verdict of the oracle: the first invariant found broken, if any. */
struct fuzz_verdict {
	const char *invariant; /* NULL: every invariant held */
	char detail[160];
};

/** How fuzz_oracle_check computes its verdict (COVEMON_FUZZ_ORACLE). */
enum fuzz_oracle_mode {
	FUZZ_ORACLE_INCREMENTAL, /* default: only what the operation could have changed */
	FUZZ_ORACLE_FULL,	 /* everything, every time ("full") */
	FUZZ_ORACLE_CROSS,	 /* both, and they must agree ("cross") */
};
extern enum fuzz_oracle_mode fuzz_oracle_mode;

/* What BUILD_VM sealed into a TAP: the secret's name (unique in an input) and the digests. */
struct fuzz_sealed {
	uint64_t name;
	unsigned int mask; /* bit r: digest[r] was sealed for MR r */
	uint8_t digest[2][48];
};

struct fuzz_world {
	struct shim_world *w;
	struct mon *mon;
	struct mon_platform plat;
	struct mon_region conf;
	uint64_t host_base;
	unsigned int harts;
	uint64_t nacl[FUZZ_MAX_HARTS];
	struct fuzz_slot slot[FUZZ_VM_SLOTS];
	uint64_t tvm_ids[8];
	unsigned int ntvm;
	struct fuzz_sealed sealed[FUZZ_MAX_OPS]; /* at most one TAP per BUILD_VM */
	unsigned int nsealed;			 /* none in a prepared state */
	struct shim_fault_plan plan;
	bool host_saved[FUZZ_MAX_HARTS];
	uint64_t host_x[FUZZ_MAX_HARTS][32];
	/* What the prepared state left (restored before every input). */
	struct fuzz_slot prep_slot[FUZZ_VM_SLOTS];
	uint64_t prep_tvm_ids[8];
	unsigned int prep_ntvm;
	bool prep_host_saved[FUZZ_MAX_HARTS];
	uint64_t prep_host_x[FUZZ_MAX_HARTS][32];
	/* Oracle caches (zeroed: nothing known, the next check recomputes everything). */
	struct fuzz_pmp_ok {
		bool valid;
		bool virt;
		struct shim_pmp pmp;
	} pmp_ok[4]; /* PMP images already found good, by context (host or guest) */
	unsigned int pmp_ok_next;
	struct fuzz_pmp_ok pmp_last[FUZZ_MAX_HARTS]; /* each hart's image last found good */
	struct fuzz_oracle_cache cache;
	struct fuzz_oracle_cache *prep_cache; /* the cache as the snapshot left it */
	struct fuzz_cache_log {
		bool all;     /* everything (the cache was rebuilt) */
		bool walk;    /* the walk was redone */
		bool rec_all; /* more record words than the list holds */
		uint8_t tlb;  /* harts whose TLB verdict was stored */
		unsigned int nrec;
		uint32_t rec[64]; /* record words that changed */
	} log;			  /* what changed in the cache since it was last restored */
	uint64_t poisoned[FUZZ_CONF_PAGES_MAX / 64]; /* free pages the oracle ASan-poisoned */
	uint32_t changed[FUZZ_CONF_PAGES_MAX];	     /* scratch: pages whose record changed */
	struct fuzz_walk walk_full;		     /* scratch: a walk from scratch */
	/* I7: the monitor's bytes before a host call (state_ref), valid while the
	 * monitor has not run since (state_entries = w->monitor_entries). */
	const uint8_t *state_now; /* the monitor's state in emulated DRAM */
	const uint8_t *state_ref;
	uint64_t state_entries;
	uint8_t *state_prep; /* as the snapshot left it */
	size_t state_len;
	uint8_t state_before[256 * 1024];
};

/** The value an argument names in @fw (see harness.h for the tags). */
uint64_t fuzz_arg_value(const struct fuzz_world *fw, const struct fuzz_arg *a);

/** BUILD_VM: an image in slot op->slot with defect op->flaw, reflected in hart @h's NACL;
 *  with a TAP when MODE bit 3 asks and @tap allows (format version 2). */
void fuzz_build_vm(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, bool tap);

/** Prints one operation in the text form. */
void fuzz_print_op(const struct fuzz_op *op, void *file);

/**
 * Computes the oracle's verdict on @fw after operation @op_index in @mode
 * (FUZZ_ORACLE_CROSS: the incremental verdict, after checking that the full
 * one agrees) into @v. Returns true when every invariant held. Aborts only
 * when the two modes disagree.
 */
bool fuzz_oracle_verdict(struct fuzz_world *fw, unsigned int op_index, enum fuzz_oracle_mode mode,
			 struct fuzz_verdict *v);

/**
 * Checks the snapshot's state and makes what the oracle found the cache every
 * input starts from (after the snapshot that inputs reset to).
 */
void fuzz_oracle_save_prepared(struct fuzz_world *fw);

/** Restores the cache fuzz_oracle_save_prepared saved (after the world reset). */
void fuzz_oracle_restore_prepared(struct fuzz_world *fw);

/**
 * The world of configuration byte @config (created, booted, prepared and
 * snapshotted on first use), not yet reset. For tests of the engine.
 */
struct fuzz_world *fuzz_world_for(uint8_t config);

/**
 * A1 attestation binding, after TVM @id was promoted by operation @i: when it
 * holds secrets, they are a TAP's this input sealed, and its measurements
 * equal every digest sealed with them. Aborts (fuzz_fail) when not.
 */
void fuzz_check_attestation(struct fuzz_world *fw, unsigned int i, uint64_t id);

/**
 * Returns @fw to the prepared state its inputs start from: the world's
 * snapshot, the engine's bookkeeping and the oracle's cache.
 */
void fuzz_reset(struct fuzz_world *fw);

/**
 * Performs operation @i of @in on @fw, with the engine's own checks (return
 * codes, I7, I8) but not the oracle.
 */
void fuzz_perform(struct fuzz_world *fw, const struct fuzz_input *in, unsigned int i);

/** Copies @n bytes (a multiple of 8) without ASan's checks: emulated DRAM and harness buffers. */
void fuzz_raw_copy(void *dst, const void *src, size_t n);

/** Compares @n bytes (a multiple of 8) without ASan's checks; true when equal. */
