# SPDX-License-Identifier: BSD-2-Clause
#
# SBI conformance (label qemu): the payload firmware/payloads/sbi-conformance
# booted on OpenSBI (the reference) and on covemon's firmware, each transcript
# compared with the payload's expected.txt by ci/sbi-conformance.sh. The
# payload comes from the firmware preset (./covemon test builds it first).
set(COVEMON_SBI_CONFORMANCE_PAYLOAD
	"${CMAKE_SOURCE_DIR}/build/firmware/firmware/payloads/sbi-conformance/sbi-conformance.elf"
	CACHE FILEPATH "The SBI conformance payload booted by the qemu tests")
set(COVEMON_OPENSBI_FIRMWARE "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
	CACHE FILEPATH "Debian's OpenSBI (package opensbi, 1.1), the reference SBI implementation")
set(covemon_sbi_expected ${CMAKE_SOURCE_DIR}/firmware/payloads/sbi-conformance/expected.txt)

# OpenSBI 1.1 differs from the expected transcript on the lines its header
# documents (SBI v1.0 answers and two deviations); those are applied.
add_test(NAME qemu.sbi_conformance_on_opensbi
	COMMAND ${CMAKE_SOURCE_DIR}/ci/sbi-conformance.sh ${COVEMON_OPENSBI_FIRMWARE}
		${COVEMON_SBI_CONFORMANCE_PAYLOAD} --smp 4 --expected ${covemon_sbi_expected}
		--known opensbi-1.1)

# covemon: strict. Skipped (77) while the firmware does not hand over to an
# S-mode payload, i.e. never prints its SBI runtime's "covemon sbi:" banner.
add_test(NAME qemu.sbi_conformance_on_covemon
	COMMAND ${CMAKE_SOURCE_DIR}/ci/sbi-conformance.sh ${COVEMON_FIRMWARE_IMAGE}
		${COVEMON_SBI_CONFORMANCE_PAYLOAD} --smp 4 --expected ${covemon_sbi_expected}
		--skip-unless "covemon sbi:")

set_tests_properties(qemu.sbi_conformance_on_opensbi qemu.sbi_conformance_on_covemon
	PROPERTIES LABELS qemu TIMEOUT 60)
set_tests_properties(qemu.sbi_conformance_on_covemon PROPERTIES SKIP_RETURN_CODE 77)
