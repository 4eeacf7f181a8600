#!/usr/bin/env bash
# Builds opcorp-wasm (Node and browser flavours) and runs its suites: the Node test suite
# over the built package (toolkit, reconcile, Client → opcorp gateway → emulator) and the
# examples/browser page in headless Debian Chromium. Installs what it needs, idempotently:
# the wasm32 target, the wasm-bindgen-cli matching the exact pin in Cargo.toml, Chromium,
# and playwright-core from package-lock.json. `--build-only` stops after building.
# Ends with a plain "N passed, N failed" line; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$here"

step() { printf '== %s\n' "$*" >&2; }

# --- Tools ---------------------------------------------------------------------------------
bindgen_version="$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' Cargo.toml)"
[ -n "$bindgen_version" ] || { echo "wasm-bindgen is not pinned exactly in wasm/Cargo.toml" >&2; exit 1; }
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "installing wasm-bindgen-cli $bindgen_version"
  # A build tool, not a shipped artifact: built for compile time (opt-level 1, no debug info,
  # no LTO), which is what a cold CI machine pays for.
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked \
    || cargo install wasm-bindgen-cli --version "$bindgen_version"
  unset CARGO_PROFILE_RELEASE_OPT_LEVEL CARGO_PROFILE_RELEASE_DEBUG \
    CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_CODEGEN_UNITS
fi

# --- Build ---------------------------------------------------------------------------------
step "building the wasm package (release, optimised for size)"
CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_LTO=true \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_DEBUG=false \
  cargo build -p opcorp-wasm --target wasm32-unknown-unknown --release
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/opcorp_wasm.wasm"
rm -rf pkg
wasm-bindgen --target nodejs --out-dir pkg/node "$wasm"
wasm-bindgen --target web --out-dir pkg/web "$wasm"
gz_bytes="$(gzip -9 -c pkg/web/opcorp_wasm_bg.wasm | wc -c)"
raw_bytes="$(wc -c < pkg/web/opcorp_wasm_bg.wasm)"
step "opcorp_wasm_bg.wasm: $raw_bytes bytes, $gz_bytes gzipped"

# The committed TypeScript declarations must equal the generated ones.
if ! diff -u opcorp_wasm.d.ts pkg/web/opcorp_wasm.d.ts >&2; then
  echo "wasm/opcorp_wasm.d.ts is out of date: cp wasm/pkg/web/opcorp_wasm.d.ts wasm/opcorp_wasm.d.ts" >&2
  exit 1
fi
[ "${1:-}" = "--build-only" ] && exit 0

step "building the CLI (gateway) and the emulator for the suites"
"$root/scripts/build-bins"

# --- Test tools ----------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed (found ${node_major})" >&2
  exit 1
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  step "installing Debian chromium"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ]; then
  step "installing playwright-core (npm ci)"
  npm ci --no-audit --no-fund --ignore-scripts
fi

# --- Run -----------------------------------------------------------------------------------
step "running the Node and browser suites"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
node --test --test-reporter=tap tests/*.test.mjs 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)"
failed="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)"
echo "wasm size: ${gz_bytes} bytes gzipped (${raw_bytes} raw)"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
