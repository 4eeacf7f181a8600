#!/usr/bin/env bash
# The `packages` suite: installs each artifact in dist/ the way its users would, in a clean
# place (own HOME, a PATH without cargo or rustc, nothing from the repository's build), and
# uses it:
#   cli     the tarball's opcorp runs `opcorp demo`; its man page and completions load; its
#           `opcorp emulator` is the bank every other check talks to
#   python  the wheel in a fresh venv; both examples/python scripts (the pandas one with the
#           wheel's `pandas` extra from PyPI) and spreadsheets
#   node    both npm tarballs in a fresh project; a CJS script, an ESM script, tsc --noEmit
#   c       the tarball in a prefix; an example built with pkg-config and with CMake
#           find_package(opcorp), run under valgrind
#   wasm    the npm tarball in a fresh project, imported from Node, and bundled by esbuild
#           into a page that headless Chromium runs; the spreadsheet tarball
#           (opcorp-wasm-sheet) with it in another, its workbooks written and read from Node
# Usage: tests/packages/run.sh [DIST]   (default dist/; build it with scripts/dist)
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dist=$(cd "${1:-$root/dist}" && pwd)
version=$(sed -nE 's/^version = "([^"]+)"/\1/p' "$root/Cargo.toml" | head -1)
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
step() { printf '\n--- %s ---\n' "$*"; }

# Tools the checks use, from the system (never the repository's node_modules or target/).
need=()
command -v valgrind >/dev/null || need+=(valgrind)
command -v cmake >/dev/null || need+=(cmake)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v cc >/dev/null || need+=(gcc)
command -v man >/dev/null || need+=(man-db)
command -v chromium >/dev/null || need+=(chromium)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
python=$(PATH=/usr/bin:/bin command -v python3)

# The clean place: its own HOME and a PATH of system directories only.
work=$(mktemp -d)
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home"
mkdir -p "$HOME"
export PATH="/usr/local/bin:/usr/bin:/bin"
unset CARGO_TARGET_DIR RUSTUP_HOME CARGO_HOME PYTHONPATH NODE_PATH VIRTUAL_ENV
export npm_config_cache="$work/npm-cache" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  fail "cargo or rustc is on the clean PATH"
else
  ok "clean PATH has no cargo or rustc; HOME=$HOME"
fi
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) && ok "SHA256SUMS verify" || fail "SHA256SUMS"

# --- CLI ---------------------------------------------------------------------------------------
step "cli: release tarball"
prefix="$work/cli"
mkdir -p "$prefix"
tar -xzf "$dist/opcorp-cli-$version-x86_64-linux-gnu.tar.gz" -C "$prefix" --strip-components=1
opcorp="$prefix/bin/opcorp"
if [ "$("$opcorp" --version)" = "opcorp $version" ]; then ok "opcorp --version"; else fail "opcorp --version: $("$opcorp" --version)"; fi
if timeout 180 "$opcorp" demo >"$work/demo.log" 2>&1; then ok "opcorp demo"; tail -3 "$work/demo.log"; else tail -20 "$work/demo.log"; fail "opcorp demo"; fi
if MANPAGER=cat man -l "$prefix/share/man/man1/opcorp.1" 2>/dev/null | grep -q "reconcile"; then ok "man page renders"; else fail "man page"; fi
if bash -c "source '$prefix/share/bash-completion/completions/opcorp' && complete -p opcorp" >/dev/null 2>&1 \
  && [ -s "$prefix/share/zsh/site-functions/_opcorp" ] && [ -s "$prefix/share/fish/vendor_completions.d/opcorp.fish" ]; then
  ok "bash completion loads; zsh and fish scripts present"
else
  fail "completions"
fi

# The bank for every other check: the installed CLI's emulator on 127.0.0.1.
banner="$work/emulator.txt"
"$opcorp" emulator --port 0 --admin-port 0 --state-dir "$work/emulator-state" >"$banner" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 200); do grep -q '^export OPCORP_CA=' "$banner" 2>/dev/null && break; sleep 0.1; done
if grep -q '^export OPCORP_' "$banner"; then
  eval "$(grep '^export OPCORP_' "$banner")"
  ok "opcorp emulator is up"
else
  cat "$banner"
  fail "opcorp emulator did not start"
fi

# --- Python -------------------------------------------------------------------------------------
step "python: wheel into a fresh venv"
wheel=$(ls "$dist"/opcorp-"$version"-cp39-abi3-manylinux*.whl 2>/dev/null | head -1)
if [ -n "$wheel" ] && "$python" -m venv "$work/venv" && "$work/venv/bin/pip" install -q --no-index "$wheel"; then
  ok "pip install $(basename "${wheel:-none}")"
  vpy="$work/venv/bin/python"
  (cd "$work" && "$vpy" - <<'PY') && ok "import opcorp: stubs, py.typed, spreadsheets" || fail "python import"
