# SPDX-License-Identifier: BSD-2-Clause
#
# covemon_add_tests(NAME name SOURCES ... LIBS ... LABELS ...)
#
# Builds one test binary and registers every TEST() in it as its own CTest
# test named "<suite>.<name>", with the given labels. The list is read from
# the binary (--list) when ctest runs, so adding a TEST needs no CMake edit.
function(covemon_add_tests)
	cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
	add_executable(${T_NAME} ${T_SOURCES})
	target_link_libraries(${T_NAME} PRIVATE covemon_test ${T_LIBS})
	set(script "${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_tests.cmake")
	string(REPLACE ";" " " labels "${T_LABELS}")
	file(GENERATE OUTPUT "${script}" CONTENT "
execute_process(COMMAND \"$<TARGET_FILE:${T_NAME}>\" --list
	OUTPUT_VARIABLE names RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	add_test(${T_NAME}.list_failed \"$<TARGET_FILE:${T_NAME}>\" --list)
	return()
endif()
string(REPLACE \"\\n\" \";\" names \"\${names}\")
foreach(n IN LISTS names)
	if(n)
		add_test(\"\${n}\" \"$<TARGET_FILE:${T_NAME}>\" --run \"\${n}\")
		set_tests_properties(\"\${n}\" PROPERTIES LABELS \"${T_LABELS}\" TIMEOUT 60)
	endif()
endforeach()
")
	set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${script}")
endfunction()
