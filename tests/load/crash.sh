#!/usr/bin/env bash
# load_crash (ctest; issue 6 item 5): psc-load's crash workload at a small
# scale. psc-load starts the real psc-server on a fresh data folder, runs
# meeting night, kills the server with SIGKILL at seeded random moments of the
# ingest (5 times), restarts it on the same data folder, lets the devices
# reconnect with backoff and send their unacknowledged outbox again, and then
# checks its own ledger of pushes and acks: every sent change acknowledged,
# every change exactly once in a fresh catch-up from cursor 0 and on exactly
# one row of psc.sqlite, every device's replica identical to a fresh client's.
# Non-zero exit on any violation (the data folder and server log are kept).
#
#   crash.sh PSC_LOAD PSC_SERVER [PSC_LOAD_FLAGS...]
#
# PSC_LOAD_FLAGS override the small default scale below flag by flag. To
# repeat a run, give the seed it printed:
#   tests/load/crash.sh build/tests/load/psc-load build/server/psc-server --crash-seed N
# A bigger run:
#   tests/load/crash.sh build/tests/load/psc-load build/server/psc-server \
#     --neighborhoods 17 --devices-per-neighborhood 6 --priorities-per-device 100 \
#     --edits-per-device 50 --max-batch 60 --kills 10 --timeout-s 120
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
load=$1
server=$2
shift 2
# shellcheck source=server.sh
. "$here/server.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/psc-load-crash.XXXXXX")
data=$work/data
mkdir -p "$data"
keep=1
trap 'psc_server_stop; if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "load_crash: kept $work" >&2; fi' EXIT

# ~1,600 changes from 6 devices in pushes of at most 6 changes: a few seconds
# of ingest, long enough for 5 kills. Each default is a flag and its value.
defaults=(--neighborhoods 2 --devices-per-neighborhood 3 --shared-priorities 5
          --priorities-per-device 40 --edits-per-device 20 --max-batch 6 --kills 5 --timeout-s 30)
given=" "
for arg in "$@"; do
  case $arg in --*) given+="${arg%%=*} " ;; esac
done
flags=(--workload crash)
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  case $given in *" ${defaults[i]} "*) ;; *) flags+=("${defaults[i]}" "${defaults[i + 1]}") ;; esac
done
flags+=("$@")

mapfile -t devices < <("$load" --print-devices "${flags[@]}")
token_flags=()
tokens_status=0
psc_server_tokens "$server" "$data" "$work/tokens" "${devices[@]}" || tokens_status=$?
case $tokens_status in
  0) token_flags=(--tokens "$work/tokens"); echo "load_crash: issued ${#devices[@]} device tokens" ;;
  1) echo "load_crash: the server has no admin CLI; devices send token ''" ;;
  *) echo "load_crash: creating the load account or its tokens failed" >&2; exit 1 ;;
esac

# psc-load starts, kills and restarts the server itself. The flood limit is
# raised: devices here push as fast as acks come back, and rate limiting is
# not what this test is about.
set +e
"$load" "${flags[@]}" "${token_flags[@]}" --server-binary "$server" --server-data "$data" \
  --server-log "$work/server.log" --server-arg=--max-messages-per-second=100000 \
  --ledger "$work/ledger.jsonl" >"$work/report.json"
status=$?
set -e
cat "$work/report.json"
if [ "$status" -ne 0 ]; then
  echo "load_crash: psc-load exited $status; server log (every life) in $work/server.log, ledger in $work/ledger.jsonl; last lines:" >&2
  tail -n 30 "$work/server.log" >&2
  exit 1
fi
grep -q '"identical": true' "$work/report.json"
echo "load_crash: every acknowledged change survived the kills exactly once; every replica converged"
keep=0
