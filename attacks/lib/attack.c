// SPDX-License-Identifier: BSD-2-Clause
/* Attack scenario helpers: see attack.h. */
#include "attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world_internal.h"

/*
 * Seed recording: with COVEMON_ATTACK_SEED=FILE in the environment, the
 * helpers below also record the scenario's calls as fuzz operations
 * (symbolic arguments, so they mean the same in the fuzzer's world), and
 * attack_env_fini writes them to FILE as a sequence-target input that starts
 * from the prepared state "TVM promoted" (ci/attacks.py --emit-seeds).
 */
static struct fuzz_input rec;

/* @guest: the value is the guest's (a GPA first), else the host's (a PA first). */
static struct fuzz_arg sym(const struct attack_env *e, uint64_t v, bool guest)
{
	struct fuzz_arg a;
	const struct fixture *f = &e->f;

	memset(&a, 0, sizeof(a));
	if (guest && v >= VM_RAM_GPA && v - VM_RAM_GPA < VM_MEM_SIZE) {
		a.tag = FUZZ_ARG_GPA;
		a.page = (uint16_t)((v - VM_RAM_GPA) >> 12);
		a.off = (uint16_t)(v & 0xFFF);
	} else if (v == e->tvm && !guest) {
		a.tag = FUZZ_ARG_TVM;
	} else if (v >= f->conf.base && v - f->conf.base < f->conf.size) {
		a.tag = FUZZ_ARG_CONF;
		a.page = (uint16_t)((v - f->conf.base) >> 12);
		a.off = (uint16_t)(v & 0xFFF);
	} else if (v >= f->plat.image.base && v - f->plat.image.base < f->plat.image.size) {
		a.tag = FUZZ_ARG_MON;
		a.off = (uint16_t)(v - f->plat.image.base);
	} else if (v >= f->plat.data.base && v - f->plat.data.base < f->plat.data.size) {
		a.tag = FUZZ_ARG_MON;
		a.k = 1;
		a.off = (uint16_t)(v - f->plat.data.base);
	} else if (v >= f->host_base && v < f->conf.base) {
		a.tag = FUZZ_ARG_HOST;
		a.page = (uint16_t)((v - f->host_base) >> 12);
		a.off = (uint16_t)(v & 0xFFF);
	} else if (v >= VM_RAM_GPA && v - VM_RAM_GPA < VM_MEM_SIZE) {
		a.tag = FUZZ_ARG_GPA;
		a.page = (uint16_t)((v - VM_RAM_GPA) >> 12);
		a.off = (uint16_t)(v & 0xFFF);
	} else if (v < 256) {
		a.tag = FUZZ_ARG_SMALL;
		a.k = (uint8_t)v;
	} else {
		a.tag = FUZZ_ARG_RAW;
		a.raw = v;
	}
	return a;
}

static struct fuzz_op *record(enum fuzz_op_kind kind, unsigned int hart)
{
	if (!getenv("COVEMON_ATTACK_SEED") || rec.nops == FUZZ_MAX_OPS) {
		return NULL;
	}
	struct fuzz_op *op = &rec.op[rec.nops++];
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	op->hart = (uint8_t)hart;
	return op;
}

static void record_ecall(const struct attack_env *e, enum fuzz_op_kind kind, unsigned int hart,
			 uint64_t eid, uint64_t fid, const uint64_t args[3])
{
	struct fuzz_op *op = record(kind, hart);

	if (!op) {
		return;
	}
	op->ext = 0xF0;
	op->raw_eid = (uint32_t)eid;
	for (unsigned int i = 0; i < FUZZ_EXT_COUNT; i++) {
		if (fuzz_exts[i] == eid) {
			op->ext = (uint8_t)i;
		}
	}
	op->fid = (uint16_t)fid;
	for (unsigned int i = 0; i < 6; i++) {
		op->arg[i] = sym(e, i < 3 ? args[i] : 0, kind == FUZZ_OP_GUEST_ECALL);
	}
}

