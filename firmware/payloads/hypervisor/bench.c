// SPDX-License-Identifier: BSD-2-Clause
/*
 * The demo hypervisor's bench mode (hypervisor-bench.elf): what the
 * monitor's two costly paths cost in retired instructions, for
 * ./covemon bench firmware (ci/bench-firmware.sh boots it with -smp 1 and
 * -icount shift=0, where the instret CSR counts the instructions the hart
 * retired in every mode, M and VS included, and not host time).
 *
 *  - promote_to_tvm of VMs whose guest RAM (BENCH_SIZES_MIB) is mapped in
 *    full, so the monitor copies and measures every page: instret is read
 *    right before the COVH ecall and right after it returns. Each VM is
 *    promoted BENCH_PROMOTE_REPS times (destroyed in between); the least
 *    count is kept.
 *  - run_tvm_vcpu round trips: the guest (bench_guest.S) loops on an SBI
 *    DBCN console_write_byte, which the monitor forwards to the host as an
 *    exit; instret around the host's run_tvm_vcpu ecall covers the world
 *    switch in, two guest instructions, the exit and the switch back.
 *    BENCH_WARMUP runs first, then BENCH_ROUND_TRIPS measured ones.
 *  - for scale, a host SBI call the monitor answers (Base
 *    get_spec_version), measured the same way.
 *
 * Each figure is a line "bench-figure NAME VALUE" for the script. The
 * payload exits 0 only when every call succeeded and every exit was the
 * guest's forwarded ecall; the script fails without the figures.
 */
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "guest_layout.h"
#include "hv.h"
#include "payload/console.h"
#include "payload/mem.h"
#include "payload/payload.h"
#include "payload/sbi.h"

#define BENCH_MIB	   (UINT64_C(1) << 20)
#define BENCH_PROMOTE_REPS 3u
#define BENCH_WARMUP	   16u
#define BENCH_ROUND_TRIPS  1000u
#define CAUSE_ECALL_VS	   10u
#define REG_A6		   16u
#define REG_A7		   17u

static const unsigned int bench_sizes_mib[] = { 1, 2, 4 };

extern const uint8_t bench_guest[];
extern const uint8_t bench_guest_end[];

static struct vm_pool pool;
static uint64_t nacl_area;
static uint64_t samples[BENCH_ROUND_TRIPS];

/*
 * An SBI call with instret read right before its ecall and right after it
 * returns; *@retired is the difference: the instructions the call took in
 * M-mode (and in a guest), the ecall and one instret read.
 */
static struct sbiret timed_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
				 unsigned long arg1, unsigned long arg2, uint64_t *retired)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = 0;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = eid;
	uint64_t before;
	uint64_t after;

	__asm__ volatile("rdinstret %[before]\n\t"
			 "ecall\n\t"
			 "rdinstret %[after]"
			 : [before] "=&r"(before), [after] "=r"(after), "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
			 : "memory");
	*retired = after - before;
	return (struct sbiret){ .error = (long)a0, .value = a1 };
}

static uint64_t read_scause(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, scause" : "=r"(v) : : "memory");
	return v;
}

static void figure(const char *name, uint64_t value)
{
	console_printf("bench-figure %s %lu\n", name, (unsigned long)value);
}

static bool setup(uint64_t fdt)
{
	uint64_t base = 0;
	uint64_t size = 0;

	if (!vm_pool_init(&pool, (const void *)(uintptr_t)fdt, &base, &size)) {
		console_printf("bench: no usable /memory in the FDT at 0x%lx\n",
			       (unsigned long)fdt);
		return false;
	}
	/*
	 * No host timer: stimecmp may still hold its reset value, and a pending
	 * STIP would end every run in an interrupt exit before the guest's ecall.
	 */
	(void)sbi_set_timer(UINT64_MAX);
	nacl_area = vm_pool_alloc(&pool, NACL_SHMEM_SIZE, NACL_SHMEM_ALIGN);
	long err = nacl_area ? nacl_register(nacl_area) : SBI_ERR_NO_SHMEM;
	if (err != SBI_SUCCESS) {
		console_printf("bench: NACL set_shmem: error %ld\n", err);
		return false;
	}
	return true;
}

