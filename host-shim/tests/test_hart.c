// SPDX-License-Identifier: BSD-2-Clause
/* Emulated hart: CSR WARL rules, trap entry and return, interrupt selection. */
#include "shim/hart.h"
#include "test.h"

static struct shim_hart fresh_hart(void)
{
	struct shim_hart h;

	shim_hart_reset(&h, 3, 16, false, 14, 0x80000000);
	return h;
}

static uint64_t csr(const struct shim_hart *h, unsigned int num)
{
	uint64_t v = 0;

	ASSERT_TRUE(shim_csr_read(h, num, &v));
	return v;
}

TEST(hart, reset_enters_m_mode_at_the_reset_vector_with_hartid)
{
	struct shim_hart h = fresh_hart();

	EXPECT_EQ(h.mode, SHIM_MODE_M);
	EXPECT_EQ(h.pc, 0x80000000);
	EXPECT_EQ(csr(&h, SHIM_CSR_MHARTID), 3);
	EXPECT_EQ(h.pmp.count, 16);
}

TEST(hart, x0_stays_zero)
{
	struct shim_hart h = fresh_hart();

	shim_hart_set_x(&h, 0, 123);
	shim_hart_set_x(&h, 10, 456);
	EXPECT_EQ(h.x[0], 0);
	EXPECT_EQ(h.x[10], 456);
}

TEST(hart, unknown_csr_is_rejected)
{
	struct shim_hart h = fresh_hart();
	uint64_t v;

	EXPECT_FALSE(shim_csr_read(&h, 0x7c0, &v));
	EXPECT_FALSE(shim_csr_write(&h, 0x7c0, 1));
	/* RV64 has no odd pmpcfg registers */
	EXPECT_FALSE(shim_csr_read(&h, SHIM_CSR_PMPCFG0 + 1, &v));
}

TEST(hart, hgatp_ppn_low_two_bits_read_as_zero)
{
	struct shim_hart h = fresh_hart();
	uint64_t v = ((uint64_t)SHIM_ATP_MODE_SV48 << 60) | 0x80007;

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_HGATP, v));
	EXPECT_EQ(csr(&h, SHIM_CSR_HGATP) & SHIM_ATP_PPN_MASK, 0x80004);
	EXPECT_EQ(csr(&h, SHIM_CSR_HGATP) >> 60, SHIM_ATP_MODE_SV48);
}

TEST(hart, hgatp_vmid_is_limited_to_vmidlen)
{
	struct shim_hart h;

	shim_hart_reset(&h, 0, 16, false, 7, 0x80000000);
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_HGATP, UINT64_C(0x3fff) << SHIM_HGATP_VMID_SHIFT));
	EXPECT_EQ((csr(&h, SHIM_CSR_HGATP) >> SHIM_HGATP_VMID_SHIFT) & 0x3fff, 0x7f);
}

TEST(hart, hgatp_unsupported_mode_is_legalised_to_bare)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_HGATP, (UINT64_C(5) << 60) | 0x1000));
	EXPECT_EQ(csr(&h, SHIM_CSR_HGATP) >> 60, SHIM_ATP_MODE_BARE);
}

TEST(hart, satp_write_with_unsupported_mode_has_no_effect)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_SATP, (UINT64_C(8) << 60) | 5));
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_SATP, (UINT64_C(3) << 60) | 9));
	EXPECT_EQ(csr(&h, SHIM_CSR_SATP), (UINT64_C(8) << 60) | 5);
}

TEST(hart, mideleg_vs_interrupts_are_read_only_one)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_MIDELEG, 0));
	EXPECT_EQ(csr(&h, SHIM_CSR_MIDELEG), 0x1444);
}

TEST(hart, medeleg_cannot_delegate_ecall_from_m)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_MEDELEG, UINT64_MAX));
	EXPECT_EQ((csr(&h, SHIM_CSR_MEDELEG) >> SHIM_CAUSE_ECALL_M) & 1, 0);
	EXPECT_EQ((csr(&h, SHIM_CSR_MEDELEG) >> SHIM_CAUSE_LOAD_GUEST_PAGE) & 1, 1);
}

