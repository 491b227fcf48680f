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
#include "covemon/tap.h"

#define MON_MAGIC	UINT64_C(0x636f76656d6f6e31) /* "covemon1" */
#define MON_TSM_VERSION UINT32_C(0x00010000)	     /* 1.0 */
#define MON_MAX_VCPUS	8u			     /* per TVM (tsm_info.tvm_max_vcpus) */

/** Physical memory map derived from the platform at boot. */
#define MON_MAX_HOST_RANGES (2u * MON_MAX_REGIONS + 3u)

struct memmap {
	struct mon_region dram[MON_MAX_REGIONS];
	unsigned int dram_count;
	struct mon_region image;
	struct mon_region data;
	struct mon_region confidential;
	struct mon_region reserved[MON_MAX_REGIONS];
	unsigned int reserved_count;
	/* Host memory: each DRAM region minus every region above, in pieces
	 * (each region taken out splits at most one piece in two). */
	struct mon_region host[MON_MAX_HOST_RANGES];
	unsigned int host_count;
};

#define MON_MAX_TVMS	 8u
#define MON_MEASURE_REGS 6u /* 0,1 initial (image, configuration); 2..5 runtime */
#define MON_MAX_MMIO	 8u /* MMIO regions per TVM */
#define MON_MAX_SHARED	 8u /* shared regions per TVM */
#define MON_FDT_MAX	 (64u * 1024u)

/* Confidential page states; transitions only through pages_alloc/pages_free. */
enum page_state {
	PAGE_FREE = 0,
	PAGE_TVM_DATA,	 /* guest memory of a TVM */
	PAGE_TVM_PT,	 /* G-stage table page of a TVM */
	PAGE_TVM_META,	 /* monitor scratch owned by a TVM operation (FDT copy) */
	PAGE_TVM_SECRET, /* the TVM's secrets from its TAP (never mapped) */
};

/** One record per 4 KiB page of confidential memory. */
struct page_rec {
	uint8_t state; /* enum page_state */
	uint8_t owner; /* TVM id, 0 when free */
	uint16_t reserved;
};

enum vcpu_state {
	VCPU_NONE = 0, /* slot unused */
	VCPU_STOPPED,  /* HSM stopped */
	VCPU_RUNNABLE, /* started, not on a hart */
	VCPU_RUNNING,  /* on a hart right now */
	VCPU_DEAD,     /* shut down: run_tvm_vcpu fails */
};

/** What the vCPU's last exit asked the host for (decides what may be read back). */
enum vcpu_exit {
	EXIT_NONE = 0,
	EXIT_ECALL,	 /* forwarded ecall: host answers a0/a1 */
	EXIT_MMIO_LOAD,	 /* host answers the loaded value in a0 */
	EXIT_MMIO_STORE, /* nothing to read back */
	EXIT_SHARE,	 /* share_memory_region: host answers a host PA in a1 */
	EXIT_OTHER,	 /* interrupt, virtual instruction: nothing to read */
};

struct vcpu {
	uint8_t state;	    /* enum vcpu_state */
	uint8_t exit;	    /* enum vcpu_exit */
	uint8_t mmio_reg;   /* guest GPR of a pending MMIO load */
	uint8_t mmio_width; /* bytes */
	bool mmio_sign;
	hart_t hart; /* while VCPU_RUNNING */
	uint64_t pc;
	uint64_t x[32];
	struct hal_csr_image csr;
	bool pending_ipi;      /* a virtual IPI waits for this vCPU's hart */
	bool irq_all;	       /* COVG allow_external_interrupt(~0) */
	uint64_t irq_allowed;  /* allow list for external interrupt ids 0..63 */
	uint8_t pending_share; /* 1 + index of the reserved tvm->shared slot, 0 = none */
};

struct mmio_region {
	uint64_t gpa;
	uint64_t len;
};

