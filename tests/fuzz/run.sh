#!/usr/bin/env bash
# The bounded fuzz run for the test command: builds every cargo-fuzz target in fuzz/ once
# (nightly; by default without a sanitizer in the dev profile, which builds in a third of the
# time of the ASan release build and still checks every property), runs each for FUZZ_SECONDS (default 5) from a scratch copy of
# its committed seed corpus (fuzz/corpus/<target>, which this run never changes), and ends
# with "N passed, M failed": a target passes when it ran its time without a crash, a failed
# property, a timeout or running out of memory. A failure prints the input that caused it and
# the panic message, and the run exits non-zero.
#
# Usage: tests/fuzz/run.sh [target ...]   (default: every target)
# FUZZ_SECONDS per target, FUZZ_JOBS targets at once (default: the cores); FUZZ_SANITIZER (none | address) and FUZZ_PROFILE (dev | release;
# BENCHMARKS.md has the build times); CARGO_TARGET_DIR is honoured. Long runs that grow the
# corpus, with AddressSanitizer: scripts/fuzz.
set -uo pipefail
# scripts/test lints with clippy as the compiler (scripts/clippy-rustc); the fuzz crates build
# on nightly, which has no clippy here, and the stable builds lint the code they fuzz.
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-5}
sanitizer=${FUZZ_SANITIZER:-none}
profile=${FUZZ_PROFILE:-dev}
work="$root/target/test-logs/fuzz"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "installing the nightly toolchain (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal || exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked || exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "building ${#targets[@]} fuzz targets (sanitizer: $sanitizer, profile: $profile)"
started=$SECONDS
build=(-s "$sanitizer")
out=release
if [ "$profile" = dev ]; then build+=(--dev); out=debug; fi
cargo +nightly fuzz build "${build[@]}" || exit 1
echo "built in $((SECONDS - started)) s"

triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin_dir="${CARGO_TARGET_DIR:-$root/fuzz/target}/$triple/$out"
rm -rf "$work"
mkdir -p "$work"
# Runs one target for its time; its exit code goes to $work/<target>.code.
run_one() {
  local target=$1
  local corpus="$work/corpus/$target" artifacts="$work/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  cp -r "$root/fuzz/corpus/$target/." "$corpus/" 2>/dev/null
  # -timeout: one input taking this long is a hang; -rss_limit_mb: a memory blow-up fails.
  "$bin_dir/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$work/$target.log" 2>&1
  echo $? >"$work/$target.code"
}

# One target per core at a time (each libFuzzer run is one busy thread): on the 2-core
# machines this halves the run's wall time and leaves each target its full FUZZ_SECONDS.
jobs_max=${FUZZ_JOBS:-$(nproc)}
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
  run_one "$target" &
done
wait

passed=0
failed=0
for target in "${targets[@]}"; do
  log="$work/$target.log"
  artifacts="$work/artifacts/$target/"
  code=$(cat "$work/$target.code" 2>/dev/null || echo "none")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ "$code" = 0 ]; then
    passed=$((passed + 1))
    printf 'ok     %-26s %10s execs, %6s/s\n' "$target" "${runs:-?}" "$(( ${runs:-0} / seconds ))"
  else
    failed=$((failed + 1))
    printf 'FAILED %-26s exit %s, log %s\n' "$target" "$code" "$log"
    for input in "$artifacts"*; do
      [ -e "$input" ] && echo "  input: $input (replay: $bin_dir/$target $input)"
    done
    grep -A4 -m1 -E "panicked at|ERROR: libFuzzer|SUMMARY:" "$log" | sed 's/^/  /'
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
