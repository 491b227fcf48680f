// SPDX-License-Identifier: BSD-2-Clause
/*
 * The isolation invariants of DESIGN.md section 5, computed from the
 * hardware view of the emulated machine: PMP registers of every hart, the
 * TVMs' page tables as the MMU would walk them in emulated memory, TLB
 * contents, and page bytes. The monitor's records are read only to compare
 * (I3, I10). I7 and I8 are checked by the engine around each call.
 *
 * Every invariant is checked after every operation, but incrementally: a
 * verdict is recomputed only from inputs that changed since it was last
 * found good. What feeds which verdict, and how a change is seen:
 *
 *   I1, I4    a hart's PMP registers and context   compared with the images found good
 *   I2, I3,   the TVMs (id, root, mode) and the    compared with the last ones after the
 *   I10       page records                         monitor ran (with exact line sets, only
 *                                                  the records in lines written since)
 *             the table pages the walk went through  writes tracked by the shim
 *   I5        the monitor's hart and vCPU views,   (cheap: always)
 *             the harts' modes
 *   I6        free pages' bytes, the page records  pages written (tracked) or freed
 *   I9        a hart's TLB (stamp), its context,   compared with what was found good
 *             the tables
 *
 * Two facts make this exact. Confidential memory is written only through
 * the shim's tracked paths (shim_mem_write, shim_mem_ptr with write: the
 * monitor maps those pages afresh for every use; with exact line sets, the
 * monitor's own stores, each reported), which is what shim_mem_watch_pages
 * reports. A table page written makes only its TVM's part of the cached
 * walk stale. The monitor's own memory (TVMs, records)
 * changes only while the monitor runs (w->monitor_entries counts its
 * entries): any other write there is for I1/I4 (and the engine's host-store
 * check) to catch. FUZZ_ORACLE_FULL recomputes everything from scratch;
 * FUZZ_ORACLE_CROSS runs both and aborts when they disagree
 * (COVEMON_FUZZ_ORACLE=full|cross); fuzz/tests/test_oracle.c compares them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/introspect.h"
#include "covemon/lib.h"
#include "world_internal.h"

#define PTE_V	 UINT64_C(1)
#define PTE_RWX	 UINT64_C(0xE)
#define PPN(pte) ((((pte) >> 10) & ((UINT64_C(1) << 44) - 1)) << 12)

enum fuzz_oracle_mode fuzz_oracle_mode = FUZZ_ORACLE_INCREMENTAL;

static const char *const inv_i1 = "I1 host isolation";
static const char *const inv_i2 = "I2 TVM isolation";
static const char *const inv_i3 = "I3 page-table integrity";
static const char *const inv_i4 = "I4 monitor self-protection";
static const char *const inv_i5 = "I5 single scheduling";
static const char *const inv_i6 = "I6 scrubbing";
static const char *const inv_i9 = "I9 TLB coherence";
static const char *const inv_i10 = "I10 accounting";

/* One oracle run: what it may reuse, what it found. */
struct run {
	struct fuzz_world *fw;
	bool full;			 /* recompute everything, touch no cache */
	struct fuzz_verdict *v;		 /* the first violation */
	const struct mon_page_view *rec; /* the monitor's records (hardware view of its data) */
	uint64_t nrec;			 /* records that are confidential pages */
	bool tvm_known[FUZZ_TVMS + 1];
	bool tvm_exists[FUZZ_TVMS + 1];
	struct mon_tvm_view tvm[FUZZ_TVMS + 1];
	size_t nchanged;  /* records that changed since the cache (fw->changed) */
	bool monitor_ran; /* the monitor ran since the cache was last brought up to date */
};

/* ------------------------------------------------------------ helpers --- */

/*
 * A plain word copy over emulated DRAM and harness buffers, without ASan's and
 * UBSan's per-access checks (which stop vectorisation and made a 77 KiB
 * compare cost more than the call it checks; shim_lines_equal compares).
 */
__attribute__((no_sanitize("address", "undefined"))) void fuzz_raw_copy(void *dst, const void *src,
									size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;

	for (size_t i = 0; i < n / 8; i++) {
		d[i] = s[i];
	}
}

