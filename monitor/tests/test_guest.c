// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI a confidential guest sees (cove-abi.md section 4; CoVE spec "COVE
 * Guest Extension"; SBI spec HSM, IPI, RFENCE, SRST, DBCN chapters), called
 * from a vCPU in VS-mode on the emulated machine. Each test promotes a
 * 2-vCPU VM, runs vCPU 0 on hart 0 and makes guest calls through ecall.
 *
 * Threats covered: a guest that calls host-only extensions to act on the
 * host's behalf (attack class 13, caller confusion); a guest that hands the
 * monitor buffers it does not own or arguments that overflow; a host that
 * answers a share request with memory that is not its own (confidential
 * memory, monitor data), hoping the monitor maps it into the guest; a guest
 * with a long secret buffer (ACE flaw 3, a panic). Every refused call must
 * leave the monitor state as it was and must not exit to the host.
 */
#include <string.h>

#include "../src/core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/sha384.h"
#include "vm_image.h"

#define MMIO_GPA UINT64_C(0x10000000) /* outside the /memory node */
#define PAGE	 UINT64_C(4096)
#define REG_A4	 14u
#define REG_A5	 15u
#define IRQ_VSSI (UINT64_C(1) << 2)

/* Guest pages 0..15 hold vm_build's pattern; these are spare ones among them. */
#define GPA_TEXT     (VM_RAM_GPA + 3 * PAGE)
#define GPA_DIGEST   (VM_RAM_GPA + 4 * PAGE)
#define GPA_SHARE    (VM_RAM_GPA + 5 * PAGE)
#define GPA_CAPS     (VM_RAM_GPA + 6 * PAGE)
#define GPA_READBACK (VM_RAM_GPA + 7 * PAGE)
/* Inside /memory but never touched: no page behind it until the guest faults. */
#define GPA_UNTOUCHED (VM_RAM_GPA + 0x80000)

/* A promoted 2-vCPU TVM whose vCPU 0 runs on hart 0. */
struct tvm_env {
	struct fixture f;
	struct vm_image vm;
	uint64_t id;
	uint64_t nacl1; /* hart 1's NACL area, once vCPU 1 runs there */
};

/* How a guest call ended, after the host (if it was told) ran the vCPU again. */
struct outcome {
	bool exited;	    /* the hart went back to the host */
	uint64_t dead;	    /* run_tvm_vcpu's a1 at that exit */
	uint64_t reveal[8]; /* NACL scratch a0..a7 at that exit */
	int64_t error;	    /* the guest's a0 once the call completed (not when dead) */
	uint64_t value;	    /* the guest's a1 */
};

static struct shim_hart *hart_of(struct tvm_env *e, unsigned int hart)
{
	return &e->f.w->hart[hart];
}

static uint64_t nacl_of(struct tvm_env *e, unsigned int hart)
{
	return hart == 0 ? e->vm.nacl : e->nacl1;
}

static struct tvm *tvm_of(struct tvm_env *e)
{
	struct tvm *t = tvm_get(e->f.mon, e->id);

	ASSERT_TRUE(t != NULL);
	return t;
}

/* The host runs vCPU @vcpu on @hart; returns the SBI error of run_tvm_vcpu (0: it entered). */
static int64_t host_run(struct tvm_env *e, unsigned int hart, uint64_t vcpu)
{
	ASSERT_EQ(hart_of(e, hart)->mode, SHIM_MODE_HS); /* only the host runs vCPUs */
	struct shim_sbiret r =
		host_call(&e->f, hart, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e->id, vcpu, 0);

	return hart_of(e, hart)->mode == SHIM_MODE_VS ? 0 : r.error;
}

/* Promotes the VM built in @e and runs its vCPU 0 on hart 0. */
static void env_promote(struct tvm_env *e)
{
	struct shim_sbiret r = host_call(&e->f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa,
					 0, e->vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e->id = r.value;
	ASSERT_EQ(host_run(e, 0, 0), 0);
}

static void env_init(struct tvm_env *e)
{
	memset(e, 0, sizeof(*e));
	fixture_init(&e->f, 2);
	vm_build(&e->f, 2, 16, &e->vm);
	env_promote(e);
}

static void env_fini(struct tvm_env *e)
{
	fixture_fini(&e->f);
}

/* A fresh host page (after everything vm_build took). */
static uint64_t host_buffer(struct tvm_env *e)
{
	uint64_t pa = e->vm.next_free;

	e->vm.next_free += PAGE;
	return pa;
}

/* The guest on @hart executes ecall with a7 = @eid, a6 = @fid, a0..a2. */
static struct shim_sbiret guest_call_on(struct tvm_env *e, unsigned int hart, uint64_t eid,
					uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	ASSERT_EQ(hart_of(e, hart)->mode, SHIM_MODE_VS);
	return shim_mon_ecall(e->f.w, e->f.mon, hart, eid, fid, args);
}

static struct shim_sbiret guest_call(struct tvm_env *e, uint64_t eid, uint64_t fid, uint64_t a0,
				     uint64_t a1, uint64_t a2)
{
	return guest_call_on(e, 0, eid, fid, a0, a1, a2);
}

/*
 * Completes a guest call made on @hart: when it exited to the host, records
 * what the host saw and (unless the vCPU is dead) runs the vCPU again, so
 * the guest's a0/a1 are those the call finally returned.
 */
static struct outcome complete_on(struct tvm_env *e, unsigned int hart, uint64_t vcpu,
				  struct shim_sbiret r)
{
	struct shim_hart *h = hart_of(e, hart);
	struct outcome o;

	memset(&o, 0, sizeof(o));
	o.error = r.error;
	o.value = r.value;
	if (h->mode != SHIM_MODE_HS) {
		return o;
	}
	o.exited = true;
	o.dead = r.value;
	o.error = 0;
	o.value = 0;
	for (unsigned int i = 0; i < 8; i++) {
		o.reveal[i] = nacl_read(&e->f, nacl_of(e, hart), NACL_SCRATCH_GPR_OFFSET(10 + i));
	}
	if (o.dead) {
		return o;
	}
	ASSERT_EQ(host_run(e, hart, vcpu), 0);
	o.error = (int64_t)h->x[10];
	o.value = h->x[11];
	return o;
}

static struct outcome call(struct tvm_env *e, uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
			   uint64_t a2)
{
	return complete_on(e, 0, 0, guest_call(e, eid, fid, a0, a1, a2));
}

static void check_at(const char *file, int line, const char *what, uint64_t got, uint64_t want)
{
	test_checks++;
	if (got != want) {
		test_fail_u64(file, line, what, "==", got, want, false);
	}
}

/*
 * A call the monitor must refuse with @err: a0 = @err, a1 = 0, the guest
 * resumes right after its ecall, the host is not entered, and the monitor
 * state is byte for byte what it was.
 */
static void expect_rejected_at(const char *file, int line, struct tvm_env *e, uint64_t eid,
			       uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2, int64_t err)
{
	struct shim_hart *h = hart_of(e, 0);
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];
	uint64_t pc = h->pc;

	state_hash(&e->f, before);
	struct shim_sbiret r = guest_call(e, eid, fid, a0, a1, a2);
	state_hash(&e->f, after);
	check_at(file, line, "call reached the monitor", r.reached_monitor, true);
	check_at(file, line, "no exit: hart still in VS", h->mode, SHIM_MODE_VS);
	check_at(file, line, "guest a0 (error)", (uint64_t)r.error, (uint64_t)err);
	check_at(file, line, "guest a1 (value)", r.value, 0);
	check_at(file, line, "guest resumes after its ecall", h->pc, pc + 4);
	check_at(file, line, "monitor state unchanged", memcmp(before, after, sizeof(before)) == 0,
		 true);
}

#define EXPECT_REJECTED(e, eid, fid, a0, a1, a2, err) \
	expect_rejected_at(__FILE__, __LINE__, (e), (eid), (fid), (a0), (a1), (a2), (err))

