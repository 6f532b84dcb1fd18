//! The newsroom's content model: sections, authors, corrections, aliases, scheduled and
//! expiring stories. Each part is built with the real binary; each bad input is exit 1 with
//! `path:line` and help, and leaves the previous output as it was.

mod common;

use std::process::{Command, Output};

use common::{CONFIG, Fixture, same_files};

const NEWSROOM: &str = r#"
[sections.tech]
order = 2
names = { mr = "तंत्रज्ञान", en = "Technology" }
[sections.state]
order = 1
names = { mr = "राज्य", en = "State" }

[authors.neha]
names = { mr = "नेहा पाटील", en = "Neha Patil" }
bio = { mr = "एआय उद्योगावर लिहितात.", en = "Writes on the AI industry." }
x = "@neha_news"
website = "https://neha.example.org"
[authors.suhas]
names = { mr = "सुहास देशपांडे", en = "Suhas Deshpande" }
"#;

/// A story with the newsroom's front matter; `more` goes before the closing `+++`.
fn story(title: &str, date: &str, more: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"Meta\"]\n{more}\n+++\n\nText of {title}.\n"
    )
}

fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("config.toml", &format!("{CONFIG}{NEWSROOM}"));
    for (lang, t) in [("mr", "सौदा"), ("en", "Deal")] {
        f.write(
            &format!("content/news/deal.{lang}.md"),
            &story(
                t,
                "2025-08-29T09:30:00+05:30",
                "section = \"tech\"\nauthors = [\"neha\", \"suhas\"]\naliases = [\"/news/old-deal/\"]\n\n[[corrections]]\ndate = 2025-08-30T10:00:00+05:30\ntext = \"An earlier version gave the wrong amount.\"\n\n[[corrections]]\ndate = 2025-09-02T08:00:00+05:30\ntext = \"The date of the deal is now right.\"",
            ),
        );
        f.write(
            &format!("content/news/exit.{lang}.md"),
            &story(
                t,
                "2025-08-28T09:30:00+05:30",
                "section = \"state\"\nauthors = [\"suhas\"]",
            ),
        );
    }
    // An alias under /en/ for the English version, so both languages have one.
    let en = f.root().join("content/news/deal.en.md");
    let text = std::fs::read_to_string(&en)
        .unwrap()
        .replace("/news/old-deal/", "/en/news/old-deal/");
    std::fs::write(en, text).unwrap();
    f
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Builds with the build clock at `epoch` (seconds), and extra arguments.
fn build_at(f: &Fixture, epoch: i64, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batmi"))
        .arg("build")
        .arg("--root")
        .arg(f.root())
        .args(extra)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .expect("run batmi")
}

/// JSON-LD objects of an HTML page, by `@type`.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").unwrap()]).unwrap())
        .collect()
}

fn of_type<'a>(ld: &'a [serde_json::Value], t: &str) -> &'a serde_json::Value {
    ld.iter()
        .find(|v| v["@type"] == t)
        .unwrap_or_else(|| panic!("no {t} in {ld:?}"))
}

