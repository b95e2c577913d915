#!/usr/bin/env bash
# Benchmarks of issue 6 ("meeting night at city scale"): psc-load's workloads
# at the default scale and at 4x, each against a freshly started real
# psc-server (a free loopback port, a temporary data folder), and the figures
# written to tests/bench/RESULTS.md. Not a test: numbers depend on the machine.
#
#   tests/bench/run.sh                 every case, then RESULTS.md
#   tests/bench/run.sh CASE...         only these cases; prints their reports
#                                      (add --write to write RESULTS.md anyway)
#   tests/bench/run.sh --list          the cases
#
# Environment: PSC_BUILD_DIR (default ./build); PSC_BENCH_DATA_ROOT (where data
# folders go, default /tmp); PSC_BENCH_EXTRA (more psc-load flags for every
# case); PSC_BENCH_KEEP=1 keeps the reports and server logs.
#
# RESULTS.md is rendered by render_results.mjs: the tables and verdicts from
# the reports, then ANALYSIS.md (what limits the figures; hand-written from
# profiles of the runs — update it when the figures move).
#
# Accounts: when the server has the admin CLI, each case creates, before the
# server starts, the accounts and a device token for every device psc-load
# will use (psc-load --print-devices). "scoped" cases (the default ones: on a
# meeting night the tablets belong to organizers) give every device of a
# neighborhood (PREFIX-nNN-..., including live's extra listeners and the idle
# connections) a token of that neighborhood's organizer account (load-<slug>),
# whose devices the server sends only their neighborhood's changes; the
# seeding device and the final checker use the coordinator account "load".
# "coordinator" cases (*-coordinator) put every device under "load", so every
# device is sent the whole city.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PSC_BUILD_DIR:-$root/build}
server=$build/server/psc-server
load=$build/tests/load/psc-load
data_root=${PSC_BENCH_DATA_ROOT:-/tmp}
results=$root/tests/bench/RESULTS.md
# shellcheck source=../load/server.sh
. "$root/tests/load/server.sh"

# name | psc-load flags | accounts (scoped or coordinator)
cases=(
  "reconnect-1x|--workload reconnect|scoped"
  "reconnect-4x|--workload reconnect --devices-per-neighborhood 24 --timeout-s 1200|scoped"
  "reconnect-1x-coordinator|--workload reconnect|coordinator"
  "reconnect-4x-coordinator|--workload reconnect --devices-per-neighborhood 24 --timeout-s 1200|coordinator"
  "reconnect-1x-one-tx-per-push|--workload reconnect|scoped|--max-group-pushes 1"
  "live-1x|--workload live --extra-devices 898|scoped"
  "live-4x|--workload live --devices-per-neighborhood 24 --extra-devices 3592|scoped"
  "live-1x-saturated|--workload live --extra-devices 898 --live-interval-ms 0|scoped"
  "idle-1x|--workload idle --idle-connections 5000|scoped"
  "idle-4x|--workload idle --idle-connections 19900|scoped"
)

write=0
selected=()
for arg in "$@"; do
  case $arg in
    --write) write=1 ;;
    --list) for c in "${cases[@]}"; do echo "${c%%|*}: $(echo "$c" | cut -d'|' -f2) ($(echo "$c" | cut -d'|' -f3))$(echo "$c" | cut -s -d'|' -f4 | sed 's/^./; psc-server &/')"; done; exit 0 ;;
    -h|--help) sed -n '2,29p' "$0" | cut -c3-; exit 0 ;;
    *) selected+=("$arg") ;;
  esac
