//! Every kind of bad input: exit code 1, `path:line:column: what is wrong` with how to fix
//! it, and the previous output left exactly as it was.

mod common;

use common::{Fixture, snapshot, story};

/// Builds the good fixture, breaks it with `breakage`, builds again: returns stderr.
fn fails_and_keeps_output(breakage: impl FnOnce(&Fixture)) -> String {
    let f = Fixture::bilingual();
    f.build_ok();
    let before = snapshot(&f.public());
    breakage(&f);
    let out = f.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{stderr}");
    assert!(before == snapshot(&f.public()), "previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("batmi-new") || n.contains("batmi-old"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging dirs left behind: {leftovers:?}"
    );
    stderr
}

#[test]
fn missing_front_matter_names_file_and_line() {
    let err = fails_and_keeps_output(|f| f.write("content/news/bad.mr.md", "just text\n"));
    assert!(
        err.contains("content/news/bad.mr.md:1:1: error: front matter is missing"),
        "{err}"
    );
    assert!(
        err.contains("help: start the file with a line +++"),
        "{err}"
    );
}

#[test]
fn unclosed_front_matter_names_file_and_line() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/bad.mr.md",
            "+++\ntitle = \"x\"\ndate = 2025-08-29\n\nbody\n",
        )
    });
    assert!(
        err.contains("content/news/bad.mr.md:1:1: error: front matter is never closed"),
        "{err}"
    );
}

#[test]
fn toml_error_points_at_the_line_in_the_markdown_file() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/bad.mr.md",
            "+++\ntitle = \"x\"\ndate = 2025-08-29\ntags = [\"Meta\"\nauthor = \"y\"\n+++\nbody\n",
        )
    });
    // The unclosed array is noticed on line 5 of the .md file (line 4 of the front matter).
    assert!(err.contains("content/news/bad.mr.md:5:"), "{err}");
}

#[test]
fn missing_title_is_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/bad.mr.md",
            "+++\ndate = 2025-08-29\n+++\nbody\n",
        )
    });
    assert!(
        err.contains("content/news/bad.mr.md:2:1: error: the front matter has no title"),
        "{err}"
    );
}

#[test]
fn missing_date_is_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write("content/news/bad.mr.md", "+++\ntitle = \"x\"\n+++\nbody\n")
    });
    assert!(
        err.contains("content/news/bad.mr.md:2:1: error: the front matter has no date"),
        "{err}"
    );
}

#[test]
fn invalid_date_names_the_date_line() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/bad.mr.md",
            "+++\ntitle = \"x\"\ntags = []\ndate = \"29/08/2025\"\n+++\nbody\n",
        )
    });
    assert!(
        err.contains("content/news/bad.mr.md:4:1: error: invalid date"),
        "{err}"
    );
    assert!(
        err.contains("2025-08-29T09:30:00+05:30"),
        "says how to write it: {err}"
    );
}

#[test]
fn unknown_language_suffix_is_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/deal.fr.md",
            &story("x", "2025-08-29", &[], "b"),
        )
    });
    assert!(
        err.contains("content/news/deal.fr.md: error: unknown language suffix \".fr\""),
        "{err}"
    );
    assert!(
        err.contains("mr") && err.contains("[languages.fr]"),
        "{err}"
    );
}

#[test]
fn two_articles_with_one_slug_in_one_language_are_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "content/news/other.mr.md",
            "+++\ntitle = \"x\"\ndate = 2025-08-29\nslug = \"deal\"\n+++\nbody\n",
        )
    });
    assert!(err.contains("have the URL /news/deal/"), "{err}");
    assert!(
        err.contains("content/news/deal.mr.md") && err.contains("content/news/other.mr.md"),
        "{err}"
    );
}