#[test]
fn sections_have_pages_feeds_navigation_and_a_breadcrumb() {
    let f = site();
    f.build_ok();
    let tech = f.read("sections/tech/index.html");
    assert!(tech.contains("<h1 class=\"page-title\">तंत्रज्ञान"), "{tech}");
    assert!(tech.contains("href=\"/news/deal/\""));
    assert!(
        !tech.contains("href=\"/news/exit/\""),
        "a story of another section"
    );
    let feed = f.read("en/sections/tech/atom.xml");
    assert!(feed.contains("<title>Batmi — Technology</title>"), "{feed}");
    assert!(feed.contains("/en/news/deal/"));
    // The navigation lists the sections in their order: state (1) before tech (2).
    let home = f.read("index.html");
    let state = home
        .find("href=\"/sections/state/\"")
        .expect("state in nav");
    let tech_at = home.find("href=\"/sections/tech/\"").expect("tech in nav");
    assert!(state < tech_at);
    let page = f.read("en/news/deal/index.html");
    assert!(page.contains("<p class=\"kicker\"><a href=\"/en/sections/tech/\">Technology</a></p>"));
    let ld = json_ld(&page);
    assert_eq!(of_type(&ld, "NewsArticle")["articleSection"], "Technology");
    let crumbs = of_type(&ld, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(crumbs.len(), 3);
    for c in &crumbs {
        // Every breadcrumb URL is a page of the site.
        let url = c["item"].as_str().unwrap();
        let path = url.strip_prefix("https://news.test/").unwrap();
        assert!(f.public().join(path).join("index.html").is_file(), "{url}");
    }
    assert_eq!(crumbs[1]["item"], "https://news.test/en/sections/tech/");
}

#[test]
fn authors_have_pages_with_bio_and_feed_and_are_persons_in_json_ld() {
    let f = site();
    f.build_ok();
    let neha = f.read("authors/neha/index.html");
    assert!(
        neha.contains("नेहा पाटील") && neha.contains("एआय उद्योगावर लिहितात."),
        "{neha}"
    );
    assert!(neha.contains("href=\"/news/deal/\"") && !neha.contains("href=\"/news/exit/\""));
    let suhas = f.read("en/authors/suhas/index.html");
    assert!(suhas.contains("/en/news/deal/") && suhas.contains("/en/news/exit/"));
    assert!(
        f.read("en/authors/neha/atom.xml")
            .contains("<title>Batmi — Neha Patil</title>")
    );
    let page = f.read("en/news/deal/index.html");
    assert!(page.contains("<a href=\"/en/authors/neha/\">Neha Patil</a>, <a href=\"/en/authors/suhas/\">Suhas Deshpande</a>"), "byline");
    let ld = json_ld(&page);
    let authors = of_type(&ld, "NewsArticle")["author"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["url"], "https://news.test/en/authors/neha/");
    assert_eq!(
        authors[0]["sameAs"],
        serde_json::json!(["https://x.com/neha_news", "https://neha.example.org"])
    );
    assert!(authors[1].get("sameAs").is_none());
    // The feed names both writers.
    let feed = f.read("en/atom.xml");
    assert!(feed.contains("Neha Patil, Suhas Deshpande"), "{feed}");
}

#[test]
fn corrections_are_shown_and_the_newest_is_date_modified() {
    let f = site();
    f.build_ok();
    let page = f.read("en/news/deal/index.html");
    let box_at = page
        .find("<aside class=\"corrections\"")
        .expect("corrections box");
    let rest = &page[box_at..];
    assert!(rest.contains("An earlier version gave the wrong amount."));
    assert!(rest.contains("<time datetime=\"2025-09-02T08:00:00+05:30\">"));
    let ld = json_ld(&page);
    assert_eq!(
        of_type(&ld, "NewsArticle")["dateModified"],
        "2025-09-02T08:00:00+05:30"
    );
    assert!(page.contains(
        "<meta property=\"article:modified_time\" content=\"2025-09-02T08:00:00+05:30\">"
    ));
    let feed = f.read("en/atom.xml");
    assert!(
        feed.contains("<updated>2025-09-02T08:00:00+05:30</updated>"),
        "{feed}"
    );
}

#[test]
fn aliases_redirect_and_are_listed_for_the_host() {
    let f = site();
    f.build_ok();
    let old = f.read("news/old-deal/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=/news/deal/\">"),
        "{old}"
    );
    assert!(old.contains("<link rel=\"canonical\" href=\"https://news.test/news/deal/\">"));
    assert!(
        f.read("en/news/old-deal/index.html")
            .contains("url=/en/news/deal/")
    );
    let rules = f.read("_redirects");
    assert!(
        rules.contains("\n/news/old-deal/ /news/deal/ 301\n"),
        "{rules}"
    );
    assert!(
        rules.contains("\n/en/news/old-deal/ /en/news/deal/ 301\n"),
        "{rules}"
    );
}

