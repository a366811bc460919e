# Fails when a test has none of the kinds docs/testing.md defines (unit,
# integration, external). Run by the build (target check_test_labels) after
# every test executable has been linked and its tests discovered, so a new
# test without a rule in tests/labels.cmake stops the build, naming it.
#   cmake -DBUILD_DIR=<build dir> -P check_test_labels.cmake
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --show-only=json-v1
                WORKING_DIRECTORY "${BUILD_DIR}" OUTPUT_VARIABLE listing RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "check_test_labels: ctest could not list the tests of ${BUILD_DIR}: ${errors}")
endif()
string(JSON count LENGTH "${listing}" tests)
set(unlabelled "")
if(count GREATER 0)
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${listing}" tests ${i} name)
    set(labels "")
    string(JSON property_count ERROR_VARIABLE no_properties LENGTH "${listing}" tests ${i} properties)
    if(NOT no_properties AND property_count GREATER 0)
      math(EXPR last_property "${property_count} - 1")
      foreach(j RANGE ${last_property})
        string(JSON property GET "${listing}" tests ${i} properties ${j} name)
        if(property STREQUAL "LABELS")
          string(JSON labels GET "${listing}" tests ${i} properties ${j} value)
        endif()
      endforeach()
    endif()
    if(NOT labels MATCHES "\"(unit|integration|external)\"")
      list(APPEND unlabelled "${name}")
    endif()
  endforeach()
endif()
list(LENGTH unlabelled missing)
if(missing GREATER 0)
  list(JOIN unlabelled "\n  " names)
  message(FATAL_ERROR "check_test_labels: ${missing} of ${count} tests have no kind label (unit, integration or external); "
                      "add a rule for each to tests/labels.cmake:\n  ${names}")
endif()
message(STATUS "check_test_labels: all ${count} tests carry a kind label")
