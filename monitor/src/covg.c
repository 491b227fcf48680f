// SPDX-License-Identifier: BSD-2-Clause
/*
 * COVG: the guest's interface to the TSM (CoVE spec, "COVE Guest
 * Extension"). Every call is checked and completed by the monitor; calls the
 * spec says "imply an exit to the host" then exit with the registers the
 * monitor chooses to reveal (the guest's own buffers never leave it).
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/sbi.h"
#include "covemon/lib.h"
#include "riscv_bits.h"

#define SHARE_MAX_PAGES 64u

static struct sbi_result res(mon_err_t err, uint64_t value)
{
	struct sbi_result r = { err, err == MON_OK ? value : 0 };
	return r;
}

/* A GPA range: page aligned, non-empty, below the TVM's GPA limit. */
static bool gpa_range_ok(const struct tvm *tvm, uint64_t gpa, uint64_t len)
{
	uint64_t end;

	return len && mon_is_aligned(gpa | len, MON_PAGE_SIZE) && mon_range_end(gpa, len, &end) &&
	       end <= gstage_gpa_limit(tvm->mode);
}

static bool overlaps_any(const struct mmio_region *r, unsigned int n, uint64_t gpa, uint64_t len)
{
	for (unsigned int i = 0; i < n; i++) {
		if (mon_ranges_overlap(r[i].gpa, r[i].len, gpa, len)) {
			return true;
		}
	}
	return false;
}

static struct mmio_region *free_slot(struct mmio_region *r, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (r[i].len == 0) {
			return &r[i];
		}
	}
	return NULL;
}

