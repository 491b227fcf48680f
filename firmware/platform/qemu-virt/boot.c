// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot and trap routing on QEMU virt.
 *
 * The boot hart copies the FDT out of the way (QEMU puts it near the top of
 * DRAM, where confidential memory goes), reads the memory, the harts and
 * the attestation root from it, describes the platform to the monitor,
 * boots it, and hands the next stage at PLAT_NEXT_STAGE a0 = hartid and
 * a1 = an FDT whose /memory no longer covers the firmware, the monitor's
 * data or confidential memory. Every other hart brings itself under the
 * monitor (mon_hart_init: its full PMP) and waits stopped for HSM.
 *
 * Traps from below M: the host's calls of the SBI runtime's extensions go
 * to sbi.c, machine software interrupts serve the request mailbox first,
 * everything else (NACL, COVH, Base, guests, the host's own faults) is
 * mon_trap's. mon_trap edits the frame (and the CSRs through the HAL);
 * trap.S restores it and mrets.
 */
#include "covemon/abi/sbi.h"
#include "covemon/fdt.h"
#include "covemon/hal.h"
#include "covemon/introspect.h"
#include "covemon/lib.h"
#include "csr.h"
#include "fw.h"
#include "platform.h"

#define FW_FDT_MAX	  (64u * 1024u)
#define CONFIDENTIAL_SIZE (UINT64_C(32) << 20)
#define GUARD_PATTERN	  UINT64_C(0x5afe57ac4a11ed00)
#define ROOT_PROP	  "covemon,attestation-root"

/* Host context on every hart: S-level traps and interrupts go to the host. */
#define HOST_MEDELEG                                                                             \
	((UINT64_C(1) << 0) | (UINT64_C(1) << 3) | (UINT64_C(1) << 8) | (UINT64_C(1) << 12) |    \
	 (UINT64_C(1) << 13) | (UINT64_C(1) << 15) | (UINT64_C(1) << 10) | (UINT64_C(1) << 20) | \
	 (UINT64_C(1) << 21) | (UINT64_C(1) << 22) | (UINT64_C(1) << 23))
#define HOST_MIDELEG \
	(MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_VSSIP | MIP_VSTIP | MIP_VSEIP | MIP_SGEIP)

struct fw_hart fw_harts[FW_MAX_HARTS];
struct mon *fw_mon;
uint64_t fw_hart_mask;
bool fw_has_sstc;
bool fw_has_smepmp;

extern const uint64_t fw_sbi_exts[];
extern const unsigned int fw_sbi_ext_count;
extern volatile uint32_t fw_boot_done;
extern char fw_stacks[], _fw_start[], _fw_rx_end[], _fw_ro_end[], _fw_end[], _mondata_start[],
	_mondata_end[];
extern char fw_trap_entry[];

static uint8_t fdt_copy[FW_FDT_MAX] __attribute__((aligned(8)));
static volatile uint32_t mon_lock; /* see monitor_trap */
static uint64_t dram_base, dram_size;

void fw_boot_main(uint64_t hartid, uint64_t fdt_pa);
void fw_secondary_main(uint64_t hartid);
void fw_trap(struct fw_hart *h);
void fw_m_trap_panic(uint64_t mcause, uint64_t mepc, uint64_t mtval);

uint64_t fw_hartid(void)
{
	return csr_read(mhartid);
}

bool fw_is_ram(uint64_t base, uint64_t len)
{
	return mon_range_within(base, len, dram_base, dram_size);
}

/* ------------------------------------------------------ console helpers --- */

static void put_hex(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++) {
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	}
	buf[18] = 0;
	uart_puts(buf);
}

static void say(const char *a, uint64_t v, const char *b)
{
	uart_puts(a);
	put_hex(v);
	uart_puts(b);
}

/* ------------------------------------------------------------- stacks --- */

static uint64_t *guard_of(uint64_t hartid)
{
	return (uint64_t *)(fw_stacks + hartid * (FW_STACK_SIZE + FW_STACK_GUARD));
}

