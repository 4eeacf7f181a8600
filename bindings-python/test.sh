#!/usr/bin/env bash
# Builds the Python binding into the repository's .venv (created on first run), then runs the
# pytest suite against a real emulator, which also runs the examples in examples/python/.
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
"$py" -c 'import maturin, pytest, httpx' 2>/dev/null \
  || "$venv/bin/pip" install -q maturin pytest httpx
if ! "$py" -c 'import pandas' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    "$venv/bin/pip" install -q pandas
  else
    "$venv/bin/pip" install -q pandas 2>/dev/null || echo "pandas unavailable: DataFrame tests skip"
  fi
fi

cargo build -q -p opcorp-emulator
log="$root/target/python-build.log"
(cd "$here" && "$venv/bin/maturin" develop -q --release >"$log" 2>&1) || { cat "$log"; exit 1; }

cd "$here"
"$py" -m pytest tests -q -p no:cacheprovider "$@"
