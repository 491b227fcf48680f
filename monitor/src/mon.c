// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot, per-hart bring-up and the trap entry of the monitor core. The core
 * never switches worlds: it edits the trap frame and returns an action; the
 * arch layer (or the shim) restores the frame and executes mret.
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

/* Trap causes and mstatus fields the core reads (privileged spec). */

static bool platform_ok(hart_t boot_hart, const struct mon_platform *plat)
{
	return plat->harts >= 1 && plat->harts <= MON_MAX_HARTS && boot_hart < plat->harts &&
	       plat->pmp_count <= HAL_PMP_MAX && plat->vmid_bits <= 14 &&
	       plat->host_sbi_ext_count <= MON_MAX_PLAT_EXTS;
}

mon_err_t mon_boot(hart_t boot_hart, const struct mon_platform *plat, struct mon **out)
{
	struct memmap map;
	struct mon *mon;
	mon_err_t err;

	if (!platform_ok(boot_hart, plat)) {
		return MON_ERR_INVALID_PARAM;
	}
	err = memmap_init(plat, &map);
	if (err != MON_OK) {
		return err;
	}
	/* The data region holds the instance, then one record per confidential page. */
	uint64_t records_off = (sizeof(struct mon) + 63) & ~UINT64_C(63);
	uint64_t records = pages_records_size(map.confidential.size);
	if (plat->data.size < records_off || plat->data.size - records_off < records) {
		return MON_ERR_INVALID_PARAM;
	}
	/*
	 * Every free confidential page is zero (I6), and the pages start free:
	 * DRAM does not come up zero, and a warm reset keeps what TVMs left.
	 */
	for (uint64_t off = 0; off < map.confidential.size; off += MON_PAGE_SIZE) {
		mon_memset(hal_mon_map(pa_init(map.confidential.base + off), MON_PAGE_SIZE), 0,
			   MON_PAGE_SIZE);
	}
	/* The monitor's state lives at the start of its data region (kept mapped). */
	mon = hal_mon_map(pa_init(plat->data.base), sizeof(*mon));
	mon_memset(mon, 0, sizeof(*mon));
	mon->magic = MON_MAGIC;
	mon->plat = *plat;
	mon->map = map;
	/* Local attestation: keep the derived TAP keys, never the root itself. */
	uint8_t zero_root[sizeof(plat->attestation_root)] = { 0 };
	if (!mon_memeq_ct(plat->attestation_root, zero_root, sizeof(zero_root)) &&
	    tap_derive_platform_key(plat->attestation_root, &mon->tap_key) == MON_OK) {
		mon->local_attestation = true;
	}
	mon_memzero_explicit(mon->plat.attestation_root, sizeof(mon->plat.attestation_root));
	/* The host layout has the most rules; every hart must hold all of them. */
	struct hal_pmp_layout layout;
	pmp_host_layout(mon, &layout);
	if (layout.count > plat->pmp_count) {
		mon->magic = 0;
		return MON_ERR_INVALID_PARAM;
	}
	pages_init(mon, hal_mon_map(pa_init(plat->data.base + records_off), records),
		   map.confidential.size / MON_PAGE_SIZE);
	err = mon_hart_init(mon, boot_hart);
	if (err != MON_OK) {
		mon->magic = 0;
		return err;
	}
	*out = mon;
	return MON_OK;
}

bool mon_is_host_memory(const struct mon *mon, uint64_t base, uint64_t len)
{
	return memmap_is_host(&mon->map, base, len);
}

mon_err_t mon_hart_init(struct mon *mon, hart_t hart)
{
	struct hal_pmp_layout layout;
	mon_err_t err;

	if (hart >= mon->plat.harts) {
		return MON_ERR_INVALID_PARAM;
	}
	/* Every entry path writes the full PMP: never trust what is there. */
	pmp_host_layout(mon, &layout);
	err = hal_pmp_write(hart, &layout);
	if (err != MON_OK) {
		/* A hart the monitor cannot protect is not its hart: its traps are only reflected.
		 */
		mon->hart[hart].initialized = false;
		return err;
	}
	mon->hart[hart].initialized = true;
	return MON_OK;
}

