// SPDX-License-Identifier: BSD-2-Clause
/*
 * BUILD_VM: the host prepares a VM for promote_to_tvm in one of four host
 * memory slots, optionally with one planted defect (enum fuzz_flaw), and
 * reflects hgatp and the boot registers in the NACL area of the hart.
 */
#include <openssl/evp.h>
#include <string.h>

#include "covemon/abi/nacl.h"
#include "covemon/sha384.h"
#include "shim/vmimage.h"
#include "tap_build.h"
#include "world_internal.h"

#define VM_GPA	   UINT64_C(0x80000000)
#define SLOT_PAGES 96u
#define SLOT_FIRST 16u
#define PTE_V	   0x1u
#define PTE_R	   0x2u
#define PTE_W	   0x4u
#define PTE_X	   0x8u
#define PTE_U	   0x10u
#define PTE_A	   0x40u
#define PTE_D	   0x80u
#define LEAF	   (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define VS_LEAF	   (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D) /* supervisor page */
#define GIB	   (UINT64_C(1) << 30)
#define SATP_SV39  (UINT64_C(8) << 60)

static void put64(struct shim_mem *mem, uint64_t pa, uint64_t v)
{
	(void)shim_mem_write(mem, pa, &v, 8);
}

/*
 * The guest's own Sv39 tables, identity mapping its RAM and the MMIO below it,
 * in the image's first pages (the root at page 0): root entry 0 a 1 GiB leaf
 * at 0 (MMIO), entry 2 a pointer to page 1, whose entry 0 is a 2 MiB leaf at
 * VM_GPA; with only two pages (one is the FDT's), entry 2 is a 1 GiB leaf.
 * Returns the vsatp that selects them.
 */
static uint64_t build_vs_tables(struct fuzz_world *fw, const uint64_t *page_pa, unsigned int pages)
{
	uint64_t root[8] = { VS_LEAF }; /* entry 0: PPN 0 */
	uint64_t l1[8] = { (VM_GPA >> 12) << 10 | VS_LEAF };

	_Static_assert(VM_GPA == 2 * GIB, "RAM at the third 1 GiB of guest memory");
	root[2] = pages >= 3 ? ((VM_GPA + SHIM_PAGE_SIZE) >> 12) << 10 | PTE_V
			     : (VM_GPA >> 12) << 10 | VS_LEAF;
	/* Over the first line of each page, where BUILD_VM put its fill. */
	(void)shim_mem_write(&fw->w->mem, page_pa[0], root, sizeof(root));
	if (pages >= 3) {
		(void)shim_mem_write(&fw->w->mem, page_pa[1], l1, sizeof(l1));
	}
	return SATP_SV39 | (VM_GPA >> 12);
}

/*
 * MR0 as promote_to_tvm measures the image: every page in ascending GPA
 * order as (GPA, RWX, the 4 KiB) with the TAP's bytes read as zeros (the
 * monitor moves them out before it measures). Pages a flaw adds are not in it.
 */
static void image_mr0(struct fuzz_world *fw, const uint64_t *page_pa, unsigned int n,
		      uint64_t tap_gpa, size_t tap_len, uint8_t mr0[48])
{
	struct sha384_ctx c;
	uint8_t page[SHIM_PAGE_SIZE];
	uint64_t le[2] = { 0, PTE_R | PTE_W | PTE_X }; /* little-endian host */

	sha384_init(&c);
	for (unsigned int i = 0; i < n; i++) {
		le[0] = VM_GPA + (uint64_t)i * SHIM_PAGE_SIZE;
		(void)shim_mem_read(&fw->w->mem, page_pa[i], page, sizeof(page));
		/* The TAP's bytes on this page (it may start on the one before). */
		uint64_t from = tap_gpa > le[0] ? tap_gpa : le[0];
		uint64_t to = tap_gpa + tap_len;
		to = to < le[0] + SHIM_PAGE_SIZE ? to : le[0] + SHIM_PAGE_SIZE;
		if (from < to) {
			memset(page + (from - le[0]), 0, (size_t)(to - from));
		}
		sha384_update(&c, le, sizeof(le));
		sha384_update(&c, page, sizeof(page));
	}
	sha384_final(&c, mr0);
}