/// Builds the good site, breaks it with `edit`, builds again: the error's text, after
/// checking exit 1 and the previous output unchanged.
fn refused(edit: impl FnOnce(&Fixture)) -> String {
    site().refused_after(edit)
}

fn replace_in(f: &Fixture, rel: &str, from: &str, to: &str) {
    let p = f.root().join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from} not in {rel}");
    std::fs::write(p, text.replace(from, to)).unwrap();
}

#[test]
fn an_unknown_section_is_an_error_at_its_line_with_the_known_ids() {
    let err = refused(|f| {
        replace_in(
            f,
            "content/news/exit.mr.md",
            "section = \"state\"",
            "section = \"sport\"",
        )
    });
    assert!(
        err.contains("content/news/exit.mr.md:5:1: error: unknown section \"sport\""),
        "{err}"
    );
    assert!(
        err.contains("help: use one of the section ids config.toml defines (state, tech)"),
        "{err}"
    );
}

#[test]
fn an_unknown_author_is_an_error_at_its_line() {
    let err = refused(|f| {
        replace_in(
            f,
            "content/news/exit.en.md",
            "[\"suhas\"]",
            "[\"suhas\", \"nobody\"]",
        )
    });
    assert!(
        err.contains("content/news/exit.en.md:6:1: error: unknown author \"nobody\""),
        "{err}"
    );
    assert!(err.contains("neha, suhas"), "{err}");
}

#[test]
fn a_bad_correction_date_is_an_error_at_the_correction_line() {
    let err = refused(|f| {
        replace_in(
            f,
            "content/news/deal.mr.md",
            "date = 2025-09-02T08:00:00+05:30",
            "date = \"2 September\"",
        )
    });
    // Line 14: the second [[corrections]] table's date, not the story's date on line 3.
    assert!(
        err.contains("content/news/deal.mr.md:14:1: error: invalid correction date"),
        "{err}"
    );
    assert!(err.contains("help: write the date as"), "{err}");
}

#[test]
fn an_alias_that_clashes_with_another_output_is_an_error_naming_both() {
    let err = refused(|f| {
        replace_in(
            f,
            "content/news/deal.mr.md",
            "/news/old-deal/",
            "/news/exit/",
        )
    });
    assert!(err.contains("content/news/deal.mr.md:7:1: error: two outputs would be written to /news/exit/index.html"), "{err}");
    assert!(
        err.contains("content/news/exit.mr.md"),
        "names the other side: {err}"
    );
    assert!(err.contains("alias"), "{err}");
}

#[test]
fn an_alias_that_is_not_a_site_path_is_an_error() {
    for bad in ["news/old/", "/news/../../x/", "/news/old"] {
        let err = refused(|f| replace_in(f, "content/news/deal.mr.md", "/news/old-deal/", bad));
        assert!(
            err.contains(&format!(
                "content/news/deal.mr.md:7:1: error: the alias \"{bad}\" cannot be used"
            )),
            "{err}"
        );
        assert!(
            err.contains("help: write the story's old address as a site path"),
            "{err}"
        );
    }
}

#[test]
fn an_x_link_where_a_handle_belongs_is_an_error_at_its_line() {
    let f = site();
    let config =
        format!("{CONFIG}{NEWSROOM}").replace("x = \"@neha_news\"", "x = \"https://x.com/neha\"");
    f.write("config.toml", &config);
    let out = f.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let line = config.lines().position(|l| l.starts_with("x = ")).unwrap() + 1;
    assert!(
        stderr(&out).contains(&format!(
            "config.toml:{line}: error: the x of author \"neha\" is not valid"
        )),
        "{}",
        stderr(&out)
    );
}

/// 2025-09-01T00:00:00Z and 2025-09-03T00:00:00Z.
const SEPT_1: i64 = 1_756_684_800;
const SEPT_3: i64 = SEPT_1 + 2 * 86_400;