import pathlib, opcorp
pkg = pathlib.Path(opcorp.__file__).parent
assert (pkg / "py.typed").exists() and (pkg / "__init__.pyi").exists()
assert "site-packages" in str(pkg), pkg
report = opcorp.reconcile([{"id": "A", "reference": "1232", "amount": "1.00"}], [])
assert report.to_xlsx()[:2] == b"PK"
print("opcorp", opcorp.__version__, "from", pkg)
PY
  reference=$("$vpy" -c 'import opcorp; print(opcorp.reference_generate("424201"))')
  iban=$("$opcorp" --json accounts | "$vpy" -c 'import json, sys; print(json.load(sys.stdin)[0]["iban"])')
  curl_body="{\"accountIban\": \"$iban\", \"amount\": \"64.00\", \"reference\": \"$reference\", \"debtorName\": \"Maksaja Oy\"}"
  admin=$(grep -o 'http://127\.0\.0\.1:[0-9]*/admin' "$banner" | head -1)
  "$vpy" -c "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request('$admin/incoming', data=sys.argv[1].encode(), headers={'content-type': 'application/json'}))" "$curl_body" \
    && if (cd "$work" && "$vpy" "$root/examples/python/did_customer_pay.py" "$reference" 64.00 >"$work/py-example.log" 2>&1) \
      && grep -q "Maksaja Oy" "$work/py-example.log"; then
      ok "examples/python/did_customer_pay.py against the emulator"
    else
      cat "$work/py-example.log"; fail "python example"
    fi
  # The pipeline example needs the wheel's `pandas` extra: from PyPI, as a user installs it.
  if "$work/venv/bin/pip" install -q "${wheel}[pandas]" >"$work/pip-pandas.log" 2>&1 \
    && (cd "$work" && "$vpy" "$root/examples/python/month_to_dataframe.py" --out "$work/month.csv" >"$work/py-month.log" 2>&1) \
    && grep -Eq '^[1-9][0-9]* transactions booked' "$work/py-month.log" && [ "$(wc -l <"$work/month.csv")" -gt 1 ]; then
    ok "examples/python/month_to_dataframe.py with opcorp[pandas]: $(head -1 "$work/py-month.log")"
  else
    tail -20 "$work/pip-pandas.log" "$work/py-month.log"; fail "python pandas example"
  fi
else
  fail "wheel install (${wheel:-no wheel in dist})"
fi

# --- Node ---------------------------------------------------------------------------------------
step "node: npm tarballs into a fresh project"
proj="$work/node-project"
mkdir -p "$proj"
cp "$here"/node/check.cjs "$here"/node/check.mjs "$here"/node/check.ts "$here"/node/tsconfig.json "$proj/"
cp "$root/tests/vectors/invoices.xlsx" "$proj/"
if (cd "$proj" && npm init -y >/dev/null && npm install --offline --no-save=false --loglevel=error \
    "$dist/opcorp-linux-x64-gnu-$version.tgz" "$dist/opcorp-$version.tgz" >"$work/npm.log" 2>&1); then
  ok "npm install opcorp + opcorp-linux-x64-gnu"
  if [ -e "$proj/node_modules/opcorp/opcorp.linux-x64-gnu.node" ]; then fail "the main package carries a .node"; fi
  (cd "$proj" && node check.cjs) && ok "CommonJS script" || fail "CommonJS script"
  (cd "$proj" && node check.mjs) && ok "ESM script" || fail "ESM script"
  # tsc and @types/node are the project's own dev dependencies, installed like a user would.
  if (cd "$proj" && npm install --loglevel=error --no-audit typescript@~5.9.3 @types/node@^20.19.0 >>"$work/npm.log" 2>&1 \
      && npx --no-install tsc -p tsconfig.json); then
    ok "tsc --noEmit of a TypeScript example"
  else
    tail -20 "$work/npm.log"; fail "tsc --noEmit"
  fi
else
  tail -20 "$work/npm.log"; fail "npm install"
fi

# --- C ------------------------------------------------------------------------------------------
step "c: tarball into a prefix; pkg-config and CMake builds under valgrind"
cprefix="$work/c-prefix"
mkdir -p "$cprefix"
tar -xzf "$dist/opcorp-c-$version-x86_64-linux-gnu.tar.gz" -C "$cprefix" --strip-components=1
soname=$(objdump -p "$cprefix/lib/libopcorp.so.$version" 2>/dev/null | awk '/SONAME/ {print $2}')
if [ "$soname" = "libopcorp.so.0" ] && [ "$(readlink "$cprefix/lib/libopcorp.so")" = "libopcorp.so.0" ] \
  && [ "$(readlink "$cprefix/lib/libopcorp.so.0")" = "libopcorp.so.$version" ]; then
  ok "soname libopcorp.so.0 → libopcorp.so.$version"
