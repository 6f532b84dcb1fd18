//! What pages show of an image: the template value of a lead image and the `<figure>` of a
//! body image, both a `<picture>` with a WebP `srcset`, a JPEG fallback and the size of the
//! image (so nothing moves as it loads).

use serde_json::{Value, json};

use super::{Format, Source, ladder, site_path};

/// How wide an image is shown: the story column, or the screen less its margins.
pub const SIZES: &str = "(min-width: 46rem) 42rem, calc(100vw - 2rem)";

/// `srcset` of a source's ladder in `format`; `url` turns a site path into a link.
pub fn srcset(src: &Source, format: Format, url: &dyn Fn(&str) -> String) -> String {
    ladder(src, format)
        .iter()
        .map(|v| format!("{} {}w", url(&format!("/{}", site_path(src, v))), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The widest JPEG of the ladder, for browsers without `srcset`.
pub fn fallback(src: &Source, url: &dyn Fn(&str) -> String) -> String {
    let top = *ladder(src, Format::Jpeg)
        .last()
        .expect("a ladder has a step");
    url(&format!("/{}", site_path(src, &top)))
}

/// The template value of a story's lead image (`page.lead`).
pub fn lead_value(
    src: &Source,
    alt: &str,
    caption: &str,
    credit: &str,
    url: &dyn Fn(&str) -> String,
) -> Value {
    let top = *ladder(src, Format::Jpeg)
        .last()
        .expect("a ladder has a step");
    json!({
        "src": fallback(src, url),
        "srcset": srcset(src, Format::Jpeg, url),
        "webp_srcset": srcset(src, Format::Webp, url),
        "sizes": SIZES,
        "width": top.width,
        "height": top.height,
        "alt": alt,
        "caption": caption,
        "credit": credit,
    })
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// A `<picture>` of a body image, loaded lazily: body images are below the fold.
pub fn picture(src: &Source, alt: &str, url: &dyn Fn(&str) -> String) -> String {
    let top = *ladder(src, Format::Jpeg)
        .last()
        .expect("a ladder has a step");
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
        escape(&srcset(src, Format::Webp, url)),
        escape(&fallback(src, url)),
        escape(&srcset(src, Format::Jpeg, url)),
        top.width,
        top.height,
        escape(alt)
    )
}

/// A body image that stands alone in its paragraph: a `<figure>`, its Markdown title as
/// the caption.
pub fn figure(src: &Source, alt: &str, title: &str, url: &dyn Fn(&str) -> String) -> String {
    let caption = if title.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", escape(title))
    };
    format!(
        "<figure class=\"story-figure\">{}{caption}</figure>\n",
        picture(src, alt, url)
    )
}
