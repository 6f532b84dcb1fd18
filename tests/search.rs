//! Search: the text analysis (Rust and the browser's JavaScript must agree), the index built for
//! the default site, and the search page. Relevance in a real browser: tests/e2e/search.sh.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use batmi::search::{self, Options};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo().join("tests/search_analysis.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let terms = c["terms"].as_array().unwrap();
            let terms = terms.iter().map(|t| t.as_str().unwrap().to_string());
            (c["text"].as_str().unwrap().to_string(), terms.collect())
        })
        .collect()
}

fn terms(text: &str) -> Vec<String> {
    search::terms(text, Options::default())
}

/// Runs `script` in Node with static/search.js loaded as `s` (after the English stemmer, as
/// on the page) and `input` as JSON on stdin; returns what the script printed, parsed as JSON.
fn node(script: &str, input: &Value) -> Value {
    let js = repo().join("static/search.js");
    let stemmer = repo().join("static/snowball-english.js");
    let program = format!(
        "require('vm').runInThisContext(require('fs').readFileSync({:?}, 'utf8')); \
         const s = require({:?}); let data = ''; process.stdin.on('data', d => data += d); \
         process.stdin.on('end', async () => {{ const input = JSON.parse(data); {script} }});",
        stemmer.display().to_string(),
        js.display().to_string()
    );
    let mut child = Command::new("node")
        .arg("-e")
        .arg(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (the browser half of search is JavaScript)");
    let stdin = child.stdin.take().unwrap();
    serde_json::to_writer(stdin, input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fixture_words_get_the_expected_terms() {
    for (text, want) in fixture() {
        assert_eq!(terms(&text), want, "terms of {text:?}");
    }
}

#[test]
fn browser_analysis_agrees_with_rust_on_the_fixture_and_every_story() {
    let mut texts: Vec<String> = fixture().into_iter().map(|(t, _)| t).collect();
    for entry in std::fs::read_dir(repo().join("content/news")).unwrap() {
        let path = entry.unwrap().path();
        // Stories only: their images sit beside them.
        if path.extension().is_some_and(|e| e == "md") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    texts.push(english_forms().join(" "));
    let variants = [
        Options::default(),
        Options {
            stem: false,
            ..Options::default()
        },
        Options {
            fold: false,
            ..Options::default()
        },
    ];
    for opts in variants {
        let js_opts = json!({ "stem": opts.stem, "fold": opts.fold });
        let js = node(
            "console.log(JSON.stringify(input.texts.map(t => s.terms(t, input.opts))));",
            &json!({ "texts": texts, "opts": js_opts }),
        );
        let js = js.as_array().unwrap();
        let mut compared = 0;
        for (text, js_terms) in texts.iter().zip(js) {
            let rust = search::terms(text, opts);
            let js_terms: Vec<&str> = js_terms
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            for (i, (a, b)) in rust.iter().zip(&js_terms).enumerate() {
                assert_eq!(a, b, "term {i} of {:.60}… with {opts:?}", text);
            }
            assert_eq!(rust.len(), js_terms.len(), "term count of {text:.60}…");
            compared += rust.len();
        }
        assert!(compared > 4_000, "only {compared} terms compared");
    }
}

/// Every English word of the default site's stories and of the fixture, and forms made from
/// each with the endings the Snowball stemmer's steps take apart (-s, -ed, -ing, -ly, -ness,
/// -ation, ...): a few thousand tokens that reach every step of the algorithm.
fn english_forms() -> Vec<String> {
    let mut text = String::new();
    for entry in std::fs::read_dir(repo().join("content/news")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".en.md") {
            text.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    for (t, _) in fixture() {
        text.push(' ');
        text.push_str(&t);
    }
    let mut words: Vec<String> = search::words(&search::normalize(&text))
        .into_iter()
        .filter(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    words.sort();
    words.dedup();
    let endings = [
        "", "s", "es", "ies", "ed", "ied", "ing", "ly", "edly", "ingly", "ness", "ful", "ment",
        "ation", "ational", "ization", "iveness", "fulness", "ousli", "alism", "ical", "ance",
        "ence", "able", "ible", "ism", "ity", "ive", "ize", "ise", "er", "est", "eed", "eedly",
        "'s",
    ];
    let mut out = Vec::new();
    for w in &words {
        for e in endings {
            out.push(format!("{w}{e}"));
        }
    }
    out
}

#[test]
fn english_stems_are_snowball_porter2() {
    // Reference stems from the Porter2 algorithm's published examples.
    for (word, stem) in [
        ("running", "run"),
        ("generously", "generous"),
        ("consignment", "consign"),
        ("hiring", "hire"),
        ("announced", "announc"),
        ("announces", "announc"),
        ("invested", "invest"),
        ("investing", "invest"),
        ("cried", "cri"),
        ("skies", "sky"),
        ("dying", "die"),
    ] {
        assert_eq!(terms(word), [stem], "{word}");
    }
    assert!(english_forms().len() > 10_000, "forms to compare");
}

#[test]
fn inflections_of_one_word_share_a_term() {
    let groups: &[&[&str]] = &[
        &["मेटा", "मेटाने", "मेटाला", "मेटाच्या", "मेटाचे", "मेटामध्ये", "मेटाशी"],
        &["मर्कोर", "मर्कोरसोबत", "मर्कोरच्या", "मर्कोरचा"],
        &["स्केल", "स्केलने", "स्केलच्या", "स्केलसाठी", "स्केलवर", "स्केलकडे"],
        &["गूगल", "गूगलला", "गुगलने", "गूगलपर्यंत"],
        &["कंपनी", "कंपनीत", "कंपनीचे", "कंपनीला"],
        &["भरती", "भरतीसाठी", "भरतीची"],
        &["researcher", "researchers", "researcher's"],
        &["hire", "hired", "hires", "hiring"],
        &["leave", "leaves", "leaving"],
        &["invest", "invested", "investing", "invests"],
    ];
    for group in groups {
        let first = terms(group[0]);
        assert_eq!(first.len(), 1, "{}", group[0]);
        for w in &group[1..] {
            assert_eq!(terms(w), first, "{w} should give the term of {}", group[0]);
        }
    }
}

#[test]
fn different_words_stay_apart() {
    let pairs = [
        ("मेटा", "मेयर"),
        ("स्केल", "सर्ज"),
        ("पक्का", "पकका"),
        ("संशोधक", "संशोधन"),
        ("मेटा", "मेट्रो"),
    ];
    for (a, b) in pairs {
        assert_ne!(terms(a), terms(b), "{a} and {b}");
    }
}

#[test]
fn postpositions_alone_are_not_stripped_to_nothing() {
    for w in ["वर", "ला", "ने", "ची", "त", "मध्ये", "कडे"] {
        let t = terms(w);
        assert_eq!(t.len(), 1, "{w}");
        assert!(!t[0].is_empty(), "{w}");
    }
}

#[test]
fn normalisation_folds_nukta_joiners_and_digits_but_keeps_the_virama() {
    assert_eq!(search::normalize("\u{095B}"), "ज");
    assert_eq!(search::normalize("\u{091C}\u{093C}"), "ज");
    assert_eq!(search::normalize("\u{0928}\u{093C}"), "न");
    assert_eq!(search::normalize("र\u{094D}\u{200D}य"), "र्य");
    assert_eq!(search::normalize("क\u{094D}\u{200C}ष"), "क्ष");
    assert_eq!(search::normalize("१४.३ ०९"), "14.3 09");
    assert_eq!(search::normalize("MSL"), "msl");
    assert_ne!(search::normalize("पक्का"), search::normalize("पकका"));
    assert_eq!(terms("१४.३"), terms("14.3"));
}

fn build_default_site(out: &Path) {
    let mut opts = batmi::BuildOptions::new(repo());
    opts.output = out.to_path_buf();
    batmi::build(&opts).expect("the default site builds");
}

/// Reads a postings string back (the inverse of `search::push_number`).
fn numbers(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut n, mut shift) = (0u32, 0);
    for c in s.bytes() {
        let v = search::DIGITS.iter().position(|&d| d == c).unwrap() as u32;
        n |= (v & 31) << shift;
        if v < 32 {
            out.push(n);
            (n, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn read_gz(p: &Path) -> Value {
    serde_json::from_slice(&gunzip(&std::fs::read(p).unwrap())).unwrap()
}

/// A language's index read back whole: the manifest, each term's documents with weights (base
/// and delta), and the documents' result data in document order.
struct Read {
    manifest: Value,
    postings: std::collections::BTreeMap<String, Vec<(usize, u32)>>,
    docs: Vec<Value>,
    /// Files the manifest names, with the manifest.
    files: usize,
}

fn read_index(dir: &Path) -> Read {
    let manifest = read_gz(&dir.join(search::MANIFEST));
    let mut postings: std::collections::BTreeMap<String, Vec<(usize, u32)>> = Default::default();
    let mut names: Vec<String> = manifest["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[1].as_str().unwrap().to_string())
        .collect();
    names.extend(manifest["delta"].as_str().map(String::from));
    let mut files = 1 + names.len();
    for name in names {
        for (t, list) in read_gz(&dir.join(name)).as_object().unwrap() {
            let nums = numbers(list.as_str().unwrap());
            let mut doc = 0;
            for pair in nums.chunks(2) {
                doc += pair[0] as usize;
                postings.entry(t.clone()).or_default().push((doc, pair[1]));
            }
        }
    }
    let mut chunks: Vec<String> = Vec::new();
    for table in manifest["tables"].as_array().unwrap() {
        files += 1;
        let names = read_gz(&dir.join(table.as_str().unwrap()));
        chunks.extend(
            names
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_string()),
        );
    }
    chunks.extend(
        manifest["recent"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string()),
    );
    let mut docs = Vec::new();
    for c in &chunks {
        files += 1;
        docs.extend(read_gz(&dir.join(c)).as_array().unwrap().iter().cloned());
    }
    Read {
        manifest,
        postings,
        docs,
        files,
    }
}

fn slug(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

/// Slugs of the documents whose postings hold `term`.
fn docs_with(index: &Read, term: &str) -> Vec<String> {
    index
        .postings
        .get(term)
        .map(|list| {
            list.iter()
                .map(|&(d, _)| slug(index.docs[d][1].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn posting_numbers_read_back_in_rust_and_in_javascript() {
    let values = [0u32, 1, 31, 32, 33, 1023, 1024, 99_999, u32::MAX];
    let mut s = String::new();
    for &v in &values {
        search::push_number(&mut s, v);
    }
    assert_eq!(numbers(&s), values);
    let js = node("console.log(JSON.stringify(s.numbers(input)));", &json!(s));
    assert_eq!(js, json!(values));
    let mut one = String::new();
    search::push_number(&mut one, 7);
    assert_eq!(one.len(), 1, "small numbers take one character");
}

#[test]
fn default_site_has_an_index_per_language_with_every_story() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_default_site(&out);
    let stories = |suffix: &str| {
        std::fs::read_dir(repo().join("content/news"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .to_string_lossy()
                    .ends_with(suffix)
            })
            .count()
    };
    let mr = read_index(&out.join("search"));
    let en = read_index(&out.join("en/search"));
    assert_eq!(mr.manifest["lang"], "mr");
    assert_eq!(en.manifest["lang"], "en");
    assert_eq!(mr.docs.len(), stories(".mr.md"));
    assert_eq!(en.docs.len(), stories(".en.md"));
    assert_eq!(mr.manifest["n"], stories(".mr.md"));
    assert_eq!(mr.manifest["opts"], json!({"stem": true, "fold": true}));
    assert_eq!(mr.manifest["native"], true);
    assert_eq!(en.manifest["native"], false);
    // Every Marathi story names Meta, in one inflection or another.
    assert_eq!(docs_with(&mr, "मेट").len(), stories(".mr.md"));
    let mut mercor = docs_with(&mr, "मर्कोर");
    mercor.sort();
    assert_eq!(
        mercor,
        [
            "meta-invests-in-scale-ai",
            "ruben-mayer-leaves-meta",
            "scale-ai-loses-clients-cuts-staff",
            "tbd-lab-turns-to-mercor-and-surge",
            "why-expert-data-matters"
        ]
    );
    assert_eq!(
        docs_with(&en, "hyperion"),
        ["meta-hyperion-data-center-next-model"]
    );
    assert!(docs_with(&en, "मेट").is_empty());
    // The tag filter's terms list exactly the stories tagged.
    let mut tagged = docs_with(&mr, "#tbd-lab");
    tagged.sort();
    assert!(!tagged.is_empty());
    for s in &tagged {
        let text = std::fs::read_to_string(repo().join(format!("content/news/{s}.mr.md")))
            .unwrap_or_default();
        assert!(text.contains("TBD"), "{s} is tagged TBD Lab");
    }
    // Documents are numbered oldest first, with their result data.
    let dates: Vec<&str> = mr.docs.iter().map(|d| d[2].as_str().unwrap()).collect();
    assert!(dates[0].contains("२०२५"), "date as shown: {}", dates[0]);
    // Nothing in the folder that the manifest does not name.
    let on_disk = std::fs::read_dir(out.join("search"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "gz")
        })
        .count();
    assert_eq!(on_disk, mr.files, "files in search/");
    // Every file small enough to fetch on a phone.
    for e in std::fs::read_dir(out.join("search")).unwrap() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "gz") {
            continue;
        }
        let len = e.metadata().unwrap().len();
        assert!(len < 24_000, "a search file of {len} bytes");
    }
}

#[test]
fn index_bytes_are_the_same_on_every_build() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_default_site(&a);
    build_default_site(&b);
    for rel in ["search", "en/search"] {
        let names = |d: &Path| {
            let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d.join(rel))
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&a), names(&b), "{rel}");
    }
}

#[test]
fn search_page_has_a_labelled_form_results_and_a_way_without_javascript() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_default_site(&out);
    for (page, index, tag) in [
        ("search/index.html", "/search/manifest.gz", "स्केल एआय"),
        ("en/search/index.html", "/en/search/manifest.gz", "Scale AI"),
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for want in [
            r#"<script src="/snowball-english.js" defer></script>"#,
            r#"<script src="/search.js" defer></script>"#,
            r#"<label for="q">"#,
            r#"<input id="q" name="q" type="search""#,
            r#"<select id="tag" name="tag">"#,
            r#"<div id="search-results"></div>"#,
            "<noscript>",
            r#"<option value="scale-ai">"#,
        ] {
            assert!(html.contains(want), "{page} lacks {want}");
        }
        assert!(html.contains(&format!(r#"data-index="{index}""#)), "{page}");
        let noscript = &html[html.find("<noscript>").unwrap()..];
        assert!(
            noscript.contains(tag) && noscript.contains("/tags/scale-ai/"),
            "{page}"
        );
    }
    for f in ["search.js", "snowball-english.js"] {
        assert!(out.join(f).exists(), "{f} is copied with the static files");
    }
}

#[test]
fn browser_search_finds_inflected_forms_in_the_built_index() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_default_site(&out);
    // (query, typed so far: the last word may be unfinished)
    let queries = json!([
        ["मेटाच्या", false],
        ["मर्कोरसोबत", false],
        ["मर्कोरसो", true],
        ["९९ दशलक्ष", false],
        ["कर्मचार्\u{200D}यांची", false],
        ["मर्को", true],
        ["मर्को", false],
    ]);
    let found = node(
        "const fs = require('fs'); \
         const ix = await s.open(name => Promise.resolve(fs.readFileSync(input.dir + '/' + name))); \
         const out = []; \
         for (const [q, typing] of input.queries) { \
           await s.need(ix, q, '', typing); \
           const docs = s.search(ix, q, '', typing).docs; \
           out.push(await Promise.all(docs.map(async d => (await s.doc(ix, d))[1]))); } \
         console.log(JSON.stringify(out));",
        &json!({ "dir": out.join("search"), "queries": queries }),
    );
    let count = |i: usize| found[i].as_array().unwrap().len();
    assert_eq!(count(0), 9, "every story names Meta");
    assert_eq!(count(1), 5, "five stories name Mercor");
    assert_eq!(count(2), 5, "as-you-type: half of मर्कोरसोबत");
    assert_eq!(
        found[3],
        json!([
            "/news/why-expert-data-matters/",
            "/news/scale-ai-loses-clients-cuts-staff/"
        ])
    );
    assert_eq!(count(5), 5, "as-you-type: the start of मर्कोर");
    assert_eq!(count(6), 0, "a finished query matches whole terms only");
    assert!(count(4) >= 3, "eyelash ra typed with a joiner");
}

/// Writes the index of the default site under each set of options, for the relevance test's
/// comparison (tests/e2e/search.sh): `$BATMI_SEARCH_VARIANTS/<name>/[en/]search/*`.
#[test]
#[ignore]
fn write_variant_indexes() {
    let out = PathBuf::from(
        std::env::var_os("BATMI_SEARCH_VARIANTS").expect("set BATMI_SEARCH_VARIANTS"),
    );
    let root = repo();
    let site = batmi::load_site(&batmi::BuildOptions::new(&root)).unwrap();
    let r = batmi::output::Renderer::new(&root, &site.index, &site.templates).unwrap();
    let all = Options::default();
    let variants = [
        ("full", all),
        ("no-stemming", Options { stem: false, ..all }),
        ("no-fold", Options { fold: false, ..all }),
        (
            "none",
            Options {
                stem: false,
                fold: false,
            },
        ),
    ];
    for (name, opts) in variants {
        for l in 0..site.index.langs.len() {
            let files = search::search_files_with(&r, l, opts).unwrap();
            search::write_search_files(&out.join(name), &files).unwrap();
        }
    }
}

#[test]
fn a_rebuild_after_edits_leaves_only_the_search_files_the_manifest_names() {
    // A build writes into a fresh directory and swaps it in, so superseded hashed files
    // cannot remain in the output; only a publish without --delete keeps them on the target.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/news")).unwrap();
    std::fs::copy(repo().join("config.toml"), site.join("config.toml")).unwrap();
    for entry in std::fs::read_dir(repo().join("content/news")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, site.join("content/news").join(p.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("out");
    let build = || {
        let mut opts = batmi::BuildOptions::new(&site);
        opts.output = out.clone();
        batmi::build(&opts).expect("the copy builds");
    };
    let listing = |lang: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.join(lang).join("search"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".gz"))
            .collect();
        names.sort();
        names
    };
    build();
    let before = listing("en");
    // New words in an English story and a new English story: the delta, a chunk and the
    // manifest get new names.
    let story = std::fs::read_dir(site.join("content/news"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".en.md"))
        .unwrap();
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, format!("{text}\nQuetzalcoatlus flew over Pune.\n")).unwrap();
    std::fs::write(
        site.join("content/news/zz-late.en.md"),
        "+++\ntitle = \"Late news\"\ndate = 2026-11-30T10:00:00+05:30\n+++\n\nA pterosaur named Quetzalcoatlus.\n",
    )
    .unwrap();
    build();
    let after = listing("en");
    assert_ne!(before, after, "the edit changed no search file");
    let index = read_index(&out.join("en/search"));
    assert_eq!(
        after.len(),
        index.files,
        "files in en/search/ that the manifest does not name: {after:?}"
    );
    assert!(index.postings.keys().any(|t| t.starts_with("quetzalcoatl")));
}
