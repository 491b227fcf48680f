// SPDX-License-Identifier: BSD-2-Clause
/*
 * covemon's demo hypervisor: an S-mode (HS) payload that builds a small VM,
 * turns it into a confidential VM with COVH promote_to_tvm (deployment
 * model 3, cove-abi.md section 6), runs its vCPUs with run_tvm_vcpu and
 * serves their exits (sched.c), then destroys the TVM and checks it is gone.
 * The guest program is guest/ (linked into this image as a blob). The
 * result leaves through SBI SRST: shutdown with reason "none" (QEMU exits
 * 0) when every check passed, "system failure" otherwise.
 *
 * Host memory is what the firmware's FDT lists in /memory: this image from
 * 0x8020_0000, then everything the VM needs from the pool after it.
 */
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "guest_layout.h"
#include "hv.h"
#include "payload/console.h"
#include "payload/payload.h"
#include "payload/sbi.h"

extern const uint8_t hv_guest_image[];
extern const uint8_t hv_guest_image_end[];

static struct vm_pool pool;
static uint64_t nacl_areas[PAYLOAD_MAX_HARTS];

/* The first 8 bytes of a digest as the hex the guest prints. */
static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < 8; i++) {
		v = v << 8 | p[i];
	}
	return v;
}

static struct sbiret covh(unsigned long fid, unsigned long a0, unsigned long a1, unsigned long a2,
			  unsigned long a3)
{
	return sbi_ecall(SBI_EXT_COVH, fid, a0, a1, a2, a3, 0, 0);
}

/* Harts the SBI knows (HSM answers for them): the hypervisor's CPUs. */
static unsigned int count_harts(void)
{
	unsigned int n = 0;

	while (n < PAYLOAD_MAX_HARTS && sbi_hart_get_status(n).error == SBI_SUCCESS) {
		n++;
	}
	return n;
}

static bool show_tsm(void)
{
	static struct cove_tsm_info info;
	struct sbiret r = covh(COVH_GET_TSM_INFO, (unsigned long)&info, sizeof(info), 0, 0);

	if (r.error != SBI_SUCCESS || r.value != sizeof(info) || info.tsm_state != COVE_TSM_READY ||
	    !(info.tsm_capabilities & COVE_TSM_CAP_PROMOTE_TVM)) {
		console_printf("hypervisor: get_tsm_info: error %ld, state %u, caps 0x%lx\n",
			       r.error, info.tsm_state, (unsigned long)info.tsm_capabilities);
		return false;
	}
	console_printf("hypervisor: TSM 0x%x version 0x%x ready, capabilities 0x%lx, "
		       "up to %lu vCPUs per TVM\n",
		       info.tsm_impl_id, info.tsm_version, (unsigned long)info.tsm_capabilities,
		       (unsigned long)info.tvm_max_vcpus);
	return true;
}

static bool setup_memory(uint64_t fdt)
{
	uint64_t base = 0;
	uint64_t size = 0;

	if (!vm_pool_init(&pool, (const void *)(uintptr_t)fdt, &base, &size)) {
		console_printf("hypervisor: no usable /memory in the FDT at 0x%lx\n",
			       (unsigned long)fdt);
		return false;
	}
	console_printf("hypervisor: host memory 0x%lx..0x%lx, pool from 0x%lx\n",
		       (unsigned long)base, (unsigned long)(base + size), (unsigned long)pool.next);
	return true;
}

/* Before the guest starts them, its other vCPUs cannot be run; nor can vCPUs it does not have. */
static bool check_refusals(uint64_t id, unsigned int vcpus)
{
	struct sbiret stopped = sbi_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 1, 0, 0, 0, 0);
	struct sbiret beyond = sbi_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, vcpus, 0, 0, 0, 0);

	if (stopped.error != SBI_ERR_INVALID_PARAM || beyond.error != SBI_ERR_INVALID_PARAM) {
		console_printf("hypervisor: FAIL: run_tvm_vcpu of vCPU 1 before its start: %ld, "
			       "of vCPU %u: %ld\n",
			       stopped.error, vcpus, beyond.error);
		return false;
	}
	console_printf("hypervisor: run_tvm_vcpu refuses vCPU 1 before the guest starts it and "
		       "vCPU %u (INVALID_PARAM)\n",
		       vcpus);
	return true;
}

