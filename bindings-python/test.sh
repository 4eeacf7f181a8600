#!/usr/bin/env bash
# Builds the Python binding's abi3 wheel (target/wheels; the dev profile unless
# OPCORP_PYTHON_PROFILE=release), installs it into the repository's .venv (created on first
# run), then runs the pytest suite against a real emulator, which also runs the examples in examples/python/ and reads written workbooks
# back with openpyxl (and headless LibreOffice).
# Idempotent and fast when everything is installed. Ends with pytest's summary line.
# With CI=true pandas is required (the DataFrame paths are then always tested).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv="$root/.venv"
export CARGO_TARGET_DIR="$root/target"

if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -c 'import maturin, pytest, httpx, openpyxl' 2>/dev/null \
  || "$venv/bin/pip" install -q maturin pytest httpx openpyxl
# Headless LibreOffice opens a written workbook in one test; CI installs it, elsewhere the
# test skips (loudly) when it is missing.
if [ "${CI:-}" = "true" ] && ! command -v soffice >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
if ! "$py" -c 'import pandas' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    "$venv/bin/pip" install -q pandas
  else
    "$venv/bin/pip" install -q pandas 2>/dev/null || echo "pandas unavailable: DataFrame tests skip"
  fi
fi

"$root/scripts/build-bins"
# The tests install a dev-profile abi3 wheel: it is built without `--target`, into
# target/debug next to the Rust suites' build, so it reuses their compiled dependencies
# (a release build of every dependency cost a cold run over ten minutes on two cores).
# OPCORP_PYTHON_PROFILE=release builds the release wheel the benchmarks and scripts/dist use
# (`--target <host>` as napi names it for the Node addon, so both share one release build).
wheels="$root/target/wheels"
log="$root/target/python-build.log"
rm -f "$wheels"/opcorp-*.whl
if [ "${OPCORP_PYTHON_PROFILE:-dev}" = release ]; then
  host=$(rustc -vV | sed -n 's/^host: //p')
  build=(--release --target "$host")
else
  build=(--profile dev)
fi
(cd "$here" && "$venv/bin/maturin" build "${build[@]}" --locked --out "$wheels" >"$log" 2>&1) || { cat "$log"; exit 1; }
"$venv/bin/pip" install -q --force-reinstall --no-deps "$wheels"/opcorp-*-abi3-*.whl

# A private PostgreSQL server for the Watcher-on-PostgreSQL tests, stopped on exit.
# shellcheck source=scripts/pg-server.sh
. "$root/scripts/pg-server.sh"
trap pg_stop EXIT
pg_for_bindings "$root/target"

cd "$here"
"$py" -m pytest tests -q -p no:cacheprovider "$@"