/* Records the first violation of this run; returns false (so callers return it). */
__attribute__((format(printf, 3, 4), cold, noinline)) static bool
fail(struct run *r, const char *invariant, const char *fmt, ...)
{
	va_list ap;

	if (!r->v->invariant) {
		r->v->invariant = invariant;
		va_start(ap, fmt);
		vsnprintf(r->v->detail, sizeof(r->v->detail), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool in_region(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return mon_ranges_overlap(a, len, base, size);
}

static bool monitor_memory(const struct fuzz_world *fw, uint64_t a, uint64_t len)
{
	return in_region(a, len, fw->plat.image.base, fw->plat.image.size) ||
	       in_region(a, len, fw->plat.data.base, fw->plat.data.size);
}

/* The view of TVM @id (1..8), asked of the monitor once per run; NULL when there is none. */
static const struct mon_tvm_view *tvm_view(struct run *r, uint64_t id)
{
	if (id == 0 || id > FUZZ_TVMS) {
		return mon_introspect_tvm(r->fw->mon, id, &r->tvm[0]) ? &r->tvm[0] : NULL;
	}
	if (!r->tvm_known[id]) {
		r->tvm_known[id] = true;
		r->tvm_exists[id] = mon_introspect_tvm(r->fw->mon, id, &r->tvm[id]);
	}
	return r->tvm_exists[id] ? &r->tvm[id] : NULL;
}

static uint64_t conf_page_index(const struct fuzz_world *fw, uint64_t pa)
{
	return (pa - fw->conf.base) / SHIM_PAGE_SIZE;
}

/* ------------------------------------------------------------ I1, I4 --- */

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

static bool pmp_known(const struct fuzz_pmp_ok *ok, bool virt, const struct shim_pmp *pmp)
{
	return ok->valid && ok->virt == virt && shim_pmp_same_registers(&ok->pmp, pmp);
}

/* I1 and I4 on every hart's PMP, by the context running there. */
static bool check_pmp(struct run *r)
{
	struct fuzz_world *fw = r->fw;

	for (unsigned int h = 0; h < fw->harts; h++) {
		const struct shim_hart *hart = &fw->w->hart[h];
		bool virt = shim_mode_virt(hart->mode);

		if (hart->mode == SHIM_MODE_M) {
			continue;
		}
		/* The image this hart had when last found good, or one found good in this kind
		 * of context (layouts alternate between the host's and a TVM's): nothing to
		 * redo, the verdict depends only on the image and the context. */
		bool known = false;
		if (!r->full) {
			known = pmp_known(&fw->pmp_last[h], virt, &hart->pmp);
			for (unsigned int c = 0; c < 4 && !known; c++) {
				known = pmp_known(&fw->pmp_ok[c], virt, &hart->pmp);
			}
		}
		if (!known) {
			if (su_reaches(&hart->pmp, fw->plat.image.base, fw->plat.image.size) ||
			    su_reaches(&hart->pmp, fw->plat.data.base, fw->plat.data.size)) {
				return fail(r, virt ? inv_i4 : inv_i1,
					    "S/U on hart %u can reach monitor memory", h);
			}
			if (!virt && su_reaches(&hart->pmp, fw->conf.base, fw->conf.size)) {
				return fail(r, inv_i1,
					    "S/U on hart %u can reach confidential memory", h);
			}
			if (r->full) {
				continue;
			}
			struct fuzz_pmp_ok *slot = &fw->pmp_ok[fw->pmp_ok_next++ % 4];
			slot->valid = true;
			slot->virt = virt;
			slot->pmp = hart->pmp;
		}
		if (!r->full && !pmp_known(&fw->pmp_last[h], virt, &hart->pmp)) {
			fw->pmp_last[h].valid = true;
			fw->pmp_last[h].virt = virt;
			fw->pmp_last[h].pmp = hart->pmp;
		}
	}
	return true;
}

/* -------------------------------------------------------- I2, I3, I10 --- */

struct walk_state {
	struct run *r;
	struct fuzz_walk *out;
	uint64_t tvm;
};

/* Page @idx is reached by the TVM walked: its owner, within the TVM's span. */
static void walk_claim(struct walk_state *ws, uint64_t idx)
{
	uint16_t *span = ws->out->span[ws->tvm];

	_Static_assert(FUZZ_CONF_PAGES_MAX <= UINT16_MAX, "page indexes fit a span");
	ws->out->owner[idx] = (uint8_t)ws->tvm;
	if (span[0] == span[1]) {
		span[0] = (uint16_t)idx;
		span[1] = (uint16_t)(idx + 1);
	} else if (idx < span[0]) {
		span[0] = (uint16_t)idx;
	} else if (idx >= span[1]) {
		span[1] = (uint16_t)(idx + 1);
	}
}

static bool check_table_page(struct walk_state *ws, uint64_t pa)
{
	struct fuzz_world *fw = ws->r->fw;
	uint64_t idx = conf_page_index(fw, pa);

	if (pa < fw->conf.base || idx >= ws->r->nrec || ws->r->rec[idx].state != MON_PAGE_TVM_PT ||
	    ws->r->rec[idx].owner != ws->tvm) {
		return fail(ws->r, inv_i3,
			    "TVM %llu's table page 0x%llx is not its confidential table",
			    (unsigned long long)ws->tvm, (unsigned long long)pa);
	}
	if (idx < FUZZ_CONF_PAGES_MAX) {
		ws->out->state[idx] = MON_PAGE_TVM_PT;
		walk_claim(ws, idx);
	}
	ws->out->tables[ws->tvm]++;
	return true;
}

static bool check_leaf(struct walk_state *ws, uint64_t pa, uint64_t size)
{
	struct fuzz_world *fw = ws->r->fw;

	if (in_region(pa, size, fw->conf.base, fw->conf.size)) {
		for (uint64_t off = 0; off < size; off += SHIM_PAGE_SIZE) {
			uint64_t idx = conf_page_index(fw, pa + off);

			if (pa + off < fw->conf.base || idx >= ws->r->nrec ||
			    ws->r->rec[idx].state != MON_PAGE_TVM_DATA ||
			    ws->r->rec[idx].owner != ws->tvm) {
				return fail(
					ws->r, inv_i2,
					"TVM %llu reaches confidential page 0x%llx it does not own",
					(unsigned long long)ws->tvm,
					(unsigned long long)(pa + off));
			}
			if (idx < FUZZ_CONF_PAGES_MAX) {
				uint8_t *owner = &ws->out->owner[idx];
				if (*owner && *owner != ws->tvm) {
					return fail(ws->r, inv_i2,
						    "a confidential page in two TVMs");
				}
				if (!*owner) {
					ws->out->data[ws->tvm]++;
				}
				walk_claim(ws, idx);
				ws->out->state[idx] = MON_PAGE_TVM_DATA;
			}
		}
		return true;
	}
	if (monitor_memory(fw, pa, size)) {
		return fail(ws->r, inv_i2, "TVM %llu's tables reach monitor memory 0x%llx",
			    (unsigned long long)ws->tvm, (unsigned long long)pa);
	}
	return true;
}

/*
 * The index of the first valid PTE in @pte[@from, @n), or @n. Most entries
 * are invalid: a line of eight is passed over with one test when @zero (one
 * mask per 4 KiB of the table, bit k for line k) knows it holds zeros, else
 * read. NULL @zero: every line is read.
 */
__attribute__((no_sanitize("address", "undefined"))) static unsigned int
next_valid(const uint64_t *pte, unsigned int from, unsigned int n, const uint64_t *zero)
{
	enum { LINE = 8, PAGE = 512 };

	while (from < n) {
		unsigned int page = from / PAGE;
		uint64_t read = zero ? ~zero[page] : UINT64_MAX;
		read &= UINT64_MAX << (from % PAGE / LINE);
		if (!read) {
			from = (page + 1) * PAGE;
			continue;
		}
		unsigned int line = page * (PAGE / LINE) + (unsigned int)__builtin_ctzll(read);
		from = from > line * LINE ? from : line * LINE;
		unsigned int end = (line + 1) * LINE < n ? (line + 1) * LINE : n;
		uint64_t any = 0;
		for (unsigned int j = from; j < end; j++) {
			any |= pte[j];
		}
		if (any & PTE_V) {
			while (!(pte[from] & PTE_V)) {
				from++;
			}
			return from;
		}
		from = end;
	}
	return n;
}

/* Walks one TVM's tables (hardware view) with an explicit stack. Not
 * instrumented by ASan: it reads emulated DRAM through pointers the shim
 * bounds-checked. */
__attribute__((no_sanitize("address"))) static bool walk_tvm(struct walk_state *ws,
							     const struct mon_tvm_view *t)
{
	struct {
		uint64_t table;
		const uint64_t *pte;
		unsigned int level;
		unsigned int next;
		unsigned int entries;
		uint64_t zero[4]; /* lines known zero, per 4 KiB of the table */
	} stack[5];
	/* From scratch every entry is read; incrementally, lines the write tracking
	 * knows to be zero are not (fuzz_oracle_verdict compares the two walks). */
	bool skip_zero = !ws->r->full && ws->r->fw->w->mem.lines_exact;
	unsigned int levels = t->hgatp_mode == 9 ? 4 : t->hgatp_mode == 10 ? 5 : 3;
	unsigned int depth = 1;

	for (unsigned int i = 0; i < 4; i++) {
		if (!check_table_page(ws, t->root + (uint64_t)i * SHIM_PAGE_SIZE)) {
			return false;
		}
	}
	stack[0].table = t->root;
	stack[0].pte = NULL;
	stack[0].level = levels - 1;
	stack[0].next = 0;
	stack[0].entries = 2048;
	while (depth) {
		typeof(&stack[0]) f = &stack[depth - 1];
		uint64_t pte = 0;

		if (!f->pte) {
			f->pte = (const uint64_t *)(const void *)shim_mem_ptr(
				&ws->r->fw->w->mem, f->table, (size_t)f->entries * 8, false);
			if (!f->pte) {
				return fail(ws->r, inv_i3, "a table outside memory");
			}
			for (unsigned int p = 0; skip_zero && p < f->entries / 512; p++) {
				f->zero[p] = shim_mem_lines_known_zero(
					&ws->r->fw->w->mem,
					f->table + (uint64_t)p * SHIM_PAGE_SIZE);
			}
		}
		f->next = next_valid(f->pte, f->next, f->entries, skip_zero ? f->zero : NULL);
		if (f->next == f->entries) {
			depth--;
			continue;
		}
		pte = f->pte[f->next++];
		if (pte & PTE_RWX) {
			if (!check_leaf(ws, PPN(pte), UINT64_C(1) << (12 + 9 * f->level))) {
				return false;
			}
			continue;
		}
		if (f->level == 0 || depth == 5) {
			return fail(ws->r, inv_i3, "a pointer PTE at level 0");
		}
		if (!check_table_page(ws, PPN(pte))) {
			return false;
		}
		stack[depth].table = PPN(pte);
		stack[depth].pte = NULL;
		stack[depth].level = f->level - 1;
		stack[depth].next = 0;
		stack[depth].entries = 512;
		depth++;
	}
	return true;
}

/* The TVMs whose tables a walk covers, as the monitor describes them now. */
static void walk_keys(struct run *r, struct fuzz_walk_key key[FUZZ_TVMS])
{
	memset(key, 0, sizeof(key[0]) * FUZZ_TVMS);
	for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
		const struct mon_tvm_view *t = tvm_view(r, id);
		if (t) {
			key[id - 1].root = t->root;
			key[id - 1].mode = t->hgatp_mode;
		}
	}
}

/*
 * Forgets what @walk found for TVM @id: the pages it reached (within its
 * span: a TVM's pages are a few of the 2048, and this runs after every
 * operation that changed its tables), its counts.
 */
static void walk_forget(struct fuzz_walk *walk, uint64_t id)
{
	for (size_t idx = walk->span[id][0]; idx < walk->span[id][1]; idx++) {
		uint8_t keep = (uint8_t) - (walk->owner[idx] != id);
		walk->owner[idx] &= keep;
		walk->state[idx] &= keep;
	}
	walk->span[id][0] = 0;
	walk->span[id][1] = 0;
	walk->data[id] = 0;
	walk->tables[id] = 0;
}

/*
 * Walks the tables of the TVMs in @ids (bit k: TVM id k) into @walk, which
 * holds nothing of them, checking each page against the records (I2, I3).
 * The other TVMs' parts stay: a page one of them reaches and one walked here
 * reaches too is found in two TVMs, as a walk of all would find it.
 */
static bool walk_ids(struct run *r, struct fuzz_walk *walk, uint32_t ids)
{
	struct fuzz_walk_key key[FUZZ_TVMS];

	walk->valid = false;
	walk_keys(r, key);
	for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
		const struct mon_tvm_view *t = tvm_view(r, id);
		struct walk_state ws = { .r = r, .out = walk, .tvm = id };

		if (!(ids >> id & 1)) {
			continue;
		}
		walk->key[id - 1] = key[id - 1];
		if (t && !walk_tvm(&ws, t)) {
			return false;
		}
	}
	walk->valid = true;
	return true;
}

#define WALK_ALL_TVMS ((UINT32_C(1) << (FUZZ_TVMS + 1)) - 2)
_Static_assert(FUZZ_TVMS < 32, "one bit per TVM id");

/* Walks every TVM's tables into @out, checking each page against the records (I2, I3). */
static bool walk_all(struct run *r, struct fuzz_walk *out)
{
	memset(out, 0, sizeof(*out));
	return walk_ids(r, out, WALK_ALL_TVMS);
}

/* Walks again the TVMs in @ids, in place of what @walk held for them. */
static bool walk_some(struct run *r, struct fuzz_walk *walk, uint32_t ids)
{
	for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
		if (ids >> id & 1) {
			walk_forget(walk, id);
		}
	}
	return walk_ids(r, walk, ids);
}

