//! `batmi publish` against real targets: a temp directory, a bare git repository, and (in the
//! `#[ignore]`d `s3` tests, run by tests/e2e/publish_s3.sh) a moto S3 server on 127.0.0.1.
//!
//! What "changed" means is never taken from batmi's own report alone: each test builds the
//! site before and after an edit with `batmi::build` and compares the bytes, and then checks
//! that the target holds exactly the new build.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use batmi::publish::{self, Progress, PublishOptions, Report, Target};

// ---------------------------------------------------------------------------------------------
// Fixture

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A folder under the system temp dir, removed at the end of the test.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!(
            "batmi-test-publish-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        fs::remove_dir_all(&dir).ok();
        fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }

    fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        fs::remove_dir_all(&self.0).ok();
    }
}

/// A small bilingual news site: three stories in Marathi and English.
struct Site {
    tmp: Temp,
}

const CONFIG: &str = r#"base_url = "https://news.test"
title = "बातमी"
default_language = "mr"
utc_offset = "+05:30"

[languages.mr]
title = "बातमी"
name = "मराठी"

[languages.en]
title = "Batmi"
name = "English"
"#;

impl Site {
    fn new() -> Site {
        let tmp = Temp::new("site");
        let site = Site { tmp };
        fs::create_dir_all(site.root().join("content/news")).unwrap();
        fs::write(site.root().join("config.toml"), CONFIG).unwrap();
        site.story("alpha", 1, &["Alpha", "Common"], "first");
        site.story("beta", 2, &["Beta", "Common"], "second");
        site.story("gamma", 3, &["Gamma"], "third");
        site
    }

    fn root(&self) -> PathBuf {
        self.tmp.join("site")
    }

    fn story(&self, stem: &str, day: u32, tags: &[&str], word: &str) {
        let tags = tags
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        for (lang, title, summary) in [
            (
                "mr",
                format!("{stem} बातमी"),
                format!("{word} बातमीचा सारांश"),
            ),
            (
                "en",
                format!("The {stem} story"),
                format!("Summary of the {word} story"),
            ),
        ] {
            let text = format!(
                "+++\ntitle = \"{title}\"\ndate = 2025-03-{day:02}T10:00:00+05:30\ntags = [{tags}]\nsummary = \"{summary}\"\n+++\n\nBody of {stem} in {lang}: {word}.\n"
            );
            fs::write(self.file(stem, lang), text).unwrap();
        }
    }

    fn file(&self, stem: &str, lang: &str) -> PathBuf {
        self.root().join(format!("content/news/{stem}.{lang}.md"))
    }

    /// Changes the English summary of a story (shown on its page, lists and feeds).
    fn edit_summary(&self, stem: &str, new: &str) {
        let path = self.file(stem, "en");
        let text = fs::read_to_string(&path).unwrap();
        let start = text.find("summary = \"").unwrap();
        let end = start + text[start..].find('\n').unwrap();
        let text = format!("{}summary = \"{new}\"{}", &text[..start], &text[end..]);
        fs::write(path, text).unwrap();
    }

    fn remove_story(&self, stem: &str) {
        fs::remove_file(self.file(stem, "mr")).unwrap();
        fs::remove_file(self.file(stem, "en")).unwrap();
    }

    /// A production build, independent of publish, as path -> bytes.
    fn build(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.tmp.join(&format!(
            "expected-{}",
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let mut opts = batmi::BuildOptions::new(self.root());
        opts.output = out.clone();
        batmi::build(&opts).unwrap();
        let files = tree(&out);
        fs::remove_dir_all(out).ok();
        files
    }
}

/// Every regular file under `dir` as path -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Paths whose bytes differ or that are new in `after`, and paths gone from it.
fn diff(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let changed = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    let gone = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    (changed, gone)
}

fn keys(m: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    m.keys().cloned().collect()
}

fn uploaded(r: &Report) -> BTreeSet<String> {
    r.uploaded.iter().map(|(p, _)| p.clone()).collect()
}

fn deleted(r: &Report) -> BTreeSet<String> {
    r.deleted.iter().cloned().collect()
}

fn publish_to(site: &Site, target: Target, f: impl FnOnce(&mut PublishOptions)) -> Report {
    try_publish(site, target, f).unwrap_or_else(|e| panic!("publish failed: {e:#}"))
}

fn try_publish(
    site: &Site,
    target: Target,
    f: impl FnOnce(&mut PublishOptions),
) -> anyhow::Result<Report> {
    let mut opts = PublishOptions::new(site.root(), target);
    f(&mut opts);
    publish::publish(&opts, &Progress::quiet())
}

fn batmi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `upload PATH (N bytes)` and `delete PATH` lines of a dry run.
fn dry_run_lines(stdout: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut up = BTreeSet::new();
    let mut del = BTreeSet::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("upload ") {
            let (path, size) = rest.rsplit_once(" (").unwrap();
            assert!(size.ends_with(" bytes)"), "{line}");
            up.insert(path.to_string());
        } else if let Some(path) = line.strip_prefix("delete ") {
            del.insert(path.to_string());
        }
    }
    (up, del)
}

// ---------------------------------------------------------------------------------------------
// Directory target

#[test]
fn dir_first_publish_writes_everything_and_a_second_writes_nothing() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    let expected = site.build();

    let first = publish_to(&site, Target::Dir(dest.clone()), |_| {});
    assert_eq!(uploaded(&first), keys(&expected));
    assert_eq!(first.unchanged, 0);
    assert_eq!(tree(&dest), expected);
    let bytes: u64 = expected.values().map(|b| b.len() as u64).sum();
    assert_eq!(first.uploaded_bytes(), bytes);

