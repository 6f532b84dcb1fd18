//! The sitemap as a crawler reads it: `sitemap.xml` is an index, the files it names hold every
//! page once, within the protocol's limits, and a new story changes only the newest file.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use common::{Fixture, corpus, sitemap_files};

const BASE: &str = "https://batmi.example.org";

/// A generated corpus of `pairs` story pairs, its sitemap cut every `per` URLs.
fn corpus_site(pairs: usize, per: usize) -> Fixture {
    let f = Fixture::empty();
    corpus::generate(f.root(), &corpus::Options::new(pairs)).unwrap();
    let config = std::fs::read_to_string(f.root().join("config.toml")).unwrap();
    f.write(
        "config.toml",
        &format!("{config}\n[sitemap]\nurls_per_file = {per}\n"),
    );
    f
}

/// The site's page URLs as a crawler should find them: every `index.html` except the
/// search pages, which have no content of their own.
fn page_urls(public: &Path) -> BTreeSet<String> {
    common::files(public)
        .into_keys()
        .filter(|p| p == "index.html" || p.ends_with("/index.html"))
        .filter(|p| !p.split('/').any(|s| s == "search"))
        .map(|p| format!("{BASE}/{}", p.trim_end_matches("index.html")))
        .map(|u| percent_decode(&u))
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// Each `<url>` of a sitemap file: its `loc` and its alternates (hreflang → href).
fn urls(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    root.children()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            let loc = u
                .children()
                .find(|c| c.has_tag_name("loc"))
                .and_then(|c| c.text())
                .expect("a <loc>")
                .to_string();
            let alts = u
                .children()
                .filter(|c| c.has_tag_name("link"))
                .map(|c| {
                    let attr = |a: &str| c.attribute(a).unwrap().to_string();
                    (attr("hreflang"), attr("href"))
                })
                .collect();
            (loc, alts)
        })
        .collect()
}

#[test]
fn every_page_is_in_exactly_one_sitemap_file_within_the_limits() {
    let per = 25;
    let f = corpus_site(60, per);
    f.build_ok();
    let public = f.public();
    let files = sitemap_files(&public);
    // The index names every sitemap file of the output, and only those.
    let on_disk: BTreeSet<String> = common::files(&public)
        .into_keys()
        .filter(|p| p.starts_with("sitemap") && p.ends_with(".xml") && p != "sitemap.xml")
        .filter(|p| p != "sitemap-news.xml")
        .collect();
    let named: BTreeSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(named, on_disk);
    // 120 stories in 25s: 5 files; the pages (about, homes, archives, tags) in their own.
    let stories = named.iter().filter(|p| p.contains("stories")).count();
    assert_eq!(stories, 5, "{named:?}");
    assert!(named.iter().any(|p| p.starts_with("sitemap-pages-")));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, xml) in &files {
        assert!(xml.len() <= 50 * 1024 * 1024, "{path}: {} bytes", xml.len());
        let entries = urls(xml);
        assert!(
            !entries.is_empty() && entries.len() <= per,
            "{path}: {}",
            entries.len()
        );
        for (loc, alts) in entries {
            if let Some(first) = seen.insert(percent_decode(&loc), path.clone()) {
                panic!("{loc} is in {first} and in {path}");
            }
            // Story pairs keep their hreflang alternates, each naming itself too.
            if path.contains("stories") {
                assert_eq!(alts.len(), 2, "{loc}: {alts:?}");
                assert!(alts.values().any(|h| *h == loc), "{loc}: {alts:?}");
            }
        }
    }
    let listed: BTreeSet<String> = seen.into_keys().collect();
    let pages = page_urls(&public);
    let missing: Vec<_> = pages.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&pages).collect();
    assert!(missing.is_empty(), "not in any sitemap: {missing:?}");
    assert!(extra.is_empty(), "in a sitemap but not a page: {extra:?}");
    // robots.txt names the index.
    assert!(
        f.read("robots.txt")
            .contains(&format!("Sitemap: {BASE}/sitemap.xml"))
    );
}

