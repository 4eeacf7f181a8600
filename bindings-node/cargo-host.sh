#!/usr/bin/env bash
# The cargo that `npm run build:debug` gives `napi build` (through CARGO). napi always passes
# `--target <triple>`, and cargo then builds into target/<triple>/, a tree of its own: a cold
# test run compiled every dependency of the addon a second time next to the Rust suites'
# target/debug. When the triple is the host's, this drops the flag, so the addon's build shares
# target/debug with the Rust suites and the other bindings, and links the library to where napi
# looks for it afterwards. Any other target passes through unchanged.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
host=$(rustc -vV | sed -n 's/^host: //p')
args=()
triple=""
profile=debug
while [ $# -gt 0 ]; do
  case "$1" in
    --target)
      if [ "${2:-}" = "$host" ]; then triple=$2; shift 2; continue; fi ;;
    --release) profile=release ;;
  esac
  args+=("$1")
  shift
done
env -u CARGO cargo "${args[@]}"
if [ -n "$triple" ] && [ "${args[0]:-}" = build ]; then
  target_dir=${CARGO_TARGET_DIR:-$here/../target}
  mkdir -p "$target_dir/$triple/$profile"
  ln -f "$target_dir/$profile/libopcorp_node.so" "$target_dir/$triple/$profile/libopcorp_node.so"
fi
