#!/usr/bin/env python3
"""An archive that grows: what one build and one publish cost after a small change, at
several corpus sizes, beside Hugo measured in the same run.

    python3 bench/archive.py [--pairs 1000 10000 100000] [--runs 3] [--s3]

For each size it generates the batmi and the Hugo corpus with this repository's generator
(bench/corpus.rs), then measures, RUNS times each and reports medians:

- cold: `batmi build --clean` into a fresh folder, and `hugo` into a fresh folder, alternating
  (wall time and peak RSS under /usr/bin/time);
- no change: `batmi build` again into the same output (it reads the build manifest);
- new pair: one new story pair (the newest of all) added, then `batmi build`; the files it
  wrote and removed are read off its summary line, and checked against a byte comparison of
  the output before and after;
- edited story: one sentence added to a story's body, then `batmi build`;
- Hugo after one new pair: `hugo` into its existing output (Hugo has no persistent
  incremental build: this is a full build, the work it does for every publish);
- with --s3: `batmi publish` to moto (on 127.0.0.1) after one new pair, including the build:
  wall time and objects uploaded.

`sync` runs before every timed run. Results are appended to RESULTS (TSV).
"""

import argparse
import hashlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from compare import corpus, sh  # noqa: E402  (the same generator call and runner)


def timed(cmd, env=None):
    """(wall seconds, peak RSS MB, stdout) of one run, after a sync."""
    os.sync()
    t = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024, p.stdout


