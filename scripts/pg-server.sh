# Sourced by scripts/test and scripts/bench-postgres: a private PostgreSQL server for tests.
#
# pg_start LOGDIR  starts Debian's PostgreSQL (installed by the caller) as the `postgres`
#                  user when run as root (the server refuses root), on a free loopback port,
#                  with its data and unix socket in a fresh /tmp directory, and exports
#                  OPCORP_TEST_POSTGRES_URL. Returns non-zero (after printing the logs) on
#                  failure.
# pg_stop          stops it and removes the directory (idempotent; also run from a trap).

pg_start() {
  local logdir=$1
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$pg_bin" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  pg_dir=$(mktemp -d /tmp/opcorp-pg.XXXXXX)
  pg_as=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; pg_as=(runuser -u postgres --); fi
  local port=$((40000 + RANDOM % 20000))
  if ! "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U opcorp -A trust --no-sync >"$logdir/postgres-initdb.log" 2>&1 \
    || ! "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
         -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || ! "${pg_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U opcorp opcorp_test; then
    tail -20 "$logdir/postgres-initdb.log" "$pg_dir/server.log" 2>/dev/null
    pg_stop
    return 1
  fi
  export OPCORP_TEST_POSTGRES_URL="postgres://opcorp@127.0.0.1:$port/opcorp_test?sslmode=disable"
}

pg_stop() {
  [ -n "${pg_dir:-}" ] || return 0
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_dir"
  pg_dir=""
  unset OPCORP_TEST_POSTGRES_URL
}

# pg_for_bindings LOGDIR  for the binding suites: starts the server when PostgreSQL is
#                  installed (with CI=true installs Debian's package first, and a server that
#                  does not start fails). Otherwise says that the PostgreSQL store tests skip
#                  and returns 0 with OPCORP_TEST_POSTGRES_URL unset. The caller traps pg_stop.
pg_for_bindings() {
  local logdir=$1
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && [ "${CI:-}" = "true" ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: the PostgreSQL store tests skip (CI=true installs it)"
    return 0
  fi
  if ! pg_start "$logdir"; then
    [ "${CI:-}" = "true" ] && return 1
    echo "PostgreSQL did not start: the PostgreSQL store tests skip"
  fi
  return 0
}
