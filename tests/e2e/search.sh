#!/usr/bin/env bash
# Search relevance in a real browser: builds the default site with the release binary, serves
# it on 127.0.0.1 with python3 -m http.server, and drives headless Chromium (npm playwright-core,
# installed under target/) through tests/e2e/search_queries.json. Reports precision and recall
# at 5 for the built index and for indexes made without each analysis step, the index size
# and the bytes a search downloads; fails below the thresholds in search_relevance.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
test -x "$chromium" || { echo "chromium is needed at $chromium" >&2; exit 1; }

pw=target/e2e-search-node
if [ ! -f "$pw/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$pw"
  (cd "$pw" && npm init -y >/dev/null && npm i -E --no-audit --no-fund --silent playwright-core@1.65.1)
fi
test -f "$pw/node_modules/playwright-core/package.json" || { echo "playwright-core was not installed" >&2; exit 1; }

test -x target/release/batmi || cargo build --release
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

target/release/batmi build --root . --output "$work/site"
# Indexes without stemming or folding, for comparison. The debug test build is the one
# `cargo test` has already made.
BATMI_SEARCH_VARIANTS="$work/variants" \
  cargo test --quiet --test search -- --ignored --exact write_variant_indexes

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "http.server exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

PLAYWRIGHT_DIR="$PWD/$pw" CHROMIUM="$chromium" node tests/e2e/search_relevance.mjs \
  --base "http://127.0.0.1:$port" --site "$work/site" --variants "$work/variants" \
  --queries tests/e2e/search_queries.json
