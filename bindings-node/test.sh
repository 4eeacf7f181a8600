#!/usr/bin/env bash
# Builds the Node.js binding from source (debug unless OPCORP_NODE_PROFILE=release) and runs
# its whole `node --test` suite against a real emulator (the suite also runs examples/node/
# and type-checks index.d.ts with tsc).
# Installs Node.js from Debian if missing and the npm devDependencies from package-lock.json
# (idempotent, fast when already installed). Fails when the generated native.d.ts/native.js
# differ from the committed ones. Ends with a "N passed, N failed" line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export CARGO_TARGET_DIR="$root/target"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi

cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

"$root/scripts/build-bins"

# Build the addon; the generated loader and declarations must match the committed ones.
# The tests use a debug addon (dependencies at opt-level 1, as for the Rust suites): a release
# build of every dependency cost a cold run minutes. OPCORP_NODE_PROFILE=release builds the
# release addon the benchmarks and scripts/dist use.
drift=$(mktemp -d)
trap 'rm -rf "$drift"' EXIT
cp native.d.ts native.js "$drift/"
script=build:debug
[ "${OPCORP_NODE_PROFILE:-debug}" = release ] && script=build
npm run --silent "$script" >"$drift/build.log" 2>&1 || { cat "$drift/build.log"; exit 1; }
for f in native.d.ts native.js; do
  if ! cmp -s "$f" "$drift/$f"; then
    diff -u "$drift/$f" "$f" | head -40 || true
    echo "$f changed when regenerated: commit the regenerated file" >&2
    exit 1
  fi
done

# A private PostgreSQL server for the Watcher-on-PostgreSQL tests, stopped on exit.
# shellcheck source=scripts/pg-server.sh
. "$root/scripts/pg-server.sh"
trap 'pg_stop; rm -rf "$drift"' EXIT
pg_for_bindings "$drift"

status=0
node --test --test-concurrency=1 --test-reporter=tap "$@" test/*.test.js | tee "$drift/tap.txt" | grep -E '^(ok|not ok) ' || true
status=${PIPESTATUS[0]}
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$drift/tap.txt" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$drift/tap.txt" | tail -1)
if [ "$status" -ne 0 ]; then
  grep -E '^not ok' -A30 "$drift/tap.txt" | head -120 >&2 || true
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
