// SPDX-License-Identifier: BSD-2-Clause
/*
 * COVH promote_to_tvm (CoVE spec, "Function: COVE Host Promote to TVM";
 * deployment model 3): recreate a running VM in confidential memory.
 *
 * The host's G-stage tree is walked from the hgatp it reflects in NACL.
 * Every PTE is read exactly once; every table and every data page must be
 * host memory; invalid encodings (W without R, reserved bits, non-leaf A/D/U,
 * leaves without U), misaligned superpages, a table page reached twice
 * (cycles, aliasing) and too many tables are refused (ACE flaws 7, 8). Each
 * mapped page is copied once into a fresh confidential page and measured
 * from that copy, never re-read from host memory (TOCTOU). The FDT is parsed
 * from the copy. Any failure releases everything: no TVM, no page taken, the
 * monitor state as before (ACE flaw 5).
 *
 * With a TAP (abi/tap.h), its bytes are taken from the TVM's copy as the
 * walk passes them and zeroed there before the page is measured (the TVM
 * never sees them; MR0 counts them as zero). Once MR0 and MR1 are final the
 * TAP is opened with the platform key and every digest in it must equal its
 * register; the secrets go to a monitor page of the TVM for retrieve_secret.
 * Any TAP failure creates no TVM: a host that wants the VM without secrets
 * promotes again with tap_addr 0 (retrieve_secret then answers AUTH).
 *
 * Errors (the spec's list): INVALID_ADDRESS (bad FDT, tables/pages outside
 * host memory, a TAP misaligned or not fully mapped), AUTH (a TAP that is
 * malformed, does not authenticate or whose digests differ, or a platform
 * without an attestation root), OUT_OF_MEMORY, FAILED (malformed tables, no
 * NACL area; no free TVM slot is OUT_OF_MEMORY).
 */
#include "core.h"
#include "covemon/abi/cove.h"
#include "covemon/abi/measure.h"
#include "covemon/abi/nacl.h"
#include "covemon/fdt.h"
#include "covemon/lib.h"
#include "covemon/sha384.h"
#include "covemon/tap.h"
#include "riscv_bits.h"

#define PROMOTE_MAX_TABLES 512u

_Static_assert(RUN_VSSTATUS_WRITABLE == COVE_MEASURE_VSSTATUS_MASK,
	       "MR1 measures vsstatus as the TSM keeps it");

struct walk_frame {
	uint64_t table;
	uint64_t base_gpa;
	uint32_t next;
	uint32_t entries;
	unsigned int level;
	uint64_t valid; /* bit j: entry j of the chunk holding next has V */
};

struct promote {
	struct mon *mon;
	hart_t hart;
	struct tvm *tvm;
	struct sha384_ctx image; /* MR0 */
	/* The tables reached, by base (sizes: table_size; 4 KiB of M-mode stack, not 8). */
	uint64_t visited[PROMOTE_MAX_TABLES];
	unsigned int nvisited;
	/* The TAP's bytes, gathered in ascending GPA order (tap_gpa 0: none). */
	uint64_t tap_gpa;
	uint32_t tap_len;  /* total length once the header is in, 0 before */
	uint32_t tap_have; /* bytes gathered: [tap_gpa, tap_gpa + tap_have) */
	uint64_t tap_scratch;
	uint8_t *tap; /* COVE_TAP_MAX_SIZE bytes of PAGE_TVM_META scratch */
};

#define TAP_SCRATCH_PAGES ((COVE_TAP_MAX_SIZE + MON_PAGE_SIZE - 1) / MON_PAGE_SIZE)

/*
 * Moves the TAP's bytes in the page just copied to @gpa into the scratch and
 * zeroes them in the copy. Bytes are taken only where the gathered run
 * continues, so an unmapped hole leaves the TAP incomplete (checked after the
 * walk). The header, once complete, gives the length.
 */
static mon_err_t take_tap_bytes(struct promote *p, uint64_t gpa, uint8_t *page)
{
	while (p->tap_gpa) {
		uint64_t next = p->tap_gpa + p->tap_have;
		uint64_t end = p->tap_gpa + (p->tap_len ? p->tap_len : COVE_TAP_HEADER_SIZE);

		/* Unsigned: next - gpa is huge when next < gpa. Walked GPAs stay below
		 * 2^59, so a tap_gpa near 2^64 (end wrapping) never matches a page. */
		if (next >= end || next - gpa >= MON_PAGE_SIZE) {
			return MON_OK;
		}
		uint64_t n = end - next;
		if (n > MON_PAGE_SIZE - (next - gpa)) {
			n = MON_PAGE_SIZE - (next - gpa);
		}
		mon_memcpy(p->tap + p->tap_have, page + (next - gpa), n);
		mon_memset(page + (next - gpa), 0, n);
		p->tap_have += (uint32_t)n;
		if (!p->tap_len && p->tap_have == COVE_TAP_HEADER_SIZE &&
		    tap_header(p->tap, &p->tap_len) != MON_OK) {
			return MON_ERR_AUTH; /* not a TAP (the spec has no INVALID_PARAM here) */
		}
	}
	return MON_OK;
}