TEST(hart, hedeleg_cannot_delegate_guest_page_faults_or_hs_ecalls)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_HEDELEG, UINT64_MAX));
	EXPECT_EQ((csr(&h, SHIM_CSR_HEDELEG) >> SHIM_CAUSE_LOAD_GUEST_PAGE) & 1, 0);
	EXPECT_EQ((csr(&h, SHIM_CSR_HEDELEG) >> SHIM_CAUSE_ECALL_VS) & 1, 0);
	EXPECT_EQ((csr(&h, SHIM_CSR_HEDELEG) >> SHIM_CAUSE_ECALL_U) & 1, 1);
}

TEST(hart, pmpcfg_csr_packs_eight_entries_and_respects_locks)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_PMPCFG0, 0x1f1f1f1f1f1f1f9f));
	EXPECT_EQ(h.pmp.cfg[0], 0x9f);
	EXPECT_EQ(h.pmp.cfg[7], 0x1f);
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_PMPCFG0, 0));
	EXPECT_EQ(h.pmp.cfg[0], 0x9f); /* locked */
	EXPECT_EQ(h.pmp.cfg[1], 0);
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_PMPADDR0 + 2, 0x1234));
	EXPECT_EQ(csr(&h, SHIM_CSR_PMPADDR0 + 2), 0x1234);
}

TEST(hart, sstatus_is_a_view_of_mstatus)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_MSTATUS, SHIM_MSTATUS_SIE | SHIM_MSTATUS_MIE));
	EXPECT_EQ(csr(&h, SHIM_CSR_SSTATUS), SHIM_MSTATUS_SIE);
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_SSTATUS, UINT64_MAX));
	EXPECT_TRUE(csr(&h, SHIM_CSR_MSTATUS) & SHIM_MSTATUS_MIE);
	EXPECT_FALSE(csr(&h, SHIM_CSR_MSTATUS) & SHIM_MSTATUS_MPP);
}

TEST(hart, ecall_from_vs_traps_to_m_with_mpv_and_mpp)
{
	struct shim_hart h = fresh_hart();

	h.mode = SHIM_MODE_VS;
	h.pc = 0x1000;
	h.csr.mtvec = 0x80000100;
	EXPECT_EQ(shim_hart_trap(&h, SHIM_CAUSE_ECALL_VS, 0, 0, 0, false), SHIM_MODE_M);
	EXPECT_EQ(h.csr.mepc, 0x1000);
	EXPECT_EQ(h.csr.mcause, SHIM_CAUSE_ECALL_VS);
	EXPECT_EQ((h.csr.mstatus & SHIM_MSTATUS_MPP) >> SHIM_MSTATUS_MPP_SHIFT, SHIM_PRIV_S);
	EXPECT_TRUE(h.csr.mstatus & SHIM_MSTATUS_MPV);
	EXPECT_EQ(h.pc, 0x80000100);
}

TEST(hart, guest_page_fault_records_tval2_tinst_and_gva)
{
	struct shim_hart h = fresh_hart();

	h.mode = SHIM_MODE_VU;
	shim_hart_trap(&h, SHIM_CAUSE_LOAD_GUEST_PAGE, 0x4000, 0x4000 >> 2, 0x3003, true);
	EXPECT_EQ(h.csr.mtval, 0x4000);
	EXPECT_EQ(h.csr.mtval2, 0x1000);
	EXPECT_EQ(h.csr.mtinst, 0x3003);
	EXPECT_TRUE(h.csr.mstatus & SHIM_MSTATUS_GVA);
	EXPECT_EQ((h.csr.mstatus & SHIM_MSTATUS_MPP) >> SHIM_MSTATUS_MPP_SHIFT, SHIM_PRIV_U);
}

TEST(hart, mret_returns_to_the_guest_and_restores_mie)
{
	struct shim_hart h = fresh_hart();

	h.mode = SHIM_MODE_VS;
	h.csr.mstatus = SHIM_MSTATUS_MIE;
	h.pc = 0x2000;
	shim_hart_trap(&h, SHIM_CAUSE_ECALL_VS, 0, 0, 0, false);
	EXPECT_FALSE(h.csr.mstatus & SHIM_MSTATUS_MIE);
	h.csr.mepc += 4;
	shim_hart_mret(&h);
	EXPECT_EQ(h.mode, SHIM_MODE_VS);
	EXPECT_EQ(h.pc, 0x2004);
	EXPECT_TRUE(h.csr.mstatus & SHIM_MSTATUS_MIE);
	EXPECT_FALSE(h.csr.mstatus & SHIM_MSTATUS_MPV);
}

