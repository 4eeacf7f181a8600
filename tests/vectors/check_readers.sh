#!/usr/bin/env bash
# Fails when a shared vector file (tests/vectors/*.json) has no reader in some binding: each
# binding's test directory must name every vector file (its replay test reads it). A file a
# binding cannot replay by design is listed in EXEMPT with the reason. Prints one line per
# missing reader and a "N readers present, N missing" summary; exits non-zero when any is
# missing. Run by `scripts/test lint`.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
declare -A dirs=(
  [rust]=core/tests
  [python]=bindings-python/tests
  [node]=bindings-node/test
  [c]=bindings-c/tests/c
  [wasm]=wasm/tests
)
# "<binding>:<file>" pairs that are not replayed, and why.
declare -A EXEMPT=(
  [wasm:signing.json]="the WASM build has no private-key operations (design.md §3)"
)

present=0
missing=0
shopt -s nullglob
files=("$root"/tests/vectors/*.json)
[ ${#files[@]} -gt 0 ] || { echo "no vector files in tests/vectors" >&2; exit 1; }
for file in "${files[@]}"; do
  name=$(basename "$file")
  for binding in rust python node c wasm; do
    if [ -n "${EXEMPT[$binding:$name]:-}" ]; then
      continue
    fi
    if grep -rqF -- "$name" "$root/${dirs[$binding]}"; then
      present=$((present + 1))
    else
      echo "no $binding reader for tests/vectors/$name (nothing in ${dirs[$binding]}/ names it)"
      missing=$((missing + 1))
    fi
  done
done
echo "$present readers present, $missing missing"
[ "$missing" -eq 0 ]