struct tvm {
	uint8_t id;    /* 1..MON_MAX_TVMS; 0 = slot unused */
	uint8_t state; /* COVE_TVM_* */
	uint16_t vmid;
	uint8_t mode; /* hgatp MODE of the G-stage tables (Sv39x4...) */
	uint8_t vcpu_count;
	uint64_t root;	  /* G-stage root (16 KiB) */
	uint64_t mem_gpa; /* confidential GPA space from the FDT /memory node */
	uint64_t mem_size;
	bool shutdown;	/* SRST: no vCPU runs again */
	uint64_t pages; /* confidential pages owned (quota) */
	uint64_t quota;
	struct mmio_region mmio[MON_MAX_MMIO];
	struct mmio_region shared[MON_MAX_SHARED];
	uint8_t shared_pending; /* bit i: shared[i] reserved, waiting for the host's answer */
	uint8_t measure[MON_MEASURE_REGS][48];
	uint64_t secret;     /* PAGE_TVM_SECRET page, 0 without a TAP */
	uint16_t secret_len; /* bytes of secret records in it */
	struct vcpu vcpu[MON_MAX_VCPUS];
};

/** Per physical hart state. */
struct mon_hart {
	bool initialized;
	bool nacl_enabled;
	uint64_t nacl_shmem; /* host physical address of the 12 KiB area */
	/* While a vCPU runs here: who, and the host context to return to. */
	uint8_t run_tvm; /* 0 = the host runs */
	uint8_t run_vcpu;
	uint64_t host_x[32];
	uint64_t host_mepc;
	uint64_t host_mstatus;
	struct hal_csr_image host_csr;
};

