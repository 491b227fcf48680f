// SPDX-License-Identifier: BSD-2-Clause
/*
 * The demo TVM: a bare VS-mode program that uses what a confidential guest
 * gets from covemon (cove-abi.md sections 4 and 7), each step checked:
 *  1. console output through DBCN console_write (the monitor forwards at
 *     most 8 bytes per call to the host, so the guest loops);
 *  2. its measurement registers through COVG read_measurement, a runtime
 *     register extended with COVG extend_measurement;
 *  3. an MMIO region (COVG add_mmio_region) and loads and stores in it,
 *     which the hypervisor emulates;
 *  4. a page shared with the host (COVG share_memory_region): it reads the
 *     host's greeting there and writes its reply, then rings the doorbell;
 *  5. its own timer (vstimecmp) and WFI: the interrupt arrives;
 *  6. vCPU 1 through SBI HSM hart_start; vCPU 0 fences it (RFENCE) and
 *     interrupts it (IPI); it prints, takes the interrupt and stops itself;
 *  7. a busy stretch long enough for the host's timer to interrupt it;
 *  8. SBI SRST shutdown: reason "none" when every step passed, "system
 *     failure" at the first step that did not.
 */
#include <stddef.h>
#include <stdint.h>

#include "../guest_layout.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/sbi.h"

#define PAGE_SIZE	 4096u
#define MEASURE_BYTES	 48u
#define SIE_STIE	 (UINT64_C(1) << 5)
#define SSTATUS_SIE	 (UINT64_C(1) << 1)
#define SIE_SSIE	 (UINT64_C(1) << 1)
#define SIP_SSIP	 SIE_SSIE
#define SCAUSE_IRQ_SOFT	 ((UINT64_C(1) << 63) | 1u)
#define SCAUSE_IRQ_TIMER ((UINT64_C(1) << 63) | 5u)
#define ALL_HARTS	 UINT64_MAX /* hart_mask_base: every hart (SBI "hart mask") */
#define TICKS_PER_MS	 10000u	    /* QEMU virt: timebase-frequency 10 MHz */
#define VCPU1_WAIT_MS	 5000u
#define BUSY_MS		 40u
#define IPI_RESEND_MS	 200u

struct sbiret {
	int64_t error;
	uint64_t value;
};

void guest_main(uint64_t hartid, uint64_t fdt);
void guest_secondary_main(uint64_t hartid, uint64_t opaque);
void guest_trap(void);
extern const char guest_secondary_entry[];
extern const char guest_trap_entry[];

/* Page-aligned buffers, as COVG wants them; .bss, so demand-zero pages. */
static uint8_t measure_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile char shared_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile uint32_t timer_fired;
static volatile uint32_t ipi_seen;
static volatile uint32_t vcpu1_ready;
static volatile uint32_t vcpu1_done;

/* An SBI call with a3..a5 = 0 (no call here needs them). */
static struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t arg0, uint64_t arg1,
			      uint64_t arg2)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a2 __asm__("a2") = arg2;
	register uint64_t a3 __asm__("a3") = 0;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = eid;
	struct sbiret r;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
			 : "memory");
	r.error = (int64_t)a0;
	r.value = a1;
	return r;
}

static uint64_t read_time(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

/* DBCN console_write: the monitor takes up to 8 bytes per call and says how many. */
static void put_bytes(const char *s, size_t len)
{
	while (len) {
		struct sbiret r =
			sbi_call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, len, (uint64_t)s, 0);
		if (r.error != SBI_SUCCESS || r.value == 0 || r.value > len) {
			return;
		}
		s += r.value;
		len -= r.value;
	}
}

static void puts_(const char *s)
{
	put_bytes(s, str_len(s));
}

static void put_hex(const uint8_t *p, size_t n)
{
	char buf[2 * MEASURE_BYTES];

	for (size_t i = 0; i < n && i < MEASURE_BYTES; i++) {
		buf[2 * i] = "0123456789abcdef"[p[i] >> 4];
		buf[2 * i + 1] = "0123456789abcdef"[p[i] & 15];
	}
	put_bytes(buf, 2 * (n < MEASURE_BYTES ? n : MEASURE_BYTES));
}

static void put_u64(uint64_t v)
{
	uint8_t be[8];

	for (unsigned int i = 0; i < 8; i++) {
		be[i] = (uint8_t)(v >> (56 - 8 * i));
	}
	puts_("0x");
	put_hex(be, sizeof(be));
}

