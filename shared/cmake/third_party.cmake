# Header-only libraries from Debian (nlohmann-json3-dev, catch2 v2, and
# libxxhash-dev used header-only with XXH_INLINE_ALL).
#
# Emscripten must never see -I/usr/include (host libc headers would shadow its
# sysroot; ../shared/TOOLCHAIN.md), so both builds reach these libraries
# through a directory in the build tree that holds only symlinks to them.
set(PSC_HOST_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${PSC_HOST_HEADERS})
foreach(lib nlohmann catch2 xxhash.h)
  if(NOT EXISTS /usr/include/${lib})
    message(FATAL_ERROR "/usr/include/${lib} not found: run ./psc setup (installs nlohmann-json3-dev, catch2, libxxhash-dev)")
  endif()
  if(NOT EXISTS ${PSC_HOST_HEADERS}/${lib})
    file(CREATE_LINK /usr/include/${lib} ${PSC_HOST_HEADERS}/${lib} SYMBOLIC)
  endif()
endforeach()

add_library(psc_json INTERFACE)
add_library(psc::json ALIAS psc_json)
target_include_directories(psc_json SYSTEM INTERFACE ${PSC_HOST_HEADERS})

add_library(psc_catch2 INTERFACE)
add_library(psc::catch2 ALIAS psc_catch2)
target_include_directories(psc_catch2 SYSTEM INTERFACE ${PSC_HOST_HEADERS})

if(EMSCRIPTEN)
  # Native wasm exceptions: the core catches nlohmann's exceptions internally.
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions)
endif()
