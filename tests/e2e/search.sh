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
#    find it after the incremental rebuild. The set-up and that measurement are in
#    tests/e2e/lib/search.sh (measure_corpus), shared with bench/search_100k.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=tests/e2e/lib/search.sh
source tests/e2e/lib/search.sh

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

# --- 3: a generated corpus (the 100,000-pair run of the same measurement: bench/search_100k.sh).
if [ -z "${BATMI_CORPUS:-}" ] && [ ! -f bench/corpus.rs ]; then
  echo "search: no corpus generator (bench/corpus.rs) on this branch; the corpus measurement is skipped"
  exit 0
fi
measure_corpus "${BATMI_SEARCH_PAIRS:-1000}" 60 50 "${BATMI_CORPUS:-}"
