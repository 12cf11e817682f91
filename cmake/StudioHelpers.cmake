# studio_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>] [GUI] [CLI])
# One QtTest executable registered with ctest. Tests find the golden fixtures copied into tests/data
# through STUDIO_TEST_DATA_DIR, the source tree through STUDIO_SOURCE_DIR and the shared checkout (when present)
# through STUDIO_SHARED_DIR. CLI: the test runs the built `storyboard` (tests/support/StoryboardProcess.h).
function(studio_add_test)
    cmake_parse_arguments(T "GUI;CLI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    if(T_CLI)
        target_compile_definitions(${T_NAME} PRIVATE STORYBOARD_EXE="$<TARGET_FILE:storyboard>")
        add_dependencies(${T_NAME} storyboard)
    endif()
    target_compile_definitions(${T_NAME} PRIVATE
        STUDIO_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        STUDIO_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
        STUDIO_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
        STUDIO_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set(env "QT_QPA_PLATFORM=offscreen")
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 600)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${T_TIMEOUT})
    if(T_LABELS)
        set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
    endif()
endfunction()
