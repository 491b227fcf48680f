// SPDX-License-Identifier: BSD-2-Clause
/*
 * PMP policy as data. Every layout names all the entries it uses, and
 * hal_pmp_write clears the rest, so no entry keeps a value from an earlier
 * boot stage or an earlier context (ACE set PMP by masking bits of unknown
 * state: cove-abi.md section 6, flaw 1).
 *
 *   0,1  TOR  monitor image          no access for S/U
 *   2,3  TOR  monitor data           no access for S/U
 *   4,5  TOR  confidential memory    host: no access; TVM: closed by G-stage only
 *   6    NAPOT everything            RWX for S/U
 * The lowest-numbered matching entry decides, so the closed regions win.
 */
#include "core.h"
#include "covemon/lib.h"

static void tor(struct hal_pmp_layout *l, unsigned int i, const struct mon_region *r, uint8_t perm)
{
	l->entry[i].addr = r->base >> 2;
	l->entry[i].cfg = HAL_PMP_A_OFF;
	l->entry[i + 1].addr = (r->base + r->size) >> 2;
	l->entry[i + 1].cfg = (uint8_t)(HAL_PMP_A_TOR | perm);
}

static void common_layout(const struct mon *mon, struct hal_pmp_layout *out)
{
	mon_memset(out, 0, sizeof(*out));
	out->count = PMP_ENTRIES_USED;
	tor(out, 0, &mon->map.image, 0);
	tor(out, 2, &mon->map.data, 0);
	/* All ones: NAPOT over the whole physical address space. */
	out->entry[6].addr = UINT64_MAX >> 10;
	out->entry[6].cfg = HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X;
}

void pmp_host_layout(const struct mon *mon, struct hal_pmp_layout *out)
{
	common_layout(mon, out);
	tor(out, 4, &mon->map.confidential, 0);
}

void pmp_tvm_layout(const struct mon *mon, struct hal_pmp_layout *out)
{
	common_layout(mon, out);
	/* Entries 4 and 5 stay OFF: the TVM's G-stage decides what it reaches. */
}
