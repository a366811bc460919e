# Fails when a committed reference page (docs/cli.md, docs/config.md) differs
# from what the binary prints, showing the difference and the command that
# regenerates the page. Run by the tests generated_docs_cli and _config.
#   cmake -DSEGLAB=<seglab> -DPAGE=cli|config -DCOMMITTED=<docs/page.md> -DWORK_DIR=<dir> -P check_generated_doc.cmake
set(printed "${WORK_DIR}/generated_${PAGE}.md")
execute_process(COMMAND "${SEGLAB}" docs ${PAGE} -o "${printed}" RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "seglab docs ${PAGE} failed (${status}): ${errors}")
endif()
if(NOT EXISTS "${COMMITTED}")
  message(FATAL_ERROR "${COMMITTED} does not exist; write it with: ./build/seglab docs ${PAGE} -o docs/${PAGE}.md")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${COMMITTED}" "${printed}" RESULT_VARIABLE differs)
if(differs)
  execute_process(COMMAND diff -u "${COMMITTED}" "${printed}" OUTPUT_VARIABLE difference)
  message(FATAL_ERROR "${COMMITTED} differs from what the binary prints:\n${difference}\n"
                      "Regenerate it with: ./build/seglab docs ${PAGE} -o docs/${PAGE}.md")
endif()
