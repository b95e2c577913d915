# The served web app: web/ plus the WebAssembly module, staged in <build>/www.
# The server serves this folder (its default --web-root).
#
# Its JavaScript is minified there with esbuild (minify_web.mjs), because
# the JS + WASM a device downloads must stay within 300 KiB gzipped
# (tests/bench/browser_open.mjs). esbuild is a build-time npm package pinned by
# client-wasm/package-lock.json, installed by `./psc setup`. Without it,
# configure with -DPSC_MINIFY_WEB=OFF: the files are then served as written.
option(PSC_MINIFY_WEB "Minify the staged web app's JavaScript with esbuild (npm ci in client-wasm/)" ON)
if(PSC_MINIFY_WEB)
  find_program(PSC_NODE node)
  set(PSC_ESBUILD_PACKAGE ${CMAKE_SOURCE_DIR}/client-wasm/node_modules/esbuild/package.json)
  if(NOT PSC_NODE OR NOT EXISTS ${PSC_ESBUILD_PACKAGE})
    message(FATAL_ERROR "PSC_MINIFY_WEB is ON but node or esbuild is missing "
      "(${PSC_ESBUILD_PACKAGE}). Run `./psc setup` (or `npm ci` in client-wasm/), "
      "or configure with -DPSC_MINIFY_WEB=OFF to serve the JavaScript unminified.")
  endif()
endif()
set(PSC_WEB_ROOT ${CMAKE_BINARY_DIR}/www)
file(GLOB_RECURSE PSC_WEB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*)
set(PSC_WEB_STAMP ${CMAKE_BINARY_DIR}/www.stamp)
set(PSC_WEB_COMMANDS
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${PSC_WEB_ROOT}
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${CMAKE_SOURCE_DIR}/web ${PSC_WEB_ROOT})
set(PSC_WEB_DEPENDS ${PSC_WEB_FILES})
if(PSC_BUILD_WASM)
  list(APPEND PSC_WEB_COMMANDS
    COMMAND ${CMAKE_COMMAND} -E copy ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.mjs
            ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.wasm ${PSC_WEB_ROOT}/)
  list(APPEND PSC_WEB_DEPENDS psc_wasm ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.mjs ${PSC_WASM_BINARY_DIR}/client-wasm/psc_core.wasm)
endif()
# sw.js is minified after its VERSION is stamped (minified, the constant is
# folded into its uses), and the stamp hashes the other files as served.
set(PSC_SW_STAMP COMMAND ${CMAKE_COMMAND} -DWEB_ROOT=${PSC_WEB_ROOT} -P ${CMAKE_CURRENT_LIST_DIR}/stamp_service_worker.cmake)
list(APPEND PSC_WEB_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/stamp_service_worker.cmake)
if(PSC_MINIFY_WEB)
  set(PSC_MINIFY ${PSC_NODE} ${CMAKE_CURRENT_LIST_DIR}/minify_web.mjs ${PSC_WEB_ROOT})
  list(APPEND PSC_WEB_COMMANDS
    COMMAND ${PSC_MINIFY} --except sw.js
    ${PSC_SW_STAMP}
    COMMAND ${PSC_MINIFY} --only sw.js)
  list(APPEND PSC_WEB_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/minify_web.mjs ${PSC_ESBUILD_PACKAGE})
else()
  list(APPEND PSC_WEB_COMMANDS ${PSC_SW_STAMP})
endif()
add_custom_command(OUTPUT ${PSC_WEB_STAMP} ${PSC_WEB_COMMANDS}
                   COMMAND ${CMAKE_COMMAND} -E touch ${PSC_WEB_STAMP}
                   DEPENDS ${PSC_WEB_DEPENDS}
                   COMMENT "Staging the web app in ${PSC_WEB_ROOT}")
add_custom_target(web_bundle ALL DEPENDS ${PSC_WEB_STAMP})
