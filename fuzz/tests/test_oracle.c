// SPDX-License-Identifier: BSD-2-Clause
/*
 * The incremental oracle (fuzz/common/oracle.c) against the same invariants
 * computed from scratch: the same verdict and the same cached table walk
 * after every operation of every seed and of random sequences; and
 * violations planted in the emulated machine behind the engine's back are
 * found by the incremental oracle with a warm cache.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/introspect.h"
#include "test.h"
#include "world_internal.h"

#define VM_GPA	   UINT64_C(0x80000000)
#define PTE_V	   UINT64_C(1)
#define PTE_LEAF   UINT64_C(0xCF) /* V R W X A D */
#define STATE_TVM  0x10		  /* CONFIG: one TVM promoted, nobody running */
#define STATE_RUNS 0x20		  /* CONFIG: vCPU 0 of that TVM running on hart 0 */

static struct fuzz_verdict inc;
static struct fuzz_verdict full;

/* Both oracles on @fw after operation @op: they must agree. Returns the incremental verdict. */
static bool both_agree(struct fuzz_world *fw, unsigned int op)
{
	bool a = fuzz_oracle_verdict(fw, op, FUZZ_ORACLE_INCREMENTAL, &inc);
	bool b = fuzz_oracle_verdict(fw, op, FUZZ_ORACLE_FULL, &full);

	EXPECT_EQ(a, b);
	if (a != b) {
		fprintf(stderr, "op %u: incremental %s (%s), from scratch %s (%s)\n", op,
			a ? "held" : inc.invariant, inc.detail, b ? "held" : full.invariant,
			full.detail);
	}
	if (!a && !b) {
		EXPECT_EQ(strcmp(inc.invariant, full.invariant), 0);
	}
	if (a && b) {
		const struct fuzz_walk *c = &fw->cache.walk;
		const struct fuzz_walk *s = &fw->walk_full;
		EXPECT_EQ(memcmp(c->key, s->key, sizeof(c->key)), 0);
		EXPECT_EQ(memcmp(c->data, s->data, sizeof(c->data)), 0);
		EXPECT_EQ(memcmp(c->tables, s->tables, sizeof(c->tables)), 0);
		EXPECT_EQ(memcmp(c->state, s->state, sizeof(c->state)), 0);
		EXPECT_EQ(memcmp(c->owner, s->owner, sizeof(c->owner)), 0);
	}
	return a;
}

/* Runs @in with both oracles after every operation; returns how many operations ran. */
static unsigned int run_both(const struct fuzz_input *in)
{
	struct fuzz_world *fw = fuzz_world_for(in->config);
	unsigned int i;

	fuzz_reset(fw);
	for (i = 0; i < in->nops; i++) {
		fuzz_perform(fw, in, i);
		if (!both_agree(fw, i)) {
			return i + 1; /* a real violation, found by both: the input ends here */
		}
	}
	return i;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, cap, f);
		fclose(f);
	}
	return n;
}

/* Every file of @dir (seeds, regressions) through run_both; returns the operations run. */
static unsigned int run_dir(const char *dir)
{
	static struct fuzz_input in;
	static uint8_t buf[1u << 16];
	char path[512];
	unsigned int ops = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	ASSERT_TRUE(d != NULL);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".bin") != 0) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = read_file(path, buf, sizeof(buf));
		if (fuzz_parse(buf, n, &in)) {
			ops += run_both(&in);
		}
	}
	closedir(d);
	return ops;
}

TEST(fuzz_oracle, incremental_agrees_with_scratch_on_every_seed)
{
	unsigned int ops = run_dir(FUZZ_DIR "/corpus/sequence");

	ops += run_dir(FUZZ_DIR "/regressions/sequence");
	EXPECT_GT(ops, 400);
}

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random sequences: seeds with bytes flipped, chunks of other seeds spliced
 * in, random configurations. Deterministic (fixed generator state).
 */
