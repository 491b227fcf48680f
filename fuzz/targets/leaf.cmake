# SPDX-License-Identifier: BSD-2-Clause
#
# Leaf fuzz targets: one library module each, no monitor state.
#   fdt     the devicetree reader over untrusted blobs (monitor/lib/fdt.c)
#   insn    the MMIO load/store decoder (monitor/src/insn.c)
#   crypto  SHA-384, HMAC, HKDF and AES-256-GCM, differentially against
#           OpenSSL's libcrypto (host only, as every fuzz build is)
#   tap     the TAP opener of local attestation (monitor/lib/tap.c)
covemon_add_fuzz_target(NAME fdt
	SOURCES ${CMAKE_CURRENT_LIST_DIR}/fdt.c
	LIBS covemon_lib)

covemon_add_fuzz_target(NAME tap
	SOURCES ${CMAKE_CURRENT_LIST_DIR}/tap.c ${PROJECT_SOURCE_DIR}/monitor/tests/tap_build.c
	LIBS covemon_lib)
foreach(t fuzz_tap bench_tap)
	if(TARGET ${t})
		target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/monitor/tests
			${PROJECT_SOURCE_DIR}/host-shim/include)
	endif()
endforeach()

covemon_add_fuzz_target(NAME insn
	SOURCES ${CMAKE_CURRENT_LIST_DIR}/insn.c
	LIBS covemon_core)

# covemon_lib's crypto is built without coverage instrumentation (it only
# slowed the sequence target: monitor/CMakeLists.txt, and afl/deny-lib.txt
# under AFL++). Here the crypto is the code under test, so this target
# compiles its own instrumented copy; those objects define the crypto
# symbols, and the archive still supplies the rest (mon_memeq_ct,
# mon_memzero_explicit).
set(leaf_crypto_sources ${CMAKE_CURRENT_LIST_DIR}/crypto.c)
if(COVEMON_LIBFUZZER OR COVEMON_AFL)
	list(APPEND leaf_crypto_sources
		${PROJECT_SOURCE_DIR}/monitor/lib/sha384.c
		${PROJECT_SOURCE_DIR}/monitor/lib/sha512_rounds.c
		${PROJECT_SOURCE_DIR}/monitor/lib/sha512_compress.c
		${PROJECT_SOURCE_DIR}/monitor/lib/hmac.c
		${PROJECT_SOURCE_DIR}/monitor/lib/hkdf.c
		${PROJECT_SOURCE_DIR}/monitor/lib/aes_gcm.c
		${PROJECT_SOURCE_DIR}/monitor/lib/aes_gcm_seam.c)
endif()
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
covemon_add_fuzz_target(NAME crypto
	SOURCES ${leaf_crypto_sources}
	LIBS covemon_lib OpenSSL::Crypto)
