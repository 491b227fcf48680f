// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPI extension (SBI spec, "IPI Extension", and "Hart list parameter" in
 * "Binary Encoding"). Delivery is observed through the runtime's count of
 * supervisor software interrupts on each target; the workers boot+1 and
 * boot+2 are running (hsm.c), boot+3 is stopped.
 */
#include "conf.h"
#include "payload/csr.h"
#include "payload/trap.h"

/*
 * Sends an IPI to (@mask, @base), writes the result as "ipi.send_ipi(@label)",
 * then, on success, whether each of the @n harts boot+@ks[i] took exactly one
 * more software interrupt within CONF_PATIENCE_MS.
 */
static void conf_ipi_send(const struct conf *c, const char *label, unsigned long mask,
			  unsigned long base, const unsigned long *ks, unsigned long n)
{
	unsigned long before[CONF_MAX_HARTS];
	struct conf_label l;
	struct conf_wait wait;
	struct sbiret r;

	for (unsigned long i = 0; i < n; i++) {
		before[i] = trap_irq_count(conf_hart(c, ks[i]), TRAP_IRQ_SOFT);
	}
	r = sbi_send_ipi(mask, base);
	conf_ret(r, CONF_NO_VALUE, "ipi.send_ipi(%s)", label);
	if (r.error != SBI_SUCCESS) {
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long hartid = conf_hart(c, ks[i]);
		unsigned long got = 0;

		conf_wait_start(c, &wait, CONF_PATIENCE_MS);
		while (!conf_wait_over(&wait)) {
			got = trap_irq_count(hartid, TRAP_IRQ_SOFT) - before[i];
			if (got != 0) {
				break;
			}
		}
		conf_line("ipi.send_ipi(%s).received(%s) %lu", label, conf_hart_label(ks[i], &l),
			  got);
	}
}

void conf_ipi_run(const struct conf *c)
{
	static const unsigned long self[] = { 0 };
	static const unsigned long first[] = { 1 };
	static const unsigned long workers[] = { 1, 2 };
	static const unsigned long all[] = { 0, 1, 2 };
	unsigned long w1 = conf_hart(c, 1);
	unsigned long w2 = conf_hart(c, 2);
	unsigned long low = w1 < w2 ? w1 : w2;
	struct sbiret r;

	csr_set_sie(SIE_SSIE);
	csr_set_sstatus(SSTATUS_SIE);
	conf_ipi_send(c, "self", 1, c->boot_hart, self, 1);
	if (c->nharts >= 2) {
		conf_ipi_send(c, "boot+1,base=hart", 1, w1, first, 1);
		conf_ipi_send(c, "boot+1,base=0", 1UL << w1, 0, first, 1);
	} else {
		conf_line("ipi.send_ipi(boot+1) skipped");
	}
	if (c->nharts >= 3) {
		conf_ipi_send(c, "workers,base=0", (1UL << w1) | (1UL << w2), 0, workers, 2);
		conf_ipi_send(c, "workers,base=lowest", ((1UL << w1) | (1UL << w2)) >> low, low,
			      workers, 2);
		conf_ipi_send(c, "all,base=-1", 0, SBI_HART_MASK_BASE_ALL, all, 3);
	} else {
		conf_line("ipi.send_ipi(workers) skipped");
	}
	if (c->nharts >= 4) {
		/* A stopped hart is a valid hart: the call succeeds, nothing is observable. */
		conf_ipi_send(c, "stopped_boot+3", 1, conf_hart(c, 3), self, 0);
	} else {
		conf_line("ipi.send_ipi(stopped_boot+3) skipped");
	}
	/* Invalid hart lists: SBI_ERR_INVALID_PARAM ("Hart list parameter"). */
	conf_ipi_send(c, "base=count,mask=0x1", 1, c->nharts, self, 0);
	conf_ipi_send(c, "base=0,mask=bit_count", 1UL << c->nharts, 0, self, 0);
	conf_ipi_send(c, "base=64,mask=0x1", 1, 64, self, 0);
	conf_ipi_send(c, "base=-2,mask=0x1", 1, ~0UL - 1, self, 0);
	/*
	 * An invalid hart_mask_base with an empty hart_mask: SBI v1.0 and v2.0
	 * return INVALID_PARAM for an invalid base; v3.0 says the base need not
	 * be valid unless bit 0 of the mask is set (so: no hart, no error).
	 */
	r = sbi_send_ipi(0, c->nharts);
	conf_ret_either(r, SBI_ERR_INVALID_PARAM, "ok-or-invalid_param",
			"ipi.send_ipi(base=count,mask=0x0)");
	r = sbi_ecall(SBI_EXT_IPI, CONF_UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "ipi.unknown_fid");
	csr_clear_sstatus(SSTATUS_SIE);
	csr_clear_sie(SIE_SSIE);
}
