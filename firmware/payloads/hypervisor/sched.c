// SPDX-License-Identifier: BSD-2-Clause
/*
 * The TVM's vCPUs on the hypervisor's harts: COVH run_tvm_vcpu in a loop
 * and the exits of cove-abi.md section 7.
 *
 * vCPU i runs on hart (boot + i) % harts: on a single hart the vCPUs take
 * turns (after every exit; the hart's timer ends a turn after SCHED_TICK);
 * otherwise that hart is started through SBI HSM when the guest starts
 * vCPU i and stops when it has nothing left to run. A run returns with the exit
 * cause in scause and its details in the hart's NACL area:
 *   interrupt (bit 63)   the host's timer (the tick) or another interrupt
 *   10 forwarded ecall   a7/a6 = EID/FID, a0.. = what the monitor reveals:
 *                        DBCN output, HSM start/stop/suspend, SRST, COVG
 *                        (share_memory_region wants a host page in a1)
 *   21/23 guest fault    in an MMIO region: htval = GPA >> 2, htinst = the
 *                        transformed load/store on a0 (store data in a0;
 *                        a load's value goes back in a0)
 *   22 virtual insn      WFI: sleep until vstimecmp (or a short while)
 * The guest's state stays in the monitor; the host sees only these slots.
 */
#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "guest_layout.h"
#include "hv.h"
#include "payload/console.h"
#include "payload/csr.h"
#include "payload/mem.h"
#include "payload/payload.h"
#include "payload/sbi.h"

#define SCHED_MAX_VCPUS 8u
#define TICKS_PER_MS	10000u /* QEMU virt timebase: 10 MHz */
#define SCHED_TICK	(10u * TICKS_PER_MS)
#define WFI_MAX_SLEEP	(10u * TICKS_PER_MS)
#define RUN_TIME_LIMIT	(UINT64_C(20000) * TICKS_PER_MS)
#define HART_STOP_WAIT	(UINT64_C(2000) * TICKS_PER_MS)
#define LINE_MAX	120u

/* Exit causes in scause (privileged spec, exception codes). */
#define CAUSE_ECALL_VS	       10u
#define CAUSE_LOAD_GUEST_PAGE  21u
#define CAUSE_VIRTUAL_INSN     22u
#define CAUSE_STORE_GUEST_PAGE 23u
#define INSN_WFI	       UINT64_C(0x10500073)
#define INSN_OPCODE_LOAD       0x03u
#define INSN_OPCODE_STORE      0x23u
#define REG_A0		       10u
#define VSIE_STIE	       (UINT64_C(1) << 5)

/* What the host knows of a vCPU (the monitor keeps the real state). */
enum sched_state {
	SCHED_OFF,     /* not started by the guest yet */
	SCHED_READY,   /* run it */
	SCHED_WAITING, /* in WFI or suspend until .wake */
	SCHED_RUNNING, /* in run_tvm_vcpu on .hart */
	SCHED_STOPPED, /* HSM hart_stop */
	SCHED_DEAD,    /* the monitor said it cannot run again */
};

struct sched_vcpu {
	enum sched_state state;
	unsigned int hart;
	uint64_t wake;
	char line[LINE_MAX];
	unsigned int line_len;
};

/* What the demo checks at the end (sched_report). */
struct sched_stats {
	unsigned long runs;
	unsigned long timer_exits;
	unsigned long other_irq_exits;
	unsigned long ecall_exits;
	unsigned long console_bytes;
	unsigned long mmio_loads;
	unsigned long mmio_stores;
	unsigned long wfi_exits;
	unsigned long covg_exits;
	unsigned long vcpus_started;
	unsigned long vcpus_stopped;
	bool hello_seen;
	bool mmio_registered;
	bool shared;
	bool doorbell_ok;
	bool measure_ok[2];
	bool srst_seen;
	uint64_t srst_reason;
	bool failed;
};

