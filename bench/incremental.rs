//! One-article incremental rebuild: the path `batmi serve` takes after an editor saves.
//!
//! `cargo bench --bench incremental -- SITE_DIR [RUNS]` copies SITE_DIR to a temp dir, builds
//! it once, then RUNS times appends a sentence to one story and rebuilds. It prints the
//! median and range of the time from the save to the rewritten files being on disk, and how
//! many files each rebuild rewrote. Without SITE_DIR it uses the default site.

use std::path::{Path, PathBuf};
use std::time::Instant;

use batmi::BuildOptions;

// The allocator `batmi serve` runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use batmi::incremental::Incremental;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") || rel.starts_with("target") || rel.starts_with(".git") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let site = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(15);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site, &root);
    let mut opts = BuildOptions::new(&root);
    opts.output = tmp.path().join("out");

    let t = Instant::now();
    let (mut inc, first) = Incremental::start(opts).expect("initial build");
    println!(
        "site {}: initial build {} files in {:.2} s",
        site.display(),
        first.written,
        t.elapsed().as_secs_f64()
    );

    // The newest story in the default language: it is on the home page, the first archive
    // page, its tag pages and feeds, the case an editor meets most.
    let index = inc.index();
    let lang = &index.langs[0];
    let story = index.pages[lang.articles[0]].path.clone();
    // Most saves change the text: the page is replaced in place in the index.
    time_edits(
        &mut inc,
        &root,
        &story,
        runs,
        "a sentence appended",
        |text, i| {
            text.push_str(&format!("\nEdit number {i}.\n"));
        },
    );
    // A changed date moves the story in every list: the index is built again.
    time_edits(
        &mut inc,
        &root,
        &story,
        runs,
        "its date changed",
        |text, i| {
            let at = text.find("date = ").expect("a date line") + "date = ".len();
            text.replace_range(at..at + 4, if i % 2 == 0 { "2019" } else { "2020" });
        },
    );
}

/// Saves `story` `runs` times with `edit` applied and prints the median rebuild time.
fn time_edits(
    inc: &mut Incremental,
    root: &Path,
    story: &Path,
    runs: usize,
    what: &str,
    edit: impl Fn(&mut String, usize),
) {
    let file = root.join(story);
    let mut times = Vec::new();
    let mut written = Vec::new();
    for i in 0..runs {
        let mut text = std::fs::read_to_string(&file).unwrap();
        edit(&mut text, i);
        let saved = Instant::now();
        std::fs::write(&file, text).unwrap();
        let report = inc.rebuild(&[story.to_path_buf()]).expect("rebuild");
        times.push(saved.elapsed().as_secs_f64() * 1000.0);
        written.push(report.written);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = times[times.len() / 2];
    written.sort();
    println!(
        "one-article edit ({what}) of {}: median {:.1} ms (min {:.1}, max {:.1}) over {runs} runs; {} files rewritten per edit (median)",
        story.display(),
        median,
        times[0],
        times[times.len() - 1],
        written[written.len() / 2]
    );
}
