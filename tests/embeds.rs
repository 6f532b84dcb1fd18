//! Embeds and shortcodes, built with the real binary: lone YouTube and X links become
//! facades that load nothing from a third party, site and theme shortcodes render in place,
//! a shortcode's image goes through the image pipeline, a changed shortcode template
//! re-renders the pages that call it, and each bad call is exit 1 at its line with the
//! previous output as it was.

mod common;

use std::process::Output;

use common::{CONFIG, Fixture, same_files};

fn page(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2025-08-29T09:30:00+05:30\ntags = [\"Meta\"]\n+++\n\n{body}\n"
    )
}

const VIDEO: &str = "Intro paragraph.\n\nhttps://www.youtube.com/watch?v=abcdefghijk&t=1m5s\n\nA link in a sentence: https://youtu.be/abcdefghijk stays a link.\n\n<https://x.com/AIatMeta/status/1234567890>\n";

const SHORTCODES: &str = "Before.\n\n{% factbox(title=\"Key facts\") %}\n- **US$14.3 billion**, June 2025\n- see [the other story](@/news/plain.md)\n{% end %}\n\n{{ pullquote(text=\"The biggest risk is \\\"no risk\\\"\", by=\"A researcher\") }}\n\n{{ figure(src=\"/images/chart.png\", alt=\"A bar chart\", caption=\"The figures\", credit=\"Batmi graphic\") }}\n\n{{ score(home=\"Mumbai\", away=\"Pune\", runs=187) }}\n\nAfter.\n";

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("config.toml", CONFIG);
    f.write_bytes("static/images/chart.png", &png(900, 500));
    f.write(
        "templates/shortcodes/score.html",
        "<p class=\"score\">{{ home }} {{ runs }} – {{ away }} ({{ t.published }})</p>\n",
    );
    for lang in ["mr", "en"] {
        f.write(
            &format!("content/news/video.{lang}.md"),
            &page("Video", VIDEO),
        );
        f.write(
            &format!("content/news/boxes.{lang}.md"),
            &page("Boxes", SHORTCODES),
        );
        f.write(
            &format!("content/news/plain.{lang}.md"),
            &page("Plain", "Nothing embedded here."),
        );
    }
    f
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_lone_youtube_link_becomes_a_facade_that_loads_nothing_from_youtube() {
    let f = site();
    f.build_ok();
    let html = f.read("en/news/video/index.html");
    assert!(
        html.contains("<a class=\"embed-facade\" href=\"https://www.youtube.com/watch?v=abcdefghijk&amp;t=65s\""),
        "{html}"
    );
    assert!(
        html.contains("data-embed=\"https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1&amp;start=65\""),
        "{html}"
    );
    assert!(html.contains("Video on YouTube"), "{html}");
    assert!(
        html.contains("<script src=\"/embed.js\" defer></script>"),
        "{html}"
    );
    // Nothing on the page makes the browser fetch from YouTube or X by itself.
    for fetching in [
        "<iframe",
        "src=\"https://www.youtube",
        "src=\"https://i.ytimg",
        "platform.twitter.com",
        "src=\"https://x.com",
    ] {
        assert!(!html.contains(fetching), "{fetching} in {html}");
    }
    // A link inside a sentence is left alone.
    assert!(
        html.contains("A link in a sentence: https://youtu.be/abcdefghijk stays a link."),
        "{html}"
    );
    assert!(f.public().join("embed.js").is_file());
    // The Marathi page speaks Marathi.
    assert!(
        f.read("news/video/index.html")
            .contains("YouTube वरील व्हिडिओ")
    );
}

#[test]
fn a_lone_x_link_becomes_a_plain_link_card_without_a_script() {
    let f = site();
    f.build_ok();
    let html = f.read("en/news/video/index.html");
    assert!(
        html.contains("<a class=\"embed-card\" href=\"https://x.com/AIatMeta/status/1234567890\">"),
        "{html}"
    );
    assert!(html.contains("A post by @AIatMeta on X"), "{html}");
    let plain = f.read("en/news/plain/index.html");
    assert!(
        !plain.contains("embed.js"),
        "a page without a video loads no embed script"
    );
}

#[test]
fn site_and_theme_shortcodes_render_in_place_with_markdown_bodies() {
    let f = site();
    f.build_ok();
    let html = f.read("en/news/boxes/index.html");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} not in {html}"));
    assert!(at("<p>Before.</p>") < at("<aside class=\"factbox\" aria-label=\"Key facts\">"));
    assert!(
        html.contains("<li><strong>US$14.3 billion</strong>, June 2025</li>"),
        "{html}"
    );
    // A @/ link inside a block resolves like one outside.
    assert!(
        html.contains("<a href=\"/en/news/plain/\">the other story</a>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote><p>The biggest risk is &quot;no risk&quot;</p></blockquote>"),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>A researcher</figcaption>"),
        "{html}"
    );
    // The site's own shortcode, with a number argument and the language's strings.
    assert!(
        html.contains("<p class=\"score\">Mumbai 187 – Pune (Published)</p>"),
        "{html}"
    );
    assert!(f.read("news/boxes/index.html").contains("(प्रकाशित)"));
    assert!(at("<p class=\"score\">") < at("<p>After.</p>"));
    assert!(
        !html.contains("{{") && !html.contains("{%") && !html.contains("batmi-shortcode"),
        "{html}"
    );
}

