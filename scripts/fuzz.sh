#!/usr/bin/env bash
# Property-based fuzzing of the API from openapi.yaml alone, with schemathesis.
#
#   scripts/fuzz.sh                          # SQLite, in a temporary directory
#   scripts/fuzz.sh postgres://…/empty_db    # PostgreSQL: an EMPTY database it may fill
#
# Starts the (debug) binary on a free port with the CN–TH demonstration loaded, logs in as
# its administrator and runs every operation with generated data and every check (no 5xx, the
# status codes and response bodies the document declares, …). FUZZ_EXAMPLES (default 20)
# sets the examples per operation; FUZZ_ARGS passes more options to schemathesis.
# schemathesis is installed from PyPI into target/ci-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis
fi

cargo build --quiet
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export TERROIR_DATABASE_URL="${1:-$work/terroir.db}"
export TERROIR_DATA_DIR="$work/data"
export TERROIR_JWT_SECRET="fuzz-secret-that-is-at-least-32-bytes-long"
export TERROIR_DEMO_PASSWORD="fuzz-demo-password"
export TERROIR_ACCESS_TOKEN_TTL_SECS=3600
export RUST_LOG=warn
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

target/debug/terroir migrate >/dev/null
target/debug/terroir demo >/dev/null
target/debug/terroir serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

token=$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\": \"demo-admin\", \"password\": \"$TERROIR_DEMO_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

status=0
# shellcheck disable=SC2086
"$venv/bin/schemathesis" run openapi.yaml --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks all --max-examples "${FUZZ_EXAMPLES:-20}" ${FUZZ_ARGS:-} || status=$?
if grep -q '"level":"ERROR"\|ERROR' "$work/server.log"; then
  echo "--- ERROR lines in the server log (a malformed request logs one too):" && grep 'ERROR' "$work/server.log" | tail -n 20
fi
exit "$status"
