// SPDX-License-Identifier: BSD-2-Clause
/*
 * A test hypervisor for local attestation, end to end on the emulated
 * machine: it reads a covemon-tap manifest (the same parser as `measure`),
 * builds that VM in the host memory of a shim world the way a hypervisor
 * would (G-stage tables, pages, the FDT, the boot registers in NACL), places
 * a TAP at the manifest's TAP GPA, calls COVH promote_to_tvm, and prints
 * what the monitor measured and what the guest gets from COVG
 * retrieve_secret. tap_e2e.sh compares that with `measure` and `seal`.
 *
 *   tap-e2e fdt OUT VCPUS MEM_GPA MEM_SIZE     writes a DTB for manifests
 *   tap-e2e run MANIFEST [--tap FILE] [--buffer GPA]
 *
 * `run` prints, one per line:
 *   promote ERR [tvm ID]       the SBI error of promote_to_tvm
 *   tvm none                   (refused) no TVM and no confidential page taken
 *   MR0 HEX, MR1 HEX           the registers as the guest reads them
 *   retrieve_secret ERR BYTES  (with --buffer) the guest's call, 4 KiB buffer
 *   retrieve_secret_short ERR  the same call with one byte too little room
 *   secrets HEX                the bytes the guest received
 * Exit status: 0 promoted, 1 refused without a trace, 2 usage or input,
 * 3 anything unexpected (a trace left behind, the guest could not run).
 *
 * Threat this stands for: the host controls every byte of the image and of
 * the TAP; the only thing that must decide whether secrets flow is the
 * monitor's check of the digests against its own registers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/abi/cove.h"
#include "covemon/abi/nacl.h"
#include "covemon/abi/sbi.h"
#include "covemon/abi/tap.h"
#include "covemon/introspect.h"
#include "manifest.h"
#include "predict.h"
#include "shim/monitor.h"
#include "shim/vmimage.h"
#include "util.h"

#define EXIT_PROMOTED 0
#define EXIT_REFUSED  1
#define EXIT_USAGE    2
#define EXIT_BROKEN   3

#define PAGE	      UINT64_C(4096)
#define MIB	      (UINT64_C(1) << 20)
#define REG_A5	      15u
#define PTE_V	      UINT64_C(0x1)
#define PTE_U	      UINT64_C(0x10)
#define PTE_A	      UINT64_C(0x40)
#define PTE_D	      UINT64_C(0x80)
#define E2E_MAX_MAP   (UINT64_C(256) << 20)
#define MONITOR_SIZE  (UINT64_C(256) << 10)

struct e2e {
	struct shim_world *w;
	struct mon *mon;
	struct shim_vm_builder b;
	uint64_t nacl;
	uint64_t identity_pa;
};

static int broken(const char *what)
{
	fprintf(stderr, "tap-e2e: %s\n", what);
	return EXIT_BROKEN;
}

/* ------------------------------------------------------------ the DTB --- */

static int cmd_fdt(int argc, char **argv)
{
	static uint8_t buf[8192];
	uint64_t vcpus;
	uint64_t mem_gpa;
	uint64_t mem_size;
	struct util_why why;

	if (argc != 6 || !util_parse_u64(argv[3], &vcpus) || vcpus > 64 ||
	    !util_parse_u64(argv[4], &mem_gpa) || !util_parse_size(argv[5], &mem_size)) {
		fprintf(stderr, "usage: tap-e2e fdt OUT VCPUS MEM_GPA MEM_SIZE\n");
		return EXIT_USAGE;
	}
	size_t len = shim_fdt_write(buf, sizeof(buf), (unsigned int)vcpus, mem_gpa, mem_size);
	if (len == 0) {
		return broken("the DTB does not fit");
	}
	if (!util_write_file(argv[2], buf, len, 0644, false, &why)) {
		fprintf(stderr, "tap-e2e: %s\n", why.text);
		return EXIT_USAGE;
	}
	return EXIT_PROMOTED;
}

/* ------------------------------------------------- the host's VM image --- */

