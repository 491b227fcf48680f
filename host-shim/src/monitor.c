// SPDX-License-Identifier: BSD-2-Clause
/* The arch layer of the shim: see shim/monitor.h. */
#include "shim/monitor.h"

#include <string.h>

#include "covemon/introspect.h"

#define SHIM_PAGE_MASK (UINT64_C(SHIM_PAGE_SIZE) - 1)

void shim_mon_config_default(struct shim_mon_config *cfg)
{
	cfg->image_size = UINT64_C(256) << 10;
	cfg->data_size = UINT64_C(256) << 10;
	cfg->confidential_size = UINT64_C(8) << 20;
	cfg->tvm_quota_pages = 0;
	memset(cfg->host_sbi_ext, 0, sizeof(cfg->host_sbi_ext));
	cfg->host_sbi_ext_count = 0;
	_Static_assert(sizeof(SHIM_DEV_ATTESTATION_ROOT) - 1 == sizeof(cfg->attestation_root),
		       "the development root is 32 bytes");
	memcpy(cfg->attestation_root, SHIM_DEV_ATTESTATION_ROOT, sizeof(cfg->attestation_root));
}

void shim_mon_platform(const struct shim_world *world, const struct shim_mon_config *cfg,
		       struct mon_platform *out)
{
	struct mon_platform plat;

	memset(&plat, 0, sizeof(plat));
	plat.dram[0].base = world->mem.base;
	plat.dram[0].size = world->mem.size;
	plat.dram_count = 1;
	plat.image.base = world->mem.base;
	plat.image.size = cfg->image_size;
	/* As a firmware image: the first half code, then a quarter read-only data. */
	plat.image_text_size = (cfg->image_size / 2) & ~(uint64_t)(SHIM_PAGE_SIZE - 1);
	plat.image_rodata_size = (cfg->image_size / 4) & ~(uint64_t)(SHIM_PAGE_SIZE - 1);
	plat.data.base = world->mem.base + cfg->image_size;
	plat.data.size = cfg->data_size;
	plat.confidential_size = cfg->confidential_size;
	plat.tvm_quota_pages = cfg->tvm_quota_pages;
	plat.harts = world->cfg.harts;
	plat.pmp_count = world->cfg.pmp_entries;
	plat.vmid_bits = world->cfg.vmid_bits;
	plat.features = MON_FEAT_SSTC | (world->cfg.smepmp ? MON_FEAT_SMEPMP : 0);
	memcpy(plat.attestation_root, cfg->attestation_root, sizeof(plat.attestation_root));
	memcpy(plat.host_sbi_ext, cfg->host_sbi_ext, sizeof(plat.host_sbi_ext));
	plat.host_sbi_ext_count = cfg->host_sbi_ext_count;
	*out = plat;
}

struct mon *shim_mon_boot(struct shim_world *world, const struct shim_mon_config *cfg,
			  struct mon_platform *plat_out, const char **why)
{
	struct mon_platform plat;
	struct mon *mon = NULL;

	shim_mon_platform(world, cfg, &plat);
	if (plat_out) {
		*plat_out = plat;
	}
	shim_hal_bind(world);
	if (mon_boot(0, &plat, &mon) != MON_OK) {
		*why = "mon_boot rejected the platform";
		return NULL;
	}
	for (unsigned int h = 1; h < world->cfg.harts; h++) {
		if (mon_hart_init(mon, h) != MON_OK) {
			*why = "mon_hart_init failed";
			return NULL;
		}
	}
	/*
	 * mon_boot zeroed confidential memory through pointers it does not keep
	 * (it maps those pages afresh for every use, which the shim tracks): as
	 * zero pages never written they cost no copy per reset, no host memory,
	 * and no scan by an oracle looking for pages written.
	 */
	struct mon_region conf = mon_introspect_confidential(mon);
	(void)shim_mem_release_zero(&world->mem, conf.base, conf.size);
	/* The firmware hands every hart to the host in HS-mode. */
	for (unsigned int h = 0; h < world->cfg.harts; h++) {
		world->hart[h].mode = SHIM_MODE_HS;
		world->hart[h].pc = world->mem.base + cfg->image_size + cfg->data_size;
	}
	return mon;
}

