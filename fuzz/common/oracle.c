// SPDX-License-Identifier: BSD-2-Clause
/*
 * The isolation invariants of DESIGN.md section 5, computed from the
 * hardware view of the emulated machine: PMP registers of every hart, the
 * TVMs' page tables as the MMU would walk them in emulated memory, TLB
 * contents, and page bytes. The monitor's records are read only to compare
 * (I3, I10). I7 and I8 are checked by the engine around each call.
 */
#include <stdio.h>
#include <string.h>

#include "covemon/introspect.h"
#include "covemon/lib.h"
#include "world_internal.h"

#define PTE_V	       UINT64_C(1)
#define PTE_RWX	       UINT64_C(0xE)
#define PPN(pte)       ((((pte) >> 10) & ((UINT64_C(1) << 44) - 1)) << 12)
#define MAX_CONF_PAGES 2048u /* 8 MiB of confidential memory */

struct walk_state {
	struct fuzz_world *fw;
	unsigned int op;
	uint64_t tvm;
	uint64_t tables; /* table pages found */
	uint64_t data;	 /* distinct confidential leaves */
	uint8_t *owner;	 /* per confidential page: TVM reaching it (0 none) */
};

static const char *const inv_i1 = "I1 host isolation";
static const char *const inv_i2 = "I2 TVM isolation";
static const char *const inv_i3 = "I3 page-table integrity";
static const char *const inv_i4 = "I4 monitor self-protection";
static const char *const inv_i5 = "I5 single scheduling";
static const char *const inv_i6 = "I6 scrubbing";
static const char *const inv_i9 = "I9 TLB coherence";
static const char *const inv_i10 = "I10 accounting";

static bool in_region(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return mon_ranges_overlap(a, len, base, size);
}

static bool monitor_memory(const struct fuzz_world *fw, uint64_t a, uint64_t len)
{
	return in_region(a, len, fw->plat.image.base, fw->plat.image.size) ||
	       in_region(a, len, fw->plat.data.base, fw->plat.data.size);
}

static bool su_reaches(const struct shim_pmp *pmp, uint64_t base, uint64_t size)
{
	static const enum shim_access kinds[] = { SHIM_ACCESS_READ, SHIM_ACCESS_WRITE,
						  SHIM_ACCESS_EXEC };
	for (size_t i = 0; i < 3; i++) {
		if (shim_pmp_any_byte_allowed(pmp, base, size, kinds[i], SHIM_PRIV_S, NULL) ||
		    shim_pmp_any_byte_allowed(pmp, base, size, kinds[i], SHIM_PRIV_U, NULL)) {
			return true;
		}
	}
	return false;
}

/* I1 and I4 on every hart's PMP, by the context running there. */
static void check_pmp(struct fuzz_world *fw, unsigned int op)
{
	for (unsigned int h = 0; h < fw->harts; h++) {
		const struct shim_hart *hart = &fw->w->hart[h];
		char d[64];

		if (hart->mode == SHIM_MODE_M) {
			continue;
		}
		/* A PMP image already found good for this kind of context: nothing to redo
		 * (layouts alternate between the host's and a TVM's). */
		bool virt = shim_mode_virt(hart->mode);
		bool known = false;
		for (unsigned int c = 0; c < 4 && !known; c++) {
			known = fw->pmp_ok[c].valid && fw->pmp_ok[c].virt == virt &&
				memcmp(&fw->pmp_ok[c].pmp, &hart->pmp, sizeof(hart->pmp)) == 0;
		}
		if (known) {
			continue;
		}
		snprintf(d, sizeof(d), "S/U on hart %u can reach ", h);
		if (su_reaches(&hart->pmp, fw->plat.image.base, fw->plat.image.size) ||
		    su_reaches(&hart->pmp, fw->plat.data.base, fw->plat.data.size)) {
			strncat(d, "monitor memory", sizeof(d) - strlen(d) - 1);
			fuzz_fail(op, shim_mode_virt(hart->mode) ? inv_i4 : inv_i1, d);
		}
		if (!shim_mode_virt(hart->mode) &&
		    su_reaches(&hart->pmp, fw->conf.base, fw->conf.size)) {
			strncat(d, "confidential memory", sizeof(d) - strlen(d) - 1);
			fuzz_fail(op, inv_i1, d);
		}
		struct fuzz_pmp_ok *slot = &fw->pmp_ok[fw->pmp_ok_next++ % 4];
		slot->valid = true;
		slot->virt = virt;
		slot->pmp = hart->pmp;
	}
}

