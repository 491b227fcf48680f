/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo TVM's program, linked for its guest-physical address (vsatp is
 * Bare: virtual = guest physical). objcopy keeps .text, .rodata and .data;
 * the hypervisor copies them into the pages it maps from GUEST_RAM_GPA.
 * .bss is never mapped by the hypervisor: the monitor demand-zeroes it.
 * Preprocessed (cc -E -P) for the constants of guest_layout.h.
 */
#include "../guest_layout.h"

OUTPUT_ARCH(riscv)
ENTRY(_start)

SECTIONS
{
	. = GUEST_RAM_GPA;
	.text : {
		KEEP(*(.text.entry))
		*(.text .text.*)
	}
	.rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
	.data : { *(.data .data.* .sdata .sdata.*) }
	guest_image_end = .;
	. = ALIGN(4096);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* .sbss .sbss.*)
		*(COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	ASSERT(__bss_end <= GUEST_RAM_GPA + GUEST_IMAGE_MAX, "the guest outgrew GUEST_IMAGE_MAX")
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.riscv.attributes) }
}