/*
 * The TVMs whose part of the cached walk may no longer describe their
 * tables: another TVM (or none) under the id, or one of their table pages
 * written. 0: the whole walk is current.
 */
static uint32_t walk_stale(struct run *r, const struct fuzz_walk *walk)
{
	struct fuzz_world *fw = r->fw;
	struct fuzz_walk_key key[FUZZ_TVMS];
	const uint32_t *written;
	size_t n = shim_mem_watch_pages(&fw->w->mem, &written);
	uint64_t first = (fw->conf.base - fw->w->mem.base) / SHIM_PAGE_SIZE;
	uint32_t stale = 0;

	if (!walk->valid) {
		return WALK_ALL_TVMS;
	}
	/* The TVMs are the monitor's memory: unchanged while it did not run. */
	if (r->monitor_ran) {
		walk_keys(r, key);
		for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
			/* By field: under ASan each memcmp call checks two ranges. */
			if (key[id - 1].root != walk->key[id - 1].root ||
			    key[id - 1].mode != walk->key[id - 1].mode) {
				stale |= UINT32_C(1) << id;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t idx = written[i] - first;
		if (written[i] >= first && idx < FUZZ_CONF_PAGES_MAX &&
		    walk->state[idx] == MON_PAGE_TVM_PT) {
			stale |= UINT32_C(1) << walk->owner[idx];
		}
	}
	return stale;
}

/* The records of pages the cached walk reached still say what the walk found (I2, I3). */
static bool check_changed_against_walk(struct run *r, const struct fuzz_walk *walk)
{
	for (size_t i = 0; i < r->nchanged; i++) {
		uint32_t idx = r->fw->changed[i];
		uint64_t pa = r->fw->conf.base + (uint64_t)idx * SHIM_PAGE_SIZE;

		if (!walk->state[idx]) {
			continue; /* unreached: I10's counts say whether it may be owned */
		}
		if (r->rec[idx].state == walk->state[idx] &&
		    r->rec[idx].owner == walk->owner[idx]) {
			continue;
		}
		if (walk->state[idx] == MON_PAGE_TVM_PT) {
			return fail(r, inv_i3,
				    "TVM %u's table page 0x%llx is not its confidential table",
				    walk->owner[idx], (unsigned long long)pa);
		}
		return fail(r, inv_i2, "TVM %u reaches confidential page 0x%llx it does not own",
			    walk->owner[idx], (unsigned long long)pa);
	}
	return true;
}

enum { OWN_DATA, OWN_PT, OWN_SECRET, OWN_META, OWN_KINDS };
_Static_assert(OWN_KINDS == sizeof(((struct fuzz_oracle_cache *)0)->owned[0]) / sizeof(uint32_t),
	       "a count per kind");

/* What a record counts as in fuzz_oracle_cache.owned: a kind, or OWN_KINDS for nothing. */
static unsigned int own_kind(struct mon_page_view pv)
{
	if (pv.state == MON_PAGE_FREE || pv.owner > FUZZ_TVMS) {
		return OWN_KINDS;
	}
	switch (pv.state) {
	case MON_PAGE_TVM_DATA: return OWN_DATA;
	case MON_PAGE_TVM_PT: return OWN_PT;
	case MON_PAGE_TVM_SECRET: return OWN_SECRET;
	case MON_PAGE_TVM_META: return OWN_META;
	default: return OWN_KINDS;
	}
}

/* The counts of the records, from scratch. */
static void count_owned(const struct run *r, uint32_t owned[FUZZ_TVMS + 1][OWN_KINDS])
{
	memset(owned, 0, sizeof(uint32_t) * (FUZZ_TVMS + 1) * OWN_KINDS);
	for (uint64_t p = 0; p < r->nrec; p++) {
		unsigned int k = own_kind(r->rec[p]);
		if (k < OWN_KINDS) {
			owned[r->rec[p].owner][k]++;
		}
	}
}

/* I10 from the records' counts (@owned), against what the walk found. */
static bool check_accounting(struct run *r, const struct fuzz_walk *walk,
			     const uint32_t owned[FUZZ_TVMS + 1][OWN_KINDS])
{
	for (uint64_t id = 0; id <= FUZZ_TVMS; id++) {
		if (owned[id][OWN_META]) {
			return fail(r, inv_i10, "scratch pages outlived the call that took them");
		}
	}
	for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
		const uint32_t *o = owned[id];
		if (!tvm_view(r, id)) {
			if (o[OWN_DATA] || o[OWN_PT] || o[OWN_SECRET]) {
				return fail(r, inv_i10, "pages owned by a TVM that does not exist");
			}
			continue;
		}
		if (o[OWN_SECRET] > 1) {
			return fail(r, inv_i10, "a TVM owns more than one secret page");
		}
		if (o[OWN_DATA] != walk->data[id] || o[OWN_PT] != walk->tables[id]) {
			return fail(
				r, inv_i10,
				"TVM %llu owns %llu data/%llu table pages, tables reach %llu/%llu",
				(unsigned long long)id, (unsigned long long)o[OWN_DATA],
				(unsigned long long)o[OWN_PT], (unsigned long long)walk->data[id],
				(unsigned long long)walk->tables[id]);
		}
	}
	return true;
}

