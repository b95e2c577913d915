# Shell helpers (sourced) to run a real psc-server for psc-load: a fresh data
# folder, a free loopback port, the load account and device tokens when the
# server has the admin CLI, and a clean stop. Used by tests/load/smoke.sh and
# tests/bench/run.sh.
#
#   psc_server_start SERVER_BINARY [EXTRA_SERVER_FLAGS...]
#       sets PSC_SERVER_PID, PSC_SERVER_PORT, PSC_SERVER_DATA, PSC_SERVER_LOG
#   psc_server_tokens SERVER_BINARY DATA_DIR TOKENS_FILE DEVICE...
#       creates the account "load" and one token per device, BEFORE the server
#       starts; returns 1 (writing nothing) when the server has no admin CLI
#   psc_server_stop
#
# PSC_LOAD_ACCOUNT / PSC_LOAD_PASSWORD override the account (default load /
# load-password-123, role coordinator).

PSC_LOAD_ACCOUNT=${PSC_LOAD_ACCOUNT:-load}
PSC_LOAD_PASSWORD=${PSC_LOAD_PASSWORD:-load-password-123}

# True when `psc-server admin --help` succeeds and describes the admin CLI
# (a server without it prints its ordinary help, which names no issue-token).
psc_server_has_admin() {
  local help
  help=$("$1" admin --help 2>&1) || return 1
  case $help in *issue-token*) return 0 ;; *) return 1 ;; esac
}

# Runs one admin command, with --data before the command (as documented in
# issue 6) or, failing that, after it.
psc_server_admin() {
  local server=$1 data=$2 command=$3
  shift 3
  "$server" admin --data "$data" "$command" "$@" 2>/dev/null ||
    "$server" admin "$command" --data "$data" "$@"
}

psc_server_tokens() {
  local server=$1 data=$2 tokens=$3
  shift 3
  psc_server_has_admin "$server" || return 1
  if ! psc_server_admin "$server" "$data" create-account --username "$PSC_LOAD_ACCOUNT" --role coordinator \
    --password "$PSC_LOAD_PASSWORD" >/dev/null 2>&1; then
    # An admin CLI that needs the database created first: start the server
    # once on this data folder, stop it, and try again.
    PSC_SERVER_DATA=$data psc_server_start "$server" >/dev/null || return 2
    psc_server_stop
    psc_server_admin "$server" "$data" create-account --username "$PSC_LOAD_ACCOUNT" --role coordinator \
      --password "$PSC_LOAD_PASSWORD" >/dev/null || return 2
  fi
  local args=() device
  for device in "$@"; do args+=(--device "$device"); done
  psc_server_admin "$server" "$data" issue-token --username "$PSC_LOAD_ACCOUNT" "${args[@]}" >"$tokens" || return 2
  return 0
}

# Starts the server on port 0 and reads the port it picked from its first line.
psc_server_start() {
  local server=$1
  shift
  PSC_SERVER_DATA=${PSC_SERVER_DATA:-$(mktemp -d "${TMPDIR:-/tmp}/psc-load-data.XXXXXX")}
  PSC_SERVER_LOG=$PSC_SERVER_DATA.log
  "$server" --host 127.0.0.1 --port 0 --data "$PSC_SERVER_DATA" "$@" >"$PSC_SERVER_LOG" 2>&1 &
  PSC_SERVER_PID=$!
  local i
  for i in $(seq 1 150); do
    PSC_SERVER_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$PSC_SERVER_LOG" | head -n 1)
    [ -n "$PSC_SERVER_PORT" ] && return 0
    if ! kill -0 "$PSC_SERVER_PID" 2>/dev/null; then
      echo "psc-server exited:" >&2
      cat "$PSC_SERVER_LOG" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "psc-server did not start in 15 s:" >&2
  cat "$PSC_SERVER_LOG" >&2
  kill "$PSC_SERVER_PID" 2>/dev/null
  return 1
}

# SIGTERM (the server drains and closes), then waits; SIGKILL after 10 s.
psc_server_stop() {
  [ -n "${PSC_SERVER_PID:-}" ] || return 0
  kill -TERM "$PSC_SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do
    kill -0 "$PSC_SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$PSC_SERVER_PID" 2>/dev/null || true
  wait "$PSC_SERVER_PID" 2>/dev/null || true
  PSC_SERVER_PID=
  return 0
}