#[test]
fn stories_are_oldest_first_and_the_index_gives_each_file_its_newest_change() {
    let f = corpus_site(30, 20);
    f.build_ok();
    let index = f.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let mut previous_newest: Option<chrono::DateTime<chrono::FixedOffset>> = None;
    for s in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("sitemap"))
    {
        let text = |name: &str| {
            s.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let loc = text("loc").unwrap();
        let file = loc.strip_prefix(&format!("{BASE}/")).unwrap().to_string();
        if !file.contains("stories") {
            continue;
        }
        let xml = f.read(&file);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let lastmods: Vec<chrono::DateTime<chrono::FixedOffset>> = doc
            .descendants()
            .filter(|n| n.has_tag_name("lastmod"))
            .map(|n| chrono::DateTime::parse_from_rfc3339(n.text().unwrap()).unwrap())
            .collect();
        let newest = *lastmods.iter().max().unwrap();
        let stated = chrono::DateTime::parse_from_rfc3339(&text("lastmod").unwrap()).unwrap();
        assert_eq!(stated, newest, "{file}");
        // Files hold ever newer stories (`updated` may reach past the next file's dates,
        // so compare each file's newest).
        if let Some(p) = previous_newest {
            assert!(p <= newest || file.ends_with("-1.xml"), "{file}");
        }
        previous_newest = Some(newest);
    }
}

/// The sitemap files of the output with their bytes.
fn sitemap_bytes(public: &Path) -> BTreeMap<String, Vec<u8>> {
    common::files(public)
        .into_iter()
        .filter(|(p, _)| p.starts_with("sitemap") && p.ends_with(".xml"))
        // The news sitemap follows the clock, not the archive (tests below).
        .filter(|(p, _)| p != "sitemap-news.xml")
        .collect()
}

/// The files of `after` that are new or differ from `before`.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let gone = before.keys().filter(|k| !after.contains_key(*k));
    let new_or_different = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k);
    gone.chain(new_or_different).cloned().collect()
}

#[test]
fn a_new_story_changes_only_the_newest_sitemap_file_and_the_index() {
    // 24 pairs: 48 stories in files of 10 (10, 10, 10, 10, 8). 24 stories a language, 20 to
    // an archive page: two pages, and 26 stories still fit in two; the new stories have no
    // tags. So no list page appears, and the pages' sitemap must stay as it is.
    let f = corpus_site(24, 10);
    f.build_ok();
    let first = sitemap_bytes(&f.public());
    let add = |stem: &str, date: &str| {
        for (lang, title) in [("mr", "नवी बातमी"), ("en", "A new story")] {
            f.write(
                &format!("content/news/{stem}.{lang}.md"),
                &common::story(title, date, &[], "The newest story of the archive."),
            );
        }
        f.build_ok();
        sitemap_bytes(&f.public())
    };
    // 48 → 50 stories: the fifth file fills up.
    let second = add("newest-one", "2026-11-20T10:00:00+05:30");
    let mut diff = changed(&first, &second);
    diff.sort();
    assert_eq!(diff, ["sitemap-stories-5.xml", "sitemap.xml"]);
    // 50 → 52: a sixth file starts; the full ones stay byte for byte.
    let third = add("newest-two", "2026-11-21T10:00:00+05:30");
    let mut diff = changed(&second, &third);
    diff.sort();
    assert_eq!(diff, ["sitemap-stories-6.xml", "sitemap.xml"]);
    assert!(
        urls(&String::from_utf8_lossy(&third["sitemap-stories-6.xml"]))
            .iter()
            .all(|(loc, _)| loc.contains("newest-two"))
    );
}

#[test]
fn urls_per_file_outside_the_protocol_limits_is_an_error_at_its_line() {
    for bad in ["0", "50001"] {
        let f = Fixture::bilingual();
        let config = std::fs::read_to_string(f.root().join("config.toml")).unwrap();
        let lines = config.lines().count();
        f.write(
            "config.toml",
            &format!("{config}\n[sitemap]\nurls_per_file = {bad}\n"),
        );
        let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
            .args(["build", "--root"])
            .arg(f.root())
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        let line = lines + 3;
        assert!(err.contains(&format!("config.toml:{line}:")), "{err}");
        assert!(err.contains("urls_per_file"), "{err}");
        assert!(err.contains("help:"), "{err}");
    }
}

/// Builds `f` with the build clock at `now` (SOURCE_DATE_EPOCH).
fn build_at(f: &Fixture, now: chrono::DateTime<chrono::FixedOffset>) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root"])
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", now.timestamp().to_string())
        .output()
        .unwrap()
}

