// SPDX-License-Identifier: BSD-2-Clause
/*
 * run_tvm_vcpu and everything that happens while a vCPU owns a hart: the
 * world switch (as data: trap frame, CSR image through the HAL, full PMP
 * rewrite), guest traps handled inside the monitor, and exits to the host
 * that reveal only what each exit allows (cove-abi.md section 7; DESIGN.md
 * invariant I8). The host's answers are read from NACL once, and only the
 * fields the pending exit allows.
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/insn.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

#define INSN_WFI UINT32_C(0x10500073)

/* Exceptions a TVM handles itself: misaligned, access faults, illegal
 * instruction, breakpoint, ecall from VU, VS-stage page faults. medeleg and
 * hedeleg both carry them, so they go straight to VS and never to the host. */
#define TVM_DELEG UINT64_C(0xB1FF)
#define VS_IRQS	  (UINT64_C(1) << 2 | UINT64_C(1) << 6 | UINT64_C(1) << 10)
/* Host interrupts (S and M level) that make a TVM exit. */
#define EXIT_IRQS UINT64_C(0xAAA)

void run_vcpu_reset(const struct mon *mon, const struct tvm *tvm, struct vcpu *v)
{
	bool sstc = mon->plat.features & MON_FEAT_SSTC;

	mon_memset(v->x, 0, sizeof(v->x));
	mon_memset(&v->csr, 0, sizeof(v->csr));
	v->pc = 0;
	v->exit = EXIT_NONE;
	v->csr.medeleg = TVM_DELEG;
	v->csr.hedeleg = TVM_DELEG;
	v->csr.mideleg = 0; /* no S-level interrupt may reach the host's handler mid-guest */
	v->csr.hideleg = VS_IRQS;
	v->csr.mie = EXIT_IRQS;
	v->csr.mcounteren = COUNTEREN_TM;
	v->csr.hcounteren = COUNTEREN_TM;
	v->csr.menvcfg = sstc ? ENVCFG_STCE : 0;
	v->csr.henvcfg = sstc ? ENVCFG_STCE : 0;
	v->csr.hstatus = HSTATUS_VSXL_64 | HSTATUS_VTW; /* WFI traps to the monitor */
	v->csr.hgatp =
		((uint64_t)tvm->mode << 60) | ((uint64_t)tvm->vmid << 44) | (tvm->root >> 12);
	v->csr.vstimecmp = UINT64_MAX;
	/* With F/D the vCPU starts with zeroed FP registers of its own. */
	v->csr.fp_valid = (mon->plat.features & MON_FEAT_FP) ? 1 : 0;
}

/* The fields of a vCPU's image that belong to the guest; the rest stay the host's. */
static void overlay_guest(struct hal_csr_image *img, const struct hal_csr_image *g)
{
	img->medeleg = g->medeleg;
	img->mideleg = g->mideleg;
	img->mie = g->mie;
	img->mcounteren = g->mcounteren;
	img->menvcfg = g->menvcfg;
	img->hstatus = g->hstatus;
	img->hedeleg = g->hedeleg;
	img->hideleg = g->hideleg;
	img->hvip = g->hvip;
	img->hcounteren = g->hcounteren;
	img->hgeie = 0;
	img->htval = 0;
	img->htinst = 0;
	img->hgatp = g->hgatp;
	img->henvcfg = g->henvcfg;
	img->htimedelta = g->htimedelta;
	img->vsstatus = g->vsstatus;
	img->vstvec = g->vstvec;
	img->vsscratch = g->vsscratch;
	img->vsepc = g->vsepc;
	img->vscause = g->vscause;
	img->vstval = g->vstval;
	img->vsatp = g->vsatp;
	img->vstimecmp = g->vstimecmp;
	/* FP registers are the guest's too: the host must never see them (I8). */
	img->fp_valid = g->fp_valid;
	img->fcsr = g->fcsr;
	mon_memcpy(img->f, g->f, sizeof(img->f));
}

static struct vcpu *running_vcpu(struct mon *mon, hart_t hart, struct tvm **tvm)
{
	struct mon_hart *h = &mon->hart[hart];

	*tvm = tvm_get(mon, h->run_tvm);
	return *tvm ? &(*tvm)->vcpu[h->run_vcpu] : NULL;
}

