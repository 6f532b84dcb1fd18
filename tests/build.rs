//! `batmi build` on fixture sites: the output tree and what is in it.

mod common;

use common::{Fixture, snapshot};

#[test]
fn both_languages_get_home_archive_articles_and_about() {
    let f = Fixture::bilingual();
    let out = f.build_ok();
    for p in [
        "index.html",
        "en/index.html",
        "news/index.html",
        "en/news/index.html",
        "news/deal/index.html",
        "en/news/deal/index.html",
        "about/index.html",
        "en/about/index.html",
        "404.html",
        "en/404.html",
        "robots.txt",
        "sitemap.xml",
        "style.css",
        "syntax.css",
    ] {
        assert!(f.public().join(p).is_file(), "{p} missing");
    }
    assert!(f.read("index.html").contains("<html lang=\"mr\">"));
    assert!(f.read("en/index.html").contains("<html lang=\"en\">"));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.starts_with("built "), "{summary}");
    assert!(
        summary.contains(" mr,") && summary.contains(" en)"),
        "{summary}"
    );
}

#[test]
fn translations_link_to_each_other_both_ways() {
    let f = Fixture::bilingual();
    f.build_ok();
    let mr = f.read("news/deal/index.html");
    let en = f.read("en/news/deal/index.html");
    assert!(
        mr.contains("hreflang=\"en\" href=\"https://news.test/en/news/deal/\""),
        "{mr}"
    );
    assert!(en.contains("hreflang=\"mr\" href=\"https://news.test/news/deal/\""));
    assert!(
        mr.contains("href=\"/en/news/deal/\""),
        "switcher to English translation"
    );
    assert!(
        en.contains("href=\"/news/deal/\""),
        "switcher to Marathi translation"
    );
}

#[test]
fn source_path_links_become_urls_in_the_pages_language() {
    let f = Fixture::bilingual();
    f.build_ok();
    assert!(
        f.read("news/deal/index.html")
            .contains("href=\"/news/exit/\"")
    );
    assert!(
        f.read("en/news/deal/index.html")
            .contains("href=\"/en/news/exit/\"")
    );
}

#[test]
fn tag_pages_have_the_same_slug_in_both_languages() {
    let f = Fixture::bilingual();
    f.build_ok();
    let mr = f.read("tags/scale-ai/index.html");
    let en = f.read("en/tags/scale-ai/index.html");
    assert!(mr.contains("स्केल एआय"), "Marathi display name");
    assert!(en.contains("Scale AI"));
    assert!(
        mr.contains("https://news.test/en/tags/scale-ai/"),
        "hreflang to English tag page"
    );
    // A tag written in Devanagari keeps its letters in the URL.
    assert!(f.public().join("tags/मुंबई/index.html").is_file());
    assert!(
        f.read("news/local/index.html")
            .contains("/tags/%E0%A4%AE%E0%A5%81%E0%A4%82%E0%A4%AC%E0%A4%88/")
    );
}

#[test]
fn lists_are_paginated_newest_first() {
    let f = Fixture::bilingual();
    f.build_ok();
    // paginate_by = 2: four Marathi stories make two archive pages.
    let first = f.read("news/index.html");
    let second = f.read("news/page/2/index.html");
    assert!(first.find("मेटाची गुंतवणूक").unwrap() < first.find("मेयर बाहेर").unwrap());
    assert!(second.contains("प्रयोगशाळा") && second.contains("फक्त मराठी"));
    assert!(!f.public().join("news/page/3").exists());
    assert!(f.public().join("tags/meta/page/2/index.html").is_file());
    assert!(first.contains("rel=\"next\" href=\"/news/page/2/\""));
    assert!(second.contains("rel=\"prev\" href=\"/news/\""));
}

#[test]
fn feeds_and_sitemap_are_well_formed_with_alternates() {
    let f = Fixture::bilingual();
    f.build_ok();
    for feed in [
        "atom.xml",
        "en/atom.xml",
        "tags/meta/atom.xml",
        "en/tags/scale-ai/atom.xml",
    ] {
        let text = f.read(feed);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .collect();
        assert!(!entries.is_empty(), "{feed} has entries");
        for e in &entries {
            for el in ["id", "title", "updated", "content"] {
                assert!(
                    e.children().any(|n| n.has_tag_name(el)),
                    "{feed} entry lacks {el}"
                );
            }
        }
    }
    let text = f.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let urls: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let deal = urls
        .iter()
        .find(|u| {
            u.children()
                .any(|c| c.has_tag_name("loc") && c.text() == Some("https://news.test/news/deal/"))
        })
        .expect("deal in sitemap");
    let alts: Vec<_> = deal
        .children()
        .filter(|c| c.has_tag_name("link"))
        .map(|c| {
            (
                c.attribute("hreflang").unwrap().to_string(),
                c.attribute("href").unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        alts.contains(&("en".into(), "https://news.test/en/news/deal/".into())),
        "{alts:?}"
    );
    assert!(alts.contains(&("mr".into(), "https://news.test/news/deal/".into())));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let f = Fixture::bilingual();
    f.write(
        "content/news/secret.mr.md",
        "+++\ntitle = \"मसुदा\"\ndate = 2025-08-30\ndraft = true\n+++\n\nमसुदा.\n",
    );
    f.build_ok();
    assert!(!f.public().join("news/secret").exists());
    let out = f.build(&["--drafts"]);
    assert!(out.status.success());
    assert!(f.public().join("news/secret/index.html").is_file());
}

#[test]
fn building_twice_gives_identical_bytes() {
    let f = Fixture::bilingual();
    f.build_ok();
    let first = snapshot(&f.public());
    f.build_ok();
    let second = snapshot(&f.public());
    assert_eq!(first.len(), second.len());
    for ((pa, a), (pb, b)) in first.iter().zip(&second) {
        assert_eq!(pa, pb);
        assert!(a == b, "{} differs between builds", pa.display());
    }
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let f = Fixture::bilingual();
    let out_dir = f.root().join("elsewhere");
    let out = f.build(&[
        "--output",
        out_dir.to_str().unwrap(),
        "--base-url",
        "http://127.0.0.1:9/",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"http://127.0.0.1:9/\""),
        "canonical uses the override"
    );
    assert!(!f.public().exists());
}

#[test]
fn generated_corpus_of_1000_pairs_builds_with_paginated_tags() {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    assert!(
        script.is_file(),
        "the shared bench generator is expected at {}",
        script.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let gen_out = std::process::Command::new("python3")
        .arg(&script)
        .args(["--articles", "1000", "--layout", "batmi"])
        .arg(&site)
        .output()
        .expect("python3");
    assert!(
        gen_out.status.success(),
        "{}",
        String::from_utf8_lossy(&gen_out.stderr)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for p in [
        "tags/meta/page/2/index.html",
        "en/tags/meta/page/2/index.html",
        "news/page/50/index.html",
    ] {
        assert!(site.join("public").join(p).is_file(), "{p}");
    }
}

#[test]
fn the_default_site_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for p in [
        "tags/meta/index.html",
        "en/tags/msl/index.html",
        "tags/scale-ai/atom.xml",
    ] {
        assert!(dir.path().join(p).is_file(), "{p}");
    }
}
