# Header-only libraries from Debian (nlohmann-json3-dev, catch2 v2, and
# libxxhash-dev used header-only with XXH_INLINE_ALL).
#
# Emscripten must never see -I/usr/include (host libc headers would shadow its
# sysroot; ../shared/TOOLCHAIN.md), so both builds reach these libraries
# through a directory in the build tree that holds only symlinks to them.
# The native configure finds where each one is installed (find_path); the
# Emscripten sub-build, which must not search the host, is handed the same
# folders (client-wasm/cmake/wasm_subbuild.cmake: PSC_THIRD_PARTY_INCLUDES).
set(PSC_THIRD_PARTY_HEADERS nlohmann/json.hpp catch2/catch.hpp xxhash.h)
set(PSC_HOST_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${PSC_HOST_HEADERS})
set(PSC_THIRD_PARTY_INCLUDES "")
foreach(header ${PSC_THIRD_PARTY_HEADERS})
  string(MAKE_C_IDENTIFIER "PSC_INCLUDE_${header}" var)
  if(NOT EMSCRIPTEN)
    find_path(${var} ${header})
  endif()
  if(NOT ${var} OR NOT EXISTS "${${var}}/${header}")
    message(FATAL_ERROR "${header} not found: run ./psc setup (installs nlohmann-json3-dev, catch2, libxxhash-dev)")
  endif()
  list(APPEND PSC_THIRD_PARTY_INCLUDES "-D${var}=${${var}}")
  # The top folder or file the include names (nlohmann, catch2, xxhash.h).
  string(REGEX REPLACE "/.*" "" top ${header})
  if(NOT EXISTS ${PSC_HOST_HEADERS}/${top})
    file(CREATE_LINK ${${var}}/${top} ${PSC_HOST_HEADERS}/${top} SYMBOLIC)
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
