#!/usr/bin/env bash
# `batmi serve` in a real browser: copies the default site into a temp dir, serves it with the
# release binary, and drives headless Chromium (npm playwright-core, installed under target/)
# through tests/e2e/serve_live.mjs: edits to a story, a template, a stylesheet, a broken and a
# fixed front matter, an editor-style rename, a story pair created and deleted. Then Ctrl-C
# (SIGINT) must stop the server within a few seconds and remove its private directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=tests/e2e/lib/browser.sh
source tests/e2e/lib/browser.sh

cargo build --release
work=$(mktemp -d)
site="$work/site"
# The server's own temp dir, so the check that it removes its private directory looks only
# at what this server made.
private="$work/tmp"
mkdir -p "$site" "$private"
cp -r config.toml content templates static "$site/"

server_pid=
cleanup() {
  status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/serve.log" ]; then
    echo "--- batmi serve output ---" >&2
    cat "$work/serve.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
TMPDIR="$private" target/release/batmi serve --root "$site" --port "$port" >"$work/serve.log" 2>&1 &
server_pid=$!

started=$(date +%s%N)
until grep -q "^serving http://127.0.0.1:$port/" "$work/serve.log"; do
  kill -0 "$server_pid" 2>/dev/null || { echo "batmi serve exited before listening" >&2; exit 1; }
  if [ $(( ($(date +%s%N) - started) / 1000000000 )) -ge 60 ]; then
    echo "batmi serve did not print its serving line within 60 s" >&2; exit 1
  fi
  sleep 0.05
done
echo "serve: listening after $(( ($(date +%s%N) - started) / 1000000 )) ms ($(head -n 1 "$work/serve.log"))"

shopt -s nullglob
made=("$private"/batmi-serve-*)
[ "${#made[@]}" -eq 1 ] || { echo "expected one private batmi-serve-* directory in \$TMPDIR, found ${#made[@]}" >&2; exit 1; }
if find "$site" -name public -o -name 'batmi-serve-*' | grep -q .; then
  echo "batmi serve wrote into the site folder" >&2; exit 1
fi

node tests/e2e/serve_live.mjs \
  --base "http://127.0.0.1:$port" --site "$site" --log "$work/serve.log"

# Ctrl-C: the server stops on its own, says so and leaves nothing behind.
kill -INT "$server_pid"
stopping=$(date +%s%N)
while kill -0 "$server_pid" 2>/dev/null; do
  if [ $(( ($(date +%s%N) - stopping) / 1000000 )) -ge 5000 ]; then
    echo "batmi serve still running 5 s after SIGINT" >&2; exit 1
  fi
  sleep 0.05
done
code=0
wait "$server_pid" || code=$?
server_pid=
stop_ms=$(( ($(date +%s%N) - stopping) / 1000000 ))
[ "$code" -eq 0 ] || { echo "batmi serve exited with $code after SIGINT" >&2; exit 1; }
grep -q "stopped; the preview directory is removed" "$work/serve.log" \
  || { echo "batmi serve did not say it stopped" >&2; cat "$work/serve.log" >&2; exit 1; }
left=("$private"/*)
[ "${#left[@]}" -eq 0 ] || { echo "left behind after SIGINT: ${left[*]}" >&2; exit 1; }
if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.5)" 2>/dev/null; then
  echo "port $port still answers after SIGINT" >&2; exit 1
fi
echo "serve: SIGINT -> exit 0 in $stop_ms ms; private directory removed"