/* I2, I3 and I10 over all TVMs. */
static bool check_tvms(struct run *r)
{
	struct fuzz_world *fw = r->fw;

	if (r->full) {
		uint32_t owned[FUZZ_TVMS + 1][OWN_KINDS];
		count_owned(r, owned);
		return walk_all(r, &fw->walk_full) && check_accounting(r, &fw->walk_full, owned);
	}
	struct fuzz_walk *walk = &fw->cache.walk;
	uint32_t stale = fw->cache.valid ? walk_stale(r, walk) : WALK_ALL_TVMS;
	if (!stale && r->nchanged == 0) {
		return true; /* same tables, same records: same verdict */
	}
	if (stale) {
		fw->cache.walk_gen++;
		fw->log.walk = true;
		if (!(stale == WALK_ALL_TVMS ? walk_all(r, walk) : walk_some(r, walk, stale))) {
			walk->valid = false;
			return false;
		}
	}
	/* The records of pages the TVMs not walked again reach. */
	if (!check_changed_against_walk(r, walk)) {
		return false;
	}
	return check_accounting(r, walk, fw->cache.owned);
}

/* ----------------------------------------------------------------- I5 --- */

static bool check_running(struct run *r)
{
	struct fuzz_world *fw = r->fw;

	/* The monitor's view of who runs where matches the harts' modes. */
	for (unsigned int h = 0; h < fw->harts; h++) {
		uint64_t rt;
		uint64_t rv;
		bool runs = mon_introspect_hart(fw->mon, h, &rt, &rv);
		struct mon_vcpu_view vv;

		if (runs != shim_mode_virt(fw->w->hart[h].mode)) {
			return fail(r, inv_i5,
				    "a hart's mode disagrees with the vCPU the monitor put there");
		}
		if (runs && (!tvm_view(r, rt) || !mon_introspect_vcpu(fw->mon, rt, rv, &vv) ||
			     vv.state != MON_VCPU_RUNNING || vv.hart != h)) {
			return fail(r, inv_i5,
				    "a hart runs a vCPU that is not running there (or is gone)");
		}
	}
	/* Every vCPU the monitor says is running is the one on its hart. */
	for (uint64_t id = 1; id <= FUZZ_TVMS; id++) {
		const struct mon_tvm_view *t = tvm_view(r, id);

		for (uint64_t v = 0; t && v < t->vcpu_count; v++) {
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
				return fail(r, inv_i5, "a running vCPU is not the one on its hart");
			}
		}
	}
	return true;
}

