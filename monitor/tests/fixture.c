// SPDX-License-Identifier: BSD-2-Clause
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

void fixture_init(struct fixture *f, unsigned int harts)
{
	struct shim_mon_config mc;

	shim_mon_config_default(&mc);
	fixture_init_with(f, harts, &mc);
}

void fixture_init_with(struct fixture *f, unsigned int harts, const struct shim_mon_config *mc)
{
	struct shim_world_config wc;
	const char *why = NULL;

	memset(f, 0, sizeof(*f));
	shim_world_config_default(&wc);
	wc.harts = harts;
	wc.dram_size = UINT64_C(64) << 20;
	/* The @smepmp test variants (CMake) run every test on harts with Smepmp. */
	const char *smepmp = getenv("COVEMON_TEST_SMEPMP");
	wc.smepmp = smepmp && strcmp(smepmp, "1") == 0;
	f->w = shim_world_create(&wc, &why);
	ASSERT_TRUE(f->w != NULL);
	f->mon = shim_mon_boot(f->w, mc, &f->plat, &why);
	ASSERT_TRUE(f->mon != NULL);
	f->conf = mon_introspect_confidential(f->mon);
	f->host_base = f->plat.data.base + f->plat.data.size;
}

void fixture_fini(struct fixture *f)
{
	shim_world_destroy(f->w);
	memset(f, 0, sizeof(*f));
}

struct shim_sbiret host_call(struct fixture *f, unsigned int hart, uint64_t eid, uint64_t fid,
			     uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	return shim_mon_ecall(f->w, f->mon, hart, eid, fid, args);
}

uint64_t host_page(const struct fixture *f, unsigned int k)
{
	return f->host_base + (uint64_t)k * SHIM_PAGE_SIZE;
}

void state_hash(const struct fixture *f, uint8_t out[SHA384_DIGEST_SIZE])
{
	mon_introspect_state_hash(f->mon, out);
}

bool confidential_all_zero(struct fixture *f)
{
	static uint8_t page[4096];

	for (uint64_t off = 0; off < f->conf.size; off += sizeof(page)) {
		ASSERT_TRUE(shim_mem_read(&f->w->mem, f->conf.base + off, page, sizeof(page)));
		for (size_t i = 0; i < sizeof(page); i++) {
			if (page[i]) {
				return false;
			}
		}
	}
	return true;
}