/* The guest stores @len bytes (a multiple of 8) at @gpa with sd instructions. */
static void guest_write(struct tvm_env *e, uint64_t gpa, const void *src, size_t len)
{
	const uint8_t *p = src;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t word;

		memcpy(&word, p + i, 8);
		shim_hart_set_x(hart_of(e, 0), REG_A4, word);
		ASSERT_EQ(
			shim_mon_guest_access(e->f.w, e->f.mon, 0, true, gpa + i, 8, REG_A4, true),
			SHIM_GUEST_DONE);
	}
}

/* The guest loads 8 bytes at @gpa (the access must complete inside the monitor). */
static uint64_t guest_load(struct tvm_env *e, uint64_t gpa)
{
	ASSERT_EQ(shim_mon_guest_access(e->f.w, e->f.mon, 0, false, gpa, 8, REG_A5, true),
		  SHIM_GUEST_DONE);
	return hart_of(e, 0)->x[REG_A5];
}

/* The host PA behind guest page @gpa in the monitor's G-stage tables. */
static bool gpa_pa(struct tvm_env *e, uint64_t gpa, uint64_t *pa)
{
	uint64_t pte;

	return gstage_lookup(e->f.mon, tvm_of(e), gpa, pa, &pte);
}

static void read_pa(struct tvm_env *e, uint64_t pa, void *dst, size_t len)
{
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, dst, len));
}

/* vm_build's content of guest page @page at byte @off. */
static uint8_t image_byte(unsigned int page, unsigned int off)
{
	return (uint8_t)(page * 31 + off * 7);
}

static unsigned int vcpu_state(struct tvm_env *e, uint64_t vcpu)
{
	struct mon_vcpu_view v;

	ASSERT_TRUE(mon_introspect_vcpu(e->f.mon, e->id, vcpu, &v));
	return v.state;
}

static unsigned int region_count(const struct mmio_region *r, unsigned int n)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < n; i++) {
		count += r[i].len != 0;
	}
	return count;
}

/* The guest starts vCPU 1 and the host runs it on hart 1 (with its own NACL area). */
static void start_vcpu1_on_hart1(struct tvm_env *e)
{
	struct outcome o = call(e, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0);

	ASSERT_TRUE(o.exited);
	ASSERT_EQ(o.error, SBI_SUCCESS);
	e->nacl1 = vm_nacl(&e->f, &e->vm, 1);
	ASSERT_EQ(host_run(e, 1, 1), 0);
}

/* The guest shares [@gpa, @gpa + @len): exit to the host with the range, nothing else. */
static void share_request(struct tvm_env *e, uint64_t gpa, uint64_t len)
{
	(void)guest_call(e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, gpa, len, 0);
	ASSERT_EQ(hart_of(e, 0)->mode, SHIM_MODE_HS);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(10)), gpa);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11)), len);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(16)),
		  COVG_SHARE_MEMORY_REGION);
	EXPECT_EQ(nacl_read(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(17)), SBI_EXT_COVG);
}

/* The host answers the pending share with @pa and runs vCPU 0: the guest's a0. */
static int64_t share_answer(struct tvm_env *e, uint64_t pa)
{
	nacl_write(&e->f, e->vm.nacl, NACL_SCRATCH_GPR_OFFSET(11), pa);
	ASSERT_EQ(host_run(e, 0, 0), 0);
	EXPECT_EQ(hart_of(e, 0)->x[11], 0);
	return (int64_t)hart_of(e, 0)->x[10];
}

/* A complete, valid share of one page at @gpa backed by a fresh host page (returned). */
static uint64_t share_page(struct tvm_env *e, uint64_t gpa)
{
	uint64_t hp = host_buffer(e);

	share_request(e, gpa, PAGE);
	ASSERT_EQ(share_answer(e, hp), SBI_SUCCESS);
	return hp;
}

/* ================================================ caller confusion (13) === */

TEST(guest_caller, covh_get_tsm_info_from_a_guest_is_not_supported)
{
	struct tvm_env e;
	uint8_t before[48];
	uint8_t after[48];

	env_init(&e);
	uint64_t buf = host_buffer(&e);
	read_pa(&e, buf, before, sizeof(before));
	EXPECT_REJECTED(&e, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, 48, 0, SBI_ERR_NOT_SUPPORTED);
	read_pa(&e, buf, after, sizeof(after));
	EXPECT_MEM_EQ(before, after, sizeof(before));
	env_fini(&e);
}

TEST(guest_caller, covh_promote_from_a_guest_creates_no_tvm)
{
	struct tvm_env e;
	struct mon_tvm_view v;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e.vm.fdt_gpa, 0, e.vm.entry,
			SBI_ERR_NOT_SUPPORTED);
	EXPECT_FALSE(mon_introspect_tvm(e.f.mon, e.id + 1, &v));
	env_fini(&e);
}

TEST(guest_caller, covh_run_from_a_guest_does_not_run_a_vcpu)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e.id, 1, 0, SBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_STOPPED);
	env_fini(&e);
}

TEST(guest_caller, covh_destroy_from_a_guest_keeps_its_tvm)
{
	struct tvm_env e;
	struct mon_tvm_view v;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVH, COVH_DESTROY_TVM, e.id, 0, 0, SBI_ERR_NOT_SUPPORTED);
	EXPECT_TRUE(mon_introspect_tvm(e.f.mon, e.id, &v));
	env_fini(&e);
}

TEST(guest_caller, nacl_set_shmem_from_a_guest_does_not_move_the_hosts_area)
{
	struct tvm_env e;
	uint64_t pa = 0;

	env_init(&e);
	uint64_t evil = e.vm.next_free;
	e.vm.next_free += 3 * PAGE;
	EXPECT_REJECTED(&e, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, evil, 0, 0, SBI_ERR_NOT_SUPPORTED);
	EXPECT_REJECTED(&e, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, SBI_NACL_SHMEM_DISABLE,
			SBI_NACL_SHMEM_DISABLE, 0, SBI_ERR_NOT_SUPPORTED);
	ASSERT_TRUE(mon_introspect_nacl(e.f.mon, 0, &pa));
	EXPECT_EQ(pa, e.vm.nacl);
	env_fini(&e);
}

TEST(guest_caller, probe_extension_answers_one_for_every_guest_extension)
{
	static const uint64_t eids[] = { SBI_EXT_BASE, SBI_EXT_HSM,  SBI_EXT_IPI, SBI_EXT_RFENCE,
					 SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_COVG };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		struct shim_sbiret r =
			guest_call(&e, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eids[i], 0, 0);
		EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 1);
	}
	env_fini(&e);
}

TEST(guest_caller, probe_extension_answers_zero_for_host_only_and_unknown_extensions)
{
	static const uint64_t eids[] = { SBI_EXT_COVH, SBI_EXT_NACL, SBI_EXT_COVI, 0x12345678,
					 UINT64_C(0x100000010) };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		struct shim_sbiret r =
			guest_call(&e, SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eids[i], 0, 0);
		EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
		EXPECT_EQ(r.error, SBI_SUCCESS);
		EXPECT_EQ(r.value, 0);
	}
	env_fini(&e);
}

TEST(guest_caller, covg_with_nonzero_sdid_is_not_supported)
{
	struct tvm_env e;

	env_init(&e);
	/* Would write attestation capabilities into the guest page without the SDID. */
	EXPECT_REJECTED(&e, SBI_EXT_COVG, (UINT64_C(1) << COVE_FID_SDID_SHIFT) | COVG_GET_ATTCAPS,
			GPA_CAPS, PAGE, 0, SBI_ERR_NOT_SUPPORTED);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVE_FID_SDID_MASK | COVG_GET_ATTCAPS, GPA_CAPS, PAGE, 0,
			SBI_ERR_NOT_SUPPORTED);
	env_fini(&e);
}