/*
 * A one-vCPU VM whose RAM [GUEST_RAM_GPA, + @size) is mapped in full with
 * fresh host pages (so promote copies and measures every one of them): the
 * bench guest in the first page, its FDT in the last.
 */
static bool build_filled(struct vm_image *vm, uint64_t size)
{
	static uint8_t fdt[VM_PAGE_SIZE];
	size_t prog = (size_t)(bench_guest_end - bench_guest);
	uint64_t fdt_gpa = GUEST_RAM_GPA + size - VM_PAGE_SIZE;
	size_t fdt_len = dtb_write_guest(fdt, sizeof(fdt), 1, GUEST_RAM_GPA, size);

	if (fdt_len == 0 || prog > VM_PAGE_SIZE || size < 2 * VM_PAGE_SIZE ||
	    !vm_init(vm, &pool, 1)) {
		return false;
	}
	for (uint64_t gpa = GUEST_RAM_GPA; gpa < GUEST_RAM_GPA + size; gpa += VM_PAGE_SIZE) {
		uint64_t pa = vm_pool_alloc(&pool, VM_PAGE_SIZE, VM_PAGE_SIZE);

		if (!pa) {
			return false;
		}
		if (gpa == GUEST_RAM_GPA) {
			memcpy((void *)(uintptr_t)pa, bench_guest, prog);
		} else if (gpa == fdt_gpa) {
			memcpy((void *)(uintptr_t)pa, fdt, fdt_len);
		}
		if (!vm_map(vm, gpa, pa, VM_PERM_RWX)) {
			return false;
		}
	}
	vm->fdt_gpa = fdt_gpa;
	vm->entry = GUEST_RAM_GPA;
	return true;
}

/*
 * promote_to_tvm of @vm, its boot registers set for the bench guest's loop.
 * Returns the TVM's id (0 on failure), *@retired the call's instructions.
 */
static uint64_t promote(const struct vm_image *vm, uint64_t *retired)
{
	nacl_set_boot_state(nacl_area, vm->hgatp, vm->fdt_gpa);
	nacl_write(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A7), SBI_EXT_DBCN);
	nacl_write(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A6), SBI_DBCN_CONSOLE_WRITE_BYTE);
	/* Model 3: the running VM's state is the live hgatp and the NACL area. */
	__asm__ volatile("csrw hgatp, %0" : : "r"(vm->hgatp) : "memory");
	struct sbiret r =
		timed_ecall(SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, vm->fdt_gpa, 0, vm->entry, retired);
	__asm__ volatile("csrw hgatp, zero" : : : "memory");
	if (r.error != SBI_SUCCESS || r.value == 0) {
		console_printf("bench: promote_to_tvm: error %ld\n", r.error);
		return 0;
	}
	return r.value;
}

static bool destroy(uint64_t id)
{
	struct sbiret r = sbi_ecall(SBI_EXT_COVH, COVH_DESTROY_TVM, id, 0, 0, 0, 0, 0);

	if (r.error != SBI_SUCCESS) {
		console_printf("bench: destroy_tvm %lu: error %ld\n", (unsigned long)id, r.error);
		return false;
	}
	return true;
}

static bool bench_promote(unsigned int mib)
{
	struct vm_image vm;
	uint64_t best = UINT64_MAX;

	if (!build_filled(&vm, mib * BENCH_MIB)) {
		console_printf("bench: a %u MiB VM does not fit in host memory\n", mib);
		return false;
	}
	for (unsigned int rep = 0; rep < BENCH_PROMOTE_REPS; rep++) {
		uint64_t retired = 0;
		uint64_t id = promote(&vm, &retired);

		if (id == 0 || !destroy(id)) {
			return false;
		}
		best = retired < best ? retired : best;
	}
	console_printf("bench: promote_to_tvm of %u MiB (%lu pages mapped, %u G-stage table "
		       "pages): %lu instructions retired (least of %u)\n",
		       mib, (unsigned long)(mib * BENCH_MIB / VM_PAGE_SIZE), vm.tables,
		       (unsigned long)best, BENCH_PROMOTE_REPS);
	console_printf("bench-figure promote_%umib %lu\n", mib, (unsigned long)best);
	return true;
}

