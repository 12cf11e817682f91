# cmake -DSOURCE_DIR=<repo> -P OnlyFacadeIncludes.cmake
# The studio (ui/) and the CLI (app/) reach the engine through its facade only: every engine header they include
# is one of core/engine/api. The include folder they get (core/) would let them name any engine header, and the
# torch-free ones (engine/io, engine/common) compile, so this rule is checked on the sources.
file(GLOB_RECURSE sources ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.h)
set(offenders)
foreach(source IN LISTS sources)
    file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]engine/")
    foreach(line IN LISTS includes)
        if(NOT line MATCHES "[<\"]engine/api/")
            file(RELATIVE_PATH name ${SOURCE_DIR} ${source})
            list(APPEND offenders "${name}: ${line}")
        endif()
    endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
    message(FATAL_ERROR "no sources found under ${SOURCE_DIR}/ui and ${SOURCE_DIR}/app")
endif()
if(offenders)
    list(JOIN offenders "\n  " text)
    message(FATAL_ERROR "engine headers outside engine/api included by ui/ or app/:\n  ${text}")
endif()
message(STATUS "${count} sources of ui/ and app/ include engine/api only")