TEST(guest_caller, covg_with_reserved_fid_bits_is_not_supported)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, (UINT64_C(1) << 16) | COVG_GET_ATTCAPS, GPA_CAPS, PAGE, 0,
			SBI_ERR_NOT_SUPPORTED);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVE_FID_RESERVED_MASK | COVG_ADD_MMIO_REGION, MMIO_GPA,
			PAGE, 0, SBI_ERR_NOT_SUPPORTED);
	env_fini(&e);
}

TEST(guest_caller, unknown_covg_functions_are_not_supported)
{
	static const uint64_t fids[] = { 11, 1023, 0xFFFF };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_COVG, fids[i], GPA_CAPS, PAGE, 0,
				SBI_ERR_NOT_SUPPORTED);
	}
	env_fini(&e);
}

TEST(guest_caller, covg_get_evidence_is_not_supported)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_EVIDENCE, GPA_CAPS, 64, GPA_READBACK,
			SBI_ERR_NOT_SUPPORTED);
	env_fini(&e);
}

/* ============================================================== Base === */

TEST(guest_base, spec_version_is_answered_inside_the_monitor)
{
	struct tvm_env e;
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	env_init(&e);
	state_hash(&e.f, before);
	struct shim_sbiret r = guest_call(&e, SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	state_hash(&e.f, after);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, SBI_SPEC_VERSION);
	EXPECT_MEM_EQ(before, after, sizeof(before));
	env_fini(&e);
}

TEST(guest_base, impl_id_is_covemon)
{
	struct tvm_env e;

	env_init(&e);
	struct shim_sbiret r = guest_call(&e, SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, COVE_TSM_IMPL_COVEMON);
	env_fini(&e);
}

/* =============================================================== HSM === */

TEST(guest_hsm, start_makes_the_vcpu_runnable_and_reveals_only_its_id)
{
	struct tvm_env e;
	const uint64_t start = VM_RAM_GPA + 0x2000;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_HSM, SBI_HSM_HART_START, 1, start, 0x77);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 0);
	EXPECT_EQ(o.reveal[0], 1);
	for (unsigned int i = 1; i < 6; i++) {
		EXPECT_EQ(o.reveal[i], 0); /* neither start address nor opaque */
	}
	EXPECT_EQ(o.reveal[6], SBI_HSM_HART_START);
	EXPECT_EQ(o.reveal[7], SBI_EXT_HSM);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_RUNNABLE);
	/* The started vCPU enters at start_addr with a0 = its id, a1 = opaque. */
	e.nacl1 = vm_nacl(&e.f, &e.vm, 1);
	ASSERT_EQ(host_run(&e, 1, 1), 0);
	EXPECT_EQ(hart_of(&e, 1)->pc, start);
	EXPECT_EQ(hart_of(&e, 1)->x[10], 1);
	EXPECT_EQ(hart_of(&e, 1)->x[11], 0x77);
	env_fini(&e);
}

TEST(guest_hsm, start_of_a_started_vcpu_is_already_available)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_START, 0, VM_ENTRY, 0,
			SBI_ERR_ALREADY_AVAILABLE);
	ASSERT_EQ(call(&e, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0).error, SBI_SUCCESS);
	EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0,
			SBI_ERR_ALREADY_AVAILABLE);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_RUNNABLE);
	env_fini(&e);
}

TEST(guest_hsm, start_of_an_id_beyond_vcpu_count_is_invalid_param)
{
	static const uint64_t ids[] = { 2, MON_MAX_VCPUS, UINT64_C(1) << 32, UINT64_MAX };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_START, ids[i], VM_ENTRY, 0,
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

TEST(guest_hsm, get_status_reports_started_and_stopped_vcpus)
{
	struct tvm_env e;

	env_init(&e);
	struct shim_sbiret r = guest_call(&e, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, SBI_HSM_STATE_STARTED);
	r = guest_call(&e, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, SBI_HSM_STATE_STOPPED);
	/* After start, vCPU 1 is started even before the host runs it. */
	ASSERT_EQ(call(&e, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0).error, SBI_SUCCESS);
	r = guest_call(&e, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, SBI_HSM_STATE_STARTED);
	env_fini(&e);
}

TEST(guest_hsm, get_status_of_an_id_beyond_vcpu_count_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 2, 0, 0, SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, UINT64_MAX, 0, 0,
			SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(guest_hsm, stop_of_self_exits_and_the_vcpu_cannot_be_run)
{
	struct tvm_env e;

	env_init(&e);
	(void)guest_call(&e, SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	ASSERT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_HS);
	EXPECT_EQ(hart_of(&e, 0)->x[11], 0); /* the vCPU is stopped, not dead */
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(16)), SBI_HSM_HART_STOP);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(17)), SBI_EXT_HSM);
	EXPECT_EQ(vcpu_state(&e, 0), MON_VCPU_STOPPED);
	EXPECT_EQ(host_run(&e, 0, 0), SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_HS);
	env_fini(&e);
}

TEST(guest_hsm, default_retentive_suspend_exits_and_resumes_with_success)
{
	struct tvm_env e;

	env_init(&e);
	struct outcome o =
		call(&e, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 0);
	EXPECT_EQ(o.reveal[6], SBI_HSM_HART_SUSPEND);
	EXPECT_EQ(o.reveal[7], SBI_EXT_HSM);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(vcpu_state(&e, 0), MON_VCPU_RUNNING);
	env_fini(&e);
}

TEST(guest_hsm, default_non_retentive_suspend_is_not_supported)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_NON_RET_DEFAULT,
			VM_ENTRY, 0, SBI_ERR_NOT_SUPPORTED);
	env_fini(&e);
}

