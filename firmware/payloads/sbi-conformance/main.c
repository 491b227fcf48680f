// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI conformance payload: checks what the SBI implementation promised
 * at the hand-over, reads the platform from the FDT, then runs the checks
 * of every extension (one file each) and shuts the system down with SRST.
 * README.md describes the transcript.
 */
#include "conf.h"
#include "covemon/fdt.h"
#include "payload/console.h"
#include "payload/csr.h"
#include "payload/payload.h"
#include "payload/trap.h"

/* The FDT is read where the SBI left it; a larger blob is not believed. */
#define CONF_FDT_MAX (1024u * 1024u)

/* Where QEMU virt's -bios firmware (the SBI implementation itself) lives. */
#define CONF_FIRMWARE_ADDR UINT64_C(0x80000000)

/* QEMU virt's timebase when the FDT does not say. */
#define CONF_DEFAULT_TIMEBASE 10000000u

static uint32_t conf_be32(const volatile uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/*
 * Validates the FDT at @addr, reading its header with faults absorbed (a1
 * could be anything). Returns true with @fdt filled when it is a valid blob.
 */
static bool conf_fdt_open(unsigned long addr, struct fdt *fdt)
{
	const volatile uint8_t *hdr = (const volatile uint8_t *)addr;
	uint32_t magic = 0;
	uint32_t size = 0;
	unsigned long cause;

	if (addr == 0 || (addr & 7u) != 0) {
		return false;
	}
	trap_expect_arm();
	magic = conf_be32(hdr);
	size = conf_be32(hdr + 4);
	cause = trap_expect_disarm();
	if (cause != TRAP_NONE || magic != FDT_MAGIC || size > CONF_FDT_MAX) {
		return false;
	}
	return fdt_init(fdt, (const void *)addr, size) == MON_OK;
}

static void conf_read_fdt(const struct payload_hart_entry *entry, struct conf *c)
{
	struct fdt fdt;
	uint64_t size = 0;
	uint32_t timebase = 0;
	int cpus;

	c->timebase_hz = CONF_DEFAULT_TIMEBASE;
	if (!conf_fdt_open(entry->opaque, &fdt)) {
		conf_line("boot.a1_fdt invalid");
		return;
	}
	conf_line("boot.a1_fdt valid");
	if (fdt_memory(&fdt, &c->dram_base, &size) == MON_OK) {
		c->dram_end = c->dram_base + size;
	}
	conf_line("boot.fdt_memory %s", c->dram_end != 0 ? "found" : "missing");
	conf_line("impl.boot.fdt_memory 0x%lx-0x%lx", c->dram_base, c->dram_end);
	cpus = fdt_path_offset(&fdt, "/cpus");
	if (cpus != FDT_NO_NODE && fdt_prop_u32(&fdt, cpus, "timebase-frequency", &timebase) &&
	    timebase != 0) {
		c->timebase_hz = timebase;
	}
	conf_line("boot.fdt_timebase %s", timebase != 0 ? "found" : "missing");
	conf_line("boot.fdt_cpus %u", fdt_count_cpus(&fdt));
}

/* Whether S-mode may read the time CSR (mcounteren.TM); faults are absorbed. */
static bool conf_probe_rdtime(void)
{
	trap_expect_arm();
	(void)csr_read_time();
	return trap_expect_disarm() == TRAP_NONE;
}

int payload_main(const struct payload_hart_entry *entry)
{
	struct conf c = {
		.boot_hart = entry->hartid,
		.nharts = entry->hartid + 1,
	};
	struct sbiret r;

	conf_begin();
	/* SBI spec, HSM "Hart start register state" (the same promises at boot as Linux expects).
	 */
	conf_line("boot.satp %s", entry->satp == 0 ? "zero" : "nonzero");
	conf_line("boot.sstatus_sie %s", (entry->sstatus & SSTATUS_SIE) == 0 ? "clear" : "set");
	conf_read_fdt(entry, &c);
	/* The SBI implementation keeps its own memory (0x8000_0000 on QEMU virt) from S-mode. */
	conf_line("boot.sbi_memory_readable %s", conf_readable(CONF_FIRMWARE_ADDR) ? "yes" : "no");
	c.rdtime = conf_probe_rdtime();
	r = sbi_probe_extension(SBI_EXT_DBCN);
	c.dbcn = r.error == SBI_SUCCESS && r.value != 0;
	conf_line("impl.boot.hartid %lu", entry->hartid);
	conf_line("impl.boot.console %s",
		  console_backend_in_use() == CONSOLE_DBCN ? "dbcn" : "legacy");

	conf_base_run(&c);
	/* Counts the harts (c.nharts): every later check names harts relative to the boot hart. */
	conf_hsm_run_status(&c);
	conf_hsm_run_start(&c);
	conf_ipi_run(&c);
	conf_rfence_run(&c);
	conf_time_run(&c);
	conf_hsm_run_suspend(&c);
	conf_hsm_run_stop(&c);
	conf_dbcn_run(&c);
	conf_legacy_run(&c);
	conf_srst_run(&c);
	conf_line("payload.stack_guards %s",
		  payload_stack_guards_intact() ? "intact" : "overwritten");
	conf_line("srst.system_reset(shutdown,none) calling");
	conf_end();
	/* SRST shutdown with reason "none"; the run ends here when it works. */
	return 0;
}
