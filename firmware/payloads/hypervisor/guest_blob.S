/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest program (guest/, objcopy'd to a flat image linked at
 * GUEST_RAM_GPA) inside the hypervisor's read-only data; vm_build copies it
 * into the guest's pages. HV_GUEST_BIN is its path in the build tree.
 */
	.section .rodata.hv_guest_image, "a"
	.balign	8
	.globl	hv_guest_image, hv_guest_image_end
hv_guest_image:
	.incbin	HV_GUEST_BIN
hv_guest_image_end:
