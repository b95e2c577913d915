# Run as `cmake -DWEB_ROOT=<www> -P stamp_service_worker.cmake` after staging:
# replaces the service worker's cache VERSION with a hash of every shell file,
# so any change to the app reaches installed devices without a manual bump,
# and writes their names into its SHELL list (at `/* @shell-files */`), so a
# new file is precached without anyone remembering to list it; likewise the
# modulepreload links of index.html (at `<!-- @app-modules... -->`).
# Source maps (*.map, from minify_web.mjs) are left out: the service worker
# does not cache them, and a change they alone show (a comment) changes no
# byte a device runs.
file(GLOB_RECURSE files RELATIVE ${WEB_ROOT} ${WEB_ROOT}/*)
list(SORT files)

# index.html's <template id="app-modules">: a modulepreload link for every
# module but those the page loads itself (opening.js, app.js) or preloads
# with high priority (storage.js, core.js).
set(preloads "")
foreach(f ${files})
  if(f MATCHES "^js/.*\\.js$" AND NOT f MATCHES "^js/(app|opening|storage|core)\\.js$")
    string(APPEND preloads "<link rel=\"modulepreload\" href=\"${f}\">\n    ")
  endif()
endforeach()
file(READ ${WEB_ROOT}/index.html page)
set(preload_marker "<!-- @app-modules: a modulepreload link per module, written by the build -->")
string(FIND "${page}" "${preload_marker}" marker)
if(marker EQUAL -1)
  message(FATAL_ERROR "${WEB_ROOT}/index.html has no `${preload_marker}` to fill")
endif()
string(REPLACE "${preload_marker}" "${preloads}" page "${page}")
file(WRITE ${WEB_ROOT}/index.html "${page}")

set(digest_input "")
set(shell_files "")
foreach(f ${files})
  if(NOT f STREQUAL "sw.js" AND NOT f MATCHES "\\.map$")
    file(SHA256 ${WEB_ROOT}/${f} h)
    string(APPEND digest_input "${f}:${h}\n")
    string(APPEND shell_files "'${f}', ")
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
string(FIND "${sw}" "/* @shell-files */" marker)
if(marker EQUAL -1)
  message(FATAL_ERROR "${WEB_ROOT}/sw.js has no `/* @shell-files */` in its SHELL list to fill")
endif()
string(REPLACE "/* @shell-files */" "${shell_files}" sw "${sw}")
file(WRITE ${WEB_ROOT}/sw.js "${sw}")
