// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI runtime the firmware serves the host (HS-mode) with: TIME, IPI,
 * RFENCE, HSM, SRST, DBCN and the legacy console. Base, NACL and COVH are
 * the monitor's (mon_trap); Base's probe_extension learns this runtime's
 * extensions from the platform description (fw_sbi_exts).
 *
 * Every argument is untrusted: hart masks are checked against the harts the
 * FDT lists, buffers against host memory as the monitor defines it
 * (mon_is_host_memory: never the firmware, the monitor's data or
 * confidential memory), and host memory is touched only through the
 * fault-recovering copy.
 */
#include "covemon/abi/sbi.h"
#include "covemon/hal.h"
#include "csr.h"
#include "fw.h"
#include "platform.h"

const uint64_t fw_sbi_exts[] = {
	SBI_EXT_TIME,		SBI_EXT_IPI,  SBI_EXT_RFENCE,		SBI_EXT_HSM,
	SBI_EXT_SRST,		SBI_EXT_DBCN, SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_PUTCHAR,
	SBI_EXT_LEGACY_GETCHAR,
};
const unsigned int fw_sbi_ext_count = sizeof(fw_sbi_exts) / sizeof(fw_sbi_exts[0]);

#define RFENCE_HFENCE_GVMA_VMID 3
#define RFENCE_HFENCE_VVMA	6
#define DBCN_WRITE		0
#define DBCN_READ		1
#define DBCN_WRITE_BYTE		2
#define SRST_TYPE_LAST		2
#define SRST_REASON_LAST	1
#define VENDOR_FIRST		UINT64_C(0xF0000000)

bool fw_sbi_owns(uint64_t eid)
{
	for (unsigned int i = 0; i < fw_sbi_ext_count; i++) {
		if (fw_sbi_exts[i] == eid) {
			return true;
		}
	}
	return false;
}

/* --------------------------------------------------------- mailboxes --- */

void fw_lock(volatile uint32_t *l, struct fw_hart *self)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) {
		fw_process_requests(self); /* whoever holds it may be waiting for us */
	}
}