static struct sbi_result add_mmio(struct tvm *tvm, uint64_t gpa, uint64_t len)
{
	if (!gpa_range_ok(tvm, gpa, len) ||
	    mon_ranges_overlap(tvm->mem_gpa, tvm->mem_size, gpa, len) ||
	    overlaps_any(tvm->mmio, MON_MAX_MMIO, gpa, len)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	struct mmio_region *slot = free_slot(tvm->mmio, MON_MAX_MMIO);
	if (!slot) {
		return res(MON_ERR_FAILED, 0);
	}
	slot->gpa = gpa;
	slot->len = len;
	return res(MON_OK, 0);
}

static struct sbi_result remove_mmio(struct tvm *tvm, uint64_t gpa, uint64_t len)
{
	if (!gpa_range_ok(tvm, gpa, len)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	/* Every region that overlaps the range goes (spec). */
	for (unsigned int i = 0; i < MON_MAX_MMIO; i++) {
		if (mon_ranges_overlap(tvm->mmio[i].gpa, tvm->mmio[i].len, gpa, len)) {
			tvm->mmio[i].gpa = 0;
			tvm->mmio[i].len = 0;
		}
	}
	return res(MON_OK, 0);
}

static struct sbi_result share(struct tvm *tvm, struct vcpu *v, uint64_t gpa, uint64_t len,
			       struct run_notify *n)
{
	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	/* Reserved slots count as shared: two requests in flight cannot overlap. */
	if (!gpa_range_ok(tvm, gpa, len) || len / MON_PAGE_SIZE > SHARE_MAX_PAGES ||
	    !mon_range_within(gpa, len, tvm->mem_gpa, tvm->mem_size) ||
	    overlaps_any(tvm->shared, MON_MAX_SHARED, gpa, len)) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	struct mmio_region *slot = free_slot(tvm->shared, MON_MAX_SHARED);
	if (!slot) {
		return res(MON_ERR_FAILED, 0);
	}
	/* Reserve the slot now; the host answers with a host PA on the next run. */
	unsigned int idx = (unsigned int)(slot - tvm->shared);
	slot->gpa = gpa;
	slot->len = len;
	tvm->shared_pending |= (uint8_t)(1u << idx);
	v->pending_share = (uint8_t)(idx + 1);
	n->reveal[0] = gpa;
	n->reveal[1] = len;
	n->answer = EXIT_SHARE;
	return res(MON_OK, 0);
}

mon_err_t covg_complete_share(struct mon *mon, hart_t hart, struct tvm *tvm, struct vcpu *v,
			      uint64_t host_pa)
{
	unsigned int idx = v->pending_share - 1u;
	struct mmio_region *slot = &tvm->shared[idx];
	uint64_t gpa = slot->gpa;
	uint64_t pages = slot->len / MON_PAGE_SIZE;
	uint64_t old[SHARE_MAX_PAGES];
	uint64_t old_perm[SHARE_MAX_PAGES];
	uint64_t pa;
	uint64_t perm;
	uint64_t mapped = 0;
	mon_err_t err = MON_OK;

	v->pending_share = 0;
	tvm->shared_pending &= (uint8_t) ~(1u << idx);
	if (!mon_is_aligned(host_pa, MON_PAGE_SIZE) ||
	    !memmap_is_host(&mon->map, host_pa, pages * MON_PAGE_SIZE)) {
		err = MON_ERR_INVALID_ADDRESS; /* the host offered memory that is not its own */
	}
	/* Swap confidential pages for the host's, all or nothing. */
	for (uint64_t i = 0; i < pages && err == MON_OK; i++) {
		uint64_t at = gpa + i * MON_PAGE_SIZE;

		old[i] = 0;
		if (gstage_unmap(mon, tvm, at, &pa, &perm)) {
			old[i] = pa;
			old_perm[i] = perm;
		}
		err = gstage_map(mon, hart, tvm, at, host_pa + i * MON_PAGE_SIZE, PTE_R | PTE_W);
		if (err == MON_OK) {
			mapped++;
		} else if (old[i]) {
			gstage_remap(mon, hart, tvm, at, old[i], old_perm[i]);
		}
	}
	if (err != MON_OK) {
		for (uint64_t i = 0; i < mapped; i++) {
			uint64_t at = gpa + i * MON_PAGE_SIZE;

			(void)gstage_unmap(mon, tvm, at, &pa, &perm);
			if (old[i]) {
				gstage_remap(mon, hart, tvm, at, old[i], old_perm[i]);
			}
		}
		v->x[10] = (uint64_t)dispatch_err_to_sbi(
			err == MON_ERR_OUT_OF_PTPAGES ? MON_ERR_FAILED : err);
		v->x[11] = 0;
		slot->gpa = 0; /* the reservation ends with the request */
		slot->len = 0;
		return err;
	}
	/* No hart may still reach the old pages when they are scrubbed and freed. */
	struct hal_fence f = { .kind = HAL_FENCE_GVMA_VMID, .vmid = tvm->vmid };
	hal_fence(hart, tvm_all_harts(mon), &f);
	for (uint64_t i = 0; i < pages; i++) {
		if (old[i]) {
			pages_free(mon, tvm, old[i], 1);
		}
	}
	v->x[10] = 0;
	v->x[11] = 0;
	return MON_OK;
}

static struct sbi_result unshare(struct mon *mon, hart_t hart, struct tvm *tvm, uint64_t gpa,
				 uint64_t len)
{
	struct mmio_region *r = NULL;
	uint64_t pa;
	uint64_t perm;

	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	for (unsigned int i = 0; i < MON_MAX_SHARED; i++) {
		if (tvm->shared[i].len && tvm->shared[i].gpa == gpa && tvm->shared[i].len == len &&
		    !((tvm->shared_pending >> i) & 1)) {
			r = &tvm->shared[i];
		}
	}
	if (!r) {
		return res(MON_ERR_INVALID_PARAM, 0); /* must be exactly a shared region */
	}
	for (uint64_t off = 0; off < len; off += MON_PAGE_SIZE) {
		(void)gstage_unmap(mon, tvm, gpa + off, &pa, &perm);
	}
	/* Unmapped and fenced everywhere before the vCPU resumes. */
	struct hal_fence f = { .kind = HAL_FENCE_GVMA_VMID, .vmid = tvm->vmid };
	hal_fence(hart, tvm_all_harts(mon), &f);
	r->gpa = 0;
	r->len = 0;
	return res(MON_OK, 0);
}

static struct sbi_result interrupt(struct vcpu *v, uint64_t id, bool allow)
{
	if (id == UINT64_MAX) {
		v->irq_all = allow;
		v->irq_allowed = allow ? UINT64_MAX : 0;
		return res(MON_OK, 0);
	}
	if (id >= 64) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	if (allow) {
		v->irq_allowed |= UINT64_C(1) << id;
	} else {
		v->irq_allowed &= ~(UINT64_C(1) << id);
		v->irq_all = false;
	}
	return res(MON_OK, 0);
}

static struct sbi_result attcaps(struct mon *mon, struct tvm *tvm, uint64_t gpa, uint64_t size)
{
	struct cove_attcaps caps;

	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	if (!mon_is_aligned(size, MON_PAGE_SIZE) || size < sizeof(caps)) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	mon_memset(&caps, 0, sizeof(caps));
	caps.hash_algorithm = COVE_HASH_SHA384;
	caps.initial_measurements = COVE_MEASURE_RUNTIME_FIRST;
	caps.runtime_measurements = COVE_MEASURE_COUNT - COVE_MEASURE_RUNTIME_FIRST;
	for (unsigned int i = 0; i < COVE_MEASURE_COUNT; i++) {
		caps.msmt_regs[i].hash_algorithm = COVE_HASH_SHA384;
		caps.msmt_regs[i].measurement_type = i < COVE_MEASURE_RUNTIME_FIRST
							     ? COVE_MEASUREMENT_INITIAL
							     : COVE_MEASUREMENT_RUNTIME;
		caps.msmt_regs[i].tcg_pcr_index = COVE_UNMAPPED_TCG_PCR;
	}
	/* "the entire range doesn't span a CONFIDENTIAL_MEMORY_REGION": INVALID_PARAM */
	if (memaccess_guest_write(mon, tvm, gpa, &caps, sizeof(caps)) != MON_OK) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	return res(MON_OK, sizeof(caps));
}

static struct sbi_result extend(struct mon *mon, struct tvm *tvm, uint64_t gpa, uint64_t len,
				uint64_t index)
{
	uint8_t digest[48];

	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	if (len != sizeof(digest) || index < COVE_MEASURE_RUNTIME_FIRST ||
	    index >= COVE_MEASURE_COUNT) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	if (memaccess_guest_read(mon, tvm, gpa, digest, sizeof(digest)) != MON_OK) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	measure_extend(tvm, (unsigned int)index, digest, sizeof(digest));
	return res(MON_OK, 0);
}

static struct sbi_result read_measurement(struct mon *mon, struct tvm *tvm, uint64_t gpa,
					  uint64_t size, uint64_t index)
{
	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	if (size < 48 || index >= COVE_MEASURE_COUNT) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	if (memaccess_guest_write(mon, tvm, gpa, tvm->measure[index], 48) != MON_OK) {
		return res(MON_ERR_INVALID_PARAM, 0); /* not confidential memory of the TVM */
	}
	return res(MON_OK, 48);
}

/*
 * The secret records of the TVM's TAP (abi/tap.h), copied into its own
 * confidential memory; never part of an exit, so the host learns nothing.
 */
static struct sbi_result retrieve_secret(struct mon *mon, struct tvm *tvm, uint64_t gpa,
					 uint64_t size)
{
	if (!mon_is_aligned(gpa, MON_PAGE_SIZE)) {
		return res(MON_ERR_INVALID_ADDRESS, 0);
	}
	if (size > MON_PAGE_SIZE) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	if (!tvm->secret) {
		return res(MON_ERR_AUTH, 0); /* promoted without a TAP */
	}
	if (size < tvm->secret_len) {
		return res(MON_ERR_INVALID_PARAM, 0);
	}
	if (memaccess_guest_write(mon, tvm, gpa, hal_mon_map(pa_init(tvm->secret), MON_PAGE_SIZE),
				  tvm->secret_len) != MON_OK) {
		return res(MON_ERR_INVALID_ADDRESS, 0); /* not confidential memory of the TVM */
	}
	return res(MON_OK, tvm->secret_len);
}

struct sbi_result covg_handle(struct mon *mon, hart_t hart, struct tvm *tvm, struct vcpu *v,
			      const struct sbi_call *call, struct run_notify *n, bool *notify)
{
	const uint64_t *a = call->arg;
	struct sbi_result r;

	switch (call->fid) {
	case COVG_ADD_MMIO_REGION: r = add_mmio(tvm, a[0], a[1]); break;
	case COVG_REMOVE_MMIO_REGION: r = remove_mmio(tvm, a[0], a[1]); break;
	case COVG_SHARE_MEMORY_REGION: r = share(tvm, v, a[0], a[1], n); break;
	case COVG_UNSHARE_MEMORY_REGION: r = unshare(mon, hart, tvm, a[0], a[1]); break;
	case COVG_ALLOW_EXTERNAL_INTERRUPT: r = interrupt(v, a[0], true); break;
	case COVG_DENY_EXTERNAL_INTERRUPT: r = interrupt(v, a[0], false); break;
	case COVG_GET_ATTCAPS: r = attcaps(mon, tvm, a[0], a[1]); break;
	case COVG_EXTEND_MEASUREMENT: r = extend(mon, tvm, a[0], a[1], a[2]); break;
	case COVG_RETRIEVE_SECRET: return retrieve_secret(mon, tvm, a[0], a[1]);
	case COVG_READ_MEASUREMENT: r = read_measurement(mon, tvm, a[0], a[1], a[2]); break;
	default: return res(MON_ERR_NOT_SUPPORTED, 0); /* get_evidence: remote attestation */
	}
	if (r.err == MON_OK) {
		/* "This implies an exit to the host": which call, and for MMIO, share and
		 * interrupt calls their arguments (the host must act on them); nothing of
		 * the guest's data. */
		*notify = true;
		n->reveal[6] = call->fid;
		n->reveal[7] = SBI_EXT_COVG;
		if (call->fid <= COVG_DENY_EXTERNAL_INTERRUPT) {
			n->reveal[0] = a[0];
			n->reveal[1] = a[1];
		}
	}
	return r;
}
