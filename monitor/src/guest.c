// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI for confidential guests (the confidential flow): Base, HSM over the
 * TVM's vCPUs, IPI and RFENCE among them, SRST (shuts the TVM down), DBCN
 * (forwarded to the host with only the data the guest chose to print), and
 * COVG. Calls the monitor completes stay inside; calls the host must know
 * about exit with the registers the monitor chooses to reveal.
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

static struct sbi_result ok(uint64_t value)
{
	struct sbi_result r = { MON_OK, value };
	return r;
}

static struct sbi_result fail(mon_err_t err)
{
	struct sbi_result r = { err, 0 };
	return r;
}

/* The vCPUs named by an SBI hart mask (mask, base): false when it names none that exist. */
static bool vcpu_mask(const struct tvm *tvm, uint64_t mask, uint64_t base, uint32_t *out)
{
	*out = 0;
	if (base == UINT64_MAX) { /* "all harts" (SBI spec, hart mask) */
		*out = (1u << tvm->vcpu_count) - 1;
		return true;
	}
	for (unsigned int i = 0; i < 64; i++) {
		if (!((mask >> i) & 1)) {
			continue;
		}
		uint64_t id;
		if (__builtin_add_overflow(base, i, &id) || id >= tvm->vcpu_count) {
			return false;
		}
		*out |= 1u << id;
	}
	return true;
}

static struct sbi_result hsm(struct tvm *tvm, struct vcpu *self, const struct sbi_call *call,
			     struct run_notify *n, bool *notify)
{
	uint64_t id = call->arg[0];

	switch (call->fid) {
	case SBI_HSM_HART_START: {
		if (id >= tvm->vcpu_count) {
			return fail(MON_ERR_INVALID_PARAM);
		}
		struct vcpu *t = &tvm->vcpu[id];
		/* start_addr is a guest physical address in the TVM's space. */
		if ((call->arg[1] & 1) || call->arg[1] >= gstage_gpa_limit(tvm->mode)) {
			return fail(MON_ERR_INVALID_ADDRESS);
		}
		if (t->state != VCPU_STOPPED) {
			return fail(MON_ERR_ALREADY_AVAILABLE);
		}
		/* SBI: the started hart gets a0 = its id, a1 = opaque, at start_addr. */
		t->pc = call->arg[1];
		t->x[10] = id;
		t->x[11] = call->arg[2];
		t->state = VCPU_RUNNABLE;
		/* The host must schedule it: reveal which vCPU, not where it starts. */
		*notify = true;
		n->reveal[0] = id;
		n->reveal[6] = SBI_HSM_HART_START;
		n->reveal[7] = SBI_EXT_HSM;
		return ok(0);
	}
	case SBI_HSM_HART_STOP:
		self->state = VCPU_STOPPED;
		*notify = true;
		n->reveal[6] = SBI_HSM_HART_STOP;
		n->reveal[7] = SBI_EXT_HSM;
		return ok(0);
	case SBI_HSM_HART_GET_STATUS:
		if (id >= tvm->vcpu_count) {
			return fail(MON_ERR_INVALID_PARAM);
		}
		return ok(tvm->vcpu[id].state == VCPU_STOPPED ? SBI_HSM_STATE_STOPPED
							      : SBI_HSM_STATE_STARTED);
	case SBI_HSM_HART_SUSPEND:
		/* Default retentive suspend behaves like WFI: give the hart back. The
		 * default non-retentive type is valid but not implemented; every other
		 * type is reserved or platform-specific (SBI HSM, suspend errors). */
		if (call->arg[0] != SBI_HSM_SUSPEND_RET_DEFAULT) {
			return fail(call->arg[0] == SBI_HSM_SUSPEND_NON_RET_DEFAULT
					    ? MON_ERR_NOT_SUPPORTED
					    : MON_ERR_INVALID_PARAM);
		}
		*notify = true;
		n->reveal[6] = SBI_HSM_HART_SUSPEND;
		n->reveal[7] = SBI_EXT_HSM;
		return ok(0);
	default: return fail(MON_ERR_NOT_SUPPORTED);
	}
}