/* Copies one host page into a new confidential page, maps and measures it. */
static mon_err_t copy_page(struct promote *p, uint64_t gpa, uint64_t host_pa, uint64_t perm)
{
	uint64_t page;
	uint64_t le[2];
	mon_err_t err;

	err = pages_alloc(p->mon, p->hart, p->tvm, PAGE_TVM_DATA, 1, MON_PAGE_SIZE, &page);
	if (err != MON_OK) {
		return MON_ERR_OUT_OF_MEMORY;
	}
	uint8_t *dst = hal_mon_map(pa_init(page), MON_PAGE_SIZE);
	err = memaccess_host_read(p->mon, p->hart, host_pa, dst, MON_PAGE_SIZE);
	if (err == MON_OK) {
		err = take_tap_bytes(p, gpa, dst);
	}
	if (err != MON_OK) {
		return err;
	}
	err = gstage_map(p->mon, p->hart, p->tvm, gpa, page, perm);
	if (err == MON_ERR_OUT_OF_PTPAGES) {
		return MON_ERR_OUT_OF_MEMORY;
	}
	if (err != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	le[0] = mon_cpu_to_le64(gpa);
	le[1] = mon_cpu_to_le64(perm);
	sha384_update(&p->image, le, sizeof(le));
	sha384_update(&p->image, dst, MON_PAGE_SIZE);
	return MON_OK;
}

/* The size of visited table @i: the root (the first) has 4 pages, the others one. */
static uint64_t table_size(unsigned int i)
{
	return i == 0 ? 4 * MON_PAGE_SIZE : MON_PAGE_SIZE;
}

/* Takes the next table of the walk (the root first): host memory, reached once. */
static mon_err_t visit_table(struct promote *p, uint64_t table)
{
	uint64_t size = table_size(p->nvisited);

	if (!memmap_is_host(&p->mon->map, table, size)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	for (unsigned int i = 0; i < p->nvisited; i++) {
		if (mon_ranges_overlap(p->visited[i], table_size(i), table, size)) {
			return MON_ERR_FAILED; /* a cycle, or two links to one table */
		}
	}
	if (p->nvisited == PROMOTE_MAX_TABLES) {
		return MON_ERR_FAILED;
	}
	p->visited[p->nvisited++] = table;
	return MON_OK;
}

/* One valid PTE of the host's tree at @level mapping @gpa (the walk passes over the rest). */
static mon_err_t walk_pte(struct promote *p, struct walk_frame *stack, unsigned int *depth,
			  uint64_t pte, uint64_t gpa, unsigned int level)
{
	mon_err_t err;

	if ((pte & PTE_RESERVED) || ((pte & (PTE_R | PTE_W)) == PTE_W)) {
		return MON_ERR_FAILED;
	}
	if (!(pte & (PTE_R | PTE_X))) {
		/* A pointer to the next level. */
		if (level == 0 || (pte & (PTE_A | PTE_D | PTE_U))) {
			return MON_ERR_FAILED;
		}
		err = visit_table(p, PTE_PPN(pte));
		if (err != MON_OK) {
			return err;
		}
		stack[*depth] = (struct walk_frame){ PTE_PPN(pte), gpa, 0, 512, level - 1, 0 };
		(*depth)++;
		return MON_OK;
	}
	/* A leaf: user-level (G-stage requirement), aligned to its size, host memory. */
	uint64_t size = UINT64_C(1) << (12 + 9 * level);
	uint64_t pa = PTE_PPN(pte);

	if (!(pte & PTE_U)) {
		return MON_ERR_FAILED;
	}
	if (!mon_is_aligned(pa, size)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if (!memmap_is_host(&p->mon->map, pa, size)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	for (uint64_t off = 0; off < size; off += MON_PAGE_SIZE) {
		err = copy_page(p, gpa + off, pa + off, pte & (PTE_R | PTE_W | PTE_X));
		if (err != MON_OK) {
			return err;
		}
	}
	return MON_OK;
}

/* PTEs fetched per host read (one bit each in walk_frame.valid): every PTE is
 * still read exactly once. Tables have 512 or 2048 entries, a multiple of it. */
#define WALK_CHUNK 64u

/* Bit j set when @chunk[j] has V. */
static uint64_t chunk_valid(const uint64_t chunk[WALK_CHUNK])
{
	_Static_assert(PTE_V == 1, "V is bit 0");
	return mon_word_bits(chunk, WALK_CHUNK, 0);
}

/* Depth-first over the host's tree in ascending GPA order, with an explicit stack. */
static mon_err_t walk_host_tree(struct promote *p, uint64_t root, unsigned int levels)
{
	struct walk_frame stack[5];
	uint64_t chunk[5][WALK_CHUNK];
	unsigned int depth = 1;
	mon_err_t err;

	_Static_assert(WALK_CHUNK <= 64 && 512 % WALK_CHUNK == 0, "one valid bit per entry");
	err = visit_table(p, root);
	if (err != MON_OK) {
		return err;
	}
	stack[0] = (struct walk_frame){ root, 0, 0, 2048, levels - 1, 0 };
	while (depth) {
		struct walk_frame *f = &stack[depth - 1];
		uint64_t *buf = chunk[depth - 1];

		if (f->next == f->entries) {
			depth--;
			continue;
		}
		uint32_t i = f->next;
		if (i % WALK_CHUNK == 0) {
			err = memaccess_host_read(p->mon, p->hart, f->table + 8 * (uint64_t)i, buf,
						  sizeof(chunk[0]));
			if (err != MON_OK) {
				return err;
			}
			f->valid = chunk_valid(buf);
		}
		/* Entries without V map nothing, whatever their other bits. */
		uint64_t rest = f->valid >> (i % WALK_CHUNK);
		if (!rest) {
			f->next = (i / WALK_CHUNK + 1) * WALK_CHUNK;
			continue;
		}
		while (!(rest & 1)) {
			rest >>= 1;
			i++;
		}
		f->next = i + 1;
		uint64_t gpa = f->base_gpa + ((uint64_t)i << (12 + 9 * f->level));
		err = walk_pte(p, stack, &depth, buf[i % WALK_CHUNK], gpa, f->level);
		if (err != MON_OK) {
			return err;
		}
	}
	return MON_OK;
}

/* Parses the FDT from the TVM's copy: vCPU count and the memory node. */
static mon_err_t parse_fdt(struct promote *p, uint64_t fdt_gpa)
{
	uint8_t header[8];
	struct fdt fdt;
	uint64_t scratch;
	mon_err_t err;
	uint64_t mem_base;
	uint64_t mem_size;
	unsigned int cpus;

	if (memaccess_guest_read(p->mon, p->tvm, fdt_gpa, header, sizeof(header)) != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	uint32_t total = mon_load_be32(header + 4);
	if (total < 40 || total > MON_FDT_MAX) {
		return MON_ERR_INVALID_ADDRESS;
	}
	uint64_t npages = (total + MON_PAGE_SIZE - 1) / MON_PAGE_SIZE;
	if (pages_alloc(p->mon, p->hart, p->tvm, PAGE_TVM_META, npages, MON_PAGE_SIZE, &scratch) !=
	    MON_OK) {
		return MON_ERR_OUT_OF_MEMORY;
	}
	uint8_t *buf = hal_mon_map(pa_init(scratch), npages * MON_PAGE_SIZE);
	err = MON_ERR_INVALID_ADDRESS;
	if (memaccess_guest_read(p->mon, p->tvm, fdt_gpa, buf, total) == MON_OK &&
	    fdt_init(&fdt, buf, total) == MON_OK &&
	    fdt_vm_layout(&fdt, &cpus, &mem_base, &mem_size) == MON_OK) {
		if (cpus >= 1 && cpus <= MON_MAX_VCPUS && mem_size &&
		    mon_range_within(mem_base, mem_size, 0, gstage_gpa_limit(p->tvm->mode))) {
			p->tvm->vcpu_count = (uint8_t)cpus;
			p->tvm->mem_gpa = mem_base;
			p->tvm->mem_size = mem_size;
			err = MON_OK;
		}
	}
	pages_free(p->mon, p->tvm, scratch, npages);
	return err;
}

/* Reads the boot vCPU's state from NACL, each field once, and sanitises it. */
static void take_boot_state(struct promote *p, uint64_t shmem, struct vcpu *v)
{
	uint64_t x[32];

	run_vcpu_reset(p->mon, p->tvm, v);
	/* x1..x31 in one read; a faulting area leaves them all in reset state. */
	if (memaccess_host_read(p->mon, p->hart, shmem + NACL_SCRATCH_GPR_OFFSET(1), &x[1],
				31 * sizeof(x[0])) == MON_OK) {
		for (unsigned int r = 1; r < 32; r++) {
			v->x[r] = x[r];
		}
	}
	static const unsigned int csrs[] = { NACL_CSR_VSATP, NACL_CSR_VSSTATUS, NACL_CSR_VSTVEC,
					     NACL_CSR_VSSCRATCH };
	uint64_t vals[4] = { 0, 0, 0, 0 };
	for (unsigned int i = 0; i < 4; i++) {
		if (memaccess_host_read(p->mon, p->hart, shmem + nacl_csr_offset(csrs[i]), &vals[i],
					sizeof(vals[i])) != MON_OK) {
			vals[i] = 0; /* a faulting slot reads as reset state */
		}
	}
	/* vsatp: a MODE the hart supports, else Bare. vsstatus: S-level view only. */
	uint64_t mode = vals[0] >> 60;
	v->csr.vsatp = (mode == 0 || mode == 8 || mode == 9 || mode == 10) ? vals[0] : 0;
	v->csr.vsstatus = vals[1] & RUN_VSSTATUS_WRITABLE;
	v->csr.vstvec = vals[2] & ~UINT64_C(2);
	v->csr.vsscratch = vals[3];
}

static void measure_config(struct promote *p, const struct sbi_call *call,
			   const uint8_t identity[64])
{
	struct sha384_ctx c;
	const struct vcpu *v = &p->tvm->vcpu[0];
	const uint64_t head[3] = { call->arg[2], call->arg[0], p->tvm->vcpu_count };
	const uint64_t tail[3] = { v->csr.vsatp, v->csr.vsstatus, v->csr.vstvec };
	/* The record, as 64-bit little-endian words: head, x1..x31, tail; then the identity. */
	uint64_t rec[3 + 31 + 3];
	unsigned int n = 0;

	for (unsigned int i = 0; i < 3; i++) {
		rec[n++] = mon_cpu_to_le64(head[i]);
	}
	for (unsigned int r = 1; r < 32; r++) {
		rec[n++] = mon_cpu_to_le64(v->x[r]);
	}
	for (unsigned int i = 0; i < 3; i++) {
		rec[n++] = mon_cpu_to_le64(tail[i]);
	}
	sha384_init(&c);
	sha384_update(&c, COVE_MEASURE_MR1_TAG, sizeof(COVE_MEASURE_MR1_TAG) - 1);
	sha384_update(&c, rec, sizeof(rec));
	sha384_update(&c, identity, 64);
	sha384_final(&c, p->tvm->measure[COVE_MEASURE_CONFIG]);
}

/*
 * Opens the gathered TAP with the platform key and checks its digests against
 * MR0 and MR1 (final by now); keeps the secrets in a page of the TVM.
 */
static mon_err_t check_tap(struct promote *p)
{
	struct tap_contents contents;
	uint64_t page;
	mon_err_t err;

	if (p->tap_len == 0 || p->tap_have != p->tap_len) {
		return MON_ERR_INVALID_ADDRESS; /* not all of it is mapped */
	}
	if (!p->mon->local_attestation) {
		return MON_ERR_AUTH;
	}
	if (pages_alloc(p->mon, p->hart, p->tvm, PAGE_TVM_SECRET, 1, MON_PAGE_SIZE, &page) !=
	    MON_OK) {
		return MON_ERR_OUT_OF_MEMORY;
	}
	/* Malformed or not authentic: both are a failed local attestation. */
	err = tap_open(&p->mon->tap_key, p->tap, p->tap_len, &contents,
		       hal_mon_map(pa_init(page), MON_PAGE_SIZE)) == MON_OK
		      ? MON_OK
		      : MON_ERR_AUTH;
	for (unsigned int r = 0; err == MON_OK && r < 2; r++) {
		if ((contents.digest_mask & (1u << r)) &&
		    !mon_memeq_ct(contents.digest[r], p->tvm->measure[r], 48)) {
			err = MON_ERR_AUTH;
		}
	}
	if (err == MON_OK) {
		p->tvm->secret = page;
		p->tvm->secret_len = (uint16_t)contents.secrets_len;
	}
	mon_memzero_explicit(&contents, sizeof(contents));
	return err; /* on error the caller releases the page with the TVM */
}

struct sbi_result promote_to_tvm(struct mon *mon, hart_t hart, const struct sbi_call *call)
{
	struct sbi_result r = { MON_OK, 0 };
	uint64_t fdt_gpa = call->arg[0];
	uint64_t tap_gpa = call->arg[1];
	uint64_t identity_pa = call->arg[3];
	uint8_t identity[64];
	uint64_t hgatp;
	struct promote p;

	/* decode and check, before anything is allocated */
	if (!mon_is_aligned(fdt_gpa, 8)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}
	if (!mon_is_aligned(tap_gpa, 8)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}
	mon_memset(identity, 0, sizeof(identity));
	if (identity_pa != 0 &&
	    (!mon_is_aligned(identity_pa, 64) ||
	     memaccess_host_read(mon, hart, identity_pa, identity, sizeof(identity)) != MON_OK)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}
	if (!mon->hart[hart].nacl_enabled) {
		r.err = MON_ERR_FAILED;
		return r;
	}
	uint64_t shmem = mon->hart[hart].nacl_shmem;
	if (memaccess_host_read(mon, hart, shmem + nacl_csr_offset(NACL_CSR_HGATP), &hgatp,
				sizeof(hgatp)) != MON_OK) {
		r.err = MON_ERR_FAILED;
		return r;
	}
	unsigned int mode = (unsigned int)(hgatp >> ATP_MODE_SHIFT);
	unsigned int levels = gstage_levels(mode);
	uint64_t root = (hgatp & ATP_PPN_MASK) << 12;
	if (!levels) {
		r.err = MON_ERR_FAILED;
		return r;
	}
	if (!mon_is_aligned(root, 4 * MON_PAGE_SIZE)) {
		r.err = MON_ERR_INVALID_ADDRESS;
		return r;
	}

	mon_memset(&p, 0, sizeof(p));
	p.mon = mon;
	p.hart = hart;
	p.tvm = tvm_alloc(mon);
	if (!p.tvm) {
		r.err = MON_ERR_OUT_OF_MEMORY;
		return r;
	}
	sha384_init(&p.image);
	r.err = gstage_init(mon, hart, p.tvm, mode);
	if (r.err == MON_ERR_OUT_OF_PTPAGES) {
		r.err = MON_ERR_OUT_OF_MEMORY;
	}
	if (r.err == MON_OK && tap_gpa != 0) {
		p.tap_gpa = tap_gpa;
		if (pages_alloc(mon, hart, p.tvm, PAGE_TVM_META, TAP_SCRATCH_PAGES, MON_PAGE_SIZE,
				&p.tap_scratch) == MON_OK) {
			p.tap = hal_mon_map(pa_init(p.tap_scratch),
					    TAP_SCRATCH_PAGES * MON_PAGE_SIZE);
		} else {
			r.err = MON_ERR_OUT_OF_MEMORY;
		}
	}
	if (r.err == MON_OK) {
		r.err = walk_host_tree(&p, root, levels);
	}
	if (r.err == MON_OK) {
		r.err = parse_fdt(&p, fdt_gpa);
	}
	if (r.err == MON_OK) {
		/* the registers, then the TAP that names them */
		sha384_final(&p.image, p.tvm->measure[COVE_MEASURE_IMAGE]);
		take_boot_state(&p, shmem, &p.tvm->vcpu[0]);
		measure_config(&p, call, identity);
		if (tap_gpa != 0) {
			r.err = check_tap(&p);
		}
	}
	if (p.tap) {
		pages_free(mon, p.tvm, p.tap_scratch, TAP_SCRATCH_PAGES); /* scrubbed */
	}
	if (r.err != MON_OK) {
		mon_memzero_explicit(&p.image, sizeof(p.image));
		tvm_release(mon, hart, p.tvm);
		return r;
	}

	/* commit: vCPUs; nothing below can fail */
	p.tvm->vcpu[0].pc = call->arg[2];
	p.tvm->vcpu[0].state = VCPU_RUNNABLE;
	for (unsigned int v = 1; v < p.tvm->vcpu_count; v++) {
		run_vcpu_reset(mon, p.tvm, &p.tvm->vcpu[v]);
		p.tvm->vcpu[v].state = VCPU_STOPPED;
	}
	p.tvm->state = COVE_TVM_RUNNABLE;
	r.value = p.tvm->id;
	return r;
}
