// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threat: the host plays with get_tsm_info's length: 0 and 47 (shorter than
 *         the structure, hoping for a partial or overlong write), and 2^63
 *         or 2^64 - 1 with the buffer in the last 48 bytes of host memory
 *         right below confidential memory, where the first confidential
 *         pages hold a TVM's G-stage root: a monitor that wrote len bytes
 *         (or rounded it) would overwrite that root.
 * Class: 2
 * Attacker: malicious host
 * Expected defence: len < 48 is INVALID_PARAM and writes nothing; any larger
 *         len writes exactly the 48-byte structure (value 48), validated as
 *         host memory, so the bytes after the structure and the TVM's root
 *         stay as they were and the guest still runs on its own tables.
 * Reference: CoVE sbi_cove.adoc sbi_covh_get_tsm_info (tsm_info_len);
 *         cove-abi.md section 3; attack-classes.md class 2.
 */
#include "attack.h"

#include <string.h>

#define PAGE	 4096u
#define INFO_LEN ((uint64_t)sizeof(struct cove_tsm_info))

/* Byte @off of vm_build's guest page @page. */
static uint8_t image_byte(unsigned int page, unsigned int off)
{
	return (uint8_t)(page * 31 + off * 7);
}

static void expect_short_refused(struct attack_env *e, uint64_t buf, uint64_t len)
{
	uint8_t state_before[48];
	uint8_t buf_before[128];
	uint8_t buf_after[128];

	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, buf, buf_before, sizeof(buf_before)));
	state_hash(&e->f, state_before);
	struct shim_sbiret r = host_attack(e, 0, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, len, 0);
	EXPECT_EQ(r.error, SBI_ERR_INVALID_PARAM);
	EXPECT_EQ(r.value, 0);
	expect_state_unchanged(e, state_before);
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, buf, buf_after, sizeof(buf_after)));
	EXPECT_MEM_EQ(buf_after, buf_before, sizeof(buf_before));
}

/* A call with a huge @len at @buf writes the 48 bytes and not one more. */
static void expect_exactly_48(struct attack_env *e, uint64_t buf, uint64_t len)
{
	static uint8_t root_before[4 * PAGE];
	static uint8_t root_after[4 * PAGE];
	uint8_t tail_before[64];
	uint8_t tail_after[64];
	struct cove_tsm_info info;
	struct mon_tvm_view t;
	bool tail_in_dram = shim_mem_read(&e->f.w->mem, buf + INFO_LEN, tail_before, 64);

	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, e->tvm, &t));
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, t.root, root_before, sizeof(root_before)));
	uint8_t zero[sizeof(struct cove_tsm_info)];

	memset(zero, 0, sizeof(zero));
	ASSERT_TRUE(shim_mem_write(&e->f.w->mem, buf, zero, INFO_LEN));
	struct shim_sbiret r = host_attack(e, 0, SBI_EXT_COVH, COVH_GET_TSM_INFO, buf, len, 0);
	EXPECT_EQ(r.error, SBI_SUCCESS);
	EXPECT_EQ(r.value, INFO_LEN);
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, buf, &info, sizeof(info)));
	EXPECT_EQ(info.tsm_state, COVE_TSM_READY);
	if (tail_in_dram) {
		ASSERT_TRUE(shim_mem_read(&e->f.w->mem, buf + INFO_LEN, tail_after, 64));
		EXPECT_MEM_EQ(tail_after, tail_before, sizeof(tail_before));
	}
	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, t.root, root_after, sizeof(root_after)));
	EXPECT_MEM_EQ(root_after, root_before, sizeof(root_before));
}

TEST(attack, a05_tsm_info_length_games)
{
	struct attack_env e;
	struct mon_tvm_view t;
	uint64_t v = 0;

	attack_env_init(&e, 1);
	uint64_t buf = e.vm.next_free;
	uint8_t fill[128];

	memset(fill, 0xee, sizeof(fill));
	ASSERT_TRUE(shim_mem_write(&e.f.w->mem, buf, fill, sizeof(fill)));

	expect_short_refused(&e, buf, 0);
	expect_short_refused(&e, buf, INFO_LEN - 1);

	/* The TVM's root is the first thing in confidential memory: right after the buffer. */
	ASSERT_TRUE(mon_introspect_tvm(e.f.mon, e.tvm, &t));
	ASSERT_EQ(t.root, e.f.conf.base);
	expect_exactly_48(&e, e.f.conf.base - INFO_LEN, UINT64_MAX);
	expect_exactly_48(&e, e.f.conf.base - INFO_LEN, UINT64_C(1) << 63);
	expect_exactly_48(&e, buf, UINT64_MAX - INFO_LEN + 1);

	/* Hardware effect: the host is still shut out, and the guest still
	 * translates through its intact root. */
	expect_host_cannot_reach(&e, e.f.conf.base, e.f.conf.size);
	EXPECT_FALSE(host_load(&e, 0, e.f.conf.base, &v));
	ASSERT_TRUE(host_run(&e, 0, 0));
	EXPECT_EQ(guest_load(&e, 0, VM_RAM_GPA + 5 * PAGE + 8, &v), SHIM_GUEST_DONE);
	EXPECT_EQ(v & 0xff, image_byte(5, 8));
	EXPECT_EQ(v >> 56, image_byte(5, 15));
	attack_env_fini(&e);
}