else
  fail "soname is ${soname:-missing}"
fi
valgrind_run() {
  valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect "$@"
}
export PKG_CONFIG_PATH="$cprefix/lib/pkgconfig"
# shellcheck disable=SC2046
if cc -std=c99 -Wall -Wextra -Werror "$here/c/accounts.c" $(pkg-config --cflags --libs opcorp) \
    -Wl,-rpath,"$cprefix/lib" -o "$work/accounts-pc"; then
  if valgrind_run "$work/accounts-pc" >"$work/c-pc.log" 2>&1 && grep -q "accounts$" "$work/c-pc.log"; then
    ok "pkg-config build runs clean under valgrind ($(tail -1 "$work/c-pc.log"))"
  else
    tail -20 "$work/c-pc.log"; fail "pkg-config build under valgrind"
  fi
else
  fail "cc with pkg-config --cflags --libs opcorp"
fi
if cmake -S "$here/c" -B "$work/c-cmake" -DCMAKE_PREFIX_PATH="$cprefix" >"$work/cmake.log" 2>&1 \
  && cmake --build "$work/c-cmake" >>"$work/cmake.log" 2>&1; then
  if valgrind_run "$work/c-cmake/accounts" >"$work/c-cmake.log" 2>&1 && grep -q "accounts$" "$work/c-cmake.log"; then
    ok "CMake find_package(opcorp) build runs clean under valgrind"
  else
    tail -20 "$work/c-cmake.log"; fail "CMake build under valgrind"
  fi
else
  tail -20 "$work/cmake.log"; fail "CMake find_package(opcorp)"
fi

# --- WASM ---------------------------------------------------------------------------------------
step "wasm: npm tarball into a fresh project; Node, and an esbuild bundle in headless Chromium"
wasm_tgz="$dist/opcorp-wasm-$version.tgz"
wproj="$work/wasm-project"
mkdir -p "$wproj"
cp "$here"/wasm/node-check.mjs "$here"/wasm/page.js "$here"/wasm/index.html "$wproj/"
if [ -f "$wasm_tgz" ] && (cd "$wproj" && npm init -y >/dev/null \
    && npm install --loglevel=error "$wasm_tgz" esbuild@0.25.12 >"$work/npm-wasm.log" 2>&1); then
  ok "npm install opcorp-wasm (+ esbuild)"
  (cd "$wproj" && node node-check.mjs) && ok "imported from Node (ESM)" || fail "wasm import from Node"
  site="$wproj/site"
  if (cd "$wproj" && npx --no-install esbuild page.js --bundle --format=esm --platform=browser \
      --loader:.wasm=file --outdir=site --log-level=warning) && cp "$wproj/index.html" "$site/"; then
    ok "esbuild bundle ($(du -sh "$site" | cut -f1))"
    port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$python" -m http.server "$port" --bind 127.0.0.1 --directory "$site" >"$work/http.log" 2>&1 &
    http_pid=$!
    for _ in $(seq 1 50); do "$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
    chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
    dom=$(timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
      --user-data-dir="$work/chromium" --virtual-time-budget=15000 --dump-dom "http://127.0.0.1:$port/" 2>"$work/chromium.log")
    kill "$http_pid" 2>/dev/null; wait "$http_pid" 2>/dev/null
    if grep -q 'opcorp-wasm ok 1232 paid' <<<"$dom"; then
      ok "the bundled page runs in headless Chromium"
    else
      echo "$dom" | tail -5; tail -5 "$work/chromium.log"; fail "bundled page in headless Chromium"
    fi
  else
    fail "esbuild bundle"
  fi
else
  tail -20 "$work/npm-wasm.log" 2>/dev/null; fail "npm install opcorp-wasm (${wasm_tgz})"
fi

step "wasm-sheet: npm tarball (with opcorp-wasm) into a fresh project; Node"
sheet_tgz="$dist/opcorp-wasm-sheet-$version.tgz"
sproj="$work/wasm-sheet-project"
mkdir -p "$sproj"
cp "$here"/wasm/sheet-check.mjs "$root/tests/vectors/invoices.xlsx" "$sproj/"
if [ -f "$sheet_tgz" ] && (cd "$sproj" && npm init -y >/dev/null \
    && npm install --offline --loglevel=error "$sheet_tgz" "$wasm_tgz" >"$work/npm-wasm-sheet.log" 2>&1); then
  ok "npm install opcorp-wasm-sheet + opcorp-wasm"
  (cd "$sproj" && node sheet-check.mjs) && ok "spreadsheets from Node (ESM)" || fail "wasm-sheet from Node"
else
  tail -20 "$work/npm-wasm-sheet.log" 2>/dev/null; fail "npm install opcorp-wasm-sheet (${sheet_tgz})"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
