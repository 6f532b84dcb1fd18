//! Input that would make batmi write the wrong file or the wrong place: a slug that climbs
//! out of the output, a tag whose slug is empty, a page over a generated list, a static file
//! over a generated page. Each is an error with `path:line` and help, exit code 1, the
//! previous output byte-identical, and nothing written anywhere else.

mod common;

use common::{CONFIG, Fixture, snapshot, story};

/// Builds the good fixture, breaks it, builds again: returns stderr, after checking exit 1,
/// the previous output unchanged, and no file created or changed outside `public/`.
fn refused(breakage: impl FnOnce(&Fixture)) -> String {
    let f = Fixture::bilingual();
    f.build_ok();
    let before = snapshot(&f.public());
    breakage(&f);
    let outside = |f: &Fixture| -> Vec<_> {
        snapshot(f.root())
            .into_iter()
            .filter(|(p, _)| !p.starts_with("public"))
            .collect()
    };
    let sources = outside(&f);
    let parent_before = names(f.root().parent().unwrap());
    let out = f.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{stderr}");
    assert!(before == snapshot(&f.public()), "previous output changed");
    assert!(
        sources == outside(&f),
        "files outside the output changed:\n{stderr}"
    );
    let parent_after = names(f.root().parent().unwrap());
    let new: Vec<_> = parent_after
        .iter()
        .filter(|n| !parent_before.contains(n) && n.contains("escaped"))
        .collect();
    assert!(new.is_empty(), "written beside the site: {new:?}");
    stderr
}