#[test]
fn unknown_config_key_names_its_line() {
    let err = fails_and_keeps_output(|f| {
        let config = common::CONFIG.replace("paginate_by = 2", "paginate_by = 2\npagniate = 3");
        f.write("config.toml", &config);
    });
    assert!(
        err.contains("config.toml:6:1: error: unknown field `pagniate`"),
        "{err}"
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let err = fails_and_keeps_output(|f| {
        f.write(
            "templates/tags.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ oops( }}\n{% endblock main %}\n",
        )
    });
    assert!(err.contains("templates/tags.html:3:"), "{err}");
}

#[test]
fn undefined_template_variable_names_template_and_line() {
    let err = fails_and_keeps_output(|f| {
        f.write("templates/tags.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>ok</p>\n{{ no_such_thing }}\n{% endblock main %}\n")
    });
    assert!(err.contains("templates/tags.html:4: error:"), "{err}");
    assert!(err.contains("no_such_thing"), "{err}");
}

#[test]
fn file_that_is_not_utf8_is_an_error_with_position() {
    let err = fails_and_keeps_output(|f| {
        let mut bytes = story("x", "2025-08-29", &[], "ok").into_bytes();
        bytes.extend(b"bad: ");
        bytes.extend([0xff, 0xfe, b'\n']);
        f.write_bytes("content/news/bad.mr.md", &bytes);
    });
    assert!(
        err.contains("content/news/bad.mr.md:9:6: error: the file is not valid UTF-8 text"),
        "{err}"
    );
    assert!(err.contains("UTF-8"), "{err}");
}

#[test]
fn all_errors_are_reported_at_once() {
    let err = fails_and_keeps_output(|f| {
        f.write("content/news/a.mr.md", "no front matter\n");
        f.write("content/news/b.mr.md", "+++\ntitle = \"x\"\n+++\n");
    });
    assert!(
        err.contains("content/news/a.mr.md") && err.contains("content/news/b.mr.md"),
        "{err}"
    );
    assert!(err.contains("2 errors found"), "{err}");
}

#[test]
fn missing_translation_and_unnamed_tag_are_warnings_not_errors() {
    let f = Fixture::bilingual();
    f.write(
        "content/news/pune.en.md",
        &story("Pune", "2025-08-20", &["पुणे"], "Pune."),
    );
    let out = f.build_ok();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/news/local.mr.md: warning: this story has no en translation"),
        "{err}"
    );
    assert!(
        err.contains("warning: tag \"पुणे\" has no display name in en"),
        "{err}"
    );
    assert!(
        !err.contains("\"मुंबई\" has no display name in mr"),
        "a Devanagari name suits Marathi: {err}"
    );
}

/// A story pair whose Marathi file has the front matter `extra` and the body `body`.
fn image_story(f: &Fixture, extra: &str, body: &str) {
    f.write(
        "content/news/pic.mr.md",
        &format!("+++\ntitle = \"फोटो\"\ndate = 2025-08-29T09:30:00+05:30\n{extra}+++\n\n{body}\n"),
    );
}

#[test]
fn missing_lead_image_is_an_error_at_its_key() {
    let err = fails_and_keeps_output(|f| {
        image_story(f, "image = \"gone.jpg\"\nimage_alt = \"फोटो\"\n", "मजकूर.")
    });
    assert!(
        err.contains("content/news/pic.mr.md:4:1: error: the image gone.jpg does not exist"),
        "{err}"
    );
    assert!(err.contains("help: put the file beside the story"), "{err}");
}

#[test]
fn missing_image_alt_is_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write_bytes("content/news/p.png", &tiny_png());
        image_story(f, "image = \"p.png\"\n", "मजकूर.")
    });
    assert!(
        err.contains("content/news/pic.mr.md:4:1: error: the story's image has no alt text"),
        "{err}"
    );
    assert!(err.contains("help: add image_alt = "), "{err}");
}

#[test]
fn unsupported_or_broken_image_is_an_error() {
    let err = fails_and_keeps_output(|f| {
        f.write("content/news/p.png", "not a picture at all");
        f.write_bytes("content/news/q.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
        image_story(
            f,
            "image = \"p.png\"\nimage_alt = \"फोटो\"\n",
            "मजकूर.\n\n![चित्र](q.gif)",
        )
    });
    assert!(
        err.contains("content/news/pic.mr.md:4:1: error: the image p.png cannot be used"),
        "{err}"
    );
    assert!(
        err.contains("content/news/pic.mr.md:10:1: error: the image q.gif cannot be used: Gif images are not supported"),
        "{err}"
    );
    assert!(
        err.contains("help: save it as a JPEG, PNG or WebP file"),
        "{err}"
    );
}

#[test]
fn missing_body_image_and_body_image_without_alt_are_errors_at_their_line() {
    let err = fails_and_keeps_output(|f| {
        f.write_bytes("static/ok.png", &tiny_png());
        image_story(
            f,
            "",
            "मजकूर.\n\n![](/ok.png)\n\nआणि ![नाही](/nothing.png) इथे.",
        )
    });
    assert!(
        err.contains("content/news/pic.mr.md:8:1: error: the image /ok.png has no alt text"),
        "{err}"
    );
    assert!(
        err.contains("content/news/pic.mr.md:10:5: error: the image /nothing.png does not exist"),
        "{err}"
    );
}

#[test]
fn image_paths_that_leave_the_site_are_refused() {
    for path in [
        "../../../../etc/passwd",
        "/../config.toml",
        "..\\\\x.png",
        "C:/x.png",
    ] {
        let err = fails_and_keeps_output(|f| {
            image_story(
                f,
                &format!("image = \"{path}\"\nimage_alt = \"x\"\n"),
                "मजकूर.",
            )
        });
        assert!(
            err.contains(&format!(
                "content/news/pic.mr.md:4:1: error: the image path {} leaves the site's folders",
                path.replace("\\\\", "\\")
            )),
            "{path}: {err}"
        );
    }
}

fn tiny_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}
