// SPDX-License-Identifier: BSD-2-Clause
/* Read-only views of monitor state: see covemon/introspect.h. */
#include "covemon/introspect.h"
#include <stddef.h>

#include "core.h"
#include "covemon/lib.h"

struct mon_region mon_introspect_confidential(const struct mon *mon)
{
	return mon->map.confidential;
}

struct mon_region mon_introspect_image(const struct mon *mon)
{
	return mon->map.image;
}

struct mon_region mon_introspect_data(const struct mon *mon)
{
	return mon->map.data;
}

bool mon_introspect_nacl(const struct mon *mon, hart_t hart, uint64_t *pa)
{
	if (hart >= mon->plat.harts || !mon->hart[hart].nacl_enabled) {
		return false;
	}
	*pa = mon->hart[hart].nacl_shmem;
	return true;
}

bool mon_introspect_tvm(const struct mon *mon, uint64_t id, struct mon_tvm_view *out)
{
	if (id == 0 || id > MON_MAX_TVMS || mon->tvm[id - 1].id != id) {
		return false;
	}
	const struct tvm *t = &mon->tvm[id - 1];
	out->id = t->id;
	out->state = t->state;
	out->vmid = t->vmid;
	out->vcpu_count = t->vcpu_count;
	out->hgatp_mode = t->mode;
	out->hgatp = ((uint64_t)t->mode << 60) | ((uint64_t)t->vmid << 44) | (t->root >> 12);
	out->root = t->root;
	out->pages = t->pages;
	out->mem_gpa = t->mem_gpa;
	out->mem_size = t->mem_size;
	out->secret = t->secret;
	/* One copy of the whole array: a byte loop here was most of the fuzz
	 * oracle's time under ASan (it asks for TVM views after every operation). */
	_Static_assert(sizeof(out->measure) == sizeof(t->measure), "the view holds every register");
	mon_memcpy(out->measure, t->measure, sizeof(out->measure));
	return true;
}

bool mon_introspect_vcpu(const struct mon *mon, uint64_t id, uint64_t vcpu,
			 struct mon_vcpu_view *out)
{
	if (id == 0 || id > MON_MAX_TVMS || mon->tvm[id - 1].id != id || vcpu >= MON_MAX_VCPUS ||
	    mon->tvm[id - 1].vcpu[vcpu].state == VCPU_NONE) {
		return false;
	}
	out->state = mon->tvm[id - 1].vcpu[vcpu].state;
	out->hart = mon->tvm[id - 1].vcpu[vcpu].hart;
	return true;
}

bool mon_introspect_page(const struct mon *mon, uint64_t pa, struct mon_page_view *out)
{
	uint64_t base = mon->map.confidential.base;

	if (pa < base || pa - base >= mon->map.confidential.size) {
		return false;
	}
	const struct page_rec *r = &mon->pages[(pa - base) / MON_PAGE_SIZE];
	out->state = r->state;
	out->owner = r->owner;
	return true;
}

const struct mon_page_view *mon_introspect_pages(const struct mon *mon, uint64_t *count)
{
	*count = mon->page_count;
	return (const struct mon_page_view *)(const void *)mon->pages;
}

uint64_t mon_introspect_pages_in_use(const struct mon *mon)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < mon->page_count; i++) {
		n += mon->pages[i].state != PAGE_FREE;
	}
	return n;
}

size_t mon_introspect_state_bytes(const struct mon *mon)
{
	return (size_t)(((uint8_t *)mon->pages - (const uint8_t *)mon) +
			mon->page_count * sizeof(*mon->pages));
}

bool mon_introspect_hart(const struct mon *mon, hart_t hart, uint64_t *tvm, uint64_t *vcpu)
{
	if (hart >= mon->plat.harts || mon->hart[hart].run_tvm == 0) {
		return false;
	}
	*tvm = mon->hart[hart].run_tvm;
	*vcpu = mon->hart[hart].run_vcpu;
	return true;
}

void mon_introspect_state_hash(const struct mon *mon, uint8_t out[SHA384_DIGEST_SIZE])
{
	struct sha384_ctx c;

	/* struct mon is zeroed at boot, so its padding is deterministic too. */
	sha384_init(&c);
	sha384_update(&c, mon, sizeof(*mon));
	sha384_update(&c, mon->pages, mon->page_count * sizeof(*mon->pages));
	sha384_final(&c, out);
}

/* The views promise the internal numbering. */
_Static_assert((int)MON_VCPU_STOPPED == (int)VCPU_STOPPED &&
		       (int)MON_VCPU_RUNNING == (int)VCPU_RUNNING &&
		       (int)MON_VCPU_DEAD == (int)VCPU_DEAD,
	       "vCPU view states follow enum vcpu_state");
_Static_assert((int)MON_PAGE_TVM_DATA == (int)PAGE_TVM_DATA &&
		       (int)MON_PAGE_TVM_META == (int)PAGE_TVM_META &&
		       (int)MON_PAGE_TVM_SECRET == (int)PAGE_TVM_SECRET,
	       "page view states follow enum page_state");
_Static_assert(sizeof(struct mon_page_view) == sizeof(struct page_rec) &&
		       offsetof(struct mon_page_view, owner) == offsetof(struct page_rec, owner),
	       "page views are the records themselves");