static void guard_fill(uint64_t hartid)
{
	uint64_t *g = guard_of(hartid);

	for (unsigned int i = 0; i < FW_STACK_GUARD / 8; i++) {
		g[i] = GUARD_PATTERN ^ i;
	}
}

static void guard_check(uint64_t hartid)
{
	const uint64_t *g = guard_of(hartid);

	/* The top of the guard is what an overflow hits first. */
	for (unsigned int i = FW_STACK_GUARD / 8 - 64; i < FW_STACK_GUARD / 8; i++) {
		if (g[i] != (GUARD_PATTERN ^ i)) {
			hal_panic("stack overflow into the guard");
		}
	}
}

/* ---------------------------------------------------------- entropy --- */

static bool zkr;

bool fw_entropy_is_hardware(void)
{
	return zkr;
}

/* 16 bits from the seed CSR, waiting while it reports BIST/WAIT (Zkr, OPST). */
static uint16_t seed16(void)
{
	uint64_t v = 0;

	for (;;) {
		(void)fw_probe_seed(&v);
		switch ((v >> 30) & 3) {
		case 2: return (uint16_t)v; /* ES16 */
		case 3: hal_panic("the entropy source reports DEAD");
		default: break; /* BIST or WAIT */
		}
	}
}

mon_err_t fw_entropy(void *buf, size_t len)
{
	uint8_t *out = buf;

	if (zkr) {
		for (size_t i = 0; i < len; i += 2) {
			uint16_t s = seed16();
			out[i] = (uint8_t)s;
			if (i + 1 < len) {
				out[i + 1] = (uint8_t)(s >> 8);
			}
		}
		return MON_OK;
	}
	/*
	 * No Zkr (QEMU virt's default: -cpu rv64,zkr=true turns it on): the
	 * documented fallback mixes mtime and mcycle. It is guessable; the boot
	 * banner says so, and nothing secret depends on it (the attestation root
	 * comes from the FDT or is the flagged development key).
	 */
	uint64_t x = hal_time_now() ^ csr_read(mcycle) ^ (fw_hartid() << 56) ^
		     UINT64_C(0x9e3779b97f4a7c15);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out[i] = (uint8_t)x;
	}
	return MON_OK;
}

/* -------------------------------------------------------- host entry --- */

/* The CSRs of host context; the monitor saves and restores them around TVMs. */
static void host_csrs(void)
{
	csr_write(mtvec, (uint64_t)(uintptr_t)fw_trap_entry);
	csr_write(medeleg, HOST_MEDELEG);
	csr_write(mideleg, HOST_MIDELEG);
	csr_write(mie, UINT64_C(1) << IRQ_M_SOFT);
	csr_write(mcounteren, 0x7); /* cycle, time, instret readable below M */
	csr_write(CSR_MENVCFG, fw_has_sstc ? ENVCFG_STCE : 0);
	csr_write(hedeleg, 0);
	csr_write(hideleg, 0);
	csr_write(hcounteren, 0);
	csr_write(satp, 0);
	csr_write(hgatp, 0);
	/*
	 * mtimecmp resets to 0 on QEMU, so MTIP is pending from the start. The
	 * host never sees it (mie.MTIE is off until it sets an SBI timer without
	 * Sstc), but a vCPU runs with MTIE on (the monitor's exit interrupts):
	 * every run_tvm_vcpu would end in an M-timer exit before the guest's
	 * first instruction. No timer until the host asks for one.
	 */
	hal_timer_set((hart_t)fw_hartid(), UINT64_MAX);
}