static void check_table_page(struct walk_state *ws, uint64_t pa)
{
	struct mon_page_view pv;
	char d[96];

	if (!mon_introspect_page(ws->fw->mon, pa, &pv) || pv.state != MON_PAGE_TVM_PT ||
	    pv.owner != ws->tvm) {
		snprintf(d, sizeof(d), "TVM %llu's table page 0x%llx is not its confidential table",
			 (unsigned long long)ws->tvm, (unsigned long long)pa);
		fuzz_fail(ws->op, inv_i3, d);
	}
	ws->tables++;
}

static void check_leaf(struct walk_state *ws, uint64_t pa, uint64_t size)
{
	struct fuzz_world *fw = ws->fw;
	char d[112];

	if (in_region(pa, size, fw->conf.base, fw->conf.size)) {
		for (uint64_t off = 0; off < size; off += SHIM_PAGE_SIZE) {
			struct mon_page_view pv;
			uint64_t idx = (pa + off - fw->conf.base) / SHIM_PAGE_SIZE;

			if (!mon_introspect_page(fw->mon, pa + off, &pv) ||
			    pv.state != MON_PAGE_TVM_DATA || pv.owner != ws->tvm) {
				snprintf(
					d, sizeof(d),
					"TVM %llu reaches confidential page 0x%llx it does not own",
					(unsigned long long)ws->tvm,
					(unsigned long long)(pa + off));
				fuzz_fail(ws->op, inv_i2, d);
			}
			if (idx < MAX_CONF_PAGES) {
				if (ws->owner[idx] && ws->owner[idx] != ws->tvm) {
					fuzz_fail(ws->op, inv_i2,
						  "a confidential page in two TVMs");
				}
				if (!ws->owner[idx]) {
					ws->data++;
				}
				ws->owner[idx] = (uint8_t)ws->tvm;
			}
		}
		return;
	}
	if (monitor_memory(fw, pa, size)) {
		snprintf(d, sizeof(d), "TVM %llu's tables reach monitor memory 0x%llx",
			 (unsigned long long)ws->tvm, (unsigned long long)pa);
		fuzz_fail(ws->op, inv_i2, d);
	}
}

/* Walks one TVM's tables (hardware view) with an explicit stack. Not
 * instrumented by ASan: it reads emulated DRAM through pointers the shim
 * bounds-checked, and it runs after every operation. */
__attribute__((no_sanitize("address"))) static void walk_tvm(struct walk_state *ws,
							     const struct mon_tvm_view *t)
{
	struct {
		uint64_t table;
		const uint64_t *pte;
		unsigned int level;
		unsigned int next;
		unsigned int entries;
	} stack[5];
	unsigned int levels = t->hgatp_mode == 9 ? 4 : t->hgatp_mode == 10 ? 5 : 3;
	unsigned int depth = 1;

	for (unsigned int i = 0; i < 4; i++) {
		check_table_page(ws, t->root + (uint64_t)i * SHIM_PAGE_SIZE);
	}
	stack[0].table = t->root;
	stack[0].pte = NULL;
	stack[0].level = levels - 1;
	stack[0].next = 0;
	stack[0].entries = 2048;
	while (depth) {
		typeof(&stack[0]) f = &stack[depth - 1];
		uint64_t pte = 0;

		if (f->next == f->entries) {
			depth--;
			continue;
		}
		if (!f->pte) {
			f->pte = (const uint64_t *)(const void *)shim_mem_ptr(
				&ws->fw->w->mem, f->table, (size_t)f->entries * 8, false);
			if (!f->pte) {
				fuzz_fail(ws->op, inv_i3, "a table outside memory");
			}
		}
		pte = f->pte[f->next++];
		if (!(pte & PTE_V)) {
			continue;
		}
		if (pte & PTE_RWX) {
			check_leaf(ws, PPN(pte), UINT64_C(1) << (12 + 9 * f->level));
			continue;
		}
		if (f->level == 0 || depth == 5) {
			fuzz_fail(ws->op, inv_i3, "a pointer PTE at level 0");
		}
		check_table_page(ws, PPN(pte));
		stack[depth].table = PPN(pte);
		stack[depth].pte = NULL;
		stack[depth].level = f->level - 1;
		stack[depth].next = 0;
		stack[depth].entries = 512;
		depth++;
	}
}

