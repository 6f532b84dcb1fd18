//! An archive that grows: one new story changes a bounded number of output files, whatever
//! the archive's size, because numbered list pages count from the oldest story and related
//! stories are taken from older ones. Also: an incremental build after the new story equals a
//! fresh full build, and `--clean` rebuilds everything.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use batmi::BuildOptions;
use common::{corpus, files, same_files};

/// The newest story of the test: story 0 of the corpus (the same in every size) with a date
/// after every generated one and a stem of its own.
fn add_newest_pair(site: &Path, opts: &corpus::Options) {
    for (lang, (_, text)) in corpus::story_files(opts, 0) {
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with("date = ") {
                    "date = 2026-11-20T09:30:00+05:30".to_string()
                } else if l.starts_with("slug = ") || l.starts_with("updated = ") {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let path = site.join(format!("content/news/newest-story.{lang}.md"));
        std::fs::write(path, text).unwrap();
    }
}

/// Site paths whose bytes differ between two snapshots of an output, or that exist in one only.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

struct Grown {
    changed: Vec<String>,
    /// Numbered archive pages of the Marathi archive before the new story.
    archive_pages: usize,
}

/// Generates `pairs` story pairs, builds them, adds the newest pair, builds again
/// (incrementally), and checks the result against a fresh full build.
fn grow(pairs: usize) -> Grown {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let opts = corpus::Options::new(pairs);
    corpus::generate(&site, &opts).unwrap();
    let mut build = BuildOptions::new(&site);
    let first = batmi::build(&build).unwrap();
    assert!(first.full.is_some(), "the first build is a full one");
    let before = files(&build.output);
    add_newest_pair(&site, &opts);
    let second = batmi::build(&build).unwrap();
    assert_eq!(second.full, None, "the second build uses the manifest");
    let after = files(&build.output);
    // The search index's base came from the cache the first build left.
    let cached = std::fs::read_dir(site.join(".batmi-cache/search"))
        .unwrap()
        .count();
    assert_eq!(cached, 2, "one cached base per language");
    // A clean build of the same files without the cache, for comparison.
    std::fs::remove_dir_all(site.join(".batmi-cache")).unwrap();
    let clean = tmp.path().join("clean");
    build.output = clean.clone();
    build.clean = true;
    batmi::build(&build).unwrap();
    same_files(&clean, &site.join("public")).unwrap();
    let archive_pages = before
        .keys()
        .filter(|p| p.starts_with("news/page/") && p.ends_with("/index.html"))
        .count();
    Grown {
        changed: changed(&before, &after),
        archive_pages,
    }
}

#[test]
fn one_new_story_changes_the_same_few_files_in_a_small_and_a_four_times_larger_archive() {
    let small = grow(150);
    let large = grow(600);
    assert!(large.archive_pages >= 3 * small.archive_pages);
    for g in [&small, &large] {
        assert!(
            g.changed.len() <= 60,
            "{} files changed: {:?}",
            g.changed.len(),
            g.changed
        );
        // Of the numbered archive pages only the newest (or a new one) changes.
        let pages: Vec<&String> = g
            .changed
            .iter()
            .filter(|p| p.starts_with("news/page/") || p.starts_with("en/news/page/"))
            .collect();
        assert!(pages.len() <= 2 * 3, "archive pages changed: {pages:?}");
    }
    // The story's own pages, the lists it joins and the indexes: the same work at both sizes
    // (a numbered page filling up may add a page and change two more).
    assert!(
        large.changed.len().abs_diff(small.changed.len()) <= 8,
        "small: {:?}\nlarge: {:?}",
        small.changed,
        large.changed
    );
}

#[test]
fn a_numbered_page_keeps_its_stories_as_the_archive_grows() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let opts = corpus::Options::new(120);
    corpus::generate(&site, &opts).unwrap();
    let build = BuildOptions::new(&site);
    batmi::build(&build).unwrap();
    let page1 = std::fs::read_to_string(build.output.join("news/page/1/index.html")).unwrap();
    let front = std::fs::read_to_string(build.output.join("news/index.html")).unwrap();
    add_newest_pair(&site, &opts);
    batmi::build(&build).unwrap();
    let page1_after = std::fs::read_to_string(build.output.join("news/page/1/index.html")).unwrap();
    let front_after = std::fs::read_to_string(build.output.join("news/index.html")).unwrap();
    assert_eq!(page1, page1_after, "page 1 (the oldest stories) changed");
    assert_ne!(
        front, front_after,
        "the first page shows the newest stories"
    );
    assert!(front_after.contains("/news/newest-story/"));
    // The first page links to the numbered pages and back; page 1 links to the first page.
    assert!(front_after.contains("href=\"/news/page/"));
    assert!(page1_after.contains("href=\"/news/\""));
}

#[test]
fn clean_builds_everything_and_a_second_build_writes_nothing() {
    let f = common::Fixture::bilingual();
    let build = BuildOptions::new(f.root());
    let first = batmi::build(&build).unwrap();
    let again = batmi::build(&build).unwrap();
    assert_eq!(again.full, None);
    assert_eq!((again.written, again.removed), (0, 0));
    assert_eq!(again.files, first.files);
    let mut clean = build.clone();
    clean.clean = true;
    let rebuilt = batmi::build(&clean).unwrap();
    assert_eq!(rebuilt.full.as_deref(), Some("--clean"));
    // A config change is a full build too.
    let config = std::fs::read_to_string(f.root().join("config.toml")).unwrap();
    f.write("config.toml", &format!("{config}\n# a comment\n"));
    let after_config = batmi::build(&build).unwrap();
    assert!(after_config.full.is_some());
}

#[test]
fn a_damaged_manifest_means_a_full_build_not_a_crash() {
    let f = common::Fixture::bilingual();
    let build = BuildOptions::new(f.root());
    batmi::build(&build).unwrap();
    let manifest = f.root().join(".public.batmi-manifest");
    let mut bytes = std::fs::read(&manifest).unwrap();
    // Keep the stamp, break what follows: a huge length where the header starts.
    let at = bytes.len().min(60);
    bytes.truncate(at);
    bytes.extend_from_slice(&[0xff; 16]);
    std::fs::write(&manifest, &bytes).unwrap();
    let again = batmi::build(&build).unwrap();
    assert!(
        again.full.is_some(),
        "a manifest that does not read is ignored"
    );
    std::fs::write(&manifest, b"not a manifest").unwrap();
    assert!(batmi::build(&build).unwrap().full.is_some());
}
