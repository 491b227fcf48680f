/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The helper API attack scenarios are written against (attacks/scenarios/).
 * A scenario is a TEST(attack, aNN_<threat>) in its own file whose header
 * comment states Threat, Class (1-16, reference/attack-classes.md),
 * Attacker (malicious host / malicious TVM / second hart), Expected defence
 * and Reference. Each step acts as an attacker, asserts the ABI result and
 * the hardware effect, and runs the full invariant oracle (attack_check).
 *
 * The same story is meant to run against real firmware on QEMU later: keep
 * scenarios to these helpers so a QEMU-side implementation can replace them.
 */
#pragma once

#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/introspect.h"
#include "fixture.h"
#include "vm_image.h"

/** A booted world with one promoted 2-vCPU TVM (16 pages) and vCPU 0 not yet running. */
struct attack_env {
	struct fixture f;
	struct vm_image vm;
	uint64_t tvm; /* id */
};

/** Boots a @harts-hart world and promotes the standard VM (asserts success). */
void attack_env_init(struct attack_env *e, unsigned int harts);
void attack_env_fini(struct attack_env *e);

/**
 * Runs every invariant of DESIGN.md section 5 that the fuzz oracle checks
 * (I1-I6, I9, I10) on the hardware view; a violation fails the scenario
 * (the process aborts naming the invariant and @step).
 */
void attack_check(struct attack_env *e, unsigned int step);

/* ------------------------------------------------------ malicious host --- */

/** The host on @hart calls SBI @eid/@fid with a0..a2 (and runs the oracle). */
struct shim_sbiret host_attack(struct attack_env *e, unsigned int hart, uint64_t eid, uint64_t fid,
			       uint64_t a0, uint64_t a1, uint64_t a2);

/** The host runs vCPU @vcpu on @hart; true when the hart entered the guest. */
bool host_run(struct attack_env *e, unsigned int hart, uint64_t vcpu);

/**
 * Both vCPUs of the standard TVM on their own hart: the host runs vCPU 0 on
 * hart 0, which starts vCPU 1 through HSM, and the host runs vCPU 1 on hart 1
 * (NACL enabled on hart 1 first). True when every step succeeded.
 */
bool host_run_both_vcpus(struct attack_env *e);

/** The host on @hart stores @value at physical @pa (true when the store went through). */
bool host_store(struct attack_env *e, unsigned int hart, uint64_t pa, uint64_t value);

/** The host on @hart loads 8 bytes at physical @pa (true when allowed). */
bool host_load(struct attack_env *e, unsigned int hart, uint64_t pa, uint64_t *value);

/* ----------------------------------------------------- malicious guest --- */

/** The guest on @hart calls SBI; when the call exits to the host the host runs it again. */
struct shim_sbiret guest_attack(struct attack_env *e, unsigned int hart, uint64_t eid, uint64_t fid,
				uint64_t a0, uint64_t a1, uint64_t a2);

/** The guest on @hart loads 8 bytes at GPA @gpa; returns the outcome. */
enum shim_guest_outcome guest_load(struct attack_env *e, unsigned int hart, uint64_t gpa,
				   uint64_t *value);

/** The host PA the monitor-built G-stage tables of TVM @id map @gpa to (asserts it is mapped). */
uint64_t tvm_pa(struct attack_env *e, uint64_t id, uint64_t gpa);

/* ---------------------------------------------------- expect helpers --- */

/** No hart in host context lets S/U read or write any byte of [base, base+size). */
void expect_host_cannot_reach(struct attack_env *e, uint64_t base, uint64_t size);

/** Every byte of the 4 KiB page at @pa is zero. */
void expect_page_zero(struct attack_env *e, uint64_t pa);

/** No hart's TLB maps @gpa (any VMID). */
void expect_no_tlb_entry(struct attack_env *e, uint64_t gpa);

/** The monitor state digest equals @before (an error changed nothing). */
void expect_state_unchanged(struct attack_env *e, const uint8_t before[48]);

/**
 * The host promotes its VM (e->vm) as it stands now: refused with @err, and no
 * trace left (state digest, confidential pages in use, no second TVM).
 */
void expect_promote_refused(struct attack_env *e, int64_t err);