bool guest_ipi_deliver(struct mon *mon, hart_t hart, struct vcpu *v)
{
	struct hal_csr_image img;

	(void)mon;
	if (!v || !v->pending_ipi) {
		return false;
	}
	hal_csr_save(hart, &img);
	img.hvip |= IRQ_VSSI_BIT;
	hal_csr_load(hart, &img);
	v->pending_ipi = false;
	return true;
}

static struct sbi_result send_ipi(struct mon *mon, hart_t hart, struct tvm *tvm,
				  const struct sbi_call *call)
{
	uint32_t targets;

	if (!vcpu_mask(tvm, call->arg[0], call->arg[1], &targets)) {
		return fail(MON_ERR_INVALID_PARAM);
	}
	for (unsigned int i = 0; i < tvm->vcpu_count; i++) {
		struct vcpu *t = &tvm->vcpu[i];

		if (!((targets >> i) & 1)) {
			continue;
		}
		if (t->state == VCPU_RUNNING && t->hart != hart) {
			t->pending_ipi = true; /* its hart applies it on the machine IPI */
			hal_ipi_send(hart, t->hart);
		} else if (t->state == VCPU_RUNNING) {
			t->pending_ipi = true;
			(void)guest_ipi_deliver(mon, hart, t);
		} else {
			t->csr.hvip |= IRQ_VSSI_BIT;
		}
	}
	return ok(0);
}

static struct sbi_result rfence(struct mon *mon, hart_t hart, struct tvm *tvm,
				const struct sbi_call *call)
{
	uint32_t targets;
	hartmask_t harts = 0;

	if (call->fid > SBI_RFENCE_REMOTE_HFENCE_VVMA) {
		return fail(MON_ERR_NOT_SUPPORTED);
	}
	/* A guest has no H extension of its own. */
	if (call->fid >= SBI_RFENCE_REMOTE_HFENCE_GVMA_VMID) {
		return fail(MON_ERR_NOT_SUPPORTED);
	}
	if (!vcpu_mask(tvm, call->arg[0], call->arg[1], &targets)) {
		return fail(MON_ERR_INVALID_PARAM);
	}
	for (unsigned int i = 0; i < tvm->vcpu_count; i++) {
		if (((targets >> i) & 1) && tvm->vcpu[i].state == VCPU_RUNNING) {
			harts |= (hartmask_t)1 << tvm->vcpu[i].hart;
		}
	}
	/* The guest's sfence.vma is an hfence.vvma of its VMID on the harts running it. */
	struct hal_fence f = { .kind = call->fid == SBI_RFENCE_REMOTE_FENCE_I ? HAL_FENCE_I
									      : HAL_FENCE_VVMA_VMID,
			       .vmid = tvm->vmid };
	hal_fence(hart, harts, &f);
	(void)mon;
	return ok(0);
}

static struct sbi_result srst(struct mon *mon, hart_t hart, struct tvm *tvm,
			      const struct sbi_call *call, struct run_notify *n, bool *notify)
{
	if (call->fid != SBI_SRST_SYSTEM_RESET) {
		return fail(MON_ERR_NOT_SUPPORTED);
	}
	/* reset_type and reset_reason are 32-bit values (SBI SRST). */
	if (call->arg[0] > UINT32_MAX || call->arg[1] > UINT32_MAX ||
	    (call->arg[0] > SBI_SRST_TYPE_WARM_REBOOT && call->arg[0] < 0xF0000000u) ||
	    (call->arg[1] > SBI_SRST_REASON_SYSTEM_FAILURE && call->arg[1] < 0xE0000000u)) {
		return fail(MON_ERR_INVALID_PARAM);
	}
	/* The TVM is over: every vCPU dead; the host learns type and reason. */
	tvm->shutdown = true;
	for (unsigned int i = 0; i < tvm->vcpu_count; i++) {
		struct vcpu *t = &tvm->vcpu[i];

		if (t->state != VCPU_RUNNING) {
			t->state = VCPU_DEAD;
		} else if (t->hart != hart) {
			hal_ipi_send(hart, t->hart); /* its next trap ends it (run_guest_trap) */
		}
	}
	(void)mon;
	*notify = true;
	n->dead = true;
	n->reveal[0] = call->arg[0];
	n->reveal[1] = call->arg[1];
	n->reveal[6] = SBI_SRST_SYSTEM_RESET;
	n->reveal[7] = SBI_EXT_SRST;
	return ok(0);
}

