# Writes git_info.h with the current commit and dirty flag; run at every build,
# and the file is only touched when its content changes (no needless rebuilds).
execute_process(COMMAND git rev-parse HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(status STREQUAL "")
  set(dirty false)
else()
  set(dirty true)
endif()
set(content "#pragma once\n#define SEGLAB_VERSION \"${VERSION}\"\n#define SEGLAB_GIT_COMMIT \"${commit}\"\n#define SEGLAB_GIT_DIRTY ${dirty}\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