TEST(fuzz_oracle, incremental_agrees_with_scratch_on_random_sequences)
{
	static uint8_t seeds[64][2048];
	static size_t seed_len[64];
	static uint8_t buf[4096];
	static struct fuzz_input in;
	unsigned int nseeds = 0;
	unsigned int ops = 0;
	char path[512];
	DIR *d = opendir(FUZZ_DIR "/corpus/sequence");
	struct dirent *e;

	ASSERT_TRUE(d != NULL);
	while ((e = readdir(d)) != NULL && nseeds < 64) {
		if (strstr(e->d_name, ".bin")) {
			snprintf(path, sizeof(path), "%s/%s", FUZZ_DIR "/corpus/sequence",
				 e->d_name);
			seed_len[nseeds] = read_file(path, seeds[nseeds], sizeof(seeds[0]));
			nseeds += seed_len[nseeds] > 2;
		}
	}
	closedir(d);
	ASSERT_GT(nseeds, 10);
	for (unsigned int k = 0; k < 300; k++) {
		unsigned int s = (unsigned int)(rng() % nseeds);
		size_t n = seed_len[s];

		memcpy(buf, seeds[s], n);
		for (unsigned int m = (unsigned int)(rng() % 8); m > 0; m--) {
			uint64_t r = rng();
			size_t at = 2 + (size_t)(r >> 8) % (n - 2);
			switch (r % 4) {
			case 0: buf[at] ^= (uint8_t)(1u << ((r >> 4) % 8)); break;
			case 1: buf[at] = (uint8_t)(r >> 40); break;
			case 2: { /* splice the tail of another seed after a separator */
				unsigned int o = (unsigned int)((r >> 16) % nseeds);
				size_t from = 2 + (size_t)(r >> 24) % (seed_len[o] - 2);
				size_t take = seed_len[o] - from;
				if (at + FUZZ_SEP_LEN + take <= sizeof(buf)) {
					memcpy(buf + at, fuzz_sep, FUZZ_SEP_LEN);
					memcpy(buf + at + FUZZ_SEP_LEN, seeds[o] + from, take);
					n = at + FUZZ_SEP_LEN + take;
				}
				break;
			}
			default: n = at + 1; break; /* truncate */
			}
		}
		if (rng() % 4 == 0) {
			buf[1] = (uint8_t)rng(); /* another configuration */
		}
		if (fuzz_parse(buf, n, &in)) {
			ops += run_both(&in);
		}
	}
	EXPECT_GT(ops, 1000);
}

/* ----------------------------------------------------- planted bugs --- */

/* The prepared world of @config, reset, with the incremental oracle's cache warm. */
static struct fuzz_world *warm_world(uint8_t config)
{
	struct fuzz_world *fw = fuzz_world_for(config);

	fuzz_reset(fw);
	shim_hal_bind(fw->w);
	ASSERT_TRUE(fuzz_oracle_verdict(fw, 0, FUZZ_ORACLE_INCREMENTAL, &inc));
	ASSERT_TRUE(fw->cache.valid);
	return fw;
}

/* The incremental verdict after the plant names @invariant, and the full one agrees. */
static void expect_found(struct fuzz_world *fw, const char *invariant)
{
	bool ok = fuzz_oracle_verdict(fw, 1, FUZZ_ORACLE_INCREMENTAL, &inc);

	EXPECT_FALSE(ok);
	if (!ok) {
		EXPECT_EQ(strncmp(inc.invariant, invariant, strlen(invariant)), 0);
	}
	EXPECT_FALSE(fuzz_oracle_verdict(fw, 1, FUZZ_ORACLE_FULL, &full));
	/* The world is broken now, by writes no tracking saw: the next reset must restore all
	 * of the monitor. */
	fw->state_ref = NULL;
	shim_track_lines(&fw->w->mem, fw->plat.data.base - fw->w->mem.base, fw->state_len);
}

/* The monitor's page records, writable as the monitor writes them (not through the shim). */
static struct mon_page_view *records(struct fuzz_world *fw, uint64_t *n)
{
	return (struct mon_page_view *)(uintptr_t)mon_introspect_pages(fw->mon, n);
}

/* A record change as the monitor would make it: a store (reported, as tracked builds see the
 * monitor's), while the monitor runs. */
static void set_record(struct fuzz_world *fw, uint64_t idx, uint8_t state, uint8_t owner)
{
	uint64_t n;
	struct mon_page_view *rec = records(fw, &n);

	rec[idx].state = state;
	rec[idx].owner = owner;
	shim_track_write(&rec[idx], sizeof(rec[idx]));
	fw->w->monitor_entries++;
}

static uint64_t first_page(struct fuzz_world *fw, unsigned int state)
{
	uint64_t n;
	const struct mon_page_view *rec = records(fw, &n);

	for (uint64_t p = 0; p < n; p++) {
		if (rec[p].state == state) {
			return fw->conf.base + p * SHIM_PAGE_SIZE;
		}
	}
	return 0;
}