static struct sbi_result dbcn(struct mon *mon, struct tvm *tvm, const struct sbi_call *call,
			      struct run_notify *n, bool *notify)
{
	uint8_t bytes[8];
	uint64_t len;

	switch (call->fid) {
	case SBI_DBCN_CONSOLE_WRITE_BYTE:
		n->reveal[0] = call->arg[0] & 0xff;
		len = 1;
		break;
	case SBI_DBCN_CONSOLE_WRITE:
		/*
		 * The host cannot read confidential memory: the monitor copies at
		 * most 8 bytes per call into the exit registers (a0 = count,
		 * a1 = the bytes, little endian). The guest retries the rest.
		 */
		len = call->arg[0] < 8 ? call->arg[0] : 8;
		if (call->arg[2] != 0 ||
		    memaccess_guest_read(mon, tvm, call->arg[1], bytes, len) != MON_OK) {
			return fail(MON_ERR_INVALID_PARAM);
		}
		n->reveal[0] = len;
		n->reveal[1] = 0;
		for (uint64_t i = 0; i < len; i++) {
			n->reveal[1] |= (uint64_t)bytes[i] << (8 * i);
		}
		break;
	case SBI_DBCN_CONSOLE_READ:
		return fail(MON_ERR_NOT_SUPPORTED); /* input would come from the untrusted host */
	default: return fail(MON_ERR_NOT_SUPPORTED);
	}
	*notify = true;
	n->reveal[6] = call->fid;
	n->reveal[7] = SBI_EXT_DBCN;
	return ok(len);
}

enum mon_action guest_ecall(struct mon *mon, hart_t hart, struct mon_trap_frame *frame,
			    struct tvm *tvm, struct vcpu *v)
{
	struct sbi_call call;
	struct sbi_result r = fail(MON_ERR_NOT_SUPPORTED);
	struct run_notify n;
	bool notify = false;

	mon_memset(&n, 0, sizeof(n));
	if (dispatch_decode(frame, CALLER_TVM, &call) == MON_OK) {
		switch (call.eid) {
		case SBI_EXT_BASE: r = base_handle(mon, hart, CALLER_TVM, &call); break;
		case SBI_EXT_HSM: r = hsm(tvm, v, &call, &n, &notify); break;
		case SBI_EXT_IPI:
			r = call.fid == SBI_IPI_SEND_IPI ? send_ipi(mon, hart, tvm, &call)
							 : fail(MON_ERR_NOT_SUPPORTED);
			break;
		case SBI_EXT_RFENCE: r = rfence(mon, hart, tvm, &call); break;
		case SBI_EXT_SRST: r = srst(mon, hart, tvm, &call, &n, &notify); break;
		case SBI_EXT_DBCN: r = dbcn(mon, tvm, &call, &n, &notify); break;
		case SBI_EXT_COVG: r = covg_handle(mon, hart, tvm, v, &call, &n, &notify); break;
		default: break;
		}
	}
	frame->x[10] = (uint64_t)dispatch_err_to_sbi(r.err);
	frame->x[11] = r.err == MON_OK ? r.value : 0;
	if (notify && r.err == MON_OK) {
		return run_exit_notify(mon, hart, frame, tvm, v, &n);
	}
	frame->mepc += 4;
	return MON_ACTION_RESUME;
}