TEST(guest_hsm, reserved_and_platform_retentive_suspend_types_are_invalid_param)
{
	static const uint64_t types[] = { 1, 0x0FFFFFFF, 0x10000000, 0x7FFFFFFF };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, types[i], VM_ENTRY, 0,
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

/*
 * SBI HSM, hart_suspend errors: INVALID_PARAM when "suspend_type is reserved
 * or is platform-specific and unimplemented"; NOT_SUPPORTED only for a type
 * that is implemented but unusable. 0x80000001..0x8FFFFFFF are reserved and
 * 0x90000000.. platform-specific non-retentive types covemon does not have.
 */
TEST(guest_hsm, reserved_and_platform_non_retentive_suspend_types_are_invalid_param)
{
	static const uint64_t types[] = { 0x80000001, 0x8FFFFFFF, 0x90000000, 0xFFFFFFFF };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, types[i], VM_ENTRY, 0,
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

/* =============================================================== IPI === */

TEST(guest_ipi, ipi_to_a_stopped_vcpu_is_pending_when_it_first_runs)
{
	struct tvm_env e;

	env_init(&e);
	struct shim_sbiret r =
		guest_call(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, UINT64_C(1) << 1, 0, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(hart_of(&e, 0)->csr.hvip & IRQ_VSSI, 0); /* not the sender's */
	start_vcpu1_on_hart1(&e);
	EXPECT_EQ(hart_of(&e, 1)->csr.hvip & IRQ_VSSI, IRQ_VSSI);
	env_fini(&e);
}

TEST(guest_ipi, mask_naming_a_vcpu_beyond_vcpu_count_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, UINT64_C(1) << 2, 0, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0x3, 1, 0, SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, UINT64_C(1) << 63, 0, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0x2, UINT64_MAX - 1, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(tvm_of(&e)->vcpu[1].csr.hvip & IRQ_VSSI, 0);
	env_fini(&e);
}

TEST(guest_ipi, all_ones_base_targets_every_vcpu)
{
	struct tvm_env e;

	env_init(&e);
	/* hart_mask is ignored with base -1 (SBI spec, "Hart list"). */
	struct shim_sbiret r = guest_call(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, UINT64_MAX, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(hart_of(&e, 0)->csr.hvip & IRQ_VSSI, IRQ_VSSI); /* the sender itself */
	EXPECT_EQ(tvm_of(&e)->vcpu[1].csr.hvip & IRQ_VSSI, IRQ_VSSI);
	env_fini(&e);
}

TEST(guest_ipi, ipi_to_a_vcpu_running_on_another_hart_arrives_without_an_exit)
{
	struct tvm_env e;

	env_init(&e);
	start_vcpu1_on_hart1(&e);
	EXPECT_EQ(hart_of(&e, 1)->csr.hvip & IRQ_VSSI, 0);
	struct shim_sbiret r = guest_call(&e, SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0x2, 0, 0);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	/* The machine IPI reaches the monitor on hart 1, which injects VSSIP there. */
	ASSERT_TRUE(shim_mon_interrupt(e.f.w, e.f.mon, 1));
	EXPECT_EQ(hart_of(&e, 1)->mode, SHIM_MODE_VS);
	EXPECT_EQ(hart_of(&e, 1)->csr.hvip & IRQ_VSSI, IRQ_VSSI);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_RUNNING);
	env_fini(&e);
}

/* ============================================================ RFENCE === */

static void expect_fence_accepted(struct tvm_env *e, uint64_t fid, uint64_t mask, uint64_t base)
{
	uint8_t before[SHA384_DIGEST_SIZE];
	uint8_t after[SHA384_DIGEST_SIZE];

	state_hash(&e->f, before);
	struct shim_sbiret r = guest_call(e, SBI_EXT_RFENCE, fid, mask, base, 0);
	state_hash(&e->f, after);
	EXPECT_EQ(hart_of(e, 0)->mode, SHIM_MODE_VS);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, 0);
	EXPECT_MEM_EQ(before, after, sizeof(before));
}

TEST(guest_rfence, remote_fence_i_succeeds_without_an_exit)
{
	struct tvm_env e;

	env_init(&e);
	expect_fence_accepted(&e, SBI_RFENCE_REMOTE_FENCE_I, 0x3, 0);
	expect_fence_accepted(&e, SBI_RFENCE_REMOTE_FENCE_I, 0, UINT64_MAX);
	env_fini(&e);
}

TEST(guest_rfence, remote_sfence_vma_succeeds_without_an_exit)
{
	struct tvm_env e;

	env_init(&e);
	start_vcpu1_on_hart1(&e); /* a target that runs on another hart */
	expect_fence_accepted(&e, SBI_RFENCE_REMOTE_SFENCE_VMA, 0x3, 0);
	expect_fence_accepted(&e, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, 0x1, 1);
	env_fini(&e);
}

TEST(guest_rfence, hfence_functions_from_a_guest_are_not_supported)
{
	static const uint64_t fids[] = { SBI_RFENCE_REMOTE_HFENCE_GVMA_VMID,
					 SBI_RFENCE_REMOTE_HFENCE_GVMA,
					 SBI_RFENCE_REMOTE_HFENCE_VVMA_ASID,
					 SBI_RFENCE_REMOTE_HFENCE_VVMA, 7 };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_RFENCE, fids[i], 0x1, 0, 0, SBI_ERR_NOT_SUPPORTED);
	}
	env_fini(&e);
}

TEST(guest_rfence, mask_naming_a_vcpu_beyond_vcpu_count_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_FENCE_I, 0x4, 0, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 0x1, 2, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, UINT64_C(1) << 63, 0,
			0, SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

/* ============================================================== SRST === */

TEST(guest_srst, shutdown_kills_every_vcpu_and_tells_the_host_type_and_reason)
{
	struct tvm_env e;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
				SBI_SRST_REASON_SYSTEM_FAILURE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 1);
	EXPECT_EQ(o.reveal[0], SBI_SRST_TYPE_SHUTDOWN);
	EXPECT_EQ(o.reveal[1], SBI_SRST_REASON_SYSTEM_FAILURE);
	EXPECT_EQ(o.reveal[6], SBI_SRST_SYSTEM_RESET);
	EXPECT_EQ(o.reveal[7], SBI_EXT_SRST);
	EXPECT_EQ(vcpu_state(&e, 0), MON_VCPU_DEAD);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_DEAD);
	EXPECT_EQ(host_run(&e, 0, 0), SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(host_run(&e, 0, 1), SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(hart_of(&e, 0)->mode, SHIM_MODE_HS);
	env_fini(&e);
}

TEST(guest_srst, cold_reboot_also_ends_the_tvm)
{
	struct tvm_env e;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_COLD_REBOOT,
				SBI_SRST_REASON_NONE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 1);
	EXPECT_EQ(o.reveal[0], SBI_SRST_TYPE_COLD_REBOOT);
	EXPECT_EQ(o.reveal[1], SBI_SRST_REASON_NONE);
	EXPECT_EQ(host_run(&e, 0, 0), SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

/*
 * SRST shuts the whole TVM down (cove-abi.md section 2): a vCPU running on
 * another hart at that moment must not go on running guest code; at the
 * latest its next trap into the monitor ends it, dead.
 */
TEST(guest_srst, shutdown_also_ends_a_vcpu_running_on_another_hart)
{
	struct tvm_env e;

	env_init(&e);
	start_vcpu1_on_hart1(&e);
	struct outcome o = call(&e, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
				SBI_SRST_REASON_NONE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 1);
	if (hart_of(&e, 1)->mode == SHIM_MODE_VS) {
		(void)guest_call_on(&e, 1, SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	}
	EXPECT_EQ(hart_of(&e, 1)->mode, SHIM_MODE_HS);
	EXPECT_EQ(hart_of(&e, 1)->x[11], 1);
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_DEAD);
	EXPECT_EQ(host_run(&e, 1, 1), SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(guest_srst, reserved_reset_type_is_invalid_param_and_no_exit)
{
	static const uint64_t types[] = { 3, 0xEFFFFFFF };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, types[i],
				SBI_SRST_REASON_NONE, 0, SBI_ERR_INVALID_PARAM);
	}
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_STOPPED);
	env_fini(&e);
}

TEST(guest_srst, reserved_reset_reason_is_invalid_param_and_no_exit)
{
	static const uint64_t reasons[] = { 2, 0xDFFFFFFF };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
				reasons[i], 0, SBI_ERR_INVALID_PARAM);
	}
	EXPECT_EQ(vcpu_state(&e, 1), MON_VCPU_STOPPED);
	env_fini(&e);
}

/* ============================================================== DBCN === */

TEST(guest_dbcn, write_byte_reveals_exactly_that_byte)
{
	struct tvm_env e;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE,
				UINT64_C(0xDEADBEEF00ABCD41), 0x1111, 0x2222);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.dead, 0);
	EXPECT_EQ(o.reveal[0], 0x41);
	for (unsigned int i = 1; i < 6; i++) {
		EXPECT_EQ(o.reveal[i], 0);
	}
	EXPECT_EQ(o.reveal[6], SBI_DBCN_CONSOLE_WRITE_BYTE);
	EXPECT_EQ(o.reveal[7], SBI_EXT_DBCN);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	env_fini(&e);
}

TEST(guest_dbcn, write_reveals_the_count_and_bytes_little_endian)
{
	struct tvm_env e;
	const char text[8] = "hello";

	env_init(&e);
	guest_write(&e, GPA_TEXT, text, sizeof(text));
	struct outcome o = call(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 5, GPA_TEXT, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[0], 5);
	EXPECT_EQ(o.reveal[1], UINT64_C(0x6f6c6c6568)); /* "hello" */
	for (unsigned int i = 2; i < 6; i++) {
		EXPECT_EQ(o.reveal[i], 0); /* not the buffer address */
	}
	EXPECT_EQ(o.reveal[6], SBI_DBCN_CONSOLE_WRITE);
	EXPECT_EQ(o.reveal[7], SBI_EXT_DBCN);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(o.value, 5);
	env_fini(&e);
}

TEST(guest_dbcn, long_write_reveals_at_most_eight_bytes)
{
	struct tvm_env e;
	const char text[16] = "0123456789abcde";

	env_init(&e);
	guest_write(&e, GPA_TEXT, text, sizeof(text));
	struct outcome o = call(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 15, GPA_TEXT, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[0], 8);
	EXPECT_EQ(o.reveal[1], UINT64_C(0x3736353433323130)); /* "01234567" */
	EXPECT_EQ(o.reveal[2], 0);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(o.value, 8); /* the guest retries the rest */
	env_fini(&e);
}