struct mon {
	uint64_t magic;
	struct mon_platform plat;
	struct memmap map;
	struct mon_hart hart[MON_MAX_HARTS];
	struct tvm tvm[MON_MAX_TVMS];
	uint64_t page_count;	/* confidential pages */
	uint64_t first_free;	/* lowest free page index (a function of the records) */
	struct page_rec *pages; /* in the data region, after this struct */
	bool local_attestation; /* the platform gave a root secret: TAPs can be opened */
	struct tap_platform_key tap_key;
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

/**
 * The layout while a TVM runs: the monitor's memory and devices are closed,
 * confidential memory is left to the TVM's G-stage. With Smepmp it also
 * keeps M out of confidential memory, so the monitor runs under the host
 * layout (run.c switches on every guest trap).
 */
void pmp_tvm_layout(const struct mon *mon, struct hal_pmp_layout *out);

/* ---------------------------------------------------------- dispatch.c --- */

/**
 * Decodes the SBI call in @frame (a7 = EID, a6 = FID, a0..a5), runs its
 * handler if @caller may use it, and returns the result. Unknown EID/FID,
 * a caller without access, a FID that is not a sign-extended 32-bit value,
 * and non-zero CoVE SDID or reserved bits all give MON_ERR_NOT_SUPPORTED.
 */
struct sbi_result dispatch_ecall(struct mon *mon, hart_t hart, enum caller caller,
				 const struct mon_trap_frame *frame);

/**
 * Decodes the ecall in @frame for @caller into @call (same rules as
 * dispatch_ecall). Returns MON_OK or MON_ERR_NOT_SUPPORTED.
 */
MON_WUR mon_err_t dispatch_decode(const struct mon_trap_frame *frame, enum caller caller,
				  struct sbi_call *call);

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

/* ------------------------------------------------------------- pages.c --- */

/** Bytes of data region the page records of @conf_size bytes of confidential memory need. */
uint64_t pages_records_size(uint64_t conf_size);

/** Sets up the records (all free) at the data region's end of struct mon. */
void pages_init(struct mon *mon, struct page_rec *records, uint64_t count);

/**
 * Allocates @count contiguous free pages aligned to @align bytes for TVM
 * @owner in @state, within the TVM's quota. Pages are zero (I6). Returns
 * MON_OK with *@pa, or MON_ERR_OUT_OF_MEMORY (no room, quota, or the
 * platform's fault plan said so).
 */
MON_WUR mon_err_t pages_alloc(struct mon *mon, hart_t hart, struct tvm *owner,
			      enum page_state state, uint64_t count, uint64_t align, uint64_t *pa);

/** Scrubs and frees @count pages at @pa (owned by @owner). */
void pages_free(struct mon *mon, struct tvm *owner, uint64_t pa, uint64_t count);

/** Scrubs and frees every page @owner holds. */
void pages_free_owner(struct mon *mon, struct tvm *owner);

/** The record of confidential page @pa, or NULL outside confidential memory. */
const struct page_rec *pages_rec(const struct mon *mon, uint64_t pa);

/* ------------------------------------------------------------ gstage.c --- */

/** Allocates an empty root (16 KiB) for @tvm in hgatp MODE @mode. */
MON_WUR mon_err_t gstage_init(struct mon *mon, hart_t hart, struct tvm *tvm, unsigned int mode);

/**
 * Maps 4 KiB at @gpa to confidential or host page @pa with @perm (R/W/X
 * bits of a PTE; U, A, D and V are added), allocating table pages. Returns
 * MON_OK, MON_ERR_ALREADY_AVAILABLE (already mapped), MON_ERR_INVALID_ADDRESS
 * (GPA outside the mode's range), MON_ERR_OUT_OF_PTPAGES.
 */
MON_WUR mon_err_t gstage_map(struct mon *mon, hart_t hart, struct tvm *tvm, uint64_t gpa,
			     uint64_t pa, uint64_t perm);

/** Looks up the 4 KiB leaf of @gpa: true with its PA and PTE. */
bool gstage_lookup(const struct mon *mon, const struct tvm *tvm, uint64_t gpa, uint64_t *pa,
		   uint64_t *pte);

/** Removes the leaf of @gpa (no table is freed); true with its PA and R/W/X bits. */
bool gstage_unmap(struct mon *mon, struct tvm *tvm, uint64_t gpa, uint64_t *pa, uint64_t *perm);

/**
 * Maps @gpa again right after gstage_unmap removed it: its tables exist, so
 * this cannot fail (a failure is a monitor bug and panics).
 */
void gstage_remap(struct mon *mon, hart_t hart, struct tvm *tvm, uint64_t gpa, uint64_t pa,
		  uint64_t perm);

/** Page-table levels of (hgatp or vsatp) MODE @mode: 3, 4, 5, or 0 when unsupported. */
unsigned int gstage_levels(unsigned int mode);

/** Highest GPA + 1 of hgatp MODE @mode (2^41, 2^50, 2^59), 0 for others. */
uint64_t gstage_gpa_limit(unsigned int mode);

/* ------------------------------------------------------------- tvm.c --- */

/** The TVM with id @id, or NULL. */
struct tvm *tvm_get(struct mon *mon, uint64_t id);

/** A free TVM slot with its id, VMID and quota set, or NULL (no slot). */
struct tvm *tvm_alloc(struct mon *mon);

/**
 * Fences the TVM's VMID on every hart, scrubs and frees all its pages and
 * clears the slot (also the rollback of a failed promote).
 */
void tvm_release(struct mon *mon, hart_t hart, struct tvm *tvm);

/** Every hart the monitor manages. */
hartmask_t tvm_all_harts(const struct mon *mon);

/* ----------------------------------------------------------- measure.c --- */

/** Extends register @reg of @tvm with @data: reg = SHA-384(reg || data). */
void measure_extend(struct tvm *tvm, unsigned int reg, const void *data, size_t len);

/* ----------------------------------------------------------- promote.c --- */

struct sbi_result promote_to_tvm(struct mon *mon, hart_t hart, const struct sbi_call *call);

/* --------------------------------------------------------------- run.c --- */

/**
 * run_tvm_vcpu from the host: switches the hart to the vCPU (frame, CSR
 * image, PMP). Returns MON_ACTION_ENTER_VCPU, or MON_ACTION_RESUME with the
 * error already in the frame.
 */
enum mon_action run_tvm_vcpu(struct mon *mon, hart_t hart, struct mon_trap_frame *frame);

/** A trap from the vCPU running on @hart (MPV=1). */
enum mon_action run_guest_trap(struct mon *mon, hart_t hart, struct mon_trap_frame *frame);

/** destroy_tvm: fails while a vCPU runs. */
struct sbi_result tvm_destroy(struct mon *mon, hart_t hart, const struct sbi_call *call);

/* vsstatus bits a guest owns (SIE SPIE UBE SPP SUM MXR UXL). */
#define RUN_VSSTATUS_WRITABLE                                                                    \
	(UINT64_C(0x2) | UINT64_C(0x20) | UINT64_C(0x40) | UINT64_C(0x100) | UINT64_C(0x40000) | \
	 UINT64_C(0x80000) | (UINT64_C(3) << 32))

/** Puts @v in the reset state: zero registers and the TVM's CSR image (hgatp, delegation). */
void run_vcpu_reset(const struct mon *mon, const struct tvm *tvm, struct vcpu *v);

/** A guest call completed by the monitor and reported to the host as an exit. */
struct run_notify {
	uint64_t reveal[8]; /* a0..a7 as the host sees them in NACL scratch */
	bool dead;	    /* the vCPU (or the whole TVM) stopped for good */
	uint8_t answer;	    /* enum vcpu_exit: what the next run reads back */
};

/** Exits to the host after a guest ecall the monitor completed (guest a0/a1 set in @frame). */
enum mon_action run_exit_notify(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
				struct tvm *tvm, struct vcpu *v, const struct run_notify *n);

/* ------------------------------------------------------------- guest.c --- */

/** An ecall from the vCPU running on @hart. */
enum mon_action guest_ecall(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
			    struct tvm *tvm, struct vcpu *v);

/** Applies pending virtual IPIs to @v running on @hart; true when there were any. */
bool guest_ipi_deliver(struct mon *mon, hart_t hart, struct vcpu *v);

/* -------------------------------------------------------------- covg.c --- */

/** COVG for the vCPU running on @hart; fills @n when the call exits to the host. */
struct sbi_result covg_handle(struct mon *mon, hart_t hart, struct tvm *tvm, struct vcpu *v,
			      const struct sbi_call *call, struct run_notify *n, bool *notify);

/** Completes a share_memory_region with the host's answer (a host PA). */
MON_WUR mon_err_t covg_complete_share(struct mon *mon, hart_t hart, struct tvm *tvm, struct vcpu *v,
				      uint64_t host_pa);

/* --------------------------------------------------- memaccess (guest) --- */

/**
 * Copies between monitor memory and the TVM's confidential memory at @gpa,
 * page by page through the TVM's G-stage tables; every page must be a
 * confidential page of @tvm with the needed permission. Returns MON_OK or
 * MON_ERR_INVALID_ADDRESS.
 */
MON_WUR mon_err_t memaccess_guest_read(const struct mon *mon, const struct tvm *tvm, uint64_t gpa,
				       void *dst, uint64_t len);
MON_WUR mon_err_t memaccess_guest_write(struct mon *mon, const struct tvm *tvm, uint64_t gpa,
					const void *src, uint64_t len);

/**
 * Fetches the instruction at guest virtual address @va of @v: VS-stage
 * (vsatp) then G-stage walk in software. Returns MON_OK with 16 or 32 bits
 * in *@insn, or MON_ERR_INVALID_ADDRESS.
 */
MON_WUR mon_err_t memaccess_guest_fetch(const struct mon *mon, const struct tvm *tvm,
					const struct vcpu *v, uint64_t va, uint32_t *insn);
