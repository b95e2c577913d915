#!/usr/bin/env bash
# psc: the one entry point of PSC Sync.
#
#   ./psc run     install what is missing, build, start the server and web app
#                 at http://127.0.0.1:8080 (data in ./var/psc.sqlite)
#   ./psc test    install what is missing, build, run every test, in stages
#                 that fail fast: C++ formatting (seconds), the core's unit
#                 tests (a minute), then everything (server, browser, load)
#   ./psc setup   only install what is missing
#   ./psc build   setup, then build (native + WebAssembly)
#   ./psc format  apply the house C++ style (.clang-format) to every file
#
# Idempotent and quiet when everything is already there. Needs root or sudo
# the first time (apt-get). Environment: PSC_BUILD_DIR (default ./build),
# PSC_PORT (8080), PSC_DATA (./var), PSC_JOBS (2).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
BUILD_DIR=${PSC_BUILD_DIR:-$ROOT/build}
JOBS=${PSC_JOBS:-2}

# Debian packages the project builds and tests with (see ../shared/TOOLCHAIN.md).
DEBIAN_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libsqlite3-dev libsqlitecpp-dev libssl-dev libsodium-dev libpq-dev
  libboost1.81-dev libboost-program-options1.81-dev libboost-url1.81-dev
  nlohmann-json3-dev catch2 libxxhash-dev
  clang-format
  emscripten systemd
  chromium fonts-dejavu-core
  sqlite3 postgresql
)

say() { printf '[psc] %s\n' "$*"; }

setup_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # emscripten depends on Debian's nodejs (18), which would replace a Node.js
  # 20 installed outside dpkg; keep that one first on PATH.
  if [ -x /usr/bin/node ] && ! dpkg-query -W -f='${Status}' nodejs 2>/dev/null | grep -q 'install ok installed'; then
    $sudo install -m 0755 /usr/bin/node /usr/local/bin/node
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

setup_npm_packages() {
  # Node.js trusts its own CA list only; a machine whose traffic passes a
  # TLS-inspecting proxy has that proxy's CA in the system store (as this
  # kind of machine does). Trust the system store as well.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  # Each folder's packages, pinned by its package-lock.json: client-wasm/ the
  # build's (esbuild, which minifies the web app's JS), tests/ the tests'
  # (playwright-core, ws).
  local dir
  for dir in client-wasm tests; do
    if [ ! -f $dir/node_modules/.package-lock.json ] || [ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]; then
      say "installing npm packages in $dir (npm ci)"
      (cd $dir && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
  done
}

setup() {
  setup_debian_packages
  setup_npm_packages
}

# Every C++ file git knows or would (tracked, or new and not ignored).
cxx_files() {
  if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$ROOT" ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.h'
  else
    (cd "$ROOT" && find shared server client-wasm tests \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -not -path '*/node_modules/*')
  fi
}

check_format() {
  local bad
  bad=$(cd "$ROOT" && cxx_files | xargs clang-format --dry-run 2>&1 |
        { grep -oE '^[^:]+:[0-9]+:[0-9]+: warning' || true; } | cut -d: -f1 | sort -u)
  if [ -n "$bad" ]; then
    printf '%s\n' "$bad" | sed 's/^/  /'
    say "these files differ from .clang-format; ./psc format fixes them"
    exit 1
  fi
}

# `build [TARGET...]`: everything, or only the targets named.
build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  # Quiet when all is well; the log's tail when not.
  if ! cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}" >"$BUILD_DIR/build.log" 2>&1; then
    grep -E -B2 -A6 'error|FAILED' "$BUILD_DIR/build.log" | tail -80
    say "build failed; full log: $BUILD_DIR/build.log"
    exit 1
  fi
}

case "${1:-}" in
  setup) setup ;;
  build) setup; build ;;
  run)
    setup; build
    exec "$BUILD_DIR/server/psc-server" --host 127.0.0.1 --port "${PSC_PORT:-8080}" --data "${PSC_DATA:-$ROOT/var}" \
      --web-root "$BUILD_DIR/www" "${@:2}"
    ;;
  format)
    cxx_files | (cd "$ROOT" && xargs clang-format -i)
    ;;
  test)
    setup
    if [ $# -gt 1 ]; then  # ctest arguments: just those tests
      build
      cd "$BUILD_DIR" && exec ctest --output-on-failure "${@:2}"
    fi
    say "stage 1/3: C++ formatting"
    check_format
    say "stage 2/3: the core's unit tests (native)"
    build psc_core_tests
    (cd "$BUILD_DIR" && ctest --output-on-failure -R '^core_tests$')
    say "stage 3/3: everything (build, WebAssembly core, fuzzer, server, browser, load)"
    build
    cd "$BUILD_DIR"
    ctest --output-on-failure -E '^core_tests$'
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    [ -z "${1:-}" ] || exit 2
    ;;
esac
