// SPDX-License-Identifier: BSD-2-Clause
/*
 * The emulated machine as a whole: harts + DRAM + ACLINT-style timer and
 * software interrupts, snapshot/reset, and operations performed as whoever
 * runs on a hart.
 */
#include "shim/world.h"

#include <stdlib.h>
#include <string.h>

#define MIN_DRAM (UINT64_C(64) << 10)
#define MAX_DRAM (UINT64_C(64) << 30)

/* The world hal.c acts on, per thread (see shim_hal_bind). */
static _Thread_local struct shim_world *bound_world;

void shim_hal_bind(struct shim_world *world)
{
	bound_world = world;
	shim_track_bind(world ? &world->mem : NULL);
}

struct shim_world *shim_hal_world(void)
{
	return bound_world;
}

void shim_world_config_default(struct shim_world_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->harts = 1;
	cfg->dram_size = UINT64_C(64) << 20;
	cfg->pmp_entries = 16;
	cfg->smepmp = false;
	cfg->vmid_bits = 14;
	cfg->entropy_seed = UINT64_C(0x636f76656d6f6e21); /* "covemon!" */
}

static const char *world_config_error(const struct shim_world_config *cfg)
{
	if (cfg->harts < 1 || cfg->harts > SHIM_MAX_HARTS) {
		return "harts must be 1..8";
	}
	if (cfg->dram_size < MIN_DRAM || cfg->dram_size > MAX_DRAM ||
	    cfg->dram_size % SHIM_PAGE_SIZE) {
		return "dram_size must be a multiple of 4 KiB in 64 KiB..64 GiB";
	}
	if (cfg->pmp_entries > HAL_PMP_MAX) {
		return "pmp_entries must be 0..64";
	}
	if (cfg->vmid_bits > 14) {
		return "vmid_bits must be 0..14";
	}
	return NULL;
}

static void world_reset_harts(struct shim_world *world)
{
	for (unsigned int i = 0; i < world->cfg.harts; i++) {
		shim_hart_reset(&world->hart[i], i, world->cfg.pmp_entries, world->cfg.smepmp,
				world->cfg.vmid_bits, SHIM_DRAM_BASE);
	}
}

struct shim_world *shim_world_create(const struct shim_world_config *cfg, const char **why)
{
	const char *err = world_config_error(cfg);
	struct shim_world *world;

	if (err) {
		if (why) {
			*why = err;
		}
		return NULL;
	}
	world = calloc(1, sizeof(*world));
	if (!world) {
		if (why) {
			*why = "out of host memory";
		}
		return NULL;
	}
	world->cfg = *cfg;
	world->in_monitor = -1;
	if (!shim_mem_init(&world->mem, SHIM_DRAM_BASE, cfg->dram_size)) {
		free(world);
		if (why) {
			*why = "cannot reserve emulated DRAM";
		}
		return NULL;
	}
	world_reset_harts(world);
	world->entropy_state = cfg->entropy_seed ? cfg->entropy_seed : 1;
	return world;
}

void shim_world_destroy(struct shim_world *world)
{
	if (!world) {
		return;
	}
	if (shim_hal_world() == world) {
		shim_hal_bind(NULL);
	}
	shim_mem_fini(&world->mem);
	free(world);
}

bool shim_world_snapshot(struct shim_world *world)
{
	if (!shim_mem_snapshot(&world->mem)) {
		return false;
	}
	memcpy(world->hart_snap, world->hart, sizeof(world->hart[0]) * world->cfg.harts);
	world->mtime_snap = world->mtime;
	world->entropy_snap = world->entropy_state;
	world->have_snapshot = true;
	return true;
}

void shim_world_reset(struct shim_world *world)
{
	shim_mem_reset(&world->mem);
	if (world->have_snapshot) {
		memcpy(world->hart, world->hart_snap, sizeof(world->hart[0]) * world->cfg.harts);
		world->mtime = world->mtime_snap;
		world->entropy_state = world->entropy_snap;
	} else {
		world_reset_harts(world);
		world->mtime = 0;
		world->entropy_state = world->cfg.entropy_seed ? world->cfg.entropy_seed : 1;
	}
	memset(&world->faults, 0, sizeof(world->faults));
	memset(world->fault_count, 0, sizeof(world->fault_count));
	world->console_len = 0;
}

void shim_world_set_faults(struct shim_world *world, const struct shim_fault_plan *plan)
{
	world->faults = *plan;
	memset(world->fault_count, 0, sizeof(world->fault_count));
}

bool shim_world_fault(struct shim_world *world, enum shim_fault_kind kind)
{
	unsigned int n = world->fault_count[kind];

	if (n >= 64) {
		return false;
	}
	world->fault_count[kind] = n + 1;
	return (world->faults.fail[kind] >> n) & 1;
}

/* ----------------------------------------------------------- access --- */

static struct shim_access_result result_from_xlate(const struct shim_xlate *x)
{
	struct shim_access_result r = {
		.ok = x->ok,
		.pa = x->pa,
		.cause = x->cause,
		.tval = x->tval,
		.tval2 = x->tval2,
		.tinst = x->tinst,
		.gva = x->gva,
	};
	return r;
}

static struct shim_hart *world_hart(struct shim_world *world, unsigned int hart)
{
	if (hart >= world->cfg.harts) {
		abort(); /* a harness bug, not an input: harness code validates hart ids */
	}
	return &world->hart[hart];
}

