#!/usr/bin/env bash
# Builds a WebAssembly crate (opcorp-wasm by default; CRATE is its directory, e.g. wasm-sheet
# for opcorp-wasm-sheet) with the size-optimised `wasm-release` cargo profile and runs the
# pinned wasm-bindgen for Node (OUT/node) and for browsers and bundlers (OUT/web), then
# binaryen's wasm-opt over both. Installs the wasm32 target, the exact wasm-bindgen-cli and
# the pinned binaryen (package-lock.json, `npm ci`) when missing. Used by wasm/test.sh and
# scripts/dist.
# Usage: wasm/build.sh OUT [CRATE]   (CRATE: wasm, the default, or wasm-sheet)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${1:?usage: wasm/build.sh OUT [CRATE]}"
crate_dir="$root/${2:-wasm}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

# The package name from the crate's manifest; the artifact is named like cargo names it.
package="$(sed -nE 's/^name = "([^"]+)"/\1/p' "$crate_dir/Cargo.toml" | head -1)"
[ -n "$package" ] || { echo "no package name in $crate_dir/Cargo.toml" >&2; exit 1; }
artifact="${package//-/_}"
# One wasm-bindgen-cli serves every crate, so each must pin the version opcorp-wasm pins.
bindgen_version="$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' "$here/Cargo.toml")"
[ -n "$bindgen_version" ] || { echo "wasm-bindgen is not pinned exactly in wasm/Cargo.toml" >&2; exit 1; }
crate_bindgen="$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' "$crate_dir/Cargo.toml")"
if [ "$crate_bindgen" != "$bindgen_version" ]; then
  echo "$crate_dir/Cargo.toml must pin wasm-bindgen = \"=$bindgen_version\" (found: ${crate_bindgen:-none})" >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $bindgen_version" >&2
  # A build tool, not a shipped artifact: built for compile time (opt-level 1, no debug info,
  # no LTO), which is what a cold CI machine pays for. A subshell keeps the settings from the
  # wasm build below.
  (
    export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
      CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
    cargo install wasm-bindgen-cli --version "$bindgen_version" --locked \
      || cargo install wasm-bindgen-cli --version "$bindgen_version"
  )
fi

cargo build -p "$package" --target wasm32-unknown-unknown --profile wasm-release --locked
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$artifact.wasm"
rm -rf "$out"
# Function names are for debuggers, not for users' downloads: the name section is dropped.
strip=(--remove-name-section --remove-producers-section)
wasm-bindgen "${strip[@]}" --target nodejs --out-dir "$out/node" "$wasm"
wasm-bindgen "${strip[@]}" --target web --out-dir "$out/web" "$wasm"
# wasm-opt at -O1 with duplicate-function elimination, repeated to a fixed point. The level
# is measured on the gzipped file, which is what browsers download: binaryen 132's -Os/-Oz
# shrink the raw file further but grow the gzipped one by ~20 KB (their rewrites compress
# worse), while this pass saves ~3 KB gzipped. See BENCHMARKS.md.
wasm_opt="$here/node_modules/.bin/wasm-opt"
if [ ! -x "$wasm_opt" ] && command -v npm >/dev/null; then
  echo "installing binaryen (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >&2)
fi
if [ -x "$wasm_opt" ]; then
  for wasm_out in "$out/node/${artifact}_bg.wasm" "$out/web/${artifact}_bg.wasm"; do
    "$wasm_opt" -O1 --duplicate-function-elimination --converge --strip-debug --strip-producers \
      "$wasm_out" -o "$wasm_out"
  done
elif [ "${CI:-}" = "true" ]; then
  echo "wasm-opt is missing (npm ci in wasm/ installs binaryen)" >&2
  exit 1
else
  echo "skipping wasm-opt: npm is not available to install binaryen (the package is ~3 KB larger gzipped)" >&2
fi
# Node's loader is CommonJS; mark it so inside a "type": "module" package.
printf '{ "type": "commonjs" }\n' >"$out/node/package.json"