/* Where the leaf PTE for @gpa of TVM @id lies (its tables in emulated memory). */
static uint64_t leaf_pte_addr(struct fuzz_world *fw, uint64_t id, uint64_t gpa)
{
	struct mon_tvm_view t;
	uint64_t table;
	unsigned int levels;

	if (!mon_introspect_tvm(fw->mon, id, &t)) {
		return 0;
	}
	levels = t.hgatp_mode == 9 ? 4 : t.hgatp_mode == 10 ? 5 : 3;
	table = t.root;
	for (unsigned int l = levels; l-- > 0;) {
		uint64_t mask = l == levels - 1 ? 0x7FF : 0x1FF; /* x4: a 2048-entry root */
		uint64_t at = table + ((gpa >> (12 + 9 * l)) & mask) * 8;
		uint64_t pte = 0;
		if (!shim_mem_read(&fw->w->mem, at, &pte, 8) || !(pte & PTE_V)) {
			return 0;
		}
		if (pte & 0xE) {
			return at;
		}
		table = ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
	}
	return 0;
}

TEST(fuzz_oracle, incremental_finds_data_written_to_a_free_page)
{
	struct fuzz_world *fw = warm_world(STATE_TVM);
	uint64_t pa = first_page(fw, MON_PAGE_FREE);
	uint64_t v = 0x5EC12E7;

	ASSERT_NE(pa, 0);
	ASSERT_TRUE(shim_mem_write(&fw->w->mem, pa + 128, &v, 8));
	expect_found(fw, "I6");
}

