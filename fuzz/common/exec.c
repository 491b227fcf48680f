// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fuzz engine: one emulated world per configuration, booted once and
 * reset to that snapshot before each input (dirty-page reset), then the
 * input's operations performed as the host or the guest on a hart, with the
 * oracle after every operation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/abi/tap.h"
#include "covemon/introspect.h"
#include "covemon/lib.h"
#include "harness.h"
#include "world_internal.h"

bool fuzz_trace;

#define MIB	   (UINT64_C(1) << 20)
#define VM_GPA	   UINT64_C(0x80000000)
#define SLOT_PAGES 96u	/* host pages per VM slot */
#define SLOT_FIRST 16u	/* first host page of slot 0 */
#define NACL_FIRST 400u /* NACL areas: 3 pages per hart from here */

static struct fuzz_world *worlds[64];
static void run_ops(struct fuzz_world *fw, const struct fuzz_input *in);

/* The prepared states of CONFIG bits 5:4, as text (the same operations an input could use). */
static const char *const prepared[4] = {
	"",
	/* (NACL on every hart is added by prepare: the lines depend on the hart count) */
	("build_vm h0 slot=0 pages=8 vcpus=2 mode=0 flaw=none param=0\n"
	 "host h0 COVH fid=7 fdt(0) raw(0x0) entry(0) raw(0x0) raw(0x0) raw(0x0)\n"),
	"run h0 tvm=0 vcpu=0\n",
	"guest h0 COVG fid=2 gpa(0:64+0x0) raw(0x1000) raw(0x0) raw(0x0) raw(0x0) raw(0x0)\n",
};

/* Runs the setup of prepared state @state (each builds on the one before). */
static void prepare(struct fuzz_world *fw, unsigned int state, uint8_t config)
{
	static struct fuzz_input setup;
	char text[2048] = "";
	const char *why = "?";

	snprintf(text, sizeof(text), "version 1 config 0x%02x\n", config);
	for (unsigned int h = 0; state && h < fw->harts; h++) {
		char line[128];
		snprintf(line, sizeof(line),
			 "host h%u NACL fid=1 nacl(%u) raw(0x0) raw(0x0) raw(0x0) raw(0x0) "
			 "raw(0x0)\n",
			 h, h);
		strncat(text, line, sizeof(text) - strlen(text) - 1);
	}
	for (unsigned int s = 1; s <= state; s++) {
		strncat(text, prepared[s], sizeof(text) - strlen(text) - 1);
	}
	if (fuzz_parse_text(text, &setup, &why)) {
		fprintf(stderr, "covemon-fuzz: prepared state %u: %s\n", state, why);
		abort();
	}
	run_ops(fw, &setup);
	if (state >= 1 && fw->ntvm != 1) {
		fprintf(stderr, "covemon-fuzz: prepared state %u: promote failed\n", state);
		abort();
	}
	if (state >= 2 && !shim_mode_virt(fw->w->hart[0].mode) != (state == 3)) {
		fprintf(stderr, "covemon-fuzz: prepared state %u: not where it should be\n", state);
		abort();
	}
	memcpy(fw->prep_slot, fw->slot, sizeof(fw->slot));
	memcpy(fw->prep_tvm_ids, fw->tvm_ids, sizeof(fw->tvm_ids));
	fw->prep_ntvm = fw->ntvm;
	memcpy(fw->prep_host_saved, fw->host_saved, sizeof(fw->host_saved));
	memcpy(fw->prep_host_x, fw->host_x, sizeof(fw->host_x));
}

struct fuzz_world *fuzz_world_for(uint8_t config)
{
	unsigned int idx = config & 0x3F;
	struct fuzz_world *fw = worlds[idx];
	struct shim_world_config wc;
	struct shim_mon_config mc;
	const char *why = "?";

