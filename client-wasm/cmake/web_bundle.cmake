# The served web app: web/ plus the WebAssembly module, staged in <build>/www.
# The server serves this folder (its default --web-root).
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
list(APPEND PSC_WEB_COMMANDS
  COMMAND ${CMAKE_COMMAND} -DWEB_ROOT=${PSC_WEB_ROOT} -P ${CMAKE_CURRENT_LIST_DIR}/stamp_service_worker.cmake)
add_custom_command(OUTPUT ${PSC_WEB_STAMP} ${PSC_WEB_COMMANDS}
                   COMMAND ${CMAKE_COMMAND} -E touch ${PSC_WEB_STAMP}
                   DEPENDS ${PSC_WEB_DEPENDS}
                   COMMENT "Staging the web app in ${PSC_WEB_ROOT}")
add_custom_target(web_bundle ALL DEPENDS ${PSC_WEB_STAMP})