TEST(guest_dbcn, write_from_memory_that_is_not_the_guests_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 5, MMIO_GPA, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 5, UINT64_C(1) << 45, 0,
			SBI_ERR_INVALID_PARAM);
	/* Wraps past 2^64. */
	EXPECT_REJECTED(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 8, UINT64_MAX - 3, 0,
			SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(guest_dbcn, write_with_nonzero_base_hi_is_invalid_param)
{
	struct tvm_env e;
	const char text[8] = "hello";

	env_init(&e);
	guest_write(&e, GPA_TEXT, text, sizeof(text));
	EXPECT_REJECTED(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 5, GPA_TEXT, 1,
			SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(guest_dbcn, console_read_is_not_supported)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 8, GPA_TEXT, 0,
			SBI_ERR_NOT_SUPPORTED);
	env_fini(&e);
}

/* ========================================================= COVG MMIO === */

TEST(covg_mmio, add_exits_with_the_range_and_later_accesses_are_mmio_exits)
{
	struct tvm_env e;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 2 * PAGE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[0], MMIO_GPA);
	EXPECT_EQ(o.reveal[1], 2 * PAGE);
	EXPECT_EQ(o.reveal[6], COVG_ADD_MMIO_REGION);
	EXPECT_EQ(o.reveal[7], SBI_EXT_COVG);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, MMIO_GPA + PAGE + 0x10, 4, REG_A5,
					true),
		  SHIM_GUEST_EXITED);
	EXPECT_EQ(hart_of(&e, 0)->csr.scause, SHIM_CAUSE_LOAD_GUEST_PAGE);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTVAL)),
		  (MMIO_GPA + PAGE + 0x10) >> 2);
	env_fini(&e);
}

TEST(covg_mmio, misaligned_gpa_or_len_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + 0x10, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE + 8, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_REMOVE_MMIO_REGION, MMIO_GPA + 0x10, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_mmio, empty_region_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 0, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_mmio, region_overlapping_confidential_memory_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, VM_RAM_GPA, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, VM_RAM_GPA - PAGE, 2 * PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, VM_RAM_GPA + VM_MEM_SIZE - PAGE,
			2 * PAGE, 0, SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, 0, UINT64_C(1) << 40, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_mmio, region_overlapping_an_mmio_region_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 2 * PAGE, 0).error,
		  SBI_SUCCESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + PAGE, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA - PAGE, 2 * PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, 2 * PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(region_count(tvm_of(&e)->mmio, MON_MAX_MMIO), 1);
	env_fini(&e);
}

TEST(covg_mmio, region_that_wraps_or_leaves_the_gpa_space_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, UINT64_MAX - PAGE + 1, 2 * PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, UINT64_MAX - PAGE + 1, 0,
			SBI_ERR_INVALID_ADDRESS);
	/* Sv39x4: GPAs end at 2^41. */
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, UINT64_C(1) << 41, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, (UINT64_C(1) << 41) - PAGE,
			2 * PAGE, 0, SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_mmio, ninth_region_fails_and_changes_nothing)
{
	struct tvm_env e;

	env_init(&e);
	for (unsigned int i = 0; i < MON_MAX_MMIO; i++) {
		ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + i * 2 * PAGE,
			       PAGE, 0)
				  .error,
			  SBI_SUCCESS);
	}
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + 0x100000, PAGE, 0,
			SBI_ERR_FAILED);
	EXPECT_EQ(region_count(tvm_of(&e)->mmio, MON_MAX_MMIO), MON_MAX_MMIO);
	env_fini(&e);
}

TEST(covg_mmio, remove_drops_every_overlapping_region)
{
	struct tvm_env e;

	env_init(&e);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE, 0).error,
		  SBI_SUCCESS);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + 2 * PAGE, 2 * PAGE, 0)
			  .error,
		  SBI_SUCCESS);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + 16 * PAGE, PAGE, 0).error,
		  SBI_SUCCESS);
	/* [MMIO_GPA, +3 pages) covers the first and half of the second. */
	struct outcome o = call(&e, SBI_EXT_COVG, COVG_REMOVE_MMIO_REGION, MMIO_GPA, 3 * PAGE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[0], MMIO_GPA);
	EXPECT_EQ(o.reveal[1], 3 * PAGE);
	EXPECT_EQ(o.reveal[6], COVG_REMOVE_MMIO_REGION);
	EXPECT_EQ(o.reveal[7], SBI_EXT_COVG);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	struct tvm *t = tvm_of(&e);
	EXPECT_EQ(region_count(t->mmio, MON_MAX_MMIO), 1);
	bool third_left = false;
	for (unsigned int i = 0; i < MON_MAX_MMIO; i++) {
		third_left |= t->mmio[i].gpa == MMIO_GPA + 16 * PAGE && t->mmio[i].len == PAGE;
	}
	EXPECT_TRUE(third_left);
	/* The freed range can be declared again. */
	EXPECT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA + 3 * PAGE, PAGE, 0).error,
		  SBI_SUCCESS);
	env_fini(&e);
}

TEST(covg_mmio, access_to_a_removed_region_is_no_longer_an_mmio_exit)
{
	struct tvm_env e;
	const uint64_t gpa = MMIO_GPA + 0x10;
	const uint64_t sentinel = UINT64_C(0x5e5e5e5e);

	env_init(&e);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ADD_MMIO_REGION, MMIO_GPA, PAGE, 0).error,
		  SBI_SUCCESS);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_REMOVE_MMIO_REGION, MMIO_GPA, PAGE, 0).error,
		  SBI_SUCCESS);
	nacl_write(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTINST), sentinel);
	shim_hart_set_x(hart_of(&e, 0), REG_A5, 0);
	uint64_t pc = hart_of(&e, 0)->pc;
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, false, gpa, 4, REG_A5, true),
		  SHIM_GUEST_EXITED);
	/* A plain guest page fault for the host: no instruction to emulate... */
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTINST)), sentinel);
	EXPECT_EQ(nacl_read(&e.f, e.vm.nacl, nacl_csr_offset(NACL_CSR_HTVAL)), gpa >> 2);
	/* ...and no load value taken from the host's answer: the access is retried. */
	nacl_write(&e.f, e.vm.nacl, NACL_SCRATCH_GPR_OFFSET(10), 0x1234);
	ASSERT_EQ(host_run(&e, 0, 0), 0);
	EXPECT_EQ(hart_of(&e, 0)->pc, pc);
	EXPECT_EQ(hart_of(&e, 0)->x[REG_A5], 0);
	env_fini(&e);
}

/* ==================================================== COVG share/unshare === */