void attack_env_init(struct attack_env *e, unsigned int harts)
{
	memset(e, 0, sizeof(*e));
	fixture_init(&e->f, harts);
	vm_build(&e->f, 2, 16, &e->vm);
	struct shim_sbiret r = host_call(&e->f, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa,
					 0, e->vm.entry);
	ASSERT_EQ(r.error, SBI_SUCCESS);
	e->tvm = r.value;
	attack_check(e, 0);
	memset(&rec, 0, sizeof(rec));
	rec.version = FUZZ_FORMAT_VERSION;
	rec.config = (uint8_t)(0x10 | ((harts - 1) & 3)); /* prepared state: TVM promoted */
}

void attack_env_fini(struct attack_env *e)
{
	const char *path = getenv("COVEMON_ATTACK_SEED");
	static uint8_t bytes[1u << 16];

	if (path && rec.nops) {
		size_t n = fuzz_serialize(&rec, bytes, sizeof(bytes));
		FILE *f = fopen(path, "wb");
		if (!f || n > sizeof(bytes) || fwrite(bytes, 1, n, f) != n) {
			fprintf(stderr, "attack: cannot write the seed %s\n", path);
		}
		if (f) {
			fclose(f);
		}
	}
	fixture_fini(&e->f);
}

void attack_check(struct attack_env *e, unsigned int step)
{
	/* The fuzz oracle over this fixture's world (a fresh verdict every time). */
	static struct fuzz_world fw;

	memset(&fw, 0, offsetof(struct fuzz_world, state_before));
	fw.w = e->f.w;
	fw.mon = e->f.mon;
	fw.plat = e->f.plat;
	fw.conf = e->f.conf;
	fw.host_base = e->f.host_base;
	fw.harts = e->f.w->cfg.harts;
	fuzz_oracle_check(&fw, step);
}

struct shim_sbiret host_attack(struct attack_env *e, unsigned int hart, uint64_t eid, uint64_t fid,
			       uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct shim_sbiret r = host_call(&e->f, hart, eid, fid, a0, a1, a2);

	attack_check(e, 1);
	return r;
}

bool host_run(struct attack_env *e, unsigned int hart, uint64_t vcpu)
{
	struct fuzz_op *op = record(FUZZ_OP_RUN, hart);
	if (op) {
		op->vcpu = (uint8_t)vcpu;
	}
	(void)host_call(&e->f, hart, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, e->tvm, vcpu, 0);
	attack_check(e, 2);
	return e->f.w->hart[hart].mode == SHIM_MODE_VS;
}

bool host_run_both_vcpus(struct attack_env *e)
{
	(void)vm_nacl(&e->f, &e->vm, 1);
	if (!host_run(e, 0, 0)) {
		return false;
	}
	struct shim_sbiret r = guest_attack(e, 0, SBI_EXT_HSM, SBI_HSM_HART_START, 1, VM_ENTRY, 0);
	return r.error == SBI_SUCCESS && host_run(e, 1, 1);
}

bool host_store(struct attack_env *e, unsigned int hart, uint64_t pa, uint64_t value)
{
	struct fuzz_op *op = record(FUZZ_OP_HOST_WRITE, hart);
	if (op) {
		op->size = 3;
		op->addr = sym(e, pa, false);
		op->value = value;
	}
	bool ok = shim_world_store(e->f.w, hart, pa, 8, value).ok;

	attack_check(e, 3);
	return ok;
}

bool host_load(struct attack_env *e, unsigned int hart, uint64_t pa, uint64_t *value)
{
	bool ok = shim_world_load(e->f.w, hart, pa, 8, value).ok;

	attack_check(e, 4);
	return ok;
}

struct shim_sbiret guest_attack(struct attack_env *e, unsigned int hart, uint64_t eid, uint64_t fid,
				uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	struct shim_hart *h = &e->f.w->hart[hart];
	struct shim_sbiret r;

	ASSERT_TRUE(shim_mode_virt(h->mode));
	const uint64_t rec_args[3] = { a0, a1, a2 };
	record_ecall(e, FUZZ_OP_GUEST_ECALL, hart, eid, fid, rec_args);
	r = shim_mon_ecall(e->f.w, e->f.mon, hart, eid, fid, args);
	attack_check(e, 5);
	if (!shim_mode_virt(h->mode)) {
		/* The call exited to the host: it runs the vCPU again to see the result. */
		uint64_t vcpu = 0;
		uint64_t tvm = 0;
		(void)tvm;
		for (uint64_t v = 0; v < 8; v++) {
			struct mon_vcpu_view vv;
			if (mon_introspect_vcpu(e->f.mon, e->tvm, v, &vv) &&
			    vv.state == MON_VCPU_RUNNABLE) {
				vcpu = v;
				break;
			}
		}
		if (host_run(e, hart, vcpu)) {
			r.error = (int64_t)h->x[10];
			r.value = h->x[11];
		}
	}
	return r;
}

