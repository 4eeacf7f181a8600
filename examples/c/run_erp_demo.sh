#!/usr/bin/env bash
# Runs the ERP poller against a running emulator (OPCORP_* and OPCORP_TEST_ADMIN_URL set):
# two open orders, two incoming payments scheduled through the admin API (one paying an
# order in two parts), and checks that the poller marked both orders paid.
set -euo pipefail
poller=${1:?usage: run_erp_demo.sh PATH_TO_ERP_POLLER}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${OPCORP_TEST_ADMIN_URL##*:}

# A plain HTTP request to the admin API with bash's /dev/tcp (no curl needed).
admin() {
  local method=$1 path=$2 body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$method" "$path" "${#body}" "$body" >&3
  cat <&3
  exec 3>&-
}

iban=$(admin GET /admin/accounts | grep -o '"iban":"[A-Z0-9]*"' | head -1 | cut -d'"' -f4)
printf 'ORDER-1001;1232;49.00\nORDER-1002;RF18539007547034;120.50\n' >"$work/orders.txt"
# The poller watches from the moment it starts: schedule the payments only once it says it
# is watching, or a payment booked before that (a slow start on a busy machine) is history.
"$poller" "$work/orders.txt" "$work/checkpoint.json" 30 >"$work/poller.log" 2>&1 &
poller_pid=$!
for _ in $(seq 300); do
  grep -q '^watching' "$work/poller.log" && break
  kill -0 "$poller_pid" 2>/dev/null || break
  sleep 0.1
done
admin POST /admin/scenario "{\"events\":[
  {\"afterMillis\":500,\"payment\":{\"accountIban\":\"$iban\",\"amount\":\"49.00\",\"reference\":\"00000000000000001232\",\"debtorName\":\"Asiakas Oy\"}},
  {\"afterMillis\":900,\"payment\":{\"accountIban\":\"$iban\",\"amount\":\"100.00\",\"reference\":\"RF18539007547034\",\"debtorName\":\"Toinen Oy\"}},
  {\"afterMillis\":1300,\"payment\":{\"accountIban\":\"$iban\",\"amount\":\"20.50\",\"reference\":\"RF18539007547034\",\"debtorName\":\"Toinen Oy\"}}]}" | head -1

status=0
wait "$poller_pid" || status=$?
cat "$work/poller.log"
[ "$status" -eq 0 ] || exit "$status"
cat "$work/orders.txt"
[ "$(grep -c ';PAID$' "$work/orders.txt")" -eq 2 ]