/*
 * Delivers a trap the monitor does not handle to the host's supervisor trap
 * handler, as if medeleg had delegated it: the host sees its own fault, and
 * the monitor neither loops nor panics on an unexpected trap.
 */
static enum mon_action redirect_to_host(hart_t hart, struct mon_trap_frame *frame)
{
	struct hal_csr_image img;
	uint64_t prev = (frame->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	uint64_t ms = frame->mstatus;

	hal_csr_save(hart, &img);
	img.sepc = frame->mepc;
	img.scause = frame->mcause;
	img.stval = frame->mtval;
	img.htval = frame->mtval2;
	img.htinst = frame->mtinst;
	/*
	 * A trap from the host's own VM (V=1) must look to the host exactly like a
	 * delegated one: hstatus.SPV (and SPVP, GVA) say where it came from, so the
	 * host's sret returns to the VM and never runs VM code in HS-mode.
	 */
	img.hstatus &= ~(HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA);
	if (ms & MSTATUS_MPV) {
		img.hstatus |= HSTATUS_SPV;
		img.hstatus |= prev == PRIV_U ? 0 : HSTATUS_SPVP;
		img.hstatus |= (ms & MSTATUS_GVA) ? HSTATUS_GVA : 0;
	}
	hal_csr_load(hart, &img);
	ms = (ms & ~MSTATUS_SPIE) | ((ms & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
	ms &= ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPP | MSTATUS_MPV);
	ms |= prev == PRIV_U ? 0 : MSTATUS_SPP;
	ms |= (uint64_t)PRIV_S << MSTATUS_MPP_SHIFT;
	frame->mstatus = ms;
	frame->mepc = img.stvec & ~UINT64_C(3);
	return MON_ACTION_RESUME;
}

static enum mon_action host_ecall(struct mon *mon, hart_t hart, struct mon_trap_frame *frame)
{
	struct sbi_call call;

	/* run_tvm_vcpu switches worlds: it edits the frame itself. */
	if (dispatch_decode(frame, CALLER_HOST, &call) == MON_OK && call.eid == SBI_EXT_COVH &&
	    call.fid == COVH_RUN_TVM_VCPU) {
		return run_tvm_vcpu(mon, hart, frame);
	}
	struct sbi_result r = dispatch_ecall(mon, hart, CALLER_HOST, frame);

	frame->x[10] = (uint64_t)dispatch_err_to_sbi(r.err);
	/* a1 is undefined on error: return 0 rather than anything left over. */
	frame->x[11] = r.err == MON_OK ? r.value : 0;
	frame->mepc += 4;
	return MON_ACTION_RESUME;
}

enum mon_action mon_trap(struct mon *mon, hart_t hart, struct mon_trap_frame *frame)
{
	bool from_guest = (frame->mstatus & MSTATUS_MPV) != 0;

	if (hart >= mon->plat.harts || !mon->hart[hart].initialized) {
		/* A hart the monitor does not manage: hand the trap to its S-mode. */
		return redirect_to_host(hart, frame);
	}
	if (from_guest) {
		if (mon->hart[hart].run_tvm) {
			return run_guest_trap(mon, hart, frame);
		}
		/* A trap from the host's own (non-confidential) VM: the host's business. */
		return redirect_to_host(hart, frame);
	}
	if (frame->mcause & CAUSE_INTERRUPT) {
		/* Machine interrupts belong to the platform runtime (timer, IPI). */
		return MON_ACTION_RESUME;
	}
	if (frame->mcause == CAUSE_ECALL_HS) {
		return host_ecall(mon, hart, frame);
	}
	return redirect_to_host(hart, frame);
}