_Noreturn void fw_enter_host(struct fw_hart *h, uint64_t pc, uint64_t a0, uint64_t a1)
{
	mon_memset(&h->frame, 0, sizeof(h->frame));
	h->frame.x[10] = a0;
	h->frame.x[11] = a1;
	h->frame.mepc = pc;
	/* S-mode, no virtualisation, S interrupts off, FP off (FS = 0). */
	h->frame.mstatus = MSTATUS_MPP_S;
	csr_write(sstatus, 0);
	csr_write(mscratch, (uint64_t)(uintptr_t)h);
	fw_resume(h);
}

_Noreturn void fw_park(struct fw_hart *h)
{
	for (;;) {
		fw_wfi();
		fw_process_requests(h);
		uint32_t r = __atomic_load_n(&h->requests, __ATOMIC_ACQUIRE);
		if ((r & FW_REQ_START) &&
		    __atomic_load_n(&h->hsm_state, __ATOMIC_ACQUIRE) == FW_HSM_START_PENDING) {
			__atomic_fetch_and(&h->requests, ~(uint32_t)FW_REQ_START, __ATOMIC_RELEASE);
			break;
		}
	}
	/* Whatever was fenced while it was stopped. */
	fw_fence_i();
	fw_sfence_vma();
	fw_hfence_gvma_all();
	fw_hfence_vvma_all();
	fw_lock(&mon_lock, h);
	mon_err_t err = mon_hart_init(fw_mon, (hart_t)h->hartid);
	fw_unlock(&mon_lock);
	if (err != MON_OK) {
		hal_panic("PMP of a started hart could not be written");
	}
	host_csrs();
	__atomic_store_n(&h->hsm_state, FW_HSM_STARTED, __ATOMIC_RELEASE);
	fw_enter_host(h, h->start_addr, h->hartid, h->start_opaque);
}

/* ------------------------------------------------------------- FDT --- */

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (56 - 8 * i));
	}
}

static void read_fdt(uint64_t fdt_pa, struct fdt *fdt, struct mon_platform *plat)
{
	const uint8_t *src = (const uint8_t *)(uintptr_t)fdt_pa;
	uint32_t total = mon_load_be32(src + 4);

	if (mon_load_be32(src) != 0xd00dfeed || total > sizeof(fdt_copy)) {
		hal_panic("no usable FDT in a1");
	}
	mon_memcpy(fdt_copy, src, total);
	if (fdt_init(fdt, fdt_copy, total) != MON_OK ||
	    fdt_memory(fdt, &dram_base, &dram_size) != MON_OK) {
		hal_panic("FDT without a usable /memory");
	}
	int cpus = fdt_path_offset(fdt, "/cpus");
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		uint64_t id, unused;
		uint32_t len;
		const char *name = fdt_node_name(fdt, n, &len);
		if (name && len >= 3 && name[0] == 'c' && name[1] == 'p' && name[2] == 'u' &&
		    (len == 3 || name[3] == '@') &&
		    fdt_read_reg(fdt, n, 0, &id, &unused) == MON_OK && id < FW_MAX_HARTS) {
			fw_hart_mask |= UINT64_C(1) << id;
			fw_harts[id].present = true;
		}
	}
	/* The attestation root: from the boot stage, never passed on to the host. */
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint32_t rlen = 0;
	const uint8_t *root = chosen >= 0 ? fdt_getprop(fdt, chosen, ROOT_PROP, &rlen) : NULL;
	if (root && rlen == sizeof(plat->attestation_root)) {
		mon_memcpy(plat->attestation_root, root, rlen);
		mon_memzero_explicit((void *)(uintptr_t)root, rlen);
		mon_memzero_explicit((void *)(uintptr_t)(fdt_pa + (uint64_t)(root - fdt_copy)),
				     rlen);
		uart_puts("covemon: attestation root from /chosen/" ROOT_PROP "\n");
	} else {
		static const char dev[] = "covemon-shim-insecure-dev-root!!";
		mon_memcpy(plat->attestation_root, dev, sizeof(plat->attestation_root));
		uart_puts("covemon: WARNING: INSECURE development attestation root (no "
			  "/chosen/" ROOT_PROP "): TAPs sealed for it are not secret\n");
	}
}

