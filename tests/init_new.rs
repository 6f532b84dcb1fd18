//! `batmi init` and `batmi new` through the real binary: a new site builds and passes
//! `batmi check`; nothing of the user's is ever overwritten.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, Utc};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("init_new")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

struct Run {
    ok: bool,
    code: i32,
    stdout: String,
    stderr: String,
}

fn batmi(args: &[&str], root: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(args)
        .arg(root)
        .output()
        .unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn init(name: &str) -> PathBuf {
    let dir = scratch(name);
    let run = batmi(&["init"], &dir);
    assert!(run.ok, "init failed: {}\n{}", run.stdout, run.stderr);
    dir
}

#[test]
fn init_creates_a_site_that_builds_and_passes_check() {
    let dir = init("fresh");
    for f in [
        "config.toml",
        "content/news/welcome.mr.md",
        "content/news/welcome.en.md",
        "content/pages/about.mr.md",
        "content/pages/about.en.md",
        "templates/base.html",
        "templates/article.html",
        "static/style.css",
    ] {
        assert!(dir.join(f).is_file(), "{f} was not written");
    }
    let check = batmi(&["check", "--root"], &dir);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("no problems found"),
        "a new site has not even warnings:\n{}",
        check.stdout
    );
    let build = batmi(&["build", "--root"], &dir);
    assert!(build.ok, "{}\n{}", build.stdout, build.stderr);
    let public = dir.join("public");
    for f in [
        "index.html",
        "en/index.html",
        "news/welcome/index.html",
        "en/news/welcome/index.html",
        "about/index.html",
        "en/about/index.html",
        "style.css",
        "atom.xml",
    ] {
        assert!(public.join(f).is_file(), "public/{f} was not built");
    }
    let en = std::fs::read_to_string(public.join("en/news/welcome/index.html")).unwrap();
    // The @/pages/about.md link became the English about page.
    assert!(en.contains("href=\"/en/about/\""), "{en}");
}

#[test]
fn init_writes_the_built_in_theme_so_it_can_be_edited() {
    let dir = init("theme");
    for (name, text) in batmi::templates::BUILTIN {
        let written = std::fs::read_to_string(dir.join("templates").join(name)).unwrap();
        assert_eq!(&written, text, "templates/{name}");
    }
    for (name, bytes) in batmi::output::write::BUILTIN_STATIC {
        let written = std::fs::read(dir.join("static").join(name)).unwrap();
        assert_eq!(&written, bytes, "static/{name}");
    }
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = scratch("not-empty");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let run = batmi(&["init"], &dir);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    assert!(!dir.join("config.toml").exists(), "nothing is written");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn init_accepts_an_existing_empty_folder() {
    let dir = scratch("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let run = batmi(&["init"], &dir);
    assert!(run.ok, "{}", run.stderr);
    assert!(dir.join("config.toml").is_file());
}

fn new_story(root: &Path, args: &[&str]) -> Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.push("--root");
    batmi(&all, root)
}

fn front_matter(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    let front = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("\n+++\n"))
        .map(|(f, _)| f)
        .unwrap_or_else(|| panic!("no front matter in {}", path.display()));
    toml::from_str(front).unwrap()
}

#[test]
fn new_creates_the_pair_as_drafts_dated_now_in_the_site_time_zone() {
    let dir = init("new-pair");
    let before = Utc::now();
    let run = new_story(&dir, &["city-rains", "--tags", "Newsroom,Weather"]);
    assert!(run.ok, "{}", run.stderr);
    let news = dir.join("content/news");
    for lang in ["mr", "en"] {
        let path = news.join(format!("city-rains.{lang}.md"));
        assert!(
            run.stdout.contains(&path.display().to_string()),
            "the path is printed: {}",
            run.stdout
        );
        let fm = front_matter(&path);
        assert_eq!(fm["draft"].as_bool(), Some(true));
        assert!(!fm["title"].as_str().unwrap().is_empty());
        let tags: Vec<&str> = fm["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags, ["Newsroom", "Weather"]);
        // An unquoted TOML offset date-time, in the site's +05:30.
        let date = fm["date"]
            .as_datetime()
            .expect("a TOML date-time")
            .to_string();
        let date: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&date).unwrap();
        assert_eq!(date.offset().local_minus_utc(), 5 * 3600 + 30 * 60);
        let age = Utc::now().signed_duration_since(date).num_seconds();
        assert!(
            (-1..=120).contains(&age) && date >= before - chrono::Duration::seconds(1),
            "dated now, not {date}"
        );
    }
    assert!(
        run.stderr.contains("\"Weather\" is not in config.toml"),
        "an unknown tag is pointed out: {}",
        run.stderr
    );
    // The drafts are valid: the site with drafts has no error.
    let check = batmi(&["check", "--drafts", "--root"], &dir);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let build = batmi(&["build", "--drafts", "--root"], &dir);
    assert!(build.ok, "{}", build.stderr);
    assert!(dir.join("public/en/news/city-rains/index.html").is_file());
}

#[test]
fn new_refuses_to_overwrite_an_existing_story() {
    let dir = init("new-exists");
    let news = dir.join("content/news");
    // Only the English half exists: the pair is refused all the same.
    std::fs::write(news.join("half.en.md"), "mine").unwrap();
    let run = new_story(&dir, &["half"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(run.stderr.contains("half.en.md"), "{}", run.stderr);
    assert!(!news.join("half.mr.md").exists(), "no half pair is written");
    assert_eq!(
        std::fs::read_to_string(news.join("half.en.md")).unwrap(),
        "mine"
    );

    let run = new_story(&dir, &["welcome"]);
    assert_eq!(run.code, 1, "the sample story is not overwritten");
    let welcome = std::fs::read_to_string(news.join("welcome.en.md")).unwrap();
    assert!(welcome.contains("Welcome to your new site"));
}

#[test]
fn new_rejects_a_stem_that_is_not_lowercase_words() {
    let dir = init("new-stem");
    for bad in [
        "City-Rains",
        "city rains",
        "city_rains",
        "मुंबई",
        "rains-",
        "a--b",
    ] {
        let run = new_story(&dir, &[bad]);
        assert_eq!(run.code, 1, "{bad} was accepted");
        assert!(run.stderr.contains("lowercase"), "{bad}: {}", run.stderr);
    }
    let files = std::fs::read_dir(dir.join("content/news")).unwrap().count();
    assert_eq!(files, 2, "only the sample pair is there");
}

#[test]
fn new_outside_a_site_names_the_missing_config() {
    let dir = scratch("no-site");
    std::fs::create_dir_all(&dir).unwrap();
    let run = new_story(&dir, &["story"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("config.toml"), "{}", run.stderr);
}
