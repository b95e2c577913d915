# Run as `cmake -DWEB_ROOT=<www> -P stamp_service_worker.cmake` after staging:
# replaces the service worker's cache VERSION with a hash of every shell file,
# so any change to the app reaches installed devices without a manual bump.
# Source maps (*.map, from minify_web.mjs) are left out: the service worker
# does not cache them, and a change they alone show (a comment) changes no
# byte a device runs.
file(GLOB_RECURSE files RELATIVE ${WEB_ROOT} ${WEB_ROOT}/*)
list(SORT files)
set(digest_input "")
foreach(f ${files})
  if(NOT f STREQUAL "sw.js" AND NOT f MATCHES "\\.map$")
    file(SHA256 ${WEB_ROOT}/${f} h)
    string(APPEND digest_input "${f}:${h}\n")
  endif()
endforeach()
string(SHA256 digest "${digest_input}")
string(SUBSTRING ${digest} 0 12 version)
file(READ ${WEB_ROOT}/sw.js sw)
if(NOT sw MATCHES "const VERSION = '[^']*';")
  # Unstamped, devices would keep an old shell forever.
  message(FATAL_ERROR "${WEB_ROOT}/sw.js has no `const VERSION = '...';` to stamp")
endif()
string(REGEX REPLACE "const VERSION = '[^']*';" "const VERSION = '${version}';" sw "${sw}")
file(WRITE ${WEB_ROOT}/sw.js "${sw}")
