# Runs the fuzzer for PSC_FUZZ_SECONDS (default 60) on a working corpus grown
# from the seeds; fails on any crash, leak or sanitizer report.
set(seconds 60)
if(DEFINED ENV{PSC_FUZZ_SECONDS})
  set(seconds $ENV{PSC_FUZZ_SECONDS})
endif()
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${FUZZER} -max_total_time=${seconds} -timeout=10 -rss_limit_mb=2048 -max_len=65536
          -print_final_stats=1 ${WORK} ${SEEDS}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the fuzzer found a problem (exit ${result}); the crashing input is in the current folder")
endif()
