//! The rebuilds `batmi serve` does after each save must leave exactly what a full build of
//! the same files writes: byte for byte, no file more, no file less. Each test edits a copy
//! of the default site the way an editor would, rebuilds incrementally, and compares the
//! result with a fresh `batmi::build` of the same files.

use std::path::{Path, PathBuf};

use batmi::BuildOptions;
use batmi::incremental::{Incremental, Report};
use common::same_files;

mod common;

const STORY: &str = "content/news/meta-invests-in-scale-ai.mr.md";

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    inc: Incremental,
}

fn copy_default_site(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "templates", "static"] {
        for e in walkdir::WalkDir::new(repo.join(top)) {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(repo).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("config.toml"), to.join("config.toml")).unwrap();
}

impl Site {
    fn start() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_default_site(&root);
        let mut opts = BuildOptions::new(&root);
        opts.output = dir.path().join("serve-out");
        let (inc, report) = Incremental::start(opts).expect("first build");
        assert!(report.written > 50, "{report:?}");
        let site = Site {
            _dir: dir,
            root,
            inc,
        };
        site.assert_same_as_full_build("first build");
        site
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Rebuilds after a save of `changed`, and the deferred search indexes as `serve` does.
    fn rebuild(&mut self, changed: &[&str]) -> Report {
        let changed: Vec<PathBuf> = changed.iter().map(|c| self.path(c)).collect();
        let report = self.inc.rebuild(&changed).expect("rebuild");
        self.inc.finish_deferred().expect("deferred outputs");
        report
    }

    fn assert_same_as_full_build(&self, after: &str) {
        let full = self.root.parent().unwrap().join("full-out");
        let mut opts = BuildOptions::new(&self.root);
        opts.output = full.clone();
        batmi::build(&opts).expect("full build");
        if let Err(diff) = same_files(&full, self.inc.output()) {
            panic!("after {after}:\n{diff}");
        }
        std::fs::remove_dir_all(&full).unwrap();
    }
}

#[test]
fn a_body_edit_rewrites_the_page_and_the_lists_that_quote_it() {
    let mut site = Site::start();
    site.write(STORY, &format!("{}\nएक नवीन परिच्छेद.\n", site.read(STORY)));
    let report = site.rebuild(&[STORY]);
    site.assert_same_as_full_build("a body edit");
    assert!(
        report
            .paths
            .contains(&"news/meta-invests-in-scale-ai/index.html".to_string()),
        "{:?}",
        report.paths
    );
    // The page, and the home, archive, tag pages and feeds it is listed on; not the site.
    assert!(
        report.written < 25,
        "{} files rewritten: {:?}",
        report.written,
        report.paths
    );
    assert!(
        !report.paths.iter().any(|p| p.starts_with("en/news/")),
        "English story pages do not show the Marathi body: {:?}",
        report.paths
    );
}

#[test]
fn a_title_edit_reaches_every_list_and_the_translation_stays() {
    let mut site = Site::start();
    site.edit(STORY, "title = \"", "title = \"नवे शीर्षक: ");
    site.rebuild(&[STORY]);
    site.assert_same_as_full_build("a title edit");
    let home = std::fs::read_to_string(site.inc.output().join("index.html")).unwrap();
    assert!(home.contains("नवे शीर्षक: "));
}

#[test]
fn date_tag_and_slug_changes_move_the_story_through_the_lists() {
    let mut site = Site::start();
    site.edit(STORY, "date = 2025-", "date = 2019-");
    site.rebuild(&[STORY]);
    site.assert_same_as_full_build("moving the story back in time");

    site.edit(STORY, "tags = [", "tags = [\"नवा विषय\", ");
    site.rebuild(&[STORY]);
    site.assert_same_as_full_build("adding a tag");
    assert!(site.inc.output().join("tags/नवा-विषय/index.html").is_file());

    site.edit(STORY, "+++\n", "+++\nslug = \"new-address\"\n");
    let report = site.rebuild(&[STORY]);
    site.assert_same_as_full_build("a new slug");
    assert!(report.removed >= 1, "{report:?}");
    assert!(
        !site
            .inc
            .output()
            .join("news/meta-invests-in-scale-ai")
            .exists()
    );
}

#[test]
fn new_deleted_and_draft_stories() {
    let mut site = Site::start();
    let new = "content/news/a-new-story.mr.md";
    site.write(
        new,
        "+++\ntitle = \"नवी बातमी\"\ndate = 2026-01-02T10:00:00+05:30\ntags = [\"Meta\"]\n+++\n\nमजकूर [दुवा](@/news/meta-invests-in-scale-ai.md).\n",
    );
    site.rebuild(&[new]);
    site.assert_same_as_full_build("a new story");

    std::fs::remove_file(site.path(new)).unwrap();
    site.rebuild(&[new]);
    site.assert_same_as_full_build("deleting it");
    assert!(!site.inc.output().join("news/a-new-story").exists());

    // A story no other story links to (a link to a draft fails the build).
    let unlinked = "content/news/why-expert-data-matters.mr.md";
    site.edit(unlinked, "+++\n", "+++\ndraft = true\n");
    site.rebuild(&[unlinked]);
    site.assert_same_as_full_build("making a story a draft");
}