	if (fw) {
		return fw;
	}
	fw = calloc(1, sizeof(*fw));
	if (!fw) {
		abort();
	}
	shim_world_config_default(&wc);
	wc.harts = (config & 3) + 1;
	wc.dram_size = 32 * MIB;
	wc.smepmp = config & 4;
	wc.vmid_bits = (config & 8) ? 2 : 14;
	fw->w = shim_world_create(&wc, &why);
	if (fw->w) {
		/* Only the shim and the monitor write this DRAM: with tracked builds the reset
		 * and I7 need look only at the lines written. */
		(void)shim_mem_use_exact_lines(&fw->w->mem);
	}
	shim_mon_config_default(&mc);
	mc.confidential_size = 4 * MIB;
	fw->mon = fw->w ? shim_mon_boot(fw->w, &mc, &fw->plat, &why) : NULL;
	if (!fw->mon) {
		fprintf(stderr, "covemon-fuzz: cannot set up a world: %s\n", why);
		abort();
	}
	fw->conf = mon_introspect_confidential(fw->mon);
	if (!shim_world_snapshot(fw->w)) {
		fprintf(stderr, "covemon-fuzz: cannot snapshot a world\n");
		abort();
	}
	fw->harts = wc.harts;
	/* TVM tables and scrubbed pages are confidential memory: the oracle learns which pages
	 * were written there. */
	shim_mem_watch(&fw->w->mem, fw->conf.base, fw->conf.size);
	/* I7 compares the monitor's bytes: the instance and the page records. */
	fw->state_len = (mon_introspect_state_bytes(fw->mon) + 7) & ~(size_t)7;
	fw->state_now = shim_mem_ptr(&fw->w->mem, fw->plat.data.base, fw->state_len, false);
	if (fw->state_len > sizeof(fw->state_before) || !fw->state_now) {
		fprintf(stderr, "covemon-fuzz: the monitor's state does not fit the I7 buffer\n");
		abort();
	}
	fuzz_raw_copy(fw->state_before, fw->state_now, fw->state_len);
	fw->host_base = fw->plat.data.base + fw->plat.data.size;
	for (unsigned int h = 0; h < FUZZ_MAX_HARTS; h++) {
		fw->nacl[h] = fw->host_base + (NACL_FIRST + 3 * (uint64_t)h) * SHIM_PAGE_SIZE;
	}
	/* Boot snapshot first (so setup ops behave as in any input), then the prepared state. */
	prepare(fw, (config >> 4) & 3, config);
	if (!shim_world_snapshot(fw->w)) {
		abort();
	}
	/* What every input starts from: the oracle's verdict and caches, the monitor's bytes. */
	fuzz_oracle_save_prepared(fw);
	fw->state_prep = malloc(fw->state_len);
	if (!fw->state_prep) {
		abort();
	}
	fuzz_raw_copy(fw->state_prep, fw->state_now, fw->state_len);
	/* The snapshot emptied the line sets: I7's copy starts from the bytes themselves. */
	fuzz_raw_copy(fw->state_before, fw->state_now, fw->state_len);
	worlds[idx] = fw;
	return fw;
}

void fuzz_boot_worlds(uint8_t keep, uint8_t set)
{
	for (unsigned int c = 0; c < 64; c++) {
		(void)fuzz_world_for((uint8_t)((c & keep) | set));
	}
}

/* ----------------------------------------------------- argument values --- */

static const uint64_t specials[] = {
	0,
	1,
	UINT64_MAX,
	UINT64_C(1) << 63,
	0xFFF,
	0x1000,
	48,
	47,
	12288,
	UINT64_C(1) << 41,
	UINT64_C(1) << 50,
	UINT64_MAX - 4095,
	0x10000000,
	0x80000000,
	UINT64_C(0xFFFFFFFF),
	UINT64_C(0x7FFFFFFF),
};

uint64_t fuzz_arg_value(const struct fuzz_world *fw, const struct fuzz_arg *a)
{
	uint64_t host_pages = (fw->conf.base - fw->host_base) / SHIM_PAGE_SIZE;

	switch (a->tag) {
	case FUZZ_ARG_RAW: return a->raw;
	case FUZZ_ARG_TVM: return a->k < fw->ntvm ? fw->tvm_ids[a->k] : (uint64_t)(a->k % 10);
	case FUZZ_ARG_SMALL: return a->k;
	case FUZZ_ARG_HOST:
		return fw->host_base + (a->page % host_pages) * SHIM_PAGE_SIZE + (a->off & 0xFFF);
	case FUZZ_ARG_GPA: return VM_GPA + (uint64_t)a->page * SHIM_PAGE_SIZE + a->off;
	case FUZZ_ARG_CONF:
		return fw->conf.base +
		       (a->page % (fw->conf.size / SHIM_PAGE_SIZE)) * SHIM_PAGE_SIZE +
		       (a->off & 0xFFF);
	case FUZZ_ARG_MON:
		return ((a->k & 1) ? fw->plat.data.base : fw->plat.image.base) +
		       (a->off % fw->plat.data.size);
	case FUZZ_ARG_NACL: return fw->nacl[a->k % FUZZ_MAX_HARTS];
	case FUZZ_ARG_FDT: return fw->slot[a->k % FUZZ_VM_SLOTS].fdt_gpa;
	case FUZZ_ARG_ENTRY: return fw->slot[a->k % FUZZ_VM_SLOTS].entry;
	case FUZZ_ARG_TAP: return fw->slot[a->k % FUZZ_VM_SLOTS].tap_gpa;
	case FUZZ_ARG_SPECIAL: return specials[a->k % (sizeof(specials) / sizeof(specials[0]))];
	default: return 0;
	}
}

