#!/usr/bin/env bash
# The W3C Nu HTML checker (npm vnu-jar, run with java) over every .html page of the default
# site, in one run: zero errors allowed. A deliberately broken canary page goes through the
# same run and must be reported, so a checker that silently checks nothing fails the suite.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v java >/dev/null || { echo "java is needed for the Nu HTML checker" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed to install vnu-jar" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

tools=target/e2e-vnu
jar=$tools/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$jar" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm init -y >/dev/null && npm i -E --no-audit --no-fund --silent vnu-jar@26.9.27)
fi
test -f "$jar" || { echo "vnu-jar was not installed ($jar missing)" >&2; exit 1; }

cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/batmi build --root . --output "$work/site" >/dev/null
mkdir -p "$work/canary"
printf '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body><p><div></p></body></html>\n' \
  >"$work/canary/broken.html"

pages=$(find "$work/site" -name '*.html' | wc -l)
test "$pages" -ge 40 || { echo "only $pages .html pages were built; expected the whole default site" >&2; exit 1; }

# vnu exits non-zero when it finds errors (the canary guarantees that); the JSON report decides.
java -jar "$jar" --errors-only --skip-non-html --format json "$work/site" "$work/canary" \
  2>"$work/report.json" || true

python3 - "$work/report.json" "$work" "$pages" <<'EOF'
import json, sys
report, root, pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    messages = json.load(open(report, encoding="utf-8"))["messages"]
except (ValueError, KeyError) as e:
    sys.exit(f"vnu did not produce a JSON report ({e}):\n{open(report, encoding='utf-8').read()[:2000]}")
errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
canary = [m for m in errors if m.get("url", "").endswith("/canary/broken.html")]
site = [m for m in errors if m not in canary]
if not canary:
    sys.exit("the canary page with a misnested <div> was not reported: is vnu checking anything?")
for m in site:
    where = m.get("url", "?").replace("file:" + root + "/site", "")
    print(f"{where}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m.get('message')}")
    extract = m.get("extract")
    if extract:
        print("    " + extract.replace("\n", " ")[:200])
print(f"html_validate: {pages} pages checked by vnu, {len(site)} errors (canary: {len(canary)} errors found)")
sys.exit(1 if site else 0)
EOF
