//! Fixture sites for integration tests: written into a temp dir, built with the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The benchmark corpus generator, the same source as `cargo run --example gen_corpus`.
#[path = "../../bench/corpus.rs"]
pub mod corpus;

/// A small bilingual site in a temp dir.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const CONFIG: &str = r#"base_url = "https://news.test"
title = "बातमी"
default_language = "mr"
utc_offset = "+05:30"
paginate_by = 2

[languages.mr]
title = "बातमी"
[languages.en]
title = "Batmi"

[tags."Scale AI"]
slug = "scale-ai"
names = { mr = "स्केल एआय", en = "Scale AI" }
[tags."Meta"]
names = { mr = "मेटा" }
"#;

/// A story file's text.
pub fn story(title: &str, date: &str, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [{}]\nauthor = \"Desk\"\n+++\n\n{body}\n",
        tags.join(", ")
    )
}

impl Fixture {
    /// Config plus three translated stories and one Marathi-only story.
    pub fn bilingual() -> Fixture {
        let f = Fixture::empty();
        f.write("config.toml", CONFIG);
        f.write(
            "content/news/deal.mr.md",
            &story(
                "मेटाची गुंतवणूक",
                "2025-08-29T09:30:00+05:30",
                &["Meta", "Scale AI"],
                "मेटाने स्केल एआयमध्ये गुंतवणूक केली.\n\n## पार्श्वभूमी\n\nअधिक माहिती [येथे](@/news/exit.md).",
            ),
        );
        f.write(
            "content/news/deal.en.md",
            &story(
                "Meta invests",
                "2025-08-29T09:30:00+05:30",
                &["Meta", "Scale AI"],
                "Meta invested in Scale AI.\n\n## Background\n\nMore [here](@/news/exit.md).",
            ),
        );
        f.write(
            "content/news/exit.mr.md",
            &story(
                "मेयर बाहेर",
                "2025-08-28T10:00:00+05:30",
                &["Meta"],
                "रुबेन मेयर यांनी मेटा सोडले.",
            ),
        );
        f.write(
            "content/news/exit.en.md",
            &story(
                "Mayer leaves",
                "2025-08-28T10:00:00+05:30",
                &["Meta"],
                "Ruben Mayer left Meta.",
            ),
        );
        f.write(
            "content/news/labs.mr.md",
            &story(
                "प्रयोगशाळा",
                "2025-08-27T10:00:00+05:30",
                &["Meta", "Scale AI"],
                "टीबीडी लॅब.\n\n```rust\nfn main() {}\n```",
            ),
        );
        f.write(
            "content/news/labs.en.md",
            &story(
                "Labs",
                "2025-08-27T10:00:00+05:30",
                &["Meta", "Scale AI"],
                "TBD Lab.\n\n```rust\nfn main() {}\n```",
            ),
        );
        f.write(
            "content/news/local.mr.md",
            &story(
                "फक्त मराठी",
                "2025-08-26T10:00:00+05:30",
                &["मुंबई"],
                "मुंबईतील बातमी.",
            ),
        );
        f.write(
            "content/pages/about.mr.md",
            "+++\ntitle = \"आमच्याविषयी\"\n+++\n\nमाहिती.\n",
        );
        f.write(
            "content/pages/about.en.md",
            "+++\ntitle = \"About\"\n+++\n\nInfo.\n",
        );
        f
    }

    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Runs `batmi build --root <fixture>` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_batmi"))
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(extra)
            .output()
            .expect("run batmi")
    }

    /// Builds (which must succeed), applies `edit`, builds again: that build must fail with
    /// exit 1 and leave the previous output byte for byte as it was. Returns its stderr.
    pub fn refused_after(&self, edit: impl FnOnce(&Fixture)) -> String {
        self.build_ok();
        let before = snapshot(&self.public());
        edit(self);
        let out = self.build(&[]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            before == snapshot(&self.public()),
            "the previous output changed"
        );
        err
    }

    /// Builds and asserts success.
    pub fn build_ok(&self) -> Output {
        let out = self.build(&[]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect();
    out.sort();
    out
}

/// Every file under `dir`: site path (`en/news/x/index.html`) → bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// `Ok` when `got` holds exactly the files of `want`, byte for byte; otherwise which files
/// are missing, extra or different.
pub fn same_files(want: &Path, got: &Path) -> Result<(), String> {
    let (want, got) = (files(want), files(got));
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<&String> = want
        .iter()
        .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
        .map(|(k, _)| k)
        .collect();
    if missing.is_empty() && extra.is_empty() && differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "missing {missing:?}\nextra {extra:?}\ndifferent {differ:?}"
        ))
    }
}

/// The files the sitemap index `public/sitemap.xml` names, in its order, with their text.
pub fn sitemap_files(public: &Path) -> Vec<(String, String)> {
    let index = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).expect("sitemap.xml is XML");
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| {
            let url = n.text().expect("a <loc> with a URL");
            // The files are at the top of the site: the last segment is the file's path.
            let file = url.rsplit('/').next().unwrap().to_string();
            let text = std::fs::read_to_string(public.join(&file))
                .unwrap_or_else(|e| panic!("{url} named in sitemap.xml: {e}"));
            (file, text)
        })
        .collect()
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files
}
