#!/usr/bin/env bash
# load_smoke (ctest): psc-load's three workloads at a tiny scale against a
# real psc-server, so the load tool cannot rot. psc-load itself asserts that
# every device converges to the same replica as a fresh catch-up client
# (non-zero exit otherwise).
#   smoke.sh PSC_LOAD PSC_SERVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
load=$1
server=$2
# shellcheck source=server.sh
. "$here/server.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/psc-load-smoke.XXXXXX")
PSC_SERVER_DATA=$work/data
mkdir -p "$PSC_SERVER_DATA"
trap 'psc_server_stop; rm -rf "$work"' EXIT

flags=(--workload reconnect,live,idle --neighborhoods 2 --devices-per-neighborhood 2 --shared-priorities 5
       --priorities-per-device 20 --edits-per-device 10 --live-edits 5 --extra-devices 3
       --idle-connections 20 --idle-hold-ms 100 --timeout-s 20)
token_flags=()
mapfile -t devices < <("$load" --print-devices "${flags[@]}")
tokens_status=0
psc_server_tokens "$server" "$PSC_SERVER_DATA" "$work/tokens" "${devices[@]}" || tokens_status=$?
case $tokens_status in
  0) token_flags=(--tokens "$work/tokens"); echo "load_smoke: issued ${#devices[@]} device tokens" ;;
  1) echo "load_smoke: the server has no admin CLI; devices send token ''" ;;
  *) echo "load_smoke: creating the load account or its tokens failed" >&2; exit 1 ;;
esac
psc_server_start "$server"
echo "load_smoke: psc-server pid $PSC_SERVER_PID on port $PSC_SERVER_PORT"

set +e
"$load" --port "$PSC_SERVER_PORT" --server-pid "$PSC_SERVER_PID" "${token_flags[@]}" "${flags[@]}" >"$work/report.json"
status=$?
set -e
cat "$work/report.json"
if [ "$status" -ne 0 ]; then
  echo "load_smoke: psc-load exited $status; server log:" >&2
  tail -n 40 "$PSC_SERVER_LOG" >&2
  exit 1
fi
grep -q '"identical": true' "$work/report.json"
echo "load_smoke: every replica converged"