/* A world big enough for the image (host copy) and its confidential copy. */
static int boot_world(struct e2e *e, const struct manifest *m)
{
	struct shim_world_config wc;
	struct shim_mon_config mc;
	struct mon_platform plat;
	const char *why = "";
	uint64_t image = m->mapped + m->mapped / 256;

	shim_world_config_default(&wc);
	shim_mon_config_default(&mc); /* the development root: the dev key of the tests */
	mc.confidential_size = (image + 8 * MIB) & ~(PAGE - 1);
	/* The instance, then 4 bytes of page record per confidential page. */
	mc.data_size = MONITOR_SIZE + ((mc.confidential_size / PAGE * 4 + PAGE - 1) & ~(PAGE - 1));
	wc.harts = 1;
	wc.dram_size =
		(mc.image_size + mc.data_size + image + 8 * MIB + mc.confidential_size + MIB - 1) &
		~(MIB - 1);
	if (wc.dram_size < 64 * MIB) {
		wc.dram_size = 64 * MIB;
	}
	e->w = shim_world_create(&wc, &why);
	if (!e->w) {
		return broken(why);
	}
	e->mon = shim_mon_boot(e->w, &mc, &plat, &why);
	if (!e->mon) {
		return broken(why);
	}
	uint64_t host = plat.data.base + plat.data.size;
	struct mon_region conf = mon_introspect_confidential(e->mon);
	if (conf.base <= host ||
	    !shim_vm_begin(&e->b, &e->w->mem, host, conf.base - host, m->mode)) {
		return broken("no room for the host's image");
	}
	return EXIT_PROMOTED;
}

/* Host PA behind @gpa in the tree just built (0 when unmapped). */
static uint64_t host_pa(struct e2e *e, uint64_t gpa)
{
	uint64_t slot = shim_vm_pte_addr(&e->b, gpa, 0);
	uint64_t pte = 0;

	if (!slot || !shim_mem_read(&e->w->mem, slot, &pte, sizeof(pte)) || !(pte & PTE_V)) {
		return 0;
	}
	return (((pte >> 10) & ((UINT64_C(1) << 44) - 1)) << 12) | (gpa & (PAGE - 1));
}

/* Every mapped page: a fresh host page with the manifest's bytes, a 4 KiB leaf. */
static int build_image(struct e2e *e, const struct manifest *m)
{
	static uint8_t page[MANIFEST_PAGE_SIZE];

	for (unsigned int i = 0; i < m->nranges; i++) {
		const struct manifest_range *r = &m->range[i];

		for (uint64_t off = 0; off < r->size; off += PAGE) {
			uint64_t pa = shim_vm_page(&e->b);

			if (!pa) {
				return broken("host memory exhausted");
			}
			manifest_page(m, r->gpa + off, page);
			if (!shim_mem_write(&e->w->mem, pa, page, sizeof(page)) ||
			    !shim_vm_set_pte(&e->b, r->gpa + off, 0,
					     ((pa >> 12) << 10) | PTE_V | r->perm | PTE_U | PTE_A |
						     PTE_D)) {
				return broken("cannot build the G-stage tree");
			}
		}
	}
	return EXIT_PROMOTED;
}

/* The TAP's bytes at its GPA, through the tree (the window is mapped: manifest.h). */
static int place_tap(struct e2e *e, const struct manifest *m, const char *path)
{
	struct util_why why;
	uint8_t *tap;
	size_t len;

	if (!m->have_tap) {
		fprintf(stderr, "tap-e2e: --tap needs a \"tap\" line in the manifest\n");
		return EXIT_USAGE;
	}
	if (!util_read_file(path, COVE_TAP_MAX_SIZE + 1, &tap, &len, &why)) {
		fprintf(stderr, "tap-e2e: %s\n", why.text);
		return EXIT_USAGE;
	}
	if (len > m->tap_size) {
		free(tap);
		fprintf(stderr, "tap-e2e: %s is larger than the manifest's TAP window\n", path);
		return EXIT_USAGE;
	}
	for (size_t off = 0; off < len;) {
		uint64_t gpa = m->tap_gpa + off;
		size_t n = (size_t)(PAGE - (gpa & (PAGE - 1)));
		uint64_t pa = host_pa(e, gpa);

		n = n < len - off ? n : len - off;
		if (!pa || !shim_mem_write(&e->w->mem, pa, tap + off, n)) {
			free(tap);
			return broken("the TAP window is not mapped");
		}
		off += n;
	}
	free(tap);
	return EXIT_PROMOTED;
}

static struct shim_sbiret host_ecall(struct e2e *e, uint64_t eid, uint64_t fid, uint64_t a0,
				     uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	return shim_mon_ecall(e->w, e->mon, 0, eid, fid, args);
}

static bool write64(struct e2e *e, uint64_t pa, uint64_t v)
{
	return shim_mem_write(&e->w->mem, pa, &v, sizeof(v));
}

