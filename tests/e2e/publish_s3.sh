#!/usr/bin/env bash
# `batmi publish` to S3 against a real S3-compatible server: moto, on 127.0.0.1 only.
# Installs moto[server] into a venv under target/, starts it on a free port, runs the
# #[ignore]d S3 tests of tests/publish.rs, and stops the server however the run ends.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/e2e-venv
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
fi
test -x "$venv/bin/moto_server" || { echo "moto_server was not installed" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=target/e2e-moto.log
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "moto_server exited:" >&2; cat "$log" >&2; exit 1
  fi
  sleep 0.1
done
python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
  || { echo "moto_server did not start on port $port" >&2; cat "$log" >&2; exit 1; }

export BATMI_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
export BATMI_TEST_MOTO_SERVER="$PWD/$venv/bin/moto_server"  # for the test that kills and restarts its own
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL || true

cargo test --release --test publish -- --ignored