/*
 * The next stage's FDT: /memory starts at the next stage and ends below it.
 * The slot is host memory: written with the host's rights (under Smepmp,
 * M-mode has no others there).
 */
static uint64_t place_fdt(struct fdt *fdt, uint64_t conf_base)
{
	uint64_t slot = conf_base - PLAT_FDT_SLOT;
	uint32_t len = 0;
	int mem = fdt_path_offset(fdt, "/memory");
	uint8_t *reg = (uint8_t *)(uintptr_t)fdt_getprop(fdt, mem, "reg", &len);

	if (!reg || len != 16) {
		hal_panic("/memory reg is not one (u64 base, u64 size) pair");
	}
	put_be64(reg, PLAT_NEXT_STAGE);
	put_be64(reg + 8, slot - PLAT_NEXT_STAGE);
	if (hal_untrusted_write(0, pa_init(slot), fdt_copy, mon_load_be32(fdt_copy + 4)) !=
	    MON_OK) {
		hal_panic("the next stage's FDT slot is not host memory");
	}
	return slot;
}

/*
 * What the PMP does to M-mode, checked by probing rather than assumed: with
 * Smepmp the monitor must not write its code, execute its data or touch
 * host memory with its own rights. Any other outcome stops the boot.
 */
static uint32_t exec_probe_insn = 0x00008067; /* ret, in writable data */

static bool pmp_binds_m_mode(void)
{
	if (!fw_has_smepmp || !(csr_read(CSR_MSECCFG) & HAL_MSECCFG_MML)) {
		return false;
	}
	if (fw_probe_store((void *)(uintptr_t)fw_trap_entry) == 0) {
		hal_panic("Smepmp: M-mode can write its own code");
	}
	if (fw_probe_exec(&exec_probe_insn) == 0) {
		hal_panic("Smepmp: M-mode can execute its data");
	}
	if (fw_probe_load((const void *)(uintptr_t)PLAT_NEXT_STAGE) == 0) {
		hal_panic("Smepmp: M-mode can read host memory with its own rights");
	}
	return true;
}

/* -------------------------------------------------------------- boot --- */

static void detect_features(struct mon_platform *plat)
{
	/*
	 * Sstc: stimecmp must be there, not only menvcfg.STCE (QEMU 7.2 lets
	 * STCE stick on every RV64 CPU, -cpu rv64,sstc=false included; trusting
	 * it made the first SBI set_timer an illegal instruction in M-mode).
	 * Smepmp: mseccfg reads without trapping.
	 */
	uint64_t stimecmp;
	fw_has_sstc = fw_probe_stimecmp(&stimecmp) == 0;
	plat->features = fw_has_sstc ? MON_FEAT_SSTC : 0;
	uint64_t mseccfg;
	fw_has_smepmp = fw_probe_mseccfg(&mseccfg) == 0;
	plat->features |= fw_has_smepmp ? MON_FEAT_SMEPMP : 0;
	plat->mvendorid = csr_read(mvendorid);
	plat->marchid = csr_read(marchid);
	plat->mimpid = csr_read(mimpid);
	/* VMIDLEN: the hgatp VMID bits that stick. */
	csr_write(hgatp, UINT64_C(0x3fff) << 44);
	uint64_t vmid = (csr_read(hgatp) >> 44) & 0x3fff;
	csr_write(hgatp, 0);
	unsigned int bits = 0;
	while (vmid & (UINT64_C(1) << bits)) {
		bits++;
	}
	plat->vmid_bits = bits;
}