/* ------------------------------------------------------------ oracles --- */

_Noreturn void fuzz_fail(unsigned int op_index, const char *invariant, const char *detail)
{
	fprintf(stderr, "covemon-oracle: %s violated at operation %u: %s\n", invariant, op_index,
		detail);
	fflush(stderr);
	abort();
}

/* fuzz_fail with a formatted detail; out of line so checks keep no buffers on the stack. */
__attribute__((format(printf, 3, 4), cold, noinline)) static _Noreturn void
fail_format(unsigned int op_index, const char *invariant, const char *fmt, ...)
{
	char d[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d, sizeof(d), fmt, ap);
	va_end(ap);
	fuzz_fail(op_index, invariant, d);
}

/* Spec return codes: anything outside SBI's and CoVE's sets is a bug (clamping). */
static void check_error_code(unsigned int op_index, int64_t err)
{
	if ((err <= 0 && err >= SBI_ERR_DENIED_LOCKED) ||
	    (err <= COVE_ERR_OUT_OF_PTPAGES && err >= COVE_ERR_BUSY)) {
		return;
	}
	fail_format(op_index, "return-code", "a0 = %lld is no SBI or CoVE error code",
		    (long long)err);
}

/*
 * The error codes the CoVE spec lists per COVH function, plus NOT_SUPPORTED
 * for functions covemon does not implement. An error outside the list is a
 * spec violation.
 */
static void check_covh_code(unsigned int op_index, uint16_t fid, int64_t err)
{
	static const struct {
		uint16_t fid;
		int64_t allowed[6];
	} table[] = {
		{ COVH_GET_TSM_INFO,
		  { SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED } },
		{ COVH_PROMOTE_TO_TVM,
		  { SBI_ERR_INVALID_ADDRESS, COVE_ERR_AUTH, COVE_ERR_OUT_OF_MEMORY,
		    SBI_ERR_FAILED } },
		{ COVH_DESTROY_TVM, { SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED } },
		{ COVH_RUN_TVM_VCPU, { SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED } },
	};
	if (err == 0 || err == SBI_ERR_NOT_SUPPORTED) {
		return;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].fid != fid) {
			continue;
		}
		for (size_t j = 0; j < 6; j++) {
			if (table[i].allowed[j] == err) {
				return;
			}
		}
	}
	fail_format(op_index, "return-code", "COVH fid %u returned %lld, not in the spec's list",
		    fid, (long long)err);
}

/*
 * I7 compares the monitor's bytes (the instance and the page records) before
 * and after a host call.
 *
 * With exact write tracking (the DRAM's lines_exact) state_before is kept equal to
 * the monitor's bytes before the call by copying in only the lines written
 * since the last copy (DRAM's lines_mark), and the check compares only the
 * lines written during the call.
 *
 * Without it, whole copies and compares: only the monitor writes its bytes,
 * so the copy last taken (or found equal) stays exact until the monitor runs
 * again: a run of failing calls needs one copy, and the first call of an
 * input none (the snapshot's).
 */
static uint64_t state_offset(const struct fuzz_world *fw)
{
	return fw->plat.data.base - fw->w->mem.base;
}

/* The offset of the first byte where @a and @b differ (@n when none does). */
static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t at = 0;

	while (at < n && a[at] == b[at]) {
		at++;
	}
	return at;
}