/*
 * BUILD_VM's sealing cipher: OpenSSL's AES-256-GCM. The monitor's own
 * (portable, constant time) took 15 us a call, and a mutated image is a new
 * seal: the harness's side of a TAP cost more than the monitor's. What the
 * monitor opens it opens with its own cipher; fuzz/tests check the two
 * agree. A failure leaves a TAP the monitor refuses (AUTH), never a crash.
 */
static void openssl_seal(const uint8_t key[32], const uint8_t iv[12], const void *aad,
			 size_t aad_len, const void *pt, size_t len, void *ct, uint8_t tag[16])
{
	static EVP_CIPHER_CTX *ctx;
	static bool ready;
	int n = 0;
	bool ok;

	/* The cipher is set once: naming it on every call made OpenSSL look it up
	 * in its providers again, most of the seal's time. Then only key and IV. */
	if (!ctx) {
		ctx = EVP_CIPHER_CTX_new();
		ready = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1;
	}
	ok = ready && EVP_EncryptInit_ex(ctx, NULL, NULL, key, iv) == 1 &&
	     (aad_len == 0 || EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len) == 1) &&
	     (len == 0 || EVP_EncryptUpdate(ctx, ct, &n, pt, (int)len) == 1) &&
	     EVP_EncryptFinal_ex(ctx, (uint8_t *)ct + len, &n) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
	if (!ok) {
		memset(tag, 0, 16);
	}
}

/*
 * MODE bit 3: a TAP at GPA @tap_gpa, in the image's last pages, sealed for
 * the shim's platform key, with one secret and the digests MODE bits 5:4
 * choose. Written last: MR0 covers every other page as built.
 */
static void build_tap(struct fuzz_world *fw, const struct fuzz_op *op, const uint64_t *page_pa,
		      unsigned int n, uint64_t tap_gpa)
{
	static struct tap_platform_key key; /* derived once: the shim's development root */
	static bool have_key;
	struct tap_spec s;
	uint8_t secret[32];
	uint8_t mr0[48];

	if (!have_key) {
		have_key = tap_derive_platform_key((const uint8_t *)SHIM_DEV_ATTESTATION_ROOT,
						   &key) == MON_OK;
		if (!have_key) {
			return;
		}
	}
	tap_spec_init(&s, NULL);
	s.keys[0] = &key;
	s.aead = openssl_seal;
	if (fw->nsealed == sizeof(fw->sealed) / sizeof(fw->sealed[0])) {
		return;
	}
	struct fuzz_sealed *rec = &fw->sealed[fw->nsealed];
	/* The name says which seal the secrets came from (the A1 check looks it up). */
	rec->name = UINT64_C(0x5345414C00000000) | fw->nsealed; /* "SEAL" */
	memset(secret, (int)op->param, sizeof(secret));
	s.secret[0] = (struct tap_secret){ rec->name, secret, sizeof(secret) };
	s.nsecrets = 1;
	/* The TAP's length does not depend on the digests' values: MR0 is measured
	 * with the TAP's bytes zeroed, then the TAP sealed with it. */
	unsigned int digests = (op->mode >> 4) & 3;
	s.digest_mask = digests == 0 ? 0 : digests == 3 ? 2 : 1;
	size_t len = tap_build_size(&s);
	if (len == 0) {
		return;
	}
	if (digests == 1 || digests == 2) {
		image_mr0(fw, page_pa, n, tap_gpa, len, mr0);
		mr0[0] ^= digests == 2 ? 0x01 : 0x00;
		memcpy(s.digest[0], mr0, sizeof(mr0));
	} else if (digests == 3) {
		memset(s.digest[1], 0x5A, sizeof(s.digest[1])); /* not a hash of anything */
	}
	static uint8_t tap[SHIM_PAGE_SIZE];
	if (len > sizeof(tap) || tap_build(&s, tap, sizeof(tap)) != len) {
		return;
	}
	for (size_t done = 0; done < len;) {
		uint64_t at = tap_gpa + done - VM_GPA;
		size_t chunk = SHIM_PAGE_SIZE - (size_t)(at % SHIM_PAGE_SIZE);
		chunk = chunk < len - done ? chunk : len - done;
		(void)shim_mem_write(&fw->w->mem,
				     page_pa[at / SHIM_PAGE_SIZE] + at % SHIM_PAGE_SIZE, tap + done,
				     chunk);
		done += chunk;
	}
	rec->mask = s.digest_mask;
	memcpy(rec->digest, s.digest, sizeof(rec->digest));
	fw->nsealed++;
}

