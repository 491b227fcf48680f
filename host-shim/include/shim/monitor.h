/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor core running on an emulated world: what the firmware's arch
 * layer does on real harts (boot the core, turn traps into mon_trap calls,
 * restore the frame and mret), done for the shim. Tests, fuzz targets and
 * attack scenarios act as the host or a guest through these functions.
 */
#pragma once

#include "covemon/mon.h"
#include "shim/world.h"

/** Where the monitor lives in the world's DRAM. */
struct shim_mon_config {
	uint64_t image_size;	      /* monitor image at the DRAM base */
	uint64_t data_size;	      /* monitor data right after the image */
	uint64_t confidential_size;   /* carved by the monitor from the top of DRAM */
	uint64_t tvm_quota_pages;     /* per-TVM page quota; 0 = all of confidential memory */
	uint8_t attestation_root[32]; /* the platform's root secret; zeros = none */
	/* SBI extensions a platform runtime would serve the host (none on the shim). */
	uint64_t host_sbi_ext[MON_MAX_PLAT_EXTS];
	unsigned int host_sbi_ext_count;
};

/* The default root secret of shim worlds: public, for tests, seeds and demos only. */
#define SHIM_DEV_ATTESTATION_ROOT "covemon-shim-insecure-dev-root!!"

/**
 * Defaults: 256 KiB image, 256 KiB data, 8 MiB confidential memory, the
 * development attestation root SHIM_DEV_ATTESTATION_ROOT.
 */
void shim_mon_config_default(struct shim_mon_config *cfg);

/** The platform shim_mon_boot describes to the monitor for @world and @cfg. */
void shim_mon_platform(const struct shim_world *world, const struct shim_mon_config *cfg,
		       struct mon_platform *plat);

/**
 * Binds @world to the HAL, describes it to the monitor (stores the platform
 * in *@plat when not NULL), boots the monitor on hart 0, brings up every
 * other hart and leaves them all in HS-mode as the host would be after the
 * firmware handed over. Returns NULL with a reason in *@why on failure.
 */
struct mon *shim_mon_boot(struct shim_world *world, const struct shim_mon_config *cfg,
			  struct mon_platform *plat, const char **why);

/**
 * Hands the trap @hart has just taken into M-mode to the monitor: builds the
 * trap frame from the hart, calls mon_trap, writes the frame back, mret.
 */
enum mon_action shim_mon_deliver(struct shim_world *world, struct mon *mon, unsigned int hart);

/** An SBI call's outcome as the caller sees it in a0/a1. */
struct shim_sbiret {
	bool reached_monitor; /* false: the ecall was delegated away from M */
	int64_t error;
	uint64_t value;
};

/**
 * The software on @hart (the host in HS, or a guest in VS) executes ecall
 * with a7 = @eid, a6 = @fid and a0..a5 = @args; the monitor handles it.
 */
struct shim_sbiret shim_mon_ecall(struct shim_world *world, struct mon *mon, unsigned int hart,
				  uint64_t eid, uint64_t fid, const uint64_t args[6]);

/** What became of a guest's load or store (see shim_mon_guest_access). */
enum shim_guest_outcome {
	SHIM_GUEST_DONE,    /* the access completed (possibly after the monitor fixed a fault) */
	SHIM_GUEST_EXITED,  /* the monitor exited to the host (the hart is in HS now) */
	SHIM_GUEST_TRAPPED, /* a trap went to the guest's own handler, or elsewhere */
};

/**
 * The guest on @hart (in VS or VU) executes a load (@store false) into GPR
 * @reg, or a store of GPR @reg, of @size bytes at @addr. A fault taken into
 * M-mode is delivered to the monitor; when the monitor resumes the guest at
 * the same pc the access is retried (demand-zero paging). With @with_tinst
 * the hart reports the transformed instruction in mtinst, as hardware may;
 * without, mtinst is 0 and the monitor must fetch the instruction itself.
 * A completed access advances pc by 4; a completed load writes GPR @reg.
 */
enum shim_guest_outcome shim_mon_guest_access(struct shim_world *world, struct mon *mon,
					      unsigned int hart, bool store, uint64_t addr,
					      unsigned int size, unsigned int reg, bool with_tinst);

/** Delivers @hart's pending interrupt, if any, to whoever takes it (the monitor for M). */
bool shim_mon_interrupt(struct shim_world *world, struct mon *mon, unsigned int hart);