/* I5: the monitor's view of who runs where matches the harts' modes. */
static void check_running(struct fuzz_world *fw, unsigned int op)
{
	for (unsigned int h = 0; h < fw->harts; h++) {
		uint64_t rt;
		uint64_t rv;
		bool runs = mon_introspect_hart(fw->mon, h, &rt, &rv);
		struct mon_tvm_view t;
		struct mon_vcpu_view vv;
		if (runs != shim_mode_virt(fw->w->hart[h].mode)) {
			fuzz_fail(op, inv_i5,
				  "a hart's mode disagrees with the vCPU the monitor put there");
		}
		if (runs && (!mon_introspect_tvm(fw->mon, rt, &t) ||
			     !mon_introspect_vcpu(fw->mon, rt, rv, &vv) ||
			     vv.state != MON_VCPU_RUNNING || vv.hart != h)) {
			fuzz_fail(op, inv_i5,
				  "a hart runs a vCPU that is not running there (or is gone)");
		}
	}
}

/* I2, I3, I10 over all TVMs, and I5 per vCPU. */
static void check_tvms(struct fuzz_world *fw, unsigned int op)
{
	static uint8_t owner[MAX_CONF_PAGES];
	uint64_t data_owned[9] = { 0 };
	uint64_t pt_owned[9] = { 0 };
	uint64_t secret_owned[9] = { 0 };
	uint64_t conf_pages = fw->conf.size / SHIM_PAGE_SIZE;

	/* One pass over the records: what each TVM owns. */
	uint64_t nrec;
	const struct mon_page_view *rec = mon_introspect_pages(fw->mon, &nrec);
	for (uint64_t p = 0; p < conf_pages && p < nrec; p++) {
		struct mon_page_view pv = rec[p];
		if (pv.state == MON_PAGE_FREE || pv.owner > 8) {
			continue;
		}
		data_owned[pv.owner] += pv.state == MON_PAGE_TVM_DATA;
		pt_owned[pv.owner] += pv.state == MON_PAGE_TVM_PT;
		secret_owned[pv.owner] += pv.state == MON_PAGE_TVM_SECRET;
		if (pv.state == MON_PAGE_TVM_META) {
			fuzz_fail(op, inv_i10, "scratch pages outlived the call that took them");
		}
	}
	memset(owner, 0, sizeof(owner));
	for (uint64_t id = 1; id <= 8; id++) {
		struct mon_tvm_view t;
		struct walk_state ws = { .fw = fw, .op = op, .tvm = id, .owner = owner };

		if (!mon_introspect_tvm(fw->mon, id, &t)) {
			if (data_owned[id] || pt_owned[id] || secret_owned[id]) {
				fuzz_fail(op, inv_i10, "pages owned by a TVM that does not exist");
			}
			continue;
		}
		if (secret_owned[id] > 1) {
			fuzz_fail(op, inv_i10, "a TVM owns more than one secret page");
		}
		walk_tvm(&ws, &t);
		if (data_owned[id] != ws.data || pt_owned[id] != ws.tables) {
			char d[128];
			snprintf(d, sizeof(d),
				 "TVM %llu owns %llu data/%llu table pages, tables reach %llu/%llu",
				 (unsigned long long)id, (unsigned long long)data_owned[id],
				 (unsigned long long)pt_owned[id], (unsigned long long)ws.data,
				 (unsigned long long)ws.tables);
			fuzz_fail(op, inv_i10, d);
		}
		for (uint64_t v = 0; v < t.vcpu_count; v++) {
			struct mon_vcpu_view vv;
			uint64_t rt;
			uint64_t rv;
			if (!mon_introspect_vcpu(fw->mon, id, v, &vv) ||
			    vv.state != MON_VCPU_RUNNING) {
				continue;
			}
			if (vv.hart >= fw->harts || !shim_mode_virt(fw->w->hart[vv.hart].mode) ||
			    !mon_introspect_hart(fw->mon, vv.hart, &rt, &rv) || rt != id ||
			    rv != v) {
				fuzz_fail(op, inv_i5, "a running vCPU is not the one on its hart");
			}
		}
	}
	check_running(fw, op);
}

