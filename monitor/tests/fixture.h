/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A booted monitor on an emulated machine, for tests of the core: the host
 * acts through host_call() exactly as it would on hardware (ecall from HS,
 * trap into M, mon_trap, mret).
 */
#pragma once

#include "covemon/introspect.h"
#include "shim/monitor.h"
#include "test.h"

struct fixture {
	struct shim_world *w;
	struct mon *mon;
	struct mon_platform plat;
	struct mon_region conf;
	uint64_t host_base; /* first byte of host memory (after monitor data) */
};

/** Boots a @harts-hart, 64 MiB world with the default monitor layout. */
void fixture_init(struct fixture *f, unsigned int harts);

/** As fixture_init with monitor configuration @mc. */
void fixture_init_with(struct fixture *f, unsigned int harts, const struct shim_mon_config *mc);

/** Destroys the world. */
void fixture_fini(struct fixture *f);

/** The host on @hart calls SBI @eid/@fid with a0..a5. */
struct shim_sbiret host_call(struct fixture *f, unsigned int hart, uint64_t eid, uint64_t fid,
			     uint64_t a0, uint64_t a1, uint64_t a2);

/** Physical address of host page @k (4 KiB pages counted from host_base). */
uint64_t host_page(const struct fixture *f, unsigned int k);

/** Monitor state digest (for "an error changes nothing"). */
void state_hash(const struct fixture *f, uint8_t out[SHA384_DIGEST_SIZE]);

/** True when every byte of confidential memory is zero (nothing left behind). */
bool confidential_all_zero(struct fixture *f);