/* ----------------------------------------------------------------- I6 --- */

__attribute__((no_sanitize("address", "undefined"))) static bool
page_is_zero(const struct shim_mem *mem, uint64_t pa)
{
	const uint64_t *w = (const uint64_t *)(const void *)(mem->dram + (pa - mem->base));
	uint64_t any = 0;

	for (size_t i = 0; i < SHIM_PAGE_SIZE / 8; i++) {
		any |= w[i];
	}
	return any == 0;
}

/*
 * Incrementally, a page the write tracking shows zero (the monitor's scrub
 * was a zeroing memset, and nothing wrote it since) is not read; from scratch
 * every page is, so the cross-checked oracle (COVEMON_FUZZ_ORACLE=cross) holds
 * the tracking to the bytes.
 */
static bool check_free_page_zero(struct run *r, uint64_t idx)
{
	uint64_t pa = r->fw->conf.base + idx * SHIM_PAGE_SIZE;
	const struct shim_mem *mem = &r->fw->w->mem;

	if (idx >= r->nrec || r->rec[idx].state != MON_PAGE_FREE ||
	    (!r->full && shim_mem_page_known_zero(mem, pa)) || page_is_zero(mem, pa)) {
		return true;
	}
	return fail(r, inv_i6, "free confidential page 0x%llx holds data", (unsigned long long)pa);
}

/*
 * I6: every free confidential page is zero. A page the shim never wrote is
 * zero (fresh anonymous memory), so from scratch only written pages need
 * reading; incrementally, a free page found zero stays zero until it is
 * written, and a page that became free must be read.
 */