#[test]
fn a_figure_shortcode_image_is_resized_like_any_body_image() {
    let f = site();
    f.build_ok();
    let html = f.read("en/news/boxes/index.html");
    let start = html.find("<figure class=\"figure\">").expect("a figure");
    let figure = &html[start..start + html[start..].find("</figure>").unwrap()];
    assert!(
        figure.contains("<source type=\"image/webp\" srcset=\"/img/chart-480w-"),
        "{figure}"
    );
    assert!(figure.contains("width=\"900\" height=\"500\""), "{figure}");
    assert!(
        figure.contains("alt=\"A bar chart\" loading=\"lazy\""),
        "{figure}"
    );
    assert!(
        figure.contains("The figures <span class=\"credit\">Credit: Batmi graphic</span>"),
        "{figure}"
    );
    for src in figure.split("srcset=\"").skip(1) {
        for candidate in src[..src.find('"').unwrap()].split(", ") {
            let path = candidate.split(' ').next().unwrap().trim_start_matches('/');
            assert!(
                f.public().join(path).is_file(),
                "{path} is not in the output"
            );
        }
    }
}

#[test]
fn a_changed_shortcode_template_rebuilds_the_pages_that_call_it() {
    let f = site();
    f.build_ok();
    let plain = f.read("en/news/plain/index.html");
    f.write(
        "templates/shortcodes/score.html",
        "<p class=\"score\">{{ home }} v {{ away }}: {{ runs }}</p>\n",
    );
    f.build_ok();
    assert!(
        f.read("en/news/boxes/index.html")
            .contains("<p class=\"score\">Mumbai v Pune: 187</p>")
    );
    assert_eq!(plain, f.read("en/news/plain/index.html"));
    // And what the incremental build wrote equals a clean build.
    let clean = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batmi"))
        .args(["build", "--root"])
        .arg(f.root())
        .arg("--output")
        .arg(clean.path().join("public"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    same_files(&clean.path().join("public"), &f.public()).unwrap();
}

/// Builds the good site, writes `body` into the English boxes story, builds again: the
/// error's text, after checking exit 1 and the previous output unchanged.
fn refused(body: &str) -> String {
    site().refused_after(|f| f.write("content/news/boxes.en.md", &page("Boxes", body)))
}

#[test]
fn an_unknown_shortcode_is_an_error_at_its_line_listing_those_there_are() {
    let err = refused("Line one.\n\n{{ chart(kind=\"bar\") }}\n");
    assert!(
        err.contains("content/news/boxes.en.md:9:1: error: there is no shortcode called chart"),
        "{err}"
    );
    assert!(
        err.contains("factbox, figure, pullquote, score, x, youtube"),
        "{err}"
    );
    assert!(err.contains("templates/shortcodes/chart.html"), "{err}");
}

#[test]
fn a_shortcode_that_cannot_be_read_is_an_error_at_its_line() {
    for (body, line, said) in [
        (
            "A.\n\n{{ pullquote(text=\"never closed) }}\n",
            9,
            "a quoted value is not closed",
        ),
        (
            "A.\n\nB.\n\n{% factbox(title=\"x\") %}\n- one\n",
            11,
            "the shortcode factbox is never closed",
        ),
        (
            "{{ pullquote(text=\"a\" by=\"b\") }}\n",
            7,
            "put a comma between the arguments",
        ),
        ("A.\n{% end %}\n", 8, "{% end %} closes no shortcode"),
    ] {
        let err = refused(body);
        assert!(
            err.contains(&format!("content/news/boxes.en.md:{line}:1: error: "))
                && err.contains(said),
            "{body}: {err}"
        );
        assert!(err.contains("help: "), "{err}");
    }
}

#[test]
fn a_shortcode_image_without_alt_text_is_an_error_at_its_line() {
    let err = refused("A.\n\n{{ figure(src=\"/images/chart.png\", caption=\"c\") }}\n");
    assert!(
        err.contains(
            "content/news/boxes.en.md:9:1: error: the image /images/chart.png has no alt text"
        ),
        "{err}"
    );
}

#[test]
fn shortcodes_in_code_blocks_are_shown_as_written() {
    let f = site();
    f.write(
        "content/news/plain.en.md",
        &page(
            "Plain",
            "```\n{{ figure(src=\"x.png\") }}\n```\n\n\\{{ pullquote(text=\"shown\") }}\n",
        ),
    );
    f.build_ok();
    let html = f.read("en/news/plain/index.html");
    assert!(
        html.contains("{{ figure(src=&quot;x.png&quot;) }}"),
        "{html}"
    );
    assert!(html.contains("{{ pullquote(text=“shown”) }}"), "{html}");
}