static void nacl_put(struct mon *mon, hart_t hart, unsigned int offset, uint64_t value)
{
	/* The area was validated at set_shmem; a fault loses the value, never more. */
	if (memaccess_host_write(mon, hart, mon->hart[hart].nacl_shmem + offset, &value,
				 sizeof(value)) != MON_OK) {
		return;
	}
}

static uint64_t nacl_get(struct mon *mon, hart_t hart, unsigned int offset)
{
	uint64_t value = 0;

	if (memaccess_host_read(mon, hart, mon->hart[hart].nacl_shmem + offset, &value,
				sizeof(value)) != MON_OK) {
		return 0; /* a faulting answer reads as 0 */
	}
	return value;
}

/*
 * Rewrites the hart's PMP for the next context. mon_hart_init already wrote
 * every entry once, so a failure here means the hardware broke its own
 * rules: not reachable from host or guest input, and unsafe to continue.
 */
static void switch_pmp(hart_t hart, const struct hal_pmp_layout *layout)
{
	if (hal_pmp_write(hart, layout) != MON_OK) {
		hal_panic("PMP entry changed behind the monitor's back");
	}
}

/* What an exit shows the host, beyond the cause in scause. */
struct exit_info {
	uint64_t cause;
	bool dead;	    /* the vCPU cannot run again */
	unsigned int ngprs; /* a0..a(ngprs-1) of gpr[] go to NACL scratch */
	uint64_t gpr[8];
	bool htval_set;
	uint64_t htval;
	bool htinst_set;
	uint64_t htinst;
	bool timer; /* vsie and vstimecmp, for WFI wake-up */
};

static enum mon_action exit_to_host(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
				    struct tvm *tvm, struct vcpu *v, const struct exit_info *e)
{
	struct mon_hart *h = &mon->hart[hart];
	struct hal_csr_image cur;

	/* 1. Keep the guest's state. */
	hal_csr_save(hart, &cur);
	overlay_guest(&v->csr, &cur);
	bool dead = e->dead || tvm->shutdown;
	v->state = dead ? VCPU_DEAD : (v->state == VCPU_STOPPED ? VCPU_STOPPED : VCPU_RUNNABLE);

	/* 2. Tell the host only what this exit allows. */
	for (unsigned int i = 0; i < e->ngprs; i++) {
		nacl_put(mon, hart, NACL_SCRATCH_GPR_OFFSET(10 + i), e->gpr[i]);
	}
	if (e->htval_set) {
		nacl_put(mon, hart, nacl_csr_offset(NACL_CSR_HTVAL), e->htval);
	}
	if (e->htinst_set) {
		nacl_put(mon, hart, nacl_csr_offset(NACL_CSR_HTINST), e->htinst);
	}
	if (e->timer) {
		nacl_put(mon, hart, nacl_csr_offset(NACL_CSR_VSIE), (cur.mie & VS_IRQS) >> 1);
		nacl_put(mon, hart, nacl_csr_offset(NACL_CSR_VSTIMECMP), cur.vstimecmp);
	}

	/* 3. The host's world back: CSRs with the exit cause in scause, GPRs (the
	 * host's PMP layout is in force since the trap: run_guest_trap). */
	h->host_csr.scause = e->cause;
	hal_csr_load(hart, &h->host_csr);
	mon_memcpy(frame->x, h->host_x, sizeof(frame->x));
	frame->x[10] = SBI_SUCCESS;
	frame->x[11] = dead ? 1 : 0;
	frame->mepc = h->host_mepc;
	frame->mstatus = h->host_mstatus;
	mon_memzero_explicit(h->host_x, sizeof(h->host_x));
	h->run_tvm = 0;
	h->run_vcpu = 0;
	return MON_ACTION_EXIT_TO_HOST;
}

/* Reads the host's answer to the vCPU's last exit: only the fields that exit allows. */
static mon_err_t take_answer(struct mon *mon, hart_t hart, struct tvm *tvm, struct vcpu *v)
{
	mon_err_t err = MON_OK;

	switch (v->exit) {
	case EXIT_ECALL:
		v->x[10] = nacl_get(mon, hart, NACL_SCRATCH_GPR_OFFSET(10));
		v->x[11] = nacl_get(mon, hart, NACL_SCRATCH_GPR_OFFSET(11));
		break;
	case EXIT_MMIO_LOAD: {
		struct insn_mem_access a = { .store = false,
					     .width = v->mmio_width,
					     .sign_extend = v->mmio_sign,
					     .reg = v->mmio_reg };
		uint64_t raw = nacl_get(mon, hart, NACL_SCRATCH_GPR_OFFSET(10));
		if (v->mmio_reg != 0) {
			v->x[v->mmio_reg] = insn_load_result(&a, raw);
		}
		break;
	}
	case EXIT_SHARE:
		if (v->pending_share) {
			err = covg_complete_share(mon, hart, tvm, v,
						  nacl_get(mon, hart, NACL_SCRATCH_GPR_OFFSET(11)));
		}
		break;
	default: break;
	}
	v->exit = EXIT_NONE;
	return err;
}

