/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor core's entry points, called by the arch layer (firmware) or
 * by the host shim. The core never switches worlds itself: a trap enters as
 * mon_trap(), the core edits the trap frame (and, through the HAL, the CSR
 * image of the hart), and the caller restores the frame and executes mret.
 */
#pragma once

#include "covemon/err.h"
#include "covemon/types.h"

#define MON_MAX_REGIONS 8
#define MON_MAX_DEVICES 4 /* mon_platform.mmio_private, mmio_shared */

/** A physical address range [base, base + size). */
struct mon_region {
	uint64_t base;
	uint64_t size;
};

/* Platform features (mon_platform.features). */
#define MON_FEAT_SSTC	(UINT64_C(1) << 0) /* stimecmp/vstimecmp */
#define MON_FEAT_SMEPMP (UINT64_C(1) << 1) /* mseccfg MML/MMWP/RLB */
#define MON_FEAT_FP	(UINT64_C(1) << 2) /* F and D: FP state is switched */

/**
 * What the platform layer knows when the monitor boots: from the device
 * tree and the linker on the firmware, from the world config in the shim.
 */
#define MON_MAX_PLAT_EXTS 16 /* mon_platform.host_sbi_ext */

struct mon_platform {
	struct mon_region dram[MON_MAX_REGIONS];
	unsigned int dram_count;
	/*
	 * The monitor's image: code, then read-only data, then the platform
	 * runtime's own data (its stacks and state). With Smepmp the PMP binds
	 * M-mode to exactly that: code executable and never writable, read-only
	 * data only readable, data never executable (W^X).
	 */
	struct mon_region image;
	uint64_t image_text_size;   /* [image.base, + this): code */
	uint64_t image_rodata_size; /* then read-only data; the rest of image is data */
	struct mon_region data;	    /* monitor writable data: struct mon, page records */
	/*
	 * Devices as naturally aligned power-of-two ranges (one NAPOT entry
	 * each): the runtime's own (ACLINT, power-off), closed to S and U, and
	 * those it shares with the host (console), which M reaches under
	 * Smepmp only through a shared-region rule.
	 */
	struct mon_region mmio_private[MON_MAX_DEVICES];
	unsigned int mmio_private_count;
	struct mon_region mmio_shared[MON_MAX_DEVICES];
	unsigned int mmio_shared_count;
	struct mon_region reserved[MON_MAX_REGIONS]; /* firmware-reserved, never host memory */
	unsigned int reserved_count;
	uint64_t confidential_size; /* bytes of DRAM to carve as confidential memory */
	uint64_t tvm_quota_pages;   /* confidential pages one TVM may own; 0 = all */
	unsigned int harts;	    /* 1..MON_MAX_HARTS */
	unsigned int pmp_count;	    /* PMP entries every hart implements */
	unsigned int vmid_bits;	    /* VMIDLEN */
	uint64_t features;	    /* MON_FEAT_* */
	uint64_t mvendorid;	    /* reported by Base (the hart's CSR values) */
	uint64_t marchid;
	uint64_t mimpid;
	/*
	 * Root secret of local attestation (abi/tap.h derives the TAP keys from
	 * it); all zeros: the platform has none, and promote refuses every TAP.
	 * mon_boot keeps only the derived keys; the platform wipes its copy.
	 */
	uint8_t attestation_root[32];
	/*
	 * SBI extensions the platform's own runtime serves the host (TIME, IPI,
	 * HSM... on the firmware; none on the shim). Base.probe_extension from
	 * the host answers 1 for them as for the monitor's own.
	 */
	uint64_t host_sbi_ext[MON_MAX_PLAT_EXTS];
	unsigned int host_sbi_ext_count;
};

/** The monitor instance; lives in the platform's data region. */
struct mon;

/**
 * State of a hart when it trapped into the monitor, as the arch layer saved
 * it. mepc and mstatus are written back last, so the core chooses where
 * mret returns to (and in which mode) by editing them.
 */
struct mon_trap_frame {
	uint64_t x[32];
	uint64_t mepc;
	uint64_t mstatus;
	uint64_t mcause;
	uint64_t mtval;
	uint64_t mtval2;
	uint64_t mtinst;
};

/** What the caller of mon_trap does next (all return through mret). */
enum mon_action {
	MON_ACTION_RESUME,	 /* return to the context that trapped */
	MON_ACTION_ENTER_VCPU,	 /* the frame now holds a vCPU: enter VS-mode */
	MON_ACTION_EXIT_TO_HOST, /* the frame now holds the host: return to HS-mode */
};

/**
 * Boots the monitor on @boot_hart: validates @plat, carves confidential
 * memory, places the monitor's state in plat->data and stores the instance
 * in *@out. Other harts then call mon_hart_init.
 * Returns MON_OK, MON_ERR_INVALID_PARAM for an inconsistent platform
 * (overlapping regions, no room for confidential memory, data region too
 * small for the page records), MON_ERR_DENIED_LOCKED when the boot hart's
 * PMP cannot be programmed.
 */
MON_WUR mon_err_t mon_boot(hart_t boot_hart, const struct mon_platform *plat, struct mon **out);

/**
 * Brings @hart under the monitor: writes its full PMP for host context.
 * Returns MON_OK, MON_ERR_INVALID_PARAM for a hart out of range,
 * MON_ERR_DENIED_LOCKED when its PMP cannot be programmed: the monitor then
 * stops serving that hart (its traps are only reflected to S-mode, no TVM
 * runs there) and the platform must not run the host on it.
 */
MON_WUR mon_err_t mon_hart_init(struct mon *mon, hart_t hart);

/**
 * True when [@base, @base + @len) is host memory: what the platform's runtime
 * may read or write for the host (SBI DBCN buffers, HSM start addresses).
 */
bool mon_is_host_memory(const struct mon *mon, uint64_t base, uint64_t len);

/** Handles a trap taken into M-mode on @hart; edits @frame in place. */
enum mon_action mon_trap(struct mon *mon, hart_t hart, struct mon_trap_frame *frame);
