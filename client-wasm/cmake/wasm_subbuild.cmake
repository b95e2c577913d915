# Builds this same source tree a second time with Emscripten, as a sub-build
# in <build>/wasm, so `cmake --build build` produces the browser module and the
# WebAssembly core tests too.
if(NOT PSC_BUILD_WASM)
  return()
endif()
find_program(PSC_EMCMAKE emcmake)
if(NOT PSC_EMCMAKE)
  message(FATAL_ERROR "emcmake not found: run ./psc setup (installs emscripten), or configure with -DPSC_BUILD_WASM=OFF")
endif()

include(ExternalProject)
# MinSizeRel (-Os) plus link-time optimization (shared/ and client-wasm/
# CMakeLists) halves the browser module: 670 -> 345 KB (217 -> 132 KB
# gzipped), with the same opening time (tests/bench/BROWSER.md).
# Debian's emcc needs Node to find acorn in /usr/share/nodejs (TOOLCHAIN.md).
set(PSC_EM_ENV ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
set(PSC_WASM_BINARY_DIR ${CMAKE_BINARY_DIR}/wasm)
ExternalProject_Add(psc_wasm
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${PSC_WASM_BINARY_DIR}
  CONFIGURE_COMMAND ${PSC_EM_ENV} ${PSC_EMCMAKE} ${CMAKE_COMMAND} -S ${CMAKE_SOURCE_DIR} -B ${PSC_WASM_BINARY_DIR}
                    -G ${CMAKE_GENERATOR} -DCMAKE_BUILD_TYPE=MinSizeRel ${PSC_THIRD_PARTY_INCLUDES}
  BUILD_COMMAND ${PSC_EM_ENV} ${CMAKE_COMMAND} --build ${PSC_WASM_BINARY_DIR}
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.mjs ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.wasm
  USES_TERMINAL_BUILD ON)

# The core tests, built as WebAssembly, run under Node like the native ones.
add_test(NAME core_tests_wasm
         COMMAND node --no-experimental-fetch ${PSC_WASM_BINARY_DIR}/tests/core/psc_core_tests.js)
set_tests_properties(core_tests_wasm PROPERTIES WORKING_DIRECTORY ${PSC_WASM_BINARY_DIR}/tests/core)
