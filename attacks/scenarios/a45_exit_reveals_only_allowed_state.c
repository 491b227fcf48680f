// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host pre-fills its registers and its NACL mailbox with a
 *         pattern, runs a vCPU whose registers and VS CSRs hold secrets, and
 *         after each kind of exit (host timer interrupt, external interrupt,
 *         WFI, forwarded DBCN write_byte) looks for any guest value or any
 *         change outside what that exit is allowed to show.
 * Class: 16
 * Attacker: malicious host
 * Expected defence: after every exit the host has exactly its own GPRs
 *         (a0 = 0, a1 = 0 for a resumable exit) and its own S/VS CSRs back
 *         (stval, htval, htinst, sscratch, vsscratch, vsepc, vsatp ...);
 *         NACL changes only in the slots the exit allows: none for an
 *         interrupt; htinst, vsie, vstimecmp for WFI; a0 = the byte,
 *         a1..a5 = 0, a6/a7 for DBCN.
 * Reference: cove-abi.md section 5 (read/write only what the exit allows)
 *         and section 7; DESIGN.md section 5 (I8).
 */
#include "attack.h"

#define HOST_TAG  UINT64_C(0x4057000000000000)
#define GUEST_TAG UINT64_C(0x6e57000000000000)
#define FILL	  UINT64_C(0xa5a5a5a55a5a5a5a)
#define INSN_WFI  UINT32_C(0x10500073)

static const unsigned int host_csrs[] = {
	SHIM_CSR_SSCRATCH,  SHIM_CSR_STVAL, SHIM_CSR_SEPC,   SHIM_CSR_HTVAL,   SHIM_CSR_HTINST,
	SHIM_CSR_VSSCRATCH, SHIM_CSR_VSEPC, SHIM_CSR_VSTVAL, SHIM_CSR_VSCAUSE,
};
#define NCSR (sizeof(host_csrs) / sizeof(host_csrs[0]))

enum kind { TIMER, EXTERNAL, WFI, DBCN, KINDS };

struct slot {
	unsigned int off;
	uint64_t value;
};

/* The NACL slots @k may write, with their values. */
static unsigned int allowed(enum kind k, struct slot s[8])
{
	switch (k) {
	case WFI:
		s[0] = (struct slot){ nacl_csr_offset(NACL_CSR_HTINST), INSN_WFI };
		s[1] = (struct slot){ nacl_csr_offset(NACL_CSR_VSIE), UINT64_C(1) << 5 };
		s[2] = (struct slot){ nacl_csr_offset(NACL_CSR_VSTIMECMP), 123456 };
		return 3;
	case DBCN:
		for (unsigned int i = 0; i < 8; i++) {
			s[i] = (struct slot){ NACL_SCRATCH_GPR_OFFSET(10 + i), 0 };
		}
		s[0].value = 0x41;
		s[6].value = SBI_DBCN_CONSOLE_WRITE_BYTE;
		s[7].value = SBI_EXT_DBCN;
		return 8;
	default: return 0;
	}
}