static void state_snapshot(struct fuzz_world *fw)
{
	struct shim_mem *mem = &fw->w->mem;

	if (mem->lines_exact) {
		shim_line_set_copy(&mem->lines_mark, state_offset(fw), fw->state_len,
				   fw->state_before, fw->state_now);
		shim_mem_lines_mark_clear(mem);
		/* A store the tracking missed shows here at the next host call, or at the reset. */
		if (fuzz_oracle_mode == FUZZ_ORACLE_CROSS &&
		    !shim_lines_equal(fw->state_before, fw->state_now, fw->state_len)) {
			fail_format(
				0, "oracle cross-check",
				"monitor byte %zu was written without the write being tracked",
				first_difference(fw->state_before, fw->state_now, fw->state_len));
		}
		return;
	}
	if (fw->state_ref && fw->state_entries == fw->w->monitor_entries) {
		return;
	}
	/* Most of the monitor's bytes are what the last copy holds: update it. */
	(void)shim_copy_changed_lines(fw->state_before, fw->state_now, fw->state_len);
	fw->state_ref = fw->state_before;
	fw->state_entries = fw->w->monitor_entries;
}

void fuzz_check_attestation(struct fuzz_world *fw, unsigned int i, uint64_t id)
{
	struct mon_tvm_view t;
	char detail[160];

	/* What the TVM holds is what retrieve_secret reads: its view names the page. */
	if (!mon_introspect_tvm(fw->mon, id, &t) || !t.secret) {
		return; /* promoted without a TAP */
	}
	const uint8_t *secrets = shim_mem_ptr(&fw->w->mem, t.secret, SHIM_PAGE_SIZE, false);
	if (!secrets) {
		return;
	}
	/* The first record's name (abi/tap.h: type, length, then the name). */
	uint64_t name = 0;
	if ((secrets[0] | secrets[1] << 8) == COVE_TAP_SECRET) {
		for (unsigned int b = 0; b < 8; b++) {
			name |= (uint64_t)secrets[COVE_TAP_RECORD_HEAD + b] << (8 * b);
		}
	}
	for (unsigned int s = 0; s < fw->nsealed; s++) {
		const struct fuzz_sealed *seal = &fw->sealed[s];
		if (seal->name != name) {
			continue;
		}
		for (unsigned int r = 0; r < 2; r++) {
			if ((seal->mask & (1u << r)) && memcmp(seal->digest[r], t.measure[r], 48)) {
				snprintf(detail, sizeof(detail),
					 "TVM %llu holds the secrets of a TAP whose MR%u digest is "
					 "not its MR%u",
					 (unsigned long long)id, r, r);
				fuzz_fail(i, "A1 attestation binding", detail);
			}
		}
		return;
	}
	snprintf(detail, sizeof(detail), "TVM %llu holds secrets no TAP of this input sealed",
		 (unsigned long long)id);
	fuzz_fail(i, "A1 attestation binding", detail);
}

static void check_unchanged(struct fuzz_world *fw, unsigned int op_index, const char *what)
{
	const uint8_t *now = fw->state_now;
	size_t at = 0;

	if (fw->w->mem.lines_exact) {
		if (!shim_line_set_equal(&fw->w->mem.lines_mark, state_offset(fw), fw->state_len,
					 now, fw->state_before, &at)) {
			fail_format(op_index, "I7 error atomicity",
				    "%s returned an error but monitor byte %zu changed", what, at);
		}
		return;
	}
	if (shim_lines_equal(now, fw->state_ref, fw->state_len)) {
		fw->state_entries = fw->w->monitor_entries; /* still the monitor's bytes */
	} else {
		at = first_difference(now, fw->state_ref, fw->state_len);
		fail_format(op_index, "I7 error atomicity",
			    "%s returned an error but monitor byte %zu changed", what, at);
	}
}

/* I8: after an exit the host sees its own registers except a0/a1. */
static void check_host_regs(struct fuzz_world *fw, unsigned int h, unsigned int op_index)
{
	struct shim_hart *hart = &fw->w->hart[h];

	if (!fw->host_saved[h] || shim_mode_virt(hart->mode)) {
		return;
	}
	for (unsigned int r = 1; r < 32; r++) {
		if (r != 10 && r != 11 && hart->x[r] != fw->host_x[h][r]) {
			fail_format(op_index, "I8 register confidentiality",
				    "host x%u changed across a TVM run on hart %u", r, h);
		}
	}
	fw->host_saved[h] = false;
}