static struct {
	volatile uint32_t lock;
	struct sched_tvm tvm;
	uint64_t deadline;
	bool over;
	bool hart_active[PAYLOAD_MAX_HARTS];
	unsigned int next[PAYLOAD_MAX_HARTS]; /* round robin */
	struct sched_vcpu vcpu[SCHED_MAX_VCPUS];
	uint64_t mmio_gpa;
	uint64_t mmio_len;
	uint64_t mmio_scratch;
	uint64_t shared_gpa;
	uint64_t shared_pa;
	struct sched_stats stats;
} s;

static void lock(void)
{
	while (__atomic_exchange_n(&s.lock, 1, __ATOMIC_ACQUIRE)) {
		cpu_relax();
	}
}

static void unlock(void)
{
	__atomic_store_n(&s.lock, 0, __ATOMIC_RELEASE);
}

/* Compares bytes the guest may have written (the shared page) with @want. */
static bool bytes_equal(const volatile char *got, const char *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			return false;
		}
	}
	return true;
}

/* Counters are bumped by whichever hart served the exit. */
static void count(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static uint64_t read_scause(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, scause" : "=r"(v) : : "memory");
	return v;
}

/* A failed check: printed, remembered, and the demo reports FAIL. */
static void fail(const char *what, unsigned int vcpu, uint64_t detail)
{
	console_printf("hypervisor: FAIL: vCPU %u: %s (0x%lx)\n", vcpu, what,
		       (unsigned long)detail);
	lock();
	s.stats.failed = true;
	unlock();
}

/* ----------------------------------------------------------- console --- */

static void console_flush(unsigned int v)
{
	struct sched_vcpu *c = &s.vcpu[v];
	static const char hello[] = "hello from a confidential VM";

	if (c->line_len == 0) {
		return;
	}
	c->line[c->line_len] = 0;
	console_printf("[tvm vcpu%u] %s\n", v, c->line);
	if (v == 0 && c->line_len == sizeof(hello) - 1 &&
	    bytes_equal(c->line, hello, c->line_len)) {
		s.stats.hello_seen = true;
	}
	c->line_len = 0;
}

/* The guest's bytes, a line at a time so that two vCPUs' lines never mix. */
static void console_bytes(unsigned int v, uint64_t bytes, unsigned int n)
{
	struct sched_vcpu *c = &s.vcpu[v];

	for (unsigned int i = 0; i < n; i++) {
		char ch = (char)(bytes >> (8 * i));

		count(&s.stats.console_bytes);
		if (ch == '\n') {
			console_flush(v);
			continue;
		}
		if (c->line_len == LINE_MAX - 1) {
			console_flush(v);
		}
		c->line[c->line_len++] = ch;
	}
}

/* ------------------------------------------------------ the device --- */

static void doorbell(uint64_t len)
{
	static const char reply[] = SHARED_GUEST_REPLY;
	const volatile char *page = (const volatile char *)(uintptr_t)s.shared_pa;

	if (!s.shared_pa || len != sizeof(reply) || !bytes_equal(page, reply, sizeof(reply))) {
		fail("the doorbell rang without the guest's reply in the shared page", 0, len);
		return;
	}
	console_printf("hypervisor: doorbell: the shared page says \"%s\"\n", reply);
	s.stats.doorbell_ok = true;
	/* The registers the monitor reported to the guest, against the host's prediction. */
	for (unsigned int i = 0; i < 2; i++) {
		const volatile uint8_t *mr = (const volatile uint8_t *)page +
					     SHARED_MEASURE_OFFSET + VM_MEASUREMENT_BYTES * i;
		bool same = true;
		for (unsigned int b = 0; b < VM_MEASUREMENT_BYTES; b++) {
			same = same && mr[b] == s.tvm.mr[i][b];
		}
		console_printf("hypervisor: MR%u %s the prediction\n", i,
			       same ? "as the TVM reads it matches" : "DIFFERS from");
		s.stats.measure_ok[i] = same;
	}
}

static uint64_t mmio_load(uint64_t offset)
{
	switch (offset) {
	case MMIO_REG_ID: return MMIO_ID_VALUE;
	case MMIO_REG_SCRATCH: return s.mmio_scratch;
	default: return 0;
	}
}

static void mmio_store(uint64_t offset, uint64_t value)
{
	switch (offset) {
	case MMIO_REG_SCRATCH: s.mmio_scratch = value; break;
	case MMIO_REG_DOORBELL: doorbell(value); break;
	default: break;
	}
}

/* -------------------------------------------------------------- exits --- */

/* Starts @hart for its vCPUs unless it is serving already (called unlocked). */
static void start_hart(unsigned int hart)
{
	uint64_t until = csr_read_time() + HART_STOP_WAIT;
	struct sbiret r;

	/* A hart that just left its loop may still be on its way to STOPPED. */
	do {
		r = payload_hart_start(hart, hart);
	} while (r.error == SBI_ERR_ALREADY_AVAILABLE && csr_read_time() < until);
	if (r.error != SBI_SUCCESS) {
		fail("HSM hart_start of a hart for the TVM", hart, (uint64_t)r.error);
	}
}

static enum sched_state hsm_exit(unsigned int v, uint64_t fid, uint64_t target)
{
	bool start = false;
	unsigned int hart = 0;

	switch (fid) {
	case SBI_HSM_HART_START:
		if (target >= s.tvm.vcpus) {
			fail("HSM start of a vCPU the TVM does not have", v, target);
			return SCHED_READY;
		}
		lock();
		if (s.vcpu[target].state == SCHED_OFF || s.vcpu[target].state == SCHED_STOPPED) {
			hart = s.vcpu[target].hart;
			s.vcpu[target].state = SCHED_READY;
			s.stats.vcpus_started++;
			if (hart != payload_hartid() && !s.hart_active[hart]) {
				s.hart_active[hart] = true;
				start = true;
			}
		}
		unlock();
		console_printf("hypervisor: vCPU %u starts vCPU %lu: it runs on hart %u\n", v,
			       (unsigned long)target, hart);
		if (start) {
			start_hart(hart);
		}
		return SCHED_READY;
	case SBI_HSM_HART_STOP:
		lock();
		s.stats.vcpus_stopped++;
		unlock();
		return SCHED_STOPPED;
	case SBI_HSM_HART_SUSPEND:
		s.vcpu[v].wake = csr_read_time() + WFI_MAX_SLEEP;
		return SCHED_WAITING;
	default: fail("unexpected HSM exit", v, fid); return SCHED_READY;
	}
}

static enum sched_state covg_exit(unsigned int v, uint64_t area, uint64_t fid, uint64_t a0,
				  uint64_t a1)
{
	static const char greeting[] = SHARED_HOST_GREETING;

	count(&s.stats.covg_exits);
	switch (fid) {
	case COVG_ADD_MMIO_REGION:
		console_printf("hypervisor: vCPU %u: MMIO region 0x%lx + 0x%lx\n", v,
			       (unsigned long)a0, (unsigned long)a1);
		s.mmio_gpa = a0;
		s.mmio_len = a1;
		s.stats.mmio_registered = true;
		break;
	case COVG_REMOVE_MMIO_REGION: s.mmio_len = 0; break;
	case COVG_SHARE_MEMORY_REGION: {
		lock();
		uint64_t pa = a1 && a1 <= 64 * VM_PAGE_SIZE
				      ? vm_pool_alloc(s.tvm.pool, a1, VM_PAGE_SIZE)
				      : 0;
		unlock();
		if (!pa) {
			fail("no host memory to share", v, a1);
			break;
		}
		memcpy((void *)(uintptr_t)pa, greeting, sizeof(greeting));
		s.shared_gpa = a0;
		s.shared_pa = pa;
		s.stats.shared = true;
		/* The answer: the host page behind the region, in a1 (cove-abi.md 4). */
		nacl_write(area, NACL_SCRATCH_GPR_OFFSET(11), pa);
		console_printf("hypervisor: vCPU %u shares GPA 0x%lx + 0x%lx: host page 0x%lx\n", v,
			       (unsigned long)a0, (unsigned long)a1, (unsigned long)pa);
		break;
	}
	default:
		/* The rest (measurements, interrupts) is done by the monitor; told for information.
		 */
		break;
	}
	return SCHED_READY;
}

static enum sched_state ecall_exit(unsigned int v, uint64_t area)
{
	uint64_t eid = nacl_read(area, NACL_SCRATCH_GPR_OFFSET(17));
	uint64_t fid = nacl_read(area, NACL_SCRATCH_GPR_OFFSET(16));
	uint64_t a0 = nacl_read(area, NACL_SCRATCH_GPR_OFFSET(10));
	uint64_t a1 = nacl_read(area, NACL_SCRATCH_GPR_OFFSET(11));

	count(&s.stats.ecall_exits);
	switch (eid) {
	case SBI_EXT_DBCN:
		if (fid == SBI_DBCN_CONSOLE_WRITE && a0 <= 8) {
			console_bytes(v, a1, (unsigned int)a0);
		} else if (fid == SBI_DBCN_CONSOLE_WRITE_BYTE) {
			console_bytes(v, a0, 1);
		} else {
			fail("unexpected DBCN exit", v, fid);
		}
		return SCHED_READY;
	case SBI_EXT_HSM: return hsm_exit(v, fid, a0);
	case SBI_EXT_SRST:
		console_flush(v);
		console_printf("hypervisor: vCPU %u: system_reset type %lu reason %lu\n", v,
			       (unsigned long)a0, (unsigned long)a1);
		lock();
		s.stats.srst_seen = true;
		s.stats.srst_reason = a1;
		s.over = true;
		unlock();
		return SCHED_DEAD;
	case SBI_EXT_COVG: return covg_exit(v, area, fid, a0, a1);
	default: fail("unexpected forwarded ecall", v, eid); return SCHED_READY;
	}
}

static enum sched_state mmio_exit(unsigned int v, uint64_t area, bool store)
{
	uint64_t gpa = nacl_read(area, nacl_csr_offset(NACL_CSR_HTVAL)) << 2;
	uint64_t insn = nacl_read(area, nacl_csr_offset(NACL_CSR_HTINST));
	unsigned int width = 1u << ((insn >> 12) & 3u);
	uint64_t mask = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;

	if (!s.mmio_len || gpa < s.mmio_gpa || gpa - s.mmio_gpa >= s.mmio_len) {
		fail("guest page fault outside the MMIO region", v, gpa);
		return SCHED_READY;
	}
	/*
	 * The transformed instruction moves the data through a0 (cove-abi.md 7);
	 * bit 1 is clear when the guest's instruction was a compressed one.
	 */
	uint64_t opcode = (insn & 0x7fu) | 0x2u;
	if (store ? (opcode != INSN_OPCODE_STORE || ((insn >> 20) & 31u) != REG_A0)
		  : (opcode != INSN_OPCODE_LOAD || ((insn >> 7) & 31u) != REG_A0)) {
		fail("htinst is not a transformed load/store on a0", v, insn);
		return SCHED_READY;
	}
	if (store) {
		count(&s.stats.mmio_stores);
		mmio_store(gpa - s.mmio_gpa,
			   nacl_read(area, NACL_SCRATCH_GPR_OFFSET(REG_A0)) & mask);
	} else {
		count(&s.stats.mmio_loads);
		nacl_write(area, NACL_SCRATCH_GPR_OFFSET(REG_A0),
			   mmio_load(gpa - s.mmio_gpa) & mask);
	}
	return SCHED_READY;
}

static enum sched_state wfi_exit(unsigned int v, uint64_t area)
{
	uint64_t insn = nacl_read(area, nacl_csr_offset(NACL_CSR_HTINST));
	uint64_t vsie = nacl_read(area, nacl_csr_offset(NACL_CSR_VSIE));
	uint64_t vstimecmp = nacl_read(area, nacl_csr_offset(NACL_CSR_VSTIMECMP));
	uint64_t now = csr_read_time();
	uint64_t wake = now + WFI_MAX_SLEEP;

	if (insn != INSN_WFI) {
		fail("a virtual instruction exit that is not WFI", v, insn);
		return SCHED_READY;
	}
	count(&s.stats.wfi_exits);
	/* Its own timer wakes it; anything else (an IPI from a vCPU) is polled for. */
	if ((vsie & VSIE_STIE) && vstimecmp < wake) {
		wake = vstimecmp;
	}
	s.vcpu[v].wake = wake;
	return SCHED_WAITING;
}

static enum sched_state handle_exit(unsigned int v, uint64_t area, uint64_t cause)
{
	if (cause & SCAUSE_INTERRUPT) {
		if ((cause & ~SCAUSE_INTERRUPT) == IRQ_S_TIMER) {
			count(&s.stats.timer_exits);
		} else {
			count(&s.stats.other_irq_exits);
		}
		return SCHED_READY;
	}
	switch (cause) {
	case CAUSE_ECALL_VS: return ecall_exit(v, area);
	case CAUSE_LOAD_GUEST_PAGE: return mmio_exit(v, area, false);
	case CAUSE_STORE_GUEST_PAGE: return mmio_exit(v, area, true);
	case CAUSE_VIRTUAL_INSN: return wfi_exit(v, area);
	default: fail("unexpected exit cause", v, cause); return SCHED_READY;
	}
}

/* ---------------------------------------------------------- the loop --- */

/* One turn of vCPU @v on @hart: the tick armed, run, the exit served. */
static void run_once(unsigned int hart, unsigned int v)
{
	(void)sbi_set_timer(csr_read_time() + SCHED_TICK);
	struct sbiret r = sbi_ecall(SBI_EXT_COVH, COVH_RUN_TVM_VCPU, s.tvm.id, v, 0, 0, 0, 0);
	uint64_t cause = read_scause();
	(void)sbi_set_timer(UINT64_MAX); /* clears the host's STIP as well */
	enum sched_state next;

	count(&s.stats.runs);
	if (r.error != SBI_SUCCESS) {
		fail("run_tvm_vcpu", v, (uint64_t)r.error);
		next = SCHED_DEAD;
	} else {
		next = handle_exit(v, s.tvm.nacl[hart], cause);
		if (r.value != 0) {
			next = SCHED_DEAD; /* the monitor: this vCPU cannot run again */
		}
	}
	lock();
	s.vcpu[v].state = next;
	unlock();
}

/* The next vCPU of @hart to run (-1: none now); *@left: whether any may still want it. */
static int pick(unsigned int hart, bool *left)
{
	uint64_t now = csr_read_time();
	int found = -1;

	*left = false;
	for (unsigned int i = 0; i < s.tvm.vcpus; i++) {
		unsigned int v = (s.next[hart] + i) % s.tvm.vcpus;
		struct sched_vcpu *c = &s.vcpu[v];

		if (c->hart != hart) {
			continue;
		}
		if (c->state == SCHED_READY || c->state == SCHED_WAITING ||
		    c->state == SCHED_RUNNING) {
			*left = true;
		}
		if (found < 0 &&
		    (c->state == SCHED_READY || (c->state == SCHED_WAITING && now >= c->wake))) {
			found = (int)v;
		}
	}
	if (found >= 0) {
		s.vcpu[found].state = SCHED_RUNNING;
		s.next[hart] = ((unsigned int)found + 1) % s.tvm.vcpus;
	}
	return found;
}

/* Serves @hart's vCPUs: the boot hart until the TVM is over, others while they have work. */
static void serve(unsigned int hart, bool boot)
{
	for (;;) {
		bool left;

		lock();
		bool over = s.over || s.stats.failed;
		int v = over ? -1 : pick(hart, &left);
		if (!boot && v < 0 && (over || !left)) {
			s.hart_active[hart] = false;
			unlock();
			return;
		}
		unlock();
		if (boot && over) {
			return;
		}
		if (csr_read_time() > s.deadline) {
			fail("the TVM did not finish in time", 0, 0);
			return;
		}
		if (v < 0) {
			cpu_relax();
			continue;
		}
		run_once(hart, (unsigned int)v);
	}
}

void sched_secondary(unsigned int hart)
{
	if (hart >= PAYLOAD_MAX_HARTS || hart >= s.tvm.harts) {
		return;
	}
	long err = nacl_register(s.tvm.nacl[hart]);
	if (err != SBI_SUCCESS) {
		fail("NACL set_shmem on a secondary hart", hart, (uint64_t)err);
		lock();
		s.hart_active[hart] = false;
		unlock();
		return;
	}
	serve(hart, false);
}

/* Waits until every hart but the boot hart is back in HSM STOPPED. */
static bool harts_stopped(unsigned int boot)
{
	uint64_t until = csr_read_time() + HART_STOP_WAIT;

	for (unsigned int h = 0; h < s.tvm.harts; h++) {
		while (h != boot) {
			struct sbiret r = sbi_hart_get_status(h);
			if (r.error == SBI_SUCCESS && r.value == SBI_HSM_STATE_STOPPED) {
				break;
			}
			if (csr_read_time() > until) {
				fail("a hart of the TVM never stopped", h, r.value);
				return false;
			}
			cpu_relax();
		}
	}
	return true;
}

bool sched_run(const struct sched_tvm *tvm)
{
	unsigned int boot = (unsigned int)payload_hartid();

	if (tvm->vcpus == 0 || tvm->vcpus > SCHED_MAX_VCPUS || tvm->harts == 0 ||
	    tvm->harts > PAYLOAD_MAX_HARTS || boot >= tvm->harts) {
		return false;
	}
	s.tvm = *tvm;
	s.deadline = csr_read_time() + RUN_TIME_LIMIT;
	for (unsigned int v = 0; v < tvm->vcpus; v++) {
		/* vCPU 0 on the boot hart; the others spread over the rest. */
		s.vcpu[v].hart = (boot + v) % tvm->harts;
		s.vcpu[v].state = v == 0 ? SCHED_READY : SCHED_OFF;
	}
	s.hart_active[boot] = true;
	serve(boot, true);
	return harts_stopped(boot) && !s.stats.failed;
}

bool sched_report(void)
{
	const struct sched_stats *st = &s.stats;
	struct {
		const char *what;
		bool ok;
	} checks[] = {
		{ "the guest said hello through DBCN", st->hello_seen },
		{ "MMIO region registered, loads and stores emulated",
		  st->mmio_registered && st->mmio_loads >= 2 && st->mmio_stores >= 2 },
		{ "a page shared, the guest's reply read from it", st->shared && st->doorbell_ok },
		{ "MR0 and MR1 in the TVM are what the host predicted",
		  st->measure_ok[0] && st->measure_ok[1] },
		{ "WFI exits slept until the guest's timer", st->wfi_exits >= 1 },
		{ "the host's timer interrupted the guest", st->timer_exits >= 1 },
		{ "vCPU 1 started through HSM and stopped itself",
		  st->vcpus_started == s.tvm.vcpus - 1 && st->vcpus_stopped == s.tvm.vcpus - 1 },
		{ "the guest shut down with reason none",
		  st->srst_seen && st->srst_reason == SBI_SRST_REASON_NONE },
		{ "no exit the demo did not expect", !st->failed },
	};
	bool ok = true;

	console_printf("hypervisor: %lu runs: %lu ecall exits (%lu COVG, %lu console bytes), "
		       "%lu MMIO loads, %lu MMIO stores, %lu WFI, %lu timer and %lu other "
		       "interrupts\n",
		       st->runs, st->ecall_exits, st->covg_exits, st->console_bytes, st->mmio_loads,
		       st->mmio_stores, st->wfi_exits, st->timer_exits, st->other_irq_exits);
	for (unsigned int i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		console_printf("hypervisor: %s: %s\n", checks[i].ok ? "ok  " : "FAIL",
			       checks[i].what);
		ok = ok && checks[i].ok;
	}
	return ok;
}