TEST(covg_share, range_outside_confidential_memory_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, MMIO_GPA, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, VM_RAM_GPA + VM_MEM_SIZE - PAGE,
			2 * PAGE, 0, SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, UINT64_MAX - PAGE + 1, 2 * PAGE,
			0, SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(covg_share, misaligned_gpa_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE + 8, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_share, len_that_is_not_a_page_multiple_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE, PAGE + 0x800, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE, 0, 0,
			SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(covg_share, more_than_64_pages_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, VM_RAM_GPA + 0x40000, 65 * PAGE,
			0, SBI_ERR_INVALID_PARAM);
	/* 64 pages is the limit, and is accepted (the host is asked). */
	share_request(&e, VM_RAM_GPA + 0x40000, 64 * PAGE);
	env_fini(&e);
}

TEST(covg_share, range_overlapping_a_shared_region_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	(void)share_page(&e, GPA_SHARE);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE - PAGE, 2 * PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(region_count(tvm_of(&e)->shared, MON_MAX_SHARED), 1);
	env_fini(&e);
}

/*
 * The guest shares @pages pages from GPA_SHARE and the host answers @pa: the
 * guest gets INVALID_ADDRESS, and every guest page is still the confidential
 * page it was, with its contents; no shared region was recorded.
 */
static void expect_share_answer_refused(struct tvm_env *e, uint64_t pa, unsigned int pages)
{
	uint64_t old[2];
	uint64_t in_use = mon_introspect_pages_in_use(e->f.mon);

	ASSERT_LE(pages, 2);
	for (unsigned int i = 0; i < pages; i++) {
		ASSERT_TRUE(gpa_pa(e, GPA_SHARE + i * PAGE, &old[i]));
	}
	share_request(e, GPA_SHARE, pages * PAGE);
	EXPECT_EQ(share_answer(e, pa), SBI_ERR_INVALID_ADDRESS);
	for (unsigned int i = 0; i < pages; i++) {
		uint64_t now = 0;
		struct mon_page_view pv;
		unsigned int page = (unsigned int)((GPA_SHARE - VM_RAM_GPA) / PAGE) + i;

		EXPECT_TRUE(gpa_pa(e, GPA_SHARE + i * PAGE, &now));
		EXPECT_EQ(now, old[i]);
		ASSERT_TRUE(mon_introspect_page(e->f.mon, old[i], &pv));
		EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
		EXPECT_EQ(pv.owner, e->id);
		uint64_t word = guest_load(e, GPA_SHARE + i * PAGE + 8);
		EXPECT_EQ(word & 0xff, image_byte(page, 8));
		EXPECT_EQ((word >> 56) & 0xff, image_byte(page, 15));
	}
	EXPECT_EQ(region_count(tvm_of(e)->shared, MON_MAX_SHARED), 0);
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), in_use);
}

TEST(covg_share, host_answer_in_confidential_memory_is_refused)
{
	struct tvm_env e;

	env_init(&e);
	/* The first confidential page belongs to this very TVM (or to nobody). */
	expect_share_answer_refused(&e, e.f.conf.base, 1);
	env_fini(&e);
}

TEST(covg_share, host_answer_in_monitor_data_is_refused)
{
	struct tvm_env e;

	env_init(&e);
	expect_share_answer_refused(&e, e.f.plat.data.base, 1);
	env_fini(&e);
}

TEST(covg_share, host_answer_in_the_monitor_image_is_refused)
{
	struct tvm_env e;

	env_init(&e);
	expect_share_answer_refused(&e, e.f.plat.image.base, 1);
	env_fini(&e);
}

TEST(covg_share, unaligned_host_answer_is_refused)
{
	struct tvm_env e;

	env_init(&e);
	expect_share_answer_refused(&e, host_buffer(&e) + 8, 1);
	env_fini(&e);
}

TEST(covg_share, host_answer_straddling_into_confidential_memory_is_refused)
{
	struct tvm_env e;

	env_init(&e);
	uint64_t pa = e.f.conf.base - PAGE;
	ASSERT_TRUE(memmap_is_host(&e.f.mon->map, pa, PAGE)); /* the first page alone is fine */
	expect_share_answer_refused(&e, pa, 2);
	env_fini(&e);
}

TEST(covg_share, valid_answer_maps_host_memory_and_scrubs_the_old_page)
{
	struct tvm_env e;
	struct mon_page_view pv;
	static uint8_t page[4096];
	static const uint8_t zero[4096];
	uint64_t old = 0;
	uint64_t now = 0;
	uint64_t v = 0;

	env_init(&e);
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	ASSERT_TRUE(gpa_pa(&e, GPA_SHARE, &old));
	uint64_t hp = share_page(&e, GPA_SHARE);
	EXPECT_TRUE(gpa_pa(&e, GPA_SHARE, &now));
	EXPECT_EQ(now, hp);
	/* The guest's store lands in the host's page. */
	shim_hart_set_x(hart_of(&e, 0), REG_A4, 0x5ca1ab1e);
	ASSERT_EQ(shim_mon_guest_access(e.f.w, e.f.mon, 0, true, GPA_SHARE + 8, 8, REG_A4, true),
		  SHIM_GUEST_DONE);
	read_pa(&e, hp + 8, &v, 8);
	EXPECT_EQ(v, 0x5ca1ab1e);
	/* The confidential page it replaced is free and zero. */
	ASSERT_TRUE(mon_introspect_page(e.f.mon, old, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_FREE);
	EXPECT_EQ(pv.owner, 0);
	read_pa(&e, old, page, sizeof(page));
	EXPECT_MEM_EQ(page, zero, sizeof(page));
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use - 1);
	env_fini(&e);
}

/* The last guest page below 2 MiB: the page after it needs a G-stage leaf table of its own. */
#define GPA_BELOW_2M (VM_RAM_GPA + 0x1FF000)
#define HOST_LEAF    UINT64_C(0xDF) /* V R W X U A D: how vm_build maps a guest page */

/*
 * Threat: an answer that fails part way (here the second page needs a table
 * and the allocation fails) must undo the pages already swapped: the first
 * page is the guest's confidential page again, with its contents, the host
 * page is reachable no more, and nothing is leaked (all or nothing).
 */
TEST(covg_share, answer_failing_on_a_later_page_puts_the_earlier_ones_back)
{
	struct tvm_env e;
	uint8_t fdt[4096];
	struct shim_fault_plan plan = { { 0 } };
	struct shim_fault_plan none = { { 0 } };
	uint64_t old = 0;
	uint64_t now = 0;

	/* The image: /memory of 4 MiB and a page mapped at GPA_BELOW_2M. */
	memset(&e, 0, sizeof(e));
	fixture_init(&e.f, 2);
	vm_build(&e.f, 2, 16, &e.vm);
	size_t len = vm_fdt(fdt, sizeof(fdt), 2, VM_RAM_GPA, 4 * VM_MEM_SIZE);
	ASSERT_GT(len, 0);
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, e.vm.ram_pa + (VM_FDT_GPA - VM_RAM_GPA), fdt, len));
	uint64_t extra = host_buffer(&e);
	uint64_t mark = UINT64_C(0x600dcafe);
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, extra + 8, &mark, sizeof(mark)));
	vm_set_pte(&e.f, &e.vm, GPA_BELOW_2M, 0, ((extra >> 12) << 10) | HOST_LEAF);
	env_promote(&e);

	ASSERT_TRUE(gpa_pa(&e, GPA_BELOW_2M, &old));
	ASSERT_FALSE(gpa_pa(&e, GPA_BELOW_2M + PAGE, &now));
	uint64_t in_use = mon_introspect_pages_in_use(e.f.mon);
	share_request(&e, GPA_BELOW_2M, 2 * PAGE);
	uint64_t hp = host_buffer(&e);
	(void)host_buffer(&e);
	plan.fail[SHIM_FAULT_ALLOC] = 1; /* the first allocation: the second page's table */
	shim_world_set_faults(e.f.w, &plan);
	EXPECT_EQ(share_answer(&e, hp), SBI_ERR_FAILED);
	EXPECT_EQ(e.f.w->fault_count[SHIM_FAULT_ALLOC], 1u);
	shim_world_set_faults(e.f.w, &none);

	EXPECT_TRUE(gpa_pa(&e, GPA_BELOW_2M, &now));
	EXPECT_EQ(now, old);
	EXPECT_FALSE(gpa_pa(&e, GPA_BELOW_2M + PAGE, &now));
	EXPECT_EQ(guest_load(&e, GPA_BELOW_2M + 8), mark);
	EXPECT_EQ(region_count(tvm_of(&e)->shared, MON_MAX_SHARED), 0);
	EXPECT_EQ(mon_introspect_pages_in_use(e.f.mon), in_use);
	env_fini(&e);
}