static void one_exit(struct attack_env *e, enum kind k)
{
	struct shim_hart *h = &e->f.w->hart[0];
	struct slot ok[8];
	unsigned int nok = allowed(k, ok);

	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		nacl_write(&e->f, e->vm.nacl, o, FILL ^ o);
	}
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, HOST_TAG | i);
	}
	for (unsigned int c = 0; c < NCSR; c++) {
		ASSERT_TRUE(
			shim_csr_write(h, host_csrs[c], HOST_TAG | ((uint64_t)host_csrs[c] << 8)));
	}
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSATP, 0));
	uint64_t pc = h->pc;
	ASSERT_TRUE(host_run(e, 0, 0));

	/* The guest fills everything it owns with secrets. */
	for (unsigned int i = 1; i < 32; i++) {
		shim_hart_set_x(h, i, GUEST_TAG | i);
	}
	for (unsigned int c = 0; c < NCSR; c++) {
		if (host_csrs[c] >= 0x200 && host_csrs[c] < 0x300) {
			ASSERT_TRUE(shim_csr_write(h, host_csrs[c],
						   GUEST_TAG | ((uint64_t)host_csrs[c] << 8)));
		}
	}
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSATP, (UINT64_C(8) << 60) | 0x6e57));
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSIE, UINT64_C(1) << 5));
	ASSERT_TRUE(shim_csr_write(h, SHIM_CSR_VSTIMECMP, 123456));

	switch (k) {
	case TIMER:
		h->csr.stimecmp = 0;
		shim_world_update_timers(e->f.w);
		ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, 0));
		h->csr.stimecmp = UINT64_MAX;
		shim_world_update_timers(e->f.w);
		break;
	case EXTERNAL:
		shim_world_set_irq(e->f.w, 0, SHIM_IRQ_SEI, true);
		ASSERT_TRUE(shim_mon_interrupt(e->f.w, e->f.mon, 0));
		shim_world_set_irq(e->f.w, 0, SHIM_IRQ_SEI, false);
		break;
	case WFI:
		ASSERT_EQ(shim_hart_trap(h, SHIM_CAUSE_VIRTUAL_INSN, INSN_WFI, 0, 0, false),
			  SHIM_MODE_M);
		EXPECT_EQ(shim_mon_deliver(e->f.w, e->f.mon, 0), MON_ACTION_EXIT_TO_HOST);
		break;
	default: {
		uint64_t args[6] = { UINT64_C(0xDEADBEEF00ABCD41),
				     GUEST_TAG | 11,
				     GUEST_TAG | 12,
				     GUEST_TAG | 13,
				     GUEST_TAG | 14,
				     GUEST_TAG | 15 };
		(void)shim_mon_ecall(e->f.w, e->f.mon, 0, SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE,
				     args);
		break;
	}
	}
	attack_check(e, 110 + k);
	ASSERT_EQ(h->mode, SHIM_MODE_HS);
	EXPECT_EQ(h->pc, pc + 4);

	/* GPRs: exactly the host's, with the run call's a0..a7 and the exit's a0/a1. */
	for (unsigned int i = 1; i < 32; i++) {
		uint64_t want = HOST_TAG | i;
		if (i >= 10 && i <= 15) {
			want = 0; /* a0 = SUCCESS, a1 = resumable; a2..a5 as the call passed them */
		} else if (i == 16) {
			want = COVH_RUN_TVM_VCPU;
		} else if (i == 17) {
			want = SBI_EXT_COVH;
		}
		uint64_t host_gpr_after_exit = h->x[i];
		EXPECT_EQ(host_gpr_after_exit, want);
	}
	/* CSRs: the host's own again, nothing of the guest's. */
	for (unsigned int c = 0; c < NCSR; c++) {
		uint64_t v = 0;
		ASSERT_TRUE(shim_csr_read(h, host_csrs[c], &v));
		uint64_t host_csr_after_exit = v;
		EXPECT_EQ(host_csr_after_exit, HOST_TAG | ((uint64_t)host_csrs[c] << 8));
	}
	EXPECT_EQ(h->csr.vsatp, 0);
	/* NACL: only the allowed slots, only the allowed values. */
	for (unsigned int o = 0; o < NACL_SHMEM_SIZE; o += 8) {
		uint64_t want = FILL ^ o;
		for (unsigned int s = 0; s < nok; s++) {
			want = ok[s].off == o ? ok[s].value : want;
		}
		uint64_t nacl_slot = nacl_read(&e->f, e->vm.nacl, o);
		EXPECT_EQ(nacl_slot, want);
		EXPECT_NE(nacl_slot >> 48, GUEST_TAG >> 48); /* no guest value */
	}
}

TEST(attack, a45_exit_reveals_only_allowed_state)
{
	struct attack_env e;

	attack_env_init(&e, 1);
	for (unsigned int round = 0; round < 2; round++) {
		for (unsigned int k = 0; k < KINDS; k++) {
			one_exit(&e, (enum kind)k);
		}
	}
	attack_env_fini(&e);
}