const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// The news sitemap's entries: (loc, name, language, publication_date, title).
fn news_entries(xml: &str) -> Vec<[String; 5]> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    let child = |n: roxmltree::Node, ns: Option<&str>, name: &str| -> String {
        let found = n
            .children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == ns)
            .unwrap_or_else(|| panic!("<{name}> missing under <{}>", n.tag_name().name()));
        found.text().unwrap_or_default().to_string()
    };
    let sitemaps = Some("http://www.sitemaps.org/schemas/sitemap/0.9");
    root.children()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            let news = u
                .children()
                .find(|c| c.tag_name().name() == "news" && c.tag_name().namespace() == Some(NEWS))
                .expect("<news:news>");
            let publication = news
                .children()
                .find(|c| c.tag_name().name() == "publication")
                .expect("<news:publication>");
            [
                child(u, sitemaps, "loc"),
                child(publication, Some(NEWS), "name"),
                child(publication, Some(NEWS), "language"),
                child(news, Some(NEWS), "publication_date"),
                child(news, Some(NEWS), "title"),
            ]
        })
        .collect()
}

#[test]
fn the_news_sitemap_lists_the_last_two_days_stories_by_the_build_clock() {
    let f = Fixture::bilingual();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00+05:30").unwrap();
    let at = |hours: i64| (now - chrono::Duration::hours(hours)).to_rfc3339();
    for (stem, date) in [
        ("hour-ago", at(1)),
        ("last-year", at(24 * 365)),
        ("tomorrow", at(-24)),
    ] {
        for (lang, title) in [
            ("mr", format!("बातमी {stem}")),
            ("en", format!("News & {stem}")),
        ] {
            f.write(
                &format!("content/news/{stem}.{lang}.md"),
                &common::story(&title, &date, &[], "Text."),
            );
        }
    }
    let out = build_at(&f, now);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = news_entries(&f.read("sitemap-news.xml"));
    let locs: Vec<&str> = entries.iter().map(|e| e[0].as_str()).collect();
    assert_eq!(
        locs,
        [
            "https://news.test/news/hour-ago/",
            "https://news.test/en/news/hour-ago/"
        ],
        "only the story of an hour ago: not last year's, not tomorrow's"
    );
    let [_, name, language, date, title] = &entries[1];
    assert_eq!((name.as_str(), language.as_str()), ("Batmi", "en"));
    assert_eq!(entries[0][1..3], ["बातमी".to_string(), "mr".to_string()]);
    assert_eq!(
        title, "News & hour-ago",
        "the title, unescaped by the parser"
    );
    let published = chrono::DateTime::parse_from_rfc3339(date).unwrap();
    assert_eq!(published, now - chrono::Duration::hours(1));
    // robots.txt names both sitemaps; stories ask for large image previews.
    let robots = f.read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://news.test/sitemap.xml\n"),
        "{robots}"
    );
    assert!(
        robots.contains("Sitemap: https://news.test/sitemap-news.xml\n"),
        "{robots}"
    );
    let story = f.read("en/news/hour-ago/index.html");
    assert!(story.contains(r#"<meta name="robots" content="max-image-preview:large">"#));
    // The same sources and clock give the same bytes; three days later the list is empty.
    let first = f.read("sitemap-news.xml");
    assert!(build_at(&f, now).status.success());
    assert_eq!(f.read("sitemap-news.xml"), first);
    assert!(
        build_at(&f, now + chrono::Duration::days(3))
            .status
            .success()
    );
    assert!(news_entries(&f.read("sitemap-news.xml")).is_empty());
}

#[test]
fn the_news_sitemap_holds_at_most_1000_stories_the_newest() {
    let f = Fixture::bilingual();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00+05:30").unwrap();
    for i in 0..520 {
        let date = (now - chrono::Duration::minutes(i)).to_rfc3339();
        for lang in ["mr", "en"] {
            f.write(
                &format!("content/news/s{i:03}.{lang}.md"),
                &common::story(&format!("Story {i}"), &date, &[], "Text."),
            );
        }
    }
    assert!(build_at(&f, now).status.success());
    let entries = news_entries(&f.read("sitemap-news.xml"));
    assert_eq!(entries.len(), 1000);
    // 1,040 recent stories: the 40 oldest (s500 to s519, both languages) are left out.
    assert!(entries.iter().any(|e| e[0].ends_with("/s499/")));
    assert!(!entries.iter().any(|e| e[0].ends_with("/s500/")));
}

#[test]
fn a_source_date_epoch_that_is_not_a_number_is_an_error_with_help() {
    let f = Fixture::bilingual();
    let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root"])
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SOURCE_DATE_EPOCH is \"yesterday\""), "{err}");
    assert!(err.contains("help:"), "{err}");
}
