# SPDX-License-Identifier: BSD-2-Clause
# The firmware on QEMU with third-party clients (label qemu; the firmware
# preset is built first by ./covemon test).
foreach(smp 1 2 4)
	add_test(NAME qemu.uboot_reaches_its_prompt_and_powers_off_smp${smp}
		COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-uboot.sh ${COVEMON_FIRMWARE_IMAGE} ${smp})
	set_tests_properties(qemu.uboot_reaches_its_prompt_and_powers_off_smp${smp}
		PROPERTIES LABELS qemu TIMEOUT 90)
endforeach()

# The linked image: no W+X segment, code page-aligned before data, canaries
# in, no writable function pointer; and the check itself fails on images
# built with one.
add_test(NAME check.firmware_image_layout
	COMMAND ${CMAKE_SOURCE_DIR}/ci/check-firmware-image.sh ${COVEMON_FIRMWARE_IMAGE})
add_test(NAME check.firmware_image_check_catches_writable_function_pointers
	COMMAND ${CMAKE_SOURCE_DIR}/ci/check-firmware-image.sh --self-test)
set_tests_properties(check.firmware_image_layout
	check.firmware_image_check_catches_writable_function_pointers PROPERTIES LABELS check)

# ./covemon bench firmware end to end: fails when a payload does not report
# its figures (the bench mode of the demo hypervisor among them).
add_test(NAME qemu.bench_firmware_reports_its_figures
	COMMAND ${CMAKE_SOURCE_DIR}/ci/bench-firmware.sh ${COVEMON_FIRMWARE_IMAGE})
set_tests_properties(qemu.bench_firmware_reports_its_figures PROPERTIES LABELS qemu TIMEOUT 300)

# ./covemon boot --gdb-port under gdb-multiarch: stops at fw_boot_main (M) and
# at the payload's entry (S), then the demo runs to its end.
add_test(NAME qemu.boot_under_gdb_stops_at_firmware_and_payload_entry
	COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-gdb.sh breakpoints)
# The UBSan build (preset firmware-ubsan): a UBSan trap during boot, as a
# failed check would take it, ends in the M-mode trap panic.
add_test(NAME qemu.firmware_ubsan_trap_at_boot_ends_in_panic
	COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-gdb.sh ubsan-trap fw_boot_main)
# ... and one in the monitor core while the host runs (the trap enters through
# fw_trap_entry, which must stop on an M-mode exception, not resume a frame it
# just overwrote).
add_test(NAME qemu.firmware_ubsan_trap_in_the_monitor_ends_in_panic
	COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-gdb.sh ubsan-trap mon_trap)
set_tests_properties(qemu.boot_under_gdb_stops_at_firmware_and_payload_entry
	qemu.firmware_ubsan_trap_at_boot_ends_in_panic
	qemu.firmware_ubsan_trap_in_the_monitor_ends_in_panic PROPERTIES LABELS qemu TIMEOUT 240)