enum mon_action shim_mon_deliver(struct shim_world *world, struct mon *mon, unsigned int hart)
{
	struct shim_hart *h = &world->hart[hart];
	struct mon_trap_frame frame;
	enum mon_action action;

	memcpy(frame.x, h->x, sizeof(frame.x));
	frame.mepc = h->csr.mepc;
	frame.mstatus = h->csr.mstatus;
	frame.mcause = h->csr.mcause;
	frame.mtval = h->csr.mtval;
	frame.mtval2 = h->csr.mtval2;
	frame.mtinst = h->csr.mtinst;
	shim_hal_bind(world);
	world->monitor_entries++;
	world->in_monitor = (int)hart;
	action = mon_trap(mon, hart, &frame);
	world->in_monitor = -1;
	/* As the firmware's trap exit: GPRs, then mepc and mstatus last, then mret. */
	memcpy(h->x, frame.x, sizeof(h->x));
	h->x[0] = 0;
	h->csr.mepc = frame.mepc & ~UINT64_C(1);
	(void)shim_csr_write(h, SHIM_CSR_MSTATUS, frame.mstatus);
	shim_hart_mret(h);
	return action;
}

struct shim_sbiret shim_mon_ecall(struct shim_world *world, struct mon *mon, unsigned int hart,
				  uint64_t eid, uint64_t fid, const uint64_t args[6])
{
	struct shim_hart *h = &world->hart[hart];
	struct shim_sbiret ret = { false, 0, 0 };

	for (unsigned int i = 0; i < 6; i++) {
		shim_hart_set_x(h, 10 + i, args ? args[i] : 0);
	}
	shim_hart_set_x(h, 16, fid);
	shim_hart_set_x(h, 17, eid);
	if (shim_world_ecall(world, hart) != SHIM_MODE_M) {
		return ret;
	}
	(void)shim_mon_deliver(world, mon, hart);
	ret.reached_monitor = true;
	ret.error = (int64_t)h->x[10];
	ret.value = h->x[11];
	return ret;
}

/* The transformed load/store (hypervisor spec, transformed instructions) of an access. */
static uint64_t transformed(bool store, unsigned int size, unsigned int reg)
{
	unsigned int funct3 = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;

	if (store) {
		return ((uint64_t)reg << 20) | ((uint64_t)funct3 << 12) | 0x23;
	}
	return ((uint64_t)funct3 << 12) | ((uint64_t)reg << 7) | 0x03;
}

enum shim_guest_outcome shim_mon_guest_access(struct shim_world *world, struct mon *mon,
					      unsigned int hart, bool store, uint64_t addr,
					      unsigned int size, unsigned int reg, bool with_tinst)
{
	struct shim_hart *h = &world->hart[hart];

	/* Bounded: each retry follows a fault the monitor resolved (one page). */
	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t pc = h->pc;
		uint64_t value = 0;
		struct shim_access_result r =
			store ? shim_world_store(world, hart, addr, size, h->x[reg])
			      : shim_world_load(world, hart, addr, size, &value);

		if (r.ok) {
			if (!store) {
				shim_hart_set_x(h, reg, value);
			}
			h->pc += 4;
			return SHIM_GUEST_DONE;
		}
		if (with_tinst && r.tinst == 0 &&
		    (r.cause == SHIM_CAUSE_LOAD_GUEST_PAGE ||
		     r.cause == SHIM_CAUSE_STORE_GUEST_PAGE)) {
			r.tinst = transformed(store, size, reg);
		}
		if (shim_world_take_fault(world, hart, &r) != SHIM_MODE_M) {
			return SHIM_GUEST_TRAPPED;
		}
		enum mon_action a = shim_mon_deliver(world, mon, hart);
		if (a == MON_ACTION_EXIT_TO_HOST) {
			return SHIM_GUEST_EXITED;
		}
		if (!shim_mode_virt(h->mode) || h->pc != pc) {
			return SHIM_GUEST_TRAPPED;
		}
	}
	return SHIM_GUEST_TRAPPED;
}

bool shim_mon_interrupt(struct shim_world *world, struct mon *mon, unsigned int hart)
{
	enum shim_mode to;

	if (!shim_world_take_interrupt(world, hart, &to)) {
		return false;
	}
	if (to == SHIM_MODE_M) {
		(void)shim_mon_deliver(world, mon, hart);
	}
	return true;
}