TEST(covg_share, unshare_of_a_range_that_is_not_shared_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, GPA_SHARE, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	(void)share_page(&e, GPA_SHARE);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, GPA_SHARE + PAGE, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, GPA_SHARE + 8, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_share, unshared_page_comes_back_as_fresh_zeroed_confidential_memory)
{
	struct tvm_env e;
	uint64_t word = UINT64_C(0x1122334455667788);
	uint64_t pa = 0;
	struct mon_page_view pv;

	env_init(&e);
	uint64_t hp = share_page(&e, GPA_SHARE);
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, hp, &word, sizeof(word))); /* the host's data */
	EXPECT_EQ(guest_load(&e, GPA_SHARE), word);
	struct outcome o = call(&e, SBI_EXT_COVG, COVG_UNSHARE_MEMORY_REGION, GPA_SHARE, PAGE, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[0], GPA_SHARE);
	EXPECT_EQ(o.reveal[1], PAGE);
	EXPECT_EQ(o.reveal[6], COVG_UNSHARE_MEMORY_REGION);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(region_count(tvm_of(&e)->shared, MON_MAX_SHARED), 0);
	/* The next access demand-zeroes a confidential page: not the host's bytes. */
	EXPECT_EQ(guest_load(&e, GPA_SHARE), 0);
	ASSERT_TRUE(gpa_pa(&e, GPA_SHARE, &pa));
	EXPECT_NE(pa, hp);
	ASSERT_TRUE(mon_introspect_page(e.f.mon, pa, &pv));
	EXPECT_EQ(pv.state, MON_PAGE_TVM_DATA);
	EXPECT_EQ(pv.owner, e.id);
	env_fini(&e);
}

/*
 * Two vCPUs share the same range at once: at most one may get it, and the
 * range must be recorded once (else unshare leaves a stale shared region).
 */
TEST(covg_share, concurrent_shares_of_the_same_range_are_not_both_granted)
{
	struct tvm_env e;

	env_init(&e);
	start_vcpu1_on_hart1(&e);
	share_request(&e, GPA_SHARE, PAGE);
	struct shim_sbiret r1 =
		guest_call_on(&e, 1, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, GPA_SHARE, PAGE, 0);
	int64_t err0 = share_answer(&e, host_buffer(&e));
	int64_t err1 = r1.error;
	if (hart_of(&e, 1)->mode == SHIM_MODE_HS) {
		nacl_write(&e.f, e.nacl1, NACL_SCRATCH_GPR_OFFSET(11), host_buffer(&e));
		ASSERT_EQ(host_run(&e, 1, 1), 0);
		err1 = (int64_t)hart_of(&e, 1)->x[10];
	}
	EXPECT_FALSE(err0 == SBI_SUCCESS && err1 == SBI_SUCCESS);
	EXPECT_EQ(region_count(tvm_of(&e)->shared, MON_MAX_SHARED), 1);
	env_fini(&e);
}

/* ==================================================== COVG interrupts === */

TEST(covg_irq, allow_and_deny_of_one_id_exit_and_toggle_only_that_id)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_EQ(tvm_of(&e)->vcpu[0].irq_allowed, 0); /* vCPUs start with all denied */
	struct outcome o = call(&e, SBI_EXT_COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, 5, 0, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[6], COVG_ALLOW_EXTERNAL_INTERRUPT);
	EXPECT_EQ(o.reveal[7], SBI_EXT_COVG);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(tvm_of(&e)->vcpu[0].irq_allowed, UINT64_C(1) << 5);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, 63, 0, 0).error,
		  SBI_SUCCESS);
	o = call(&e, SBI_EXT_COVG, COVG_DENY_EXTERNAL_INTERRUPT, 5, 0, 0);
	ASSERT_TRUE(o.exited);
	EXPECT_EQ(o.reveal[6], COVG_DENY_EXTERNAL_INTERRUPT);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(tvm_of(&e)->vcpu[0].irq_allowed, UINT64_C(1) << 63);
	EXPECT_EQ(tvm_of(&e)->vcpu[1].irq_allowed, 0); /* per vCPU */
	env_fini(&e);
}

TEST(covg_irq, all_ones_allows_and_denies_every_id)
{
	struct tvm_env e;

	env_init(&e);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, UINT64_MAX, 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_TRUE(tvm_of(&e)->vcpu[0].irq_all);
	EXPECT_EQ(tvm_of(&e)->vcpu[0].irq_allowed, UINT64_MAX);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_DENY_EXTERNAL_INTERRUPT, UINT64_MAX, 0, 0).error,
		  SBI_SUCCESS);
	EXPECT_FALSE(tvm_of(&e)->vcpu[0].irq_all);
	EXPECT_EQ(tvm_of(&e)->vcpu[0].irq_allowed, 0);
	env_fini(&e);
}

TEST(covg_irq, id_beyond_63_other_than_all_ones_is_invalid_param)
{
	static const uint64_t ids[] = { 64, UINT64_C(1) << 32, UINT64_C(1) << 63, UINT64_MAX - 1 };
	struct tvm_env e;

	env_init(&e);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_ALLOW_EXTERNAL_INTERRUPT, ids[i], 0, 0,
				SBI_ERR_INVALID_PARAM);
		EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_DENY_EXTERNAL_INTERRUPT, ids[i], 0, 0,
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

/* ==================================================== COVG get_attcaps === */

TEST(covg_attcaps, writes_the_capabilities_at_a_page_aligned_gpa)
{
	struct tvm_env e;
	static uint8_t page[4096];
	struct cove_attcaps caps;
	uint64_t pa = 0;

	env_init(&e);
	struct outcome o = call(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS, PAGE, 0);
	ASSERT_TRUE(o.exited);
	for (unsigned int i = 0; i < 6; i++) {
		EXPECT_EQ(o.reveal[i], 0); /* nothing of the guest's buffer */
	}
	EXPECT_EQ(o.reveal[6], COVG_GET_ATTCAPS);
	EXPECT_EQ(o.reveal[7], SBI_EXT_COVG);
	EXPECT_EQ(o.error, SBI_SUCCESS);
	EXPECT_EQ(o.value, sizeof(caps));
	ASSERT_TRUE(gpa_pa(&e, GPA_CAPS, &pa));
	read_pa(&e, pa, page, sizeof(page));
	memcpy(&caps, page, sizeof(caps));
	EXPECT_EQ(caps.hash_algorithm, COVE_HASH_SHA384);
	EXPECT_EQ(caps.initial_measurements, 2);
	EXPECT_EQ(caps.runtime_measurements, 4);
	for (unsigned int i = 0; i < COVE_MEASURE_COUNT; i++) {
		EXPECT_EQ(caps.msmt_regs[i].hash_algorithm, COVE_HASH_SHA384);
		EXPECT_EQ(caps.msmt_regs[i].measurement_type,
			  i < 2 ? COVE_MEASUREMENT_INITIAL : COVE_MEASUREMENT_RUNTIME);
		EXPECT_EQ(caps.msmt_regs[i].tcg_pcr_index, COVE_UNMAPPED_TCG_PCR);
	}
	/* Exactly 336 bytes written: the rest of the page is the guest's own. */
	for (size_t b = sizeof(caps); b < sizeof(page); b++) {
		if (page[b] != image_byte(6, (unsigned int)b)) {
			EXPECT_EQ(page[b], image_byte(6, (unsigned int)b));
			break;
		}
	}
	env_fini(&e);
}

TEST(covg_attcaps, misaligned_address_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS + 8, PAGE, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_attcaps, size_too_small_or_not_page_aligned_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS, 335, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS, 336, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_CAPS, 0, 0, SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(covg_attcaps, gpa_that_is_not_confidential_memory_is_invalid_param)
{
	/* CoVE spec, get_attcaps errors: a range that does not span a
	 * CONFIDENTIAL_MEMORY_REGION is INVALID_PARAM. */
	struct tvm_env e;
	uint8_t before[512];
	uint8_t after[512];

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, MMIO_GPA, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, UINT64_MAX - PAGE + 1, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	uint64_t hp = share_page(&e, GPA_SHARE);
	read_pa(&e, hp, before, sizeof(before));
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_GET_ATTCAPS, GPA_SHARE, PAGE, 0,
			SBI_ERR_INVALID_PARAM);
	read_pa(&e, hp, after, sizeof(after));
	EXPECT_MEM_EQ(before, after, sizeof(before));
	env_fini(&e);
}

/* ================================================ COVG measurements === */