TEST(fuzz_oracle, incremental_finds_a_page_freed_without_scrub)
{
	struct fuzz_world *fw = warm_world(STATE_TVM);
	uint64_t n;
	struct mon_page_view *rec = records(fw, &n);
	uint64_t at = 0;
	uint64_t idx = 0;
	uint64_t zero = 0;

	/* A TVM page that holds data (the image's), and the PTE that maps it. */
	for (uint64_t gpa = VM_GPA; gpa < VM_GPA + 64 * SHIM_PAGE_SIZE && !at;
	     gpa += SHIM_PAGE_SIZE) {
		uint64_t a = leaf_pte_addr(fw, 1, gpa);
		uint64_t pte = 0;
		uint64_t word = 0;
		if (!a || !shim_mem_read(&fw->w->mem, a, &pte, 8)) {
			continue;
		}
		uint64_t pa = ((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12;
		for (uint64_t off = 0; off < SHIM_PAGE_SIZE && !word; off += 8) {
			(void)shim_mem_read(&fw->w->mem, pa + off, &word, 8);
		}
		if (word) {
			at = a;
			idx = (pa - fw->conf.base) / SHIM_PAGE_SIZE;
		}
	}
	ASSERT_NE(at, 0);
	ASSERT_LT(idx, n);
	ASSERT_EQ(rec[idx].state, MON_PAGE_TVM_DATA);
	/* A destroy that unmaps it and frees it without zeroing it: one table write
	 * (through the shim), one record change (in the monitor's own memory). */
	ASSERT_TRUE(shim_mem_write(&fw->w->mem, at, &zero, 8));
	set_record(fw, idx, MON_PAGE_FREE, 0);
	expect_found(fw, "I6");
}

TEST(fuzz_oracle, incremental_finds_a_leaf_onto_a_free_page)
{
	struct fuzz_world *fw = warm_world(STATE_TVM);
	uint64_t at = leaf_pte_addr(fw, 1, VM_GPA);
	uint64_t pa = first_page(fw, MON_PAGE_FREE);
	uint64_t pte = ((pa >> 12) << 10) | PTE_LEAF | (UINT64_C(1) << 4);

	ASSERT_NE(at, 0);
	ASSERT_NE(pa, 0);
	ASSERT_TRUE(shim_mem_write(&fw->w->mem, at, &pte, 8));
	expect_found(fw, "I2");
}

TEST(fuzz_oracle, incremental_finds_a_record_no_table_reaches)
{
	struct fuzz_world *fw = warm_world(STATE_TVM);
	uint64_t pa = first_page(fw, MON_PAGE_FREE);

	ASSERT_NE(pa, 0);
	set_record(fw, (pa - fw->conf.base) / SHIM_PAGE_SIZE, MON_PAGE_TVM_DATA, 1);
	expect_found(fw, "I10");
}

TEST(fuzz_oracle, incremental_finds_a_host_pmp_opened_to_the_monitor)
{
	struct fuzz_world *fw = warm_world(STATE_TVM);
	struct shim_hart *hart = &fw->w->hart[0];

	ASSERT_EQ(hart->mode, SHIM_MODE_HS);
	/* Entry 0 (it wins): NAPOT over the whole address space, RWX. */
	ASSERT_TRUE(shim_pmp_write_addr(&hart->pmp, 0, UINT64_MAX >> 10));
	ASSERT_TRUE(shim_pmp_write_cfg(&hart->pmp, 0, 0x1F));
	expect_found(fw, "I1");
}

TEST(fuzz_oracle, incremental_finds_a_stale_tlb_entry)
{
	struct fuzz_world *fw = warm_world(STATE_RUNS);
	struct shim_hart *hart = &fw->w->hart[0];
	struct mon_tvm_view t;
	uint64_t pa = first_page(fw, MON_PAGE_FREE);

	ASSERT_TRUE(shim_mode_virt(hart->mode));
	ASSERT_TRUE(mon_introspect_tvm(fw->mon, 1, &t));
	ASSERT_NE(pa, 0);
	shim_tlb_insert(&hart->tlb, (uint16_t)t.vmid, VM_GPA, pa, 12, PTE_LEAF);
	expect_found(fw, "I9");
}

TEST(fuzz_oracle, incremental_finds_a_guest_mode_without_a_vcpu)
{
	struct fuzz_world *fw = warm_world(STATE_TVM | 1); /* two harts, nobody running */

	ASSERT_EQ(fw->w->hart[1].mode, SHIM_MODE_HS);
	fw->w->hart[1].mode = SHIM_MODE_VS;
	expect_found(fw, "I5");
}

TEST(fuzz_oracle, a_guest_load_that_hits_does_not_walk_the_tables_again)
{
	static struct fuzz_input in;
	const char *why = "?";
	struct fuzz_world *fw;

	ASSERT_EQ(fuzz_parse_text("version 1 config 0x20\n"
				  "access h0 load size=8 reg=5 gpa(0:4+0x0)\n"
				  "access h0 load size=8 reg=6 gpa(0:4+0x8)\n",
				  &in, &why),
		  0);
	fw = warm_world(in.config);
	fuzz_perform(fw, &in, 0);
	ASSERT_TRUE(fuzz_oracle_verdict(fw, 0, FUZZ_ORACLE_INCREMENTAL, &inc));
	uint64_t gen = fw->cache.walk_gen;
	fuzz_perform(fw, &in, 1);
	ASSERT_TRUE(fuzz_oracle_verdict(fw, 1, FUZZ_ORACLE_INCREMENTAL, &inc));
	EXPECT_EQ(fw->cache.walk_gen, gen);
}

/* The input in text form through run_both, every operation run; its world, or NULL. */
static struct fuzz_world *run_text(const char *text)
{
	static struct fuzz_input in;
	const char *why = "?";

	if (fuzz_parse_text(text, &in, &why)) {
		fprintf(stderr, "cannot parse the input: %s\n", why);
		return NULL;
	}
	EXPECT_EQ(run_both(&in), in.nops);
	return fuzz_world_for(in.config);
}

/*
 * BUILD_VM's FDT defects reach the monitor: the image promotes with a sound
 * FDT, and not with a broken magic or without CPUs. The FDT bytes come from a
 * table filled once, so each case runs twice, in both orders.
 */
TEST(fuzz_engine, build_vm_fdt_flaws_make_promote_fail)
{
	static const char *const flaws[] = { "none", "fdt_magic", "fdt_no_cpus", "none",
					     "fdt_magic" };
	for (unsigned int i = 0; i < sizeof(flaws) / sizeof(flaws[0]); i++) {
		char text[512];

		snprintf(text, sizeof(text),
			 "version 1 config 0x00\n"
			 "host h0 NACL fid=1 nacl(0) raw(0x0) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n"
			 "build_vm h0 slot=1 pages=3 vcpus=1 mode=0 flaw=%s param=0\n"
			 "host h0 COVH fid=7 fdt(1) raw(0x0) entry(1) raw(0x0) raw(0x0) raw(0x0)\n",
			 flaws[i]);
		struct fuzz_world *fw = run_text(text);
		ASSERT_TRUE(fw != NULL);
		EXPECT_EQ(fw->ntvm, strcmp(flaws[i], "none") == 0 ? 1u : 0u);
	}
}

/*
 * HOST_WRITE stores an arg's value when the size byte has bit 2 (so the host
 * can answer a share with its own page, which a raw u64 almost never names).
 * The text form says value=ARG; binary and text round-trip.
 */
TEST(fuzz_input, host_write_value_can_be_an_arg)
{
	static struct fuzz_input in;
	static struct fuzz_input again;
	uint8_t bin[256];
	const char *why = "?";

	ASSERT_EQ(fuzz_parse_text("version 1 config 0x00\n"
				  "host_write h0 size=8 host(400+0x58) value=host(8+0x10)\n"
				  "host_write h0 size=4 host(1+0x0) value=0x1234\n",
				  &in, &why),
		  0);
	ASSERT_EQ(in.nops, 2u);
	EXPECT_EQ(in.op[0].flags, FUZZ_WRITE_SYMBOLIC);
	EXPECT_EQ(in.op[0].val.tag, FUZZ_ARG_HOST);
	EXPECT_EQ(in.op[0].val.page, 8u);
	EXPECT_EQ(in.op[0].val.off, 0x10u);
	EXPECT_EQ(in.op[1].flags, 0u);
	EXPECT_EQ(in.op[1].value, 0x1234u);
	size_t n = fuzz_serialize(&in, bin, sizeof(bin));
	ASSERT_TRUE(n <= sizeof(bin));
	EXPECT_EQ(bin[2 + 2] & 7u, 3u | FUZZ_WRITE_SYMBOLIC); /* VERSION CONFIG KIND HART size */
	ASSERT_TRUE(fuzz_parse(bin, n, &again));
	ASSERT_EQ(again.nops, 2u);
	EXPECT_EQ(again.op[0].flags, FUZZ_WRITE_SYMBOLIC);
	EXPECT_EQ(memcmp(&again.op[0].val, &in.op[0].val, sizeof(in.op[0].val)), 0);
	EXPECT_EQ(again.op[1].value, 0x1234u);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ASSERT_TRUE(f != NULL);
	fuzz_print(&again, f);
	fclose(f);
	EXPECT_TRUE(strstr(text, "value=host(8+0x10)\n") != NULL);
	EXPECT_TRUE(strstr(text, "value=0x1234\n") != NULL);
	free(text);

	/* A signed number is still a raw value (strtoull's wrap, as before args). */
	ASSERT_EQ(fuzz_parse_text("version 1 config 0x00\n"
				  "host_write h0 size=8 host(1+0x0) value=-1\n",
				  &in, &why),
		  0);
	EXPECT_EQ(in.op[0].flags, 0u);
	EXPECT_EQ(in.op[0].value, UINT64_MAX);

	/* Not an arg and not a number: the line is refused with a reason. */
	EXPECT_EQ(fuzz_parse_text("version 1 config 0x00\n"
				  "host_write h0 size=8 host(400+0x58) value=nothing\n",
				  &in, &why),
		  2u);
}

/*
 * From the prepared share request, the host answers with its own page as an
 * arg: the request completes (a0 = 0 for the guest) and the guest's page at
 * the shared GPA is the host's page; the raw answer 0 is refused.
 */
TEST(fuzz_engine, a_share_answered_with_a_host_page_completes)
{
	static const char *const answers[] = { "value=host(8+0x0)", "value=0x0" };

	for (unsigned int i = 0; i < 2; i++) {
		char text[512];

		snprintf(
			text, sizeof(text),
			"version 1 config 0x30\n"
			"host_write h0 size=8 host(400+0x58) %s\n"
			"host h0 COVH fid=15 tvm(0) small(0) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n",
			answers[i]);
		struct fuzz_world *fw = run_text(text);
		ASSERT_TRUE(fw != NULL);
		ASSERT_EQ(fw->w->hart[0].mode, SHIM_MODE_VS);
		EXPECT_EQ(fw->w->hart[0].x[10], i == 0 ? 0 : (uint64_t)(int64_t)-5);
	}
}

/*
 * BUILD_VM mode bit 2: the vCPU runs with the guest's own Sv39 tables (vsatp
 * in NACL, loaded by the monitor), and a guest store and load through them
 * reach its RAM: the identity map at the root's entry 2 and page 1 (a1, the
 * FDT's address, comes back in t0).
 */
TEST(fuzz_engine, build_vm_can_give_the_guest_its_own_tables)
{
	for (unsigned int paging = 0; paging < 2; paging++) {
		char text[768];

		snprintf(text, sizeof(text),
			 "version 1 config 0x00\n"
			 "host h0 NACL fid=1 nacl(0) raw(0x0) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n"
			 "build_vm h0 slot=1 pages=3 vcpus=1 mode=%u flaw=none param=0\n"
			 "host h0 COVH fid=7 fdt(1) raw(0x0) entry(1) raw(0x0) raw(0x0) raw(0x0)\n"
			 "run h0 tvm=0 vcpu=0\n"
			 "access h0 store size=8 reg=11 raw(0x80000800)\n"
			 "access h0 load size=8 reg=5 raw(0x80000800)\n",
			 paging ? 4u : 0u);
		struct fuzz_world *fw = run_text(text);
		ASSERT_TRUE(fw != NULL);
		ASSERT_EQ(fw->w->hart[0].mode, SHIM_MODE_VS);
		EXPECT_EQ(fw->w->hart[0].csr.vsatp,
			  paging ? (UINT64_C(8) << 60 | (VM_GPA >> 12)) : UINT64_C(0));
		EXPECT_EQ(fw->w->hart[0].x[5],
			  VM_GPA + 4 * 0x1000); /* pages=3: 5 pages, the FDT last */
	}
}

/*
 * BUILD_VM mode bit 3 seals a TAP into the image, and tap(k) names its GPA:
 * with MR0 as measured the promote opens it and the guest retrieves its
 * secret; without digests, with MR0's byte flipped or with an MR1 the harness
 * does not predict it is refused (AUTH) and leaves no TVM; the same across a
 * page boundary (bit 6). Without bit 3, tap(k) is 0: the TVM has no secret.
 */
TEST(fuzz_engine, build_vm_can_seal_a_tap_for_the_image)
{
	/* The last two: the TAP across two pages (MODE bit 6). */
	static const unsigned int modes[] = {
		8, 8 | 16, 8 | 32, 8 | 48, 0, 8 | 16 | 64, 8 | 32 | 64
	};

	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char text[768];
		bool opens = i == 1 || i == 5;
		bool promotes = opens || i == 4;

		snprintf(text, sizeof(text),
			 "version 2 config 0x00\n"
			 "host h0 NACL fid=1 nacl(0) raw(0x0) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n"
			 "build_vm h0 slot=1 pages=3 vcpus=1 mode=%u flaw=none param=5\n"
			 "host h0 COVH fid=7 fdt(1) tap(1) entry(1) raw(0x0) raw(0x0) raw(0x0)\n"
			 "run h0 tvm=0 vcpu=0\n"
			 "guest h0 COVG fid=9 gpa(1:1+0x0) raw(0x1000) raw(0x0) raw(0x0) raw(0x0) "
			 "raw(0x0)\n",
			 modes[i]);
		struct fuzz_world *fw = run_text(text);
		ASSERT_TRUE(fw != NULL);
		EXPECT_EQ(fw->slot[1].tap_gpa,
			  modes[i] ? VM_GPA + 5 * 0x1000 + ((modes[i] & 64) ? 0xF80 : 0) : 0);
		EXPECT_EQ(fw->ntvm, promotes ? 1u : 0u);
		if (!promotes) {
			continue;
		}
		ASSERT_EQ(fw->w->hart[0].mode, SHIM_MODE_VS);
		if (opens) {
			/* One secret record: its header, its name and 32 bytes of value. */
			EXPECT_EQ(fw->w->hart[0].x[10], 0u);
			EXPECT_EQ(fw->w->hart[0].x[11], 44u);
		} else {
			EXPECT_EQ(fw->w->hart[0].x[10], (uint64_t)(int64_t)COVE_ERR_AUTH);
		}
	}
}

static struct fuzz_world *tap_world;

static void check_with_other_digest(void *arg)
{
	(void)arg;
	tap_world->sealed[0].digest[0][47] ^= 0x80;
	fuzz_check_attestation(tap_world, 2, tap_world->tvm_ids[0]);
}

static void check_with_other_name(void *arg)
{
	(void)arg;
	tap_world->sealed[0].name ^= 1;
	fuzz_check_attestation(tap_world, 2, tap_world->tvm_ids[0]);
}

/*
 * A1: after a TAP promote the engine looks up the secrets the TVM holds among
 * the seals of the input and compares their digests with its measurements. A
 * seal whose digest differs, or secrets no seal has, abort naming A1.
 */
TEST(fuzz_oracle, a1_finds_secrets_not_bound_to_the_measurement)
{
	tap_world =
		run_text("version 2 config 0x00\n"
			 "host h0 NACL fid=1 nacl(0) raw(0x0) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n"
			 "build_vm h0 slot=0 pages=1 vcpus=1 mode=24 flaw=none param=1\n"
			 "host h0 COVH fid=7 fdt(0) tap(0) entry(0) raw(0x0) raw(0x0) raw(0x0)\n");
	ASSERT_TRUE(tap_world != NULL);
	ASSERT_EQ(tap_world->ntvm, 1u);
	ASSERT_EQ(tap_world->nsealed, 1u);
	fuzz_check_attestation(tap_world, 2, tap_world->tvm_ids[0]); /* bound: returns */
	EXPECT_TRUE(
		test_child_aborts(check_with_other_digest, NULL,
				  "A1 attestation binding violated at operation 2: TVM 1 "
				  "holds the secrets of a TAP whose MR0 digest is not its MR0"));
	EXPECT_TRUE(test_child_aborts(check_with_other_name, NULL,
				      "holds secrets no TAP of this input sealed"));
}

/*
 * Version 2 added the TAP argument (tags mod 12). A version 1 input is still
 * read as it was written (tags mod 11: 11 is RAW), keeps its version when
 * serialised, and its text form cannot name a TAP.
 */
TEST(fuzz_input, version_1_inputs_keep_their_meaning)
{
	static struct fuzz_input in;
	/* VERSION CONFIG, then one HOST_ECALL: KIND HART ext fid, six args of tag 11 */
	uint8_t bin[2 + 5 + 6 * 2] = { 1, 0, 1, 0, 2, 7, 0 };
	uint8_t again[sizeof(bin) + 64];
	const char *why = "?";

	for (unsigned int a = 0; a < 6; a++) {
		bin[7 + 2 * a] = 11;
		bin[8 + 2 * a] = 2;
	}
	for (uint8_t version = 1; version <= 2; version++) {
		bin[0] = version;
		ASSERT_TRUE(fuzz_parse(bin, sizeof(bin), &in));
		ASSERT_EQ(in.nops, 1u);
		EXPECT_EQ(in.op[0].arg[0].tag, version == 1 ? FUZZ_ARG_RAW : FUZZ_ARG_TAP);
		size_t n = fuzz_serialize(&in, again, sizeof(again));
		ASSERT_TRUE(n <= sizeof(again));
		EXPECT_EQ(again[0], version);
	}
	bin[0] = 3;
	EXPECT_FALSE(fuzz_parse(bin, sizeof(bin), &in));
	EXPECT_EQ(fuzz_parse_text("version 1 config 0x00\n"
				  "host h0 COVH fid=7 fdt(0) tap(0) entry(0) raw(0x0) raw(0x0) "
				  "raw(0x0)\n",
				  &in, &why),
		  2u);
	EXPECT_EQ(fuzz_parse_text("version 2 config 0x00\n"
				  "host h0 COVH fid=7 fdt(0) tap(0) entry(0) raw(0x0) raw(0x0) "
				  "raw(0x0)\n",
				  &in, &why),
		  0u);
	EXPECT_EQ(in.op[0].arg[1].tag, FUZZ_ARG_TAP);

	/* Version 1's BUILD_VM had no TAPs: MODE bit 3 still builds none. */
	for (unsigned int version = 1; version <= 2; version++) {
		char text[256];

		snprintf(text, sizeof(text),
			 "version %u config 0x00\n"
			 "build_vm h0 slot=2 pages=1 vcpus=1 mode=24 flaw=none param=0\n",
			 version);
		struct fuzz_world *fw = run_text(text);
		ASSERT_TRUE(fw != NULL);
		EXPECT_EQ(fw->slot[2].tap_gpa, version == 1 ? 0 : VM_GPA + 3 * 0x1000);
		EXPECT_EQ(fw->nsealed, version == 1 ? 0u : 1u);
	}
}

/* ------------------------------------------- cross mode and tracking --- */

/* A byte of the monitor's state changed by code whose stores nobody tracks. */
static void untracked_write(struct fuzz_world *fw)
{
	uint8_t *state = shim_mem_ptr(&fw->w->mem, fw->plat.data.base, fw->state_len, false);

	state[fw->state_len / 2] ^= 0x5A;
}

static void reset_after_untracked_write(void *arg)
{
	struct fuzz_world *fw = arg;

	fuzz_oracle_mode = FUZZ_ORACLE_CROSS;
	untracked_write(fw);
	fuzz_reset(fw);
}

/* A host page the shim wrote (so restored by lines), then a line of it no tracking saw. */
static void reset_after_untracked_host_write(void *arg)
{
	struct fuzz_world *fw = arg;
	uint64_t v = 1;

	fuzz_oracle_mode = FUZZ_ORACLE_CROSS;
	(void)shim_mem_write(&fw->w->mem, fw->host_base, &v, sizeof(v));
	shim_mem_ptr(&fw->w->mem, fw->host_base, SHIM_PAGE_SIZE, false)[0x800] ^= 0x5A;
	fuzz_reset(fw);
}

static void host_call_after_untracked_write(void *arg)
{
	struct fuzz_world *fw = arg;
	static struct fuzz_input in;
	const char *why = NULL;

	if (fuzz_parse_text("version 1 config 0\n"
			    "host h0 BASE fid=0 raw(0x0) raw(0x0) raw(0x0) raw(0x0) raw(0x0) "
			    "raw(0x0)\n",
			    &in, &why)) {
		fprintf(stderr, "cannot parse the host call: %s\n", why);
		return;
	}
	fuzz_oracle_mode = FUZZ_ORACLE_CROSS;
	untracked_write(fw);
	fuzz_perform(fw, &in, 0);
}

/*
 * With exact lines (tracked builds) the reset and I7 look only at the lines
 * written. Cross mode checks both against all bytes, so a store the tracking
 * missed is reported instead of leaving the world unlike its snapshot or I7
 * blind. Without tracked builds the world's DRAM is not exact.
 */
TEST(fuzz_oracle, cross_mode_reports_a_store_the_tracking_missed)
{
	struct fuzz_world *fw = warm_world(0);

	if (!fw->w->mem.lines_exact) {
		EXPECT_FALSE(shim_track_exact());
		return;
	}
	EXPECT_TRUE(test_child_aborts(reset_after_untracked_write, fw,
				      "the reset left memory unlike the snapshot's"));
	EXPECT_TRUE(test_child_aborts(reset_after_untracked_host_write, fw,
				      "the reset left memory unlike the snapshot's"));
	EXPECT_TRUE(test_child_aborts(host_call_after_untracked_write, fw,
				      "without the write being tracked"));
	/* The children's worlds were their own: this one is as the snapshot left it. */
	EXPECT_TRUE(shim_lines_equal(fw->state_now, fw->state_prep, fw->state_len));
}

/*
 * Operations are split at every whole separator and nowhere else: a chunk
 * holding the separator's first three bytes keeps them, a byte that starts a
 * separator one byte too early is the chunk's, an empty chunk between two
 * separators is no operation, and a separator cut short at the end of the
 * input is the last operation's bytes.
 */
TEST(fuzz_input, only_whole_separators_split_operations)
{
	static struct fuzz_input in;
	const uint8_t c0 = fuzz_sep[0];
	const uint8_t s1 = fuzz_sep[1];
	const uint8_t s2 = fuzz_sep[2];
	const uint8_t s3 = fuzz_sep[3];
	const uint8_t bin[] = {
		2,	     0,			     /* VERSION CONFIG */
		FUZZ_OP_RUN, 0,	 c0, s1, s2, 0,	 c0, /* RUN tvm=sep[0] vcpu=sep[1] */
		c0,	     s1, s2, s3,	     /* SEP */
		c0,	     s1, s2, s3,	     /* SEP: an empty chunk */
		FUZZ_OP_IRQ, 1,	 2,  c0, s1, s2,     /* IRQ kind 2, then a cut SEP */
	};

	ASSERT_NE(s3, 0);
	ASSERT_TRUE(fuzz_parse(bin, sizeof(bin), &in));
	ASSERT_EQ(in.nops, 2u);
	EXPECT_EQ(in.op[0].kind, FUZZ_OP_RUN);
	EXPECT_EQ(in.op[0].tvm, c0);
	EXPECT_EQ(in.op[0].vcpu, s1);
	EXPECT_EQ(in.op[1].kind, FUZZ_OP_IRQ);
	EXPECT_EQ(in.op[1].hart, 1);
	EXPECT_EQ(in.op[1].irq, 2);
	/* A separator as the input's last four bytes ends the last operation. */
	ASSERT_TRUE(fuzz_parse(bin, 2 + 7 + 4, &in));
	EXPECT_EQ(in.nops, 1u);
}
