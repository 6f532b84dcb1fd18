#!/usr/bin/env bash
# Lead images, batmi against Hugo, in one run: the 1,000-pair corpus with --images, built
# cold (no image cache) and warm (the cache of the cold build kept, the output removed and
# built again from scratch) by both, RUNS times each (default 3), `sync` before every timed
# run; medians are printed. Warm is the same for both: output removed, cache kept. batmi is
# also timed building again into the output it left (`again`: its build manifest finds
# nothing changed), which Hugo has no counterpart for.
# Hugo makes the same resizes (bench/hugo-site/layouts/_default/single.html) with its own
# cache (resources/_gen); batmi also draws a social card per story, which Hugo does not.
# Usage: bash bench/images.sh [HUGO_BINARY] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
hugo=${1:-hugo}
runs=${2:-3}
cargo build --release --bin batmi --example gen_corpus
bin=${CARGO_TARGET_DIR:-target}/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin"/examples/gen_corpus --pairs 1000 --images "$work/b" >/dev/null
"$bin"/examples/gen_corpus --pairs 1000 --images --layout hugo "$work/h" >/dev/null
echo "stories with a lead image: $(grep -l '^image = ' "$work"/b/content/news/*.md | wc -l) of $(ls "$work"/b/content/news/*.md | wc -l)"
echo "sources: $(ls "$work"/b/static/images | wc -l) PNGs, $(du -sh "$work/b/static/images" | cut -f1)"
"$hugo" version
echo "before: $(uptime)"
now() { date +%s.%N; }
declare -A t
timed() { # key command...
  sync
  local s; s=$(now)
  "${@:2}" >"$work/last.log" 2>&1
  t[$1]="${t[$1]:-} $(echo "$(now) - $s" | bc)"
}
for r in $(seq "$runs"); do
  rm -rf "$work/b/.batmi-cache" "$work/b/public" "$work/b/.public.batmi-manifest"
  timed batmi_cold env BATMI_TIMINGS=1 "$bin"/batmi build --root "$work/b"
  grep '^images:' "$work/last.log"
  rm -rf "$work/b/public" "$work/b/.public.batmi-manifest"
  timed batmi_warm env BATMI_TIMINGS=1 "$bin"/batmi build --root "$work/b"
  grep '^images:' "$work/last.log"
  timed batmi_again env BATMI_TIMINGS=1 "$bin"/batmi build --root "$work/b"
  tail -1 "$work/last.log"
  rm -rf "$work/h/resources" "$work/h/public"
  timed hugo_cold "$hugo" --source "$work/h" --quiet
  echo "hugo: $(find "$work/h/resources/_gen" -type f | wc -l) files in its cache"
  rm -rf "$work/h/public"
  timed hugo_warm "$hugo" --source "$work/h" --quiet
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in batmi_cold batmi_warm batmi_again hugo_cold hugo_warm; do
  printf '%-11s median %6.2f s of:%s\n' "$k" "$(echo "${t[$k]}" | median)" "${t[$k]}"
done
for tool in batmi hugo; do
  printf '%-5s warm / cold %.3f\n' "$tool" \
    "$(echo "$(echo "${t[${tool}_warm]}" | median) / $(echo "${t[${tool}_cold]}" | median)" | bc -l)"
done
echo "batmi output: $(du -sh "$work/b/public/img" | cut -f1) in img/ ($(ls "$work/b/public/img" | wc -l) files)"
echo "after: $(uptime)"