void fw_boot_main(uint64_t hartid, uint64_t fdt_pa)
{
	static struct mon_platform plat;
	struct fdt fdt;

	uint64_t probe;
	zkr = fw_probe_seed(&probe) == 0;
	bool canary_hw = fw_canary_init();
	uart_init();
	uart_puts("\ncovemon firmware: M-mode runtime for qemu-virt\n");
	uart_puts(canary_hw ? "covemon: hardening: stack canary from Zkr"
			    : "covemon: hardening: stack canary from the mtime/mcycle fallback (no "
			      "Zkr)");
	uart_puts(", locals zero-initialised, stack guards checked on every trap\n");
	for (uint64_t h = 0; h < FW_MAX_HARTS; h++) {
		guard_fill(h);
		fw_harts[h].hartid = h;
		fw_harts[h].hsm_state = FW_HSM_STOPPED;
		fw_harts[h].stack_top =
			(uint64_t)(uintptr_t)(fw_stacks +
					      (h + 1) * (FW_STACK_SIZE + FW_STACK_GUARD));
	}
	read_fdt(fdt_pa, &fdt, &plat);
	detect_features(&plat);
	plat.dram[0] = (struct mon_region){ dram_base, dram_size };
	plat.dram_count = 1;
	plat.image.base = (uint64_t)(uintptr_t)_fw_start;
	plat.image.size = (uint64_t)(_fw_end - _fw_start);
	plat.image_text_size = (uint64_t)(_fw_rx_end - _fw_start);
	plat.image_rodata_size = (uint64_t)(_fw_ro_end - _fw_rx_end);
	/*
	 * The ACLINT (timers, machine IPIs) is the runtime's alone. The console
	 * and the finisher are shared: S-mode software on QEMU virt drives them
	 * directly (U-Boot powers off through the finisher), and a reset through
	 * it leaks nothing, since mon_boot scrubs confidential memory.
	 */
	plat.mmio_private[0] = (struct mon_region){ PLAT_ACLINT_BASE, PLAT_ACLINT_SIZE };
	plat.mmio_private_count = 1;
	plat.mmio_shared[0] = (struct mon_region){ PLAT_UART_BASE, PLAT_UART_SIZE };
	plat.mmio_shared[1] = (struct mon_region){ PLAT_FINISHER_BASE, PLAT_FINISHER_SIZE };
	plat.mmio_shared_count = 2;
	plat.data.base = (uint64_t)(uintptr_t)_mondata_start;
	plat.data.size = (uint64_t)(_mondata_end - _mondata_start);
	plat.confidential_size = CONFIDENTIAL_SIZE;
	plat.harts = 0;
	for (unsigned int h = 0; h < FW_MAX_HARTS; h++) {
		if (fw_hart_mask & (UINT64_C(1) << h)) {
			plat.harts = h + 1;
		}
	}
	plat.pmp_count = PLAT_PMP_ENTRIES;
	for (unsigned int i = 0; i < fw_sbi_ext_count; i++) {
		plat.host_sbi_ext[i] = fw_sbi_exts[i];
	}
	plat.host_sbi_ext_count = fw_sbi_ext_count;
	mon_err_t err = mon_boot((hart_t)hartid, &plat, &fw_mon);
	mon_memzero_explicit(plat.attestation_root, sizeof(plat.attestation_root));
	if (err != MON_OK) {
		hal_panic("mon_boot refused the platform");
	}
	struct mon_region conf = mon_introspect_confidential(fw_mon);
	uint64_t next_fdt = place_fdt(&fdt, conf.base);
	say("covemon: DRAM ", dram_base, "");
	say(" + ", dram_size, "\n");
	say("covemon: firmware ", plat.image.base, "");
	say(" + ", plat.image.size, ", ");
	say("monitor data ", plat.data.base, "\n");
	say("covemon: confidential memory ", conf.base, "");
	say(" + ", conf.size, "\n");
	say("covemon: harts ", fw_hart_mask, fw_has_sstc ? ", Sstc" : "");
	uart_puts(fw_has_smepmp ? ", Smepmp present\n" : ", no Smepmp\n");
	if (pmp_binds_m_mode()) {
		uart_puts(
			"covemon: hardening: Smepmp active (mseccfg.MML, RLB): M-mode W^X checked "
			"(code RX, read-only data R, data RW), host memory only with the host's "
			"rights, the ACLINT closed to S/U\n");
	} else {
		uart_puts("covemon: hardening: no Smepmp: the PMP binds S/U only (monitor memory, "
			  "ACLINT closed to them); M-mode W^X is not enforced\n");
	}
	uint32_t next = 0;
	if (hal_untrusted_read(0, pa_init(PLAT_NEXT_STAGE), &next, sizeof(next)) != MON_OK ||
	    next == 0) {
		/* Nothing loaded there (no -kernel): a boot check, not a hang. */
		uart_puts("covemon: no next stage at 0x80200000; shutting down\n");
		plat_exit(0);
	}
	host_csrs();
	fw_harts[hartid].hsm_state = FW_HSM_STARTED;
	__atomic_store_n(&fw_boot_done, 1, __ATOMIC_RELEASE);
	say("covemon sbi: next stage at ", PLAT_NEXT_STAGE, "");
	say(" in S-mode, FDT ", next_fdt, "\n");
	fw_enter_host(&fw_harts[hartid], PLAT_NEXT_STAGE, hartid, next_fdt);
}