TEST(hart, mret_to_hs_clears_mprv)
{
	struct shim_hart h = fresh_hart();

	h.csr.mstatus = SHIM_MSTATUS_MPRV | ((uint64_t)SHIM_PRIV_S << SHIM_MSTATUS_MPP_SHIFT);
	shim_hart_mret(&h);
	EXPECT_EQ(h.mode, SHIM_MODE_HS);
	EXPECT_FALSE(h.csr.mstatus & SHIM_MSTATUS_MPRV);
}

TEST(hart, delegated_guest_exception_goes_to_hs_with_spv)
{
	struct shim_hart h = fresh_hart();

	h.csr.medeleg = UINT64_C(1) << SHIM_CAUSE_LOAD_GUEST_PAGE;
	h.csr.stvec = 0x80400000;
	h.mode = SHIM_MODE_VS;
	h.pc = 0x3000;
	EXPECT_EQ(shim_hart_trap(&h, SHIM_CAUSE_LOAD_GUEST_PAGE, 8, 2, 0, true), SHIM_MODE_HS);
	EXPECT_EQ(h.csr.sepc, 0x3000);
	EXPECT_EQ(h.csr.htval, 2);
	EXPECT_TRUE(h.csr.hstatus & SHIM_HSTATUS_SPV);
	EXPECT_TRUE(h.csr.hstatus & SHIM_HSTATUS_GVA);
	EXPECT_EQ(h.pc, 0x80400000);
}

TEST(hart, exception_delegated_twice_reaches_vs)
{
	struct shim_hart h = fresh_hart();

	h.csr.medeleg = UINT64_C(1) << SHIM_CAUSE_ILLEGAL_INSN;
	h.csr.hedeleg = UINT64_C(1) << SHIM_CAUSE_ILLEGAL_INSN;
	h.csr.vstvec = 0x9000;
	h.mode = SHIM_MODE_VU;
	EXPECT_EQ(shim_hart_trap(&h, SHIM_CAUSE_ILLEGAL_INSN, 0, 0, 0, false), SHIM_MODE_VS);
	EXPECT_EQ(h.csr.vscause, SHIM_CAUSE_ILLEGAL_INSN);
	EXPECT_EQ(h.pc, 0x9000);
}

TEST(hart, exceptions_in_m_mode_stay_in_m_whatever_medeleg_says)
{
	struct shim_hart h = fresh_hart();

	h.csr.medeleg = UINT64_MAX;
	EXPECT_EQ(shim_hart_trap(&h, SHIM_CAUSE_LOAD_ACCESS, 0, 0, 0, false), SHIM_MODE_M);
}

TEST(hart, sret_from_hs_enters_the_guest_named_by_spv)
{
	struct shim_hart h = fresh_hart();

	h.mode = SHIM_MODE_HS;
	h.csr.hstatus = SHIM_HSTATUS_SPV;
	h.csr.mstatus = SHIM_MSTATUS_SPP;
	h.csr.sepc = 0x7000;
	shim_hart_sret(&h);
	EXPECT_EQ(h.mode, SHIM_MODE_VS);
	EXPECT_EQ(h.pc, 0x7000);
	EXPECT_FALSE(h.csr.hstatus & SHIM_HSTATUS_SPV);
}

TEST(hart, vectored_mtvec_applies_to_interrupts_only)
{
	struct shim_hart h = fresh_hart();

	h.csr.mtvec = 0x80001001;
	h.mode = SHIM_MODE_HS;
	shim_hart_trap(&h, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_MTI, 0, 0, 0, false);
	EXPECT_EQ(h.pc, 0x80001000 + 4 * SHIM_IRQ_MTI);
	h.mode = SHIM_MODE_HS;
	shim_hart_trap(&h, SHIM_CAUSE_ECALL_HS, 0, 0, 0, false);
	EXPECT_EQ(h.pc, 0x80001000);
}

