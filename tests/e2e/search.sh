#!/usr/bin/env bash
# Search in a real browser. Builds the default site with the release binary, serves it on
# 127.0.0.1 with python3 -m http.server (which compresses nothing: the bytes counted are the
# files' own), and drives headless Chromium (npm playwright-core, installed under target/):
# 1. tests/e2e/search_relevance.mjs: precision and recall at 5 over search_queries.json for the
#    built index and for indexes made without each analysis step, highlighting, tag filter,
#    typing; fails below P@5 0.99 / R@5 0.98.
# 2. tests/e2e/search_bytes.mjs: bytes per query with a cold cache and P@5/R@5, batmi beside
#    Pagefind (npm pagefind) indexing the same built site.
# 3. The same at 1,000 story pairs from the project's corpus generator (BATMI_SEARCH_PAIRS
#    to change it; BATMI_CORPUS=DIR to use a corpus made beforehand): bytes per query for
#    both (fails above 60 KB for batmi), then one new story pair: how many search files of
#    each edition it changes (fails above 4), and a search through `batmi serve` that must
#    find it after the incremental rebuild.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v node >/dev/null || { echo "node is needed" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
test -x "$chromium" || { echo "chromium is needed at $chromium" >&2; exit 1; }

pw=target/e2e-search-node
if [ ! -f "$pw/node_modules/pagefind/package.json" ] || [ ! -f "$pw/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$pw"
  (cd "$pw" && npm init -y >/dev/null && npm i -E --no-audit --no-fund --silent playwright-core@1.65.1 pagefind@1.6.0)
fi
test -f "$pw/node_modules/playwright-core/package.json" || { echo "playwright-core was not installed" >&2; exit 1; }
pagefind=$PWD/$pw/node_modules/.bin/pagefind
test -x "$pagefind" || { echo "pagefind was not installed" >&2; exit 1; }

cargo build --release
batmi=$PWD/target/release/batmi
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 300); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
# Serves folder $1 (through a symlink, so it can be switched); prints the port.
serve() {
  local port; port=$(free_port)
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$1" >"$work/http-$port.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  echo "$port"
}
# Indexes the story pages of site folder $1 with Pagefind (lists, tags and archives would
# only crowd out the stories).
pagefind_index() {
  "$pagefind" --site "$1" --glob '{news,en/news}/*/index.html' --silent >/dev/null
}
node_run() { PLAYWRIGHT_DIR="$PWD/$pw" CHROMIUM="$chromium" node "$@"; }

# --- 1 and 2: the default site.
"$batmi" build --root . --output "$work/site"
# Indexes without stemming or folding, for comparison. The debug test build is the one
# `cargo test` has already made.
BATMI_SEARCH_VARIANTS="$work/variants" \
  cargo test --quiet --test search -- --ignored --exact write_variant_indexes
pagefind_index "$work/site"
port=$(serve "$work/site")
node_run tests/e2e/search_relevance.mjs \
  --base "http://127.0.0.1:$port" --site "$work/site" --variants "$work/variants" \
  --queries tests/e2e/search_queries.json
node_run tests/e2e/search_bytes.mjs --label "default site" --pagefind 1 \
  --base "http://127.0.0.1:$port" --queries tests/e2e/search_queries.json

# --- 3: a generated corpus.
pairs=${BATMI_SEARCH_PAIRS:-1000}
corpus=${BATMI_CORPUS:-}
if [ -z "$corpus" ]; then
  if [ ! -f bench/corpus.rs ]; then
    echo "search: no corpus generator (bench/corpus.rs) on this branch; the $pairs-pair measurement is skipped"
    exit 0
  fi
  corpus="$work/corpus"
  cargo run --quiet --release --example gen_corpus -- --pairs "$pairs" "$corpus"
else
  cp -r "$corpus" "$work/corpus"
  corpus="$work/corpus"
fi
"$batmi" build --root "$corpus" --output "$work/c1"
pagefind_index "$work/c1"
ln -s "$work/c1" "$work/cur"
port=$(serve "$work/cur")
node_run tests/e2e/search_bytes.mjs --label "$pairs pairs" --pagefind 1 --max-kb 60 \
  --base "http://127.0.0.1:$port" --corpus "$corpus"

# One new story pair, written as an editor would; then the files a publish would upload.
stem=search-e2e-new-story
cat >"$corpus/content/news/$stem.mr.md" <<'EOF'
+++
title = "झोर्बलाट प्रकल्पाची घोषणा"
date = 2099-01-01T09:00:00+05:30
tags = ["Meta"]
+++
झोर्बलाट नावाचा नवा प्रकल्प आज जाहीर झाला.
EOF
cat >"$corpus/content/news/$stem.en.md" <<'EOF'
+++
title = "Zorblat project announced"
date = 2099-01-01T09:00:00+05:30
tags = ["Meta"]
+++
A new project called Zorblat was announced today.
EOF
"$batmi" build --root "$corpus" --output "$work/c2"
status=0
for dir in search en/search; do
  changed=$(cd "$work/c2/$dir" && for f in *.gz; do cmp -s "$f" "$work/c1/$dir/$f" || echo "$f"; done | wc -l)
  removed=$(cd "$work/c1/$dir" && for f in *.gz; do test -e "$work/c2/$dir/$f" || echo "$f"; done | wc -l)
  echo "$pairs pairs: one new story pair: $dir/ has $changed files written or changed, $removed gone"
  if [ "$changed" -gt 4 ]; then echo "FAILED: a new story changed $changed files of $dir/" >&2; status=1; fi
done

# The same story found in Chromium after `batmi serve`'s incremental rebuild.
rm "$corpus/content/news/$stem."*.md
sport=$(free_port)
"$batmi" serve --root "$corpus" --port "$sport" >"$work/serve.log" 2>&1 &
pids+=($!)
wait_port "$sport"
until grep -q "^serving " "$work/serve.log"; do sleep 0.1; done
cat >"$corpus/content/news/$stem.en.md" <<'EOF'
+++
title = "Zorblat project announced"
date = 2099-01-01T09:00:00+05:30
tags = ["Meta"]
+++
A new project called Zorblat was announced today.
EOF
# The search files catch up once the editor pauses (300 ms); --find asks again for a while.
node_run tests/e2e/search_bytes.mjs --label "$pairs pairs, batmi serve" \
  --base "http://127.0.0.1:$sport" --find "en|Zorblat|$stem" || status=1
exit $status
