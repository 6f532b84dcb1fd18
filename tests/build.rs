//! `batmi build` on fixture sites: the output tree and what is in it.

mod common;

use common::{Fixture, corpus, snapshot};

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
fn lists_are_paginated_newest_first_and_numbered_from_the_oldest() {
    let f = Fixture::bilingual();
    f.build_ok();
    // paginate_by = 2: the first page shows the two newest of four Marathi stories; numbered
    // page 1 holds the two oldest, page 2 the two newest.
    let first = f.read("news/index.html");
    let oldest = f.read("news/page/1/index.html");
    let newest = f.read("news/page/2/index.html");
    assert!(first.find("मेटाची गुंतवणूक").unwrap() < first.find("मेयर बाहेर").unwrap());
    assert!(!first.contains("प्रयोगशाळा"));
    assert!(oldest.contains("प्रयोगशाळा") && oldest.contains("फक्त मराठी"));
    assert!(!oldest.contains("मेयर बाहेर"));
    assert!(newest.contains("मेटाची गुंतवणूक") && newest.contains("मेयर बाहेर"));
    assert!(!f.public().join("news/page/3").exists());
    assert!(f.public().join("tags/meta/index.html").is_file());
    // Older stories are further on; the newest numbered page leads back to the first page.
    assert!(first.contains("rel=\"next\" href=\"/news/page/1/\""));
    assert!(oldest.contains("rel=\"prev\" href=\"/news/page/2/\""));
    assert!(!oldest.contains("rel=\"next\""));
    assert!(newest.contains("rel=\"prev\" href=\"/news/\""));
    assert!(newest.contains("rel=\"next\" href=\"/news/page/1/\""));
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
    let (_, text) = common::sitemap_files(&f.public())
        .into_iter()
        .find(|(_, xml)| xml.contains("<loc>https://news.test/news/deal/</loc>"))
        .expect("deal in a sitemap file");
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
fn generated_corpus_of_300_pairs_builds_with_paginated_tags() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let opts = corpus::Options {
        images: true,
        ..corpus::Options::new(300)
    };
    corpus::generate(&site, &opts).unwrap();
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
    let public = site.join("public");
    for p in [
        "tags/meta/page/2/index.html",
        "en/tags/meta/page/2/index.html",
        "tags/scale-ai/page/2/index.html",
        "en/tags/msl/page/2/index.html",
        "news/page/15/index.html",
        "tags/मुंबई/index.html",
        "about/index.html",
        "en/about/index.html",
    ] {
        assert!(public.join(p).is_file(), "{p}");
    }
    // 300 stories a language, 20 a page: exactly 15 numbered archive pages (a lead image
    // makes a social card per story, which takes long in a debug build: 300 pairs, not 1,000).
    assert!(!public.join("news/page/16").exists());
    // A story's @/ link becomes the URL of the same language's version of its target.
    let (stem, target) = (0..300)
        .find_map(|i| {
            let [(_, (stem, mr)), _] = corpus::story_files(&opts, i);
            let at = mr.find("(@/news/")? + "(@/news/".len();
            let target = mr[at..].split(".md)").next()?.to_string();
            Some((stem, target))
        })
        .expect("some story links to another");
    let read =
        |p: String| std::fs::read_to_string(public.join(&p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert!(read(format!("news/{stem}/index.html")).contains(&format!("href=\"/news/{target}/\"")));
    assert!(
        read(format!("en/news/{stem}/index.html"))
            .contains(&format!("href=\"/en/news/{target}/\""))
    );
    // Lead images are copied from static/ and shown on their stories.
    let (stem, image) = (0..300)
        .find_map(|i| {
            let [(_, (stem, mr)), _] = corpus::story_files(&opts, i);
            let at = mr.find("image = \"")? + "image = \"".len();
            Some((stem, mr[at..].split('"').next()?.to_string()))
        })
        .expect("some story has a lead image");
    assert!(
        public.join(image.trim_start_matches('/')).is_file(),
        "{image}"
    );
    let page = read(format!("news/{stem}/index.html"));
    let src = page
        .split("<img src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the story page has an image");
    // The lead is the processed image: a hashed file made from the source, in img/.
    let stem = image
        .rsplit('/')
        .next()
        .unwrap()
        .rsplit_once('.')
        .unwrap()
        .0;
    assert!(
        src.starts_with(&format!("/img/{stem}-")) && public.join(&src[1..]).is_file(),
        "{src} is not made from {image}"
    );
}

#[test]
fn generated_corpus_is_a_function_of_seed_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let gen_ = |name: &str, pairs: usize, seed: u64, images: bool| {
        let path = dir.path().join(name);
        let mut opts = corpus::Options::new(pairs);
        opts.seed = seed;
        opts.images = images;
        corpus::generate(&path, &opts).unwrap();
        snapshot(&path)
    };
    let a = gen_("a", 60, 7, true);
    let b = gen_("b", 60, 7, true);
    let other_seed = gen_("c", 60, 8, false);
    let smaller = gen_("d", 40, 7, true);
    assert_eq!(
        a.len(),
        2 * 60 + 2 + 1 + 6,
        "stories, about pages, config, images"
    );
    assert!(a == b, "the same seed gives the same files and bytes");
    let stories = |s: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        s.iter()
            .filter(|(p, _)| p.starts_with("content/news"))
            .cloned()
            .collect()
    };
    let differ = stories(&a)
        .iter()
        .zip(stories(&other_seed))
        .filter(|(x, y)| **x != *y)
        .count();
    assert_eq!(differ, 120, "another seed changes every story");
    // 40 pairs are the first 40 stories of 60, byte for byte.
    let prefix = stories(&smaller);
    assert_eq!(prefix.len(), 80);
    for (path, bytes) in &prefix {
        let same = a.iter().find(|(p, _)| p == path);
        assert!(
            same.is_some_and(|(_, b)| b == bytes),
            "{} differs between 40 and 60 pairs",
            path.display()
        );
    }
    // The lead images are real PNGs, wide enough for a photo pipeline to resize.
    let images: Vec<_> = a
        .iter()
        .filter(|(p, _)| p.starts_with("static/images"))
        .collect();
    assert_eq!(images.len(), 6);
    for (path, bytes) in images {
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{}",
            path.display()
        );
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert!(width >= 1600, "{} is {width} px wide", path.display());
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