/* NACL on hart 0 with hgatp and the boot vCPU's registers as written; the identity. */
static int boot_state(struct e2e *e, const struct manifest *m)
{
	uint64_t nacl = shim_vm_page(&e->b);
	bool ok = nacl && shim_vm_page(&e->b) == nacl + PAGE &&
		  shim_vm_page(&e->b) == nacl + 2 * PAGE;

	if (!ok || host_ecall(e, SBI_EXT_NACL, SBI_NACL_SET_SHMEM, nacl, 0, 0, 0).error != 0) {
		return broken("cannot set up NACL");
	}
	e->nacl = nacl;
	ok = write64(e, nacl + nacl_csr_offset(NACL_CSR_HGATP), shim_vm_hgatp(&e->b, 1)) &&
	     write64(e, nacl + nacl_csr_offset(NACL_CSR_VSATP), m->vsatp) &&
	     write64(e, nacl + nacl_csr_offset(NACL_CSR_VSSTATUS), m->vsstatus) &&
	     write64(e, nacl + nacl_csr_offset(NACL_CSR_VSTVEC), m->vstvec);
	for (unsigned int r = 1; ok && r < 32; r++) {
		ok = write64(e, nacl + NACL_SCRATCH_GPR_OFFSET(r), m->x[r]);
	}
	if (ok && m->have_identity) {
		e->identity_pa = shim_vm_page(&e->b); /* page aligned, so 64-byte aligned */
		ok = e->identity_pa &&
		     shim_mem_write(&e->w->mem, e->identity_pa, m->identity, sizeof(m->identity));
	}
	return ok ? EXIT_PROMOTED : broken("cannot write the boot state");
}

/* ------------------------------------------------------------ the guest --- */

/*
 * The guest's COVG call @fid; when it implies an exit to the host, the host
 * runs vCPU 0 again and the guest's a0/a1 are then the call's result.
 */
static struct shim_sbiret guest_ecall(struct e2e *e, uint64_t id, uint64_t fid, uint64_t a0,
				      uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	struct shim_hart *h = &e->w->hart[0];
	struct shim_sbiret r = shim_mon_ecall(e->w, e->mon, 0, SBI_EXT_COVG, fid, args);

	if (h->mode == SHIM_MODE_HS) {
		(void)host_ecall(e, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0, 0);
		r.error = h->mode == SHIM_MODE_VS ? (int64_t)h->x[10] : SBI_ERR_FAILED;
		r.value = h->x[11];
	}
	return r;
}

/* The guest loads @len bytes at @gpa (vsatp Bare: VA = GPA), eight at a time. */
static bool guest_read(struct e2e *e, uint64_t gpa, uint8_t *out, size_t len)
{
	for (size_t off = 0; off < len; off += 8) {
		if (shim_mon_guest_access(e->w, e->mon, 0, false, gpa + off, 8, REG_A5, true) !=
		    SHIM_GUEST_DONE) {
			return false;
		}
		uint64_t v = e->w->hart[0].x[REG_A5];
		for (size_t i = 0; i < 8 && off + i < len; i++) {
			out[off + i] = (uint8_t)(v >> (8 * i));
		}
	}
	return true;
}

static void print_hex_line(const char *label, const uint8_t *p, size_t len)
{
	printf("%s ", label);
	util_hex_print(stdout, p, len);
	printf("\n");
}

/* Runs vCPU 0; reads MR0/MR1 and (with @buffer) the secrets as the guest. */
static int as_guest(struct e2e *e, uint64_t id, const struct mon_tvm_view *view, uint64_t buffer,
		    bool have_buffer)
{
	static uint8_t secrets[PAGE];
	uint8_t mr[48];

	(void)host_ecall(e, SBI_EXT_COVH, COVH_RUN_TVM_VCPU, id, 0, 0, 0);
	if (e->w->hart[0].mode != SHIM_MODE_VS) {
		return broken("vCPU 0 did not start");
	}
	if (!have_buffer) {
		for (unsigned int r = 0; r < 2; r++) {
			print_hex_line(r ? "MR1" : "MR0", view->measure[r], 48);
		}
		return EXIT_PROMOTED;
	}
	for (unsigned int r = 0; r < 2; r++) {
		struct shim_sbiret s = guest_ecall(e, id, COVG_READ_MEASUREMENT, buffer, PAGE, r);

		if (s.error != 0 || s.value != 48) {
			fprintf(stderr, "tap-e2e: read_measurement: error %" PRId64 "\n", s.error);
			return broken("the guest cannot read its measurements (is --buffer a "
				      "writable page?)");
		}
		if (!guest_read(e, buffer, mr, sizeof(mr))) {
			return broken("the guest cannot load from --buffer");
		}
		if (memcmp(mr, view->measure[r], sizeof(mr)) != 0) {
			return broken("read_measurement differs from the monitor's register");
		}
		print_hex_line(r ? "MR1" : "MR0", mr, sizeof(mr));
	}
	struct shim_sbiret s = guest_ecall(e, id, COVG_RETRIEVE_SECRET, buffer, PAGE, 0);
	printf("retrieve_secret %" PRId64 " %" PRIu64 "\n", s.error, s.value);
	if (s.error == 0 && s.value > 0) {
		struct shim_sbiret shorter =
			guest_ecall(e, id, COVG_RETRIEVE_SECRET, buffer, s.value - 1, 0);

		printf("retrieve_secret_short %" PRId64 "\n", shorter.error);
	}
	if (s.error == 0) {
		if (s.value > sizeof(secrets) || !guest_read(e, buffer, secrets, s.value)) {
			return broken("the guest cannot read its secrets");
		}
		print_hex_line("secrets", secrets, s.value);
	}
	return EXIT_PROMOTED;
}

