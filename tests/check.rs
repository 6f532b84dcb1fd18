//! `batmi check` on small fixture sites, through the real binary: each kind of problem is
//! reported with its file and line, and the exit code follows the errors.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const CONFIG: &str = r#"base_url = "https://news.test"
title = "Test"
default_language = "mr"
utc_offset = "+05:30"

[languages.mr]
name = "मराठी"

[languages.en]
name = "English"

[tags."Local"]
slug = "local"
names = { mr = "स्थानिक", en = "Local" }
"#;

/// A fixture site in its own folder under the target dir: config, a good story pair with
/// headings, an about pair and one static image.
struct Site {
    root: PathBuf,
}

impl Site {
    fn new(name: &str) -> Site {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("check")
            .join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        let site = Site { root };
        site.file("config.toml", CONFIG);
        site.file(
            "content/news/good.mr.md",
            "+++\ntitle = \"चांगली बातमी\"\ndate = 2025-08-01T10:00:00+05:30\ntags = [\"Local\"]\nsummary = \"सारांश\"\n+++\n\nपहिला परिच्छेद.\n\n## पुढचा भाग\n\nमजकूर.\n",
        );
        site.file(
            "content/news/good.en.md",
            "+++\ntitle = \"Good story\"\ndate = 2025-08-01T10:00:00+05:30\ntags = [\"Local\"]\nsummary = \"Summary\"\n+++\n\nFirst paragraph.\n\n## The next part\n\nText.\n",
        );
        site.file(
            "content/pages/about.mr.md",
            "+++\ntitle = \"आमच्याविषयी\"\n+++\n\nआम्ही.\n",
        );
        site.file(
            "content/pages/about.en.md",
            "+++\ntitle = \"About\"\n+++\n\nUs.\n",
        );
        site.file_bytes("static/images/photo.png", &tiny_png());
        site
    }

    fn file(&self, rel: &str, text: &str) -> &Site {
        self.file_bytes(rel, text.as_bytes())
    }

    fn file_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// A story pair whose Marathi body is `mr_body` (front matter written for it).
    fn story(&self, stem: &str, mr_body: &str) -> &Site {
        self.file(
            &format!("content/news/{stem}.mr.md"),
            &format!(
                "+++\ntitle = \"बातमी\"\ndate = 2025-08-02T10:00:00+05:30\nsummary = \"सारांश\"\n+++\n\n{mr_body}"
            ),
        )
        .file(
            &format!("content/news/{stem}.en.md"),
            "+++\ntitle = \"Story\"\ndate = 2025-08-02T10:00:00+05:30\nsummary = \"Summary\"\n+++\n\nText.\n",
        )
    }