/* The FDT of a VM with @vcpus vCPUs (0..8): written once, then the same bytes every time. */
static const uint8_t *vm_fdt(unsigned int vcpus, size_t *len)
{
	static struct {
		size_t len;
		uint8_t blob[2048];
	} fdts[9];

	if (!fdts[vcpus].len) {
		fdts[vcpus].len = shim_fdt_write(fdts[vcpus].blob, sizeof(fdts[vcpus].blob), vcpus,
						 VM_GPA, UINT64_C(1) << 20);
	}
	*len = fdts[vcpus].len;
	return fdts[vcpus].blob;
}

void fuzz_build_vm(struct fuzz_world *fw, const struct fuzz_op *op, unsigned int h, bool tap)
{
	static const unsigned int modes[4] = { 8, 9, 10, 7 };
	struct shim_vm_builder b;
	struct fuzz_slot *slot = &fw->slot[op->slot % FUZZ_VM_SLOTS];
	uint64_t base =
		fw->host_base + (SLOT_FIRST + (uint64_t)op->slot * SLOT_PAGES) * SHIM_PAGE_SIZE;
	unsigned int pages = 2 + op->pages % 24; /* the last one holds the FDT */
	uint64_t page_pa[2 + 23 + 2];		 /* and up to two for a TAP */

	if (!shim_vm_begin(&b, &fw->w->mem, base, SLOT_PAGES * SHIM_PAGE_SIZE,
			   modes[op->mode % 4])) {
		return;
	}
	for (unsigned int i = 0; i < pages; i++) {
		uint64_t pa = shim_vm_page(&b);
		uint8_t fill[64];
		if (!pa) {
			return;
		}
		page_pa[i] = pa;
		memset(fill, (int)(op->param + i), sizeof(fill));
		(void)shim_mem_write(&fw->w->mem, pa, fill, sizeof(fill));
		if (!shim_vm_set_pte(&b, VM_GPA + (uint64_t)i * SHIM_PAGE_SIZE, 0,
				     ((pa >> 12) << 10) | LEAF)) {
			return;
		}
		if (i == pages - 1) {
			unsigned int vcpus =
				op->flaw == FUZZ_FLAW_FDT_NO_CPUS ? 0 : 1 + op->vcpus % 8;
			size_t len;
			const uint8_t *blob = vm_fdt(vcpus, &len);
			(void)shim_mem_write(&fw->w->mem, pa, blob, len);
			if (op->flaw == FUZZ_FLAW_FDT_MAGIC && len) {
				uint8_t bad = blob[0] ^ 0xFF;
				(void)shim_mem_write(&fw->w->mem, pa, &bad, 1);
			}
			slot->fdt_gpa = VM_GPA + (uint64_t)i * SHIM_PAGE_SIZE;
		}
	}
	/* MODE bit 3: one more page for a TAP (sealed once the rest is final); with
	 * bit 6 two, the TAP starting 128 bytes before the first one ends. */
	unsigned int tap_pages = !tap || !(op->mode & 8) ? 0 : (op->mode & 64) ? 2 : 1;
	uint64_t tap_gpa = VM_GPA + (uint64_t)pages * SHIM_PAGE_SIZE +
			   (tap_pages == 2 ? SHIM_PAGE_SIZE - 128 : 0);
	slot->tap_gpa = 0;
	for (unsigned int i = pages; i < pages + tap_pages; i++) {
		page_pa[i] = shim_vm_page(&b);
		if (!page_pa[i] || !shim_vm_set_pte(&b, VM_GPA + (uint64_t)i * SHIM_PAGE_SIZE, 0,
						    ((page_pa[i] >> 12) << 10) | LEAF)) {
			return;
		}
	}
	if (tap_pages) {
		slot->tap_gpa = tap_gpa;
	}
	/* One planted defect, at a page chosen by param. */
	uint64_t gpa = VM_GPA + (uint64_t)(op->param % pages) * SHIM_PAGE_SIZE;
	uint64_t slot0 = shim_vm_pte_addr(&b, gpa, 0);
	uint64_t pte = 0;
	(void)shim_mem_read(&fw->w->mem, slot0, &pte, 8);
	switch (op->flaw) {
	case FUZZ_FLAW_W_WITHOUT_R: put64(&fw->w->mem, slot0, pte & ~(uint64_t)PTE_R); break;
	case FUZZ_FLAW_RESERVED_BITS: put64(&fw->w->mem, slot0, pte | (UINT64_C(1) << 60)); break;
	case FUZZ_FLAW_NO_U: put64(&fw->w->mem, slot0, pte & ~(uint64_t)PTE_U); break;
	case FUZZ_FLAW_MISALIGNED_HUGE:
		(void)shim_vm_set_pte(&b, UINT64_C(0xC0000000), 1,
				      ((((uint64_t)b.next + SHIM_PAGE_SIZE) >> 12) << 10) | LEAF);
		break;
	case FUZZ_FLAW_CYCLE: {
		uint64_t l1 = shim_vm_pte_addr(&b, gpa, 1);
		put64(&fw->w->mem, l1, ((b.root >> 12) << 10) | PTE_V);
		break;
	}
	case FUZZ_FLAW_LEAF_TO_CONF:
		put64(&fw->w->mem, slot0, ((fw->conf.base >> 12) << 10) | LEAF);
		break;
	case FUZZ_FLAW_LEAF_TO_MON:
		put64(&fw->w->mem, slot0, ((fw->plat.data.base >> 12) << 10) | LEAF);
		break;
	case FUZZ_FLAW_INVALID_V0: put64(&fw->w->mem, slot0, pte & ~(uint64_t)PTE_V); break;
	case FUZZ_FLAW_HIGH_ROOT: {
		uint64_t pa = shim_vm_page(&b);
		if (pa) {
			(void)shim_vm_set_pte(&b, UINT64_C(1) << 40, 0, ((pa >> 12) << 10) | LEAF);
		}
		break;
	}
	default: break;
	}
	/* MODE bit 2: the guest runs with its own Sv39 tables (the monitor then walks
	 * them to fetch a trapped instruction that came without mtinst). */
	uint64_t vsatp = (op->mode & 4) ? build_vs_tables(fw, page_pa, pages) : 0;
	if (slot->tap_gpa) {
		build_tap(fw, op, page_pa, pages + tap_pages, tap_gpa);
	}
	slot->built = true;
	slot->entry = VM_GPA;
	/* Reflect the VM in the NACL area of the hart, as the host would before promote. */
	uint64_t nacl = fw->nacl[h];
	put64(&fw->w->mem, nacl + nacl_csr_offset(NACL_CSR_HGATP), shim_vm_hgatp(&b, 0));
	put64(&fw->w->mem, nacl + nacl_csr_offset(NACL_CSR_VSATP), vsatp);
	put64(&fw->w->mem, nacl + NACL_SCRATCH_GPR_OFFSET(10), 0);
	put64(&fw->w->mem, nacl + NACL_SCRATCH_GPR_OFFSET(11), slot->fdt_gpa);
}