    let before = fs::metadata(dest.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let second = publish_to(&site, Target::Dir(dest.clone()), |_| {});
    assert!(second.uploaded.is_empty(), "{:?}", second.uploaded);
    assert!(second.deleted.is_empty());
    assert_eq!(second.unchanged, expected.len());
    // Nothing to do means the folder is left alone, not rewritten.
    let after = fs::metadata(dest.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn dir_edit_of_one_story_writes_only_the_files_that_changed() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    publish_to(&site, Target::Dir(dest.clone()), |_| {});
    let before = site.build();

    site.edit_summary("beta", "A corrected summary of the second story");
    let after = site.build();
    let (changed, gone) = diff(&before, &after);
    // Only content-hashed search files are replaced by files of other names.
    assert!(gone.iter().all(|g| g.contains("search/")), "{gone:?}");
    // The story's page, the lists and feeds it is on (and pages of related stories).
    for p in [
        "en/news/beta/index.html",
        "en/index.html",
        "en/atom.xml",
        "en/tags/beta/index.html",
        "en/tags/common/atom.xml",
    ] {
        assert!(changed.contains(p), "{p} should change: {changed:?}");
    }
    // Marathi pages do not show the English summary; the sitemap does not either.
    for p in [
        "news/beta/index.html",
        "index.html",
        "atom.xml",
        "sitemap.xml",
    ] {
        assert!(!changed.contains(p), "{p} should not change");
    }
    assert!(changed.len() * 2 < after.len(), "{changed:?}");

    let report = publish_to(&site, Target::Dir(dest.clone()), |o| o.delete = true);
    assert_eq!(uploaded(&report), changed);
    assert_eq!(deleted(&report), gone);
    assert_eq!(report.unchanged, after.len() - changed.len());
    assert_eq!(tree(&dest), after);
}

#[test]
fn dir_keeps_a_deleted_storys_pages_unless_told_to_delete() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    publish_to(&site, Target::Dir(dest.clone()), |_| {});
    let before = site.build();
    site.remove_story("gamma");
    let after = site.build();
    let (_, gone) = diff(&before, &after);
    assert!(gone.contains("en/news/gamma/index.html") && gone.contains("news/gamma/index.html"));

    let kept = publish_to(&site, Target::Dir(dest.clone()), |_| {});
    assert!(kept.deleted.is_empty());
    assert_eq!(kept.kept.iter().cloned().collect::<BTreeSet<_>>(), gone);
    let on_disk = tree(&dest);
    for p in &gone {
        assert_eq!(
            on_disk.get(p),
            before.get(p),
            "{p} should have been kept as it was"
        );
    }
    for (p, b) in &after {
        assert_eq!(on_disk.get(p), Some(b), "{p}");
    }

    let removed = publish_to(&site, Target::Dir(dest.clone()), |o| o.delete = true);
    assert_eq!(deleted(&removed), gone);
    assert!(removed.uploaded.is_empty());
    assert_eq!(tree(&dest), after);
    // Folders emptied by the deletions are gone too.
    assert!(!dest.join("en/news/gamma").exists());
}

#[test]
fn dir_delete_over_the_limit_needs_yes() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    publish_to(&site, Target::Dir(dest.clone()), |_| {});
    let before = tree(&dest);
    site.remove_story("gamma");
    site.remove_story("beta");
    let to = format!("dir:{}", dest.display());
    let root = site.root();
    let root = root.to_str().unwrap();

