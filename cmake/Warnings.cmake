# Project-wide compile options applied through one interface target.
add_library(switchyard_options INTERFACE)
target_compile_options(switchyard_options INTERFACE
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(SWITCHYARD_SANITIZE)
  target_compile_options(switchyard_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(switchyard_options INTERFACE -fsanitize=address,undefined)
endif()
if(SWITCHYARD_LIBFUZZER)
  # Coverage instrumentation for everything, so libFuzzer sees inside the parsers it drives;
  # the fuzz targets themselves add -fsanitize=fuzzer to link its main().
  target_compile_options(switchyard_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
target_include_directories(switchyard_options INTERFACE ${CMAKE_SOURCE_DIR})
