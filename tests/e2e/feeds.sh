#!/usr/bin/env bash
# Every Atom feed of the default site, read by Python's feedparser (pip, in a venv under
# target/): no bozo flag, Atom 1.0, the required feed and entry elements, newest first, links
# that lead to pages of the site. sitemap.xml: a well-formed sitemap index whose files list
# every URL once, with xhtml:link alternates.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

venv=target/e2e-feeds-venv
if ! "$venv/bin/python" -c 'import feedparser' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "python3 -m venv failed (is python3-venv installed?)" >&2; exit 1; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check feedparser==6.0.11
fi
"$venv/bin/python" -c 'import feedparser' || { echo "feedparser was not installed" >&2; exit 1; }

cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/batmi build --root . --output "$work/site" >/dev/null

"$venv/bin/python" - "$work/site" config.toml <<'EOF'
import os, re, sys, tomllib, xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit
import feedparser

site, config_path = sys.argv[1], sys.argv[2]
config = tomllib.load(open(config_path, "rb"))
base = config["base_url"].rstrip("/")
limit = config.get("feed_limit", 20)
problems = []

def page_exists(url):
    """The file a site URL is served from, when the URL is on this site."""
    if not url.startswith(base + "/"):
        return False
    path = unquote(urlsplit(url).path).lstrip("/")
    target = os.path.join(site, path)
    return os.path.isfile(target) or os.path.isfile(os.path.join(target, "index.html"))

feeds = sorted(
    os.path.relpath(os.path.join(d, f), site)
    for d, _, files in os.walk(site) for f in files
    if f.endswith(".xml") and not f.startswith("sitemap")
)
if len(feeds) < 4:
    sys.exit(f"only {len(feeds)} feeds were built: {feeds}")

entries_total = 0
for rel in feeds:
    def bad(msg):
        problems.append(f"{rel}: {msg}")
    d = feedparser.parse(os.path.join(site, rel))
    if d.bozo:
        bad(f"feedparser flags it as malformed: {d.bozo_exception!r}")
        continue
    if d.version != "atom10":
        bad(f"is {d.version!r}, not Atom 1.0")
    f = d.feed
    for key in ("id", "title", "updated"):
        if not f.get(key):
            bad(f"feed has no <{key}>")
    if not f.get("updated_parsed"):
        bad("feed <updated> is not an RFC 3339 date")
    if not (f.get("author_detail") or {}).get("name"):
        bad("feed has no <author><name>")
    rels = {l.get("rel"): l.get("href") for l in f.get("links", [])}
    self_url = base + "/" + rel.replace(os.sep, "/")
    if rels.get("self") != self_url:
        bad(f"link rel=self is {rels.get('self')!r}, expected {self_url!r}")
    if not page_exists(rels.get("alternate") or ""):
        bad(f"link rel=alternate {rels.get('alternate')!r} is not a page of the site")
    if not d.entries:
        bad("has no entries")
    if len(d.entries) > limit:
        bad(f"has {len(d.entries)} entries, more than feed_limit = {limit}")
    ids = set()
    for i, e in enumerate(d.entries):
        where = f"entry {i + 1} ({e.get('title', '?')})"
        for key in ("id", "title", "updated", "link"):
            if not e.get(key):
                bad(f"{where} has no <{key}>")
        if e.get("id") in ids:
            bad(f"{where} repeats id {e.get('id')}")
        ids.add(e.get("id"))
        if not e.get("updated_parsed"):
            bad(f"{where}: <updated> is not an RFC 3339 date")
        if not (e.get("author_detail") or {}).get("name"):
            bad(f"{where} has no <author><name>")
        content = e.get("content") or []
        if not content or len(content[0].get("value", "")) < 200:
            bad(f"{where} has no full <content>")
        elif content[0].get("type") != "text/html":
            bad(f"{where}: content type is {content[0].get('type')!r}")
        if not page_exists(e.get("link", "")):
            bad(f"{where}: link {e.get('link')!r} is not a page of the site")
        # Links inside the story resolve against xml:base: readers must land on the site.
        for url in re.findall(r'(?:href|src)="([^"#][^"]*)"', content[0].get("value", "") if content else ""):
            if url.startswith(base + "/"):
                if not page_exists(url.split("#")[0]):
                    bad(f"{where}: content links to {url}, which is not a page of the site")
            elif not url.startswith(("https://", "http://", "mailto:")):
                bad(f"{where}: content link {url!r} does not resolve to an absolute URL")
    stamps = [e.get("published_parsed") or e.get("updated_parsed") for e in d.entries]
    if all(stamps) and stamps != sorted(stamps, reverse=True):
        bad("entries are not newest first")
    newest = max((e.get("updated_parsed") for e in d.entries if e.get("updated_parsed")), default=None)
    if newest and f.get("updated_parsed") and f.updated_parsed < newest:
        bad("feed <updated> is older than its newest entry")
    entries_total += len(d.entries)

# The sitemap: an index of well-formed files, every URL on the site once, alternates between
# translations.
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
def parse(rel):
    try:
        return ET.parse(os.path.join(site, rel)).getroot()
    except (ET.ParseError, OSError) as e:
        problems.append(f"{rel}: not well-formed XML: {e}")
        return None
index = parse("sitemap.xml")
parts = []
if index is not None:
    if index.tag != "{%s}sitemapindex" % ns["s"]:
        problems.append(f"sitemap.xml: root element is {index.tag}, not sitemapindex")
    for s in index.findall("s:sitemap", ns):
        loc = s.findtext("s:loc", default="", namespaces=ns)
        if not page_exists(loc):
            problems.append(f"sitemap.xml: names {loc!r}, which is not a file of the site")
        else:
            parts.append(unquote(urlsplit(loc).path).lstrip("/"))
urls = alternates = 0
seen = set()
for rel in parts:
    root = parse(rel)
    if root is None:
        continue
    if root.tag != "{%s}urlset" % ns["s"]:
        problems.append(f"{rel}: root element is {root.tag}")
    for u in root.findall("s:url", ns):
        urls += 1
        loc = u.findtext("s:loc", default="", namespaces=ns)
        if loc in seen:
            problems.append(f"{rel}: <loc> {loc!r} is in another sitemap file too")
        seen.add(loc)
        if not page_exists(loc):
            problems.append(f"{rel}: <loc> {loc!r} is not a page of the site")
        links = u.findall("x:link", ns)
        alternates += len(links)
        for l in links:
            if l.get("rel") != "alternate" or not l.get("hreflang") or not page_exists(l.get("href", "")):
                problems.append(f"{rel}: bad alternate {l.attrib} under {loc}")
        if links and loc not in {l.get("href") for l in links}:
            problems.append(f"{rel}: the alternates of {loc} do not include itself")
if alternates == 0:
    problems.append("sitemap: no xhtml:link alternates")

for p in problems:
    print(p)
print(f"feeds: {len(feeds)} feeds, {entries_total} entries checked with feedparser {feedparser.__version__}; "
      f"sitemap: {len(parts)} files, {urls} URLs, {alternates} alternates; {len(problems)} problems")
sys.exit(1 if problems else 0)
EOF
