#!/usr/bin/env bash
# Drives a real opcorp-emulator binary with curl and openssl only: onboarding a CSR through
# the admin API, the OAuth token flow over mTLS, account and transaction reads, and the two
# refusals (no client certificate at the TLS layer, wrong client secret with 401).
#
# Usage: tests/curl/emulator_curl.sh   (binary from $OPCORP_EMULATOR_BIN or
#        target/debug/opcorp-emulator, relative to the repository root)
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${OPCORP_EMULATOR_BIN:-$ROOT/target/debug/opcorp-emulator}"
PASSED=0
FAILED=0
TMP="$(mktemp -d)"
EMULATOR_PID=""

cleanup() {
    if [ -n "$EMULATOR_PID" ]; then
        kill "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# json FILTER PYTHON_EXPR < json: a value with jq when installed, else python3 (`d` is the
# parsed document).
json() {
    if command -v jq >/dev/null 2>&1; then
        jq -r "$1"
    else
        python3 -c "import json,sys; d=json.load(sys.stdin); v=$2; print(v if not isinstance(v,(dict,list)) else json.dumps(v))"
    fi
}

# json_string TEXT: TEXT as a JSON string literal.
json_string() {
    if command -v jq >/dev/null 2>&1; then
        jq -Rs . <<<"$1"
    else
        python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))' <<<"$1"
    fi
}

if [ ! -x "$BIN" ]; then
    fail "emulator binary at $BIN (build it with: cargo build -p opcorp-emulator)"
    finish
fi

"$BIN" --port 0 --admin-port 0 --state-dir "$TMP/state" >"$TMP/banner.txt" 2>"$TMP/stderr.txt" &
EMULATOR_PID=$!
for _ in $(seq 1 100); do
    grep -q '^export OPCORP_CA=' "$TMP/banner.txt" 2>/dev/null && break
    sleep 0.1
done
if ! grep -q '^export OPCORP_CA=' "$TMP/banner.txt"; then
    fail "emulator start-up banner"; cat "$TMP/stderr.txt"; finish
fi
pass "emulator started"
eval "$(grep '^export OPCORP_' "$TMP/banner.txt")"
ADMIN_URL="$(awk '/Admin API/ {print $3}' "$TMP/banner.txt" | sed 's#/admin$##')"
BASE="$OPCORP_BASE_URL"

# 1. Onboarding: a new key and CSR made with openssl become a client certificate.
openssl genrsa -out "$TMP/mtls.key" 2048 2>/dev/null
openssl req -new -key "$TMP/mtls.key" -subj "/CN=curl-test" -out "$TMP/mtls.csr" 2>/dev/null
CSR_JSON="{\"csrPem\": $(json_string "$(cat "$TMP/mtls.csr")")}"
curl -sS -o "$TMP/cert.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d "$CSR_JSON" "$ADMIN_URL/admin/onboarding/csr" >"$TMP/code" 2>"$TMP/err"
json '.certPem' 'd["certPem"]' <"$TMP/cert.json" >"$TMP/mtls.pem" 2>/dev/null
if [ "$(cat "$TMP/code")" = 201 ] && openssl x509 -in "$TMP/mtls.pem" -noout 2>/dev/null; then
    pass "CSR signed into a client certificate by the admin onboarding endpoint"
else
    fail "CSR onboarding ($(cat "$TMP/code"))"; finish
fi

TLS=(--cert "$TMP/mtls.pem" --key "$TMP/mtls.key" --cacert "$OPCORP_CA")

# 2. Token over mTLS with the onboarded certificate.
CODE="$(curl -sS "${TLS[@]}" -o "$TMP/token.json" -w '%{http_code}' \
    -d grant_type=client_credentials --data-urlencode "client_id=$OPCORP_CLIENT_ID" \
    --data-urlencode "client_secret=$OPCORP_CLIENT_SECRET" "$BASE/corporate-oidc/v1/token")"
TOKEN="$(json '.access_token' 'd["access_token"]' <"$TMP/token.json" 2>/dev/null)"
if [ "$CODE" = 200 ] && [ -n "$TOKEN" ] && [ "$TOKEN" != null ]; then
    pass "token issued over mTLS"
else
    fail "token request ($CODE)"; finish
fi

# 3. Account list.
CODE="$(curl -sS "${TLS[@]}" -o "$TMP/accounts.json" -w '%{http_code}' \
    -H "Authorization: Bearer $TOKEN" -H "X-Request-ID: $(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo curl-test)" \
    "$BASE/corporate-account-data/v1/accounts")"
SURROGATE="$(json '.[0].surrogateId' 'd[0]["surrogateId"]' <"$TMP/accounts.json" 2>/dev/null)"
if [ "$CODE" = 200 ] && [ -n "$SURROGATE" ] && [ "$SURROGATE" != null ]; then
    pass "account list ($(json 'length' 'len(d)' <"$TMP/accounts.json") accounts)"
else
    fail "account list ($CODE)"
fi

# 4. Transactions of the first account.
ENCODED="$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$SURROGATE" 2>/dev/null || echo "$SURROGATE")"
CODE="$(curl -sS "${TLS[@]}" -o "$TMP/transactions.json" -w '%{http_code}' \
    -H "Authorization: Bearer $TOKEN" \
    "$BASE/corporate-account-data/v2/accounts/$ENCODED/transactions")"
if [ "$CODE" = 200 ]; then
    pass "transactions of the first account"
else
    fail "transactions ($CODE): $(head -c 300 "$TMP/transactions.json")"
fi

# 5. No client certificate: refused in the TLS handshake, no HTTP status at all.
CODE="$(curl -sS --cacert "$OPCORP_CA" -o /dev/null -w '%{http_code}' \
    "$BASE/corporate-account-data/v1/accounts" 2>"$TMP/nocert.err")"
RC=$?
if [ "$RC" -ne 0 ] && [ "$CODE" = 000 ]; then
    pass "request without a client certificate refused at the TLS layer (curl exit $RC)"
else
    fail "request without a client certificate got HTTP $CODE"
fi

# 6. Wrong client secret: 401 invalid_client.
CODE="$(curl -sS "${TLS[@]}" -o "$TMP/wrong.json" -w '%{http_code}' \
    -d grant_type=client_credentials --data-urlencode "client_id=$OPCORP_CLIENT_ID" \
    -d client_secret=wrong "$BASE/corporate-oidc/v1/token")"
ERROR="$(json '.error' 'd["error"]' <"$TMP/wrong.json" 2>/dev/null)"
if [ "$CODE" = 401 ] && [ "$ERROR" = invalid_client ]; then
    pass "wrong client secret gets 401 invalid_client"
else
    fail "wrong client secret got $CODE $ERROR"
fi

finish
