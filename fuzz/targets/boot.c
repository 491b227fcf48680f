// SPDX-License-Identifier: BSD-2-Clause
/*
 * mon_boot with crafted platform descriptions. The firmware describes the
 * machine to the monitor (DRAM, its own image and data, devices, reserved
 * ranges, how much confidential memory to carve, harts, PMP entries): the
 * monitor must refuse a description it cannot protect, and on one it accepts
 * leave every hart's PMP closing its image, its data, its confidential
 * memory and the private devices to S and U (I1). Each input boots a fresh
 * world; the checks read the harts' PMP registers, not the monitor's records.
 *
 * What the firmware cannot get wrong stays true to the machine: DRAM it
 * claims exists, and so do the harts it counts (an input claiming more is
 * passed over; the monitor would map memory that is not there). The layout,
 * devices, reserved ranges, sizes, counts and features are the input's.
 *
 * Input layout:
 *   world:u8   bits 1:0 harts - 1, bit 2 Smepmp
 *   pmp:u8     PMP entries per hart, mod 65
 *   then patches of 10 bytes, each setting one field of the shim's platform
 *   (4 MiB of DRAM; image and data 256 KiB each; 1 MiB confidential):
 *   field:u8   enum field below, mod FIELD_COUNT
 *   how:u8     bits 3:0 how value becomes the field: 0 as is, 1 an address
 *              in DRAM (value mod its size, page aligned), 2 a power of two
 *              (2^(value mod 40)), 3 a count (value mod 10), 4 whole pages
 *              (value mod 4096); bits 7:4 which entry of an array field
 *   value:u64
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/introspect.h"
#include "harness.h"
#include "shim/monitor.h"
#include "stream.h"

#define DRAM_SIZE (UINT64_C(4) << 20)

enum field {
	DRAM_COUNT,
	DRAM_BASE,
	DRAM_SIZE_F,
	IMAGE_BASE,
	IMAGE_SIZE,
	IMAGE_TEXT,
	IMAGE_RODATA,
	DATA_BASE,
	DATA_SIZE_F,
	PRIVATE_COUNT,
	PRIVATE_BASE,
	PRIVATE_SIZE,
	SHARED_COUNT,
	SHARED_BASE,
	SHARED_SIZE,
	RESERVED_COUNT,
	RESERVED_BASE,
	RESERVED_SIZE,
	CONFIDENTIAL_SIZE,
	HARTS,
	PMP_COUNT,
	FEATURES,
	VMID_BITS,
	QUOTA,
	FIELD_COUNT,
};

static uint64_t shape(uint8_t how, uint64_t value, uint64_t dram_base)
{
	switch (how & 0xF) {
	case 1: return dram_base + ((value % DRAM_SIZE) & ~(uint64_t)(SHIM_PAGE_SIZE - 1));
	case 2: return UINT64_C(1) << (value % 40);
	case 3: return value % 10;
	case 4: return (value % 4096) * SHIM_PAGE_SIZE;
	default: return value;
	}
}

static void patch(struct mon_platform *p, uint8_t field, uint8_t how, uint64_t v)
{
	unsigned int k = (how >> 4) % MON_MAX_REGIONS; /* arrays of devices are shorter */
	unsigned int d = (how >> 4) % MON_MAX_DEVICES;

	switch (field % FIELD_COUNT) {
	case DRAM_COUNT: p->dram_count = (unsigned int)v; break;
	case DRAM_BASE: p->dram[k].base = v; break;
	case DRAM_SIZE_F: p->dram[k].size = v; break;
	case IMAGE_BASE: p->image.base = v; break;
	case IMAGE_SIZE: p->image.size = v; break;
	case IMAGE_TEXT: p->image_text_size = v; break;
	case IMAGE_RODATA: p->image_rodata_size = v; break;
	case DATA_BASE: p->data.base = v; break;
	case DATA_SIZE_F: p->data.size = v; break;
	case PRIVATE_COUNT: p->mmio_private_count = (unsigned int)v; break;
	case PRIVATE_BASE: p->mmio_private[d].base = v; break;
	case PRIVATE_SIZE: p->mmio_private[d].size = v; break;
	case SHARED_COUNT: p->mmio_shared_count = (unsigned int)v; break;
	case SHARED_BASE: p->mmio_shared[d].base = v; break;
	case SHARED_SIZE: p->mmio_shared[d].size = v; break;
	case RESERVED_COUNT: p->reserved_count = (unsigned int)v; break;
	case RESERVED_BASE: p->reserved[k].base = v; break;
	case RESERVED_SIZE: p->reserved[k].size = v; break;
	case CONFIDENTIAL_SIZE: p->confidential_size = v; break;
	case HARTS: p->harts = (unsigned int)v; break;
	case PMP_COUNT: p->pmp_count = (unsigned int)v; break;
	case FEATURES: p->features = v; break;
	case VMID_BITS: p->vmid_bits = (unsigned int)v; break;
	default: p->tvm_quota_pages = v; break;
	}
}

