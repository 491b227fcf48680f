/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NACL shared memory: the per-hart mailbox between the host and the TSM
 * (SBI spec, "Nested Acceleration Extension"; CoVE spec, "vCPU shared
 * state"). The host may rewrite it at any moment from another hart: the
 * monitor reads each field once, and only the fields an exit allows.
 */
#pragma once

#include <stdint.h>

#define SBI_NACL_PROBE_FEATURE	   0
#define SBI_NACL_SET_SHMEM	   1
#define SBI_NACL_SYNC_CSR	   2
#define SBI_NACL_SYNC_HFENCE	   3
#define SBI_NACL_SYNC_SRET	   4

#define SBI_NACL_FEAT_SYNC_CSR	   0
#define SBI_NACL_FEAT_SYNC_HFENCE  1
#define SBI_NACL_FEAT_SYNC_SRET	   2
#define SBI_NACL_FEAT_AUTOSWAP_CSR 3

/* set_shmem with all-ones address disables the shared memory. */
#define SBI_NACL_SHMEM_DISABLE	 UINT64_MAX

#define NACL_SHMEM_SIZE		 12288u
#define NACL_SHMEM_ALIGN	 4096u
#define NACL_SCRATCH_OFFSET	 0x0u
#define NACL_SCRATCH_SIZE	 2048u
#define NACL_DIRTY_BITMAP_OFFSET 0xF80u
#define NACL_CSR_OFFSET		 0x1000u
#define NACL_CSR_COUNT		 1024u

/* CoVE tsm_shmem_scratch: guest GPR x_i at scratch offset 8 * i. */
#define NACL_SCRATCH_GPR_OFFSET(i) (NACL_SCRATCH_OFFSET + 8u * (unsigned int)(i))

/*
 * Byte offset of CSR @csr's slot: the 12-bit number becomes a 10-bit index
 * {csr[11:10], csr[7:0]} (csr[9:8] is 2'b10 for every HS and VS CSR).
 */
static inline unsigned int nacl_csr_offset(unsigned int csr)
{
	return NACL_CSR_OFFSET + 8u * (((csr & 0xC00u) >> 2) | (csr & 0xFFu));
}

/* CSR numbers with NACL slots used by CoVE (privileged spec CSR listing). */
#define NACL_CSR_VSSTATUS   0x200u
#define NACL_CSR_VSIE	    0x204u
#define NACL_CSR_VSTVEC	    0x205u
#define NACL_CSR_VSSCRATCH  0x240u
#define NACL_CSR_VSEPC	    0x241u
#define NACL_CSR_VSCAUSE    0x242u
#define NACL_CSR_VSTVAL	    0x243u
#define NACL_CSR_VSTIMECMP  0x24Du
#define NACL_CSR_VSATP	    0x280u
#define NACL_CSR_HTIMEDELTA 0x605u
#define NACL_CSR_HENVCFG    0x60Au
#define NACL_CSR_HTVAL	    0x643u
#define NACL_CSR_HVIP	    0x645u
#define NACL_CSR_HTINST	    0x64Au
#define NACL_CSR_HGATP	    0x680u

/* Layout pins (SBI NACL shared memory layout table; CoVE struct nacl_shmem). */
_Static_assert(NACL_DIRTY_BITMAP_OFFSET + 16 * 8 == NACL_CSR_OFFSET, "dirty bitmap ends at csrs");
_Static_assert(NACL_CSR_OFFSET + NACL_CSR_COUNT * 8 == NACL_SHMEM_SIZE, "12 KiB shmem");
_Static_assert(NACL_SCRATCH_SIZE + 240 * 8 == NACL_DIRTY_BITMAP_OFFSET, "scratch + reserved");
