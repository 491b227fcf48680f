# SPDX-License-Identifier: BSD-2-Clause
# A confidential VM's whole life on QEMU: the demo hypervisor payload on the
# firmware (label qemu; ./covemon test builds the firmware preset first).
set(COVEMON_TVM_PAYLOAD
	"${CMAKE_SOURCE_DIR}/build/firmware/firmware/payloads/hypervisor/hypervisor.elf"
	CACHE FILEPATH "The demo hypervisor booted by the qemu.tvm_demo tests")
foreach(smp 1 2 4)
	add_test(NAME qemu.tvm_demo_smp${smp}
		COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-tvm.sh ${COVEMON_FIRMWARE_IMAGE}
			${COVEMON_TVM_PAYLOAD} ${smp})
	set_tests_properties(qemu.tvm_demo_smp${smp} PROPERTIES LABELS qemu TIMEOUT 60)
endforeach()
# The same with Smepmp (mseccfg) on the harts.
add_test(NAME qemu.tvm_demo_smepmp
	COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-tvm.sh ${COVEMON_FIRMWARE_IMAGE} ${COVEMON_TVM_PAYLOAD} 2
		-cpu rv64,x-epmp=true)
set_tests_properties(qemu.tvm_demo_smepmp PROPERTIES LABELS qemu TIMEOUT 60)

# The demo on the debug build with UBSan checks that trap (preset
# firmware-ubsan, built by ./covemon test like every preset): no check fires.
set(COVEMON_FIRMWARE_UBSAN_DIR "${CMAKE_SOURCE_DIR}/build/firmware-ubsan/firmware"
	CACHE PATH "The firmware-ubsan preset's firmware directory (image and payloads)")
add_test(NAME qemu.tvm_demo_ubsan_smp2
	COMMAND ${CMAKE_SOURCE_DIR}/ci/qemu-tvm.sh ${COVEMON_FIRMWARE_UBSAN_DIR}/covemon.elf
		${COVEMON_FIRMWARE_UBSAN_DIR}/payloads/hypervisor/hypervisor.elf 2)
set_tests_properties(qemu.tvm_demo_ubsan_smp2 PROPERTIES LABELS qemu TIMEOUT 60)