struct shim_access_result shim_world_load(struct shim_world *world, unsigned int hart,
					  uint64_t addr, unsigned int size, uint64_t *value)
{
	struct shim_hart *h = world_hart(world, hart);
	struct shim_xlate x = shim_mmu_translate(&world->mem, h, addr, size, SHIM_ACCESS_READ);
	uint64_t v = 0;

	if (x.ok && !shim_mem_read(&world->mem, x.pa, &v, size)) {
		/* The MMU checked the PA is DRAM; keep the shim safe regardless. */
		x.ok = false;
		x.cause = SHIM_CAUSE_LOAD_ACCESS;
		x.tval = addr;
	}
	*value = x.ok ? v : 0;
	return result_from_xlate(&x);
}

struct shim_access_result shim_world_store(struct shim_world *world, unsigned int hart,
					   uint64_t addr, unsigned int size, uint64_t value)
{
	struct shim_hart *h = world_hart(world, hart);
	struct shim_xlate x = shim_mmu_translate(&world->mem, h, addr, size, SHIM_ACCESS_WRITE);

	if (x.ok && !shim_mem_write(&world->mem, x.pa, &value, size)) {
		x.ok = false;
		x.cause = SHIM_CAUSE_STORE_ACCESS;
		x.tval = addr;
	}
	return result_from_xlate(&x);
}

struct shim_access_result shim_world_fetch(struct shim_world *world, unsigned int hart,
					   uint64_t addr, uint32_t *insn)
{
	struct shim_hart *h = world_hart(world, hart);
	uint16_t lo = 0;
	uint16_t hi = 0;
	struct shim_xlate x = shim_mmu_translate(&world->mem, h, addr, 2, SHIM_ACCESS_EXEC);

	*insn = 0;
	if (!x.ok || !shim_mem_read(&world->mem, x.pa, &lo, 2)) {
		x.ok = false;
		return result_from_xlate(&x);
	}
	if ((lo & 3) != 3) {
		*insn = lo; /* compressed */
		return result_from_xlate(&x);
	}
	struct shim_xlate x2 = shim_mmu_translate(&world->mem, h, addr + 2, 2, SHIM_ACCESS_EXEC);
	if (!x2.ok || !shim_mem_read(&world->mem, x2.pa, &hi, 2)) {
		x2.ok = false;
		/* The fault reports the instruction's address (privileged spec). */
		x2.tval = x2.cause == SHIM_CAUSE_FETCH_ACCESS ? addr : x2.tval;
		return result_from_xlate(&x2);
	}
	*insn = (uint32_t)lo | ((uint32_t)hi << 16);
	return result_from_xlate(&x);
}

enum shim_mode shim_world_take_fault(struct shim_world *world, unsigned int hart,
				     const struct shim_access_result *r)
{
	struct shim_hart *h = world_hart(world, hart);

	return shim_hart_trap(h, r->cause, r->tval, r->tval2, r->tinst, r->gva);
}

enum shim_mode shim_world_ecall(struct shim_world *world, unsigned int hart)
{
	struct shim_hart *h = world_hart(world, hart);
	uint64_t cause;

	switch (h->mode) {
	case SHIM_MODE_M: cause = SHIM_CAUSE_ECALL_M; break;
	case SHIM_MODE_HS: cause = SHIM_CAUSE_ECALL_HS; break;
	case SHIM_MODE_VS: cause = SHIM_CAUSE_ECALL_VS; break;
	default: cause = SHIM_CAUSE_ECALL_U; break; /* U and VU */
	}
	return shim_hart_trap(h, cause, 0, 0, 0, false);
}

/* ------------------------------------------------- interrupts, time --- */

static void set_bit(uint64_t *reg, unsigned int bit, bool on)
{
	if (on) {
		*reg |= UINT64_C(1) << bit;
	} else {
		*reg &= ~(UINT64_C(1) << bit);
	}
}

void shim_world_set_irq(struct shim_world *world, unsigned int hart, enum shim_irq irq,
			bool pending)
{
	struct shim_hart *h = world_hart(world, hart);

	/* VS-level bits live in hvip (mip.VS* alias them). */
	if (irq == SHIM_IRQ_VSSI || irq == SHIM_IRQ_VSTI || irq == SHIM_IRQ_VSEI) {
		set_bit(&h->csr.hvip, irq, pending);
	} else {
		set_bit(&h->csr.mip, irq, pending);
	}
}

void shim_world_send_ipi(struct shim_world *world, unsigned int target)
{
	shim_world_set_irq(world, target, SHIM_IRQ_MSI, true);
}

/* menvcfg.STCE / henvcfg.STCE: bit 63 (Sstc). */
#define ENVCFG_STCE (UINT64_C(1) << 63)

void shim_world_update_timers(struct shim_world *world)
{
	for (unsigned int i = 0; i < world->cfg.harts; i++) {
		struct shim_hart *h = &world->hart[i];
		set_bit(&h->csr.mip, SHIM_IRQ_MTI, world->mtime >= h->csr.mtimecmp);
		if (h->csr.menvcfg & ENVCFG_STCE) {
			set_bit(&h->csr.mip, SHIM_IRQ_STI, world->mtime >= h->csr.stimecmp);
			if (h->csr.henvcfg & ENVCFG_STCE) {
				uint64_t vtime = world->mtime + h->csr.htimedelta;
				/* VSTIP from vstimecmp is kept apart from hvip's software bit. */
				set_bit(&h->csr.mip, SHIM_IRQ_VSTI, vtime >= h->csr.vstimecmp);
			}
		}
	}
}

void shim_world_advance_time(struct shim_world *world, uint64_t ticks)
{
	world->mtime += ticks;
	shim_world_update_timers(world);
}

bool shim_world_take_interrupt(struct shim_world *world, unsigned int hart, enum shim_mode *target)
{
	struct shim_hart *h = world_hart(world, hart);
	uint64_t cause;
	enum shim_mode to;

	if (!shim_hart_pending_interrupt(h, &cause, &to)) {
		return false;
	}
	*target = shim_hart_trap(h, cause, 0, 0, 0, false);
	return true;
}