#[test]
fn template_config_and_static_edits() {
    let mut site = Site::start();
    site.edit("templates/card.html", "<", "<!-- card -->\n<");
    site.rebuild(&["templates/card.html"]);
    site.assert_same_as_full_build("a card template edit");

    site.edit("config.toml", "title = \"", "title = \"नवे नाव ");
    site.rebuild(&["config.toml"]);
    site.assert_same_as_full_build("a config edit");

    site.write("static/extra.txt", "hello");
    site.rebuild(&["static/extra.txt"]);
    site.assert_same_as_full_build("a new static file");
}

#[test]
fn a_broken_save_changes_nothing_and_the_fix_catches_up() {
    let mut site = Site::start();
    let good = site.read(STORY);
    site.write(STORY, &good.replacen("+++", "++", 1));
    let changed = [site.path(STORY)];
    let err = site.inc.rebuild(&changed).unwrap_err();
    let errors = err
        .downcast_ref::<batmi::SiteErrors>()
        .expect("a site error");
    assert!(format!("{errors}").contains("meta-invests-in-scale-ai.mr.md"));

    // Fixed, with a new title: the pages show the fix.
    site.write(STORY, &good.replacen("title = \"", "title = \"दुरुस्त: ", 1));
    site.rebuild(&[STORY]);
    site.assert_same_as_full_build("the fix");
}

#[test]
fn a_broken_link_fails_the_rebuild_and_the_next_save_writes_what_was_missed() {
    let mut site = Site::start();
    let good = site.read(STORY);
    site.write(STORY, &format!("{good}\n[दुवा](@/news/no-such-story.md)\n"));
    let changed = [site.path(STORY)];
    assert!(site.inc.rebuild(&changed).is_err());
    site.write(STORY, &format!("{good}\nदुरुस्त.\n"));
    site.rebuild(&[STORY]);
    site.assert_same_as_full_build("fixing the link");
}

#[test]
fn a_template_error_in_a_rebuild_says_the_other_changes_were_written() {
    let mut site = Site::start();
    // A template that fails at render time for stories only; the lists still render.
    site.edit(
        "templates/article.html",
        "{% block main %}",
        "{% block main %}{{ no_such_value }}",
    );
    site.edit(STORY, "title = \"", "title = \"नवे: ");
    let changed: Vec<PathBuf> = ["templates/article.html", STORY]
        .iter()
        .map(|c| site.path(c))
        .collect();
    let err = site
        .inc
        .rebuild(&changed)
        .expect_err("the story template fails");
    let text = batmi::error_text(&err);
    assert!(text.contains("no_such_value"), "{text}");
    assert!(
        text.contains("the pages in error were left as they were"),
        "{text}"
    );
    assert!(!text.contains("nothing was written"), "{text}");
    // The home page, which quotes the story, did get the new title.
    let home = std::fs::read_to_string(site.inc.output().join("index.html")).unwrap();
    assert!(home.contains("नवे: "), "the list was not rewritten");
}

#[test]
fn a_story_saved_between_load_and_render_is_an_error_not_a_mixed_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_default_site(&root);
    let opts = BuildOptions::new(&root);
    let site = batmi::load_site(&opts).unwrap();
    let renderer = batmi::output::Renderer::new(&root, &site.index, &site.templates).unwrap();
    let i = site
        .index
        .pages
        .iter()
        .position(|p| p.path == Path::new(STORY))
        .unwrap();
    // The editor saves while the build runs (after loading, before this page is rendered):
    // same length, other text.
    let text = std::fs::read_to_string(root.join(STORY)).unwrap();
    let changed = text.replacen("मेटा", "मेघा", 1);
    assert_eq!(changed.len(), text.len());
    std::fs::write(root.join(STORY), &changed).unwrap();
    let err = renderer
        .render(batmi::output::Job::Page(i))
        .expect_err("the file changed since it was loaded");
    assert!(
        err.message
            .contains("the file changed while the site was being built"),
        "{err}"
    );
    assert!(err.to_string().starts_with(STORY), "{err}");
    // Put back, the page renders again.
    std::fs::write(root.join(STORY), &text).unwrap();
    let fresh = batmi::output::Renderer::new(&root, &site.index, &site.templates).unwrap();
    assert!(fresh.render(batmi::output::Job::Page(i)).is_ok());
}
