# shellcheck shell=bash
# Shared by the browser suites (sourced, from the repository root): node and Chromium checked,
# playwright-core installed under target/e2e-serve, and serve_dir, a static server on
# 127.0.0.1 for a built site. The caller sets `set -euo pipefail` and cleans up "$server_pid".

command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
test -x "$chromium" || { echo "chromium is needed at $chromium" >&2; exit 1; }

pw=target/e2e-serve
if [ ! -f "$pw/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$pw"
  (cd "$pw" && npm init -y >/dev/null && npm i -E --no-audit --no-fund --silent playwright-core@1.65.1)
fi
test -f "$pw/node_modules/playwright-core/package.json" || { echo "playwright-core was not installed" >&2; exit 1; }
export PLAYWRIGHT_DIR="$PWD/$pw" CHROMIUM="$chromium"

# A free port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# serve_dir DIR PORT LOG: python3 -m http.server on 127.0.0.1:PORT in the background, its pid in
# server_pid; returns once the port answers.
serve_dir() {
  python3 -m http.server "$2" --bind 127.0.0.1 --directory "$1" >"$3" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $2), 0.2)" 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "http.server exited:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "http.server did not answer on port $2" >&2; exit 1
}