static void sort(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--) {
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

/* run_tvm_vcpu of vCPU 0 of TVM @id, each exit checked to be the guest's DBCN call. */
static bool bench_round_trips(uint64_t id)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < BENCH_WARMUP + BENCH_ROUND_TRIPS; i++) {
		uint64_t retired = 0;

		/* What a7 and a6 say after the run is then the monitor's exit report. */
		nacl_write(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A7), 0);
		nacl_write(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A6), 0);
		struct sbiret r = timed_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0, &retired);
		uint64_t cause = read_scause();
		uint64_t eid = nacl_read(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A7));
		uint64_t fid = nacl_read(nacl_area, NACL_SCRATCH_GPR_OFFSET(REG_A6));

		if (r.error != SBI_SUCCESS || r.value != 0 || cause != CAUSE_ECALL_VS ||
		    eid != SBI_EXT_DBCN || fid != SBI_DBCN_CONSOLE_WRITE_BYTE) {
			console_printf(
				"bench: run %u: error %ld, value %lu, scause 0x%lx, a7 0x%lx, "
				"a6 %lu: not the guest's forwarded DBCN call\n",
				i, r.error, r.value, (unsigned long)cause, (unsigned long)eid,
				(unsigned long)fid);
			return false;
		}
		if (i >= BENCH_WARMUP) {
			samples[n++] = retired;
		}
	}
	sort(samples, n);
	console_printf("bench: run_tvm_vcpu -> guest ecall -> exit: min %lu, median %lu, max %lu "
		       "instructions retired over %u round trips (after %u unmeasured)\n",
		       (unsigned long)samples[0], (unsigned long)samples[n / 2],
		       (unsigned long)samples[n - 1], n, BENCH_WARMUP);
	figure("round_trip_min", samples[0]);
	figure("round_trip_median", samples[n / 2]);
	figure("round_trip_max", samples[n - 1]);
	figure("round_trips", n);
	return true;
}

/* The same measurement for an SBI call the monitor answers without a guest. */
static bool bench_sbi_call(void)
{
	uint64_t best = UINT64_MAX;

	for (unsigned int i = 0; i < BENCH_ROUND_TRIPS; i++) {
		uint64_t retired = 0;
		struct sbiret r =
			timed_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, &retired);

		if (r.error != SBI_SUCCESS) {
			console_printf("bench: Base get_spec_version: error %ld\n", r.error);
			return false;
		}
		best = retired < best ? retired : best;
	}
	figure("sbi_call_min", best);
	return true;
}

static bool bench(uint64_t fdt)
{
	struct vm_image vm;
	uint64_t retired = 0;

	if (!setup(fdt) || !bench_sbi_call()) {
		return false;
	}
	for (unsigned int i = 0; i < sizeof(bench_sizes_mib) / sizeof(bench_sizes_mib[0]); i++) {
		if (!bench_promote(bench_sizes_mib[i])) {
			return false;
		}
	}
	if (!build_filled(&vm, bench_sizes_mib[0] * BENCH_MIB)) {
		return false;
	}
	uint64_t id = promote(&vm, &retired);
	if (id == 0) {
		return false;
	}
	bool ok = bench_round_trips(id);
	return destroy(id) && ok;
}

int payload_main(const struct payload_hart_entry *entry)
{
	console_printf("bench: covemon demo hypervisor, bench mode, on hart %lu\n", entry->hartid);
	bool ok = bench(entry->opaque);
	console_printf("bench: %s\n", ok ? "done" : "FAIL");
	return ok ? 0 : 1;
}

/* The bench runs on one hart and starts no other. */
void payload_secondary_main(const struct payload_hart_entry *entry)
{
	(void)entry;
}