    fn check(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
            .arg("check")
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .output()
            .unwrap();
        Run::from(out)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts that the report has a line starting with `prefix` and containing `words`.
    fn has(&self, prefix: &str, words: &str) -> &Run {
        let found = self
            .stdout
            .lines()
            .any(|l| l.starts_with(prefix) && l.contains(words));
        assert!(
            found,
            "no line starting with {prefix:?} and containing {words:?} in:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn exit(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn no_line_with(&self, words: &str) -> &Run {
        assert!(
            !self.stdout.contains(words),
            "unexpected {words:?} in:\n{}",
            self.stdout
        );
        self
    }
}

#[test]
fn a_clean_site_passes_with_no_problems() {
    let site = Site::new("clean");
    let run = site.check(&[]);
    run.exit(0);
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
}

#[test]
fn broken_internal_link_is_an_error_with_line() {
    let site = Site::new("broken-link");
    site.story("s", "Intro.\n\nSee [this](/news/no-such-story/) now.\n");
    site.check(&[]).exit(1).has(
        "content/news/s.mr.md:9:5: error:",
        "the link /news/no-such-story/ points to no page",
    );
}

#[test]
fn link_to_the_other_language_url_of_a_missing_slug_suggests_the_right_one() {
    let site = Site::new("wrong-lang");
    site.story(
        "s",
        "See [this](/news/good/extra/).\n\nAnd [that](/good/).\n",
    );
    site.check(&[])
        .exit(1)
        .has("content/news/s.mr.md:7:5: error:", "/news/good/extra/")
        .has("content/news/s.mr.md:9:5: error:", "/good/");
    assert!(
        site.check(&[]).stdout.contains("did you mean /news/good/?"),
        "a slug that exists elsewhere is suggested"
    );
}

#[test]
fn broken_source_path_link_is_an_error_with_line() {
    let site = Site::new("broken-source-link");
    site.story("s", "Read [more](@/news/nothing-here.md).\n");
    site.check(&[]).exit(1).has(
        "content/news/s.mr.md:7:6: error:",
        "@/news/nothing-here.md points to no page",
    );
}

#[test]
fn links_to_every_kind_of_site_page_are_accepted() {
    let site = Site::new("all-kinds");
    site.story(
        "s",
        "[a](/news/good/) [b](/en/news/good/) [c](@/news/good.md) [d](@/news/good.en.md)\n\
         [e](/tags/local/) [f](/en/tags/) [g](/about/) [h](/en/about/) [i](/search/)\n\
         [j](/atom.xml) [k](/en/tags/local/atom.xml) [l](/images/photo.png) [m](/style.css)\n\
         [n](/news/) [o](/) [p](/en/) [q](../good/) [r](https://news.test/en/news/good/)\n\
         [s](/news/good) [t](/sitemap.xml) [u](mailto:desk@news.test) [v](/news/good/index.html)\n",
    );
    let run = site.check(&[]);
    run.exit(0).no_line_with("error");
}

#[test]
fn broken_anchor_on_another_page_is_an_error_with_line() {
    let site = Site::new("anchor-other");
    site.story(
        "s",
        "[ok](/en/news/good/#the-next-part) and\n[bad](/en/news/good/#no-such-part).\n",
    );
    let run = site.check(&[]);
    run.exit(1).has(
        "content/news/s.mr.md:8:1: error:",
        "the anchor #no-such-part is not on the page /en/news/good/",
    );
    assert!(
        run.stdout.contains("#the-next-part"),
        "the help lists the anchors"
    );
    run.no_line_with("content/news/s.mr.md:7:");
}

#[test]
fn broken_anchor_on_the_same_page_is_an_error_with_line() {
    let site = Site::new("anchor-same");
    site.story(
        "s",
        "## पहिला भाग\n\n[ok](#पहिला-भाग) [ok encoded](#%E0%A4%AA%E0%A4%B9%E0%A4%BF%E0%A4%B2%E0%A4%BE-%E0%A4%AD%E0%A4%BE%E0%A4%97) [bad](#दुसरा-भाग)\n",
    );
    site.check(&[]).exit(1).has(
        "content/news/s.mr.md:9:",
        "the anchor #दुसरा-भाग is not on this page",
    );
}

#[test]
fn anchor_of_a_source_path_link_is_checked() {
    let site = Site::new("anchor-source");
    site.story(
        "s",
        "[ok](@/news/good.md#पुढचा-भाग)\n\n[bad](@/news/good.md#the-next-part)\n",
    );
    // In Marathi, @/news/good.md is the Marathi page, whose heading is in Marathi.
    site.check(&[])
        .exit(1)
        .has(
            "content/news/s.mr.md:9:1: error:",
            "the anchor #the-next-part is not on the page /news/good/",
        )
        .no_line_with("content/news/s.mr.md:7:");
}

#[test]
fn missing_body_image_is_an_error_with_line() {
    let site = Site::new("missing-image");
    site.story(
        "s",
        "Intro.\n\n![फोटो](/images/photo.png)\n\n![नसलेला फोटो](/images/nothing.png)\n",
    );
    site.check(&[])
        .exit(1)
        .has(
            "content/news/s.mr.md:11:1: error:",
            "the image /images/nothing.png does not exist",
        )
        .no_line_with("photo.png does not exist");
}

#[test]
fn missing_front_matter_image_is_an_error_at_its_key() {
    let site = Site::new("missing-fm-image");
    site.file(
        "content/news/s.mr.md",
        "+++\ntitle = \"बातमी\"\ndate = 2025-08-02T10:00:00+05:30\nimage = \"images/gone.jpg\"\nimage_alt = \"फोटो\"\n+++\n\nText.\n",
    )
    .file(
        "content/news/s.en.md",
        "+++\ntitle = \"Story\"\ndate = 2025-08-02T10:00:00+05:30\nimage = \"/images/photo.png\"\nimage_alt = \"A photo\"\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(1)
        .has(
            "content/news/s.mr.md:4:1: error:",
            "the image images/gone.jpg does not exist",
        )
        .no_line_with("content/news/s.en.md");
}

/// A real 8×8 PNG: images are measured when the site is loaded.
fn tiny_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 80, 40]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn image_without_alt_text_is_an_error() {
    let site = Site::new("no-alt");
    site.story("s", "Intro.\n\n![](/images/photo.png)\n");
    site.file(
        "content/news/t.mr.md",
        "+++\ntitle = \"बातमी\"\ndate = 2025-08-02T10:00:00+05:30\nimage = \"/images/photo.png\"\n+++\n\nText.\n",
    )
    .file(
        "content/news/t.en.md",
        "+++\ntitle = \"Story\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(1)
        .has(
            "content/news/s.mr.md:9:1: error:",
            "the image /images/photo.png has no alt text",
        )
        .has(
            "content/news/t.mr.md:4:1: error:",
            "the story's image has no alt text",
        );
}

#[test]
fn story_without_translation_is_a_warning() {
    let site = Site::new("no-translation");
    site.file(
        "content/news/alone.mr.md",
        "+++\ntitle = \"एकटी\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/only-english.en.md",
        "+++\ntitle = \"Only English\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(0)
        .has(
            "content/news/alone.mr.md: warning:",
            "this story has no en translation",
        )
        .has("content/news/only-english.en.md: warning:", "no mr version");
}

#[test]
fn outdated_translation_is_a_warning_with_line() {
    let site = Site::new("outdated");
    site.file(
        "content/news/fix.mr.md",
        "+++\ntitle = \"दुरुस्ती\"\ndate = 2025-08-02T10:00:00+05:30\nupdated = 2025-08-04T18:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/fix.en.md",
        "+++\ntitle = \"Fix\"\ndate = 2025-08-02T10:00:00+05:30\nsummary = \"s\"\nupdated = 2025-08-03T10:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/fresh.mr.md",
        "+++\ntitle = \"ताजी\"\ndate = 2025-08-02T10:00:00+05:30\nupdated = 2025-08-04T18:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/fresh.en.md",
        "+++\ntitle = \"Fresh\"\ndate = 2025-08-02T10:00:00+05:30\nupdated = 2025-08-05T09:00:00+05:30\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(0)
        .has(
            "content/news/fix.en.md:5:1: warning:",
            "this translation may be out of date",
        )
        .no_line_with("content/news/fresh.en.md");
}

#[test]
fn tag_without_display_name_is_a_warning() {
    let site = Site::new("tag-name");
    site.file(
        "content/news/t.mr.md",
        "+++\ntitle = \"टॅग\"\ndate = 2025-08-02T10:00:00+05:30\ntags = [\"Weather\"]\n+++\n\nText.\n",
    )
    .file(
        "content/news/t.en.md",
        "+++\ntitle = \"Tag\"\ndate = 2025-08-02T10:00:00+05:30\ntags = [\"Weather\"]\n+++\n\nText.\n",
    );
    site.check(&[]).exit(0).has(
        "config.toml: warning:",
        "tag \"Weather\" has no display name in mr",
    );
}

#[test]
fn long_summary_is_a_warning_with_line() {
    let site = Site::new("long-summary");
    let long = "शब्द ".repeat(40);
    site.file(
        "content/news/long.mr.md",
        &format!(
            "+++\ntitle = \"लांब\"\ndate = 2025-08-02T10:00:00+05:30\nsummary = \"{long}\"\n+++\n\nText.\n"
        ),
    )
    .file(
        "content/news/long.en.md",
        &format!(
            "+++\ntitle = \"Long\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\n{}\n",
            "word ".repeat(60)
        ),
    );
    site.check(&[])
        .exit(0)
        .has(
            "content/news/long.mr.md:4:1: warning:",
            "the summary is 200 characters long",
        )
        // No summary key: the first paragraph is the summary, reported where the body starts.
        .has("content/news/long.en.md:5:1: warning:", "the summary is");
}

#[test]
fn future_story_is_reported_as_scheduled() {
    let site = Site::new("future");
    site.file(
        "content/news/later.mr.md",
        "+++\ntitle = \"नंतर\"\nsummary = \"s\"\ndate = 2099-01-01T09:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/later.en.md",
        "+++\ntitle = \"Later\"\ndate = 2099-01-01T09:00:00+05:30\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(0)
        .has(
            "content/news/later.mr.md:4:1: warning:",
            "scheduled: this story is dated 2099-01-01 09:00 (+05:30), in the future",
        )
        .has("content/news/later.en.md:3:1: warning:", "scheduled");
}

#[test]
fn errors_that_stop_loading_are_reported_the_same_way() {
    let site = Site::new("front-matter-error");
    site.file(
        "content/news/broken.mr.md",
        "+++\ntitle = \"तुटलेली\"\ndate = 2025-08-02T10:00:00+05:30\ntags = [\"Local\"\n+++\n\nText.\n",
    )
    .file(
        "content/news/nodate.en.md",
        "+++\ntitle = \"No date\"\n+++\n\nText.\n",
    );
    site.check(&[])
        .exit(1)
        .has("content/news/broken.mr.md:4:16: error:", "unclosed array")
        .has("content/news/nodate.en.md:2:1: error:", "no date");
}

#[test]
fn template_errors_are_reported() {
    let site = Site::new("template-error");
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_field }}{% endblock %}",
    );
    let run = site.check(&[]);
    run.exit(1).has("templates/page.html", "error");
}

#[test]
fn template_link_to_a_missing_file_is_an_error_at_the_template_line() {
    let site = Site::new("template-link");
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<article>\n  <h1>{{ page.title }}</h1>\n  <img src=\"/images/logo.svg\" alt=\"\">\n  <a href=\"/news/#no-such-id\">x</a>\n{{ page.content | safe }}\n</article>\n{% endblock main %}\n",
    );
    let run = site.check(&[]);
    run.exit(1).has(
        "templates/page.html:5:13: error:",
        "the link /images/logo.svg leads to no file of the site (on /about/ and 1 other page)",
    );
    run.has(
        "templates/page.html:6:12: error:",
        "the link /news/#no-such-id leads to no file",
    );
}

#[test]
fn drafts_are_checked_only_with_the_drafts_flag() {
    let site = Site::new("drafts");
    site.file(
        "content/news/wip.mr.md",
        "+++\ntitle = \"मसुदा\"\ndate = 2025-08-02T10:00:00+05:30\ndraft = true\n+++\n\n[bad](/news/nowhere/)\n",
    )
    .file(
        "content/news/wip.en.md",
        "+++\ntitle = \"Draft\"\ndate = 2025-08-02T10:00:00+05:30\ndraft = true\n+++\n\nText.\n",
    );
    site.check(&[]).exit(0);
    site.check(&["--drafts"])
        .exit(1)
        .has("content/news/wip.mr.md:7:1: error:", "/news/nowhere/");
}

#[test]
fn json_format_is_one_document_with_every_diagnostic() {
    let site = Site::new("json");
    // An image without alt text stops the load: that error alone is reported.
    site.story("s", "[bad](/news/nope/)\n\n![](/images/photo.png)\n");
    let run = site.check(&["--format", "json"]);
    run.exit(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let err = &v.as_array().expect("an array of diagnostics")[0];
    assert_eq!(err["severity"], "error");
    assert_eq!(err["path"], "content/news/s.mr.md");
    assert_eq!(
        (err["line"].clone(), err["column"].clone()),
        (9.into(), 1.into())
    );
    assert!(err["message"].as_str().unwrap().contains("no alt text"));
    assert!(err["help"].is_string());
    // With alt text the site loads, and the broken link is found.
    site.story("s", "[bad](/news/nope/)\n\n![एक फोटो](/images/photo.png)\n");
    let run = site.check(&["--format", "json"]);
    run.exit(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let list = v.as_array().expect("an array of diagnostics");
    let err = list
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(
        (err["line"].clone(), err["column"].clone()),
        (7.into(), 1.into())
    );
    assert!(err["message"].as_str().unwrap().contains("/news/nope/"));
}

#[test]
fn translation_table_shows_each_language_status() {
    let site = Site::new("table");
    site.file(
        "content/news/fix.mr.md",
        "+++\ntitle = \"दुरुस्ती\"\ndate = 2025-08-02T10:00:00+05:30\nupdated = 2025-08-04T18:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/fix.en.md",
        "+++\ntitle = \"Fix\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/alone.mr.md",
        "+++\ntitle = \"एकटी\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    )
    .file(
        "content/news/wip.mr.md",
        "+++\ntitle = \"मसुदा\"\ndate = 2025-08-02T10:00:00+05:30\ndraft = true\n+++\n\nText.\n",
    )
    .file(
        "content/news/wip.en.md",
        "+++\ntitle = \"Draft\"\ndate = 2025-08-02T10:00:00+05:30\n+++\n\nText.\n",
    );
    let run = site.check(&["--translations"]);
    run.exit(0);
    let row = |stem: &str| -> Vec<String> {
        run.stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(stem))
            .unwrap_or_else(|| panic!("no row for {stem} in:\n{}", run.stdout))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    assert_eq!(
        run.stdout
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["story", "mr", "en"]
    );
    assert_eq!(row("good"), ["good", "ok", "ok"]);
    assert_eq!(row("fix"), ["fix", "ok", "outdated"]);
    assert_eq!(row("alone"), ["alone", "ok", "missing"]);
    assert_eq!(row("wip"), ["wip", "draft", "ok"]);

    let json = site.check(&["--translations", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let fix = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stem"] == "fix")
        .unwrap();
    assert_eq!(fix["languages"][1]["lang"], "en");
    assert_eq!(fix["languages"][1]["status"], "outdated");
}

#[test]
fn the_default_site_passes_check_with_no_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    let run = Run::from(out);
    run.exit(0);
    assert!(!run.stdout.contains(": error:"), "{}", run.stdout);
}

/// A local HTTP server: 200 for /ok, 404 for everything else, each answer after `delay`;
/// /hang never answers. Counts the most requests it handled at once.
struct Server {
    port: u16,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start(delay: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let most_at_once = most.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (now, most) = (now.clone(), most.clone());
                std::thread::spawn(move || serve(stream, delay, &now, &most));
            }
        });
        Server { port, most_at_once }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(mut stream: TcpStream, delay: Duration, now: &AtomicUsize, most: &AtomicUsize) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    if path == "/hang" {
        std::thread::sleep(Duration::from_secs(30));
        return;
    }
    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
    most.fetch_max(n, Ordering::SeqCst);
    std::thread::sleep(delay);
    now.fetch_sub(1, Ordering::SeqCst);
    let (status, body) = if path.starts_with("/ok") {
        ("200 OK", "fine")
    } else {
        ("404 Not Found", "gone")
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

#[test]
fn external_links_are_checked_against_a_local_server() {
    let server = Server::start(Duration::ZERO);
    let site = Site::new("external");
    site.story(
        "s",
        &format!(
            "[fine]({})\n\n[gone]({})\n",
            server.url("/ok"),
            server.url("/missing")
        ),
    );
    // Without --external nothing is requested.
    site.check(&[]).exit(0);
    site.check(&["--external"])
        .exit(1)
        .has(
            "content/news/s.mr.md:9:1: error:",
            &format!(
                "the external link {} is gone (HTTP 404)",
                server.url("/missing")
            ),
        )
        .no_line_with("/ok");
}

#[test]
fn external_requests_are_concurrent_but_limited_per_host() {
    let server = Server::start(Duration::from_millis(300));
    let site = Site::new("external-per-host");
    let links: String = (0..6)
        .map(|i| format!("[{i}]({})\n\n", server.url(&format!("/ok/{i}"))))
        .collect();
    site.story("s", &links);
    site.check(&["--external"]).exit(0);
    assert_eq!(
        server.most_at_once.load(Ordering::SeqCst),
        2,
        "two requests at a time to one host"
    );
}

#[test]
fn external_link_that_never_answers_is_a_warning_after_the_timeout() {
    let server = Server::start(Duration::ZERO);
    let site = Site::new("external-timeout");
    site.story("s", &format!("[slow]({})\n", server.url("/hang")));
    let start = std::time::Instant::now();
    site.check(&["--external", "--timeout", "1"])
        .exit(0)
        .has("content/news/s.mr.md:7:1: warning:", "could not be reached");
    assert!(start.elapsed() < Duration::from_secs(20));
}