fn with_scheduled(f: &Fixture) {
    for lang in ["mr", "en"] {
        f.write(
            &format!("content/news/later.{lang}.md"),
            &story("Later", "2025-09-02T06:00:00+05:30", "section = \"tech\""),
        );
    }
}

#[test]
fn a_story_dated_in_the_future_appears_with_the_first_build_after_its_time() {
    let f = site();
    with_scheduled(&f);
    let out = build_at(&f, SEPT_1, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !f.public().join("news/later").exists(),
        "built before its time"
    );
    assert!(!f.read("atom.xml").contains("/news/later/"));
    assert!(!f.read("sections/tech/index.html").contains("/news/later/"));
    // The same files, the clock past the story's time: an incremental build shows it, and
    // the output is what a clean build makes.
    let out = build_at(&f, SEPT_3, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        f.public().join("news/later/index.html").is_file(),
        "not built after its time"
    );
    assert!(f.read("atom.xml").contains("/news/later/"));
    let clean = tempfile::tempdir().unwrap();
    let out = build_at(
        &f,
        SEPT_3,
        &["--clean", "--output", clean.path().to_str().unwrap()],
    );
    assert!(out.status.success());
    same_files(clean.path(), &f.public()).unwrap();
    // --future builds it at once.
    let g = site();
    with_scheduled(&g);
    assert!(build_at(&g, SEPT_1, &["--future"]).status.success());
    assert!(g.public().join("news/later/index.html").is_file());
}

#[test]
fn a_link_to_a_scheduled_story_is_an_error_that_says_when_it_is_due() {
    let f = site();
    with_scheduled(&f);
    replace_in(
        &f,
        "content/news/exit.en.md",
        "Text of Deal.",
        "Text of Deal.\n\nSee [what comes next](@/news/later.md#plan).",
    );
    let out = build_at(&f, SEPT_1, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/news/exit.en.md:11:5: error: the link @/news/later.md#plan points to a story scheduled for 2025-09-02 06:00 (+05:30), which is not published yet"),
        "{err}"
    );
    assert!(err.contains("--future"), "{err}");
    // After its time both are published and the link resolves.
    let out = build_at(&f, SEPT_3, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        f.read("en/news/exit/index.html")
            .contains("<a href=\"/en/news/later/#plan\">what comes next</a>")
    );
}

#[test]
fn check_lists_what_is_scheduled_and_when() {
    let f = site();
    with_scheduled(&f);
    let out = Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["check", "--root"])
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", SEPT_1.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("content/news/later.en.md:3:1: warning: scheduled: this story is dated 2025-09-02 06:00 (+05:30), in the future; builds leave it out until then"), "{text}");
    assert!(
        text.contains("content/news/later.mr.md:3:1: warning: scheduled"),
        "{text}"
    );
    assert!(
        text.contains("help: it appears with the first build after that time"),
        "{text}"
    );
}

#[test]
fn an_expired_story_leaves_lists_and_feeds_but_keeps_its_page() {
    let f = site();
    replace_in(
        &f,
        "content/news/exit.en.md",
        "section = \"state\"",
        "section = \"state\"\nexpires = 2025-09-02T00:00:00+05:30",
    );
    assert!(build_at(&f, SEPT_1, &[]).status.success());
    assert!(f.read("en/atom.xml").contains("/en/news/exit/"));
    let out = build_at(&f, SEPT_3, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !f.read("en/atom.xml").contains("/en/news/exit/"),
        "still in the feed"
    );
    assert!(
        !f.read("en/news/index.html").contains("/en/news/exit/"),
        "still in the archive"
    );
    assert!(
        !f.read("en/authors/suhas/index.html")
            .contains("/en/news/exit/")
    );
    assert!(
        f.public().join("en/news/exit/index.html").is_file(),
        "its page is gone"
    );
    let clean = tempfile::tempdir().unwrap();
    assert!(
        build_at(
            &f,
            SEPT_3,
            &["--clean", "--output", clean.path().to_str().unwrap()]
        )
        .status
        .success()
    );
    same_files(clean.path(), &f.public()).unwrap();
}