/* After destroy_tvm every call naming the TVM must fail: it is gone. */
static bool check_gone(uint64_t id)
{
	struct sbiret run = sbi_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0, 0, 0, 0);
	struct sbiret again = covh(COVH_DESTROY_TVM, id, 0, 0, 0);

	if (run.error != SBI_ERR_INVALID_PARAM || again.error != SBI_ERR_INVALID_PARAM) {
		console_printf("hypervisor: FAIL: TVM %lu still answers: run %ld, destroy %ld\n",
			       (unsigned long)id, run.error, again.error);
		return false;
	}
	console_printf("hypervisor: TVM %lu is gone (run_tvm_vcpu and destroy_tvm: "
		       "INVALID_PARAM)\n",
		       (unsigned long)id);
	return true;
}

static bool demo(uint64_t fdt)
{
	struct vm_image vm;
	size_t len = (size_t)(hv_guest_image_end - hv_guest_image);
	unsigned int harts = count_harts();
	unsigned int boot = (unsigned int)payload_hartid();
	long err;

	if (!show_tsm() || !setup_memory(fdt)) {
		return false;
	}
	for (unsigned int h = 0; h < harts; h++) {
		nacl_areas[h] = vm_pool_alloc(&pool, NACL_SHMEM_SIZE, NACL_SHMEM_ALIGN);
		if (!nacl_areas[h]) {
			return false;
		}
	}
	err = nacl_register(nacl_areas[boot]);
	if (err != SBI_SUCCESS) {
		console_printf("hypervisor: NACL set_shmem: error %ld\n", err);
		return false;
	}
	if (!vm_build(&vm, &pool, hv_guest_image, len, GUEST_VCPUS)) {
		console_printf("hypervisor: the VM image does not fit in host memory\n");
		return false;
	}
	console_printf("hypervisor: VM image: %u guest pages (%lu bytes of program), %u G-stage "
		       "table pages, hgatp 0x%lx, FDT at GPA 0x%lx, %u vCPUs, %u harts\n",
		       vm.mapped, (unsigned long)len, vm.tables, (unsigned long)vm.hgatp,
		       (unsigned long)vm.fdt_gpa, vm.vcpus, harts);

	/* Model 3: the running VM's state is the live hgatp and the NACL area. */
	nacl_set_boot_state(nacl_areas[boot], vm.hgatp, vm.fdt_gpa);
	__asm__ volatile("csrw hgatp, %0" : : "r"(vm.hgatp) : "memory");
	struct sbiret r = covh(COVH_PROMOTE_TO_TVM, vm.fdt_gpa, 0, vm.entry, 0);
	__asm__ volatile("csrw hgatp, zero" : : : "memory");
	if (r.error != SBI_SUCCESS) {
		console_printf("hypervisor: promote_to_tvm: error %ld\n", r.error);
		return false;
	}
	uint64_t id = r.value;
	console_printf("hypervisor: promote_to_tvm: TVM %lu\n", (unsigned long)id);

	struct sched_tvm tvm = {
		.id = id,
		.vcpus = vm.vcpus,
		.harts = harts,
		.nacl = nacl_areas,
		.pool = &pool,
	};
	vm_measure(&vm, tvm.mr[0], tvm.mr[1]);
	console_printf("hypervisor: predicted MR0 %016lx..., MR1 %016lx...\n",
		       (unsigned long)be64(tvm.mr[0]), (unsigned long)be64(tvm.mr[1]));
	bool refused = check_refusals(id, vm.vcpus);
	bool ran = sched_run(&tvm);
	bool checks = sched_report();

	r = covh(COVH_DESTROY_TVM, id, 0, 0, 0);
	if (r.error != SBI_SUCCESS) {
		console_printf("hypervisor: FAIL: destroy_tvm: error %ld\n", r.error);
		return false;
	}
	console_printf("hypervisor: destroy_tvm: TVM %lu destroyed\n", (unsigned long)id);
	return check_gone(id) && refused && ran && checks;
}

int payload_main(const struct payload_hart_entry *entry)
{
	console_printf("hypervisor: covemon demo hypervisor on hart %lu\n", entry->hartid);
	bool ok = demo(entry->opaque);
	console_printf("hypervisor: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

void payload_secondary_main(const struct payload_hart_entry *entry)
{
	sched_secondary((unsigned int)entry->opaque);
}
