#!/usr/bin/env bash
# Builds opcorp-wasm and opcorp-wasm-sheet (Node and browser flavours) and runs their suites:
# the Node test suites over the built packages (toolkit, reconcile, Client → opcorp gateway →
# emulator; wasm-sheet/tests: workbooks read back with exceljs) and the examples/browser page
# in headless Debian Chromium. Installs what it needs, idempotently: the wasm32 target, the
# wasm-bindgen-cli matching the exact pin in Cargo.toml, Chromium, playwright-core from
# package-lock.json and exceljs from wasm-sheet/package-lock.json. `--build-only` stops after
# building.
# Ends with a plain "N passed, N failed" line; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$here"

step() { printf '== %s\n' "$*" >&2; }

# --- Build ---------------------------------------------------------------------------------
sheet="$root/wasm-sheet"
step "building the wasm packages (cargo profile wasm-release, optimised for size)"
bash "$here/build.sh" "$here/pkg"
bash "$here/build.sh" "$sheet/pkg" wasm-sheet
gz_bytes="$(gzip -9 -c pkg/web/opcorp_wasm_bg.wasm | wc -c)"
raw_bytes="$(wc -c < pkg/web/opcorp_wasm_bg.wasm)"
step "opcorp_wasm_bg.wasm: $raw_bytes bytes, $gz_bytes gzipped"
sheet_gz="$(gzip -9 -c "$sheet/pkg/web/opcorp_wasm_sheet_bg.wasm" | wc -c)"
sheet_raw="$(wc -c < "$sheet/pkg/web/opcorp_wasm_sheet_bg.wasm")"
step "opcorp_wasm_sheet_bg.wasm: $sheet_raw bytes, $sheet_gz gzipped"

# The committed TypeScript declarations must equal the generated ones.
if ! diff -u opcorp_wasm.d.ts pkg/web/opcorp_wasm.d.ts >&2; then
  echo "wasm/opcorp_wasm.d.ts is out of date: cp wasm/pkg/web/opcorp_wasm.d.ts wasm/opcorp_wasm.d.ts" >&2
  exit 1
fi
if ! diff -u "$sheet/opcorp_wasm_sheet.d.ts" "$sheet/pkg/web/opcorp_wasm_sheet.d.ts" >&2; then
  echo "wasm-sheet/opcorp_wasm_sheet.d.ts is out of date: cp wasm-sheet/pkg/web/opcorp_wasm_sheet.d.ts wasm-sheet/opcorp_wasm_sheet.d.ts" >&2
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
if [ ! -d "$sheet/node_modules/exceljs" ]; then
  step "installing exceljs for wasm-sheet's suite (npm ci)"
  (cd "$sheet" && npm ci --no-audit --no-fund --ignore-scripts)
fi

# --- Run -----------------------------------------------------------------------------------
step "running the Node and browser suites (wasm/tests, wasm-sheet/tests)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
node --test --test-reporter=tap tests/*.test.mjs "$sheet"/tests/*.test.mjs 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)"
failed="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)"
echo "wasm size: ${gz_bytes} bytes gzipped (${raw_bytes} raw)"
echo "wasm-sheet size: ${sheet_gz} bytes gzipped (${sheet_raw} raw)"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