def digest(out: Path):
    """site path -> sha256 of every file of an output."""
    res = {}
    for dirpath, _, names in os.walk(out):
        for name in names:
            p = Path(dirpath) / name
            res[str(p.relative_to(out))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return res


NEW_PAIR_SEQ = [0]


def add_pair(site: Path, tag: str):
    """A new story pair dated after every generated one, copied from an existing story."""
    NEW_PAIR_SEQ[0] += 1
    k = NEW_PAIR_SEQ[0]
    for lang in ["mr", "en"]:
        src = next(iter(sorted((site / "content/news").glob(f"*.{lang}.md"))))
        lines = []
        for line in src.read_text(encoding="utf-8").splitlines():
            if line.startswith("date = "):
                line = f"date = 2026-11-{10 + k % 18:02d}T{k % 24:02d}:00:00+05:30"
            elif line.startswith(("slug = ", "updated = ")):
                continue
            lines.append(line)
        (site / "content/news" / f"bench-new-{tag}-{k}.{lang}.md").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")


def edit_story(site: Path, k: int):
    stories = sorted((site / "content/news").glob("*.en.md"))
    story = stories[(k * 7) % len(stories)]
    with open(story, "a", encoding="utf-8") as f:
        f.write(f"\nA correction, number {k}, was added to this story.\n")


def counts(stdout: str):
    m = re.search(r"\((\d+) written, (\d+) removed", stdout)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_moto():
    venv = REPO / "target" / "e2e-venv"
    if not (venv / "bin" / "moto_server").exists():
        sh([sys.executable, "-m", "venv", str(venv)])
        sh([str(venv / "bin" / "pip"), "install", "--quiet", "moto[server]"])
    port = free_port()
    proc = subprocess.Popen([str(venv / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    endpoint = f"http://127.0.0.1:{port}"
    sh([str(venv / "bin" / "python"), "-c",
        "import boto3,sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',"
        " aws_access_key_id='testing', aws_secret_access_key='testing').create_bucket(Bucket='bench')",
        endpoint])
    return proc, endpoint


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--batmi", default=str(REPO / "target" / "release" / "batmi"))
    ap.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    ap.add_argument("--root", default="/tmp/batmi-archive-bench")
    ap.add_argument("--s3", action="store_true", help="also publish to moto on 127.0.0.1")
    ap.add_argument("--results", default=None)
    a = ap.parse_args()
    root = Path(a.root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    results = Path(a.results or root / "results.tsv")
    hugo_out = subprocess.run([a.hugo, "version"], capture_output=True, text=True).stdout
    hugo_version = re.search(r"hugo v(\d+\.\d+\.\d+)", hugo_out).group(1)
    batmi_version = subprocess.run([a.batmi, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{batmi_version} vs hugo {hugo_version}; {os.cpu_count()} cores; {a.runs} runs each; "
          f"load average {os.getloadavg()[0]:.1f}")
    moto = start_moto() if a.s3 else None
    try:
        for n in a.pairs:
            run_size(a, root, n, moto, hugo_version, results)
    finally:
        if moto:
            moto[0].kill()


def run_size(a, root, n, moto, hugo_version, results):
    b_site = corpus(root, n, "batmi", a.seed)
    h_site = corpus(root, n, "hugo", a.seed)
    runs = root / str(n) / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)
    rows = {}
    cold_b, cold_h = [], []
    for r in range(a.runs):
        for tool in (["batmi", "hugo"] if r % 2 == 0 else ["hugo", "batmi"]):
            out = runs / f"{tool}-{r}"
            if tool == "batmi":
                cold_b.append(timed([a.batmi, "build", "--clean", "--root", str(b_site), "--output", str(out)])[:2])
            else:
                cold_h.append(timed([a.hugo, "--quiet", "-s", str(h_site), "-d", str(out)])[:2])
    rows["cold build"] = (cold_b, cold_h)
    # The batmi output that later steps build into, incrementally.
    live = root / str(n) / "live"
    shutil.rmtree(live, ignore_errors=True)
    timed([a.batmi, "build", "--root", str(b_site), "--output", str(live)])
    build = [a.batmi, "build", "--root", str(b_site), "--output", str(live)]
    rows["no-change rebuild"] = ([timed(build)[:2] for _ in range(a.runs)], None)
    new_pair, changed_files = [], []
    for r in range(a.runs):
        before = digest(live) if r == 0 else None
        add_pair(b_site, "b")
        wall, rss, stdout = timed(build)
        new_pair.append((wall, rss))
        written, removed = counts(stdout)
        changed_files.append(written + removed)
        if before is not None:
            after = digest(live)
            differ = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
            if differ != written + removed:
                sys.exit(f"batmi said {written} written + {removed} removed; {differ} files differ")
    rows["one new pair"] = (new_pair, None)
    edits = []
    for r in range(a.runs):
        edit_story(b_site, r + 1)
        edits.append(timed(build)[:2])
    rows["one edited story"] = (edits, None)
    h_live = runs / "hugo-0"
    h_new = []
    for r in range(a.runs):
        add_pair(h_site, "h")
        h_new.append(timed([a.hugo, "--quiet", "-s", str(h_site), "-d", str(h_live)])[:2])
    rows["one new pair"] = (new_pair, h_new)
    s3_rows = None
    if moto:
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_REGION="us-east-1")
        to = f"s3://bench/{n}"
        publish = [a.batmi, "publish", "--root", str(b_site), "--to", to, "--endpoint", moto[1]]
        timed(publish, env)  # the first upload of everything
        s3_rows = []
        for r in range(a.runs):
            add_pair(b_site, "s")
            wall, _, stdout = timed(publish, env)
            up = int(re.search(r"uploaded (\d+) files", stdout).group(1))
            s3_rows.append((wall, up))
    shutil.rmtree(runs, ignore_errors=True)
    print(f"\n{n} pairs")
    print(f"  {'step':<22}{'batmi s':>10}{'RSS MB':>9}{'hugo s':>10}{'RSS MB':>9}{'ratio':>8}")
    with open(results, "a", encoding="utf-8") as f:
        for step, (b, h) in rows.items():
            bw, bm = med([w for w, _ in b]), med([m for _, m in b])
            hw, hm = (med([w for w, _ in h]), med([m for _, m in h])) if h else (float("nan"),) * 2
            print(f"  {step:<22}{bw:>10.2f}{bm:>9.0f}{hw:>10.2f}{hm:>9.0f}{bw / hw:>8.3f}")
            f.write(f"{time.strftime('%Y-%m-%d')}\t{n}\t{step}\t{bw:.3f}\t{bm:.0f}\t{hw:.3f}\t{hm:.0f}\thugo {hugo_version}\n")
        print(f"  files changed by one new pair: {changed_files} (median {med(changed_files):.0f})")
        f.write(f"{time.strftime('%Y-%m-%d')}\t{n}\tfiles changed by one new pair\t{med(changed_files):.0f}\n")
        if s3_rows:
            w, u = med([w for w, _ in s3_rows]), med([u for _, u in s3_rows])
            print(f"  S3 publish of one new pair (moto, incl. build): {w:.2f} s, {u:.0f} objects uploaded")
            f.write(f"{time.strftime('%Y-%m-%d')}\t{n}\ts3 publish one new pair\t{w:.3f}\t{u:.0f}\n")


if __name__ == "__main__":
    main()