/* I6: a free confidential page written since the snapshot must be zero again. */
__attribute__((no_sanitize("address"))) static void check_scrub(struct fuzz_world *fw,
								unsigned int op)
{
	const struct shim_mem *mem = &fw->w->mem;

	for (size_t i = 0; i < mem->dirty_count; i++) {
		uint64_t pa = mem->base + (uint64_t)mem->dirty_list[i] * SHIM_PAGE_SIZE;
		struct mon_page_view pv;
		const uint8_t *bytes;

		if (!mon_introspect_page(fw->mon, pa, &pv) || pv.state != MON_PAGE_FREE) {
			continue;
		}
		bytes = mem->dram + (pa - mem->base);
		for (size_t b = 0; b < SHIM_PAGE_SIZE; b++) {
			if (bytes[b]) {
				char d[80];
				snprintf(d, sizeof(d), "free confidential page 0x%llx holds data",
					 (unsigned long long)pa);
				fuzz_fail(op, inv_i6, d);
			}
		}
	}
}

/*
 * I9: every cached translation agrees with the tables of the context that
 * runs on the hart (world switches flush); a host hart caches nothing that
 * reaches confidential or monitor memory.
 */
static void check_tlbs(struct fuzz_world *fw, unsigned int op)
{
	for (unsigned int h = 0; h < fw->harts; h++) {
		const struct shim_hart *hart = &fw->w->hart[h];
		uint64_t rt = 0;
		uint64_t rv = 0;
		bool guest = mon_introspect_hart(fw->mon, h, &rt, &rv);
		struct mon_tvm_view t;

		if (guest && !mon_introspect_tvm(fw->mon, rt, &t)) {
			fuzz_fail(op, inv_i9, "a hart runs a vCPU of a TVM that does not exist");
		}
		for (unsigned int e = 0; e < SHIM_TLB_ENTRIES; e++) {
			const struct shim_tlb_entry *te = &hart->tlb.entry[e];
			uint64_t size = UINT64_C(1) << te->shift;
			uint64_t pa;
			uint64_t pte;
			unsigned int shift;

			if (!te->valid) {
				continue;
			}
			if (!guest) {
				if (in_region(te->hpa, size, fw->conf.base, fw->conf.size) ||
				    monitor_memory(fw, te->hpa, size)) {
					fuzz_fail(op, inv_i9,
						  "a host hart caches a protected translation");
				}
				continue;
			}
			if (!shim_mmu_gstage_lookup(&fw->w->mem, t.hgatp, te->gpa, &pa, &pte,
						    &shift) ||
			    (pa & ~(size - 1)) != te->hpa) {
				char d[96];
				snprintf(d, sizeof(d),
					 "hart %u caches GPA 0x%llx the tables no longer map", h,
					 (unsigned long long)te->gpa);
				fuzz_fail(op, inv_i9, d);
			}
		}
	}
}

void fuzz_poison_free_pages(struct fuzz_world *fw)
{
	uint64_t n;
	const struct mon_page_view *rec = mon_introspect_pages(fw->mon, &n);

	/* Any access to a free confidential page through a host pointer is a bug:
	 * ASan reports it at once (hal_mon_map unpoisons what the monitor takes). */
	for (uint64_t p = 0; p < n; p++) {
		if (rec[p].state == MON_PAGE_FREE) {
			shim_mem_poison(&fw->w->mem, fw->conf.base + p * SHIM_PAGE_SIZE,
					SHIM_PAGE_SIZE);
		}
	}
}

void fuzz_oracle_check(struct fuzz_world *fw, unsigned int op_index)
{
	check_pmp(fw, op_index);
	/* Tables and records live in tracked memory: unchanged memory, unchanged verdict. */
	if (!fw->checked_valid || fw->w->mem.watch_writes != fw->checked_writes) {
		check_tvms(fw, op_index);
		fuzz_poison_free_pages(fw);
		fw->checked_writes = fw->w->mem.watch_writes;
	} else {
		check_running(fw, op_index);
	}
	fw->checked_valid = true;
	check_scrub(fw, op_index);
	check_tlbs(fw, op_index);
}
