//! Randomized: many seeded sequences of edits, each applied the way `serve` applies them
//! (`Incremental::rebuild` after every save, then the deferred outputs), and the result
//! compared byte for byte with a fresh full build of the same files. Edits cover bodies,
//! titles, dates, tags (a tag gaining or losing a language), slugs, new, deleted and draft
//! stories, `@/` link targets, templates (an included file outside partials/ too), static
//! files, the config, and broken saves that are fixed afterwards.
//!
//! The same sequences also run through `batmi::build` into one output folder, which is then
//! incremental (from the build manifest): each build must equal a fresh full build, and a
//! build that fails must leave the output exactly as it was.
//!
//! A failing sequence prints its seed; add it to `REGRESSIONS` so it runs every time.

mod common;

use std::path::{Path, PathBuf};

use batmi::BuildOptions;
use batmi::incremental::Incremental;
use common::{CONFIG, Fixture, same_files, snapshot, story};

/// Sequences run by `cargo test` (`BATMI_RANDOM_SEQUENCES` asks for more), and edits in each.
const SEQUENCES: u64 = 240;
const EDITS: usize = 5;
/// Seeds of sequences that once failed; they run first, every time. Found on the first run:
/// a draft with a broken link failed the rebuild (…134); a static deletion in a batch with a
/// config edit stayed in the preview (…120, …138); edits saved while a rebuild failed were
/// lost (…207, …246, …324).
const REGRESSIONS: &[u64] = &[
    108170704677120,
    108170704677134,
    108170704677138,
    108170704677207,
    108170704677246,
    108170704677324,
];

/// splitmix64: a few lines of well-known arithmetic, enough for picking edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const TAGS: &[&str] = &["Meta", "Scale AI", "मुंबई", "AI", "पुणे", "Surge"];
const STEMS: &[&str] = &["deal", "exit", "labs", "local", "fresh", "other"];
const LANGS: &[&str] = &["mr", "en"];

/// The fixture site plus a template override that includes a file outside `partials/`.
fn site() -> Fixture {
    let f = Fixture::bilingual();
    let article = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/article.html"),
    )
    .unwrap();
    assert!(article.contains("{% block main %}"));
    f.write(
        "templates/article.html",
        &article.replacen(
            "{% block main %}",
            "{% block main %}{% include \"bits/byline.html\" %}",
            1,
        ),
    );
    f.write("templates/bits/byline.html", "<p class=\"desk\">डेस्क</p>\n");
    f.write("static/extra.css", "p { margin: 0 }\n");
    f
}

/// One random edit to the site's files; returns the paths it touched.
fn edit(f: &Fixture, rng: &mut Rng, step: usize) -> Vec<PathBuf> {
    let root = f.root();
    let stem = *rng.pick(STEMS);
    let lang = *rng.pick(LANGS);
    let rel = format!("content/news/{stem}.{lang}.md");
    let path = root.join(&rel);
    let day = 1 + rng.below(28);
    let tags: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(TAGS)).collect();
    let title = format!("{} {step}", rng.pick(&["बातमी", "Story", "मेटा", "Deal"]));
    let other = *rng.pick(STEMS);
    let body = format!(
        "मजकूर {step}. [दुवा](@/news/{other}.md)\n\n## उपशीर्षक {step}\n\n```rust\nfn f() {{}}\n```\n"
    );
    let write_story = |extra: &str| {
        let text = story(
            &title,
            &format!("2025-07-{day:02}T10:00:00+05:30"),
            &tags,
            &body,
        );
        let text = text.replacen("+++\n", &format!("+++\n{extra}"), 1);
        f.write(&rel, &text);
    };
    match rng.below(13) {
        // New story or a rewrite of every field of one.
        0..=2 => write_story(""),
        // A body-only edit of an existing story.
        3 | 4 => {
            if let Ok(text) = std::fs::read_to_string(&path) {
                f.write(&rel, &format!("{text}\nनवीन परिच्छेद {step}.\n"));
            } else {
                write_story("");
            }
        }
        // Slug change (the story's URL moves; links to it follow).
        5 => write_story(&format!("slug = \"{stem}-{step}\"\n")),
        6 => write_story("draft = true\n"),
        7 => {
            std::fs::remove_file(&path).ok();
        }
        // Templates: the included file, the card, the base.
        8 => {
            let which = *rng.pick(&[
                "templates/bits/byline.html",
                "templates/card.html",
                "templates/base.html",
            ]);
            let p = root.join(which);
            let text = std::fs::read_to_string(&p).unwrap_or_else(|_| {
                batmi::templates::BUILTIN
                    .iter()
                    .find(|(n, _)| which.ends_with(n))
                    .map(|(_, t)| t.to_string())
                    .unwrap()
            });
            f.write(which, &format!("{text}<!-- {step} -->\n"));
            return vec![p];
        }
        // Static files.
        9 => {
            let p = root.join("static/extra.css");
            if rng.below(3) == 0 {
                std::fs::remove_file(&p).ok();
            } else {
                f.write("static/extra.css", &format!("p {{ margin: {step}px }}\n"));
            }
            return vec![p];
        }
        // The config: pagination, a tag's names, the title.
        10 => {
            let config = CONFIG
                .replace(
                    "paginate_by = 2",
                    &format!("paginate_by = {}", 1 + rng.below(3)),
                )
                .replace(
                    "names = { mr = \"मेटा\" }",
                    &format!("names = {{ mr = \"मेटा {step}\" }}"),
                );
            f.write("config.toml", &config);
            return vec![root.join("config.toml")];
        }
        // A broken save, rebuilt, then fixed by the next edit of the same file.
        11 => f.write(&rel, "+++\ntitle = \"तुटलेले\n+++\n"),
        // Two files saved together (an editor's "save all").
        _ => {
            write_story("");
            let rel2 = format!("content/news/{other}.{lang}.md");
            f.write(
                &rel2,
                &story(
                    "जोडी",
                    "2025-06-01T10:00:00+05:30",
                    &["Meta"],
                    "जोडीचा मजकूर.",
                ),
            );
            return vec![path, root.join(rel2)];
        }
    }
    vec![path]
}

