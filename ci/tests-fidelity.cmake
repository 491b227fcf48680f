# SPDX-License-Identifier: BSD-2-Clause
#
# The shim fidelity check (included by ci/CMakeLists.txt in the host build):
# the case table of firmware/fidelity/table.c run on QEMU by the firmware
# preset's fidelity.elf and on the shim by shim_fidelity, transcripts
# compared by ci/fidelity.sh. ./covemon test builds the firmware preset first.
set(COVEMON_FIDELITY_IMAGE "${CMAKE_SOURCE_DIR}/build/firmware/firmware/fidelity/fidelity.elf"
	CACHE FILEPATH "M-mode image of the fidelity check (firmware preset)")
add_test(NAME qemu.shim_fidelity
	COMMAND ${CMAKE_SOURCE_DIR}/ci/fidelity.sh ${COVEMON_FIDELITY_IMAGE}
		$<TARGET_FILE:shim_fidelity>)
set_tests_properties(qemu.shim_fidelity PROPERTIES LABELS qemu TIMEOUT 120)