void fw_unlock(volatile uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

void fw_request(unsigned int self, unsigned int target, const struct fw_request *req, bool wait)
{
	struct fw_hart *me = &fw_harts[self];
	struct fw_hart *t = &fw_harts[target];
	uint32_t state = __atomic_load_n(&t->hsm_state, __ATOMIC_ACQUIRE);

	if (!t->present || (state == FW_HSM_STOPPED && !(req->bits & FW_REQ_START))) {
		return; /* a stopped hart flushes everything when it starts */
	}
	fw_lock(&t->lock, me);
	if (req->bits & FW_REQ_MON) {
		t->mon_fence_kind = req->mon_kind;
		t->mon_fence_vmid = req->mon_vmid;
		t->mon_fence_addr = req->mon_addr;
		t->mon_fence_size = req->mon_size;
	}
	__atomic_fetch_or(&t->requests, req->bits, __ATOMIC_RELEASE);
	hal_ipi_send(self, target);
	while (wait && (__atomic_load_n(&t->requests, __ATOMIC_ACQUIRE) & req->bits)) {
		fw_process_requests(me);
	}
	fw_unlock(&t->lock);
}

void fw_process_requests(struct fw_hart *h)
{
	hal_ipi_clear((hart_t)h->hartid); /* before reading: no request is missed */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t r = __atomic_load_n(&h->requests, __ATOMIC_ACQUIRE) & ~(uint32_t)FW_REQ_START;

	if (r & FW_REQ_FENCE_I) {
		fw_fence_i();
	}
	if (r & FW_REQ_SFENCE) {
		fw_sfence_vma();
	}
	if (r & FW_REQ_HFENCE_G) {
		fw_hfence_gvma_all();
	}
	if (r & FW_REQ_HFENCE_V) {
		fw_hfence_vvma_all();
	}
	if (r & FW_REQ_MON) {
		fw_do_mon_fence(h->mon_fence_kind, h->mon_fence_vmid, h->mon_fence_addr,
				h->mon_fence_size);
	}
	if (r & FW_REQ_SSIP) {
		csr_set(mip, MIP_SSIP);
	}
	__atomic_fetch_and(&h->requests, ~r, __ATOMIC_RELEASE);
}

/* --------------------------------------------------------- hart masks --- */

/* The harts a (hart_mask, hart_mask_base) pair names; false if one is not ours. */
static bool decode_mask(uint64_t mask, uint64_t base, uint64_t *out)
{
	if (base == UINT64_MAX) {
		*out = fw_hart_mask; /* "all available harts" */
		return true;
	}
	if (base >= 64 || (base && (mask >> (64 - base)))) {
		return mask == 0 ? (*out = 0, true) : false;
	}
	*out = mask << base;
	return (*out & ~fw_hart_mask) == 0;
}

static int64_t post_to_mask(struct fw_hart *h, uint64_t mask, uint64_t base, uint32_t bits)
{
	uint64_t targets;
	struct fw_request req = { .bits = bits };

	if (!decode_mask(mask, base, &targets)) {
		return SBI_ERR_INVALID_PARAM;
	}
	for (unsigned int t = 0; t < FW_MAX_HARTS; t++) {
		if (!(targets & (UINT64_C(1) << t))) {
			continue;
		}
		if (t == h->hartid) {
			__atomic_fetch_or(&h->requests, bits, __ATOMIC_RELEASE);
			fw_process_requests(h);
		} else {
			fw_request((unsigned int)h->hartid, t, &req, bits != FW_REQ_SSIP);
		}
	}
	return SBI_SUCCESS;
}

/* -------------------------------------------------------- extensions --- */

static void set_timer(uint64_t when)
{
	if (fw_has_sstc) {
		csr_write(CSR_STIMECMP, when); /* stimecmp: STIP follows it in hardware */
		return;
	}
	hal_timer_set((hart_t)fw_hartid(), when);
	csr_clear(mip, MIP_STIP);
	csr_set(mie, UINT64_C(1) << IRQ_M_TIMER);
}

static int64_t hsm_start(struct fw_hart *h, uint64_t hartid, uint64_t addr, uint64_t opaque)
{
	uint32_t stopped = FW_HSM_STOPPED;

	if (hartid >= FW_MAX_HARTS || !fw_harts[hartid].present) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (!mon_is_host_memory(fw_mon, addr, 4) || (addr & 1)) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	struct fw_hart *t = &fw_harts[hartid];
	if (!__atomic_compare_exchange_n(&t->hsm_state, &stopped, FW_HSM_START_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return SBI_ERR_ALREADY_AVAILABLE;
	}
	t->start_addr = addr;
	t->start_opaque = opaque;
	struct fw_request req = { .bits = FW_REQ_START };
	fw_request((unsigned int)h->hartid, (unsigned int)hartid, &req, false);
	return SBI_SUCCESS;
}

/* Waits for an interrupt the host has enabled, serving firmware requests meanwhile. */
static void wait_for_host_interrupt(struct fw_hart *h)
{
	const uint64_t host_irqs = MIP_SSIP | MIP_STIP | MIP_SEIP;

	for (;;) {
		if (csr_read(mip) & csr_read(mie) & host_irqs) {
			return;
		}
		fw_wfi();
		fw_process_requests(h);
	}
}

static int64_t hsm_suspend(struct fw_hart *h, uint64_t type, uint64_t resume, uint64_t opaque)
{
	if (type != SBI_HSM_SUSPEND_RET_DEFAULT && type != SBI_HSM_SUSPEND_NON_RET_DEFAULT) {
		/* SBI v2.0: reserved and unimplemented platform-specific types alike. */
		return SBI_ERR_INVALID_PARAM;
	}
	if (type == SBI_HSM_SUSPEND_NON_RET_DEFAULT &&
	    (!mon_is_host_memory(fw_mon, resume, 4) || (resume & 1))) {
		return SBI_ERR_INVALID_ADDRESS;
	}
	__atomic_store_n(&h->hsm_state, FW_HSM_SUSPENDED, __ATOMIC_RELEASE);
	uint64_t saved_mie = csr_read(mie);
	csr_set(mie, UINT64_C(1) << IRQ_M_SOFT);
	wait_for_host_interrupt(h);
	csr_write(mie, saved_mie);
	__atomic_store_n(&h->hsm_state, FW_HSM_STARTED, __ATOMIC_RELEASE);
	if (type == SBI_HSM_SUSPEND_NON_RET_DEFAULT) {
		fw_enter_host(h, resume, h->hartid, opaque);
	}
	return SBI_SUCCESS;
}

/* DBCN: the buffer must be host memory; copied through the checked copy. */
static int64_t dbcn(uint64_t fid, uint64_t n, uint64_t lo, uint64_t hi, uint64_t *value)
{
	char buf[64];
	uint64_t done = 0;

	if (fid == DBCN_WRITE_BYTE) {
		uart_write((const char *)&(char){ (char)n }, 1);
		return SBI_SUCCESS;
	}
	if (fid != DBCN_WRITE && fid != DBCN_READ) {
		return SBI_ERR_NOT_SUPPORTED;
	}
	if (hi != 0 || (n && !mon_is_host_memory(fw_mon, lo, n))) {
		return SBI_ERR_INVALID_PARAM;
	}
	while (done < n) {
		size_t chunk = n - done < sizeof(buf) ? (size_t)(n - done) : sizeof(buf);
		if (fid == DBCN_WRITE) {
			if (hal_untrusted_read(0, pa_init(lo + done), buf, chunk) != MON_OK) {
				return done ? (*value = done, SBI_SUCCESS) : SBI_ERR_INVALID_PARAM;
			}
			for (size_t i = 0; i < chunk; i++) {
				uart_putc(buf[i]);
			}
		} else {
			size_t got = 0;
			int c;
			while (got < chunk && (c = uart_getc()) >= 0) {
				buf[got++] = (char)c;
			}
			if (got && hal_untrusted_write(0, pa_init(lo + done), buf, got) != MON_OK) {
				return done ? (*value = done, SBI_SUCCESS) : SBI_ERR_INVALID_PARAM;
			}
			done += got;
			if (got < chunk) {
				break;
			}
			continue;
		}
		done += chunk;
	}
	*value = done;
	return SBI_SUCCESS;
}

static int64_t srst(uint64_t type, uint64_t reason)
{
	/* SBI v2.0: reserved or unimplemented (vendor) types and reasons are INVALID_PARAM. */
	if (type > SRST_TYPE_LAST || reason > UINT32_MAX ||
	    (reason > SRST_REASON_LAST && reason < VENDOR_FIRST)) {
		return SBI_ERR_INVALID_PARAM;
	}
	if (type == SBI_SRST_TYPE_SHUTDOWN) {
		plat_exit(reason == SBI_SRST_REASON_SYSTEM_FAILURE ? 1 : 0);
	}
	plat_reset();
}

void fw_sbi_handle(struct fw_hart *h)
{
	struct mon_trap_frame *f = &h->frame;
	uint64_t eid = f->x[17];
	uint64_t fid = f->x[16];
	uint64_t *a = &f->x[10];
	uint64_t value = 0;
	int64_t err = SBI_ERR_NOT_SUPPORTED;

	f->mepc += 4;
	switch (eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
		set_timer(a[0]);
		a[0] = 0;
		return;
	case SBI_EXT_LEGACY_PUTCHAR:
		uart_write((const char *)&(char){ (char)a[0] }, 1);
		a[0] = 0;
		return;
	case SBI_EXT_LEGACY_GETCHAR: a[0] = (uint64_t)(int64_t)uart_getc(); return;
	case SBI_EXT_TIME:
		if (fid == SBI_TIME_SET_TIMER) {
			set_timer(a[0]);
			err = SBI_SUCCESS;
		}
		break;
	case SBI_EXT_IPI:
		if (fid == SBI_IPI_SEND_IPI) {
			err = post_to_mask(h, a[0], a[1], FW_REQ_SSIP);
		}
		break;
	case SBI_EXT_RFENCE:
		if (fid == SBI_RFENCE_REMOTE_FENCE_I) {
			err = post_to_mask(h, a[0], a[1], FW_REQ_FENCE_I);
		} else if (fid <= 2) {
			err = post_to_mask(h, a[0], a[1], FW_REQ_SFENCE);
		} else if (fid <= RFENCE_HFENCE_VVMA) {
			err = post_to_mask(h, a[0], a[1],
					   fid <= 4 ? FW_REQ_HFENCE_G : FW_REQ_HFENCE_V);
		}
		break;
	case SBI_EXT_HSM:
		switch (fid) {
		case SBI_HSM_HART_START: err = hsm_start(h, a[0], a[1], a[2]); break;
		case SBI_HSM_HART_STOP:
			__atomic_store_n(&h->hsm_state, FW_HSM_STOPPED, __ATOMIC_RELEASE);
			fw_park(h);
		case SBI_HSM_HART_GET_STATUS:
			if (a[0] < FW_MAX_HARTS && fw_harts[a[0]].present) {
				value = __atomic_load_n(&fw_harts[a[0]].hsm_state,
							__ATOMIC_ACQUIRE);
				err = SBI_SUCCESS;
			} else {
				err = SBI_ERR_INVALID_PARAM;
			}
			break;
		case SBI_HSM_HART_SUSPEND: err = hsm_suspend(h, a[0], a[1], a[2]); break;
		default: break;
		}
		break;
	case SBI_EXT_SRST:
		if (fid == SBI_SRST_SYSTEM_RESET) {
			err = srst(a[0], a[1]);
		}
		break;
	case SBI_EXT_DBCN: err = dbcn(fid, a[0], a[1], a[2], &value); break;
	default: break;
	}
	a[0] = (uint64_t)err;
	a[1] = err == SBI_SUCCESS ? value : 0;
}
