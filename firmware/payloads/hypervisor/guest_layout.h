/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo TVM's guest-physical layout and its one MMIO device: what the
 * hypervisor builds and what the guest program (guest/) is linked for.
 * Plain #defines only: the guest's start.S and linker script include it.
 *
 *   0x1000_0000  MMIO: the test device (one page, registered by the guest
 *                with COVG add_mmio_region; every access exits to the host)
 *   0x8000_0000  RAM (/memory, GUEST_MEM_SIZE): the guest image from its
 *                first byte (the entry point), then its .bss, which nothing
 *                maps: the monitor hands out zero pages on first touch
 *   GUEST_FDT_GPA  the guest's FDT, one mapped page near the end of RAM
 */
#pragma once

#define GUEST_RAM_GPA	 0x80000000
#define GUEST_MEM_SIZE	 0x100000 /* 1 MiB of confidential GPA space */
#define GUEST_FDT_GPA	 0x800F0000
#define GUEST_IMAGE_MAX	 0x40000 /* image + .bss stay below this offset (guest.ld checks) */
#define GUEST_VCPUS	 2
#define GUEST_STACK_SIZE 8192 /* per vCPU, in .bss */

/* The MMIO test device (hypervisor: mmio_load/mmio_store). */
#define GUEST_MMIO_GPA	  0x10000000
#define GUEST_MMIO_SIZE	  0x1000
#define MMIO_REG_ID	  0x00	     /* 32-bit, read-only: MMIO_ID_VALUE */
#define MMIO_REG_SCRATCH  0x08	     /* 64-bit, read/write: reads back the last value written */
#define MMIO_REG_DOORBELL 0x10	     /* write: the host checks the shared page (value = length) */
#define MMIO_ID_VALUE	  0x434f5645 /* "COVE" */

/* What the host leaves in the page the guest shares, and what the guest answers. */
#define SHARED_HOST_GREETING "greetings from the hypervisor"
#define SHARED_GUEST_REPLY   "the TVM read the host's greeting"
/* Where in that page the guest puts MR0 then MR1 as the monitor reported them. */
#define SHARED_MEASURE_OFFSET 2048

/* vCPU 1 is started with this opaque value (HSM hart_start a2). */
#define GUEST_VCPU1_OPAQUE 0x5ec0de