fn names(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn config_tag_slug_that_climbs_out_is_refused_at_its_line() {
    let err = refused(|f| {
        let config = CONFIG.replace(
            "[tags.\"Meta\"]\n",
            "[tags.\"Meta\"]\nslug = \"../../escaped\"\n",
        );
        f.write("config.toml", &config);
    });
    let line = CONFIG.lines().position(|l| l == "[tags.\"Meta\"]").unwrap() + 2;
    assert!(
        err.contains(&format!(
            "config.toml:{line}: error: the slug \"../../escaped\" of tag \"Meta\" cannot be used in a URL"
        )),
        "{err}"
    );
    assert!(err.contains("help: a tag slug is one URL segment"), "{err}");
}

#[test]
fn tag_whose_slug_comes_out_empty_is_refused_at_the_tags_line() {
    let err = refused(|f| {
        f.write(
            "content/news/odd.mr.md",
            &story("विचित्र", "2025-08-20T10:00:00+05:30", &["!!!"], "मजकूर."),
        )
    });
    // story(): line 1 +++, 2 title, 3 date, 4 tags.
    assert!(
        err.contains("content/news/odd.mr.md:4:1: error: the tag \"!!!\" has no usable URL slug"),
        "{err}"
    );
    assert!(err.contains("[tags.\"!!!\"] slug = "), "{err}");
}

#[test]
fn story_slug_with_dot_segments_is_refused() {
    let err = refused(|f| {
        f.write(
            "content/news/odd.mr.md",
            "+++\ntitle = \"x\"\ndate = 2025-08-20\nslug = \"..\"\n+++\nbody\n",
        )
    });
    assert!(
        err.contains("content/news/odd.mr.md:4:1: error: slug \"..\" cannot be used in a URL"),
        "{err}"
    );
}

#[test]
fn plain_page_at_the_url_of_the_archive_is_a_clash_naming_both() {
    let err = refused(|f| {
        f.write(
            "content/pages/news.mr.md",
            "+++\ntitle = \"बातम्या\"\n+++\nमजकूर.\n",
        )
    });
    assert!(
        err.contains(
            "content/pages/news.mr.md:1:1: error: two outputs would be written to /news/index.html"
        ),
        "{err}"
    );
    assert!(err.contains("the archive of language mr"), "{err}");
    assert!(err.contains("help: give the page another slug"), "{err}");
}

#[test]
fn plain_page_at_a_language_home_is_a_clash() {
    let err = refused(|f| {
        f.write(
            "content/pages/english.mr.md",
            "+++\ntitle = \"x\"\nslug = \"en\"\n+++\nमजकूर.\n",
        )
    });
    assert!(
        err.contains("two outputs would be written to /en/index.html"),
        "{err}"
    );
    assert!(err.contains("the home page of language en"), "{err}");
}

#[test]
fn plain_page_over_the_tag_index_and_search_is_a_clash() {
    let err = refused(|f| {
        f.write(
            "content/pages/tags.mr.md",
            "+++\ntitle = \"x\"\n+++\nमजकूर.\n",
        );
        f.write(
            "content/pages/search.mr.md",
            "+++\ntitle = \"y\"\n+++\nमजकूर.\n",
        );
    });
    assert!(err.contains("the tag index of language mr"), "{err}");
    assert!(err.contains("the search of language mr"), "{err}");
}

#[test]
fn two_files_with_one_stem_in_different_folders_are_an_error_naming_both() {
    let err = refused(|f| {
        let text = story("दुसरी", "2025-08-21T10:00:00+05:30", &["Meta"], "मजकूर.");
        f.write("content/news/a/same.mr.md", &text);
        f.write("content/news/b/same.mr.md", &text);
    });
    assert!(err.contains("content/news/a/same.mr.md"), "{err}");
    assert!(err.contains("content/news/b/same.mr.md"), "{err}");
    assert!(err.contains("/news/same/"), "{err}");
}

#[test]
fn static_file_over_a_generated_page_is_a_clash() {
    let err = refused(|f| f.write("static/news/index.html", "<p>mine</p>"));
    assert!(
        err.contains(
            "static/news/index.html: error: two outputs would be written to /news/index.html"
        ),
        "{err}"
    );
    assert!(err.contains("help: rename or move the file"), "{err}");
}

#[test]
fn the_sitemap_lists_every_url_once() {
    let f = Fixture::bilingual();
    f.build_ok();
    let files = common::sitemap_files(&f.public());
    let docs: Vec<_> = files
        .iter()
        .map(|(_, xml)| roxmltree::Document::parse(xml).unwrap())
        .collect();
    let mut locs: Vec<&str> = docs
        .iter()
        .flat_map(|doc| doc.descendants())
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let n = locs.len();
    locs.sort();
    locs.dedup();
    assert_eq!(locs.len(), n, "a URL is listed twice");
    assert!(n > 10, "{n} URLs");
}

#[test]
fn staging_folders_of_a_killed_build_are_removed_by_the_next_build() {
    let f = Fixture::bilingual();
    f.build_ok();
    // What a build killed mid-way (SIGKILL, out of memory) leaves beside the output.
    f.write(".public.batmi-new-4242/news/x/index.html", "half");
    f.write(".public.batmi-old-4243/index.html", "old");
    f.write(".other.batmi-new-1/keep.html", "another output's");
    f.build_ok();
    let left = names(f.root());
    assert!(
        !left
            .iter()
            .any(|n| n.starts_with(".public.batmi-new") || n.starts_with(".public.batmi-old")),
        "{left:?}"
    );
    assert!(left.iter().any(|n| n == ".other.batmi-new-1"), "{left:?}");
}

#[test]
fn a_second_build_of_one_output_waits_for_the_first() {
    use std::io::Read;
    let f = Fixture::bilingual();
    f.build_ok();
    let before = snapshot(&f.public());
    f.write(
        "content/news/later.mr.md",
        &story("नंतरची", "2025-08-30T10:00:00+05:30", &["Meta"], "मजकूर."),
    );
    // Stand in for a running build: hold the output's lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(f.root().join(".public.batmi-lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root"])
        .arg(f.root())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    assert!(
        before == snapshot(&f.public()),
        "output changed while locked"
    );
    drop(lock);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{err}");
    assert!(err.contains("waiting for another batmi build"), "{err}");
    assert!(f.public().join("news/later/index.html").exists());
}