static bool check_scrub(struct run *r)
{
	struct fuzz_world *fw = r->fw;
	const struct shim_mem *mem = &fw->w->mem;
	uint64_t first = (fw->conf.base - mem->base) / SHIM_PAGE_SIZE;

	if (r->full || !fw->cache.valid) {
		for (uint64_t idx = 0; idx < r->nrec; idx++) {
			uint64_t p = first + idx;
			if (((mem->touched[p / 64] >> (p % 64)) & 1) &&
			    !check_free_page_zero(r, idx)) {
				return false;
			}
		}
		return true;
	}
	const uint32_t *written;
	size_t n = shim_mem_watch_pages(mem, &written);
	for (size_t i = 0; i < n; i++) {
		if (written[i] >= first && !check_free_page_zero(r, written[i] - first)) {
			return false;
		}
	}
	for (size_t i = 0; i < r->nchanged; i++) {
		if (!check_free_page_zero(r, fw->changed[i])) {
			return false;
		}
	}
	return true;
}

/* ----------------------------------------------------------------- I9 --- */

/*
 * I9: every cached translation agrees with the tables of the context that
 * runs on the hart (world switches flush); a host hart caches nothing that
 * reaches confidential or monitor memory.
 */
static bool check_tlbs(struct run *r)
{
	struct fuzz_world *fw = r->fw;

	for (unsigned int h = 0; h < fw->harts; h++) {
		const struct shim_hart *hart = &fw->w->hart[h];
		uint64_t rt = 0;
		uint64_t rv = 0;
		bool guest = mon_introspect_hart(fw->mon, h, &rt, &rv);
		const struct mon_tvm_view *t = guest ? tvm_view(r, rt) : NULL;
		struct fuzz_tlb_ok *ok = h < FUZZ_MAX_HARTS ? &fw->cache.tlb[h] : NULL;

		if (guest && !t) {
			return fail(r, inv_i9, "a hart runs a vCPU of a TVM that does not exist");
		}
		/* Same entries, same context, same tables as when found good: same verdict. */
		if (!r->full && fw->cache.valid && ok && ok->valid && ok->guest == guest &&
		    (!guest || (ok->hgatp == t->hgatp && ok->walk_gen == fw->cache.walk_gen)) &&
		    ok->stamp == hart->tlb.stamp) {
			continue;
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
					return fail(r, inv_i9,
						    "a host hart caches a protected translation");
				}
				continue;
			}
			if (!shim_mmu_gstage_lookup(&fw->w->mem, t->hgatp, te->gpa, &pa, &pte,
						    &shift) ||
			    (pa & ~(size - 1)) != te->hpa) {
				return fail(r, inv_i9,
					    "hart %u caches GPA 0x%llx the tables no longer map", h,
					    (unsigned long long)te->gpa);
			}
		}
		if (!r->full && ok) {
			fw->log.tlb |= (uint8_t)(1u << h);
			ok->valid = true;
			ok->guest = guest;
			ok->hgatp = guest ? t->hgatp : 0;
			ok->walk_gen = fw->cache.walk_gen;
			ok->stamp = hart->tlb.stamp;
		}
	}
	return true;
}

/* ------------------------------------------------------------ records --- */

/* A record went from @was to @now (four bytes each): the cache's counts follow. */
__attribute__((no_sanitize("address", "undefined"))) static void
count_change(struct fuzz_world *fw, const void *was, const void *now)
{
	struct mon_page_view a;
	struct mon_page_view b;

	memcpy(&a, was, sizeof(a));
	memcpy(&b, now, sizeof(b));
	unsigned int ka = own_kind(a);
	unsigned int kb = own_kind(b);
	if (ka < OWN_KINDS) {
		fw->cache.owned[a.owner][ka]--;
	}
	if (kb < OWN_KINDS) {
		fw->cache.owned[b.owner][kb]++;
	}
}

/*
 * The records in words [@b, @end) that differ from the cache, into
 * fw->changed; updates the cache. Not instrumented: the records are the
 * monitor's memory as the hardware holds it, read in words.
 */
__attribute__((no_sanitize("address", "undefined"))) static void
diff_words(struct run *r, uint64_t b, uint64_t end)
{
	struct fuzz_world *fw = r->fw;
	const uint64_t *now = (const uint64_t *)(const void *)r->rec;
	uint64_t *seen = fw->cache.rec;
	struct fuzz_cache_log *log = &fw->log;

	/* Blocks of eight words first: most records never change. */
	for (; b < end; b += 8) {
		uint64_t block_end = b + 8 < end ? b + 8 : end;
		uint64_t any = 0;
		for (uint64_t i = b; i < block_end; i++) {
			any |= now[i] ^ seen[i];
		}
		for (uint64_t i = b; any && i < block_end; i++) {
			uint64_t x = now[i] ^ seen[i];
			if (!x) {
				continue;
			}
			if (log->nrec < sizeof(log->rec) / sizeof(log->rec[0])) {
				log->rec[log->nrec++] = (uint32_t)i;
			} else {
				log->rec_all = true;
			}
			if (x & UINT64_C(0xFFFFFFFF)) {
				fw->changed[r->nchanged++] = (uint32_t)(2 * i);
				count_change(fw, &seen[i], &now[i]);
			}
			if (x >> 32) {
				fw->changed[r->nchanged++] = (uint32_t)(2 * i + 1);
				count_change(fw, (const uint8_t *)&seen[i] + 4,
					     (const uint8_t *)&now[i] + 4);
			}
			seen[i] = now[i];
		}
	}
}

struct diff_ctx {
	struct run *r;
	uint64_t words;
};

/* A run of lines written since the last diff, as bytes from the first record. */
static bool diff_run(void *ctx, size_t from, size_t n)
{
	struct diff_ctx *c = ctx;
	uint64_t end = (from + n + 7) / 8;

	diff_words(c->r, from / 8, end < c->words ? end : c->words);
	return true;
}

/*
 * The records that differ from the cache, into fw->changed; updates the
 * cache. With exact line sets only the lines written since the last diff
 * (lines_check) can differ; otherwise every record is compared.
 */
