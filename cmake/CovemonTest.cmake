# SPDX-License-Identifier: BSD-2-Clause
#
# covemon_add_tests(NAME name SOURCES ... LIBS ... LABELS ...
#                   [VARIANTS suffix=VAR=value ...])
#
# Builds one test binary and registers every TEST() in it as its own CTest
# test named "<suite>.<name>", with the given labels. The list is read from
# the binary (--list) when ctest runs, so adding a TEST needs no CMake edit.
# Each variant registers every test once more as "<suite>.<name>@suffix",
# run with VAR=value in its environment (e.g. the same tests on a machine
# with Smepmp).
function(covemon_add_tests)
	cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS;VARIANTS" ${ARGN})
	add_executable(${T_NAME} ${T_SOURCES})
	target_link_libraries(${T_NAME} PRIVATE covemon_test ${T_LIBS})
	set(script "${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_tests.cmake")
	set(variants "")
	foreach(v IN LISTS T_VARIANTS)
		string(FIND "${v}" "=" eq)
		string(SUBSTRING "${v}" 0 ${eq} suffix)
		math(EXPR eq "${eq} + 1")
		string(SUBSTRING "${v}" ${eq} -1 env)
		string(APPEND variants "
		add_test(\"\${n}@${suffix}\" \"$<TARGET_FILE:${T_NAME}>\" --run \"\${n}\")
		set_tests_properties(\"\${n}@${suffix}\" PROPERTIES LABELS \"${T_LABELS}\" TIMEOUT 60
			ENVIRONMENT \"${env}\")")
	endforeach()
	file(GENERATE OUTPUT "${script}" CONTENT "
execute_process(COMMAND \"$<TARGET_FILE:${T_NAME}>\" --list
	OUTPUT_VARIABLE names RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	add_test(${T_NAME}.list_failed \"$<TARGET_FILE:${T_NAME}>\" --list)
	return()
endif()
string(REPLACE \"\\n\" \";\" names \"\${names}\")
foreach(n IN LISTS names)
	if(NOT \"\${n}\" STREQUAL \"\")
		add_test(\"\${n}\" \"$<TARGET_FILE:${T_NAME}>\" --run \"\${n}\")
		set_tests_properties(\"\${n}\" PROPERTIES LABELS \"${T_LABELS}\" TIMEOUT 60)${variants}
	endif()
endforeach()
")
	set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${script}")
endfunction()
