// SPDX-License-Identifier: BSD-2-Clause
/*
 * PMP policy as data. Every layout names all the entries it uses, and
 * hal_pmp_write clears the rest, so no entry keeps a value from an earlier
 * boot stage or an earlier context (ACE set PMP by masking bits of unknown
 * state: cove-abi.md section 6, flaw 1). The lowest-numbered matching entry
 * decides, so the closed regions come first and "everything" last.
 *
 * Without Smepmp, unlocked entries bind S and U only; M ignores them:
 *   monitor image, monitor data, private devices   no access for S/U
 *   confidential memory    host: no access; TVM: no entry (its G-stage decides)
 *   everything else        RWX for S/U
 *
 * With Smepmp the monitor sets mseccfg.MML (and RLB, so it can rewrite its
 * own locked rules at every entry path like every other rule; RLB only
 * matters to M-mode, which the monitor is). Locked rules then bind M alone,
 * unlocked rules S and U alone (smepmp.adoc truth table), and M executes
 * nothing outside its code:
 *   image code           M: RX       image read-only data   M: R
 *   image data, monitor data, private devices              M: RW
 *   shared devices (console)                                M and S/U: RW
 *   confidential memory  host: M RW; TVM: no entry, so the TVM's RWX rule
 *                        covers it and M cannot reach it: the monitor works
 *                        under the host layout whenever it runs (run.c)
 *   everything else      S/U: RWX, M: nothing; the monitor reaches host
 *                        memory only with the host's rights (hal_untrusted_*)
 */
#include "core.h"
#include "covemon/lib.h"

/* Appends [base, base + size) with @perm: NAPOT when it can, else TOR. */
static void add(struct hal_pmp_layout *l, uint64_t base, uint64_t size, uint8_t perm)
{
	unsigned int i = l->count;

	if (size >= 8 && (size & (size - 1)) == 0 && (base & (size - 1)) == 0) {
		l->entry[i].addr = (base | (size / 2 - 1)) >> 2;
		l->entry[i].cfg = (uint8_t)(HAL_PMP_A_NAPOT | perm);
		l->count = i + 1;
		return;
	}
	/* A TOR entry starts where the previous entry's address ends. */
	bool chained = i > 0 && (l->entry[i - 1].cfg & HAL_PMP_A_MASK) == HAL_PMP_A_TOR &&
		       l->entry[i - 1].addr == base >> 2;
	if (!chained) {
		l->entry[i].addr = base >> 2;
		l->entry[i].cfg = HAL_PMP_A_OFF;
		i++;
	}
	l->entry[i].addr = (base + size) >> 2;
	l->entry[i].cfg = (uint8_t)(HAL_PMP_A_TOR | perm);
	l->count = i + 1;
}

static bool mml(const struct mon *mon)
{
	return (mon->plat.features & MON_FEAT_SMEPMP) != 0;
}

/* The monitor's own memory and the devices, first in every layout. */
static void monitor_rules(const struct mon *mon, struct hal_pmp_layout *out)
{
	const struct mon_platform *p = &mon->plat;
	const uint8_t m_rw = HAL_PMP_L | HAL_PMP_R | HAL_PMP_W;

	mon_memset(out, 0, sizeof(*out));
	if (mml(mon)) {
		uint64_t text = mon->map.image.base;
		uint64_t rodata = text + p->image_text_size;
		uint64_t rest = rodata + p->image_rodata_size;
		uint64_t end = mon->map.image.base + mon->map.image.size;

		out->mseccfg = HAL_MSECCFG_MML | HAL_MSECCFG_RLB;
		add(out, text, p->image_text_size, HAL_PMP_L | HAL_PMP_R | HAL_PMP_X);
		if (p->image_rodata_size) {
			add(out, rodata, p->image_rodata_size, HAL_PMP_L | HAL_PMP_R);
		}
		if (end > rest) {
			add(out, rest, end - rest, m_rw);
		}
		add(out, mon->map.data.base, mon->map.data.size, m_rw);
	} else {
		add(out, mon->map.image.base, mon->map.image.size, 0);
		add(out, mon->map.data.base, mon->map.data.size, 0);
	}
	for (unsigned int i = 0; i < p->mmio_private_count; i++) {
		add(out, p->mmio_private[i].base, p->mmio_private[i].size, mml(mon) ? m_rw : 0);
	}
	/* Without MML the host's RWX rule already lets both reach them. */
	for (unsigned int i = 0; i < p->mmio_shared_count && mml(mon); i++) {
		add(out, p->mmio_shared[i].base, p->mmio_shared[i].size, HAL_PMP_W | HAL_PMP_X);
	}
}

/* Everything else: NAPOT over the whole physical address space (all ones). */
static void everything_else(struct hal_pmp_layout *out)
{
	unsigned int i = out->count;

	out->entry[i].addr = UINT64_MAX >> 10;
	out->entry[i].cfg = HAL_PMP_A_NAPOT | HAL_PMP_R | HAL_PMP_W | HAL_PMP_X;
	out->count = i + 1;
}

void pmp_host_layout(const struct mon *mon, struct hal_pmp_layout *out)
{
	monitor_rules(mon, out);
	add(out, mon->map.confidential.base, mon->map.confidential.size,
	    mml(mon) ? HAL_PMP_L | HAL_PMP_R | HAL_PMP_W : 0);
	everything_else(out);
}

void pmp_tvm_layout(const struct mon *mon, struct hal_pmp_layout *out)
{
	monitor_rules(mon, out);
	everything_else(out);
}