done
[ ${#selected[@]} -eq 0 ] && write=1

echo "run.sh: building psc-server and psc-load in $build" >&2
cmake --build "$build" --target psc-server psc-load >/dev/null

ulimit -n "$(ulimit -Hn)"  # the server inherits it: idle-4x needs ~20,000 descriptors
work=$(mktemp -d "$data_root/psc-bench.XXXXXX")
cleanup() {
  psc_server_stop
  if [ "${PSC_BENCH_KEEP:-0}" = 1 ]; then echo "run.sh: reports kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The neighborhood slugs in psc-load's order (sorted, as the replica lists them).
mapfile -t slugs < <(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const s of d.neighborhoods.map((n) => n.slug).sort()) console.log(s);' "$root/server/data/hartford.json")

# Creates the accounts and writes the tokens file for one case.
issue_tokens() {
  local data=$1 tokens=$2 accounts=$3
  shift 3
  local devices=("$@")
  if ! psc_server_has_admin "$server"; then
    echo "run.sh: psc-server has no admin CLI; devices send token ''" >&2
    return 1
  fi
  if [ "$accounts" = coordinator ]; then
    psc_server_tokens "$server" "$data" "$tokens" "${devices[@]}" || { echo "run.sh: issuing tokens failed" >&2; exit 1; }
    return 0
  fi
  # Scoped: every device of a neighborhood (PREFIX-nNN-dMM, live's extra
  # listeners PREFIX-nNN-xIIII, idle connections PREFIX-nNN-iIIIII) under
  # organizer load-<slug>; the rest (seeding device, checker) under
  # coordinator "load".
  local others=() device n
  declare -A by_neighborhood=()
  for device in "${devices[@]}"; do
    if [[ $device =~ -n([0-9][0-9])-[dxi][0-9]+$ ]]; then
      n=$((10#${BASH_REMATCH[1]}))
      by_neighborhood[$n]+="$device "
    else
      others+=("$device")
    fi
  done
  psc_server_tokens "$server" "$data" "$tokens" "${others[@]}" || { echo "run.sh: issuing tokens failed" >&2; exit 1; }
  for n in "${!by_neighborhood[@]}"; do
    local account="load-${slugs[$n]}" args=()
    psc_server_admin "$server" "$data" create-account --username "$account" --role organizer \
      --neighborhood "${slugs[$n]}" --password "$PSC_LOAD_PASSWORD" >/dev/null
    for device in ${by_neighborhood[$n]}; do args+=(--device "$device"); done
    psc_server_admin "$server" "$data" issue-token --username "$account" "${args[@]}" >>"$tokens"
  done
}

run_case() {
  local name=$1 flags=$2 accounts=$3 server_flags=${4:-}
  local dir=$work/$name
  mkdir -p "$dir/data"
  # shellcheck disable=SC2206
  local args=($flags ${PSC_BENCH_EXTRA:-})
  mapfile -t devices < <("$load" --print-devices "${args[@]}")
  local token_flags=()
  if issue_tokens "$dir/data" "$dir/tokens" "$accounts" "${devices[@]}"; then token_flags=(--tokens "$dir/tokens"); fi
  PSC_SERVER_DATA=$dir/data
  # shellcheck disable=SC2086
  psc_server_start "$server" $server_flags
  echo "run.sh: $name: psc-server pid $PSC_SERVER_PID port $PSC_SERVER_PORT; psc-load ${args[*]}" >&2
  local status=0 load_before load_after
  # Other processes on the machine skew every figure: the 1-minute load
  # average before and after the case goes into its report.
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  "$load" --port "$PSC_SERVER_PORT" --server-pid "$PSC_SERVER_PID" "${token_flags[@]}" "${args[@]}" \
    >"$dir/report.json" 2>"$dir/load.log" || status=$?
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  psc_server_stop
  cp "$PSC_SERVER_LOG" "$dir/server.log"
  local drops
  drops=$(grep -c "dropping device" "$dir/server.log" || true)
  node -e '
    const fs = require("fs");
    const [file, name, accounts, status, drops, loadBefore, loadAfter, serverFlags] = process.argv.slice(1);
    let report = {};
    try { report = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { report = { ok: false, errors: ["no report: " + e.message] }; }
    report.case = { name, accounts, exit_status: Number(status), server_drops: Number(drops),
                    load_average: [Number(loadBefore), Number(loadAfter)], server_flags: serverFlags ?? "" };
    fs.writeFileSync(file, JSON.stringify(report, null, 2));' "$dir/report.json" "$name" "$accounts" "$status" "$drops" \
    "$load_before" "$load_after" "$server_flags"
  echo "run.sh: $name: psc-load exited $status; server dropped $drops slow devices" >&2
  [ "$status" -eq 0 ] || tail -n 5 "$dir/load.log" >&2
}

ran=()
for c in "${cases[@]}"; do
  IFS='|' read -r name flags accounts server_flags <<<"$c"
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " == *" $name "* ]]; then continue; fi
  run_case "$name" "$flags" "$accounts" "$server_flags"
  ran+=("$work/$name/report.json")
done

if [ "$write" = 1 ]; then
  node "$root/tests/bench/render_results.mjs" "$results" "${ran[@]}"
  echo "run.sh: wrote $results" >&2
else
  for r in "${ran[@]}"; do cat "$r"; echo; done
fi
