# PODCRAWL_SANITIZE=address,undefined applies the sanitizers to every target of the build.
if(PODCRAWL_SANITIZE)
  add_compile_options(-fsanitize=${PODCRAWL_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${PODCRAWL_SANITIZE})
endif()