enum shim_guest_outcome guest_load(struct attack_env *e, unsigned int hart, uint64_t gpa,
				   uint64_t *value)
{
	struct fuzz_op *op = record(FUZZ_OP_GUEST_ACCESS, hart);
	if (op) {
		op->flags = 3 << 1; /* 8-byte load */
		op->reg = 5;
		op->addr = sym(e, gpa, true);
	}
	enum shim_guest_outcome o =
		shim_mon_guest_access(e->f.w, e->f.mon, hart, false, gpa, 8, 5, true);

	*value = e->f.w->hart[hart].x[5];
	attack_check(e, 6);
	return o;
}

void expect_host_cannot_reach(struct attack_env *e, uint64_t base, uint64_t size)
{
	for (unsigned int h = 0; h < e->f.w->cfg.harts; h++) {
		const struct shim_hart *hart = &e->f.w->hart[h];
		if (shim_mode_virt(hart->mode)) {
			continue;
		}
		EXPECT_FALSE(shim_pmp_any_byte_allowed(&hart->pmp, base, size, SHIM_ACCESS_READ,
						       SHIM_PRIV_S, NULL));
		EXPECT_FALSE(shim_pmp_any_byte_allowed(&hart->pmp, base, size, SHIM_ACCESS_WRITE,
						       SHIM_PRIV_U, NULL));
	}
}

void expect_page_zero(struct attack_env *e, uint64_t pa)
{
	static const uint8_t zero[4096];
	uint8_t page[4096];

	ASSERT_TRUE(shim_mem_read(&e->f.w->mem, pa, page, sizeof(page)));
	EXPECT_MEM_EQ(page, zero, sizeof(page));
}

void expect_no_tlb_entry(struct attack_env *e, uint64_t gpa)
{
	for (unsigned int h = 0; h < e->f.w->cfg.harts; h++) {
		for (unsigned int i = 0; i < SHIM_TLB_ENTRIES; i++) {
			const struct shim_tlb_entry *t = &e->f.w->hart[h].tlb.entry[i];
			EXPECT_FALSE(t->valid && gpa >= t->gpa &&
				     gpa - t->gpa < (UINT64_C(1) << t->shift));
		}
	}
}

uint64_t tvm_pa(struct attack_env *e, uint64_t id, uint64_t gpa)
{
	struct mon_tvm_view v;
	uint64_t pa = 0;
	uint64_t pte = 0;
	unsigned int shift = 0;

	ASSERT_TRUE(mon_introspect_tvm(e->f.mon, id, &v));
	ASSERT_TRUE(shim_mmu_gstage_lookup(&e->f.w->mem, v.hgatp, gpa, &pa, &pte, &shift));
	return pa;
}

void expect_state_unchanged(struct attack_env *e, const uint8_t before[48])
{
	uint8_t now[48];

	state_hash(&e->f, now);
	EXPECT_MEM_EQ(now, before, 48);
}

void expect_promote_refused(struct attack_env *e, int64_t err)
{
	struct mon_tvm_view view;
	uint8_t before[48];
	uint64_t in_use = mon_introspect_pages_in_use(e->f.mon);

	state_hash(&e->f, before);
	struct shim_sbiret r =
		host_attack(e, 0, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, e->vm.fdt_gpa, 0, e->vm.entry);
	EXPECT_EQ(r.error, err);
	expect_state_unchanged(e, before);
	EXPECT_EQ(mon_introspect_pages_in_use(e->f.mon), in_use);
	EXPECT_FALSE(mon_introspect_tvm(e->f.mon, e->tvm + 1, &view));
}
