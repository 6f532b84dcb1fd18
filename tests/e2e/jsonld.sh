#!/usr/bin/env bash
# Structured data of the default site read as search engines read it: extruct (PyPI, in a
# venv under target/) takes the JSON-LD of every story page. Each must hold a NewsArticle with
# headline, datePublished, dateModified (not before datePublished), articleSection, image,
# and authors that are Persons whose url is an author page of the site; and a BreadcrumbList
# whose items are pages of the site, the last one the story itself. Also: the section and
# author pages, the alias page and _redirects, and a story with a correction.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/e2e-jsonld-venv
if ! "$venv/bin/python" -c 'import extruct' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "python3 -m venv failed (is python3-venv installed?)" >&2; exit 1; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check extruct==0.18.0
fi
"$venv/bin/python" -c 'import extruct' || { echo "extruct was not installed" >&2; exit 1; }

cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/batmi build --root . --output "$work/site" >/dev/null

"$venv/bin/python" - "$work/site" config.toml <<'EOF'
import os, sys, tomllib
from datetime import datetime
from urllib.parse import unquote, urlsplit
import extruct

site, config_path = sys.argv[1], sys.argv[2]
config = tomllib.load(open(config_path, "rb"))
base = config["base_url"].rstrip("/")
problems = []

def page_of(url):
    """The file a URL of the site is served from, or None."""
    if not url.startswith(base + "/"):
        return None
    path = os.path.join(site, unquote(urlsplit(url).path).lstrip("/"))
    for p in (path, os.path.join(path, "index.html")):
        if os.path.isfile(p):
            return p
    return None

stories = []
for lang_dir in ("news", "en/news"):
    d = os.path.join(site, lang_dir)
    for name in sorted(os.listdir(d)):
        f = os.path.join(d, name, "index.html")
        if name != "page" and os.path.isfile(f):
            html = open(f, encoding="utf-8").read()
            if 'http-equiv="refresh"' not in html:
                stories.append((f"/{lang_dir}/{name}/", html))
if len(stories) < 18:
    sys.exit(f"only {len(stories)} story pages found")

corrected = 0
for path, html in stories:
    def bad(msg):
        problems.append(f"{path}: {msg}")
    data = extruct.extract(html, base_url=base + path, syntaxes=["json-ld"])["json-ld"]
    by_type = {d.get("@type"): d for d in data}
    a = by_type.get("NewsArticle")
    if not a:
        bad(f"no NewsArticle in {[d.get('@type') for d in data]}")
        continue
    for key in ("headline", "datePublished", "dateModified", "articleSection", "image", "url"):
        if not a.get(key):
            bad(f"NewsArticle has no {key}")
    try:
        if datetime.fromisoformat(a["dateModified"]) < datetime.fromisoformat(a["datePublished"]):
            bad("dateModified is before datePublished")
        if a["dateModified"] != a["datePublished"]:
            corrected += 'class="corrections"' in html
    except (KeyError, ValueError) as e:
        bad(f"bad dates: {e}")
    authors = a.get("author") or []
    if isinstance(authors, dict):
        authors = [authors]
    if not authors:
        bad("no author")
    for p in authors:
        if p.get("@type") != "Person" or not p.get("name"):
            bad(f"author is not a named Person: {p}")
        elif not page_of(p.get("url", "")) or "/authors/" not in p["url"]:
            bad(f"author url {p.get('url')!r} is not an author page of the site")
    if a.get("url") != base + path:
        bad(f"url is {a.get('url')!r}")
    crumbs = (by_type.get("BreadcrumbList") or {}).get("itemListElement") or []
    if len(crumbs) < 2:
        bad(f"BreadcrumbList has {len(crumbs)} items")
    for k, c in enumerate(crumbs, 1):
        if c.get("position") != k or not c.get("name") or not page_of(c.get("item", "")):
            bad(f"breadcrumb item {k} is wrong or not a page of the site: {c}")
    if crumbs and crumbs[-1].get("item") != base + path:
        bad("the last breadcrumb is not the story itself")
    if crumbs and "/sections/" not in crumbs[-2].get("item", ""):
        bad("the breadcrumb does not go through the story's section")

if corrected < 1:
    problems.append("no story shows a correction box with a later dateModified")
for path in ("sections/tech/atom.xml", "en/authors/neha-patil/atom.xml", "_redirects"):
    if not os.path.isfile(os.path.join(site, path)):
        problems.append(f"{path} was not built")
redirects = open(os.path.join(site, "_redirects"), encoding="utf-8").read().split("\n")
rules = [l.split() for l in redirects if l and not l.startswith("#")]
for rule in rules:
    old, new = rule[0], rule[1]
    old_file = page_of(base + old)
    if not old_file or 'http-equiv="refresh"' not in open(old_file, encoding="utf-8").read():
        problems.append(f"_redirects: {old} has no redirect page")
    if not page_of(base + new):
        problems.append(f"_redirects: {new} is not a page of the site")
if not rules:
    problems.append("_redirects names no alias")

for p in problems:
    print(p)
print(f"json-ld: {len(stories)} story pages read with extruct; {corrected} with corrections; "
      f"{len(rules)} redirects; {len(problems)} problems")
sys.exit(1 if problems else 0)
EOF