/// Whether the site's files currently build (a broken save leaves them unbuildable).
fn builds(root: &Path, out: &Path) -> bool {
    let mut opts = BuildOptions::new(root);
    opts.output = out.to_path_buf();
    batmi::build(&opts).is_ok()
}

fn run_sequence(seed: u64) {
    let f = site();
    let root = f.root().to_path_buf();
    let mut opts = BuildOptions::new(&root);
    opts.output = root.join("serve-out");
    let (mut inc, _) = Incremental::start(opts).expect("first build");
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    for step in 0..EDITS {
        let changed = edit(&f, &mut rng, step);
        log.push(changed.clone());
        // A rebuild may fail (a broken save, a slug clash): serve shows the error and goes on.
        match inc.rebuild(&changed) {
            Ok(_) => {
                inc.finish_deferred().ok();
            }
            Err(e) if verbose() => eprintln!("seed {seed} step {step}: {e:#}"),
            Err(_) => {}
        }
    }
    // Repair anything still broken, as the editor would, then compare.
    let full = root.join("full-out");
    if !builds(&root, &full) {
        for p in repair(&root) {
            log.push(vec![p.clone()]);
            match inc.rebuild(&[p]) {
                Ok(_) => {
                    inc.finish_deferred().ok();
                }
                Err(e) if verbose() => eprintln!("seed {seed} repair: {e:#}"),
                Err(_) => {}
            }
        }
        if !builds(&root, &full) {
            // Not a state a full build accepts either (e.g. two slugs clash): nothing to compare.
            return;
        }
    }
    inc.finish_deferred().unwrap_or_else(|e| {
        panic!("seed {seed}: deferred outputs of a buildable site failed: {e:#}")
    });
    if verbose() {
        for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                eprintln!(
                    "== {}\n{}",
                    e.path().display(),
                    std::fs::read_to_string(e.path()).unwrap()
                );
            }
        }
    }
    if let Err(diff) = same_files(&full, inc.output()) {
        panic!("seed {seed}: after edits {log:?}:\n{diff}");
    }
}

/// Removes the broken saves the edits left; returns the files removed.
fn repair(root: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for stem in STEMS {
        for lang in LANGS {
            let p = root.join(format!("content/news/{stem}.{lang}.md"));
            if std::fs::read_to_string(&p).is_ok_and(|t| t.contains("तुटलेले")) {
                std::fs::remove_file(&p).unwrap();
                removed.push(p);
            }
        }
    }
    removed
}

/// The sequence of `seed`, each edit followed by `batmi build` into one output folder.
fn run_build_sequence(seed: u64) {
    let f = site();
    let root = f.root().to_path_buf();
    let mut opts = BuildOptions::new(&root);
    opts.output = root.join("built");
    batmi::build(&opts).expect("first build");
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    let build = |log: &Vec<Vec<PathBuf>>| {
        let before = snapshot(&opts.output);
        match batmi::build(&opts) {
            Ok(_) => true,
            Err(e) => {
                if verbose() {
                    eprintln!("seed {seed}: {e:#}");
                }
                assert!(
                    before == snapshot(&opts.output),
                    "seed {seed}: a failed build changed the output, after edits {log:?}"
                );
                false
            }
        }
    };
    for step in 0..EDITS {
        log.push(edit(&f, &mut rng, step));
        build(&log);
    }
    if !build(&log) {
        log.push(repair(&root));
        if !build(&log) {
            return;
        }
    }
    let full = root.join("full-out");
    assert!(builds(&root, &full));
    if let Err(diff) = same_files(&full, &opts.output) {
        panic!("seed {seed}: build after edits {log:?}:\n{diff}");
    }
}

fn verbose() -> bool {
    std::env::var_os("BATMI_RANDOM_SEED").is_some()
}

fn sequences() -> u64 {
    std::env::var("BATMI_RANDOM_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SEQUENCES)
}

/// Runs `run` on the regression seeds and `n` more, or on `BATMI_RANDOM_SEED` alone.
fn run_seeds(n: u64, run: fn(u64)) {
    if let Some(seed) = std::env::var("BATMI_RANDOM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return run(seed);
    }
    let seeds: Vec<u64> = REGRESSIONS
        .iter()
        .copied()
        .chain((0..n).map(|i| 0x6261_746d_6900 + i))
        .collect();
    // Sequences are independent: run them on every core.
    std::thread::scope(|s| {
        let chunks: Vec<&[u64]> = seeds.chunks(seeds.len().div_ceil(4)).collect();
        for chunk in chunks {
            s.spawn(move || {
                for &seed in chunk {
                    run(seed);
                }
            });
        }
    });
}

#[test]
fn serve_rebuilds_equal_a_full_build_after_random_edit_sequences() {
    run_seeds(sequences(), run_sequence);
}

#[test]
fn incremental_builds_equal_a_full_build_after_random_edit_sequences() {
    // A build checks every file's bytes against the output's: fewer sequences fit the time.
    run_seeds(sequences() / 3, run_build_sequence);
}