__attribute__((noreturn)) static void shutdown(uint32_t reason)
{
	(void)sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, reason, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

__attribute__((noreturn)) static void fail(const char *what, int64_t detail)
{
	puts_("guest: FAIL: ");
	puts_(what);
	puts_(" (");
	put_u64((uint64_t)detail);
	puts_(")\n");
	shutdown(SBI_SRST_REASON_SYSTEM_FAILURE);
}

static void expect_ok(struct sbiret r, const char *what)
{
	if (r.error != SBI_SUCCESS) {
		fail(what, r.error);
	}
}

/* ------------------------------------------------------ measurements --- */

static void show_measurements(void)
{
	static const char *const names[] = { "MR0 (image) ", "MR1 (config)", "MR2         " };
	uint8_t *p = measure_page;

	for (unsigned int i = 0; i < MEASURE_BYTES; i++) {
		p[i] = (uint8_t)(0xa5 ^ i);
	}
	expect_ok(sbi_call(SBI_EXT_COVG, COVG_EXTEND_MEASUREMENT, (uint64_t)p, MEASURE_BYTES,
			   COVE_MEASURE_RUNTIME_FIRST),
		  "extend_measurement");
	for (unsigned int i = 0; i <= COVE_MEASURE_RUNTIME_FIRST; i++) {
		struct sbiret r = sbi_call(SBI_EXT_COVG, COVG_READ_MEASUREMENT, (uint64_t)p,
					   MEASURE_BYTES, i);
		expect_ok(r, "read_measurement");
		if (r.value != MEASURE_BYTES) {
			fail("read_measurement length", (int64_t)r.value);
		}
		puts_("guest: ");
		puts_(names[i]);
		puts_(" ");
		put_hex(p, 16);
		puts_("...\n");
		/* The host predicts MR0 and MR1; shared later for it to compare. */
		for (unsigned int b = 0; i < COVE_MEASURE_RUNTIME_FIRST && b < MEASURE_BYTES; b++) {
			p[SHARED_MEASURE_OFFSET + MEASURE_BYTES * i + b] = p[b];
		}
	}
}

/* ------------------------------------------------------------- MMIO --- */

static uint32_t mmio_read32(uint64_t gpa)
{
	uint32_t v;

	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static uint64_t mmio_read64(uint64_t gpa)
{
	uint64_t v;

	__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static void mmio_write64(uint64_t gpa, uint64_t v)
{
	__asm__ volatile("sd %0, 0(%1)" : : "r"(v), "r"(gpa) : "memory");
}

static void use_mmio(void)
{
	const uint64_t pattern = UINT64_C(0x1122334455667788);

	expect_ok(sbi_call(SBI_EXT_COVG, COVG_ADD_MMIO_REGION, GUEST_MMIO_GPA, GUEST_MMIO_SIZE, 0),
		  "add_mmio_region");
	uint32_t id = mmio_read32(GUEST_MMIO_GPA + MMIO_REG_ID);
	if (id != MMIO_ID_VALUE) {
		fail("MMIO id register", id);
	}
	mmio_write64(GUEST_MMIO_GPA + MMIO_REG_SCRATCH, pattern);
	uint64_t back = mmio_read64(GUEST_MMIO_GPA + MMIO_REG_SCRATCH);
	if (back != pattern) {
		fail("MMIO scratch register", (int64_t)back);
	}
	puts_("guest: MMIO device id ");
	put_u64(id);
	puts_(", scratch register round trip ok\n");
}

/* ------------------------------------------------------ shared page --- */

static void use_shared_page(void)
{
	static const char greeting[] = SHARED_HOST_GREETING;
	static const char reply[] = SHARED_GUEST_REPLY;

	expect_ok(sbi_call(SBI_EXT_COVG, COVG_SHARE_MEMORY_REGION, (uint64_t)shared_page, PAGE_SIZE,
			   0),
		  "share_memory_region");
	for (size_t i = 0; i < sizeof(greeting); i++) {
		if (shared_page[i] != greeting[i]) {
			fail("the host's greeting in the shared page", (int64_t)i);
		}
	}
	puts_("guest: the shared page says \"");
	puts_(greeting);
	puts_("\"\n");
	for (size_t i = 0; i < sizeof(reply); i++) {
		shared_page[i] = reply[i];
	}
	/* MR0 and MR1 as the monitor reports them, for the host to compare. */
	for (unsigned int i = 0; i < 2 * MEASURE_BYTES; i++) {
		shared_page[SHARED_MEASURE_OFFSET + i] =
			(char)measure_page[SHARED_MEASURE_OFFSET + i];
	}
	mmio_write64(GUEST_MMIO_GPA + MMIO_REG_DOORBELL, sizeof(reply));
}

/* ------------------------------------------------------------ timer --- */

void guest_trap(void)
{
	uint64_t cause;

	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	if (cause == SCAUSE_IRQ_TIMER) {
		__asm__ volatile("csrw stimecmp, %0" : : "r"(UINT64_MAX));
		timer_fired = 1;
	} else if (cause == SCAUSE_IRQ_SOFT) {
		__asm__ volatile("csrc sip, %0" : : "r"(SIP_SSIP));
		ipi_seen = 1;
	} else {
		fail("unexpected trap", (int64_t)cause);
	}
}

static void use_timer(void)
{
	__asm__ volatile("csrw stvec, %0" : : "r"(guest_trap_entry));
	__asm__ volatile("csrs sie, %0" : : "r"(SIE_STIE));
	__asm__ volatile("csrw stimecmp, %0" : : "r"(read_time() + TICKS_PER_MS));
	/*
	 * One WFI with interrupts masked: it traps to the monitor whatever is
	 * pending (hstatus.VTW), so the host always sees a WFI exit and sleeps
	 * until vstimecmp; the interrupt is taken once SIE is set.
	 */
	__asm__ volatile("wfi");
	__asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_SIE));
	while (!timer_fired) {
		__asm__ volatile("wfi");
	}
	__asm__ volatile("csrc sstatus, %0" : : "r"(SSTATUS_SIE));
	__asm__ volatile("csrc sie, %0" : : "r"(SIE_STIE));
	puts_("guest: timer interrupt after WFI\n");
}

/* ------------------------------------------------------------ vCPUs --- */

static void wait_for(volatile uint32_t *flag, uint64_t deadline, const char *what)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (read_time() > deadline) {
			fail(what, 0);
		}
	}
}