/* --------------------------------------------------------- operations --- */

static void do_ecall(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, bool guest,
		     unsigned int i)
{
	struct shim_hart *hart = &fw->w->hart[h];
	uint64_t args[6];
	uint64_t eid = op->ext >= 0xF0 ? op->raw_eid : fuzz_exts[op->ext];

	if (guest != shim_mode_virt(hart->mode) || hart->mode == SHIM_MODE_M) {
		return; /* nobody of that kind runs on this hart now */
	}
	for (unsigned int a = 0; a < 6; a++) {
		args[a] = fuzz_arg_value(fw, &op->arg[a]);
	}
	bool run = !guest && eid == SBI_EXT_COVH && op->fid == COVH_RUN_TVM_VCPU;
	if (!guest) {
		/* The host's registers at the ecall: a0..a5 the arguments, a6/a7 FID/EID. */
		memcpy(fw->host_x[h], hart->x, sizeof(fw->host_x[h]));
		for (unsigned int a = 0; a < 6; a++) {
			fw->host_x[h][10 + a] = args[a];
		}
		fw->host_x[h][16] = op->fid;
		fw->host_x[h][17] = eid;
		fw->host_saved[h] = true;
	}
	if (!guest) {
		state_snapshot(fw); /* I7 is checked for the host's calls */
	}
	struct shim_sbiret r = shim_mon_ecall(fw->w, fw->mon, h, eid, op->fid, args);
	if (fuzz_trace) {
		fprintf(stderr, "  -> a0=%lld a1=0x%llx, hart %u now in %s\n", (long long)r.error,
			(unsigned long long)r.value, h,
			shim_mode_virt(hart->mode) ? "the guest" : "the host");
	}
	if (!r.reached_monitor) {
		return;
	}
	if (run && shim_mode_virt(hart->mode)) {
		return; /* entered the vCPU: a0/a1 are the guest's now */
	}
	if (!guest || !shim_mode_virt(hart->mode)) {
		/* The caller's a0/a1 (host, or the host after a guest call exited). */
		check_error_code(i, r.error);
	}
	if (!guest && eid == SBI_EXT_COVH) {
		check_covh_code(i, op->fid, r.error);
		if (r.error != 0) {
			check_unchanged(fw, i, "a host COVH call");
		} else if (op->fid == COVH_PROMOTE_TO_TVM) {
			if (fw->ntvm < 8) {
				fw->tvm_ids[fw->ntvm++] = r.value;
			}
			fuzz_check_attestation(fw, i, r.value);
		}
	} else if (!guest && r.error != 0 && eid != SBI_EXT_COVH) {
		check_unchanged(fw, i, "a host SBI call");
	}
	if (!guest) {
		fw->host_saved[h] = run; /* only a run that exits has regs to compare */
	}
	check_host_regs(fw, h, i);
}

static void do_access(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h,
		      unsigned int i)
{
	struct shim_hart *hart = &fw->w->hart[h];
	unsigned int size = 1u << ((op->flags >> 1) & 3);
	uint64_t addr = fuzz_arg_value(fw, &op->addr) & ~(uint64_t)(size - 1);

	if (!shim_mode_virt(hart->mode)) {
		return;
	}
	enum shim_guest_outcome o = shim_mon_guest_access(fw->w, fw->mon, h, op->flags & 1, addr,
							  size, op->reg, !(op->flags & 8));
	if (fuzz_trace) {
		fprintf(stderr, "  -> %s\n",
			o == SHIM_GUEST_DONE	 ? "done"
			: o == SHIM_GUEST_EXITED ? "exit to host"
						 : "trap");
	}
	check_host_regs(fw, h, i);
}

