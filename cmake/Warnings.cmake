# One INTERFACE target that carries the warning flags; every podcrawl target links it PRIVATE.
add_library(podcrawl_warnings INTERFACE)
target_compile_options(podcrawl_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(PODCRAWL_WERROR)
  target_compile_options(podcrawl_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wrestrict inside libstdc++'s std::string (operator+ of a literal and a
# temporary, insert) at -O2 and above where nothing overlaps: GCC bug 105651, fixed in GCC 13.
# The report is about the library's code, not ours, so it is off for GCC 12 only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(podcrawl_warnings INTERFACE -Wno-restrict)
endif()