static void diff_records(struct run *r)
{
	struct fuzz_world *fw = r->fw;
	struct shim_mem *mem = &fw->w->mem;
	uint64_t words = r->nrec / 2;
	uint64_t off = (uint64_t)((uintptr_t)r->rec - (uintptr_t)mem->dram);

	_Static_assert(sizeof(struct mon_page_view) == 4, "two records per word");
	r->nchanged = 0;
	if (mem->lines_exact && fw->cache.valid && off < mem->size &&
	    (r->nrec + 1) * 4 <= mem->size - off) {
		struct diff_ctx c = { r, words };
		(void)shim_line_set_each_run(&mem->lines_check, off, words * 8, diff_run, &c);
	} else {
		diff_words(r, 0, words);
	}
	shim_mem_lines_check_clear(mem);
	if (r->nrec & 1) {
		/* The odd last record: the low half of the next word. */
		uint32_t last;
		uint64_t *seen = fw->cache.rec;
		memcpy(&last, &r->rec[r->nrec - 1], 4);
		if ((uint32_t)seen[words] != last) {
			fw->changed[r->nchanged++] = (uint32_t)(r->nrec - 1);
			count_change(fw, &seen[words], &last);
			seen[words] = last;
			fw->log.rec_all = true;
		}
	}
}

/* ------------------------------------------------------------ poison --- */

static void poison_page(struct fuzz_world *fw, uint64_t idx, const struct mon_page_view *rec)
{
	uint64_t bit = UINT64_C(1) << (idx % 64);

	if (rec[idx].state == MON_PAGE_FREE && !(fw->poisoned[idx / 64] & bit)) {
		shim_mem_poison(&fw->w->mem, fw->conf.base + idx * SHIM_PAGE_SIZE, SHIM_PAGE_SIZE);
		fw->poisoned[idx / 64] |= bit;
	}
}

/*
 * Any access to a free confidential page through a host pointer is a bug:
 * ASan reports it at once (hal_mon_map unpoisons what the monitor takes).
 * Pages poisoned before and not unpoisoned since stay poisoned; the shim
 * reports what it unpoisoned.
 */
static void poison(struct fuzz_world *fw, bool all, const uint32_t *changed, size_t nchanged)
{
	struct shim_mem *mem = &fw->w->mem;
	uint64_t n;
	const struct mon_page_view *rec = mon_introspect_pages(fw->mon, &n);
	uint64_t first = (fw->conf.base - mem->base) / SHIM_PAGE_SIZE;
	const uint32_t *unpoisoned;
	size_t nun = shim_mem_unpoisoned_pages(mem, &unpoisoned);

	n = n < fw->conf.size / SHIM_PAGE_SIZE ? n : fw->conf.size / SHIM_PAGE_SIZE;
	n = n < FUZZ_CONF_PAGES_MAX ? n : FUZZ_CONF_PAGES_MAX;
	for (size_t i = 0; i < nun; i++) {
		uint64_t idx = unpoisoned[i] - first;
		if (unpoisoned[i] >= first && idx < n) {
			fw->poisoned[idx / 64] &= ~(UINT64_C(1) << (idx % 64));
			poison_page(fw, idx, rec);
		}
	}
	shim_mem_unpoisoned_clear(mem);
	if (all) {
		for (uint64_t idx = 0; idx < n; idx++) {
			poison_page(fw, idx, rec);
		}
		return;
	}
	for (size_t i = 0; i < nchanged; i++) {
		poison_page(fw, changed[i], rec);
	}
}

/* --------------------------------------------------------------- runs --- */

/* The page records the oracle reads: one per page of confidential memory, at most
 * FUZZ_CONF_PAGES_MAX. */
static void records(const struct fuzz_world *fw, struct run *r)
{
	uint64_t n;

	r->rec = mon_introspect_pages(fw->mon, &n);
	r->nrec = n < fw->conf.size / SHIM_PAGE_SIZE ? n : fw->conf.size / SHIM_PAGE_SIZE;
	r->nrec = r->nrec < FUZZ_CONF_PAGES_MAX ? r->nrec : FUZZ_CONF_PAGES_MAX;
}

static bool run_checks(struct run *r)
{
	return check_pmp(r) && check_tvms(r) && check_running(r) && check_scrub(r) && check_tlbs(r);
}

/* One run in @full or incremental mode; fills @v, true when every invariant held. */
static bool oracle_run(struct fuzz_world *fw, bool full, struct fuzz_verdict *v)
{
	static struct run r;

	/* Not the TVM views: each is filled when first asked for (tvm_known). */
	memset(r.tvm_known, 0, sizeof(r.tvm_known));
	r.nchanged = 0;
	r.fw = fw;
	r.full = full;
	r.v = v;
	v->invariant = NULL;
	v->detail[0] = '\0';
	records(fw, &r);
	if (full) {
		bool ok = run_checks(&r);
		poison(fw, true, NULL, 0);
		return ok;
	}
	if (!fw->cache.valid) {
		fw->log.all = true;
		/* Nothing known: everything from scratch, then remember it. */
		memset(&fw->cache, 0, offsetof(struct fuzz_oracle_cache, walk_gen));
		memset(fw->cache.tlb, 0, sizeof(fw->cache.tlb));
		fw->cache.walk_gen++;
	}
	/* The records are the monitor's memory, which only the monitor writes (a write from
	 * anywhere else is for I1 and I4 to catch): unchanged while it did not run. */
	r.monitor_ran = !fw->cache.valid || fw->cache.entries != fw->w->monitor_entries;
	if (r.monitor_ran) {
		diff_records(&r);
	}
	fw->cache.entries = fw->w->monitor_entries;
	bool ok = run_checks(&r);
	poison(fw, !fw->cache.valid, fw->changed, r.nchanged);
	shim_mem_watch_clear(&fw->w->mem);
	fw->cache.valid = ok;
	return ok;
}

