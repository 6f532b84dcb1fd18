//! The built-in theme on a small bilingual fixture site, built with the real library: dates and
//! reading times per language, the language switcher, hreflang alternates, JSON-LD, the head's
//! social and feed tags, the current page in the navigation, and readable code colours.

use std::path::{Path, PathBuf};

use serde_json::Value;

const BASE: &str = "https://news.test";

/// A fixture site written into a temp dir and built into `public/` of it.
struct Site {
    dir: tempfile::TempDir,
}

/// `n` words of Marathi or English filler, one paragraph.
fn words(word: &str, n: usize) -> String {
    vec![word; n].join(" ")
}

fn config(mr_extra: &str) -> String {
    format!(
        r#"base_url = "{BASE}"
title = "बातमी"
default_language = "mr"
utc_offset = "+05:30"
paginate_by = 2
nav_tags = ["Meta", "Scale AI"]

[languages.mr]
title = "बातमी"
name = "मराठी"
description = "मराठी बातम्या"
words_per_minute = 180
{mr_extra}

[languages.en]
title = "Batmi"
name = "English"
description = "News in English"
words_per_minute = 230

[tags."Meta"]
slug = "meta"
names = {{ mr = "मेटा", en = "Meta" }}

[tags."Scale AI"]
slug = "scale-ai"
names = {{ mr = "स्केल एआय", en = "Scale AI" }}
"#
    )
}

