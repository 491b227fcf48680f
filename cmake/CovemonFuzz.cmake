# SPDX-License-Identifier: BSD-2-Clause
#
# covemon_add_fuzz_target(NAME name SOURCES ... LIBS ...)
#
# One LLVMFuzzerTestOneInput, three builds, chosen by the preset:
#   fuzz preset (COVEMON_LIBFUZZER)  build/fuzz/fuzz/fuzz_<name>    libFuzzer + ASan + UBSan
#   afl preset  (COVEMON_AFL)        build/afl/fuzz/fuzz_<name>     AFL++ persistent mode
#                                    (fuzz/common/afl_driver.c)
#   host / coverage presets          .../fuzz/fuzz_<name>           replay driver (normal main)
# The replay build runs every file named on its command line and is what CI
# uses to replay seeds and regressions.
function(covemon_add_fuzz_target)
	cmake_parse_arguments(F "" "NAME" "SOURCES;LIBS" ${ARGN})
	set(exe fuzz_${F_NAME})
	if(COVEMON_OSSFUZZ)
		add_executable(${exe} ${F_SOURCES})
		separate_arguments(engine UNIX_COMMAND "$ENV{LIB_FUZZING_ENGINE}")
		target_link_options(${exe} PRIVATE ${engine})
	elseif(COVEMON_LIBFUZZER)
		add_executable(${exe} ${F_SOURCES})
		target_compile_options(${exe} PRIVATE ${COVEMON_FUZZ_INSTRUMENT})
		target_link_options(${exe} PRIVATE -fsanitize=fuzzer)
	elseif(COVEMON_AFL)
		# Our driver (fuzz/common/afl_driver.c), not AFL++'s libAFLDriver.
		add_executable(${exe} ${F_SOURCES} $<TARGET_OBJECTS:covemon_afl_driver>)
		target_compile_options(${exe} PRIVATE ${COVEMON_FUZZ_INSTRUMENT})
	else()
		add_executable(${exe} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/fuzz/common/replay_main.c)
	endif()
	target_link_libraries(${exe} PRIVATE covemon_fuzz_common ${F_LIBS})
	if(COVEMON_LIBFUZZER)
		# The same target in a timed loop (./covemon bench fuzz).
		add_executable(bench_${F_NAME} ${F_SOURCES}
			${PROJECT_SOURCE_DIR}/fuzz/common/bench_main.c)
		target_compile_options(bench_${F_NAME} PRIVATE ${COVEMON_FUZZ_INSTRUMENT})
		target_link_options(bench_${F_NAME} PRIVATE -fsanitize=fuzzer-no-link)
		target_link_libraries(bench_${F_NAME} PRIVATE covemon_fuzz_common ${F_LIBS})
	endif()
	set_property(GLOBAL APPEND PROPERTY COVEMON_FUZZ_TARGETS ${F_NAME})
endfunction()
