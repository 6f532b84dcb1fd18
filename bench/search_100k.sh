#!/usr/bin/env bash
# Search at 100,000 story pairs: the measurement of tests/e2e/search.sh's part 3 (bytes per
# query in headless Chromium with a cold cache, batmi beside Pagefind indexing the same
# built site; one new story pair's changed search files; the story found through `batmi
# serve` after its incremental rebuild) on a corpus from the project's generator, plus the
# sitemap's limits at that size. Fails above 300 KB per query for batmi (issue 15's target)
# or when a sitemap file breaks the protocol's limits. Heavy: about 2.5 GB of memory for a
# build, several minutes of both cores; run it with `nice`, and record the figures in
# bench/README.md with the date and the machine.
#
#   nice -n 10 bash bench/search_100k.sh            # BATMI_SEARCH_PAIRS / BATMI_SEARCH_EVERY
#   BATMI_CORPUS=DIR nice -n 10 bash bench/search_100k.sh   # a corpus generated beforehand
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=tests/e2e/lib/search.sh
source tests/e2e/lib/search.sh

pairs=${BATMI_SEARCH_PAIRS:-100000}
# Every 5,000th story of each edition: 20 queries a language at 100,000 pairs.
every=${BATMI_SEARCH_EVERY:-$(( pairs / 20 > 0 ? pairs / 20 : 1 ))}
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg); $("$batmi" --version); $(node --version); $("$chromium" --version 2>/dev/null)"
status=0
measure_corpus "$pairs" 300 "$every" "${BATMI_CORPUS:-}" || status=1

# The sitemap of the same build: every file within 50,000 URLs and 50 MB, every URL once.
"$batmi" build --root "$work/corpus" --output "$work/c3" >/dev/null
python3 - "$work/c3" <<'PY' || status=1
import os, sys, xml.etree.ElementTree as ET
site = sys.argv[1]
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
index = ET.parse(os.path.join(site, "sitemap.xml")).getroot()
files = [l.text.rsplit("/", 1)[1] for l in index.findall("s:sitemap/s:loc", ns)]
seen, problems, biggest = set(), [], (0, "")
for f in files:
    path = os.path.join(site, f)
    size = os.path.getsize(path)
    biggest = max(biggest, (size, f))
    locs = [l.text for l in ET.parse(path).getroot().findall("s:url/s:loc", ns)]
    if len(locs) > 50000 or size > 50 * 1024 * 1024:
        problems.append(f"{f}: {len(locs)} URLs, {size} bytes")
    for loc in locs:
        if loc in seen:
            problems.append(f"{loc} twice")
        seen.add(loc)
for p in problems[:20]:
    print("FAILED:", p)
print(f"sitemap: {len(files)} files, {len(seen)} URLs, largest {biggest[1]} at {biggest[0] / 1e6:.1f} MB; {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
exit $status
