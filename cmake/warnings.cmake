# Warnings as an INTERFACE target, linked PRIVATE by our own targets only.
add_library(psc_warnings INTERFACE)
add_library(psc::warnings ALIAS psc_warnings)
target_compile_options(psc_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                              -Wno-unused-parameter)