void fw_secondary_main(uint64_t hartid)
{
	struct fw_hart *h = &fw_harts[hartid];

	if (!h->present) {
		for (;;) {
			fw_wfi();
		}
	}
	csr_write(mscratch, (uint64_t)(uintptr_t)h);
	csr_write(mie, UINT64_C(1) << IRQ_M_SOFT); /* wfi wakes on MSIP */
	fw_park(h);
}

/* ------------------------------------------------------------- traps --- */

/*
 * The monitor core runs on one hart at a time: its state (pages, TVMs, vCPU
 * states, virtual IPIs) is shared by all harts and the core takes no locks
 * of its own yet, so the arch layer serialises every mon_trap. Waiting harts
 * keep serving fence requests (fw_lock), which is what a holder in
 * hal_fence waits for.
 */
static void monitor_trap(struct fw_hart *h)
{
	fw_lock(&mon_lock, h);
	(void)mon_trap(fw_mon, (hart_t)h->hartid, &h->frame);
	fw_unlock(&mon_lock);
}

void fw_trap(struct fw_hart *h)
{
	struct mon_trap_frame *f = &h->frame;
	bool from_guest = (f->mstatus & MSTATUS_MPV) != 0;

	/*
	 * An exception in M-mode itself (a UBSan trap, a PMP fault under Smepmp,
	 * a monitor bug) has just overwritten the frame of the context it
	 * interrupted: nothing to resume, so stop rather than run the monitor on it.
	 */
	if (!(f->mcause & MCAUSE_INTERRUPT) && (f->mstatus & MSTATUS_MPP_M) == MSTATUS_MPP_M) {
		fw_m_trap_panic(f->mcause, f->mepc, f->mtval);
	}
	if (f->mcause & MCAUSE_INTERRUPT) {
		uint64_t irq = f->mcause & ~MCAUSE_INTERRUPT;
		if (irq == IRQ_M_SOFT) {
			fw_process_requests(h);
		}
		if (irq == IRQ_M_TIMER && !fw_has_sstc && !from_guest) {
			/* The host's SBI timer fired: hand it STIP, as Sstc would. */
			csr_clear(mie, UINT64_C(1) << IRQ_M_TIMER);
			csr_set(mip, MIP_STIP);
		}
		if (from_guest) {
			monitor_trap(h);
		}
	} else if (f->mcause == CAUSE_ECALL_HS && fw_sbi_owns(f->x[17])) {
		fw_sbi_handle(h);
	} else {
		monitor_trap(h);
	}
	guard_check(h->hartid);
}

void fw_m_trap_panic(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
	say("covemon: trap in M-mode, mcause ", mcause, "");
	say(" mepc ", mepc, "");
	say(" mtval ", mtval, "\n");
	hal_panic("unexpected trap in M-mode");
}
