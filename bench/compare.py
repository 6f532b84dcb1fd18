#!/usr/bin/env python3
"""batmi against Hugo on the project's deterministic corpus, measured in the same run.

    python3 bench/compare.py [--pairs 1000 10000] [--runs 5] [--seed 2026] [--batmi target/release/batmi]

For each corpus size it generates the batmi and the Hugo corpus with this repository's
generator (`cargo run --release --example gen_corpus`, bench/corpus.rs; the Hugo site's
layouts are in bench/hugo-site/), afresh each time the script runs, then runs the tools
alternately, RUNS times each, each run into an output directory no run used before,
under /usr/bin/time for wall time and peak RSS. batmi runs twice per round: as the site
is configured (with its Marathi search index, which Hugo does not build) and with
`[search] enabled = false`, the work Hugo does. It checks the key pages of every output,
prints medians and batmi/Hugo ratios, and appends rows to RESULTS (a TSV).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def corpus(root: Path, n: int, layout: str, seed: int) -> Path:
    """A fresh corpus: generating one takes seconds, and a kept one could be stale."""
    out = root / str(n) / layout
    shutil.rmtree(out, ignore_errors=True)
    sh(["cargo", "run", "--quiet", "--release", "--example", "gen_corpus", "--",
        "--pairs", str(n), "--seed", str(seed), "--layout", layout, str(out)], cwd=REPO)
    return out


def timed(cmd, cwd=None):
    """Wall seconds and peak RSS (MB) of one run."""
    t = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024


def check(out: Path, tool: str):
    """The key pages of an output: home, archives, tag pages and their feeds, sitemap."""
    feed = "atom.xml"  # the Hugo site writes Atom feeds too (bench/hugo-site/hugo.toml)
    must = ["index.html", "en/index.html", "news/index.html", "en/news/index.html",
            "news/page/2/index.html"]
    for tag in ["meta", "scale-ai", "msl"]:
        must += [f"tags/{tag}/index.html", f"en/tags/{tag}/index.html",
                 f"tags/{tag}/page/2/index.html", f"tags/{tag}/{feed}"]
    must += [feed, f"en/{feed}", "sitemap.xml"]
    missing = [m for m in must if not (out / m).is_file()]
    if missing:
        sys.exit(f"{tool}: missing {missing[:5]}")
    article = next((out / "news").glob("*/index.html"))
    if not any("\u0900" <= c <= "\u097f" for c in article.read_text(encoding="utf-8")):
        sys.exit(f"{tool}: a Marathi article has no Devanagari")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2026, help="corpus seed (gen_corpus --seed)")
    ap.add_argument("--batmi", default=str(HERE.parent / "target" / "release" / "batmi"))
    ap.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    ap.add_argument("--root", default="/tmp/batmi-bench")
    ap.add_argument("--results", default=None)
    ap.add_argument("--delete-between", action="store_true",
                    help="delete each tool's previous output right before its run (one directory per tool)")
    ap.add_argument("--incremental-runs", type=int, default=15,
                    help="one-article edits timed on the largest corpus (0: skip)")
    a = ap.parse_args()
    root = Path(a.root).resolve()  # Hugo takes a relative --destination from --source
    results = Path(a.results or root / "results.tsv")
    root.mkdir(parents=True, exist_ok=True)
    # "hugo v0.168.0-..." (a wrapper may print a line of its own first)
    hugo_out = subprocess.run([a.hugo, "version"], capture_output=True, text=True).stdout
    hugo_version = re.search(r"hugo v(\d+\.\d+\.\d+)", hugo_out).group(1)
    batmi_version = subprocess.run([a.batmi, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{batmi_version} vs hugo {hugo_version}; {os.cpu_count()} cores; {a.runs} runs each, alternating; seed {a.seed}")
    for n in a.pairs:
        b_site = corpus(root, n, "batmi", a.seed)
        b_nosearch = root / str(n) / "batmi-nosearch"
        shutil.rmtree(b_nosearch, ignore_errors=True)
        shutil.copytree(b_site, b_nosearch)
        with open(b_nosearch / "config.toml", "a", encoding="utf-8") as f:
            f.write("\n[search]\nenabled = false\n")
        h_site = corpus(root, n, "hugo", a.seed)
        tools = {
            "hugo": (lambda out: [a.hugo, "--quiet", "-s", str(h_site), "-d", str(out)]),
            "batmi": (lambda out: [a.batmi, "build", "--root", str(b_site), "--output", str(out)]),
            "batmi-nosearch": (lambda out: [a.batmi, "build", "--root", str(b_nosearch), "--output", str(out)]),
        }
        samples = {t: [] for t in tools}
        # Every run writes into a directory never used before, and outputs are deleted only
        # after the last run: on ext4, creating files soon after tens of thousands were
        # deleted makes the kernel skip each recently freed inode one by one
        # (`recently_deleted` in fs/ext4/ialloc.c), which measured as up to 27 s of system
        # time for whichever tool ran next. With --delete-between the old protocol is kept.
        runs_dir = root / str(n) / "runs"
        shutil.rmtree(runs_dir, ignore_errors=True)
        runs_dir.mkdir(parents=True)
        for r in range(a.runs + 1):  # the first round warms the page cache and is not counted
            order = list(tools) if r % 2 == 0 else list(reversed(tools))
            for tool in order:
                if a.delete_between:
                    out = root / str(n) / f"out-{tool}"
                    shutil.rmtree(out, ignore_errors=True)
                else:
                    out = runs_dir / f"{tool}-{r}"
                # The previous tool's output is still being written back (Hugo's 47,000
                # inodes and 273 MB at 10,000 pairs); without this the tool that runs next
                # pays for it: batmi right after Hugo measured up to 2.8x its usual time.
                os.sync()
                wall, rss = timed(tools[tool](out))
                check(out, "hugo" if tool == "hugo" else "batmi")
                if r > 0:
                    samples[tool].append((wall, rss))
        shutil.rmtree(runs_dir, ignore_errors=True)
        med = {t: (statistics.median(w for w, _ in s), statistics.median(m for _, m in s)) for t, s in samples.items()}
        hw, hm = med["hugo"]
        print(f"\n{n} pairs ({2 * n} Markdown files)")
        print(f"  {'tool':<16}{'wall s (median)':>16}{'min–max':>14}{'peak RSS MB':>13}{'wall ratio':>12}{'RSS ratio':>11}")
        with open(results, "a", encoding="utf-8") as f:
            for t, s in samples.items():
                w, m = med[t]
                walls = [x for x, _ in s]
                print(f"  {t:<16}{w:>16.2f}{min(walls):>7.2f}–{max(walls):<6.2f}{m:>13.0f}{w / hw:>12.3f}{m / hm:>11.3f}")
                f.write(f"{time.strftime('%Y-%m-%d')}\t{t}\t{n}\t{w:.3f}\t{m:.0f}\t{w / hw:.3f}\t{m / hm:.3f}\n")
    if a.incremental_runs > 0:
        # The path `batmi serve` takes after a save: bench/incremental.rs, on the largest corpus.
        n = max(a.pairs)
        site = root / str(n) / "batmi"
        print(f"\none-article incremental rebuild, {n} pairs ({a.incremental_runs} edits):")
        out = subprocess.run(
            ["cargo", "bench", "--quiet", "--bench", "incremental", "--", str(site), str(a.incremental_runs)],
            cwd=HERE.parent, capture_output=True, text=True, check=True,
        ).stdout
        print("  " + out.strip().replace("\n", "\n  "))


if __name__ == "__main__":
    main()