static void do_irq(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, unsigned int i)
{
	struct shim_hart *hart = &fw->w->hart[h];

	switch (op->irq % 4) {
	case 0: /* the host's timer (Sstc) */
		hart->csr.menvcfg |= UINT64_C(1) << 63;
		hart->csr.stimecmp = 0;
		hart->csr.mie |= UINT64_C(1) << SHIM_IRQ_STI;
		shim_world_update_timers(fw->w);
		break;
	case 1: shim_world_set_irq(fw->w, h, SHIM_IRQ_SEI, true); break;
	case 2:
		shim_world_send_ipi(fw->w, h);
		hart->csr.mie |= UINT64_C(1) << SHIM_IRQ_MSI;
		break;
	default: shim_world_advance_time(fw->w, 1000); break;
	}
	(void)shim_mon_interrupt(fw->w, fw->mon, h);
	/* The source goes away so one operation is one interrupt. */
	hart->csr.stimecmp = UINT64_MAX;
	shim_world_set_irq(fw->w, h, SHIM_IRQ_SEI, false);
	shim_world_set_irq(fw->w, h, SHIM_IRQ_MSI, false);
	shim_world_update_timers(fw->w);
	check_host_regs(fw, h, i);
}

static void do_host_write(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h,
			  unsigned int i)
{
	unsigned int size = 1u << op->size;
	uint64_t addr = fuzz_arg_value(fw, &op->addr) & ~(uint64_t)(size - 1);
	struct shim_access_result r;

	if (fw->w->hart[h].mode != SHIM_MODE_HS) {
		return;
	}
	r = shim_world_store(fw->w, h, addr, size,
			     (op->flags & FUZZ_WRITE_SYMBOLIC) ? fuzz_arg_value(fw, &op->val)
							       : op->value);
	/* I1 by hardware: a host store into monitor or confidential memory must fault. */
	if (r.ok && (mon_ranges_overlap(addr, size, fw->conf.base, fw->conf.size) ||
		     mon_ranges_overlap(addr, size, fw->plat.image.base,
					fw->plat.image.size + fw->plat.data.size))) {
		fuzz_fail(i, "I1 host isolation", "a host store reached protected memory");
	}
}

static void do_faults(struct fuzz_world *fw, const struct fuzz_op *op)
{
	fw->plan.fail[op->fault_kind % SHIM_FAULT_KINDS] = op->value;
	shim_world_set_faults(fw->w, &fw->plan);
}

static void do_run(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, unsigned int i)
{
	struct fuzz_op call;

	memset(&call, 0, sizeof(call));
	call.kind = FUZZ_OP_HOST_ECALL;
	call.ext = 2; /* COVH */
	call.fid = COVH_RUN_TVM_VCPU;
	call.arg[0].tag = FUZZ_ARG_TVM;
	call.arg[0].k = op->tvm;
	call.arg[1].tag = FUZZ_ARG_SMALL;
	call.arg[1].k = op->vcpu % 9;
	do_ecall(fw, &call, h, false, i);
}

/*
 * TRAP: the software on the hart takes an exception (not an ecall: those are
 * ECALL operations). Delegation decides who gets it; the monitor handles what
 * reaches M, and must never abort or let the host see guest state.
 */
static void do_trap(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, unsigned int i)
{
	struct shim_hart *hart = &fw->w->hart[h];
	uint64_t cause = op->cause;

	if (hart->mode == SHIM_MODE_M || (cause >= 8 && cause <= 11)) {
		return;
	}
	if (shim_hart_trap(hart, cause, op->value, op->value >> 2, op->tinst,
			   shim_mode_virt(hart->mode)) == SHIM_MODE_M) {
		(void)shim_mon_deliver(fw->w, fw->mon, h);
	}
	check_host_regs(fw, h, i);
}

