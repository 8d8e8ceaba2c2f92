# One INTERFACE target that carries the warning flags; every podcrawl target links it PRIVATE.
add_library(podcrawl_warnings INTERFACE)
target_compile_options(podcrawl_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(PODCRAWL_WERROR)
  target_compile_options(podcrawl_warnings INTERFACE -Werror)
endif()