static int run(struct e2e *e, const struct manifest *m, const char *tap, uint64_t buffer,
	       bool have_buffer)
{
	struct mon_tvm_view view;
	int rc = boot_world(e, m);

	if (rc == EXIT_PROMOTED) {
		rc = build_image(e, m);
	}
	if (rc == EXIT_PROMOTED && tap) {
		rc = place_tap(e, m, tap);
	}
	if (rc == EXIT_PROMOTED) {
		rc = boot_state(e, m);
	}
	if (rc != EXIT_PROMOTED) {
		return rc;
	}
	struct shim_sbiret r = host_ecall(e, SBI_EXT_COVH, COVH_PROMOTE_TO_TVM, m->fdt_gpa,
					  tap ? m->tap_gpa : 0, m->entry, e->identity_pa);
	if (r.error != 0) {
		printf("promote %" PRId64 "\n", r.error);
		/* A refused promote leaves no TVM and takes no page (DESIGN.md I6). */
		if (mon_introspect_pages_in_use(e->mon) != 0 ||
		    mon_introspect_tvm(e->mon, 1, &view)) {
			printf("tvm left behind\n");
			return EXIT_BROKEN;
		}
		printf("tvm none\n");
		return EXIT_REFUSED;
	}
	printf("promote 0 tvm %" PRIu64 "\n", r.value);
	if (!mon_introspect_tvm(e->mon, r.value, &view)) {
		return broken("promote succeeded but there is no TVM");
	}
	if (view.vcpu_count != m->vcpus) {
		return broken("the monitor counted other vCPUs than the manifest's FDT");
	}
	struct predict_csrs csrs;
	predict_csrs(m, &csrs); /* the vsatp the guest boots with */
	if (have_buffer && (csrs.vsatp >> 60) != 0) {
		return broken("--buffer needs vsatp Bare (the guest reads by GPA)");
	}
	return as_guest(e, r.value, &view, buffer, have_buffer);
}

static int cmd_run(int argc, char **argv)
{
	static struct manifest m;
	struct e2e e = { 0 };
	struct util_why why;
	const char *tap = NULL;
	uint64_t buffer = 0;
	bool have_buffer = false;
	int rc;

	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "tap-e2e: %s needs a value\n", argv[i]);
			return EXIT_USAGE;
		}
		if (strcmp(argv[i], "--tap") == 0) {
			tap = argv[i + 1];
		} else if (strcmp(argv[i], "--buffer") == 0 &&
			   util_parse_u64(argv[i + 1], &buffer) && buffer % PAGE == 0) {
			have_buffer = true;
		} else {
			fprintf(stderr, "tap-e2e: bad option %s %s\n", argv[i], argv[i + 1]);
			return EXIT_USAGE;
		}
	}
	if (argc < 3) {
		fprintf(stderr, "usage: tap-e2e run MANIFEST [--tap FILE] [--buffer GPA]\n");
		return EXIT_USAGE;
	}
	if (!manifest_parse(argv[2], &m, &why)) {
		manifest_free(&m);
		fprintf(stderr, "tap-e2e: %s\n", why.text);
		return EXIT_USAGE;
	}
	if (m.mapped > E2E_MAX_MAP) {
		manifest_free(&m);
		fprintf(stderr, "tap-e2e: the test hypervisor builds at most 256 MiB\n");
		return EXIT_USAGE;
	}
	rc = run(&e, &m, tap, buffer, have_buffer);
	manifest_free(&m);
	shim_world_destroy(e.w);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "fdt") == 0) {
		return cmd_fdt(argc, argv);
	}
	if (argc >= 2 && strcmp(argv[1], "run") == 0) {
		return cmd_run(argc, argv);
	}
	fprintf(stderr, "usage: tap-e2e fdt OUT VCPUS MEM_GPA MEM_SIZE\n"
			"       tap-e2e run MANIFEST [--tap FILE] [--buffer GPA]\n");
	return EXIT_USAGE;
}