void fuzz_reset(struct fuzz_world *fw)
{
	if (fw->w->mem.lines_exact) {
		/* I7's copy returns to the snapshot's bytes where the monitor wrote since. */
		shim_line_set_copy(&fw->w->mem.lines_reset, state_offset(fw), fw->state_len,
				   fw->state_before, fw->state_prep);
	} else if (fw->state_ref == fw->state_prep && fw->state_entries == fw->w->monitor_entries) {
		/* The monitor's bytes are still the snapshot's when I7's reference is the
		 * snapshot's copy and the monitor has not run since it was taken or found
		 * equal: the reset need not copy them back. */
		shim_mem_vouch_unchanged(&fw->w->mem, fw->plat.data.base, fw->state_len);
	}
	shim_world_reset(fw->w);
	fuzz_oracle_restore_prepared(fw);
	fw->state_ref = fw->state_prep;
	fw->state_entries = fw->w->monitor_entries;
	if (fuzz_oracle_mode == FUZZ_ORACLE_CROSS) {
		/* What the reset skipped (vouched-for monitor pages, released zero pages, lines
		 * not written) must hold the snapshot's bytes all the same: confidential
		 * memory, and every page ever written or mapped writable. */
		const struct shim_mem *mem = &fw->w->mem;
		uint64_t conf = fw->conf.base - mem->base;
		bool same = shim_lines_equal(fw->state_now, fw->state_prep, fw->state_len) &&
			    (!mem->lines_exact ||
			     shim_lines_equal(fw->state_before, fw->state_prep, fw->state_len)) &&
			    shim_lines_equal(mem->dram + conf, mem->snap + conf, fw->conf.size);
		for (size_t p = 0; same && p < mem->pages; p++) {
			size_t at = p * SHIM_PAGE_SIZE;
			if ((mem->touched[p / 64] | mem->pinned[p / 64]) >> (p % 64) & 1) {
				same = shim_lines_equal(mem->dram + at, mem->snap + at,
							SHIM_PAGE_SIZE);
			}
		}
		if (!same) {
			fuzz_fail(0, "oracle cross-check",
				  "the reset left memory unlike the snapshot's");
		}
	}
	memcpy(fw->slot, fw->prep_slot, sizeof(fw->slot));
	memcpy(fw->tvm_ids, fw->prep_tvm_ids, sizeof(fw->tvm_ids));
	fw->ntvm = fw->prep_ntvm;
	fw->nsealed = 0;
	memcpy(fw->host_saved, fw->prep_host_saved, sizeof(fw->host_saved));
	memcpy(fw->host_x, fw->prep_host_x, sizeof(fw->host_x));
	memset(&fw->plan, 0, sizeof(fw->plan));
}

void fuzz_perform(struct fuzz_world *fw, const struct fuzz_input *in, unsigned int i)
{
	const struct fuzz_op *op = &in->op[i];
	unsigned int h = op->hart % fw->harts;

	shim_hal_bind(fw->w);
	if (fuzz_trace) {
		fprintf(stderr, "op %u: ", i);
		fuzz_print_op(op, stderr);
	}
	switch (op->kind) {
	case FUZZ_OP_BUILD_VM:
		/* Version 1 had no TAPs: its MODE bit 3 builds none, as it did then. */
		fuzz_build_vm(fw, op, h, in->version >= 2);
		break;
	case FUZZ_OP_HOST_ECALL: do_ecall(fw, op, h, false, i); break;
	case FUZZ_OP_GUEST_ECALL: do_ecall(fw, op, h, true, i); break;
	case FUZZ_OP_GUEST_ACCESS: do_access(fw, op, h, i); break;
	case FUZZ_OP_IRQ: do_irq(fw, op, h, i); break;
	case FUZZ_OP_HOST_WRITE: do_host_write(fw, op, h, i); break;
	case FUZZ_OP_FAULTS: do_faults(fw, op); break;
	case FUZZ_OP_RUN: do_run(fw, op, h, i); break;
	case FUZZ_OP_TRAP: do_trap(fw, op, h, i); break;
	default: break;
	}
}

void fuzz_execute(const struct fuzz_input *in)
{
	static bool env_checked;

	if (!env_checked) {
		const char *mode = getenv("COVEMON_FUZZ_ORACLE");
		env_checked = true;
		fuzz_trace = fuzz_trace || getenv("COVEMON_FUZZ_TRACE") != NULL;
		if (mode && strcmp(mode, "full") == 0) {
			fuzz_oracle_mode = FUZZ_ORACLE_FULL;
		} else if (mode && strcmp(mode, "cross") == 0) {
			fuzz_oracle_mode = FUZZ_ORACLE_CROSS;
		}
	}
	struct fuzz_world *fw = fuzz_world_for(in->config);

	fuzz_reset(fw);
	run_ops(fw, in);
}

static void run_ops(struct fuzz_world *fw, const struct fuzz_input *in)
{
	for (unsigned int i = 0; i < in->nops; i++) {
		fuzz_perform(fw, in, i);
		fuzz_oracle_check(fw, i);
		if (fuzz_trace) {
			fprintf(stderr, "  oracle: I1 I2 I3 I4 I5 I6 I9 I10 held\n");
		}
	}
}