TEST(hart, machine_timer_interrupt_preempts_a_guest)
{
	struct shim_hart h = fresh_hart();
	uint64_t cause;
	enum shim_mode to;

	h.mode = SHIM_MODE_VS;
	h.csr.mie = UINT64_C(1) << SHIM_IRQ_MTI;
	h.csr.mip = UINT64_C(1) << SHIM_IRQ_MTI;
	ASSERT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
	EXPECT_EQ(cause, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_MTI);
	EXPECT_EQ(to, SHIM_MODE_M);
}

TEST(hart, m_mode_interrupts_wait_for_mstatus_mie_in_m)
{
	struct shim_hart h = fresh_hart();
	uint64_t cause;
	enum shim_mode to;

	h.csr.mie = UINT64_C(1) << SHIM_IRQ_MSI;
	h.csr.mip = UINT64_C(1) << SHIM_IRQ_MSI;
	EXPECT_FALSE(shim_hart_pending_interrupt(&h, &cause, &to));
	h.csr.mstatus |= SHIM_MSTATUS_MIE;
	EXPECT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
}

TEST(hart, external_beats_software_beats_timer)
{
	struct shim_hart h = fresh_hart();
	uint64_t cause;
	enum shim_mode to;

	h.mode = SHIM_MODE_HS;
	h.csr.mie = h.csr.mip = (UINT64_C(1) << SHIM_IRQ_MTI) | (UINT64_C(1) << SHIM_IRQ_MSI);
	ASSERT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
	EXPECT_EQ(cause & 63, SHIM_IRQ_MSI);
	h.csr.mie |= UINT64_C(1) << SHIM_IRQ_MEI;
	h.csr.mip |= UINT64_C(1) << SHIM_IRQ_MEI;
	ASSERT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
	EXPECT_EQ(cause & 63, SHIM_IRQ_MEI);
}

TEST(hart, hvip_injected_vs_interrupt_reaches_vs_only_when_delegated)
{
	struct shim_hart h = fresh_hart();
	uint64_t cause;
	enum shim_mode to;

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_MIDELEG, 0));
	h.csr.mie = UINT64_C(1) << SHIM_IRQ_VSTI;
	h.csr.hvip = UINT64_C(1) << SHIM_IRQ_VSTI;
	h.mode = SHIM_MODE_VU;
	/* not in hideleg: HS takes it */
	ASSERT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
	EXPECT_EQ(to, SHIM_MODE_HS);
	h.csr.hideleg = UINT64_C(1) << SHIM_IRQ_VSTI;
	ASSERT_TRUE(shim_hart_pending_interrupt(&h, &cause, &to));
	EXPECT_EQ(to, SHIM_MODE_VS);
	/* a VS-level interrupt never interrupts the host */
	h.mode = SHIM_MODE_HS;
	h.csr.mstatus |= SHIM_MSTATUS_SIE;
	EXPECT_FALSE(shim_hart_pending_interrupt(&h, &cause, &to));
}

TEST(hart, vs_trap_for_vs_interrupt_reports_the_guest_cause_number)
{
	struct shim_hart h = fresh_hart();

	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_MIDELEG, 0));
	h.csr.hideleg = UINT64_C(1) << SHIM_IRQ_VSTI;
	h.mode = SHIM_MODE_VU;
	EXPECT_EQ(shim_hart_trap(&h, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_VSTI, 0, 0, 0, false),
		  SHIM_MODE_VS);
	/* the guest sees a supervisor timer interrupt (5), not VSTI (6) */
	EXPECT_EQ(h.csr.vscause, SHIM_CAUSE_INTERRUPT | SHIM_IRQ_STI);
}

TEST(hart, vsie_is_hie_shifted_for_delegated_bits)
{
	struct shim_hart h = fresh_hart();

	h.csr.hideleg = UINT64_C(1) << SHIM_IRQ_VSTI;
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_VSIE, UINT64_C(1) << SHIM_IRQ_STI));
	EXPECT_TRUE(h.csr.mie & (UINT64_C(1) << SHIM_IRQ_VSTI));
	ASSERT_TRUE(shim_csr_write(&h, SHIM_CSR_VSIE, UINT64_C(1) << SHIM_IRQ_SEI));
	EXPECT_FALSE(h.csr.mie & (UINT64_C(1) << SHIM_IRQ_VSEI));
}