    let out = batmi(&[
        "publish",
        "--root",
        root,
        "--to",
        &to,
        "--delete",
        "--max-deletes",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("more than the limit of 2") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(tree(&dest), before, "a refused publish must change nothing");

    let out = batmi(&[
        "publish",
        "--root",
        root,
        "--to",
        &to,
        "--delete",
        "--max-deletes",
        "2",
        "--yes",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(tree(&dest), site.build());
}

#[test]
fn dir_dry_run_prints_the_plan_and_changes_nothing() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    publish_to(&site, Target::Dir(dest.clone()), |_| {});
    let before = site.build();
    site.edit_summary("alpha", "Alpha, revised");
    site.remove_story("gamma");
    let after = site.build();
    let (changed, gone) = diff(&before, &after);
    let on_disk = tree(&dest);
    let stamp = fs::metadata(&dest).unwrap().modified().unwrap();

    let to = format!("dir:{}", dest.display());
    let out = batmi(&[
        "publish",
        "--root",
        site.root().to_str().unwrap(),
        "--to",
        &to,
        "--dry-run",
        "--delete",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let (up, del) = dry_run_lines(&stdout);
    assert_eq!(up, changed, "{stdout}");
    assert_eq!(del, gone, "{stdout}");
    assert!(stdout.contains("nothing was changed"), "{stdout}");
    // Sizes are printed as built.
    let line = format!(
        "upload en/news/alpha/index.html ({} bytes)",
        after["en/news/alpha/index.html"].len()
    );
    assert!(stdout.lines().any(|l| l == line), "{stdout}");

    assert_eq!(tree(&dest), on_disk);
    assert_eq!(fs::metadata(&dest).unwrap().modified().unwrap(), stamp);
    let leftovers: Vec<_> = fs::read_dir(site.tmp.0.as_path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock file and the build manifest beside an output stay by design (see
        // output::write::Staging and build::manifest).
        .filter(|n| {
            n.contains("batmi") && !n.ends_with(".batmi-lock") && !n.ends_with(".batmi-manifest")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn dir_behind_a_symlink_is_switched_with_one_rename() {
    let site = Site::new();
    let link = site.tmp.join("current");
    fs::create_dir_all(site.tmp.join("v0")).unwrap();
    fs::write(site.tmp.join("v0/old.txt"), "from before").unwrap();
    std::os::unix::fs::symlink("v0", &link).unwrap();

    publish_to(&site, Target::Dir(link.clone()), |_| {});
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let first_target = fs::read_link(&link).unwrap();
    assert_ne!(first_target, Path::new("v0"));
    let mut expected = site.build();
    expected.insert("old.txt".into(), b"from before".to_vec());
    assert_eq!(tree(&link), expected, "old.txt is kept without --delete");
    assert!(
        site.tmp.join("v0").exists(),
        "a folder batmi did not make is left alone"
    );

    site.edit_summary("beta", "beta again");
    publish_to(&site, Target::Dir(link.clone()), |o| o.delete = true);
    let second_target = fs::read_link(&link).unwrap();
    assert_ne!(first_target, second_target);
    assert!(
        !site.tmp.0.join(&first_target).exists(),
        "the previous version is cleaned up"
    );
    assert_eq!(tree(&link), site.build());
}

#[test]
fn cli_prints_one_line_per_file_and_a_summary_when_not_on_a_terminal() {
    let site = Site::new();
    let dest = site.tmp.join("www");
    let to = format!("dir:{}", dest.display());
    let out = batmi(&[
        "publish",
        "--root",
        site.root().to_str().unwrap(),
        "--to",
        &to,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let expected = site.build();
    let index = format!(
        "uploaded index.html ({} bytes)",
        expected["index.html"].len()
    );
    assert!(stdout.lines().any(|l| l == index), "{stdout}");
    let total: usize = expected.values().map(Vec::len).sum();
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with(&format!(
            "published to {to}: uploaded {} files ({total} bytes), deleted 0 files, 0 unchanged, in ",
            expected.len()
        )),
        "{summary}"
    );
    // Assets are written before the pages that use them, feeds after them.
    let pos = |p: &str| stdout.find(&format!("uploaded {p} (")).unwrap();
    assert!(pos("style.css") < pos("index.html"));
    assert!(pos("index.html") < pos("atom.xml"));
    assert!(pos("en/news/beta/index.html") < pos("sitemap.xml"));
}

#[test]
fn named_targets_come_from_config_toml() {
    let site = Site::new();
    let dest = site.tmp.join("named");
    // A relative path in config.toml is relative to the site's folder, wherever batmi runs.
    let config = format!("{CONFIG}\n[publish.local]\nto = \"dir:../named\"\nmax_deletes = 1\n");
    fs::write(site.root().join("config.toml"), config).unwrap();
    let root = site.root();
    let root = root.to_str().unwrap();

    let out = batmi(&["publish", "--root", root, "--target", "local"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(tree(&dest), site.build());

    // The target's max_deletes applies.
    site.remove_story("gamma");
    let out = batmi(&["publish", "--root", root, "--target", "local", "--delete"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("limit of 1"),
        "{}",
        text(&out.stderr)
    );

    let out = batmi(&["publish", "--root", root, "--target", "live"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("config.toml") && err.contains("no publish target \"live\""),
        "{err}"
    );
    assert!(
        err.contains("local"),
        "the message lists the known targets: {err}"
    );

    let out = batmi(&["publish", "--root", root, "--to", "ftp://example"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("dir:PATH, git:REMOTE#BRANCH or s3://BUCKET/PREFIX"));
}

#[test]
fn s3_without_credentials_fails_at_once_with_how_to_fix() {
    let site = Site::new();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_batmi"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args([
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            "s3://bucket/site",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Git target

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout).trim().to_string()
}

/// A bare repository with a `main` branch holding one commit of "sources".
fn bare_remote(tmp: &Temp) -> PathBuf {
    let bare = tmp.join("remote.git");
    git(&tmp.0, &["init", "-q", "--bare", bare.to_str().unwrap()]);
    let work = tmp.join("work");
    fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q"]);
    fs::write(work.join("README"), "sources").unwrap();
    git(&work, &["add", "README"]);
    git(&work, &["commit", "-q", "-m", "sources"]);
    git(
        &work,
        &["push", "-q", bare.to_str().unwrap(), "HEAD:refs/heads/main"],
    );
    bare
}

/// The files of a commit as path -> bytes.
fn commit_tree(bare: &Path, rev: &str) -> BTreeMap<String, Vec<u8>> {
    git(bare, &["ls-tree", "-r", "--name-only", rev])
        .lines()
        .map(|p| {
            let out = Command::new("git")
                .args(["cat-file", "blob", &format!("{rev}:{p}")])
                .current_dir(bare)
                .output()
                .unwrap();
            (p.to_string(), out.stdout)
        })
        .collect()
}

fn git_target(bare: &Path) -> Target {
    Target::Git {
        remote: bare.to_string_lossy().into_owned(),
        branch: "gh-pages".into(),
    }
}

fn with_nojekyll(mut m: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    m.insert(".nojekyll".into(), Vec::new());
    m
}

#[test]
fn git_publish_commits_the_site_and_leaves_other_branches_alone() {
    let site = Site::new();
    let bare = bare_remote(&site.tmp);
    let main_before = git(&bare, &["rev-parse", "main"]);
    let expected = site.build();

    let to = format!("git:{}#gh-pages", bare.display());
    let out = batmi(&[
        "publish",
        "--root",
        site.root().to_str().unwrap(),
        "--to",
        &to,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        commit_tree(&bare, "gh-pages"),
        with_nojekyll(expected.clone())
    );
    assert_eq!(git(&bare, &["rev-parse", "main"]), main_before);
    assert_eq!(
        git(&bare, &["for-each-ref", "--format=%(refname)"])
            .lines()
            .count(),
        2
    );
    let first = git(&bare, &["rev-parse", "gh-pages"]);

    // No change: no new commit.
    let again = publish_to(&site, git_target(&bare), |_| {});
    assert!(again.uploaded.is_empty(), "{:?}", again.uploaded);
    assert_eq!(git(&bare, &["rev-parse", "gh-pages"]), first);

    // One edit: one commit on top, touching exactly the files whose bytes changed.
    site.edit_summary("alpha", "Alpha, with a fix");
    let after = site.build();
    let (changed, gone) = diff(&expected, &after);
    // Only content-hashed search files are replaced by others; without --delete the old
    // ones stay on the branch.
    assert!(gone.iter().all(|g| g.contains("search/")), "{gone:?}");
    let mut kept_tree = after.clone();
    for g in &gone {
        kept_tree.insert(g.clone(), expected[g].clone());
    }
    let report = publish_to(&site, git_target(&bare), |_| {});
    assert_eq!(uploaded(&report), changed);
    let tip = git(&bare, &["rev-parse", "gh-pages"]);
    assert_eq!(git(&bare, &["rev-parse", "gh-pages^"]), first);
    let touched: BTreeSet<String> = git(&bare, &["diff", "--name-only", &first, &tip])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(touched, changed);
    assert_eq!(commit_tree(&bare, "gh-pages"), with_nojekyll(kept_tree));
    assert_eq!(git(&bare, &["rev-parse", "main"]), main_before);
}

#[test]
fn git_keeps_removed_pages_unless_told_to_delete_and_dry_run_changes_nothing() {
    let site = Site::new();
    let bare = bare_remote(&site.tmp);
    publish_to(&site, git_target(&bare), |_| {});
    let before = site.build();
    site.remove_story("beta");
    let after = site.build();
    let (changed, gone) = diff(&before, &after);

    let tip = git(&bare, &["rev-parse", "gh-pages"]);
    let out = batmi(&[
        "publish",
        "--root",
        site.root().to_str().unwrap(),
        "--to",
        &format!("git:{}#gh-pages", bare.display()),
        "--dry-run",
        "--delete",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (up, del) = dry_run_lines(&text(&out.stdout));
    assert_eq!(up, changed);
    assert_eq!(del, gone);
    assert_eq!(
        git(&bare, &["rev-parse", "gh-pages"]),
        tip,
        "dry run pushed"
    );

    let kept = publish_to(&site, git_target(&bare), |_| {});
    assert!(kept.deleted.is_empty());
    let files = commit_tree(&bare, "gh-pages");
    for p in &gone {
        assert_eq!(
            files.get(p),
            before.get(p),
            "{p} should stay without --delete"
        );
    }

    let removed = publish_to(&site, git_target(&bare), |o| o.delete = true);
    assert_eq!(deleted(&removed), gone);
    assert_eq!(commit_tree(&bare, "gh-pages"), with_nojekyll(after));
}

#[test]
fn git_push_refused_by_the_server_is_explained() {
    let site = Site::new();
    let bare = bare_remote(&site.tmp);
    let hook = bare.join("hooks/pre-receive");
    fs::write(
        &hook,
        "#!/bin/sh\necho 'gh-pages is protected here' >&2\nexit 1\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();

    let out = batmi(&[
        "publish",
        "--root",
        site.root().to_str().unwrap(),
        "--to",
        &format!("git:{}#gh-pages", bare.display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("refused the push to branch gh-pages"), "{err}");
    assert!(
        err.contains("gh-pages is protected here"),
        "the server's words are shown: {err}"
    );
    assert!(err.contains("help:"), "{err}");
    assert!(git(&bare, &["branch", "--list", "gh-pages"]).is_empty());
}

#[test]
fn git_branch_moved_during_publish_is_explained_and_not_overwritten() {
    let site = Site::new();
    let bare = bare_remote(&site.tmp);
    publish_to(&site, git_target(&bare), |_| {});
    // Someone else's commit, waiting to land on gh-pages while batmi fetches.
    let main = git(&bare, &["rev-parse", "main"]);
    let theirs = git(
        &bare,
        &["commit-tree", &format!("{main}^{{tree}}"), "-m", "theirs"],
    );
    // Git runs this instead of pack-objects when serving batmi's fetch: the branch moves
    // between batmi's fetch and its push, as when two people publish at once.
    let hook = site.tmp.join("move-branch.sh");
    fs::write(
        &hook,
        format!(
            "#!/bin/sh\ngit --git-dir='{}' update-ref refs/heads/gh-pages {theirs}\nexec \"$@\"\n",
            bare.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    let global = site.tmp.join("gitconfig");
    fs::write(
        &global,
        format!("[uploadpack]\n\tpackObjectsHook = {}\n", hook.display()),
    )
    .unwrap();

    site.edit_summary("gamma", "gamma changed");
    let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args([
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            &format!("git:{}#gh-pages", bare.display()),
        ])
        .env("GIT_CONFIG_GLOBAL", &global)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("the branch changed there while batmi was publishing"),
        "{err}"
    );
    assert!(err.contains("run the same batmi publish again"), "{err}");
    assert_eq!(
        git(&bare, &["rev-parse", "gh-pages"]),
        theirs,
        "their commit survives"
    );
}

// ---------------------------------------------------------------------------------------------
// S3 target: run by tests/e2e/publish_s3.sh with a moto server (BATMI_TEST_S3_ENDPOINT).

mod s3 {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::atomic::AtomicBool;
    use std::sync::{Arc, Mutex};

    use futures_util::StreamExt;
    use object_store::aws::{AmazonS3, AmazonS3Builder};
    use object_store::path::Path as Key;
    use object_store::{Attribute, GetOptions, ObjectStore, ObjectStoreExt};

    fn endpoint() -> String {
        std::env::var("BATMI_TEST_S3_ENDPOINT")
            .expect("BATMI_TEST_S3_ENDPOINT: run these tests with tests/e2e/publish_s3.sh")
    }

    fn port_of(endpoint: &str) -> u16 {
        endpoint
            .rsplit(':')
            .next()
            .unwrap()
            .trim_end_matches('/')
            .parse()
            .unwrap()
    }

    /// A fresh bucket on the moto server (which takes unsigned requests).
    fn bucket(name: &str) -> String {
        let name = format!(
            "{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        create_bucket(port_of(&endpoint()), &name);
        name
    }

    fn create_bucket(port: u16, name: &str) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "PUT /{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    fn target(bucket: &str, endpoint: &str) -> Target {
        Target::S3 {
            bucket: bucket.into(),
            prefix: "site".into(),
            endpoint: Some(endpoint.into()),
        }
    }

    fn store(bucket: &str) -> AmazonS3 {
        store_at(&endpoint(), bucket)
    }

    fn store_at(endpoint: &str, bucket: &str) -> AmazonS3 {
        AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_endpoint(endpoint)
            .with_allow_http(true)
            .build()
            .unwrap()
    }

    fn block<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// Every object under `site/` as path -> bytes (the manifest included).
    fn bucket_tree(bucket: &str) -> BTreeMap<String, Vec<u8>> {
        bucket_tree_at(&endpoint(), bucket)
    }

    fn bucket_tree_at(endpoint: &str, bucket: &str) -> BTreeMap<String, Vec<u8>> {
        let s = store_at(endpoint, bucket);
        block(async {
            let prefix = Key::from("site");
            let metas: Vec<_> = s.list(Some(&prefix)).collect().await;
            let mut out = BTreeMap::new();
            for m in metas {
                let m = m.unwrap();
                let bytes = s.get(&m.location).await.unwrap().bytes().await.unwrap();
                let rel = m
                    .location
                    .as_ref()
                    .strip_prefix("site/")
                    .unwrap()
                    .to_string();
                out.insert(rel, bytes.to_vec());
            }
            out
        })
    }

    /// The bucket's site files, the manifest left out.
    fn bucket_site(bucket: &str) -> BTreeMap<String, Vec<u8>> {
        let mut t = bucket_tree(bucket);
        t.remove(".batmi-manifest.json");
        t
    }

    fn etags(bucket: &str) -> BTreeMap<String, Option<String>> {
        let s = store(bucket);
        block(async {
            s.list(Some(&Key::from("site")))
                .map(|m| {
                    let m = m.unwrap();
                    (m.location.to_string(), m.e_tag)
                })
                .collect()
                .await
        })
    }

    fn head(bucket: &str, rel: &str) -> object_store::Attributes {
        let s = store(bucket);
        block(async {
            let opts = GetOptions {
                head: true,
                ..GetOptions::default()
            };
            s.get_opts(&Key::from(format!("site/{rel}")), opts)
                .await
                .unwrap()
                .attributes
        })
    }

    fn attr(a: &object_store::Attributes, k: Attribute) -> String {
        a.get(&k).map(|v| v.to_string()).unwrap_or_default()
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_uploads_everything_then_nothing_then_only_what_an_edit_changed() {
        let site = Site::new();
        let b = bucket("incremental");
        let expected = site.build();

        let first = publish_to(&site, target(&b, &endpoint()), |_| {});
        assert_eq!(uploaded(&first), keys(&expected));
        assert_eq!(bucket_site(&b), expected);
        let manifest: serde_json::Value =
            serde_json::from_slice(&bucket_tree(&b)[".batmi-manifest.json"]).unwrap();
        assert_eq!(manifest["files"].as_object().unwrap().len(), expected.len());

        // Types, cache lifetimes and the content hash travel with each object.
        let html = head(&b, "en/news/beta/index.html");
        assert_eq!(
            attr(&html, Attribute::ContentType),
            "text/html; charset=utf-8"
        );
        assert_eq!(attr(&html, Attribute::CacheControl), "public, max-age=300");
        assert_eq!(
            attr(&html, Attribute::Metadata("batmi-sha256".into())),
            batmi::publish::local::hash_bytes(&expected["en/news/beta/index.html"])
        );
        let css = head(&b, "style.css");
        assert_eq!(
            attr(&css, Attribute::ContentType),
            "text/css; charset=utf-8"
        );
        assert_eq!(attr(&css, Attribute::CacheControl), "public, max-age=86400");
        let feed = head(&b, "en/atom.xml");
        assert_eq!(
            attr(&feed, Attribute::ContentType),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(attr(&feed, Attribute::CacheControl), "public, max-age=300");

        let tags_before = etags(&b);
        let second = publish_to(&site, target(&b, &endpoint()), |_| {});
        assert!(second.uploaded.is_empty(), "{:?}", second.uploaded);
        assert_eq!(second.unchanged, expected.len());
        assert_eq!(etags(&b), tags_before);

        site.edit_summary("beta", "Beta, corrected");
        let after = site.build();
        let (changed, gone) = diff(&expected, &after);
        // Content-hashed search files are replaced by others: --delete removes the old ones.
        assert!(gone.iter().all(|g| g.contains("search/")), "{gone:?}");
        let third = publish_to(&site, target(&b, &endpoint()), |o| o.delete = true);
        assert_eq!(uploaded(&third), changed);
        assert_eq!(deleted(&third), gone);
        assert_eq!(bucket_site(&b), after);
        let tags_after = etags(&b);
        let moved: BTreeSet<String> = tags_after
            .iter()
            .filter(|(k, v)| tags_before.get(*k) != Some(*v))
            .map(|(k, _)| k.strip_prefix("site/").unwrap().to_string())
            .filter(|k| k != ".batmi-manifest.json")
            .collect();
        assert_eq!(moved, changed, "only the changed objects were rewritten");
    }

    /// The response headers of a HEAD of `site/<rel>` through a presigned URL, as they come
    /// (object_store keeps only the headers it knows).
    fn raw_head(bucket: &str, rel: &str) -> String {
        use object_store::signer::Signer;
        let url = block(store(bucket).signed_url(
            http::Method::HEAD,
            &Key::from(format!("site/{rel}")),
            std::time::Duration::from_secs(300),
        ))
        .unwrap();
        let target = format!("{}?{}", url.path(), url.query().unwrap_or_default());
        let host = format!("127.0.0.1:{}", port_of(&endpoint()));
        let mut s = TcpStream::connect(("127.0.0.1", port_of(&endpoint()))).unwrap();
        write!(
            s,
            "HEAD {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer.to_ascii_lowercase()
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_alias_objects_carry_their_website_redirect() {
        let site = Site::new();
        let beta = site.file("beta", "en");
        let text = fs::read_to_string(&beta).unwrap().replacen(
            "+++\n\n",
            "aliases = [\"/en/news/old-beta/\"]\n+++\n\n",
            1,
        );
        fs::write(&beta, text).unwrap();
        let b = bucket("aliases");
        let expected = site.build();
        assert!(expected.contains_key("en/news/old-beta/index.html"));
        publish_to(&site, target(&b, &endpoint()), |_| {});
        assert_eq!(bucket_site(&b), expected);
        let alias = raw_head(&b, "en/news/old-beta/index.html");
        assert!(alias.starts_with("http/1.1 200"), "{alias}");
        assert!(
            alias.contains("x-amz-website-redirect-location: /en/news/beta/\r\n"),
            "{alias}"
        );
        // Other objects carry none.
        let page = raw_head(&b, "en/news/beta/index.html");
        assert!(page.starts_with("http/1.1 200"), "{page}");
        assert!(!page.contains("x-amz-website-redirect-location"), "{page}");
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_keeps_removed_pages_unless_told_to_delete_and_limits_deletes() {
        let site = Site::new();
        let b = bucket("delete");
        publish_to(&site, target(&b, &endpoint()), |_| {});
        let before = site.build();
        site.remove_story("gamma");
        let after = site.build();
        let (_, gone) = diff(&before, &after);

        let kept = publish_to(&site, target(&b, &endpoint()), |_| {});
        assert!(kept.deleted.is_empty());
        let objects = bucket_site(&b);
        for p in &gone {
            assert_eq!(
                objects.get(p),
                before.get(p),
                "{p} should stay without --delete"
            );
        }

        let err = try_publish(&site, target(&b, &endpoint()), |o| {
            o.delete = true;
            o.max_deletes = 1;
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("--yes"), "{err:#}");
        assert_eq!(
            bucket_site(&b),
            objects,
            "a refused --delete changes nothing"
        );

        let removed = publish_to(&site, target(&b, &endpoint()), |o| o.delete = true);
        assert_eq!(deleted(&removed), gone);
        assert_eq!(bucket_site(&b), after);
        let again = publish_to(&site, target(&b, &endpoint()), |o| o.delete = true);
        assert!(again.uploaded.is_empty() && again.deleted.is_empty());
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_uploads_assets_then_html_then_feeds_and_deletes_last() {
        use batmi::publish::plan::{Kind, kind};
        let site = Site::new();
        let b = bucket("order");
        publish_to(&site, target(&b, &endpoint()), |_| {});
        site.edit_summary("alpha", "Alpha in order");
        site.remove_story("gamma");
        fs::create_dir_all(site.root().join("static")).unwrap();
        fs::write(site.root().join("static/extra.css"), "p { color: red }").unwrap();
        let out = batmi(&[
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            &format!("s3://{b}/site"),
            "--endpoint",
            &endpoint(),
            "--delete",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        // 0: asset, 1: HTML, 2: feed or sitemap, 3: deletion.
        let steps: Vec<u8> = stdout
            .lines()
            .filter_map(|l| {
                if let Some(rest) = l.strip_prefix("uploaded ") {
                    let path = rest.rsplit_once(" (").unwrap().0;
                    Some(match kind(path) {
                        Kind::Asset => 0,
                        Kind::Html => 1,
                        Kind::Feed => 2,
                    })
                } else {
                    l.strip_prefix("deleted ").map(|_| 3)
                }
            })
            .collect();
        for step in 0..4 {
            assert!(steps.contains(&step), "no step {step} in {stdout}");
        }
        assert!(steps.is_sorted(), "{stdout}");
        assert_eq!(bucket_site(&b), site.build());
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_dry_run_prints_the_plan_and_changes_nothing() {
        let site = Site::new();
        let b = bucket("dryrun");
        publish_to(&site, target(&b, &endpoint()), |_| {});
        let before = site.build();
        site.edit_summary("alpha", "Alpha once more");
        site.remove_story("beta");
        let after = site.build();
        let (changed, gone) = diff(&before, &after);
        let objects = bucket_tree(&b);
        let tags = etags(&b);

        let out = batmi(&[
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            &format!("s3://{b}/site"),
            "--endpoint",
            &endpoint(),
            "--dry-run",
            "--delete",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (up, del) = dry_run_lines(&text(&out.stdout));
        assert_eq!(up, changed);
        assert_eq!(del, gone);
        assert_eq!(bucket_tree(&b), objects);
        assert_eq!(etags(&b), tags);
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_lost_manifest_is_rebuilt_from_object_metadata_without_uploading() {
        let site = Site::new();
        let b = bucket("manifest");
        publish_to(&site, target(&b, &endpoint()), |_| {});
        let s = store(&b);
        block(s.delete(&Key::from("site/.batmi-manifest.json"))).unwrap();
        let again = publish_to(&site, target(&b, &endpoint()), |_| {});
        assert!(again.uploaded.is_empty(), "{:?}", again.uploaded);
        assert!(bucket_tree(&b).contains_key(".batmi-manifest.json"));

        // An object changed behind batmi's back (new ETag) is uploaded again.
        block(s.put(&Key::from("site/index.html"), b"tampered".to_vec().into())).unwrap();
        let fixed = publish_to(&site, target(&b, &endpoint()), |_| {});
        assert_eq!(uploaded(&fixed), BTreeSet::from(["index.html".to_string()]));
        assert_eq!(bucket_site(&b), site.build());
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_missing_bucket_is_a_clear_error() {
        let site = Site::new();
        let out = batmi(&[
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            "s3://no-such-bucket-here/site",
            "--endpoint",
            &endpoint(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(err.contains("does not exist"), "{err}");
    }

    /// A TCP relay on 127.0.0.1 in front of moto that can be "switched off": it then cuts every
    /// open connection and drops new ones, as a server that goes away does. It switches itself
    /// off when the client starts its `cut_at`-th PUT request.
    struct Relay {
        port: u16,
        up: Arc<AtomicBool>,
        puts: Arc<AtomicUsize>,
        cut_at: Arc<AtomicUsize>,
        open: Arc<Mutex<Vec<TcpStream>>>,
    }

    impl Relay {
        fn start(upstream: u16) -> Relay {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let relay = Relay {
                port: listener.local_addr().unwrap().port(),
                up: Arc::new(AtomicBool::new(true)),
                puts: Arc::new(AtomicUsize::new(0)),
                cut_at: Arc::new(AtomicUsize::new(usize::MAX)),
                open: Arc::new(Mutex::new(Vec::new())),
            };
            let (up, puts, cut_at, open) = (
                relay.up.clone(),
                relay.puts.clone(),
                relay.cut_at.clone(),
                relay.open.clone(),
            );
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    let Ok(client) = client else { continue };
                    if !up.load(Ordering::SeqCst) {
                        client.shutdown(Shutdown::Both).ok();
                        continue;
                    }
                    let server = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                    open.lock()
                        .unwrap()
                        .extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                    std::thread::spawn(move || pump_back(s2, c2));
                    let (up, puts, cut_at, open) =
                        (up.clone(), puts.clone(), cut_at.clone(), open.clone());
                    std::thread::spawn(move || {
                        let (mut from, mut to) = (client, server);
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            let chunk = &buf[..n];
                            let starts = chunk.windows(5).filter(|w| w == b"PUT /").count();
                            if starts > 0 {
                                let seen = puts.fetch_add(starts, Ordering::SeqCst) + starts;
                                if seen >= cut_at.load(Ordering::SeqCst) {
                                    up.store(false, Ordering::SeqCst);
                                    for s in open.lock().unwrap().drain(..) {
                                        s.shutdown(Shutdown::Both).ok();
                                    }
                                    break;
                                }
                            }
                            if !up.load(Ordering::SeqCst) || to.write_all(chunk).is_err() {
                                break;
                            }
                        }
                        from.shutdown(Shutdown::Both).ok();
                        to.shutdown(Shutdown::Both).ok();
                    });
                }
            });
            relay
        }

        fn endpoint(&self) -> String {
            format!("http://127.0.0.1:{}", self.port)
        }

        fn restart(&self) {
            self.cut_at.store(usize::MAX, Ordering::SeqCst);
            self.up.store(true, Ordering::SeqCst);
        }
    }

    fn pump_back(mut from: TcpStream, mut to: TcpStream) {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        to.shutdown(Shutdown::Both).ok();
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_server_gone_mid_publish_fails_clearly_and_a_rerun_finishes() {
        let site = Site::new();
        let b = bucket("fault");
        let relay = Relay::start(port_of(&endpoint()));
        let expected = site.build();
        let total = expected.len();
        relay.cut_at.store(12, Ordering::SeqCst);

        let args = |ep: String| {
            vec![
                "publish".to_string(),
                "--root".into(),
                site.root().to_string_lossy().into_owned(),
                "--to".into(),
                format!("s3://{b}/site"),
                "--endpoint".into(),
                ep,
            ]
        };
        let run = |ep: String| {
            Command::new(env!("CARGO_BIN_EXE_batmi"))
                .args(args(ep))
                .output()
                .unwrap()
        };
        let started = std::time::Instant::now();
        let out = run(relay.endpoint());
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        assert!(started.elapsed().as_secs() < 60, "gave up too slowly");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("publishing to s3://{b}/site stopped after")),
            "{err}"
        );
        assert!(
            err.contains("could not be reached or dropped the connection"),
            "{err}"
        );
        assert!(err.contains("run the same batmi publish again"), "{err}");

        let there = bucket_site(&b);
        assert!(
            !there.is_empty() && there.len() < total,
            "{} of {total}",
            there.len()
        );
        for (p, bytes) in &there {
            assert_eq!(
                Some(bytes),
                expected.get(p),
                "{p} is whole, not half-written"
            );
        }

        relay.restart();
        let out = run(relay.endpoint());
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let summary = stdout.lines().last().unwrap();
        // What made it before the cut is recognised by its hash metadata, not sent again.
        let rest = total - there.len();
        assert!(
            summary.contains(&format!("uploaded {rest} files")),
            "{summary}"
        );
        assert_eq!(bucket_site(&b), expected);

        let out = run(relay.endpoint());
        assert!(out.status.success());
        assert!(
            text(&out.stdout).contains("uploaded 0 files"),
            "{}",
            text(&out.stdout)
        );
    }

    /// A moto server of the test's own, to be stopped and started again.
    struct Moto {
        child: std::process::Child,
    }

    impl Moto {
        fn start(port: u16) -> Moto {
            let program = std::env::var("BATMI_TEST_MOTO_SERVER")
                .expect("BATMI_TEST_MOTO_SERVER: run these tests with tests/e2e/publish_s3.sh");
            let child = Command::new(program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let moto = Moto { child };
            for _ in 0..300 {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return moto;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            panic!("moto_server did not start on port {port}");
        }
    }

    impl Drop for Moto {
        fn drop(&mut self) {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }

    #[test]
    #[ignore = "needs a moto S3 server: tests/e2e/publish_s3.sh"]
    fn s3_server_killed_mid_publish_fails_clearly_and_a_rerun_after_restart_finishes() {
        use std::io::BufRead;
        let site = Site::new();
        let expected = site.build();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let ep = format!("http://127.0.0.1:{port}");
        let b = format!("killed-{}", std::process::id());
        let moto = Moto::start(port);
        create_bucket(port, &b);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_batmi"));
        cmd.args([
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            &format!("s3://{b}/site"),
            "--endpoint",
            &ep,
        ]);

        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut uploads = 0;
        let mut moto = Some(moto);
        for line in stdout.lines() {
            if line.unwrap().starts_with("uploaded ") {
                uploads += 1;
                if uploads == 5 {
                    drop(moto.take()); // the server process is killed here
                }
            }
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(uploads < expected.len(), "{uploads} uploads");
        let err = text(&out.stderr);
        assert!(err.contains("stopped after"), "{err}");
        assert!(
            err.contains("could not be reached or dropped the connection"),
            "{err}"
        );
        assert!(err.contains("run the same batmi publish again"), "{err}");

        // moto keeps objects in memory: the restarted server is empty but for its bucket.
        let _moto = Moto::start(port);
        create_bucket(port, &b);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut there = bucket_tree_at(&ep, &b);
        assert!(there.remove(".batmi-manifest.json").is_some());
        assert_eq!(there, expected);
    }
}

/// `batmi publish --to SPEC` on `site`, from the site's folder.
fn publish_cli(site: &Site, spec: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args([
            "publish",
            "--root",
            site.root().to_str().unwrap(),
            "--to",
            spec,
        ])
        .current_dir(site.root())
        .output()
        .unwrap()
}

#[test]
fn git_remote_or_branch_that_git_would_read_as_an_option_is_refused_and_nothing_runs() {
    let site = Site::new();
    let marker = site.tmp.join("ran");
    let m = marker.to_str().unwrap();
    let remote = bare_remote(&site.tmp);
    let r = remote.to_str().unwrap();
    let hostile = [
        format!("git:--upload-pack=touch {m}#gh-pages"),
        format!("git:-oProxyCommand=touch {m}#gh-pages"),
        format!("git:ext::sh -c touch% {m}#gh-pages"),
        format!("git:{r}#--upload-pack=touch {m}"),
        format!("git:{r}#-x"),
        format!("git:{r}#a..b"),
    ];
    for spec in &hostile {
        let out = publish_cli(&site, spec);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{spec}: {err}");
        assert!(
            err.contains("option") || err.contains("runs commands") || err.contains("branch name"),
            "{spec}: {err}"
        );
        assert!(!marker.exists(), "{spec} ran a command");
    }
    // Nothing reached the remote.
    assert_eq!(git(&remote, &["branch", "--list", "gh-pages"]), "");
}

#[test]
fn a_remote_named_in_the_sites_repository_is_checked_too() {
    let site = Site::new();
    let marker = site.tmp.join("ran");
    git(&site.root(), &["init", "-q"]);
    git(
        &site.root(),
        &[
            "config",
            "remote.pages.url",
            &format!("--upload-pack=touch {}", marker.display()),
        ],
    );
    let out = publish_cli(&site, "git:pages#gh-pages");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("option"), "{err}");
    assert!(!marker.exists(), "a command ran");
}

#[test]
fn publish_temporary_folders_are_fresh_private_ones() {
    // A folder planted under the predictable name of earlier versions is never used.
    let site = Site::new();
    let planted = std::env::temp_dir().join(format!("batmi-publish-build-{}", std::process::id()));
    fs::create_dir_all(planted.join("site")).unwrap();
    fs::write(planted.join("site/planted.html"), "x").unwrap();
    let dest = site.tmp.join("www");
    publish_to(&site, Target::Dir(dest.clone()), |_| {});
    assert!(!dest.join("planted.html").exists());
    assert!(dest.join("index.html").exists());
    fs::remove_dir_all(planted).ok();
}
