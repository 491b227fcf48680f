/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal to the monitor core: the monitor's state and the interfaces
 * between core modules. Nothing outside monitor/src includes this file.
 *
 * Lock order (for the multi-hart firmware): mon->lock, then per-TVM locks in
 * increasing id order, then per-vCPU. Handlers follow
 * decode -> lock -> check (allocate everything) -> commit (cannot fail), so
 * an error return leaves the state as it was.
 */
#pragma once

#include "covemon/hal.h"
#include "covemon/mon.h"

#define MON_MAGIC	UINT64_C(0x636f76656d6f6e31) /* "covemon1" */
#define MON_TSM_VERSION UINT32_C(0x00010000)	     /* 1.0 */
#define MON_MAX_VCPUS	16u			     /* per TVM (tsm_info.tvm_max_vcpus) */

/** Physical memory map derived from the platform at boot. */
struct memmap {
	struct mon_region dram[MON_MAX_REGIONS];
	unsigned int dram_count;
	struct mon_region image;
	struct mon_region data;
	struct mon_region confidential;
	struct mon_region reserved[MON_MAX_REGIONS];
	unsigned int reserved_count;
};

/** Per physical hart state. */
struct mon_hart {
	bool initialized;
	bool nacl_enabled;
	uint64_t nacl_shmem; /* host physical address of the 12 KiB area */
};

struct mon {
	uint64_t magic;
	struct mon_platform plat;
	struct memmap map;
	struct mon_hart hart[MON_MAX_HARTS];
};

/** Who made an ecall: the untrusted host (HS) or a confidential guest (VS). */
enum caller {
	CALLER_HOST = 1u << 0,
	CALLER_TVM = 1u << 1,
};

/** Result of an SBI handler: error (a0) and value (a1). */
struct sbi_result {
	mon_err_t err;
	uint64_t value;
};

/** Arguments of an SBI call after decoding (a0..a5 and the function). */
struct sbi_call {
	uint64_t eid;
	uint32_t fid;
	uint64_t arg[6];
};

/* ------------------------------------------------------------ memmap.c --- */

/**
 * Validates @plat and builds @map, carving plat->confidential_size bytes of
 * DRAM for confidential memory. Returns MON_OK or MON_ERR_INVALID_PARAM.
 */
MON_WUR mon_err_t memmap_init(const struct mon_platform *plat, struct memmap *map);

/**
 * True when [@base, @base + @len) is host memory: inside one DRAM region and
 * disjoint from the monitor image, monitor data, confidential memory and
 * reserved regions. A wrapping or empty range is not host memory.
 */
bool memmap_is_host(const struct memmap *map, uint64_t base, uint64_t len);

/** True when [@base, @base + @len) lies inside confidential memory. */
bool memmap_is_confidential(const struct memmap *map, uint64_t base, uint64_t len);

/* --------------------------------------------------------- memaccess.c --- */

/**
 * Copies from host memory: validates the range as host memory first, then
 * reads it once through the HAL. Returns MON_OK, MON_ERR_INVALID_ADDRESS
 * (not host memory, or the access faulted).
 */
MON_WUR mon_err_t memaccess_host_read(const struct mon *mon, hart_t hart, uint64_t pa, void *dst,
				      size_t len);

/** As memaccess_host_read, writing. */
MON_WUR mon_err_t memaccess_host_write(const struct mon *mon, hart_t hart, uint64_t pa,
				       const void *src, size_t len);

/* --------------------------------------------------------------- pmp.c --- */

/**
 * The PMP layout of a hart while the host runs: S/U may not touch the
 * monitor image, monitor data or confidential memory; everything else is
 * open to S/U (DESIGN.md section 3).
 */
void pmp_host_layout(const struct mon *mon, struct hal_pmp_layout *out);

/** The layout while a TVM runs: only the monitor image and data are closed. */
void pmp_tvm_layout(const struct mon *mon, struct hal_pmp_layout *out);

/** Number of PMP entries the layouts use (mon_boot checks the platform has them). */
#define PMP_ENTRIES_USED 7u

/* ---------------------------------------------------------- dispatch.c --- */

/**
 * Decodes the SBI call in @frame (a7 = EID, a6 = FID, a0..a5), runs its
 * handler if @caller may use it, and returns the result. Unknown EID/FID,
 * a caller without access, a FID that is not a sign-extended 32-bit value,
 * and non-zero CoVE SDID or reserved bits all give MON_ERR_NOT_SUPPORTED.
 */
struct sbi_result dispatch_ecall(struct mon *mon, hart_t hart, enum caller caller,
				 const struct mon_trap_frame *frame);

/** True when @caller may use extension @eid (Base.probe_extension). */
bool dispatch_probe(uint64_t eid, enum caller caller);

/** The SBI error code for @err: internal codes become MON_ERR_FAILED. */
int64_t dispatch_err_to_sbi(mon_err_t err);

/* ----------------------------------------------------- one per extension --- */

struct sbi_result base_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call);
struct sbi_result nacl_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call);
struct sbi_result covh_handle(struct mon *mon, hart_t hart, enum caller caller,
			      const struct sbi_call *call);