/* The incremental cache must be what a walk from scratch finds. */
static bool same_walk(const struct fuzz_walk *a, const struct fuzz_walk *b)
{
	return a->valid == b->valid && memcmp(a->key, b->key, sizeof(a->key)) == 0 &&
	       memcmp(a->data, b->data, sizeof(a->data)) == 0 &&
	       memcmp(a->tables, b->tables, sizeof(a->tables)) == 0 &&
	       memcmp(a->state, b->state, sizeof(a->state)) == 0 &&
	       memcmp(a->owner, b->owner, sizeof(a->owner)) == 0;
}

/* The incremental counts must be what a count of the records finds. */
static bool same_counts(struct fuzz_world *fw)
{
	struct run r = { .fw = fw };
	uint32_t owned[FUZZ_TVMS + 1][OWN_KINDS];

	records(fw, &r);
	count_owned(&r, owned);
	return memcmp(owned, fw->cache.owned, sizeof(owned)) == 0;
}

bool fuzz_oracle_verdict(struct fuzz_world *fw, unsigned int op_index, enum fuzz_oracle_mode mode,
			 struct fuzz_verdict *v)
{
	static struct fuzz_verdict full;

	if (mode == FUZZ_ORACLE_FULL) {
		return oracle_run(fw, true, v);
	}
	bool ok = oracle_run(fw, false, v);
	if (mode != FUZZ_ORACLE_CROSS) {
		return ok;
	}
	bool full_ok = oracle_run(fw, true, &full);
	char d[400];
	if (ok != full_ok) {
		snprintf(d, sizeof(d), "incremental: %s%s%s; from scratch: %s%s%s",
			 ok ? "all held" : v->invariant, ok ? "" : ": ", v->detail,
			 full_ok ? "all held" : full.invariant, full_ok ? "" : ": ", full.detail);
		fuzz_fail(op_index, "oracle cross-check", d);
	}
	if (ok && !same_walk(&fw->cache.walk, &fw->walk_full)) {
		fuzz_fail(op_index, "oracle cross-check",
			  "the cached table walk differs from a walk from scratch");
	}
	if (ok && !same_counts(fw)) {
		fuzz_fail(op_index, "oracle cross-check",
			  "the cached page counts differ from a count from scratch");
	}
	uint64_t n;
	const struct mon_page_view *rec = mon_introspect_pages(fw->mon, &n);
	for (uint64_t p = 0; p < n && p < fw->conf.size / SHIM_PAGE_SIZE && p < FUZZ_CONF_PAGES_MAX;
	     p++) {
		if (rec[p].state == MON_PAGE_FREE && !((fw->poisoned[p / 64] >> (p % 64)) & 1)) {
			fuzz_fail(op_index, "oracle cross-check", "a free page left unpoisoned");
		}
	}
	return ok;
}

void fuzz_oracle_check(struct fuzz_world *fw, unsigned int op_index)
{
	static struct fuzz_verdict v;

	if (!fuzz_oracle_verdict(fw, op_index, fuzz_oracle_mode, &v)) {
		fuzz_fail(op_index, v.invariant, v.detail);
	}
}

void fuzz_oracle_save_prepared(struct fuzz_world *fw)
{
	static struct fuzz_verdict v;

	/* The snapshot's own verdict fills the cache every input starts from. */
	if (!oracle_run(fw, false, &v)) {
		fuzz_fail(0, v.invariant, v.detail);
	}
	if (!fw->prep_cache) {
		fw->prep_cache = malloc(sizeof(*fw->prep_cache));
		if (!fw->prep_cache) {
			abort();
		}
	}
	*fw->prep_cache = fw->cache;
	memset(&fw->log, 0, sizeof(fw->log));
}

void fuzz_oracle_restore_prepared(struct fuzz_world *fw)
{
	/* The memory went back to the snapshot: so does what the oracle knows of it. */
	shim_mem_watch_clear(&fw->w->mem);
	const struct fuzz_oracle_cache *prep = fw->prep_cache;
	struct fuzz_cache_log *log = &fw->log;
	if (!prep) {
		return;
	}
	/* Only what the last input changed (the cache is 20 KiB; most inputs change little). */
	if (log->all) {
		fw->cache = *prep;
	} else {
		if (log->rec_all) {
			memcpy(fw->cache.rec, prep->rec, sizeof(fw->cache.rec));
		}
		for (unsigned int i = 0; !log->rec_all && i < log->nrec; i++) {
			fw->cache.rec[log->rec[i]] = prep->rec[log->rec[i]];
		}
		memcpy(fw->cache.owned, prep->owned, sizeof(fw->cache.owned));
		if (log->walk) {
			fw->cache.walk = prep->walk;
		}
		for (unsigned int h = 0; h < FUZZ_MAX_HARTS; h++) {
			if (log->tlb & (1u << h)) {
				fw->cache.tlb[h] = prep->tlb[h];
			}
		}
		fw->cache.valid = prep->valid;
		fw->cache.walk_gen = prep->walk_gen;
		fw->cache.entries = prep->entries; /* older than any entry since: compare again */
	}
	memset(log, 0, offsetof(struct fuzz_cache_log, rec));
	/* The pages the reset copied back were unpoisoned: poison the free ones again. */
	poison(fw, !fw->cache.valid, NULL, 0);
}