enum mon_action run_tvm_vcpu(struct mon *mon, hart_t hart, struct mon_trap_frame *frame)
{
	struct mon_hart *h = &mon->hart[hart];
	struct tvm *tvm = tvm_get(mon, frame->x[10]);
	uint64_t vid = frame->x[11];
	struct hal_csr_image img;
	struct hal_pmp_layout layout;
	mon_err_t err = MON_OK;

	if (!tvm || tvm->state != COVE_TVM_RUNNABLE || tvm->shutdown || vid >= tvm->vcpu_count ||
	    tvm->vcpu[vid].state != VCPU_RUNNABLE) {
		err = MON_ERR_INVALID_PARAM; /* unknown, not started, dead, or on another hart */
	} else if (!h->nacl_enabled) {
		err = MON_ERR_FAILED; /* exits need the NACL area */
	}
	if (err != MON_OK) {
		frame->x[10] = (uint64_t)dispatch_err_to_sbi(err);
		frame->x[11] = 0;
		frame->mepc += 4;
		return MON_ACTION_RESUME;
	}
	struct vcpu *v = &tvm->vcpu[vid];
	(void)take_answer(mon, hart, tvm, v);
	/* A virtual IPI whose machine IPI reached the old hart after this vCPU left it. */
	if (v->pending_ipi) {
		v->csr.hvip |= IRQ_VSSI_BIT;
		v->pending_ipi = false;
	}

	/* Host out: GPRs, where to return, CSRs. */
	mon_memcpy(h->host_x, frame->x, sizeof(h->host_x));
	h->host_mepc = frame->mepc + 4;
	h->host_mstatus = frame->mstatus;
	hal_csr_save(hart, &h->host_csr);
	/* Guest in: its CSRs over the host's, the TVM PMP layout (which also fences). */
	img = h->host_csr;
	overlay_guest(&img, &v->csr);
	hal_csr_load(hart, &img);
	pmp_tvm_layout(mon, &layout);
	switch_pmp(hart, &layout);
	mon_memcpy(frame->x, v->x, sizeof(frame->x));
	frame->x[0] = 0;
	frame->mepc = v->pc;
	frame->mstatus = (frame->mstatus & ~(MSTATUS_MPP | MSTATUS_GVA)) | MSTATUS_MPP_S |
			 MSTATUS_MPV | MSTATUS_MPIE;
	/*
	 * Register state the monitor does not switch must be off in the guest,
	 * or the host's values reach the TVM and the TVM's reach the host (I8):
	 * vector always, FP unless the platform lets the HAL switch it. The
	 * guest's own accesses then trap to its handler as illegal instructions.
	 */
	frame->mstatus &= ~(MSTATUS_VS | ((mon->plat.features & MON_FEAT_FP) ? 0 : MSTATUS_FS));
	v->state = VCPU_RUNNING;
	v->hart = hart;
	h->run_tvm = tvm->id;
	h->run_vcpu = (uint8_t)vid;
	return MON_ACTION_ENTER_VCPU;
}

