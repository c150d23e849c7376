#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests that need one (the PostgreSQL journal), used by .ci/run and
# by hand alike:
#
#   scripts/test-postgres.sh run CMD…   start a server, run CMD with RAMPKIT_TEST_DATABASE_URL set, stop it
#   scripts/test-postgres.sh start      start one; print `export RAMPKIT_TEST_DATABASE_URL=…` and
#                                       `export RAMPKIT_TEST_PG_DIR=…` lines for `eval`
#   scripts/test-postgres.sh stop       stop the one RAMPKIT_TEST_PG_DIR names, and remove its files
#
# When RAMPKIT_TEST_DATABASE_URL is already set, that server is used and nothing is started. Otherwise
# PostgreSQL's server programs are taken from PATH or /usr/lib/postgresql/<version>/bin, and installed
# from the distribution's packages (apt-get) when missing. The server runs as a non-root user (PostgreSQL
# refuses root: `nobody` when this runs as root), from a temporary directory, on a free loopback port,
# with a random password (scram-sha-256), fsync off: a test server, never one for data. It speaks TLS
# with a certificate from a throwaway CA made here (openssl): the URL it prints asks for TLS and names
# that CA (`sslmode=require&sslrootcert=…/ca.pem`), so every PostgreSQL test runs over verified TLS.
set -euo pipefail

find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  done
  return 1
}

install_postgres() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test-postgres: PostgreSQL is not installed and apt-get is not available" >&2
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "test-postgres: installing PostgreSQL from the distribution's packages" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# A CA and a server certificate for 127.0.0.1 (EC P-256, valid two days), in $1.
make_certificates() {
  local dir=$1
  if ! command -v openssl >/dev/null 2>&1; then
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    echo "test-postgres: installing openssl from the distribution's packages" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openssl >&2
  fi
  (
    cd "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj "/CN=rampkit test CA" -keyout ca.key -out ca.pem \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
      -extfile server.ext -out server.crt
    rm -f ca.key server.csr server.ext ca.srl
    chmod 600 server.key
  ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if [ -n "${RAMPKIT_TEST_DATABASE_URL:-}" ]; then
    echo "test-postgres: using RAMPKIT_TEST_DATABASE_URL as given" >&2
    return
  fi
  local bin
  bin=$(find_bin) || { install_postgres; bin=$(find_bin); }
  local dir port password as=()
  dir=$(mktemp -d /tmp/rampkit-pg.XXXXXX)
  port=$(free_port)
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  make_certificates "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$dir"
    chmod 700 "$dir"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U rampkit --auth=scram-sha-256 --pwfile="$dir/pwfile" \
    --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "export RAMPKIT_TEST_PG_DIR=$dir"
  echo "export RAMPKIT_TEST_PG_BIN=$bin"
  echo "export RAMPKIT_TEST_DATABASE_URL='postgres://rampkit:$password@127.0.0.1:$port/postgres?sslmode=require&sslrootcert=$dir/ca.pem'"
  echo "test-postgres: PostgreSQL on 127.0.0.1:$port, TLS with the CA in $dir/ca.pem (data in $dir)" >&2
}

stop() {
  local dir=${RAMPKIT_TEST_PG_DIR:-}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  local bin=${RAMPKIT_TEST_PG_BIN:-$(find_bin)} as=()
  if [ "$(id -u)" = 0 ]; then as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --); fi
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    eval "$(start)"
    trap stop EXIT
    "$@"
    ;;
  *)
    echo "usage: $0 start | stop | run CMD…" >&2
    exit 2
    ;;
esac