/* Whether the DRAM and the harts @p claims are @w's (see the top of the file). */
static bool describes_the_machine(const struct mon_platform *p, const struct shim_world *w)
{
	for (unsigned int i = 0; i < p->dram_count && i < MON_MAX_REGIONS; i++) {
		uint64_t base = p->dram[i].base;
		uint64_t size = p->dram[i].size;
		if (base < w->mem.base || size > w->mem.size ||
		    base - w->mem.base > w->mem.size - size) {
			return false;
		}
	}
	return p->harts <= w->cfg.harts || p->harts > MON_MAX_HARTS;
}

/* I1 on hart @h: no byte of [base, base + size) open to S or U, for any access. */
static void check_closed(struct shim_world *w, unsigned int h, uint64_t base, uint64_t size,
			 const char *what)
{
	static const enum shim_access accesses[] = { SHIM_ACCESS_READ, SHIM_ACCESS_WRITE,
						     SHIM_ACCESS_EXEC };
	static const enum shim_priv privs[] = { SHIM_PRIV_S, SHIM_PRIV_U };
	char detail[160];
	uint64_t at = 0;

	if (size == 0) {
		return;
	}
	for (unsigned int a = 0; a < 3; a++) {
		for (unsigned int p = 0; p < 2; p++) {
			if (shim_pmp_any_byte_allowed(&w->hart[h].pmp, base, size, accesses[a],
						      privs[p], &at)) {
				snprintf(detail, sizeof(detail),
					 "after boot hart %u lets %s reach %s at 0x%llx", h,
					 privs[p] == SHIM_PRIV_S ? "S" : "U", what,
					 (unsigned long long)at);
				fuzz_fail(0, "I1 host isolation", detail);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shim_world_config wc;
	struct shim_mon_config mc;
	struct mon_platform plat;
	struct fuzz_stream s;
	struct mon *mon = NULL;

	fuzz_stream_init(&s, data, size);
	shim_world_config_default(&wc);
	uint8_t world = fuzz_u8(&s);
	wc.harts = 1 + (world & 3);
	wc.smepmp = (world & 4) != 0;
	wc.pmp_entries = fuzz_u8(&s) % 65;
	wc.dram_size = DRAM_SIZE;
	struct shim_world *w = shim_world_create(&wc, NULL);
	if (!w) {
		return 0;
	}
	shim_mon_config_default(&mc);
	mc.confidential_size = UINT64_C(1) << 20;
	shim_mon_platform(w, &mc, &plat);
	while (fuzz_stream_left(&s) >= 10) {
		uint8_t field = fuzz_u8(&s);
		uint8_t how = fuzz_u8(&s);
		uint64_t v = fuzz_u64(&s);
		patch(&plat, field, how, shape(how, v, w->mem.base));
	}

	if (!describes_the_machine(&plat, w)) {
		shim_world_destroy(w);
		return 0;
	}
	shim_hal_bind(w);
	unsigned int up = 0; /* harts the monitor brought up */
	mon_err_t err = mon_boot(0, &plat, &mon);
	if (err == MON_OK) {
		for (up = 1; up < wc.harts && mon_hart_init(mon, up) == MON_OK; up++) {
		}
	}
	if (getenv("COVEMON_FUZZ_TRACE")) {
		fprintf(stderr, "boot: mon_boot %d, %u of %u harts up, %u PMP entries%s\n", err, up,
			wc.harts, wc.pmp_entries, wc.smepmp ? ", Smepmp" : "");
	}
	for (unsigned int h = 0; h < up; h++) {
		struct mon_region image = mon_introspect_image(mon);
		struct mon_region mdata = mon_introspect_data(mon);
		struct mon_region conf = mon_introspect_confidential(mon);

		check_closed(w, h, image.base, image.size, "the monitor's image");
		check_closed(w, h, mdata.base, mdata.size, "the monitor's data");
		check_closed(w, h, conf.base, conf.size, "confidential memory");
		/* The monitor accepted the counts: the oracle still reads no further than the
		 * arrays. */
		for (unsigned int i = 0; i < plat.mmio_private_count && i < MON_MAX_DEVICES; i++) {
			check_closed(w, h, plat.mmio_private[i].base, plat.mmio_private[i].size,
				     "a private device");
		}
	}
	shim_world_destroy(w);
	return 0;
}
