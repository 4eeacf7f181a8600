#!/usr/bin/env bash
# The C binding's whole suite: builds libopcorp and the header check (cargo), the plain-C
# tests (shared, static, AddressSanitizer), runs them against a fresh emulator on
# 127.0.0.1 (the shared-library build also under valgrind with leak checks), and builds
# and runs the examples (ERP poller in C, header check in C++).
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"
passed=0
failed=0
build="$root/target/bindings-c"
mkdir -p "$build"
# The shared vectors the C suite replays (tests/c/test_vectors_*.c).
export OPCORP_VECTORS_DIR="$root/tests/vectors"

step() { printf '\n--- %s ---\n' "$*"; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

# Debian packages the suite needs, installed only when missing.
need=()
command -v cc >/dev/null || need+=(gcc)
command -v c++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
command -v valgrind >/dev/null || need+=(valgrind)
command -v nm >/dev/null || need+=(binutils)
command -v cmake >/dev/null || need+=(cmake)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "cargo: libopcorp, emulator, Rust unit tests (header drift, status mapping)"
if cargo build -q -p opcorp-c -p opcorp-emulator && cargo test -q -p opcorp-c >"$build/cargo-test.log" 2>&1; then
  ok "cargo build + cargo test -p opcorp-c"
else
  cat "$build/cargo-test.log" 2>/dev/null | tail -30
  fail "cargo build/test"
  echo "$passed passed, $failed failed"
  exit 1
fi

step "every exported symbol is declared in include/opcorp.h"
missing=0
exported=$(nm -D --defined-only "$root/target/debug/libopcorp.so" | awk '$2 == "T" {print $3}' | grep '^opcorp_' | sort)
count=$(echo "$exported" | wc -l)
for symbol in $exported; do
  grep -Eq "\\b$symbol\\(" include/opcorp.h || { echo "not in header: $symbol"; missing=$((missing + 1)); }
done
non_opcorp=$(nm -D --defined-only "$root/target/debug/libopcorp.so" | awk '$2 == "T" {print $3}' | grep -v '^opcorp_' | grep -Ev '^(_init|_fini)$' | head -5)
if [ "$missing" -eq 0 ] && [ "$count" -gt 50 ]; then ok "$count exported opcorp_* functions, all declared"; else fail "$missing undeclared symbols (of $count)"; fi
[ -n "$non_opcorp" ] && echo "note: other exported text symbols: $non_opcorp"
untested=0
for symbol in $exported; do
  grep -q "$symbol(" tests/c/*.c || { echo "not called by tests/c: $symbol"; untested=$((untested + 1)); }
done
if [ "$untested" -eq 0 ]; then ok "every exported function is called by the C suite"; else fail "$untested exported functions untested"; fi

step "make -C bindings-c (C99 tests: shared, static, ASan)"
if make -s -C "$here" tests >"$build/make.log" 2>&1; then ok "make tests"; else tail -30 "$build/make.log"; fail "make tests"; fi

step "CMake build of the same suite"
if cmake -S "$here" -B "$build/cmake" -DOPCORP_TARGET_DIR="$root/target" >"$build/cmake.log" 2>&1 \
  && cmake --build "$build/cmake" >>"$build/cmake.log" 2>&1; then
  ok "cmake configure + build"
else
  tail -20 "$build/cmake.log"
  fail "cmake build"
fi

# Starts a fresh emulator with a temporary state dir and exports its demo identity.
emulator_pid=""
start_emulator() {
  local state log
  state=$(mktemp -d)
  log="$state/banner.txt"
  "$root/target/debug/opcorp-emulator" --port 0 --admin-port 0 --state-dir "$state/state" >"$log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 200); do
    grep -q '^export OPCORP_CA=' "$log" 2>/dev/null && break
    sleep 0.1
  done
  if ! grep -q '^export OPCORP_' "$log"; then
    cat "$log"
    return 1
  fi
  eval "$(grep '^export OPCORP_' "$log")"
  OPCORP_TEST_ADMIN_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/admin' "$log" | head -1 | sed 's|/admin$||')
  export OPCORP_TEST_ADMIN_URL
  export OPCORP_TEST_CHECKPOINT="$state/checkpoint.json"
  export OPCORP_TEST_VECTORS="$root/tests/vectors"
  emulator_state=$state
}
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
    emulator_pid=""
  fi
  [ -n "${emulator_state:-}" ] && rm -rf "$emulator_state"
}
trap stop_emulator EXIT

# Runs one test binary against a fresh emulator; the C summary line decides.
run_suite() {
  local name=$1
  shift
  stop_emulator
  if ! start_emulator; then fail "$name: emulator did not start"; return; fi
  "$@" >"$build/$name.log" 2>&1
  local rc=$?
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$build/$name.log" | tail -1)
  grep -E '^FAIL|ERROR SUMMARY|definitely lost|AddressSanitizer|LeakSanitizer' "$build/$name.log" | head -20
  if [ $rc -eq 0 ] && [ -n "$line" ]; then ok "$name: $line"; else tail -15 "$build/$name.log"; fail "$name (exit $rc): ${line:-no summary}"; fi
}

step "C suite against the emulator"
run_suite c-shared "$build/test_opcorp"
run_suite c-static "$build/test_opcorp_static"
ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 run_suite c-asan "$build/test_opcorp_asan"
run_suite c-valgrind valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect --track-origins=no "$build/test_opcorp"

step "examples/c: ERP poller (C) and header in C++"
if make -s -C "$root/examples/c" >"$build/examples.log" 2>&1; then
  ok "examples build (C99 and C++17)"
  stop_emulator
  if start_emulator; then
    if "$root/examples/c/build/cpp_header_check" >"$build/cpp.log" 2>&1; then ok "C++ example runs"; else cat "$build/cpp.log"; fail "C++ example"; fi
    if "$root/examples/c/run_erp_demo.sh" "$root/examples/c/build/erp_poller" >"$build/erp.log" 2>&1; then
      ok "ERP poller marked the paid order"; tail -5 "$build/erp.log"
    else
      tail -20 "$build/erp.log"; fail "ERP poller"
    fi
  else
    fail "examples: emulator did not start"
  fi
else
  tail -20 "$build/examples.log"
  fail "examples build"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
