// SPDX-License-Identifier: BSD-2-Clause
/* TVM slots, VMIDs and teardown. */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/lib.h"

struct tvm *tvm_get(struct mon *mon, uint64_t id)
{
	if (id == 0 || id > MON_MAX_TVMS || mon->tvm[id - 1].id != id) {
		return NULL;
	}
	return &mon->tvm[id - 1];
}

hartmask_t tvm_all_harts(const struct mon *mon)
{
	return mon->plat.harts >= 64 ? ~(hartmask_t)0 : (((hartmask_t)1 << mon->plat.harts) - 1);
}

/* Lowest VMID no live TVM uses; 0 (shared with the host) when VMIDLEN is too small. */
static uint16_t free_vmid(const struct mon *mon)
{
	uint64_t limit = UINT64_C(1) << mon->plat.vmid_bits;

	for (uint64_t v = 1; v < limit && v <= MON_MAX_TVMS; v++) {
		bool used = false;
		for (unsigned int i = 0; i < MON_MAX_TVMS; i++) {
			used |= mon->tvm[i].id && mon->tvm[i].vmid == v;
		}
		if (!used) {
			return (uint16_t)v;
		}
	}
	return 0;
}

struct tvm *tvm_alloc(struct mon *mon)
{
	for (unsigned int i = 0; i < MON_MAX_TVMS; i++) {
		struct tvm *t = &mon->tvm[i];

		if (t->id == 0) {
			uint16_t vmid = free_vmid(mon);
			mon_memset(t, 0, sizeof(*t));
			t->id = (uint8_t)(i + 1);
			t->vmid = vmid;
			t->quota = mon->plat.tvm_quota_pages &&
						   mon->plat.tvm_quota_pages < mon->page_count
					   ? mon->plat.tvm_quota_pages
					   : mon->page_count;
			t->state = COVE_TVM_INITIALIZING;
			return t;
		}
	}
	return NULL;
}

void tvm_release(struct mon *mon, hart_t hart, struct tvm *tvm)
{
	struct hal_fence fence = { .kind = HAL_FENCE_GVMA_VMID, .vmid = tvm->vmid };

	/* No hart may keep a translation to a page that is about to be reused (flaw 6). */
	hal_fence(hart, tvm_all_harts(mon), &fence);
	pages_free_owner(mon, tvm);
	/* The record stays in the monitor's memory (the slot is reused): plain stores, which
	 * the compiler cannot drop, clear it; explicit zeroing is for objects that die. */
	mon_memset(tvm, 0, sizeof(*tvm));
}

struct sbi_result tvm_destroy(struct mon *mon, hart_t hart, const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };
	struct tvm *tvm = tvm_get(mon, call->arg[0]);

	if (!tvm) {
		r.err = MON_ERR_INVALID_PARAM;
		return r;
	}
	for (unsigned int v = 0; v < MON_MAX_VCPUS; v++) {
		if (tvm->vcpu[v].state == VCPU_RUNNING) {
			r.err = MON_ERR_FAILED; /* a vCPU is on a hart: stop it first */
			return r;
		}
	}
	tvm_release(mon, hart, tvm);
	return r;
}