impl Site {
    /// Three Marathi stories (one without a translation), two English ones, an about page in
    /// both languages. `mr_extra` goes into `[languages.mr]`.
    fn build(mr_extra: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("config.toml", &config(mr_extra));
        // 700 words at 180 a minute: 4 minutes. 460 at 230: 2 minutes.
        site.write(
            "content/news/deal.mr.md",
            &format!(
                r#"+++
title = "मेटाची स्केल एआयमध्ये गुंतवणूक"
date = 2025-08-29T09:30:00+05:30
updated = 2025-08-30T08:00:00+05:30
tags = ["Meta", "Scale AI"]
summary = "मेटाने स्केल एआयमध्ये गुंतवणूक केली."
author = "अनुराधा कुलकर्णी"
image = "/images/deal.jpg"
image_alt = "मेटाचे कार्यालय"
+++

{}
"#,
                words("शब्द", 700)
            ),
        );
        site.write(
            "content/news/deal.en.md",
            &format!(
                r#"+++
title = "Meta invests in Scale AI"
date = 2025-08-29T09:30:00+05:30
updated = 2025-08-30T08:00:00+05:30
tags = ["Meta", "Scale AI"]
summary = "Meta put money into Scale AI."
author = "Anuradha Kulkarni"
image = "/images/deal.jpg"
image_alt = "Meta's office"
+++

{}
"#,
                words("word", 460)
            ),
        );
        site.write(
            "content/news/code.mr.md",
            "+++\ntitle = \"कोडचा नमुना\"\ndate = 2025-08-28T10:00:00+05:30\ntags = [\"Meta\"]\n\
             author = \"डेस्क\"\n+++\n\nउदाहरण:\n\n```rust\n// टिप्पणी\nfn main() { let s = \"x\"; }\n```\n\n\
             ```python\n# comment\nimport re\n```\n",
        );
        site.write(
            "content/news/code.en.md",
            "+++\ntitle = \"A code sample\"\ndate = 2025-08-28T10:00:00+05:30\ntags = [\"Meta\"]\n\
             author = \"Desk\"\n+++\n\nFor example:\n\n```rust\nfn main() {}\n```\n",
        );
        // Marathi only; a summary that would end a <script> element if written out raw.
        site.write(
            "content/news/solo.mr.md",
            "+++\ntitle = \"फक्त मराठीत\"\ndate = 2025-08-27T10:00:00+05:30\ntags = [\"Meta\"]\n\
             summary = \"टीप: </script> हा मजकूर आहे.\"\nauthor = \"डेस्क\"\n+++\n\nएक.\n",
        );
        site.write(
            "content/pages/about.mr.md",
            "+++\ntitle = \"आमच्याविषयी\"\n+++\n\nमाहिती.\n",
        );
        site.write(
            "content/pages/about.en.md",
            "+++\ntitle = \"About\"\n+++\n\nInformation.\n",
        );
        // The stories' lead image: a real JPEG, as the image contract requires.
        let mut jpeg = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(1600, 900, image::Rgb([40, 90, 160]))
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let img = site.root().join("static/images/deal.jpg");
        std::fs::create_dir_all(img.parent().unwrap()).unwrap();
        std::fs::write(img, jpeg.into_inner()).unwrap();
        let mut opts = batmi::BuildOptions::new(site.root());
        opts.output = site.public();
        if let Err(e) = batmi::build(&opts) {
            panic!("the fixture site does not build: {e:#}");
        }
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// An output file by its site path (`/en/news/deal/` reads `en/news/deal/index.html`).
    fn page(&self, url: &str) -> String {
        let mut rel = url.trim_start_matches('/').to_string();
        if rel.is_empty() || rel.ends_with('/') {
            rel.push_str("index.html");
        }
        let p = self.public().join(&rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
}

/// The attributes of every `<name ...>` start tag in `html`, in order, entities decoded.
fn tags<'a>(html: &'a str, name: &str) -> Vec<Vec<(String, String)>> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest: &'a str = html;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find('>').expect("tag is closed");
        out.push(attributes(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        let Some(eq) = s.find("=\"") else { break };
        let name = s[..eq].trim().to_string();
        let after = &s[eq + 2..];
        let close = after.find('"').expect("attribute value is closed");
        let value = after[..close]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((name, value));
        s = &after[close + 1..];
    }
    out
}

fn attr<'a>(tag: &'a [(String, String)], name: &str) -> Option<&'a str> {
    tag.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The text between `start` (included, searched from the beginning) and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` is not in the page"));
    let j = html[i..].find(end).map_or(html.len(), |j| i + j);
    &html[i..j]
}

fn head(html: &str) -> &str {
    between(html, "<head>", "</head>")
}

/// `(hreflang, href)` of the head's language alternates.
fn alternates(html: &str) -> Vec<(String, String)> {
    tags(head(html), "link")
        .iter()
        .filter(|t| attr(t, "rel") == Some("alternate"))
        .filter_map(|t| {
            Some((
                attr(t, "hreflang")?.to_string(),
                attr(t, "href")?.to_string(),
            ))
        })
        .collect()
}

/// The `content` of `<meta property=..>` or `<meta name=..>`.
fn meta(html: &str, key: &str) -> Option<String> {
    tags(head(html), "meta")
        .into_iter()
        .find(|t| attr(t, "property") == Some(key) || attr(t, "name") == Some(key))
        .and_then(|t| attr(&t, "content").map(str::to_string))
}

/// `(href, hreflang)` of the links in the masthead's language switcher.
fn switcher(html: &str) -> Vec<(String, String)> {
    tags(between(html, "<nav class=\"langs\"", "</nav>"), "a")
        .iter()
        .map(|t| {
            (
                attr(t, "href").unwrap_or("").to_string(),
                attr(t, "hreflang").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn json_ld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let script = between(html, open, "</script>");
    serde_json::from_str(&script[open.len()..])
        .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{script}"))
}

#[test]
fn marathi_dates_use_marathi_months_and_devanagari_digits_by_default() {
    let site = Site::build("");
    let article = site.page("/news/deal/");
    assert!(
        article.contains("<time datetime=\"2025-08-29T09:30:00+05:30\">२९ ऑगस्ट २०२५</time>"),
        "published date: {}",
        between(&article, "<p class=\"byline\">", "</p>")
    );
    assert!(
        article.contains("<time datetime=\"2025-08-30T08:00:00+05:30\">३० ऑगस्ट २०२५</time>"),
        "updated date: {}",
        between(&article, "<p class=\"byline\">", "</p>")
    );
    // Lists show the same format.
    assert!(site.page("/").contains(">२९ ऑगस्ट २०२५</time>"));
    // paginate_by = 2: the third (oldest) Meta story is on the tag's numbered page 1.
    assert!(
        site.page("/tags/meta/page/1/")
            .contains(">२७ ऑगस्ट २०२५</time>")
    );
}

#[test]
fn marathi_dates_use_latin_digits_when_configured() {
    let site = Site::build("digits = \"latin\"");
    let article = site.page("/news/deal/");
    assert!(
        article.contains(">29 ऑगस्ट 2025</time>"),
        "{}",
        between(&article, "<p class=\"byline\">", "</p>")
    );
    assert!(
        article.contains("4 मिनिटे वाचन"),
        "reading time in Latin digits too"
    );
    assert!(
        !article.contains("२९"),
        "no Devanagari digits left in dates"
    );
    // English is not affected by Marathi's setting.
    assert!(
        site.page("/en/news/deal/")
            .contains(">29 August 2025</time>")
    );
}

#[test]
fn english_dates_read_day_month_year() {
    let site = Site::build("");
    let article = site.page("/en/news/deal/");
    assert!(
        article.contains("<time datetime=\"2025-08-29T09:30:00+05:30\">29 August 2025</time>"),
        "{}",
        between(&article, "<p class=\"byline\">", "</p>")
    );
    assert!(article.contains(">30 August 2025</time>"));
}

#[test]
fn reading_time_is_counted_and_worded_per_language() {
    let site = Site::build("");
    let mr = site.page("/news/deal/");
    assert!(mr.contains(">४ मिनिटे वाचन<"), "700 words at 180 a minute");
    let solo = site.page("/news/solo/");
    assert!(solo.contains(">१ मिनिट वाचन<"), "one minute is singular");
    let en = site.page("/en/news/deal/");
    assert!(en.contains(">2 min read<"), "460 words at 230 a minute");
    // Cards on the home pages carry it too.
    assert!(site.page("/").contains("४ मिनिटे वाचन"));
    assert!(site.page("/en/").contains("2 min read"));
}

#[test]
fn language_switcher_goes_to_the_translation_or_the_other_home() {
    let site = Site::build("");
    let cases = [
        ("/news/deal/", "/en/news/deal/", "en"),
        ("/en/news/deal/", "/news/deal/", "mr"),
        ("/news/solo/", "/en/", "en"),
        ("/about/", "/en/about/", "en"),
        ("/en/about/", "/about/", "mr"),
        ("/", "/en/", "en"),
        ("/en/", "/", "mr"),
        ("/tags/meta/", "/en/tags/meta/", "en"),
        ("/en/tags/meta/", "/tags/meta/", "mr"),
    ];
    for (page, target, lang) in cases {
        let links = switcher(&site.page(page));
        assert_eq!(
            links,
            vec![(target.to_string(), lang.to_string())],
            "switcher on {page}"
        );
    }
}

#[test]
fn hreflang_alternates_name_every_version_and_x_default() {
    let site = Site::build("");
    let both = vec![
        ("mr".to_string(), format!("{BASE}/news/deal/")),
        ("en".to_string(), format!("{BASE}/en/news/deal/")),
        ("x-default".to_string(), format!("{BASE}/news/deal/")),
    ];
    assert_eq!(alternates(&site.page("/news/deal/")), both);
    assert_eq!(alternates(&site.page("/en/news/deal/")), both);
    assert_eq!(
        alternates(&site.page("/news/solo/")),
        vec![
            ("mr".to_string(), format!("{BASE}/news/solo/")),
            ("x-default".to_string(), format!("{BASE}/news/solo/")),
        ],
        "a story without translation has no English alternate"
    );
    let home = alternates(&site.page("/en/"));
    assert!(
        home.contains(&("x-default".to_string(), format!("{BASE}/"))),
        "{home:?}"
    );
    assert!(
        home.contains(&("en".to_string(), format!("{BASE}/en/"))),
        "{home:?}"
    );
    for url in ["/news/deal/", "/en/news/deal/", "/en/tags/meta/"] {
        let canonical = tags(head(&site.page(url)), "link")
            .into_iter()
            .find(|t| attr(t, "rel") == Some("canonical"))
            .and_then(|t| attr(&t, "href").map(str::to_string));
        assert_eq!(
            canonical,
            Some(format!("{BASE}{url}")),
            "canonical of {url}"
        );
    }
}

#[test]
fn articles_carry_news_article_json_ld_in_each_language() {
    let site = Site::build("");
    for (url, lang, headline, author) in [
        (
            "/news/deal/",
            "mr",
            "मेटाची स्केल एआयमध्ये गुंतवणूक",
            "अनुराधा कुलकर्णी",
        ),
        (
            "/en/news/deal/",
            "en",
            "Meta invests in Scale AI",
            "Anuradha Kulkarni",
        ),
    ] {
        let ld = json_ld(&site.page(url));
        assert_eq!(ld["@context"], "https://schema.org", "{url}");
        assert_eq!(ld["@type"], "NewsArticle", "{url}");
        assert_eq!(ld["headline"], headline, "{url}");
        assert_eq!(ld["datePublished"], "2025-08-29T09:30:00+05:30", "{url}");
        assert_eq!(ld["dateModified"], "2025-08-30T08:00:00+05:30", "{url}");
        assert_eq!(ld["author"]["name"], author, "{url}");
        assert_eq!(ld["inLanguage"], lang, "{url}");
        // The lead image, processed: crops of it under /img/ (tests/images.rs checks them).
        let images: Vec<&str> = match &ld["image"] {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            other => panic!("{url}: image is {other}"),
        };
        assert!(!images.is_empty(), "{url}");
        for i in &images {
            assert!(i.starts_with(&format!("{BASE}/img/deal-")), "{url}: {i}");
        }
        assert_eq!(ld["mainEntityOfPage"], format!("{BASE}{url}"), "{url}");
    }
    let solo = json_ld(&site.page("/news/solo/"));
    assert_eq!(solo["dateModified"], solo["datePublished"]);
    assert_eq!(solo["description"], "टीप: </script> हा मजकूर आहे.");
    // Plain pages are not news articles.
    assert!(!site.page("/about/").contains("application/ld+json"));
}

#[test]
fn head_has_description_social_tags_feeds_and_favicon() {
    let site = Site::build("");
    let mr = site.page("/news/deal/");
    assert!(mr.starts_with("<!DOCTYPE html>\n<html lang=\"mr\">"));
    assert!(head(&mr).contains("<title>मेटाची स्केल एआयमध्ये गुंतवणूक | बातमी</title>"));
    assert_eq!(
        meta(&mr, "description").as_deref(),
        Some("मेटाने स्केल एआयमध्ये गुंतवणूक केली.")
    );
    assert_eq!(meta(&mr, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&mr, "og:locale").as_deref(), Some("mr_IN"));
    assert_eq!(meta(&mr, "og:url"), Some(format!("{BASE}/news/deal/")));
    // The social card (tests/images.rs and tests/e2e/cards.sh check what is on it).
    assert!(
        meta(&mr, "og:image").is_some_and(|u| u.starts_with(&format!("{BASE}/img/card-"))),
        "{:?}",
        meta(&mr, "og:image")
    );
    assert_eq!(
        meta(&mr, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(meta(&mr, "twitter:image"), meta(&mr, "og:image"));
    assert_eq!(
        meta(&mr, "article:published_time").as_deref(),
        Some("2025-08-29T09:30:00+05:30")
    );
    let en_tag = site.page("/en/tags/meta/");
    assert!(en_tag.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(meta(&en_tag, "og:locale").as_deref(), Some("en_IN"));
    assert_eq!(meta(&en_tag, "twitter:card").as_deref(), Some("summary"));
    let links = tags(head(&en_tag), "link");
    let feeds: Vec<&str> = links
        .iter()
        .filter(|t| attr(t, "type") == Some("application/atom+xml"))
        .filter_map(|t| attr(t, "href"))
        .collect();
    assert_eq!(
        feeds,
        vec![
            format!("{BASE}/en/atom.xml").as_str(),
            format!("{BASE}/en/tags/meta/atom.xml").as_str()
        ],
        "the edition's feed and the tag's feed"
    );
    assert!(
        links
            .iter()
            .any(|t| attr(t, "rel") == Some("icon") && attr(t, "href") == Some("/favicon.svg"))
    );
}

#[test]
fn navigation_marks_the_current_page() {
    let site = Site::build("");
    let nav = |url: &str| -> Vec<(String, String)> {
        let html = site.page(url);
        tags(
            between(&html, "<nav class=\"wrap sections\"", "</nav>"),
            "a",
        )
        .iter()
        .filter_map(|t| {
            Some((
                attr(t, "href")?.to_string(),
                attr(t, "aria-current")?.to_string(),
            ))
        })
        .collect()
    };
    let current = |href: &str, value: &str| vec![(href.to_string(), value.to_string())];
    assert_eq!(nav("/"), current("/", "page"));
    assert_eq!(nav("/en/"), current("/en/", "page"));
    assert_eq!(nav("/tags/meta/"), current("/tags/meta/", "page"));
    assert_eq!(
        nav("/en/tags/scale-ai/"),
        current("/en/tags/scale-ai/", "page")
    );
    assert_eq!(nav("/news/"), current("/news/", "page"));
    assert_eq!(nav("/tags/"), current("/tags/", "page"));
    // Three Marathi stories, two a page: page 2 continues the archive.
    assert_eq!(nav("/news/page/2/"), current("/news/", "true"));
    // A story is not a navigation target: nothing is marked.
    assert_eq!(nav("/news/deal/"), vec![]);
}

#[test]
fn pages_need_no_javascript() {
    let site = Site::build("");
    for url in [
        "/",
        "/news/deal/",
        "/en/news/deal/",
        "/tags/meta/",
        "/en/tags/",
        "/news/",
        "/about/",
    ] {
        let html = site.page(url);
        for t in tags(&html, "script") {
            assert_eq!(
                attr(&t, "type"),
                Some("application/ld+json"),
                "{url} runs a script"
            );
        }
        assert!(!html.contains("<script>"), "{url} runs a script");
    }
}

/// `#rrggbb` to (r, g, b).
fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim().trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
    (c(0), c(2), c(4))
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let ch = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `(selector, color, background)` of every rule in a block of syntect's CSS.
fn rules(css: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for chunk in css.split('}') {
        let Some((selector, body)) = chunk.rsplit_once('{') else {
            continue;
        };
        let selector = selector.lines().last().unwrap_or("").trim().to_string();
        let prop = |name: &str| {
            body.split(';').find_map(|d| {
                let (k, v) = d.split_once(':')?;
                (k.trim() == name).then(|| v.trim().to_string())
            })
        };
        out.push((selector, prop("color"), prop("background-color")));
    }
    out
}

#[test]
fn code_blocks_get_the_class_syntax_css_colours_and_meet_wcag_aa() {
    let site = Site::build("");
    let html = site.page("/news/code/");
    assert!(
        html.contains("<pre tabindex=\"0\" class=\"hl-code\" data-lang=\"rust\"><code>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"hl-comment"),
        "tokens carry hl- classes"
    );
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/syntax.css\">"));
    assert!(
        !site.page("/news/deal/").contains("/syntax.css"),
        "a page without code does not load the code colours"
    );
    let css = std::fs::read_to_string(site.public().join("syntax.css")).unwrap();
    let (light, dark) = css
        .split_once("@media (prefers-color-scheme: dark)")
        .expect("a dark section");
    assert!(
        light.contains("@media (prefers-color-scheme: light)"),
        "light rules stay out of dark mode"
    );
    for (scheme, block) in [("light", light), ("dark", dark)] {
        let rules = rules(block);
        let code = rules
            .iter()
            .find(|(s, _, _)| s == ".hl-code")
            .unwrap_or_else(|| panic!("{scheme}: no .hl-code rule"));
        let bg = rgb(code.2.as_deref().expect(".hl-code has a background"));
        let mut checked = 0;
        for (selector, color, background) in &rules {
            let Some(color) = color else { continue };
            let behind = background.as_deref().map_or(bg, rgb);
            let ratio = contrast(rgb(color), behind);
            assert!(
                ratio >= 4.5,
                "{scheme}: `{selector}` is {color} at {ratio:.2}:1"
            );
            checked += 1;
        }
        assert!(
            checked > 20,
            "{scheme}: only {checked} colours found in\n{block}"
        );
    }
}