/* Delivers exception @cause to the guest's own VS-mode handler. */
static enum mon_action inject(struct mon_trap_frame *frame, struct vcpu *v, uint64_t cause,
			      uint64_t tval)
{
	struct hal_csr_image img;

	hal_csr_save(v->hart, &img);
	img.vsepc = frame->mepc;
	img.vscause = cause;
	img.vstval = tval;
	uint64_t vs = img.vsstatus;
	vs = (vs & ~MSTATUS_SPIE) | ((vs & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
	vs &= ~(MSTATUS_SIE | MSTATUS_SPP);
	/* The trap came from VS or VU: MPP tells which. */
	vs |= (frame->mstatus & MSTATUS_MPP) ? MSTATUS_SPP : 0;
	img.vsstatus = vs;
	hal_csr_load(v->hart, &img);
	frame->mepc = img.vstvec & ~UINT64_C(3);
	frame->mstatus = (frame->mstatus & ~MSTATUS_MPP) | MSTATUS_MPP_S | MSTATUS_MPV;
	return MON_ACTION_RESUME;
}

static bool in_region(const struct mmio_region *r, unsigned int n, uint64_t gpa)
{
	for (unsigned int i = 0; i < n; i++) {
		if (r[i].len && gpa >= r[i].gpa && gpa - r[i].gpa < r[i].len) {
			return true;
		}
	}
	return false;
}

/* The guest's live vsatp (the saved image is only current between runs). */
static void sync_vsatp(hart_t hart, struct vcpu *v)
{
	struct hal_csr_image cur;

	hal_csr_save(hart, &cur);
	v->csr.vsatp = cur.vsatp;
}

/* The instruction at the guest's pc: from mtinst when the hart gave one, else fetched. */
static mon_err_t faulting_insn(struct mon *mon, struct tvm *tvm, struct vcpu *v,
			       const struct mon_trap_frame *frame, struct insn_mem_access *a)
{
	uint32_t bits = 0;

	if (frame->mtinst != 0 && insn_decode_tinst(frame->mtinst, a) == MON_OK) {
		return MON_OK;
	}
	/* mtinst = 0: fetch through the guest's translation (ACE panicked here). */
	sync_vsatp(v->hart, v);
	if (memaccess_guest_fetch(mon, tvm, v, frame->mepc, &bits) != MON_OK) {
		return MON_ERR_NOT_SUPPORTED;
	}
	return insn_decode_fetched(bits, a);
}

static enum mon_action guest_page_fault(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
					struct tvm *tvm, struct vcpu *v)
{
	uint64_t gpa = (frame->mtval2 << 2) | (frame->mtval & 3);
	uint64_t page = gpa & ~(MON_PAGE_SIZE - 1);
	struct exit_info e = { .cause = frame->mcause };
	bool store = frame->mcause == CAUSE_STORE_GUEST_PAGE;

	if (frame->mcause != CAUSE_FETCH_GUEST_PAGE && in_region(tvm->mmio, MON_MAX_MMIO, gpa)) {
		struct insn_mem_access a;

		if (faulting_insn(mon, tvm, v, frame, &a) != MON_OK || a.store != store) {
			/* Undecodable, or not the access that faulted: the guest's problem. */
			return inject(frame, v, store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS,
				      frame->mtval);
		}
		v->pc = frame->mepc + a.length;
		e.htval_set = true;
		e.htval = gpa >> 2;
		e.htinst_set = true;
		e.htinst = a.transformed;
		if (store) {
			e.ngprs = 1;
			e.gpr[0] = insn_store_value(&a, a.reg ? frame->x[a.reg] : 0);
			v->exit = EXIT_MMIO_STORE;
		} else {
			v->exit = EXIT_MMIO_LOAD;
			v->mmio_reg = (uint8_t)a.reg;
			v->mmio_width = (uint8_t)a.width;
			v->mmio_sign = a.sign_extend;
		}
		mon_memcpy(v->x, frame->x, sizeof(v->x));
		return exit_to_host(mon, hart, frame, tvm, v, &e);
	}
	/* Demand-zero confidential memory inside the TVM's memory node. */
	if (page >= tvm->mem_gpa && page - tvm->mem_gpa < tvm->mem_size &&
	    !in_region(tvm->shared, MON_MAX_SHARED, gpa)) {
		uint64_t pa;
		if (pages_alloc(mon, hart, tvm, PAGE_TVM_DATA, 1, MON_PAGE_SIZE, &pa) == MON_OK) {
			if (gstage_map(mon, hart, tvm, page, pa, PTE_R | PTE_W | PTE_X) == MON_OK) {
				return MON_ACTION_RESUME; /* retry the access */
			}
			pages_free(mon, tvm, pa, 1);
		}
	}
	/* Anything else is the host's to see: the faulting GPA, nothing more. */
	mon_memcpy(v->x, frame->x, sizeof(v->x));
	v->pc = frame->mepc;
	v->exit = EXIT_OTHER;
	e.htval_set = true;
	e.htval = gpa >> 2;
	return exit_to_host(mon, hart, frame, tvm, v, &e);
}

static enum mon_action virtual_insn(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
				    struct tvm *tvm, struct vcpu *v)
{
	uint32_t insn = (uint32_t)frame->mtval;
	struct exit_info e = { .cause = CAUSE_VIRTUAL_INSN };

	if (insn == 0) {
		sync_vsatp(hart, v);
	}
	if (insn == 0 && memaccess_guest_fetch(mon, tvm, v, frame->mepc, &insn) != MON_OK) {
		insn = 0;
	}
	if (insn == INSN_WFI) {
		/* Yield to the host until an interrupt the guest enabled is due. */
		mon_memcpy(v->x, frame->x, sizeof(v->x));
		v->pc = frame->mepc + 4;
		v->exit = EXIT_OTHER;
		e.htinst_set = true;
		e.htinst = INSN_WFI;
		e.timer = true;
		return exit_to_host(mon, hart, frame, tvm, v, &e);
	}
	/* Nothing else is emulated: the guest sees an illegal instruction, never a panic. */
	return inject(frame, v, CAUSE_ILLEGAL_INSN, insn);
}

static enum mon_action guest_trap(struct mon *mon, hart_t hart, struct mon_trap_frame *frame)
{
	struct tvm *tvm;
	struct vcpu *v = running_vcpu(mon, hart, &tvm);

	if (tvm->shutdown) {
		/* Another vCPU shut the TVM down: whatever brought this one here, it ends. */
		struct exit_info e = { .cause = frame->mcause, .dead = true };
		if (frame->mcause == (CAUSE_INTERRUPT | IRQ_MSI)) {
			hal_ipi_clear(hart);
		}
		mon_memcpy(v->x, frame->x, sizeof(v->x));
		v->pc = frame->mepc;
		return exit_to_host(mon, hart, frame, tvm, v, &e);
	}
	if (frame->mcause & CAUSE_INTERRUPT) {
		struct exit_info e = { .cause = frame->mcause };

		if ((frame->mcause & ~CAUSE_INTERRUPT) == IRQ_MSI) {
			hal_ipi_clear(hart);
			if (guest_ipi_deliver(mon, hart, v)) {
				return MON_ACTION_RESUME;
			}
		}
		mon_memcpy(v->x, frame->x, sizeof(v->x));
		v->pc = frame->mepc;
		v->exit = EXIT_OTHER;
		return exit_to_host(mon, hart, frame, tvm, v, &e);
	}
	switch (frame->mcause) {
	case CAUSE_ECALL_VS: return guest_ecall(mon, hart, frame, tvm, v);
	case CAUSE_FETCH_GUEST_PAGE:
	case CAUSE_LOAD_GUEST_PAGE:
	case CAUSE_STORE_GUEST_PAGE: return guest_page_fault(mon, hart, frame, tvm, v);
	case CAUSE_VIRTUAL_INSN: return virtual_insn(mon, hart, frame, tvm, v);
	default:
		/* Not delegated to the guest but not the monitor's either: give it to the guest. */
		return inject(frame, v, frame->mcause, frame->mtval);
	}
}

/*
 * The monitor handles a guest's trap under the host's PMP layout and puts
 * the TVM's back only when the guest resumes. One rule for every path: with
 * Smepmp the TVM's layout keeps M out of confidential memory (pmp.c), and
 * untrusted accesses (hal_untrusted_*, with the host's rights) must never
 * see a TVM's view of memory.
 */
enum mon_action run_guest_trap(struct mon *mon, hart_t hart, struct mon_trap_frame *frame)
{
	struct hal_pmp_layout layout;

	pmp_host_layout(mon, &layout);
	switch_pmp(hart, &layout);
	enum mon_action action = guest_trap(mon, hart, frame);
	if (action == MON_ACTION_RESUME) {
		pmp_tvm_layout(mon, &layout);
		switch_pmp(hart, &layout);
	}
	return action;
}

enum mon_action run_exit_notify(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
				struct tvm *tvm, struct vcpu *v, const struct run_notify *n)
{
	struct exit_info e = { .cause = CAUSE_ECALL_VS, .dead = n->dead, .ngprs = 8 };

	for (unsigned int i = 0; i < 8; i++) {
		e.gpr[i] = n->reveal[i];
	}
	mon_memcpy(v->x, frame->x, sizeof(v->x));
	v->pc = frame->mepc + 4;
	v->exit = n->answer;
	return exit_to_host(mon, hart, frame, tvm, v, &e);
}
