#!/usr/bin/env bash
# Embeds in headless Chromium: a copy of the default site with a YouTube link alone in one
# story's paragraph, built with the release binary and served on 127.0.0.1. Every request
# the page makes is recorded (and any that would leave loopback is aborted, so nothing goes
# out): before the reader presses the video, the page asks nothing of YouTube or X; after
# the press there is a youtube-nocookie.com player. The default site's X card loads nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=tests/e2e/lib/browser.sh
source tests/e2e/lib/browser.sh

cargo build --release
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
site="$work/site"
mkdir -p "$site"
cp -r config.toml content templates static "$site/"
story="$site/content/news/meta-hyperion-data-center-next-model.en.md"
printf '\nA video about the data centre, for this test only:\n\nhttps://www.youtube.com/watch?v=abcdefghijk&t=30s\n' >>"$story"
target/release/batmi build --root "$site" --quiet

port=$(free_port)
serve_dir "$site/public" "$port" "$work/http.log"

node tests/e2e/embeds.mjs --base "http://127.0.0.1:$port"