/*
 * vCPU 1: started by vCPU 0, fenced and interrupted by it (SBI RFENCE and
 * IPI across vCPUs, which on separate harts go through the firmware's
 * request mailbox), then stopped.
 */
static void start_vcpu1(void)
{
	uint64_t deadline = read_time() + (uint64_t)VCPU1_WAIT_MS * TICKS_PER_MS;

	expect_ok(sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uint64_t)guest_secondary_entry,
			   GUEST_VCPU1_OPAQUE),
		  "hart_start of vCPU 1");
	wait_for(&vcpu1_ready, deadline, "vCPU 1 never ran");
	expect_ok(sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 0, ALL_HARTS, 0),
		  "remote_sfence_vma on every vCPU");
	/*
	 * An IPI can get lost in the monitor when vCPU 1 is leaving its hart
	 * just as it is sent (the pending IPI is applied only by a machine IPI
	 * that finds the vCPU still in the guest): send it again until vCPU 1
	 * has it, and say so.
	 */
	unsigned int sent = 0;
	while (!__atomic_load_n(&vcpu1_done, __ATOMIC_ACQUIRE)) {
		if (read_time() > deadline) {
			fail("vCPU 1 never took the IPI", sent);
		}
		expect_ok(sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, UINT64_C(1) << 1, 0, 0),
			  "send_ipi to vCPU 1");
		sent++;
		uint64_t resend = read_time() + (uint64_t)IPI_RESEND_MS * TICKS_PER_MS;
		while (!__atomic_load_n(&vcpu1_done, __ATOMIC_ACQUIRE) && read_time() < resend) {
		}
	}
	if (sent > 1) {
		puts_("guest: WARNING: vCPU 1 missed an IPI; it took one of ");
		put_u64(sent);
		puts_(" sent\n");
	}
	/* vCPU 1 stops itself right after it says so; wait for HSM to agree. */
	for (;;) {
		struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0);
		expect_ok(r, "hart_get_status of vCPU 1");
		if (r.value == SBI_HSM_STATE_STOPPED) {
			break;
		}
		if (read_time() > deadline) {
			fail("vCPU 1 never stopped", (int64_t)r.value);
		}
	}
	puts_("guest: vCPU 1 ran, took an IPI and stopped\n");
}

void guest_secondary_main(uint64_t hartid, uint64_t opaque)
{
	uint64_t deadline = read_time() + (uint64_t)VCPU1_WAIT_MS * TICKS_PER_MS;

	if (hartid != 1 || opaque != GUEST_VCPU1_OPAQUE) {
		fail("vCPU 1's start registers", (int64_t)opaque);
	}
	puts_("hello from vCPU 1\n");
	__asm__ volatile("csrw stvec, %0" : : "r"(guest_trap_entry));
	__asm__ volatile("csrs sie, %0" : : "r"(SIE_SSIE));
	__asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_SIE));
	__atomic_store_n(&vcpu1_ready, 1, __ATOMIC_RELEASE);
	/* Busy, not WFI: on its own hart it is running when vCPU 0 fences and interrupts it. */
	wait_for(&ipi_seen, deadline, "no IPI from vCPU 0");
	__asm__ volatile("csrc sstatus, %0" : : "r"(SSTATUS_SIE));
	puts_("guest: vCPU 1 took vCPU 0's IPI\n");
	__atomic_store_n(&vcpu1_done, 1, __ATOMIC_RELEASE);
	(void)sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	fail("hart_stop returned", 0);
}

void guest_main(uint64_t hartid, uint64_t fdt)
{
	if (hartid != 0 || fdt != GUEST_FDT_GPA) {
		fail("boot registers", (int64_t)fdt);
	}
	puts_("hello from a confidential VM\n");
	show_measurements();
	use_mmio();
	use_shared_page();
	use_timer();
	start_vcpu1();
	uint64_t until = read_time() + (uint64_t)BUSY_MS * TICKS_PER_MS;
	while (read_time() < until) {
	}
	puts_("guest: all steps passed, shutting down\n");
	shutdown(SBI_SRST_REASON_NONE);
}
