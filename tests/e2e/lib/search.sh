# shellcheck shell=bash
# Shared by tests/e2e/search.sh and bench/search_100k.sh (sourced, from the repository root):
# Playwright and Pagefind under target/, the release binary, a static server on 127.0.0.1,
# and measure_corpus, the bytes-per-query measurement of a generated corpus beside Pagefind.
# The caller sets `set -euo pipefail`.

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
  for _ in $(seq 1 "${2:-300}"); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
# Serves folder $1 (through a symlink, so it can be switched) with python3 -m http.server,
# which compresses nothing: the bytes counted are the files' own. Prints the port.
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
# Like pagefind_index, saying how it ended: at 100,000 pairs Pagefind 1.6.0 was killed by
# the kernel for memory, and the measurement goes on without it.
pagefind_index_or_say() {
  local rc=0
  pagefind_index "$1" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "Pagefind failed with exit code $rc (137: killed, e.g. for memory; see dmesg)" >&2
  fi
  return "$rc"
}
node_run() { PLAYWRIGHT_DIR="$PWD/$pw" CHROMIUM="$chromium" node "$@"; }
# Seconds since $1 (a `date +%s.%N`), to one decimal.
since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

# measure_corpus PAIRS MAX_KB EVERY [CORPUS]: a corpus of PAIRS story pairs (generated, or a
# copy of CORPUS) built and indexed by batmi and by Pagefind; bytes per query for both over
# the titles of every EVERY-th story (fails above MAX_KB for batmi); then one new story pair:
# the search files of each edition it changes (fails above 4), and a search through
# `batmi serve` that must find it after the incremental rebuild. Returns 1 on a failure.
measure_corpus() {
  local pairs=$1 max_kb=$2 every=$3 corpus=${4:-} status=0 t
  if [ -z "$corpus" ]; then
    corpus="$work/corpus"
    t=$(date +%s.%N)
    cargo run --quiet --release --example gen_corpus -- --pairs "$pairs" "$corpus"
    echo "$pairs pairs: corpus generated in $(since "$t") s"
  else
    cp -r "$corpus" "$work/corpus"
    corpus="$work/corpus"
  fi
  t=$(date +%s.%N)
  "$batmi" build --root "$corpus" --output "$work/c1"
  echo "$pairs pairs: batmi build in $(since "$t") s (wall)"
  t=$(date +%s.%N)
  pagefind_index_or_say "$work/c1" || status=1
  echo "$pairs pairs: Pagefind index in $(since "$t") s (wall)"
  for dir in search en/search pagefind; do
    if [ -d "$work/c1/$dir" ]; then
      echo "$pairs pairs: $dir/: $(find "$work/c1/$dir" -type f | wc -l) files, $(du -sk "$work/c1/$dir" | cut -f1) KB"
    fi
  done
  ln -sfn "$work/c1" "$work/cur"
  local port; port=$(serve "$work/cur")
  node_run tests/e2e/search_bytes.mjs --label "$pairs pairs" --pagefind 1 --max-kb "$max_kb" \
    --every "$every" --base "http://127.0.0.1:$port" --corpus "$corpus" || status=1

  # One new story pair, written as an editor would; then the files a publish would upload.
  local stem=search-e2e-new-story
  new_story "$corpus" "$stem" mr
  new_story "$corpus" "$stem" en
  "$batmi" build --root "$corpus" --output "$work/c2"
  local dir changed removed
  for dir in search en/search; do
    changed=$(cd "$work/c2/$dir" && for f in *.gz; do cmp -s "$f" "$work/c1/$dir/$f" || echo "$f"; done | wc -l)
    removed=$(cd "$work/c1/$dir" && for f in *.gz; do test -e "$work/c2/$dir/$f" || echo "$f"; done | wc -l)
    echo "$pairs pairs: one new story pair: $dir/ has $changed files written or changed, $removed gone"
    if [ "$changed" -gt 4 ]; then echo "FAILED: a new story changed $changed files of $dir/" >&2; status=1; fi
  done
  rm -rf "$work/c2"

  # The same story found in Chromium after `batmi serve`'s incremental rebuild.
  rm "$corpus/content/news/$stem."*.md
  local sport; sport=$(free_port)
  "$batmi" serve --root "$corpus" --port "$sport" >"$work/serve.log" 2>&1 &
  pids+=($!)
  # A large corpus takes its first build before the server listens.
  wait_port "$sport" 6000
  until grep -q "^serving " "$work/serve.log"; do sleep 0.1; done
  new_story "$corpus" "$stem" en
  # The search files catch up once the editor pauses (300 ms); --find asks again for a while.
  node_run tests/e2e/search_bytes.mjs --label "$pairs pairs, batmi serve" \
    --base "http://127.0.0.1:$sport" --find "en|Zorblat|$stem" || status=1
  return $status
}

# new_story CORPUS STEM LANG: the newest story of the corpus, about a word found nowhere else.
# Dated a minute ago: newer than every generated story, and not in the future (a story dated
# after the build's clock is held back until then).
new_story() {
  local when; when=$(date -u -d '1 minute ago' +%Y-%m-%dT%H:%M:%SZ)
  if [ "$3" = mr ]; then
    printf '+++\ntitle = "झोर्बलाट प्रकल्पाची घोषणा"\ndate = %s\ntags = ["Meta"]\n+++\nझोर्बलाट नावाचा नवा प्रकल्प आज जाहीर झाला.\n' "$when" >"$1/content/news/$2.mr.md"
  else
    printf '+++\ntitle = "Zorblat project announced"\ndate = %s\ntags = ["Meta"]\n+++\nA new project called Zorblat was announced today.\n' "$when" >"$1/content/news/$2.en.md"
  fi
}