static void put_digest(struct tvm_env *e, uint8_t digest[48], uint8_t seed)
{
	for (unsigned int i = 0; i < 48; i++) {
		digest[i] = (uint8_t)(seed + i * 3);
	}
	guest_write(e, GPA_DIGEST, digest, 48);
}

static void measure_of(struct tvm_env *e, unsigned int reg, uint8_t out[48])
{
	struct mon_tvm_view v;

	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, e->id, &v));
	memcpy(out, v.measure[reg], 48);
}

TEST(covg_measure, extend_of_each_runtime_register_is_sha384_of_old_and_digest)
{
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	for (unsigned int reg = 2; reg < 6; reg++) {
		uint8_t old[48];
		uint8_t now[48];
		uint8_t want[48];
		uint8_t other_before[48];
		uint8_t other_after[48];
		struct sha384_ctx c;
		unsigned int other = reg == 2 ? 3 : 2;

		put_digest(&e, digest, (uint8_t)(0x40 + reg));
		measure_of(&e, reg, old);
		measure_of(&e, other, other_before);
		struct outcome o =
			call(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, 48, reg);
		ASSERT_TRUE(o.exited);
		for (unsigned int i = 0; i < 6; i++) {
			EXPECT_EQ(o.reveal[i], 0);
		}
		EXPECT_EQ(o.reveal[6], COVG_EXTEND_MEASUREMENT);
		EXPECT_EQ(o.error, SBI_SUCCESS);
		sha384_init(&c);
		sha384_update(&c, old, sizeof(old));
		sha384_update(&c, digest, sizeof(digest));
		sha384_final(&c, want);
		measure_of(&e, reg, now);
		EXPECT_MEM_EQ(now, want, sizeof(want));
		measure_of(&e, other, other_after);
		EXPECT_MEM_EQ(other_before, other_after, sizeof(other_after));
	}
	env_fini(&e);
}

TEST(covg_measure, extend_of_an_initial_register_is_invalid_param)
{
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	put_digest(&e, digest, 1);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, 48,
			COVE_MEASURE_IMAGE, SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, 48,
			COVE_MEASURE_CONFIG, SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(covg_measure, extend_with_a_length_other_than_48_is_invalid_param)
{
	static const uint64_t lens[] = { 0, 32, 47, 49, 64, PAGE };
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	put_digest(&e, digest, 1);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, lens[i], 2,
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

TEST(covg_measure, extend_of_register_6_or_beyond_is_invalid_param)
{
	static const uint64_t regs[] = { 6, 26, (UINT64_C(1) << 32) | 2, UINT64_MAX };
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	put_digest(&e, digest, 1);
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, 48, regs[i],
				SBI_ERR_INVALID_PARAM);
	}
	env_fini(&e);
}

TEST(covg_measure, extend_from_an_unaligned_or_foreign_buffer_is_invalid_address)
{
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	put_digest(&e, digest, 1);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST + 8, 48, 2,
			SBI_ERR_INVALID_ADDRESS);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, MMIO_GPA, 48, 2,
			SBI_ERR_INVALID_ADDRESS);
	/* A shared page is host memory the host may rewrite: not a digest source. */
	(void)share_page(&e, GPA_SHARE);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_SHARE, 48, 2,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

TEST(covg_measure, read_of_every_register_returns_its_value)
{
	struct tvm_env e;
	uint8_t digest[48];

	env_init(&e);
	put_digest(&e, digest, 9);
	ASSERT_EQ(call(&e, SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, GPA_DIGEST, 48, 4).error,
		  SBI_SUCCESS);
	for (unsigned int reg = 0; reg < 6; reg++) {
		uint8_t want[48];
		uint8_t got[56];
		uint64_t pa = 0;

		struct outcome o =
			call(&e, SBI_EXT_COVG, COVG_READ_MEASUREMENT, GPA_READBACK, 48, reg);
		ASSERT_TRUE(o.exited);
		EXPECT_EQ(o.reveal[6], COVG_READ_MEASUREMENT);
		EXPECT_EQ(o.error, SBI_SUCCESS);
		EXPECT_EQ(o.value, 48);
		measure_of(&e, reg, want);
		ASSERT_TRUE(gpa_pa(&e, GPA_READBACK, &pa));
		read_pa(&e, pa, got, sizeof(got));
		EXPECT_MEM_EQ(got, want, sizeof(want));
		EXPECT_EQ(got[48], image_byte(7, 48)); /* only 48 bytes written */
	}
	env_fini(&e);
}

TEST(covg_measure, read_into_a_buffer_smaller_than_a_digest_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_READ_MEASUREMENT, GPA_READBACK, 47, 2,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_READ_MEASUREMENT, GPA_READBACK, 48, 6,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_READ_MEASUREMENT, GPA_READBACK + 8, 48, 2,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

/* =============================================== COVG retrieve_secret === */

TEST(covg_secret, without_a_tap_retrieve_secret_is_auth)
{
	struct tvm_env e;
	uint64_t pa = 0;
	static uint8_t page[4096];

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_RETRIEVE_SECRET, GPA_READBACK, PAGE, 0,
			COVE_ERR_AUTH);
	ASSERT_TRUE(gpa_pa(&e, GPA_READBACK, &pa));
	read_pa(&e, pa, page, sizeof(page));
	EXPECT_EQ(page[0], image_byte(7, 0));
	EXPECT_EQ(page[4095], image_byte(7, 4095));
	env_fini(&e);
}

TEST(covg_secret, buffer_larger_than_a_page_is_invalid_param)
{
	struct tvm_env e;

	env_init(&e);
	/* ACE flaw 3: a long secret panicked the monitor. */
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_RETRIEVE_SECRET, GPA_READBACK, PAGE + 1, 0,
			SBI_ERR_INVALID_PARAM);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_RETRIEVE_SECRET, GPA_READBACK, UINT64_MAX, 0,
			SBI_ERR_INVALID_PARAM);
	env_fini(&e);
}

TEST(covg_secret, unaligned_buffer_is_invalid_address)
{
	struct tvm_env e;

	env_init(&e);
	EXPECT_REJECTED(&e, SBI_EXT_COVG, COVG_RETRIEVE_SECRET, GPA_READBACK + 8, 64, 0,
			SBI_ERR_INVALID_ADDRESS);
	env_fini(&e);
}

/* ================================================ last: may crash === */

/*
 * Two vCPUs each have a share in flight while one shared-region slot is
 * left: a slot checked at request time but taken at completion must not be
 * taken twice (the second completion must fail cleanly, not crash). Kept
 * last in the file: when the monitor dereferences the missing slot, an
 * all-tests run of this binary stops here.
 */
TEST(covg_share, concurrent_shares_for_the_last_slot_do_not_overrun_the_table)
{
	struct tvm_env e;

	env_init(&e);
	for (unsigned int i = 0; i < MON_MAX_SHARED - 1; i++) {
		(void)share_page(&e, VM_RAM_GPA + 0x20000 + i * PAGE);
	}
	start_vcpu1_on_hart1(&e);
	share_request(&e, VM_RAM_GPA + 0x40000, PAGE);
	struct shim_sbiret r1 = guest_call_on(&e, 1, SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION,
					      VM_RAM_GPA + 0x50000, PAGE, 0);
	EXPECT_EQ(share_answer(&e, host_buffer(&e)), SBI_SUCCESS);
	int64_t err1 = r1.error;
	if (hart_of(&e, 1)->mode == SHIM_MODE_HS) {
		nacl_write(&e.f, e.nacl1, NACL_SCRATCH_GPR_OFFSET(11), host_buffer(&e));
		ASSERT_EQ(host_run(&e, 1, 1), 0);
		err1 = (int64_t)hart_of(&e, 1)->x[10];
	}
	EXPECT_NE(err1, SBI_SUCCESS);
	EXPECT_EQ(region_count(tvm_of(&e)->shared, MON_MAX_SHARED), MON_MAX_SHARED);
	env_fini(&e);
}
