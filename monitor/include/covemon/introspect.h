/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read-only views of the monitor's state for tests, fuzz oracles and attack
 * scenarios. Nothing here changes state; the firmware links it too (it is
 * small) but only host programs call it.
 */
#pragma once

#include "covemon/mon.h"
#include "covemon/sha384.h"

/** The confidential memory region mon_boot carved. */
struct mon_region mon_introspect_confidential(const struct mon *mon);

/** The monitor image and data regions as the monitor uses them. */
struct mon_region mon_introspect_image(const struct mon *mon);
struct mon_region mon_introspect_data(const struct mon *mon);

/**
 * The NACL shared memory of @hart: true and its address when enabled.
 * False for a disabled area or a hart out of range.
 */
bool mon_introspect_nacl(const struct mon *mon, hart_t hart, uint64_t *pa);

/** A TVM as tests and oracles see it. */
struct mon_tvm_view {
	uint64_t id;
	unsigned int state; /* COVE_TVM_* */
	unsigned int vmid;
	unsigned int vcpu_count;
	unsigned int hgatp_mode; /* of the monitor's tables */
	uint64_t hgatp;		 /* what the TVM's vCPUs run with */
	uint64_t root;		 /* host PA of the 16 KiB root */
	uint64_t pages;		 /* confidential pages it owns */
	uint64_t mem_gpa;	 /* confidential GPA space (FDT /memory) */
	uint64_t mem_size;
	uint64_t secret; /* host PA of the page holding its TAP's secrets, 0 without */
	uint8_t measure[6][48];
};

/** vCPU states (mon_vcpu_view.state). */
enum mon_vcpu_view_state {
	MON_VCPU_NONE,
	MON_VCPU_STOPPED,
	MON_VCPU_RUNNABLE,
	MON_VCPU_RUNNING,
	MON_VCPU_DEAD,
};

struct mon_vcpu_view {
	unsigned int state; /* enum mon_vcpu_view_state */
	unsigned int hart;  /* while MON_VCPU_RUNNING */
};

/** Confidential page states (mon_page_view.state). */
enum mon_page_view_state {
	MON_PAGE_FREE,
	MON_PAGE_TVM_DATA,
	MON_PAGE_TVM_PT,
	MON_PAGE_TVM_META,
	MON_PAGE_TVM_SECRET,
};

/** One page record, laid out exactly as the monitor keeps it. */
struct mon_page_view {
	uint8_t state; /* enum mon_page_view_state */
	uint8_t owner; /* TVM id, 0 when free */
	uint16_t reserved;
};

/** The TVM with id @id: true and its view, false when there is none. */
bool mon_introspect_tvm(const struct mon *mon, uint64_t id, struct mon_tvm_view *out);

/** vCPU @vcpu of TVM @id: true and its view, false when there is none. */
bool mon_introspect_vcpu(const struct mon *mon, uint64_t id, uint64_t vcpu,
			 struct mon_vcpu_view *out);

/** The record of confidential page @pa: false outside confidential memory. */
bool mon_introspect_page(const struct mon *mon, uint64_t pa, struct mon_page_view *out);

/**
 * All page records at once (one per 4 KiB of confidential memory, in
 * address order), read-only; *@count receives their number.
 */
const struct mon_page_view *mon_introspect_pages(const struct mon *mon, uint64_t *count);

/** Number of confidential pages that are not free. */
uint64_t mon_introspect_pages_in_use(const struct mon *mon);

/**
 * How many bytes at the start of the data region hold monitor state (the
 * instance and the page records): a byte-wise before/after comparison of
 * this range detects any state change (fuzz oracle for I7).
 */
size_t mon_introspect_state_bytes(const struct mon *mon);

/** The vCPU running on physical hart @hart: true with TVM id and vCPU index. */
bool mon_introspect_hart(const struct mon *mon, hart_t hart, uint64_t *tvm, uint64_t *vcpu);

/**
 * A digest of every byte of monitor state (the instance with its TVMs and
 * vCPUs, and the page records): equal digests before and after a
 * call mean the call changed nothing (DESIGN.md invariant I7).
 */
void mon_introspect_state_hash(const struct mon *mon, uint8_t out[SHA384_DIGEST_SIZE]);
